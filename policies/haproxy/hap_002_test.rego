package oscfg.rules.hap_002_test

import data.oscfg.rules.hap_002

_cfg := "/etc/haproxy/haproxy.cfg"

_t(ms, raw, line, inh) := {"ms": ms, "raw": raw, "file": _cfg, "line": line, "inherited": inh}

_px(type, service, mode, timeouts) := {
	"type": type, "file": _cfg, "line": 20, "service": service, "role": "api",
	"mode": {"value": mode, "file": _cfg, "line": 5, "inherited": true},
	"timeouts": timeouts,
}

_nova(neutron_t, cinder_t) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"neutron": {"line": 30}, "cinder": {"line": 40}},
	"options": {
		"neutron": {"timeout": {"value": neutron_t, "set": neutron_t != null, "line": 33, "key": "timeout"}},
		"cinder": {"timeout": {"value": cinder_t, "set": cinder_t != null, "line": 44, "key": "timeout"}},
	},
}

_in(name, px) := {
	"release": {"name": "zed", "index": 26},
	"hosts": {"lb1": {"haproxy": {"proxies": {name: object.union(px, {"name": name})}}}},
}

_in_nova(name, px, nova) := {
	"release": {"name": "zed", "index": 26},
	"hosts": {
		"lb1": {"haproxy": {"proxies": {name: object.union(px, {"name": name})}}},
		"ctl1": {"files": {"/etc/nova/nova.conf": nova}},
	},
}

_good := {"client": _t(60000, "1m", 8, true), "server": _t(60000, "1m", 9, true)}

test_high_under_30s if {
	px := _px("listen", "neutron-server", "http", {"client": _t(60000, "1m", 8, true), "server": _t(20000, "20s", 25, false)})
	fs := hap_002.deny with input as _in("neutron_server", px)
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.line == 25
	f.key == "neutron_server/timeout server"
	contains(f.message, "under 30s")
	f.fix == {"op": "haproxy_set", "host": "lb1", "file": _cfg, "section": "neutron_server", "keyword": "timeout server", "args": ["1m"]}
}

test_under_floor_server_medium_client_low if {
	# the OSA value: 50s, inherited from defaults. Only timeout server
	# gives a 504 while the backend works (TestHAProxyServerTimeoutGives504,
	# TestHAProxyClientTimeoutSparesWorkingServer on haproxy 2.6).
	px := _px("listen", "nova-api", "http", {"client": _t(50000, "50s", 8, true), "server": _t(50000, "50s", 9, true)})
	fs := hap_002.deny with input as _in("nova_api", px)
	count(fs) == 2
	some f in fs
	f.key == "nova_api/timeout client"
	f.line == 8
	f.severity == "low"
	contains(f.message, "inherited from defaults")
	contains(f.message, "is under 1m:")
	contains(f.message, "does not cut a call while the server works")
	not contains(f.message, "gets a 504")
	f.fix.args == ["1m"]
	f.fix.keyword == "timeout client"
	some g in fs
	g.key == "nova_api/timeout server"
	g.line == 9
	not g.severity
	contains(g.message, "gets a 504 from haproxy while the backend keeps working")
}

test_client_under_30s_is_low_not_high if {
	px := _px("frontend", "neutron-server", "http", {"client": _t(10000, "10s", 8, false)})
	fs := hap_002.deny with input as _in("neutron_front", px)
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.fix.args == ["1m"]
}

test_glance_medium_under_1h if {
	px := _px("listen", "glance-api", "http", _good)
	fs := hap_002.deny with input as _in("glance_api", px)
	count(fs) == 2
	every f in fs {
		not f.severity
		f.fix.args == ["6h"]
		contains(f.message, "under 1h, too short for glance-api image")
		contains(f.message, "raise it to at least 6h")
	}
	some c in fs
	c.key == "glance_api/timeout client"
	contains(c.message, "stops reading")
	some s in fs
	s.key == "glance_api/timeout server"
	contains(s.message, "504")
}

test_tcp_mode_server_cut_without_504 if {
	# TCP mode: the slow call is cut with no answer at all
	# (TestHAProxyTCPModeSlowCallCutByServerTimeoutOnly)
	px := _px("listen", "keystone", "tcp", {"client": _t(20000, "20s", 8, false), "server": _t(20000, "20s", 9, false)})
	fs := hap_002.deny with input as _in("keystone_tls", px)
	some s in fs
	s.key == "keystone_tls/timeout server"
	s.severity == "high"
	contains(s.message, "cut with no response")
	not contains(s.message, "504")
	some c in fs
	c.key == "keystone_tls/timeout client"
	c.severity == "low"
}

# haproxy ignores timeout server (and tunnel) in a frontend and timeout
# client in a backend, with a start-up warning
# (TestHAProxyIgnoresWrongSideTimeouts).
test_frontend_own_timeout_server_ignored_info if {
	px := _px("frontend", "nova-api", "http", {"client": _t(60000, "1m", 8, true), "server": _t(300000, "5m", 23, false), "tunnel": _t(3600000, "1h", 24, false)})
	fs := hap_002.deny with input as _in("nova_front", px)
	{[f.key, f.line, f.severity] | some f in fs} == {["nova_front/timeout server ignored", 23, "info"], ["nova_front/timeout tunnel ignored", 24, "info"]}
	every f in fs {
		contains(f.message, "ignored")
		not f.fix
	}
}

