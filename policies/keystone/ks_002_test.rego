package oscfg.rules.ks_002_test

import data.oscfg.rules.ks_002

_o(v, line) := {"value": v, "set": line > 0, "line": line, "key": "x"}

_ks(exp, win) := {"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf", "sections": {"token": {"line": 27, "keys": {}}}, "options": {"token": {"expiration": exp, "allow_expired_window": win}}}

_nova(send) := {"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": {}, "options": {"service_user": {"send_service_user_token": send}}}

_in(ks, novas) := {"release": {"name": "zed", "index": 26}, "hosts": object.union(
	{"ctl1": {"files": {"/etc/keystone/keystone.conf": ks}}},
	{h: {"files": {"/etc/nova/nova.conf": n}} | some h, n in novas},
)}

test_medium_short_expiration_tokens_off if {
	fs := ks_002.deny with input as _in(_ks(_o(1800, 29), _o(172800, 0)), {"cmp1": _nova(_o(false, 0)), "cmp2": _nova(_o(true, 5))})
	count(fs) == 1
	some f in fs
	f.line == 29
	object.get(f, "severity", "medium") == "medium"
	f.key == "token/expiration"
	contains(f.message, "on 1 nova.conf file(s)")
	count(f.related) == 1
	f.related[0].host == "cmp1"
}

test_quiet_short_expiration_tokens_on if {
	count(ks_002.deny) == 0 with input as _in(_ks(_o(1800, 29), _o(172800, 0)), {"cmp1": _nova(_o(true, 5))})
}

test_quiet_short_expiration_without_nova if {
	count(ks_002.deny) == 0 with input as _in(_ks(_o(1800, 29), _o(172800, 0)), {})
}

test_low_long_expiration if {
	fs := ks_002.deny with input as _in(_ks(_o(604800, 29), _o(1209600, 30)), {})
	count(fs) == 1
	some f in fs
	f.severity == "low"
	contains(f.message, "604800 (168h)")
}

test_low_window_below_expiration if {
	fs := ks_002.deny with input as _in(_ks(_o(7200, 29), _o(3600, 30)), {})
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.line == 30
	f.key == "token/allow_expired_window"
	contains(f.message, "allow_expired_window = 3600 (set)")
}

test_window_default_line_is_section if {
	fs := ks_002.deny with input as _in(_ks(_o(200000, 29), _o(172800, 0)), {})
	some f in fs
	f.key == "token/allow_expired_window"
	f.line == 27
	contains(f.message, "(default)")
}

test_quiet_at_defaults if {
	count(ks_002.deny) == 0 with input as _in(_ks(_o(3600, 0), _o(172800, 0)), {"cmp1": _nova(_o(false, 0))})
	count(ks_002.deny) == 0 with input as _in(_ks(_o(86400, 29), _o(172800, 0)), {"cmp1": _nova(_o(false, 0))})
}
