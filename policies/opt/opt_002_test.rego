package oscfg.rules.opt_002_test

import data.oscfg.rules.opt_002
import data.oscfg.testing as t

_file(dep) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": {}, "options": {},
	"registry": {"release": "zed", "unknown": [], "deprecated": dep, "invalid": []},
}

_in(idx, f) := {"release": {"name": {24: "xena", 26: "zed", 29: "2024.1"}[idx], "index": idx}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": f}}}}

_sql := {
	"group": "DEFAULT", "key": "sql_connection", "line": 12, "to_group": "database", "to_key": "connection",
	"set_already": false, "same_value": false, "count": 1,
	"also": [{"group": "api_database", "key": "connection", "set": true}],
}

test_rename_moves_section if {
	fs := opt_002.deny with input as _in(26, _file([_sql]))
	count(fs) == 1
	some x in fs
	x.line == 12
	not x.severity
	not x.fix_class
	x.key == "DEFAULT/sql_connection"
	contains(x.message, "deprecated name of [database] connection")
	contains(x.message, "also reads it as [api_database] connection, which is set")
	x.fix == {"op": "rename", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "DEFAULT", "key": "sql_connection", "to_section": "database", "to_key": "connection"}
}

test_other_reader_unset_is_unsafe if {
	d := object.union(_sql, {"also": [{"group": "api_database", "key": "connection", "set": false}]})
	some x in opt_002.deny with input as _in(26, _file([d]))
	x.fix_class == "unsafe"
	contains(x.message, "which is not set")
}

test_new_name_set_same_value_delete if {
	d := object.union(_sql, {"set_already": true, "same_value": true})
	some x in opt_002.deny with input as _in(26, _file([d]))
	x.fix == {"op": "delete", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "DEFAULT", "key": "sql_connection"}
}

test_new_name_set_other_value_manual if {
	d := object.union(_sql, {"set_already": true, "same_value": false})
	some x in opt_002.deny with input as _in(26, _file([d]))
	x.severity == "medium"
	x.fix_class == "manual"
	not x.fix
	contains(x.message, "wins: this value is ignored")
}

test_multi_moved_manual if {
	d := object.union(_sql, {"multi": true, "count": 2})
	some x in opt_002.deny with input as _in(26, _file([d]))
	x.fix_class == "manual"
}

test_removal_not_reported if {
	d := {"group": "api", "key": "auth_strategy", "line": 17, "removal": true, "since": "21.0.0"}
	count(opt_002.deny) == 0 with input as _in(26, _file([d]))
}

test_quiet_before_zed if {
	count(opt_002.deny) == 0 with input as _in(24, _file([_sql]))
}

test_newer_release_note if {
	some x in opt_002.deny with input as _in(29, _file([_sql]))
	contains(x.message, "2024.1 may no longer read the old name")
	x.fix.op == "rename"
}

# OSC-DB-002 reports the legacy oslo.db names too, with the very same fix:
# the fixer applies one and defers the other (same bytes), and on the next
# pass neither fires.
test_same_fix_as_db_002 if {
	k := {"value": "mysql+pymysql://nova:****@db/nova", "line": 12, "all": [{"value": "mysql+pymysql://nova:****@db/nova", "line": 12}]}
	f := object.union(_file([_sql]), {"sections": {"DEFAULT": {"line": 1, "keys": {"sql_connection": k}}}})
	some x in opt_002.deny with input as _in(26, f)
	some y in data.oscfg.rules.db_002.deny with input as _in(26, f)
	x.fix == y.fix
}

# A fleet mid-upgrade, one cluster: the deprecated name is reported on the
# Zed host only; on the Xena host the new name may not exist yet.
test_mixed_fleet_judged_per_host if {
	doc := {"release": {"name": "xena", "index": 24, "source": "hosts"}, "hosts": {
		"ctl-xena": {"files": {"/etc/nova/nova.conf": _file([_sql])}},
		"ctl-zed": {"files": {"/etc/nova/nova.conf": _file([_sql])}},
	}}
	inp := t.mixed_fleet(doc, {"ctl-xena": "xena", "ctl-zed": "zed"})
	t.one_cluster(inp, ["ctl-xena", "ctl-zed"])
	fs := opt_002.deny with input as inp
	count(fs) == 1
	some x in fs
	x.host == "ctl-zed"
}
