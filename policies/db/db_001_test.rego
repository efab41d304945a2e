package oscfg.rules.db_001_test

import data.oscfg.rules.db_001
import data.oscfg.testing as t

_ks(recycle) := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {"database": {"line": 5, "keys": {}}},
	"options": {"database": {
		"connection": {"value": "mysql+pymysql://keystone:****@db/keystone", "set": true, "line": 6, "key": "connection"},
		"connection_recycle_time": recycle,
	}},
}

_set(v) := {"value": v, "set": true, "line": 7, "key": "connection_recycle_time"}

_default := {"value": 3600, "set": false, "line": 0, "key": "connection_recycle_time"}

_db(wait) := {"files": ["/etc/my.cnf", "/etc/my.cnf.d/galera.cnf"], "server": {
	"wsrep_provider": {"value": "/usr/lib/galera/libgalera_smm.so", "file": "/etc/my.cnf.d/galera.cnf", "line": 3, "group": "mysqld"},
	"wait_timeout": {"value": wait, "file": "/etc/my.cnf.d/galera.cnf", "line": 9, "group": "mysqld"},
}}

_db_nowait := {"files": ["/etc/my.cnf", "/etc/my.cnf.d/galera.cnf"], "server": {
	"wsrep_provider": {"value": "/usr/lib/galera/libgalera_smm.so", "file": "/etc/my.cnf.d/galera.cnf", "line": 3, "group": "mysqld"},
}}

_in(conf, db) := {
	"release": {"name": "zed", "index": 26},
	"hosts": {
		"ctl1": {"files": {"/etc/keystone/keystone.conf": conf}},
		"db1": {"mysql": db},
	},
}

_dblb(ms) := {
	"type": "listen", "file": "/etc/haproxy/haproxy.cfg", "line": 40, "role": "db", "service": "mysql", "name": "galera",
	"binds": [{"addr": "db", "port": 3306, "file": "/etc/haproxy/haproxy.cfg", "line": 41}],
	"servers": [{"name": "db1", "addr": "10.0.0.21", "port": 3306, "file": "/etc/haproxy/haproxy.cfg", "line": 42}],
	"timeouts": {
		"client": {"ms": ms, "file": "/etc/haproxy/haproxy.cfg", "line": 3, "inherited": true},
		"server": {"ms": ms, "file": "/etc/haproxy/haproxy.cfg", "line": 4, "inherited": true},
	},
}

test_high_default_recycle_vs_wait_600 if {
	fs := db_001.deny with input as t.with_topology(_in(_ks(_default), _db("600")))
	count(fs) == 1
	some f in fs
	not f.severity
	f.host == "ctl1"
	f.line == 5 # section header: the option is not set
	f.key == "database/connection_recycle_time"
	f.related == [{"host": "db1", "file": "/etc/my.cnf.d/galera.cnf", "line": 9, "note": "wait_timeout = 600"}]
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "database", "key": "connection_recycle_time", "value": "540"}
}

test_high_fix_respects_haproxy_db_listener if {
	inp := object.union(_in(_ks(_set(7200)), _db("3600")), {"hosts": {"lb1": {"haproxy": {"proxies": {"galera": _dblb(60000)}}}}})
	some f in db_001.deny with input as t.with_topology(inp)
	f.line == 7
	f.fix.value == "54"
}

test_high_takes_min_wait_across_nodes if {
	inp := object.union(_in(_ks(_set(1000)), _db("28800")), {"hosts": {"db2": {"mysql": _db("900")}}})
	fs := db_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.related == [{"host": "db2", "file": "/etc/my.cnf.d/galera.cnf", "line": 9, "note": "wait_timeout = 900"}]
	f.fix.value == "810"
}

test_info_on_equal if {
	some f in db_001.deny with input as t.with_topology(_in(_ks(_set(600)), _db("600")))
	f.severity == "info"
	f.line == 7
	not f.fix
}

test_medium_on_tiny_wait_timeout if {
	fs := db_001.deny with input as t.with_topology(_in(_ks(_set(10)), _db("30")))
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.host == "db1"
	f.file == "/etc/my.cnf.d/galera.cnf"
	f.line == 9
}

test_quiet_below_default_wait if {
	count(db_001.deny) == 0 with input as t.with_topology(_in(_ks(_set(3600)), _db_nowait))
}

test_defaulted_wait_related if {
	some f in db_001.deny with input as t.with_topology(_in(_ks(_set(30000)), _db_nowait))
	f.related == [{"host": "db1", "file": "/etc/my.cnf", "line": 1, "note": "wait_timeout unset (MariaDB default 28800)"}]
	f.fix.value == "25920"
}

