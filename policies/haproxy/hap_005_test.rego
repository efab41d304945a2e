package oscfg.rules.hap_005_test

import data.oscfg.rules.hap_005
import data.oscfg.testing as t

_cfg := "/etc/haproxy/haproxy.cfg"

_t(ms, raw, line, inh) := {"ms": ms, "raw": raw, "file": _cfg, "line": line, "inherited": inh}

_ka := {
	"clitcpka": {"enabled": true, "file": _cfg, "line": 42, "inherited": false},
	"srvtcpka": {"enabled": true, "file": _cfg, "line": 43, "inherited": false},
}

_px(type, timeouts, opts) := {
	"type": type, "file": _cfg, "line": 40, "service": "mysql", "role": "db",
	"mode": {"value": "tcp", "file": _cfg, "line": 41, "inherited": false},
	"timeouts": timeouts, "options": opts,
}

# An oslo file; recycle null = unset (default 3600).
_oslo(service, path, recycle, recycle_line) := {
	"kind": "oslo", "service": service, "path": path,
	"sections": {"database": {"line": 10}},
	"options": {"database": {
		"connection": {"value": "mysql+pymysql://nova:****@192.168.1.10/nova", "set": true, "line": 11, "key": "connection"},
		"connection_recycle_time": _recycle(recycle, recycle_line),
	}},
}

_recycle(null, _) := {"value": 3600, "set": false, "line": 0, "key": "connection_recycle_time"}

_recycle(v, l) := {"value": v, "set": true, "line": l, "key": "connection_recycle_time"} if v != null

_in(px, files) := {
	"release": {"name": "zed", "index": 26},
	"hosts": {
		"lb1": {"haproxy": {"proxies": {"galera_cluster": object.union(px, {"name": "galera_cluster"})}}},
		"ctl1": {"files": files},
	},
}

_nova_default := {"/etc/nova/nova.conf": _oslo("nova", "/etc/nova/nova.conf", null, 0)}

_long := {"client": _t(5000000, "5000s", 44, false), "server": _t(5000000, "5000s", 45, false)}

test_high_ha_guide_inherited_1m if {
	px := _px("listen", {"client": _t(60000, "1m", 8, true), "server": _t(60000, "1m", 9, true)}, _ka)
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	count(fs) == 2
	some f in fs
	f.key == "galera_cluster/timeout client"
	f.line == 8
	not f.severity
	contains(f.message, "inherited from defaults")
	contains(f.message, "the longest connection_recycle_time of the 1 connection(s) behind it is 3600s")
	f.related == [{"host": "ctl1", "file": "/etc/nova/nova.conf", "line": 10, "note": "[database] connection_recycle_time = 3600 (default)"}]
	f.fix == {"op": "haproxy_set", "host": "lb1", "file": _cfg, "section": "galera_cluster", "keyword": "timeout client", "args": ["4200s"]}
	some g in fs
	g.key == "galera_cluster/timeout server"
	g.fix.keyword == "timeout server"
}

test_equal_to_recycle_time_is_fine_kolla_3600 if {
	# kolla's defaults: 3600s on both sides with tcpka and the oslo.db
	# default recycle time 3600 s. A pooled connection's idle time never
	# exceeds its age, and the pool replaces it on checkout once its age
	# reaches the recycle time, so haproxy never cuts one the pool would reuse.
	px := _px("listen", {"client": _t(3600000, "3600s", 44, false), "server": _t(3600000, "3600s", 45, false)}, _ka)
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

test_just_under_recycle_time_is_high if {
	px := _px("listen", {"client": _t(3599000, "3599s", 44, false), "server": _t(3599000, "3599s", 45, false)}, _ka)
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	count(fs) == 2
	every f in fs {
		not f.severity
		contains(f.message, "is shorter than the pooled-connection lifetime")
	}
}

test_high_related_only_max_file if {
	px := _px("backend", {"server": _t(5400000, "90m", 45, false)}, {"srvtcpka": _ka.srvtcpka})
	files := {
		"/etc/nova/nova.conf": _oslo("nova", "/etc/nova/nova.conf", 600, 14),
		"/etc/keystone/keystone.conf": _oslo("keystone", "/etc/keystone/keystone.conf", 7200, 22),
	}
	fs := hap_005.deny with input as t.with_topology(_in(px, files))
	count(fs) == 1
	some f in fs
	not f.severity
	f.related == [{"host": "ctl1", "file": "/etc/keystone/keystone.conf", "line": 22, "note": "[database] connection_recycle_time = 7200"}]
	f.fix.args == ["7800s"]
}

test_file_without_connection_ignored if {
	# a compute's nova.conf without [database] connection does not count
	px := _px("backend", {"server": _t(5400000, "90m", 45, false)}, {"srvtcpka": _ka.srvtcpka})
	nc := json.patch(_oslo("nova", "/etc/nova/nova.conf", 7200, 14), [{"op": "replace", "path": "/options/database/connection/set", "value": false}])
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, {"/etc/nova/nova.conf": nc}))
}

