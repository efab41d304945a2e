package oscfg.rules.gal_003_test

import data.oscfg.rules.gal_003
import data.oscfg.testing as t

_f := "/etc/my.cnf.d/galera.cnf"

_o(v, line) := {"value": v, "has_value": true, "file": _f, "line": line, "group": "galera"}

_node(sst) := {"mysql": {"files": [_f], "server": _server(sst), "wsrep_provider_options": {}}}

_server(sst) := {"wsrep_on": _o("ON", 2), "wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 3), "wsrep_sst_method": _o(sst, 8)} if sst != ""

_server("") := {"wsrep_on": _o("ON", 2), "wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 3)}

_in(a, b, c) := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": _node(a), "db2": _node(b), "db3": _node(c)}}

test_quiet_on_mariabackup_everywhere if {
	count(gal_003.deny) == 0 with input as t.with_topology(_in("mariabackup", "mariabackup", "mariabackup"))
}

test_rsync_medium_on_each if {
	fs := gal_003.deny with input as t.with_topology(_in("rsync", "rsync", "rsync"))
	count(fs) == 3
	every f in fs {
		f.severity == "medium"
		f.line == 8
		f.key == "mysqld/wsrep_sst_method"
		f.fix_class == "manual"
		f.fix.value == "mariabackup"
	}
}

test_unset_is_rsync_medium if {
	fs := gal_003.deny with input as t.with_topology(_in("", "", ""))
	count(fs) == 3
	some f in fs
	f.line == 3
	contains(f.message, "unset (MariaDB default rsync)")
	f.fix == {"op": "set", "host": f.host, "file": _f, "section": "galera", "key": "wsrep_sst_method", "value": "mariabackup"}
}

test_xtrabackup_high if {
	fs := gal_003.deny with input as t.with_topology(_in("xtrabackup-v2", "xtrabackup-v2", "xtrabackup-v2"))
	count(fs) == 3
	every f in fs {
		f.severity == "high"
		contains(f.message, "10.3")
	}
}

test_drift_high_on_minority if {
	fs := gal_003.deny with input as t.with_topology(_in("mariabackup", "mysqldump", "mariabackup"))
	drift := [f | some f in fs; f.key == "mysqld/wsrep_sst_method/consistency"]
	count(drift) == 1
	drift[0].host == "db2"
	drift[0].severity == "high"
	[r.host | some r in drift[0].related] == ["db1", "db3"]
	blocking := [f | some f in fs; f.key == "mysqld/wsrep_sst_method"]
	count(blocking) == 1
	blocking[0].severity == "medium"
}

test_unset_equals_rsync_no_drift if {
	fs := gal_003.deny with input as t.with_topology(_in("", "rsync", "rsync"))
	count([f | some f in fs; f.key == "mysqld/wsrep_sst_method/consistency"]) == 0
}

# ---- xtrabackup works on the servers before MariaDB 10.3

_with_sv(inp, xb) := {"release": inp.release, "hosts": {h: json.patch(n, [{"op": "add", "path": "/mysql/server_version", "value": {"name": _sv_name[xb], "source": "setting", "why": "test", "assumed": xb == "unsupported", "wsrep_on_default": "on", "xtrabackup_sst": xb, "binlog_format_default": "ROW"}}]) | some h, n in inp.hosts}}

_sv_name := {"supported": "Percona XtraDB Cluster 5.7", "unsupported": "MariaDB 10.3 or later", "unknown": "unknown"}

test_xtrabackup_quiet_on_pxc if {
	fs := gal_003.deny with input as t.with_topology(_with_sv(_in("xtrabackup-v2", "xtrabackup-v2", "xtrabackup-v2"), "supported"))
	count(fs) == 0
}

test_xtrabackup_high_names_assumption if {
	fs := gal_003.deny with input as t.with_topology(_with_sv(_in("xtrabackup-v2", "xtrabackup-v2", "xtrabackup-v2"), "unsupported"))
	count(fs) == 3
	every f in fs {
		f.severity == "high"
		contains(f.message, "MariaDB 10.3 or later, assumed")
	}
}

test_xtrabackup_unknown_server_medium if {
	fs := gal_003.deny with input as t.with_topology(_with_sv(_in("xtrabackup-v2", "xtrabackup-v2", "xtrabackup-v2"), "unknown"))
	count(fs) == 3
	every f in fs {
		f.severity == "medium"
		contains(f.message, "mysql_server")
	}
}
