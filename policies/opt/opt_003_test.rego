package oscfg.rules.opt_003_test

import data.oscfg.rules.opt_003
import data.oscfg.testing as t

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

# A fleet mid-upgrade, one cluster, each host judged by its own release
# against Zed's registry. A value only Zed's choices refuse (limits: nova
# accepted enabled_apis = ec2 until Mitaka) counts on the Zed host alone; a
# value no release's type accepts ("5m" for an integer) is reported on both,
# low on the Liberty host (the registry is Zed's).
_ec2 := {"group": "DEFAULT", "key": "enabled_apis", "line": 27, "value": "ec2,osapi_compute,metadata", "reason": "list item \"ec2\" is not one of osapi_compute, metadata", "type": "list", "limits": true}

test_mixed_fleet_judged_per_host if {
	doc := {"release": {"name": "liberty", "index": 12, "source": "hosts"}, "hosts": {
		"ctl-liberty": {"files": {"/etc/nova/nova.conf": _file([_ec2, _bad])}},
		"ctl-zed": {"files": {"/etc/nova/nova.conf": _file([_ec2, _bad])}},
	}}
	inp := t.mixed_fleet(doc, {"ctl-liberty": "liberty", "ctl-zed": "zed"})
	t.one_cluster(inp, ["ctl-liberty", "ctl-zed"])
	fs := opt_003.deny with input as inp
	{[x.host, x.key, object.get(x, "severity", "high")] | some x in fs} == {
		["ctl-liberty", "scheduler/discover_hosts_in_cells_interval", "low"],
		["ctl-zed", "scheduler/discover_hosts_in_cells_interval", "high"],
		["ctl-zed", "DEFAULT/enabled_apis", "high"],
	}
	some l in fs
	l.host == "ctl-liberty"
	contains(l.message, "liberty may differ")
}