test_medium_under_3600_above_recycle if {
	px := _px("frontend", {"client": _t(1800000, "30m", 44, false)}, {"clitcpka": _ka.clitcpka})
	fs := hap_005.deny with input as t.with_topology(_in(px, {"/etc/nova/nova.conf": _oslo("nova", "/etc/nova/nova.conf", 600, 14)}))
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 44
	f.fix.args == ["3600s"]
	f.fix.keyword == "timeout client"
}

test_never_recycled_high_without_fix if {
	px := _px("backend", {"server": _t(5000000, "5000s", 45, false)}, {"srvtcpka": _ka.srvtcpka})
	fs := hap_005.deny with input as t.with_topology(_in(px, {"/etc/nova/nova.conf": _oslo("nova", "/etc/nova/nova.conf", -1, 14)}))
	count(fs) == 1
	some f in fs
	not f.severity
	not f.fix
	f.related[0].note == "[database] connection_recycle_time = -1"
}

test_infinite_is_not_short if {
	px := _px("listen", {"client": _t(0, "0", 44, false)}, _ka)
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

test_listen_min_side if {
	# only the finite short side is reported; the mismatch is low
	px := _px("listen", {"client": _t(5000000, "5000s", 44, false), "server": _t(60000, "1m", 9, true)}, _ka)
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	count(fs) == 2
	some f in fs
	f.key == "galera_cluster/timeout server"
	not f.severity
	some g in fs
	g.key == "galera_cluster/timeout mismatch"
	g.severity == "low"
	contains(g.message, "timeout client 5000s but timeout server 1m")
}

test_info_without_tcpka if {
	px := _px("listen", _long, {"clitcpka": _ka.clitcpka})
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	count(fs) == 1
	some f in fs
	f.severity == "info"
	f.key == "galera_cluster/tcpka"
	contains(f.message, "no option srvtcpka")
}

test_tcpka_covers_both if {
	px := _px("listen", _long, {"tcpka": {"enabled": true, "file": _cfg, "line": 42, "inherited": true}})
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

test_quiet_on_good_listener if {
	px := _px("listen", _long, _ka)
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

test_quiet_on_api_proxy if {
	px := object.union(_px("listen", {"client": _t(60000, "1m", 8, true), "server": _t(60000, "1m", 9, true)}, {}), {"role": "api", "service": "nova-api"})
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

# Only the connections whose endpoint the listener is bound on count: a
# 7200 s recycle time behind another VIP does not make this one high.
_bind(addr) := {"binds": [{"addr": addr, "port": 3306, "file": _cfg, "line": 39}]}

test_only_connections_behind_the_listener if {
	short := {"client": _t(5000000, "5000s", 44, false), "server": _t(5000000, "5000s", 45, false)}
	a := object.union(object.union(_px("listen", short, _ka), _bind("192.168.1.10")), {"name": "db_a"})
	b := object.union(object.union(_px("listen", short, _ka), _bind("192.168.1.99")), {"name": "db_b"})
	other := json.patch(_oslo("keystone", "/etc/keystone/keystone.conf", 7200, 12), [{"op": "replace", "path": "/options/database/connection/value", "value": "mysql+pymysql://keystone:****@192.168.1.99/keystone"}])
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {
		"lb1": {"haproxy": {"proxies": {"db_a": a, "db_b": b}}},
		"ctl1": {"files": object.union(_nova_default, {"/etc/keystone/keystone.conf": other})},
	}}
	fs := hap_005.deny with input as t.with_topology(inp)
	{[f.key, f.related[0].file] | some f in fs} == {
		["db_b/timeout client", "/etc/keystone/keystone.conf"],
		["db_b/timeout server", "/etc/keystone/keystone.conf"],
	}
}

# timeout tunnel: in TCP mode it replaces timeout client and server once
# the connection is established (haproxy configuration.txt, "timeout
# tunnel"; shown on haproxy 2.6 by TestHAProxyTunnelTimeoutKeepsIdleTCP).
_short := {"client": _t(60000, "1m", 8, true), "server": _t(60000, "1m", 9, true)}

test_tunnel_replaces_short_client_and_server if {
	px := _px("listen", object.union(_short, {"tunnel": _t(5000000, "5000s", 46, false)}), _ka)
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

test_tunnel_replaces_mismatched_sides if {
	# the client/server mismatch does not matter once the tunnel rules
	px := _px("listen", {"client": _t(5000000, "5000s", 44, false), "server": _t(60000, "1m", 9, true), "tunnel": _t(5000000, "5000s", 46, false)}, _ka)
	count(hap_005.deny) == 0 with input as t.with_topology(_in(px, _nova_default))
}

test_short_tunnel_is_the_one_reported if {
	px := _px("listen", object.union(_long, {"tunnel": _t(60000, "1m", 46, false)}), _ka)
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	count(fs) == 1
	some f in fs
	f.key == "galera_cluster/timeout tunnel"
	f.line == 46
	not f.severity
	contains(f.message, "timeout tunnel 1m")
	contains(f.message, "replaces timeout client and timeout server")
	f.fix.keyword == "timeout tunnel"
}

test_tunnel_zero_leaves_client_and_server if {
	# 0 is haproxy's "unset" for the tunnel timeout: client/server still cut
	px := _px("listen", object.union(_short, {"tunnel": _t(0, "0", 46, false)}), _ka)
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	{f.key | some f in fs} == {"galera_cluster/timeout client", "galera_cluster/timeout server"}
}

test_tunnel_not_in_http_mode if {
	px := object.union(_px("listen", object.union(_short, {"tunnel": _t(5000000, "5000s", 46, false)}), _ka), {"mode": {"value": "http", "file": _cfg, "line": 41, "inherited": false}})
	fs := hap_005.deny with input as t.with_topology(_in(px, _nova_default))
	{f.key | some f in fs} == {"galera_cluster/timeout client", "galera_cluster/timeout server"}
}

_fe_be(fe_timeouts, be_timeouts) := {"release": {"name": "zed", "index": 26}, "hosts": {
	"lb1": {"haproxy": {"proxies": {
		"db_front": object.union(_px("frontend", fe_timeouts, {"clitcpka": _ka.clitcpka}), {"name": "db_front", "default_backend": "db_back", "use_backends": [], "binds": [{"addr": "192.168.1.10", "port": 3306, "file": _cfg, "line": 39}]}),
		"db_back": object.union(_px("backend", be_timeouts, {"srvtcpka": _ka.srvtcpka}), {"name": "db_back", "line": 60, "binds": []}),
	}}},
	"ctl1": {"files": _nova_default},
}}

test_backend_tunnel_replaces_frontend_client if {
	inp := _fe_be({"client": _t(60000, "1m", 8, true)}, {"server": _t(60000, "1m", 9, true), "tunnel": _t(5000000, "5000s", 62, false)})
	count(hap_005.deny) == 0 with input as t.with_topology(inp)
}

test_frontend_tunnel_is_ignored if {
	# haproxy: "'timeout tunnel' will be ignored because frontend has no backend capability"
	inp := _fe_be({"client": _t(60000, "1m", 8, true), "tunnel": _t(5000000, "5000s", 45, false)}, {"server": _t(5000000, "5000s", 62, false)})
	fs := hap_005.deny with input as t.with_topology(inp)
	{f.key | some f in fs} == {"db_front/timeout client"}
}
