package oscfg.rules.nova_003_test

import data.oscfg.rules.nova_003
import data.oscfg.testing as t

_u := {"value": null, "set": false, "line": 0, "key": "x"}

_s(v, line) := {"value": v, "set": true, "line": line, "key": "x"}

_su(send, auth_type, auth_url, username, password) := {
	"send_service_user_token": send, "auth_type": auth_type, "auth_url": auth_url,
	"username": username, "user_id": _u, "password": password,
}

_full := _su(_s(true, 84), _s("password", 86), _s("http://vip:5000/", 85), _s("nova", 90), _s("****", 91))

_nova(su, sections) := {"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": sections, "options": {"service_user": su}}

_in(f, rel, idx) := {"release": {"name": rel, "index": idx, "source": "config"}, "hosts": {"cmp1": {"files": {"/etc/nova/nova.conf": f}}}}

test_quiet_when_on_with_credentials if {
	count(nova_003.deny) == 0 with input as _in(_nova(_full, {}), "zed", 26)
}

test_high_on_zed_when_unset if {
	su := _su(object.union(_u, {"value": false}), _u, _u, _u, _u)
	fs := nova_003.deny with input as _in(_nova(su, {"service_user": {"line": 40, "keys": {}}}), "zed", 26)
	count(fs) == 1
	some f in fs
	f.line == 40
	object.get(f, "severity", "high") == "high"
	f.key == "service_user/send_service_user_token"
	contains(f.message, "is unset (default false)")
	contains(f.message, "nova-status upgrade check fails")
	object.get(f, "fix", null) == null
}

test_high_on_zed_when_false_with_fix if {
	su := json.patch(_full, [{"op": "replace", "path": "/send_service_user_token", "value": _s(false, 84)}])
	some f in nova_003.deny with input as _in(_nova(su, {}), "2024.1", 29)
	f.line == 84
	object.get(f, "severity", "high") == "high"
	contains(f.message, "is false")
	f.fix == {"op": "set", "host": "cmp1", "file": "/etc/nova/nova.conf", "section": "service_user", "key": "send_service_user_token", "value": "true"}
}

test_medium_before_yoga if {
	su := _su(object.union(_u, {"value": false}), _u, _u, _u, _u)
	some f in nova_003.deny with input as _in(_nova(su, {}), "xena", 24)
	f.severity == "medium"
	f.line == 1
	not contains(f.message, "nova-status")
}

test_high_when_on_without_auth_type if {
	su := _su(_s(true, 84), _u, _s("http://vip:5000/", 85), _s("nova", 90), _s("****", 91))
	fs := nova_003.deny with input as _in(_nova(su, {}), "zed", 26)
	count(fs) == 1
	some f in fs
	f.key == "service_user/credentials"
	f.line == 84
	contains(f.message, "auth_type is missing")
}

test_high_when_password_parts_missing if {
	su := _su(_s(true, 84), _s("password", 86), _u, _s("nova", 90), _u)
	some f in nova_003.deny with input as _in(_nova(su, {}), "zed", 26)
	contains(f.message, "auth_url, password are missing")
}

test_user_id_counts_as_user if {
	su := json.patch(_full, [
		{"op": "replace", "path": "/username", "value": _u},
		{"op": "replace", "path": "/user_id", "value": _s("abc123", 90)},
	])
	count(nova_003.deny) == 0 with input as _in(_nova(su, {}), "zed", 26)
}

test_other_plugin_needs_only_auth_type if {
	su := _su(_s(true, 84), _s("v3applicationcredential", 86), _u, _u, _u)
	count(nova_003.deny) == 0 with input as _in(_nova(su, {}), "zed", 26)
}

test_quiet_on_keystone_conf if {
	f := {"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf", "sections": {}, "options": {}}
	count(nova_003.deny) == 0 with input as {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": f}}}}
}

# The upgrade check that fails without service tokens was backported to
# Yoga too: nova 25.2.0 (openstack/nova commit 4d8efa2d19).
test_yoga_high_upgrade_check if {
	su := _su(object.union(_u, {"value": false}), _u, _u, _u, _u)
	fs := nova_003.deny with input as _in(_nova(su, {}), "yoga", 25)
	count(fs) == 1
	some f in fs
	object.get(f, "severity", "high") == "high"
	contains(f.message, "25.2.0")
}

# A fleet mid-upgrade, one cluster: a Newton compute (no
# send_service_user_token yet: nova 15.0.0, Ocata, added it; the loader
# marks it absent), a Xena one (medium: no upgrade check yet) and a Yoga
# one (high: the check fails from 25.2.0), all with the flag unset.
test_mixed_fleet_judged_per_host if {
	off := _su(object.union(_u, {"value": false}), _u, _u, _u, _u)
	absent := _su({"value": null, "set": false, "line": 0, "key": "send_service_user_token", "exists": false}, _u, _u, _u, _u)
	doc := {"release": {"name": "newton", "index": 14, "source": "hosts"}, "hosts": {
		"cmp-newton": {"files": {"/etc/nova/nova.conf": _nova(absent, {})}},
		"cmp-xena": {"files": {"/etc/nova/nova.conf": _nova(off, {})}},
		"cmp-yoga": {"files": {"/etc/nova/nova.conf": _nova(off, {})}},
	}}
	inp := t.mixed_fleet(doc, {"cmp-newton": "newton", "cmp-xena": "xena", "cmp-yoga": "yoga"})
	t.one_cluster(inp, ["cmp-newton", "cmp-xena", "cmp-yoga"])
	fs := nova_003.deny with input as inp
	count(fs) == 2
	some x in fs
	x.host == "cmp-xena"
	x.severity == "medium"
	contains(x.message, "on release xena (test)")
	some y in fs
	y.host == "cmp-yoga"
	not y.severity
	contains(y.message, "nova-status upgrade check fails")
}
