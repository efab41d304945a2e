package oscfg.rules.opt_001_test

import data.oscfg.rules.opt_001
import data.oscfg.testing as t

_file(service, sections, reg) := {
	"kind": "oslo", "service": service, "path": "/etc/nova/nova.conf",
	"sections": sections, "options": {},
	"registry": object.union({"release": "zed", "unknown": [], "deprecated": [], "invalid": []}, reg),
}

_in(idx, f) := {"release": {"name": {24: "xena", 26: "zed", 29: "2024.1"}[idx], "index": idx}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": f}}}}

_typo := {
	"group": "DEFAULT", "key": "block_device_allocate_retires", "line": 9, "confident": true,
	"suggest": [{"group": "DEFAULT", "key": "block_device_allocate_retries", "distance": 1}],
}

test_typo_with_safe_fix if {
	f := _file("nova", {}, {"unknown": [_typo]})
	fs := opt_001.deny with input as _in(26, f)
	count(fs) == 1
	some x in fs
	x.line == 9
	x.key == "DEFAULT/block_device_allocate_retires"
	not x.severity
	not x.fix_class
	contains(x.message, "did you mean block_device_allocate_retries?")
	x.fix == {"op": "rename", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "DEFAULT", "key": "block_device_allocate_retires", "to_section": "DEFAULT", "to_key": "block_device_allocate_retries"}
}

test_not_confident_no_fix if {
	u := object.union(_typo, {"confident": false, "suggest": [
		{"group": "DEFAULT", "key": "host", "distance": 1},
		{"group": "DEFAULT", "key": "hosts", "distance": 1},
	]})
	some x in opt_001.deny with input as _in(26, _file("nova", {}, {"unknown": [u]}))
	not x.fix
	contains(x.message, "did you mean host or hosts?")
}

test_wrong_section_unsafe_move if {
	u := {
		"group": "DEFAULT", "key": "memcache_servers", "line": 4, "confident": false, "suggest_set": false,
		"suggest": [{"group": "cache", "key": "memcache_servers", "distance": 0}],
	}
	some x in opt_001.deny with input as _in(26, _file("nova", {}, {"unknown": [u]}))
	contains(x.message, "nova reads it in [cache]")
	x.fix_class == "unsafe"
	x.fix.to_section == "cache"
}

test_unknown_section if {
	u := {
		"group": "keystone_auth_token", "key": "", "line": 30, "keys": ["auth_url", "username"], "confident": false,
		"suggest": [{"group": "keystone_authtoken", "distance": 1}],
	}
	some x in opt_001.deny with input as _in(26, _file("nova", {}, {"unknown": [u]}))
	x.key == "keystone_auth_token"
	x.line == 30
	contains(x.message, "[keystone_auth_token] is not a section nova reads (Zed)")
	contains(x.message, "its 2 options are ignored; did you mean [keystone_authtoken]?")
	not x.fix
}

test_dynamic_group_low if {
	u := object.union(_typo, {"group": "keystone_authtoken", "key": "memcache_server", "dynamic": "keystonemiddleware registers the auth plugin's options at run time"})
	some x in opt_001.deny with input as _in(26, _file("nova", {}, {"unknown": [u]}))
	x.severity == "low"
	x.fix_class == "unsafe"
}

test_newer_release_low_unsafe if {
	some x in opt_001.deny with input as _in(29, _file("nova", {}, {"unknown": [_typo]}))
	x.severity == "low"
	x.fix_class == "unsafe"
	contains(x.message, "it may be new in 2024.1")
}

test_older_release_only_typos_info if {
	gone := {"group": "DEFAULT", "key": "verbose", "line": 3, "confident": false, "suggest": []}
	fs := opt_001.deny with input as _in(24, _file("nova", {}, {"unknown": [_typo, gone]}))
	count(fs) == 1
	some x in fs
	x.severity == "info"
	not x.fix
	contains(x.message, "xena may still have had it")
}

test_db002_keys_left_to_it if {
	u := {"group": "database", "key": "idle_timeout", "line": 12, "confident": false, "suggest": []}
	sections := {"database": {"line": 10, "keys": {"idle_timeout": {"value": "600", "line": 12, "all": [{"value": "600", "line": 12}]}}}}
	f := object.union(_file("keystone", sections, {"unknown": [u]}), {"options": {"database": {"connection_recycle_time": {"value": 3600, "set": false, "line": 0}}}})
	count(opt_001.deny) == 0 with input as _in(26, f)
}

test_no_registry_no_finding if {
	f := {"kind": "oslo", "service": "cinder", "sections": {}, "options": {}}
	count(opt_001.deny) == 0 with input as _in(26, f)
}

test_unknown_more_one_finding if {
	f := _file("nova", {}, {"unknown": [_typo], "unknown_more": {"count": 5000, "line": 1200}})
	fs := opt_001.deny with input as _in(26, f)
	count(fs) == 2
	some x in fs
	x.key == "registry/unknown_more"
	x.line == 1200
	not x.severity
	contains(x.message, "5000 more names nova does not read")
	contains(x.message, "first 1 unknown")
}

test_unknown_more_info_before_zed if {
	f := _file("nova", {}, {"unknown_more": {"count": 3, "line": 7}})
	some x in opt_001.deny with input as _in(24, f)
	x.severity == "info"
}

# The release named is the one used: never "(Zed)" on an older host, and a
# host mid-upgrade is judged by its own release, not the fleet's.
test_message_names_the_release_used if {
	some x in opt_001.deny with input as _in(24, _file("nova", {}, {"unknown": [_typo]}))
	not contains(x.message, "(Zed)")
	contains(x.message, "is not an option nova reads: ")
	contains(x.message, "xena may still have had it")
}

test_host_release_over_fleet if {
	doc := object.union(_in(26, _file("nova", {}, {"unknown": [_typo]})), {"topology": {"hosts": {"ctl1": {"release": {"name": "ussuri", "index": 21, "source": "packages"}}}}})
	some x in opt_001.deny with input as doc
	x.severity == "info"
	not x.fix
	contains(x.message, "ussuri may still have had it")
	not contains(x.message, "(Zed)")
}

test_zed_host_says_zed if {
	doc := object.union(_in(26, _file("nova", {}, {"unknown": [_typo]})), {"release": {"name": "ussuri", "index": 21}, "topology": {"hosts": {"ctl1": {"release": {"name": "zed", "index": 26, "source": "packages"}}}}})
	some x in opt_001.deny with input as doc
	contains(x.message, "is not an option nova reads (Zed): ")
	x.fix
}

# A fleet mid-upgrade, one cluster: the same typo is medium with a safe fix
# on the Zed host, info without a fix on the Xena host (the option may have
# existed there), low with an unsafe fix on the 2024.1 host (it may be new).
test_mixed_fleet_judged_per_host if {
	f := _file("nova", {}, {"unknown": [_typo]})
	doc := {"release": {"name": "xena", "index": 24, "source": "hosts"}, "hosts": {
		"ctl-xena": {"files": {"/etc/nova/nova.conf": f}},
		"ctl-zed": {"files": {"/etc/nova/nova.conf": f}},
		"ctl-2024": {"files": {"/etc/nova/nova.conf": f}},
	}}
	inp := t.mixed_fleet(doc, {"ctl-xena": "xena", "ctl-zed": "zed", "ctl-2024": "2024.1"})
	t.one_cluster(inp, ["ctl-xena", "ctl-zed", "ctl-2024"])
	fs := opt_001.deny with input as inp
	{[x.host, object.get(x, "severity", "medium"), object.get(x, "fix_class", "safe"), object.get(x, "fix", null) != null] | some x in fs} == {
		["ctl-xena", "info", "safe", false],
		["ctl-zed", "medium", "safe", true],
		["ctl-2024", "low", "unsafe", true],
	}
}
