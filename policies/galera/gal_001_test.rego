package oscfg.rules.gal_001_test

import data.oscfg.rules.gal_001
import data.oscfg.testing as t

_f := "/etc/my.cnf.d/galera.cnf"

_o(v, line) := {"value": v, "has_value": true, "file": _f, "line": line, "group": "galera"}

_good := {
	"wsrep_on": _o("ON", 3),
	"wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 4),
	"wsrep_cluster_address": _o("gcomm://10.0.0.1,10.0.0.2,10.0.0.3", 5),
	"binlog_format": _o("ROW", 6),
	"default_storage_engine": _o("InnoDB", 7),
	"innodb_autoinc_lock_mode": _o("2", 8),
	"innodb_doublewrite": _o("1", 9),
}

_in(server) := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": {"mysql": {"files": ["/etc/my.cnf", _f], "server": server, "wsrep_provider_options": {}}}}}

_by_key(fs, k) := [f | some f in fs; f.key == k]

test_quiet_on_good_node if {
	count(gal_001.deny) == 0 with input as t.with_topology(_in(_good))
}

test_quiet_without_provider if {
	s := object.remove(object.union(_good, {"wsrep_on": _o("OFF", 3), "binlog_format": _o("MIXED", 6)}), ["wsrep_provider"])
	count(gal_001.deny) == 0 with input as t.with_topology(_in(s))
}

test_quiet_with_provider_none if {
	s := object.union(_good, {"wsrep_provider": _o("none", 4), "wsrep_on": _o("OFF", 3)})
	count(gal_001.deny) == 0 with input as t.with_topology(_in(s))
}

test_wsrep_on_off_critical if {
	fs := gal_001.deny with input as t.with_topology(_in(object.union(_good, {"wsrep_on": _o("OFF", 3)})))
	count(fs) == 1
	some f in fs
	f.severity == "critical"
	f.line == 3
	f.key == "mysqld/wsrep_on"
	f.fix_class == "manual"
	f.fix == {"op": "set", "host": "db1", "file": _f, "section": "galera", "key": "wsrep_on", "value": "ON"}
}

test_wsrep_on_bare_is_on if {
	count(gal_001.deny) == 0 with input as t.with_topology(_in(object.union(_good, {"wsrep_on": {"value": "", "has_value": false, "file": _f, "line": 3, "group": "galera"}})))
}

test_wsrep_on_unset_critical_inserts_next_to_provider if {
	fs := gal_001.deny with input as t.with_topology(_in(object.remove(_good, ["wsrep_on"])))
	count(fs) == 1
	some f in fs
	f.severity == "critical"
	f.line == 4
	f.fix == {"op": "set", "host": "db1", "file": _f, "section": "galera", "key": "wsrep_on", "value": "ON"}
	contains(f.message, "defaults to OFF")
}

test_binlog_mixed_and_unset_critical if {
	fs := gal_001.deny with input as t.with_topology(_in(object.union(_good, {"binlog_format": _o("mixed", 6)})))
	some f in fs
	f.severity == "critical"
	f.line == 6
	f.fix.value == "ROW"
	fs2 := gal_001.deny with input as t.with_topology(_in(object.remove(_good, ["binlog_format"])))
	some f2 in fs2
	f2.key == "mysqld/binlog_format"
	f2.severity == "critical"
	contains(f2.message, "MIXED")
}

test_binlog_row_lowercase_ok if {
	count(gal_001.deny) == 0 with input as t.with_topology(_in(object.union(_good, {"binlog_format": _o("row", 6)})))
}

test_engine_myisam_high if {
	fs := gal_001.deny with input as t.with_topology(_in(object.union(_good, {"default_storage_engine": _o("MyISAM", 7)})))
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.fix.value == "InnoDB"
}

test_engine_unset_ok if {
	count(gal_001.deny) == 0 with input as t.with_topology(_in(object.remove(_good, ["default_storage_engine"])))
}

test_autoinc_medium_set_and_unset if {
	fs := gal_001.deny with input as t.with_topology(_in(object.union(_good, {"innodb_autoinc_lock_mode": _o("1", 8)})))
	some f in fs
	f.severity == "medium"
	f.line == 8
	f.fix.value == "2"
	fs2 := gal_001.deny with input as t.with_topology(_in(object.remove(_good, ["innodb_autoinc_lock_mode"])))
	count(_by_key(fs2, "mysqld/innodb_autoinc_lock_mode")) == 1
}

test_doublewrite_off_high if {
	fs := gal_001.deny with input as t.with_topology(_in(object.union(_good, {"innodb_doublewrite": _o("0", 9)})))
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.fix.value == "1"
}

test_doublewrite_unset_ok if {
	count(gal_001.deny) == 0 with input as t.with_topology(_in(object.remove(_good, ["innodb_doublewrite"])))
}

test_skip_doublewrite_high_delete if {
	s := object.union(_good, {"skip_innodb_doublewrite": {"value": "", "has_value": false, "file": _f, "line": 10, "group": "mysqld"}})
	fs := gal_001.deny with input as t.with_topology(_in(s))
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.fix.op == "delete"
	f.fix.section == "mysqld"
}

