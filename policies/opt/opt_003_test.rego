package oscfg.rules.opt_003_test

import data.oscfg.rules.opt_003

_file(inv) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": {}, "options": {},
	"registry": {"release": "zed", "unknown": [], "deprecated": [], "invalid": inv},
}

_in(idx, f) := {"release": {"name": {24: "xena", 26: "zed"}[idx], "index": idx}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": f}}}}

_bad := {"group": "scheduler", "key": "discover_hosts_in_cells_interval", "line": 64, "value": "5m", "reason": "\"5m\" is not an integer", "type": "integer (min -1)"}

test_bad_int_high if {
	fs := opt_003.deny with input as _in(26, _file([_bad]))
	count(fs) == 1
	some x in fs
	not x.severity
	not x.fix
	x.line == 64
	x.key == "scheduler/discover_hosts_in_cells_interval"
	x.message == "[scheduler] discover_hosts_in_cells_interval = 5m: \"5m\" is not an integer (type integer (min -1)); oslo.config raises ConfigFileValueError when nova reads the option"
}

test_other_release_low if {
	some x in opt_003.deny with input as _in(24, _file([_bad]))
	x.severity == "low"
	contains(x.message, "xena may differ")
}

test_quiet_when_valid if {
	count(opt_003.deny) == 0 with input as _in(26, _file([]))
}
