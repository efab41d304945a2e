package oscfg.rules.db_005_test

import data.oscfg.rules.db_005
import data.oscfg.testing as t

_unset := {"value": null, "set": false, "line": 0, "key": "connection"}

_conn(line) := {"value": "mysql+pymysql://nova:****@192.168.1.10/nova", "set": true, "line": line, "key": "connection"}

_nova(sections, db, api) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": sections,
	"options": {"database": {"connection": db}, "api_database": {"connection": api}},
}

_compute_secs := {"DEFAULT": {"line": 1, "keys": {"compute_driver": {"value": "libvirt.LibvirtDriver", "line": 3}}}, "api": {"line": 10, "keys": {}}}

_in(files) := {"release": {"name": "zed", "index": 26}, "hosts": {"cmp1": {"name": "cmp1", "files": files}}}

test_fires_on_both_groups if {
	fs := db_005.deny with input as t.with_topology(_in({"/etc/nova/nova.conf": _nova(_compute_secs, _conn(20), _conn(14))}))
	count(fs) == 2
	some f in fs
	f.line == 20
	f.key == "database/connection"
	object.get(f, "severity", "medium") == "medium"
	f.fix_class == "unsafe"
	f.fix == {"op": "delete", "host": "cmp1", "file": "/etc/nova/nova.conf", "section": "database", "key": "connection"}
	some g in fs
	g.fix.section == "api_database"
	g.line == 14
}

test_compute_marker_in_other_file if {
	# Debian: /etc/nova/nova-compute.conf holds the hypervisor settings.
	cc := {"kind": "oslo", "service": "nova", "path": "/etc/nova/nova-compute.conf", "sections": {"libvirt": {"line": 1, "keys": {}}}, "options": {"database": {"connection": _unset}, "api_database": {"connection": _unset}}}
	fs := db_005.deny with input as t.with_topology(_in({"/etc/nova/nova.conf": _nova({"DEFAULT": {"line": 1, "keys": {}}}, _conn(20), _unset), "/etc/nova/nova-compute.conf": cc}))
	count(fs) == 1
	some f in fs
	f.file == "/etc/nova/nova.conf"
}

test_quiet_on_controller_hints if {
	hints := [
		{"DEFAULT": {"line": 1, "keys": {"compute_driver": {"value": "x", "line": 2}, "enabled_apis": {"value": "osapi_compute", "line": 3}}}},
		{"libvirt": {"line": 1, "keys": {}}, "conductor": {"line": 5, "keys": {}}},
		{"libvirt": {"line": 1, "keys": {}}, "scheduler": {"line": 5, "keys": {}}},
		{"libvirt": {"line": 1, "keys": {}}, "wsgi": {"line": 5, "keys": {}}},
		{"libvirt": {"line": 1, "keys": {}}, "DEFAULT": {"line": 1, "keys": {"osapi_compute_workers": {"value": "4", "line": 2}}}},
	]
	every secs in hints {
		count(db_005.deny) == 0 with input as t.with_topology(_in({"/etc/nova/nova.conf": _nova(secs, _conn(20), _conn(14))}))
	}
}

test_quiet_on_all_in_one_with_keystone if {
	ks := {"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf", "sections": {}, "options": {}}
	count(db_005.deny) == 0 with input as t.with_topology(_in({"/etc/nova/nova.conf": _nova(_compute_secs, _conn(20), _unset), "/etc/keystone/keystone.conf": ks}))
}

test_quiet_without_credentials if {
	count(db_005.deny) == 0 with input as t.with_topology(_in({"/etc/nova/nova.conf": _nova(_compute_secs, _unset, _unset)}))
}

test_quiet_on_non_compute if {
	count(db_005.deny) == 0 with input as t.with_topology(_in({"/etc/nova/nova.conf": _nova({"DEFAULT": {"line": 1, "keys": {}}}, _conn(20), _unset)}))
}
