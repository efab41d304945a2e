package oscfg.rules.db_003_test

import data.oscfg.rules.db_003
import data.oscfg.testing as t

_o(v) := {"value": v, "set": true, "line": 7, "key": "x"}

_d(v) := {"value": v, "set": false, "line": 0, "key": "x"}

_db(pool, overflow) := {
	"connection": {"value": "mysql+pymysql://nova:****@192.168.1.10/nova", "set": true, "line": 20, "key": "connection"},
	"max_pool_size": pool, "max_overflow": overflow,
}

_nodb := {"connection": {"value": null, "set": false, "line": 0, "key": "connection"}, "max_pool_size": _d(5), "max_overflow": _d(50)}

# A nova.conf of a controller: 4 API + 2 metadata + 4 conductor + 2 scheduler
# workers, [database] and [api_database] each 5 + 10.
_nova(workers) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"DEFAULT": {"line": 1, "keys": {"osapi_compute_workers": {"value": "4", "line": 7}}}, "conductor": {"line": 27, "keys": {}}},
	"options": {
		"DEFAULT": {
			"enabled_apis": _d("osapi_compute,metadata"),
			"osapi_compute_workers": workers[0], "metadata_workers": workers[1],
		},
		"conductor": {"workers": workers[2]},
		"scheduler": {"workers": workers[3]},
		"database": _db(_o(5), _o(10)),
		"api_database": _db(_o(5), _o(10)),
	},
}

_all_set := [_o(4), _o(2), _o(4), _o(2)]

_keystone := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {}, "options": {"database": _db(_o(5), _o(10))},
}

_mysql(maxconn) := {"files": ["/etc/mysql/my.cnf", "/etc/mysql/conf.d/galera.cnf"], "server": object.union(
	{"wsrep_cluster_address": {"value": "gcomm://10.0.0.21,10.0.0.22", "file": "/etc/mysql/conf.d/galera.cnf", "line": 5, "group": "galera"}},
	_mc(maxconn),
)}

_mc(null) := {}

_mc(v) := {"max_connections": {"value": v, "file": "/etc/mysql/conf.d/galera.cnf", "line": 9, "group": "galera"}} if v != null

_in(ctls, dbs) := {"release": {"name": "zed", "index": 26}, "hosts": object.union(
	{h: {"name": h, "files": files} | some h, files in ctls},
	{h: {"name": h, "files": {}, "mysql": _mysql(mc)} | some h, mc in dbs},
)}

_ctl(nova) := {"/etc/nova/nova.conf": nova, "/etc/keystone/keystone.conf": _keystone}

# Each controller: nova 12 processes x (5 + 5) = 120 steady, x 30 = 360 peak;
# keystone 1 x 5 = 5 steady, 15 peak.
test_high_when_steady_exceeds if {
	inp := _in({"ctl1": _ctl(_nova(_all_set)), "ctl2": _ctl(_nova(_all_set))}, {"db1": "200"})
	fs := db_003.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db1"
	f.file == "/etc/mysql/conf.d/galera.cnf"
	f.line == 9
	f.severity == "high"
	f.key == "mysqld/max_connections"
	contains(f.message, "max_connections = 200")
	contains(f.message, "250 connections open at steady state")
	contains(f.message, "750 at peak")
	contains(f.message, "26 processes on 2 hosts")
	count(f.related) == 4
	some r in f.related
	r.note == "nova: 12 process(es) x [api_database] 5+10 + [database] 5+10 = 120 steady / 360 peak"
	not contains(f.message, "are unset")
}

test_medium_when_only_peak_exceeds if {
	inp := _in({"ctl1": _ctl(_nova(_all_set)), "ctl2": _ctl(_nova(_all_set))}, {"db1": "500"})
	some f in db_003.deny with input as t.with_topology(inp)
	f.severity == "medium"
	not contains(f.message, "steady state")
}

test_quiet_with_enough_connections if {
	inp := _in({"ctl1": _ctl(_nova(_all_set)), "ctl2": _ctl(_nova(_all_set))}, {"db1": "4096"})
	count(db_003.deny) == 0 with input as t.with_topology(inp)
}

test_suffix_parsed if {
	inp := _in({"ctl1": _ctl(_nova(_all_set)), "ctl2": _ctl(_nova(_all_set))}, {"db1": "1K"})
	count(db_003.deny) == 0 with input as t.with_topology(inp)
}

test_high_when_unset_with_two_controllers if {
	# Unset worker counts count as 1: nova 4 processes x 10 = 40 steady,
	# 4 x 30 = 120 peak per controller, keystone 5 / 15.
	unset := [_d(null), _d(null), _d(null), _d(null)]
	inp := _in({"ctl1": _ctl(_nova(unset)), "ctl2": _ctl(_nova(unset))}, {"db1": null})
	fs := db_003.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.line == 5
	contains(f.message, "max_connections unset (MariaDB default 151)")
	contains(f.message, "while 2 controllers use the cluster")
	contains(f.message, "270 at peak")
	contains(f.message, "8 nova worker count(s) are unset")
	not contains(f.message, "steady state (")
}

