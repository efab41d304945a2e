package oscfg.rules.gen_003_test

import data.oscfg.rules.gen_003
import data.oscfg.testing as t

_opt(k, v, line) := {"value": v, "set": line > 0, "line": line, "key": k}

_ks(pool, exp, mak, servers) := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {"database": {"line": 9, "keys": {}}, "token": {"line": 30, "keys": {}}, "cache": {"line": 4, "keys": {}}},
	"options": {
		"database": {
			"connection_recycle_time": _opt("connection_recycle_time", 600, 11),
			"max_pool_size": pool,
			"max_overflow": _opt("max_overflow", 50, 0),
		},
		"cache": {"memcache_servers": servers},
		"oslo_messaging_rabbit": {"heartbeat_timeout_threshold": _opt("heartbeat_timeout_threshold", 60, 0), "heartbeat_rate": _opt("heartbeat_rate", 3, 20)},
		"token": {"provider": _opt("provider", "fernet", 31), "expiration": exp},
		"fernet_tokens": {"max_active_keys": mak},
	},
}

_std := _ks(_opt("max_pool_size", 5, 12), _opt("expiration", 3600, 32), _opt("max_active_keys", 5, 35), _opt("memcache_servers", "10.0.0.1:11211,10.0.0.2:11211", 6))

_in(files) := {"release": {"name": "zed", "index": 26}, "hosts": {h: {"files": {"/etc/keystone/keystone.conf": f}} | some h, f in files}}

test_quiet_when_identical if {
	count(gen_003.deny) == 0 with input as t.with_topology(_in({"ctl1": _std, "ctl2": _std, "ctl3": _std}))
}

test_minority_reported_once_with_related if {
	odd := json.patch(_std, [{"op": "replace", "path": "/options/database/max_pool_size", "value": _opt("max_pool_size", 20, 12)}])
	fs := gen_003.deny with input as t.with_topology(_in({"ctl1": _std, "ctl2": odd, "ctl3": _std}))
	count(fs) == 1
	some f in fs
	f.host == "ctl2"
	f.line == 12
	f.cluster != ""
	f.key == "/etc/keystone/keystone.conf/node/database/max_pool_size"
	not "severity" in object.keys(f)
	f.related == [
		{"host": "ctl1", "file": "/etc/keystone/keystone.conf", "line": 12, "note": "[database] max_pool_size = 5 on ctl1"},
		{"host": "ctl3", "file": "/etc/keystone/keystone.conf", "line": 12, "note": "[database] max_pool_size = 5 on ctl3"},
	]
	contains(f.message, "differs between the 3 node hosts of cluster")
	contains(f.message, ": 20 on ctl2; 5 on ctl1, ctl3;")
}

# Many hosts: still one finding, and the message names only a few.
test_many_hosts_one_finding if {
	odd := json.patch(_std, [{"op": "replace", "path": "/options/database/max_pool_size", "value": _opt("max_pool_size", 20, 12)}])
	files := object.union({sprintf("ctl%02d", [i]): _std | some i in numbers.range(1, 20)}, {"odd": odd})
	fs := gen_003.deny with input as t.with_topology(_in(files))
	count(fs) == 1
	some f in fs
	f.host == "odd"
	count(f.related) == 20
	contains(f.message, "5 on ctl01, ctl02, ctl03 and 17 more")
}

test_unset_default_vs_set_value if {
	# ctl2 leaves expiration unset (3600) while the others set 7200.
	a := json.patch(_std, [{"op": "replace", "path": "/options/token/expiration", "value": _opt("expiration", 7200, 32)}])
	b := json.patch(_std, [{"op": "replace", "path": "/options/token/expiration", "value": _opt("expiration", 3600, 0)}])
	fs := gen_003.deny with input as t.with_topology(_in({"ctl1": a, "ctl2": b, "ctl3": a}))
	count(fs) == 1
	some f in fs
	f.host == "ctl2"
	f.line == 30
	contains(f.message, "(unset on ctl2: the default)")
}

