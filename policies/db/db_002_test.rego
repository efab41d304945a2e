package oscfg.rules.db_002_test

import data.oscfg.rules.db_002
import data.oscfg.testing as t

_file(service, sections) := {
	"kind": "oslo", "service": service, "path": "/etc/keystone/keystone.conf",
	"sections": sections,
	"options": {"database": {"connection_recycle_time": {"value": 3600, "set": false, "line": 0, "key": "connection_recycle_time"}}},
}

_key(v, line) := {"value": v, "line": line, "all": [{"value": v, "line": line}]}

_in(rel, idx, f) := {"release": {"name": rel, "index": idx}, "hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": f}}}}

test_idle_timeout_high_on_zed if {
	f := _file("keystone", {"database": {"line": 10, "keys": {"idle_timeout": _key("600", 12)}}})
	fs := db_002.deny with input as _in("zed", 26, f)
	count(fs) == 1
	some x in fs
	not x.severity
	x.line == 12
	x.key == "database/idle_timeout"
	contains(x.message, "falls back to 3600")
	x.fix == {"op": "rename", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "database", "key": "idle_timeout", "to_section": "database", "to_key": "connection_recycle_time"}
}

test_sql_idle_timeout_default_low_before_xena if {
	f := _file("keystone", {"DEFAULT": {"line": 1, "keys": {"sql_idle_timeout": _key("600", 4)}}})
	some x in db_002.deny with input as _in("queens", 17, f)
	x.severity == "low"
	x.fix.section == "DEFAULT"
	x.fix.to_section == "database"
	x.fix.to_key == "connection_recycle_time"
}

test_idle_timeout_quiet_before_queens if {
	f := _file("keystone", {"database": {"line": 10, "keys": {"idle_timeout": _key("600", 12)}}})
	count(db_002.deny) == 0 with input as _in("mitaka", 13, f)
}

test_conflict_is_manual if {
	f := _file("keystone", {"database": {"line": 10, "keys": {"idle_timeout": _key("600", 12), "connection_recycle_time": _key("300", 13)}}})
	some x in db_002.deny with input as _in("zed", 26, f)
	x.fix_class == "manual"
	not x.fix
	x.related == [{"host": "ctl1", "file": "/etc/keystone/keystone.conf", "line": 13, "note": "[database] connection_recycle_time = 300"}]
}

test_same_value_deletes_old if {
	f := _file("keystone", {"database": {"line": 10, "keys": {"idle_timeout": _key("600", 12), "connection_recycle_time": _key("600", 13)}}})
	some x in db_002.deny with input as _in("zed", 26, f)
	x.fix == {"op": "delete", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "database", "key": "idle_timeout"}
}

test_removed_low_delete if {
	f := _file("keystone", {"database": {"line": 10, "keys": {"min_pool_size": _key("1", 11)}}, "DEFAULT": {"line": 1, "keys": {"sql_max_pool_size": _key("10", 2)}}})
	fs := db_002.deny with input as _in("zed", 26, f)
	count(fs) == 2
	every x in fs {
		x.severity == "low"
		x.fix.op == "delete"
	}
}

test_sql_alias_low_on_zed_medium_on_2024_1 if {
	f := _file("keystone", {"DEFAULT": {"line": 1, "keys": {"sql_connection": _key("mysql://k:****@db/k", 3)}}})
	some x in db_002.deny with input as _in("zed", 26, f)
	x.severity == "low"
	x.fix.to_key == "connection"
	some y in db_002.deny with input as _in("2024.1", 29, f)
	y.severity == "medium"
	y.line == 3
}

test_sql_group_connection if {
	f := _file("keystone", {"sql": {"line": 1, "keys": {"connection": _key("mysql://k:****@db/k", 2)}}})
	some x in db_002.deny with input as _in("zed", 26, f)
	x.fix == {"op": "rename", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "sql", "key": "connection", "to_section": "database", "to_key": "connection"}
}

test_api_database_renames_in_place if {
	f := _file("nova", {"api_database": {"line": 1, "keys": {"sqlalchemy_max_overflow": _key("20", 2)}}})
	some x in db_002.deny with input as _in("zed", 26, f)
	x.fix.to_section == "api_database"
	x.fix.to_key == "max_overflow"
}

test_use_db_reconnect_nova_only if {
	f := _file("nova", {"database": {"line": 1, "keys": {"use_db_reconnect": _key("true", 2)}}})
	some x in db_002.deny with input as _in("zed", 26, f)
	x.severity == "low"
	x.fix.op == "delete"
	g := _file("keystone", {"database": {"line": 1, "keys": {"use_db_reconnect": _key("true", 2)}}})
	count(db_002.deny) == 0 with input as _in("zed", 26, g)
}

test_quiet_on_current_names if {
	f := _file("keystone", {"database": {"line": 1, "keys": {"connection": _key("x", 2), "connection_recycle_time": _key("600", 3), "max_overflow": _key("50", 4)}}})
	count(db_002.deny) == 0 with input as _in("zed", 26, f)
}

test_quiet_on_idle_timeout_in_default if {
	f := _file("keystone", {"DEFAULT": {"line": 1, "keys": {"idle_timeout": _key("600", 2)}}})
	count(db_002.deny) == 0 with input as _in("zed", 26, f)
}

test_nova_default_alias_feeding_api_database_is_unsafe if {
	f := {"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
		"sections": {"DEFAULT": {"line": 1, "keys": {"sql_connection": {"value": "mysql://n:****@db/nova", "line": 2}}}}}
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"c1": {"files": {"/etc/nova/nova.conf": f}}}}
	some r in db_002.deny with input as inp
	r.fix_class == "unsafe"
	r.fix.op == "rename"
	contains(r.message, "[api_database] connection")
}

test_nova_default_alias_with_api_database_set_is_safe if {
	f := {"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
		"sections": {
			"DEFAULT": {"line": 1, "keys": {"sql_connection": {"value": "mysql://n:****@db/nova", "line": 2}}},
			"api_database": {"line": 4, "keys": {"connection": {"value": "mysql://n:****@db/nova_api", "line": 5}}},
		}}
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"c1": {"files": {"/etc/nova/nova.conf": f}}}}
	some r in db_002.deny with input as inp
	not r.fix_class
	r.fix.op == "rename"
}

# A fleet mid-upgrade, one cluster, [database] idle_timeout everywhere: on
# Mitaka it is the option itself (quiet), on Queens a deprecated alias
# (low), on Xena ignored (high: oslo.db 10.0.0 removed it).
test_mixed_fleet_judged_per_host if {
	f := _file("keystone", {"database": {"line": 10, "keys": {"idle_timeout": _key("600", 12)}}})
	doc := {"release": {"name": "mitaka", "index": 13, "source": "hosts"}, "hosts": {
		"ks-mitaka": {"files": {"/etc/keystone/keystone.conf": f}},
		"ks-queens": {"files": {"/etc/keystone/keystone.conf": f}},
		"ks-xena": {"files": {"/etc/keystone/keystone.conf": f}},
	}}
	inp := t.mixed_fleet(doc, {"ks-mitaka": "mitaka", "ks-queens": "queens", "ks-xena": "xena"})
	t.one_cluster(inp, ["ks-mitaka", "ks-queens", "ks-xena"])
	fs := db_002.deny with input as inp
	{[x.host, object.get(x, "severity", "high")] | some x in fs} == {["ks-queens", "low"], ["ks-xena", "high"]}
}