test_unset_single_controller_only_peak if {
	inp := _in({"ctl1": _ctl(_nova(_all_set))}, {"db1": null})
	some f in db_003.deny with input as t.with_topology(inp)
	f.severity == "medium"
	contains(f.message, "375 at peak")
	not contains(f.message, "controllers use the cluster")
}

test_enabled_apis_limits_workers if {
	n := json.patch(_nova(_all_set), [{"op": "replace", "path": "/options/DEFAULT/enabled_apis", "value": _o("metadata")}])
	inp := _in({"ctl1": {"/etc/nova/nova.conf": n}}, {"db1": "100"})
	some f in db_003.deny with input as t.with_topology(inp)

	# 2 metadata + 4 conductor + 2 scheduler = 8 processes x 10 = 80 steady, x 30 = 240 peak
	contains(f.message, "8 processes on 1 hosts: 80 steady, 240 peak")
}

test_compute_only_host_skipped if {
	compute := {
		"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
		"sections": {"DEFAULT": {"line": 1, "keys": {}}, "libvirt": {"line": 30, "keys": {}}},
		"options": {
			"DEFAULT": {"enabled_apis": _d("osapi_compute,metadata"), "osapi_compute_workers": _d(null), "metadata_workers": _d(null)},
			"conductor": {"workers": _d(null)}, "scheduler": {"workers": _d(null)},
			"database": _db(_o(5), _o(1000)), "api_database": _nodb,
		},
	}
	inp := _in({"ctl1": _ctl(_nova(_all_set)), "cmp1": {"/etc/nova/nova.conf": compute}}, {"db1": "400"})
	count(db_003.deny) == 0 with input as t.with_topology(inp)
}

test_unbounded_pool_medium if {
	n := json.patch(_nova(_all_set), [{"op": "replace", "path": "/options/database/max_overflow", "value": {"value": -1, "set": true, "line": 33, "key": "max_overflow"}}])
	inp := _in({"ctl1": {"/etc/nova/nova.conf": n}}, {"db1": "4096"})
	fs := db_003.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	f.line == 33
	f.severity == "medium"
	f.key == "database/max_overflow"
	contains(f.message, "max_overflow = -1")
}

test_unbounded_group_left_out_of_totals if {
	n := json.patch(_nova(_all_set), [{"op": "replace", "path": "/options/database/max_overflow", "value": {"value": -1, "set": true, "line": 33, "key": "max_overflow"}}])
	inp := _in({"ctl1": {"/etc/nova/nova.conf": n}}, {"db1": "100"})
	some f in db_003.deny with input as t.with_topology(inp)
	f.host == "db1"

	# 12 processes x [api_database] 5+10 only
	contains(f.message, "60 steady, 180 peak")
	f.related[0].note == "nova: 12 process(es) x [api_database] 5+10 = 60 steady / 180 peak; unlimited [database] not counted"
}

test_unbounded_pool_size_zero if {
	n := json.patch(_nova(_all_set), [{"op": "replace", "path": "/options/api_database/max_pool_size", "value": {"value": 0, "set": true, "line": 15, "key": "max_pool_size"}}])
	inp := _in({"ctl1": {"/etc/nova/nova.conf": n}}, {"db1": "4096"})
	some f in db_003.deny with input as t.with_topology(inp)
	f.key == "api_database/max_pool_size"
}

test_low_on_galera_drift if {
	inp := _in({"ctl1": _ctl(_nova(_all_set))}, {"db1": "4096", "db2": "2048"})
	fs := db_003.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db2"
	f.severity == "low"
	contains(f.message, "other Galera nodes allow up to 4096")
}

# Three Galera nodes with one limit: one finding, the other nodes first
# among the related locations.
test_one_finding_for_nodes_alike if {
	inp := _in({"ctl1": _ctl(_nova(_all_set))}, {"db1": "100", "db2": "100", "db3": "100"})
	fs := db_003.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db1"
	f.severity == "high"
	contains(f.message, "max_connections = 100 on the 3 DB nodes db1, db2, db3:")
	[r.host | some r in f.related] == ["db2", "db3", "ctl1", "ctl1"]
}

test_quiet_without_db_clients_or_nodes if {
	count(db_003.deny) == 0 with input as t.with_topology(_in({"ctl1": _ctl(_nova(_all_set))}, {}))
	count(db_003.deny) == 0 with input as t.with_topology(_in({}, {"db1": null}))
}

test_sqlite_not_counted if {
	n := json.patch(_nova(_all_set), [
		{"op": "replace", "path": "/options/database/connection/value", "value": "sqlite:////var/lib/nova/nova.sqlite"},
		{"op": "replace", "path": "/options/api_database", "value": _nodb},
	])
	count(db_003.deny) == 0 with input as t.with_topology(_in({"ctl1": {"/etc/nova/nova.conf": n}, "ctl2": {"/etc/nova/nova.conf": n}}, {"db1": "10"}))
}