test_quiet_recycle_below_wait if {
	count(db_001.deny) == 0 with input as t.with_topology(_in(_ks(_set(600)), _db("28800")))
}

test_quiet_without_db_hosts if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": _ks(_default)}}}}
	count(db_001.deny) == 0 with input as t.with_topology(inp)
}

test_quiet_without_connection if {
	conf := json.patch(_ks(_default), [{"op": "replace", "path": "/options/database/connection/set", "value": false}])
	count(db_001.deny) == 0 with input as t.with_topology(_in(conf, _db("600")))
}

test_nova_api_database if {
	nova := {
		"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
		"sections": {"database": {"line": 20, "keys": {}}, "api_database": {"line": 30, "keys": {}}},
		"options": {
			"database": {"connection": {"value": "x", "set": true, "line": 21, "key": "connection"}, "connection_recycle_time": {"value": 300, "set": true, "line": 22, "key": "connection_recycle_time"}},
			"api_database": {"connection": {"value": "x", "set": true, "line": 31, "key": "connection"}, "connection_recycle_time": _default},
		},
	}
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": nova}}, "db1": {"mysql": _db("600")}}}
	fs := db_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.key == "api_database/connection_recycle_time"
	f.line == 30
	f.fix.section == "api_database"
}

test_legacy_idle_timeout_defers_fix if {
	conf := json.patch(_ks(_default), [{"op": "add", "path": "/sections/database/keys/idle_timeout", "value": {"value": "500", "line": 8}}])
	fs := db_001.deny with input as t.with_topology(_in(conf, _db("600")))
	count(fs) == 1
	some f in fs
	not f.severity
	not f.fix
	contains(f.message, "the ignored [database] idle_timeout = 500 is renamed first")
}

test_pre_queens_fix_sets_idle_timeout if {
	conf := _ks({"value": 3600, "set": true, "line": 8, "key": "idle_timeout"})
	inp := json.patch(_in(conf, _db("600")), [{"op": "replace", "path": "/release", "value": {"name": "mitaka", "index": 13}}])
	some f in db_001.deny with input as t.with_topology(inp)
	f.line == 8
	f.fix.key == "idle_timeout"
	f.fix.value == "540"
}

# -1 (any negative value) disables SQLAlchemy's pool_recycle: connections
# are never replaced, however long the server's wait_timeout.
test_negative_never_recycles_high if {
	some v in [-1, -5]
	fs := db_001.deny with input as t.with_topology(_in(_ks(_set(v)), _db("28800")))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 7
	contains(f.message, "never recycles")
	contains(f.message, "wait_timeout 28800")
	f.fix.value == "25920"
}

# Negative with no DB node known: still never recycles; the fix needs a limit.
test_negative_without_db_nodes_still_reported if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": _ks(_set(-1))}}}}
	fs := db_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	contains(f.message, "never recycles")
	not f.fix
}

# 0 replaces every pooled connection at each checkout: never stale, but a
# new connection (TCP, TLS, auth) per checkout.
test_zero_reconnects_every_checkout_low if {
	fs := db_001.deny with input as t.with_topology(_in(_ks(_set(0)), _db("600")))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	contains(f.message, "every checkout")
	not f.fix
	f.fix_class == "manual"
}

test_positive_below_wait_quiet if {
	count(db_001.deny) == 0 with input as t.with_topology(_in(_ks(_set(300)), _db("600")))
}

# A fleet mid-upgrade, one cluster: the same too-long recycle time on a
# Pike and a Queens keystone. The fix writes the name each host's oslo.db
# reads: idle_timeout on Pike, connection_recycle_time from Queens on.
test_mixed_fleet_fix_names_per_host if {
	doc := {"release": {"name": "pike", "index": 16, "source": "hosts"}, "hosts": {
		"ks-pike": {"files": {"/etc/keystone/keystone.conf": _ks(_default)}},
		"ks-queens": {"files": {"/etc/keystone/keystone.conf": _ks(_default)}},
		"db1": {"mysql": _db("600")},
	}}
	inp := t.mixed_fleet(doc, {"ks-pike": "pike", "ks-queens": "queens", "db1": "queens"})
	t.one_cluster(inp, ["ks-pike", "ks-queens", "db1"])
	fs := db_001.deny with input as inp
	{[x.host, x.fix.key] | some x in fs} == {["ks-pike", "idle_timeout"], ["ks-queens", "connection_recycle_time"]}
}
