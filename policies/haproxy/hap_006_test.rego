package oscfg.rules.hap_006_test

import data.oscfg.rules.hap_006
import data.oscfg.testing as t

_cfg := "/etc/haproxy/haproxy.cfg"

_srv(name, addr, line, backup, extra) := {
	"name": name, "addr": addr, "port": 3306, "check": true, "backup": backup,
	"params": array.concat(["check", "inter", "2000"], extra), "line": line, "file": _cfg,
}

_safe := ["on-marked-down", "shutdown-sessions", "on-marked-up", "shutdown-backup-sessions"]

_px(servers) := {
	"type": "listen", "file": _cfg, "line": 40, "service": "mysql", "role": "db",
	"mode": {"value": "tcp", "file": _cfg, "line": 41, "inherited": false},
	"options": {}, "servers": servers,
}

# The kolla/OSA shape: one active, two backups, with session shutdown.
_good := _px([
	_srv("db1", "10.0.0.11", 50, false, _safe),
	_srv("db2", "10.0.0.12", 51, true, ["on-marked-down", "shutdown-sessions"]),
	_srv("db3", "10.0.0.13", 52, true, ["on-marked-down", "shutdown-sessions"]),
])

_in(hosts) := {"release": {"name": "zed", "index": 26}, "hosts": hosts}

_one(px) := _in({"lb1": {"haproxy": {"proxies": {"galera_cluster": px}}}})

test_high_multi_writer if {
	px := _px([
		_srv("ctl1", "10.0.0.11", 50, false, []),
		_srv("ctl2", "10.0.0.12", 51, false, []),
		_srv("ctl3", "10.0.0.13", 52, false, []),
	])
	fs := hap_006.deny with input as t.with_topology(_one(px))
	count(fs) == 3
	some f in fs
	f.key == "galera_cluster/writers"
	not f.severity
	f.line == 40
	contains(f.message, "3 active (non-backup) servers")
	[r.line | some r in f.related] == [50, 51, 52]
	some g in fs
	g.key == "galera_cluster/on-marked-down"
	g.severity == "low"
	some i in fs
	i.key == "galera_cluster/fail-back"
	i.severity == "info"
}

test_stick_on_dst_is_single_writer if {
	px := object.union(
		_px([
			_srv("ctl1", "10.0.0.11", 50, false, ["on-marked-down", "shutdown-sessions"]),
			_srv("ctl2", "10.0.0.12", 51, false, ["on-marked-down", "shutdown-sessions"]),
		]),
		{"stick_on": "dst"},
	)
	count(hap_006.deny) == 0 with input as t.with_topology(_one(px))
}

test_high_allbackups if {
	px := object.union(_good, {"options": {"allbackups": {"enabled": true, "file": _cfg, "line": 44, "inherited": false}}})
	fs := hap_006.deny with input as t.with_topology(_one(px))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 44
	f.key == "galera_cluster/allbackups"
}

test_high_cross_host_different_active if {
	other := _px([
		_srv("db1", "10.0.0.11", 50, true, _safe),
		_srv("db2", "10.0.0.12", 51, false, _safe),
		_srv("db3", "10.0.0.13", 52, true, _safe),
	])
	fs := hap_006.deny with input as t.with_topology(_in({
		"lb1": {"haproxy": {"proxies": {"galera_cluster": _good}}},
		"lb2": {"haproxy": {"proxies": {"galera_cluster": other}}},
	}))
	# one cluster fact: no majority, so at the first host
	count(fs) == 1
	some f in fs
	f.host == "lb1"
	not f.severity
	f.line == 50
	f.key == "galera_cluster/writers-cross-host"
	contains(f.message, "10.0.0.11 on lb1")
	f.related == [{"host": "lb2", "file": _cfg, "line": 51, "note": "on lb2: active server db2 10.0.0.12:3306"}]
}

# One outlier among many: one finding at the outlier, the majority related.
test_cross_host_outlier_one_finding if {
	other := _px([
		_srv("db1", "10.0.0.11", 50, true, _safe),
		_srv("db2", "10.0.0.12", 51, false, _safe),
		_srv("db3", "10.0.0.13", 52, true, _safe),
	])
	hosts := object.union(
		{sprintf("lb%d", [i]): {"haproxy": {"proxies": {"galera_cluster": _good}}} | some i in numbers.range(1, 6)},
		{"lb9": {"haproxy": {"proxies": {"galera_cluster": other}}}},
	)
	fs := hap_006.deny with input as t.with_topology(_in(hosts))
	count(fs) == 1
	some f in fs
	f.host == "lb9"
	count(f.related) == 6
	contains(f.message, "other servers on lb1, lb2, lb3 and 3 more")
}

test_quiet_same_active_on_two_hosts if {
	count(hap_006.deny) == 0 with input as t.with_topology(_in({
		"lb1": {"haproxy": {"proxies": {"galera_cluster": _good}}},
		"lb2": {"haproxy": {"proxies": {"galera_cluster": _good}}},
	}))
}

test_low_without_shutdown_sessions if {
	px := _px([
		_srv("db1", "10.0.0.11", 50, false, ["on-marked-up", "shutdown-backup-sessions"]),
		_srv("db2", "10.0.0.12", 51, true, ["on-marked-down"]),
	])
	fs := hap_006.deny with input as t.with_topology(_one(px))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.key == "galera_cluster/on-marked-down"
}

test_default_server_line_counts if {
	px := object.union(
		_px([
			_srv("db1", "10.0.0.11", 50, false, []),
			_srv("db2", "10.0.0.12", 51, true, []),
		]),
		{"directives": [{"keyword": "default-server", "args": ["on-marked-down", "shutdown-sessions", "on-marked-up", "shutdown-backup-sessions"], "negated": false, "line": 45, "file": _cfg}]},
	)
	count(hap_006.deny) == 0 with input as t.with_topology(_one(px))
}

test_info_without_failback if {
	px := _px([
		_srv("db1", "10.0.0.11", 50, false, ["on-marked-down", "shutdown-sessions"]),
		_srv("db2", "10.0.0.12", 51, true, ["on-marked-down", "shutdown-sessions"]),
	])
	fs := hap_006.deny with input as t.with_topology(_one(px))
	count(fs) == 1
	some f in fs
	f.severity == "info"
	f.key == "galera_cluster/fail-back"
}

test_quiet_on_good if {
	count(hap_006.deny) == 0 with input as t.with_topology(_one(_good))
}

test_skip_without_servers_and_frontends if {
	fe := {"type": "frontend", "file": _cfg, "line": 10, "service": "mysql", "role": "db", "options": {}, "servers": []}
	be := object.union(_px([]), {"type": "backend"})
	count(hap_006.deny) == 0 with input as t.with_topology(_in({"lb1": {"haproxy": {"proxies": {"db_front": fe, "db_back": be}}}}))
}

test_quiet_on_api_proxies if {
	px := object.union(
		_px([
			_srv("ctl1", "10.0.0.11", 50, false, []),
			_srv("ctl2", "10.0.0.12", 51, false, []),
		]),
		{"role": "api", "service": "nova-api"},
	)
	count(hap_006.deny) == 0 with input as t.with_topology(_one(px))
}
