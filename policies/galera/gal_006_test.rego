package oscfg.rules.gal_006_test

import data.oscfg.rules.gal_006

_opt(name, raw, v, loose, line) := {"name": name, "raw_name": raw, "value": v, "has_value": true, "loose": loose, "line": line}

_in(group, server, opts) := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": {"files": {"/etc/mysql/conf.d/galera.cnf": {
	"kind": "mycnf", "service": "mysql", "path": "/etc/mysql/conf.d/galera.cnf",
	"groups": [{"name": group, "line": 1, "server": server, "options": opts}], "includes": [],
}}}}}

test_causal_reads_medium if {
	fs := gal_006.deny with input as _in("mysqld", true, [_opt("wsrep_causal_reads", "wsrep-causal-reads", "ON", false, 4)])
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 4
	f.key == "mysqld/wsrep_causal_reads"
	contains(f.message, "wsrep_sync_wait = 1")
	contains(f.message, "removed in MariaDB 11.3 and unknown to MySQL-wsrep 8.0")
	contains(f.message, "refuses to start")
}

test_loose_is_low if {
	some f in gal_006.deny with input as _in("galera", true, [_opt("wsrep_replicate_myisam", "loose-wsrep_replicate_myisam", "1", true, 5)])
	f.severity == "low"
	contains(f.message, "only warns")
	contains(f.message, "REPLICATE_MYISAM")
}

test_load_data_splitting_low if {
	some f in gal_006.deny with input as _in("mysqld", true, [_opt("wsrep_load_data_splitting", "wsrep_load_data_splitting", "ON", false, 6)])
	f.severity == "low"
}

test_current_options_and_client_groups_quiet if {
	count(gal_006.deny) == 0 with input as _in("mysqld", true, [
		_opt("wsrep_sync_wait", "wsrep_sync_wait", "1", false, 4),
		_opt("wsrep_mode", "wsrep_mode", "STRICT_REPLICATION", false, 5),
	])
	count(gal_006.deny) == 0 with input as _in("client", false, [_opt("wsrep_causal_reads", "wsrep_causal_reads", "ON", false, 4)])
}