test_two_hosts_tie_reported_once if {
	odd := json.patch(_std, [{"op": "replace", "path": "/options/fernet_tokens/max_active_keys", "value": _opt("max_active_keys", 3, 0)}])
	fs := gen_003.deny with input as t.with_topology(_in({"ctl1": _std, "ctl2": odd}))
	count(fs) == 1
	some f in fs
	{f.host} | {r.host | some r in f.related} == {"ctl1", "ctl2"}
}

test_keystone_memcache_left_to_ks_005 if {
	odd := json.patch(_std, [{"op": "replace", "path": "/options/cache/memcache_servers", "value": _opt("memcache_servers", "10.0.0.2:11211,10.0.0.1:11211", 6)}])
	count(gen_003.deny) == 0 with input as t.with_topology(_in({"ctl1": _std, "ctl2": odd}))
}

test_spaces_in_lists_ignored if {
	odd := json.patch(_std, [{"op": "replace", "path": "/options/cache/memcache_servers", "value": _opt("memcache_servers", "10.0.0.1:11211, 10.0.0.2:11211", 6)}])
	count(gen_003.deny) == 0 with input as t.with_topology(_in({"ctl1": _std, "ctl2": odd}))
}

test_different_paths_not_compared if {
	odd := json.patch(_std, [
		{"op": "replace", "path": "/options/database/max_pool_size", "value": _opt("max_pool_size", 20, 12)},
		{"op": "replace", "path": "/path", "value": "/etc/kolla/keystone/keystone.conf"},
	])
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": _std}}, "ctl2": {"files": {"/etc/kolla/keystone/keystone.conf": odd}}}}
	count(gen_003.deny) == 0 with input as t.with_topology(inp)
}

_nova(extra, pool) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": extra,
	"options": {"database": {"max_pool_size": pool}},
}

test_nova_controllers_and_computes_apart if {
	ctl := _nova({"database": {"line": 5, "keys": {}}}, _opt("max_pool_size", 10, 6))
	cmp := _nova({"libvirt": {"line": 5, "keys": {}}}, _opt("max_pool_size", 5, 0))
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {
		"ctl1": {"files": {"/etc/nova/nova.conf": json.patch(ctl, [{"op": "add", "path": "/options/database/connection", "value": _opt("connection", "mysql+pymysql://nova:****@vip/nova", 6)}])}},
		"cmp1": {"files": {"/etc/nova/nova.conf": cmp}},
	}}
	count(gen_003.deny) == 0 with input as t.with_topology(inp)
}

_f := "/etc/my.cnf.d/galera.cnf"

_o(v, line) := {"value": v, "has_value": true, "file": _f, "line": line, "group": "mysqld"}

_db(maxc) := {"mysql": {"files": [_f], "server": object.union({"wsrep_on": _o("ON", 2), "wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 3)}, maxc), "wsrep_provider_options": {}}}

test_galera_max_connections_drift if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {
		"db1": _db({"max_connections": _o("4096", 7)}),
		"db2": _db({"max_connections": _o("4096", 7)}),
		"db3": _db({}),
	}}
	fs := gen_003.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db3"
	f.line == 3
	f.key == "mysqld/max_connections"
	contains(f.message, "max_connections unset (default 151)")
	[r.host | some r in f.related] == ["db1", "db2"]
}

test_compute_with_db_credentials_stays_compute if {
	ctl := _nova({"database": {"line": 5, "keys": {}}, "conductor": {"line": 9, "keys": {}}}, _opt("max_pool_size", 10, 6))
	cmp := _nova({"libvirt": {"line": 5, "keys": {}}, "database": {"line": 7, "keys": {}}}, _opt("max_pool_size", 5, 0))
	conn := {"op": "add", "path": "/options/database/connection", "value": _opt("connection", "mysql+pymysql://nova:****@vip/nova", 8)}
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {
		"ctl1": {"files": {"/etc/nova/nova.conf": json.patch(ctl, [conn])}},
		"cmp1": {"files": {"/etc/nova/nova.conf": json.patch(cmp, [conn])}},
	}}
	count(gen_003.deny) == 0 with input as t.with_topology(inp)
}
