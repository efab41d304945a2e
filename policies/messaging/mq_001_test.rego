package oscfg.rules.mq_001_test

import data.oscfg.rules.mq_001
import data.oscfg.testing as t

_opt(k, v, line) := {"value": v, "set": line > 0, "line": line, "key": k}

_nova(thr, rate, url) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {
		"DEFAULT": {"line": 1, "keys": {"transport_url": {"value": url, "line": 3, "secret": true}}},
		"oslo_messaging_rabbit": {"line": 40, "keys": {}},
	},
	"options": {"oslo_messaging_rabbit": {"heartbeat_timeout_threshold": thr, "heartbeat_rate": rate}},
}

_url := "rabbit://openstack:****@192.168.1.10:5672/"

_in(files) := {"release": {"name": "zed", "index": 26, "source": "flag"}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": files}}}}

_good := _nova(_opt("heartbeat_timeout_threshold", 60, 0), _opt("heartbeat_rate", 3, 42), _url)

test_quiet_on_good if {
	count(mq_001.deny) == 0 with input as t.with_topology(_in(_good))
}

test_quiet_on_2024_default_rate if {
	count(mq_001.deny) == 0 with input as t.with_topology(_in(_nova(_opt("heartbeat_timeout_threshold", 60, 0), _opt("heartbeat_rate", 3, 0), _url)))
}

test_threshold_zero_high if {
	fs := mq_001.deny with input as t.with_topology(_in(_nova(_opt("heartbeat_timeout_threshold", 0, 41), _opt("heartbeat_rate", 2, 0), _url)))
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.line == 41
	f.key == "oslo_messaging_rabbit/heartbeat_timeout_threshold"
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "oslo_messaging_rabbit", "key": "heartbeat_timeout_threshold", "value": "60"}
}

test_unset_zed_rate_low if {
	fs := mq_001.deny with input as t.with_topology(_in(_nova(_opt("heartbeat_timeout_threshold", 60, 0), _opt("heartbeat_rate", 2, 0), _url)))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.line == 40
	contains(f.message, "heartbeat_rate unset (default 2 on release zed (flag))")
	f.fix.key == "heartbeat_rate"
	f.fix.value == "3"
}

test_set_rate_one_low if {
	some f in mq_001.deny with input as t.with_topology(_in(_nova(_opt("heartbeat_timeout_threshold", 60, 0), _opt("heartbeat_rate", 1, 43), _url)))
	f.line == 43
	f.severity == "low"
}

test_quiet_without_rabbit if {
	f := json.patch(_nova(_opt("heartbeat_timeout_threshold", 0, 41), _opt("heartbeat_rate", 2, 0), "kafka://k1:9092/"), [{"op": "replace", "path": "/sections/oslo_messaging_rabbit/keys", "value": {}}])
	count(mq_001.deny) == 0 with input as t.with_topology(_in(f))
}

_t(ms, raw, line, inherited) := {"ms": ms, "raw": raw, "file": "/etc/haproxy/haproxy.cfg", "line": line, "inherited": inherited}

_rabbit_px(client, server) := {
	"type": "listen", "name": "rabbitmq", "file": "/etc/haproxy/haproxy.cfg", "line": 50,
	"service": "rabbitmq", "role": "mq", "ports": [5672],
	"timeouts": {"client": client, "server": server},
	"binds": [{"addr": "192.168.1.10", "port": 5672, "line": 52, "file": "/etc/haproxy/haproxy.cfg"}],
	"servers": [],
}

_with_lb(px) := object.union(_in(_good), {"hosts": {"lb1": {"haproxy": {"proxies": {"rabbitmq": px}}}}})