test_everything_wrong if {
	s := {"wsrep_provider": _o("/usr/lib/galera/libgalera_smm.so", 4)}
	fs := gal_001.deny with input as t.with_topology(_in(s))
	{f.key | some f in fs} == {"mysqld/wsrep_on", "mysqld/binlog_format", "mysqld/innodb_autoinc_lock_mode"}
}

# ---- the server decides the defaults (mysql.server_version, from Go)

_sv(name, source, wsrep, binlog, assumed) := {"name": name, "source": source, "why": "test", "assumed": assumed, "wsrep_on_default": wsrep, "xtrabackup_sst": "supported", "binlog_format_default": binlog, "autoinc_lock_mode_default": "1"}

_in_sv(server, sv) := json.patch(_in(server), [{"op": "add", "path": "/hosts/db1/mysql/server_version", "value": sv}])

_unset_on := object.remove(_good, ["wsrep_on"])

# MySQL-wsrep 5.6 (Fuel) and MariaDB Galera 5.5 (early OSP): wsrep_on
# defaults ON, so leaving it unset replicates.
test_wsrep_on_unset_quiet_on_old_galera_servers if {
	every sv in [_sv("MySQL-wsrep 5.6", "setting", "on", "STATEMENT", false), _sv("MariaDB Galera Cluster 5.5", "file", "on", "STATEMENT", false)] {
		fs := gal_001.deny with input as t.with_topology(_in_sv(_unset_on, sv))
		count(_by_key(fs, "mysqld/wsrep_on")) == 0
	}
}

# MariaDB 10.3 assumed: critical, and the message says what was assumed.
test_wsrep_on_unset_critical_names_assumption if {
	fs := gal_001.deny with input as t.with_topology(_in_sv(_unset_on, _sv("MariaDB 10.3 or later", "default", "off", "MIXED", true)))
	some f in _by_key(fs, "mysqld/wsrep_on")
	f.severity == "critical"
	contains(f.message, "MariaDB 10.3 or later, assumed")
}

# Unknown server (signs of an older one): medium, set it explicitly.
test_wsrep_on_unset_unknown_server_medium if {
	fs := gal_001.deny with input as t.with_topology(_in_sv(_unset_on, _sv("unknown", "sst", "unknown", "", false)))
	some f in _by_key(fs, "mysqld/wsrep_on")
	f.severity == "medium"
	contains(f.message, "MariaDB 10.1 and later default it OFF")
	contains(f.message, "mysql_server")
}

# Explicitly OFF is critical on any server.
test_wsrep_on_off_critical_on_old_server if {
	s := object.union(_good, {"wsrep_on": _o("OFF", 3)})
	fs := gal_001.deny with input as t.with_topology(_in_sv(s, _sv("MySQL-wsrep 5.6", "setting", "on", "STATEMENT", false)))
	some f in _by_key(fs, "mysqld/wsrep_on")
	f.severity == "critical"
}

# binlog_format unset on MySQL 5.7 (default ROW) is fine; on 5.6 it is STATEMENT.
test_binlog_unset_by_server_default if {
	s := object.remove(_good, ["binlog_format"])
	count(_by_key(gal_001.deny, "mysqld/binlog_format")) == 0 with input as t.with_topology(_in_sv(s, _sv("Percona XtraDB Cluster 5.7", "setting", "on", "ROW", false)))
	some f in _by_key(gal_001.deny, "mysqld/binlog_format") with input as t.with_topology(_in_sv(s, _sv("MySQL-wsrep 5.6", "setting", "on", "STATEMENT", false)))
	contains(f.message, "STATEMENT")
	contains(f.message, "MySQL-wsrep 5.6")
}

# Real option files (oscfg.fleet): my.cnf's !includedir, the [galera]
# group, dashes and underscores, and the server the files suggest are the
# loader's, not the test's.
_my_cnf := "[client-server]\n\n!includedir /etc/my.cnf.d\n"

_galera_cnf(binlog) := concat("", [`[mysqld]
bind-address = 10.0.0.11
binlog-format = `, binlog, `
default-storage-engine = innodb
innodb_autoinc_lock_mode = 2

[galera]
wsrep_on = ON
wsrep_provider = /usr/lib64/galera-4/libgalera_smm.so
wsrep_cluster_address = "gcomm://10.0.0.11,10.0.0.12,10.0.0.13"
`])

test_real_text_fires_on_mixed_binlog if {
	fs := gal_001.deny with input as oscfg.fleet({
		"db1:/etc/my.cnf": _my_cnf,
		"db1:/etc/my.cnf.d/galera.cnf": _galera_cnf("MIXED"),
	})
	[[f.file, f.line, f.severity] | some f in _by_key(fs, "mysqld/binlog_format")] == [["/etc/my.cnf.d/galera.cnf", 3, "critical"]]
}

test_real_text_quiet_on_row if {
	inp := oscfg.fleet({
		"db1:/etc/my.cnf": _my_cnf,
		"db1:/etc/my.cnf.d/galera.cnf": _galera_cnf("ROW"),
	})
	"db1" in data.oscfg.lib.gal_nodes with input as inp
	count(_by_key(gal_001.deny, "mysqld/binlog_format")) == 0 with input as inp
}