test_backend_own_timeout_client_ignored_info if {
	px := _px("backend", "nova-api", "http", {"client": _t(300000, "5m", 23, false), "server": _t(60000, "1m", 9, true)})
	fs := hap_002.deny with input as _in("nova_back", px)
	count(fs) == 1
	some f in fs
	f.key == "nova_back/timeout client ignored"
	f.severity == "info"
}

test_inherited_wrong_side_is_quiet if {
	# from defaults every proxy gets both: that is how haproxy means it
	px := _px("frontend", "nova-api", "http", _good)
	count(hap_002.deny) == 0 with input as _in("nova_front", px)
}

test_quiet_glance_6h if {
	px := _px("listen", "glance-api", "http", {"client": _t(21600000, "6h", 30, false), "server": _t(21600000, "6h", 31, false)})
	count(hap_002.deny) == 0 with input as _in("glance_api", px)
}

test_cross_file_neutron_timeout if {
	# 120s on the backend, nova waits 300s for neutron: the migration pattern
	px := _px("backend", "neutron-server", "http", {"server": _t(120000, "120s", 44, false)})
	fs := hap_002.deny with input as _in_nova("neutron_server_back", px, _nova(300, null))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 44
	contains(f.message, "[neutron] timeout = 300s")
	f.fix.args == ["300s"]
	f.fix.keyword == "timeout server"
	f.related == [{"host": "ctl1", "file": "/etc/nova/nova.conf", "line": 33, "note": "[neutron] timeout = 300: nova waits 300s for neutron-server"}]
}

test_cross_file_cinder_and_high if {
	px := _px("backend", "cinder-api", "http", {"server": _t(10000, "10s", 44, false)})
	fs := hap_002.deny with input as _in_nova("cinder_api", px, _nova(null, 90))
	some f in fs
	f.severity == "high"
	f.fix.args == ["90s"]
	count(f.related) == 1
	f.related[0].line == 44
}

test_cross_file_not_for_other_service if {
	# a [neutron] timeout says nothing about cinder
	px := _px("backend", "cinder-api", "http", {"server": _t(120000, "2m", 44, false)})
	count(hap_002.deny) == 0 with input as _in_nova("cinder_api", px, _nova(300, null))
}

test_cross_file_quiet_when_longer if {
	px := _px("backend", "neutron-server", "http", {"server": _t(300000, "5m", 44, false)})
	count(hap_002.deny) == 0 with input as _in_nova("neutron_server", px, _nova(300, null))
}

test_cross_file_not_on_client_side if {
	px := _px("frontend", "neutron-server", "http", {"client": _t(120000, "2m", 8, false)})
	count(hap_002.deny) == 0 with input as _in_nova("neutron_front", px, _nova(300, null))
}

test_missing_is_low if {
	px := _px("listen", "placement-api", "http", {"client": _t(60000, "1m", 8, true)})
	fs := hap_002.deny with input as _in("placement_api", px)
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.key == "placement_api/timeout server"
	f.line == 20
	not f.fix
}

test_zero_is_low if {
	px := _px("backend", "keystone", "http", {"server": _t(0, "0", 12, false)})
	fs := hap_002.deny with input as _in("keystone_internal", px)
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.line == 12
}

test_tcp_listen_mismatch_low if {
	px := _px("listen", "keystone", "tcp", {"client": _t(60000, "1m", 8, true), "server": _t(90000, "90s", 22, false)})
	fs := hap_002.deny with input as _in("keystone_tls", px)
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.key == "keystone_tls/timeout mismatch"
	contains(f.message, "timeout client 1m but timeout server 90s")
	count(f.related) == 2
}

test_tcp_is_default_mode if {
	px := object.remove(_px("listen", "keystone", "tcp", {"client": _t(60000, "1m", 8, true), "server": _t(120000, "2m", 22, false)}), ["mode"])
	fs := hap_002.deny with input as _in("keystone_tls", px)
	some f in fs
	f.key == "keystone_tls/timeout mismatch"
}

test_http_listen_mismatch_quiet if {
	px := _px("listen", "keystone", "http", {"client": _t(60000, "1m", 8, true), "server": _t(120000, "2m", 22, false)})
	count(hap_002.deny) == 0 with input as _in("keystone", px)
}

test_quiet_on_good_api if {
	px := _px("listen", "cinder-api", "http", _good)
	count(hap_002.deny) == 0 with input as _in("cinder_api", px)
}

test_quiet_on_db_and_console if {
	short := {"client": _t(10000, "10s", 8, false), "server": _t(10000, "10s", 9, false)}
	db := object.union(_px("listen", "mysql", "tcp", short), {"role": "db"})
	con := object.union(_px("listen", "nova-novncproxy", "http", short), {"role": "console"})
	count(hap_002.deny) == 0 with input as _in("galera", db)
	count(hap_002.deny) == 0 with input as _in("nova_novncproxy", con)
}

test_invalid_time_ignored if {
	# an invalid time (ms null) is not "short": null sorts below numbers
	px := _px("listen", "nova-api", "http", {"client": {"ms": null, "raw": "1x", "file": _cfg, "line": 8, "inherited": false}, "server": _t(60000, "1m", 9, true)})
	count(hap_002.deny) == 0 with input as _in("nova_api", px)
}

test_quiet_glance_2h if {
	# above glance's 1h threshold; the 6h fix target is not the threshold
	px := _px("listen", "glance-api", "http", {"client": _t(7200000, "2h", 30, false), "server": _t(7200000, "2h", 31, false)})
	count(hap_002.deny) == 0 with input as _in("glance_api", px)
}