test_haproxy_timeouts_shorter_than_threshold_medium if {
	fs := mq_001.deny with input as t.with_topology(_with_lb(_rabbit_px(_t(30000, "30s", 20, true), _t(30000, "30s", 21, true))))
	count(fs) == 2
	some f in fs
	f.key == "rabbitmq/timeout client"
	f.host == "lb1"
	f.severity == "medium"
	f.line == 20
	f.related == [{"host": "ctl1", "file": "/etc/nova/nova.conf", "line": 40, "note": "heartbeat_timeout_threshold = 60"}]
	f.fix == {"op": "haproxy_set", "host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "section": "rabbitmq", "keyword": "timeout client", "args": ["2m"]}
	contains(f.message, "inherited from defaults")
}

test_haproxy_long_timeouts_quiet if {
	count(mq_001.deny) == 0 with input as t.with_topology(_with_lb(_rabbit_px(_t(3600000, "1h", 20, true), _t(3600000, "1h", 21, true))))
}

test_haproxy_not_reached_quiet if {
	px := json.patch(_rabbit_px(_t(30000, "30s", 20, true), _t(30000, "30s", 21, true)), [{"op": "replace", "path": "/binds/0/addr", "value": "192.168.1.99"}])
	count(mq_001.deny) == 0 with input as t.with_topology(_with_lb(px))
}

test_haproxy_frontend_backend_split if {
	fe := {
		"type": "frontend", "name": "rabbit_front", "file": "/etc/haproxy/haproxy.cfg", "line": 50, "service": "rabbitmq", "role": "mq",
		"timeouts": {"client": _t(3600000, "1h", 53, false)}, "default_backend": "rabbit_back",
		"binds": [{"addr": "*", "port": 5672, "line": 52, "file": "/etc/haproxy/haproxy.cfg"}],
	}
	be := {"type": "backend", "name": "rabbit_back", "file": "/etc/haproxy/haproxy.cfg", "line": 60, "service": "rabbitmq", "role": "mq", "timeouts": {"server": _t(50000, "50s", 62, false)}, "binds": []}
	inp := object.union(_in(_good), {"hosts": {"lb1": {"haproxy": {"proxies": {"rabbit_front": fe, "rabbit_back": be}}}}})
	fs := mq_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.key == "rabbit_back/timeout server"
	f.line == 62
	f.fix.section == "rabbit_back"
}

test_legacy_rabbit_hosts_reach_listener if {
	legacy := json.patch(_good, [
		{"op": "remove", "path": "/sections/DEFAULT/keys/transport_url"},
		{"op": "replace", "path": "/sections/oslo_messaging_rabbit/keys", "value": {"rabbit_hosts": {"value": "192.168.1.10:5672", "line": 41}}},
	])
	inp := object.union(_in(legacy), {"hosts": {"lb1": {"haproxy": {"proxies": {"rabbitmq": _rabbit_px(_t(30000, "30s", 20, true), _t(3600000, "1h", 21, true))}}}}})
	fs := mq_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.key == "rabbitmq/timeout client"
}

# timeout tunnel on the RabbitMQ listen or backend replaces client and
# server in TCP mode once the AMQP connection is established.
test_haproxy_tunnel_replaces_short_timeouts if {
	px := object.union(_rabbit_px(_t(30000, "30s", 20, true), _t(30000, "30s", 21, true)), {"timeouts": {"tunnel": _t(3600000, "1h", 22, false)}})
	count(mq_001.deny) == 0 with input as t.with_topology(_with_lb(px))
}

test_haproxy_short_tunnel_reported if {
	px := object.union(_rabbit_px(_t(3600000, "1h", 20, true), _t(3600000, "1h", 21, true)), {"timeouts": {"tunnel": _t(30000, "30s", 22, false)}})
	fs := mq_001.deny with input as t.with_topology(_with_lb(px))
	count(fs) == 1
	some f in fs
	f.key == "rabbitmq/timeout tunnel"
	f.line == 22
	f.fix.keyword == "timeout tunnel"
	contains(f.message, "replaces timeout client and timeout server")
}

test_haproxy_backend_tunnel_covers_frontend_client if {
	fe := {
		"type": "frontend", "name": "rabbit_front", "file": "/etc/haproxy/haproxy.cfg", "line": 50, "service": "rabbitmq", "role": "mq",
		"timeouts": {"client": _t(30000, "30s", 53, false)}, "default_backend": "rabbit_back",
		"binds": [{"addr": "*", "port": 5672, "line": 52, "file": "/etc/haproxy/haproxy.cfg"}],
	}
	be := {"type": "backend", "name": "rabbit_back", "file": "/etc/haproxy/haproxy.cfg", "line": 60, "service": "rabbitmq", "role": "mq", "timeouts": {"server": _t(30000, "30s", 62, false), "tunnel": _t(3600000, "1h", 63, false)}, "binds": []}
	inp := object.union(_in(_good), {"hosts": {"lb1": {"haproxy": {"proxies": {"rabbit_front": fe, "rabbit_back": be}}}}})
	count(mq_001.deny) == 0 with input as t.with_topology(inp)
}

test_haproxy_tunnel_zero_leaves_client_server if {
	px := object.union(_rabbit_px(_t(30000, "30s", 20, true), _t(30000, "30s", 21, true)), {"timeouts": {"tunnel": _t(0, "0", 22, false)}})
	fs := mq_001.deny with input as t.with_topology(_with_lb(px))
	{f.key | some f in fs} == {"rabbitmq/timeout client", "rabbitmq/timeout server"}
}

# A fleet mid-upgrade, one cluster, heartbeat_rate unset everywhere; the
# loader gives each host its release's default (2 before 2024.1, 3 from
# oslo.messaging 14.5.0 on): only the Xena host is told, with its release.
test_mixed_fleet_judged_per_host if {
	doc := {"release": {"name": "xena", "index": 24, "source": "hosts"}, "hosts": {
		"ctl-xena": {"files": {"/etc/nova/nova.conf": _nova(_opt("heartbeat_timeout_threshold", 60, 0), _opt("heartbeat_rate", 2, 0), _url)}},
		"ctl-2024": {"files": {"/etc/nova/nova.conf": _nova(_opt("heartbeat_timeout_threshold", 60, 0), _opt("heartbeat_rate", 3, 0), _url)}},
	}}
	inp := t.mixed_fleet(doc, {"ctl-xena": "xena", "ctl-2024": "2024.1"})
	t.one_cluster(inp, ["ctl-xena", "ctl-2024"])
	fs := mq_001.deny with input as inp
	count(fs) == 1
	some f in fs
	f.host == "ctl-xena"
	contains(f.message, "heartbeat_rate unset (default 2 on release xena (test))")
}
