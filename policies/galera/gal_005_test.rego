package oscfg.rules.gal_005_test

import data.oscfg.rules.gal_005
import data.oscfg.testing as t

_f := "/etc/my.cnf.d/galera.cnf"

_o(v, line) := {"value": v, "has_value": true, "file": _f, "line": line, "group": "mysqld"}

_galera(flush) := {"mysql": {"files": [_f], "server": object.union(
	{"wsrep_on": _o("ON", 2), "wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 3)},
	_flush(flush),
), "wsrep_provider_options": {}}}

_flush("") := {}

_flush(v) := {"innodb_flush_log_at_trx_commit": _o(v, 9)} if v != ""

_in(hosts) := {"release": {"name": "zed", "index": 26}, "hosts": hosts}

test_quiet_on_consistent_zero if {
	count(gal_005.deny) == 0 with input as t.with_topology(_in({"db1": _galera("0"), "db2": _galera("0"), "db3": _galera("0")}))
}

test_quiet_on_consistent_two if {
	count(gal_005.deny) == 0 with input as t.with_topology(_in({"db1": _galera("2"), "db2": _galera("2")}))
}

test_standalone_relaxed_medium if {
	h := {"mysql": {"files": [_f], "server": {"innodb_flush_log_at_trx_commit": _o("2", 9), "max_connections": _o("500", 4)}, "wsrep_provider_options": {}}}
	fs := gal_005.deny with input as t.with_topology(_in({"db1": h}))
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 9
	f.fix == {"op": "set", "host": "db1", "file": _f, "section": "mysqld", "key": "innodb_flush_log_at_trx_commit", "value": "1"}
	f.fix_class == "manual"
}

test_wsrep_off_counts_as_standalone if {
	h := json.patch(_galera("0"), [{"op": "replace", "path": "/mysql/server/wsrep_on/value", "value": "OFF"}])
	fs := gal_005.deny with input as t.with_topology(_in({"db1": h}))
	some f in fs
	f.severity == "medium"
}

test_standalone_default_quiet if {
	h := {"mysql": {"files": [_f], "server": {"max_connections": _o("500", 4)}, "wsrep_provider_options": {}}}
	count(gal_005.deny) == 0 with input as t.with_topology(_in({"db1": h}))
}

test_differs_low_on_minority if {
	fs := gal_005.deny with input as t.with_topology(_in({"db1": _galera("0"), "db2": _galera("0"), "db3": _galera("2")}))
	count(fs) == 1
	some f in fs
	f.host == "db3"
	f.severity == "low"
	f.key == "mysqld/innodb_flush_log_at_trx_commit/consistency"
	[r.host | some r in f.related] == ["db1", "db2"]
}

test_one_on_galera_info_and_drift if {
	fs := gal_005.deny with input as t.with_topology(_in({"db1": _galera("0"), "db2": _galera("0"), "db3": _galera("")}))
	infos := [f | some f in fs; f.severity == "info"]
	count(infos) == 1
	infos[0].host == "db3"
	infos[0].line == 3
	contains(infos[0].message, "unset (MariaDB default 1)")
	lows := [f | some f in fs; f.severity == "low"]
	count(lows) == 1
	lows[0].host == "db3"
}

# On a server whose wsrep_on defaults ON (MySQL-wsrep 5.6), a node with a
# provider and no wsrep_on replicates: Galera, not stand-alone.
test_unset_wsrep_on_old_server_is_galera if {
	n := json.patch(_galera("0"), [
		{"op": "remove", "path": "/mysql/server/wsrep_on"},
		{"op": "add", "path": "/mysql/server_version", "value": {"name": "MySQL-wsrep 5.6", "source": "setting", "why": "test", "assumed": false, "wsrep_on_default": "on"}},
	])
	fs := gal_005.deny with input as t.with_topology(_in({"db1": n}))
	count(fs) == 0
}

test_unset_wsrep_on_mariadb_is_standalone if {
	n := json.patch(_galera("0"), [{"op": "remove", "path": "/mysql/server/wsrep_on"}])
	some f in gal_005.deny with input as t.with_topology(_in({"db1": n}))
	f.severity == "medium"
}
