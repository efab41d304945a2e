package oscfg.rules.nova_001_test

import data.oscfg.rules.nova_001
import data.oscfg.testing as t

_opt(k, v, line) := {"value": v, "set": line > 0, "line": line, "key": k}

# A compute nova.conf ([libvirt] present) with the given retries/interval.
_compute(r, i) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"DEFAULT": {"line": 1, "keys": {}}, "libvirt": {"line": 30, "keys": {}}},
	"options": {"DEFAULT": {
		"block_device_allocate_retries": r,
		"block_device_allocate_retries_interval": i,
	}},
}

_in(f) := {"release": {"name": "zed", "index": 26}, "settings": {"block_device_window_target": 600}, "hosts": {"compute1": {"files": {"/etc/nova/nova.conf": f}}}}

test_seed_004_medium if {
	fs := nova_001.deny with input as t.with_topology(_in(_compute(_opt("block_device_allocate_retries", 10, 5), _opt("block_device_allocate_retries_interval", 10, 6))))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 5
	f.fix == {"op": "set", "host": "compute1", "file": "/etc/nova/nova.conf", "section": "DEFAULT", "key": "block_device_allocate_retries", "value": "59"}
	contains(f.message, "110s")
}

test_interval_zero_high if {
	fs := nova_001.deny with input as t.with_topology(_in(_compute(_opt("block_device_allocate_retries", 60, 0), _opt("block_device_allocate_retries_interval", 0, 7))))
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.line == 7
	f.fix.key == "block_device_allocate_retries_interval"
	f.fix.value == "3"
}

test_defaults_low_below_target if {
	some f in nova_001.deny with input as t.with_topology(_in(_compute(_opt("block_device_allocate_retries", 60, 0), _opt("block_device_allocate_retries_interval", 3, 0))))
	f.severity == "low"
	f.line == 1
	f.fix.value == "199"
}

test_interval_only_set_points_at_interval if {
	some f in nova_001.deny with input as t.with_topology(_in(_compute(_opt("block_device_allocate_retries", 60, 0), _opt("block_device_allocate_retries_interval", 1, 9))))
	not f.severity
	f.line == 9
	f.fix.value == "599"
}

test_quiet_at_target if {
	count(nova_001.deny) == 0 with input as t.with_topology(_in(_compute(_opt("block_device_allocate_retries", 200, 4), _opt("block_device_allocate_retries_interval", 3, 5))))
}

test_quiet_with_lower_site_target if {
	inp := object.union(_in(_compute(_opt("block_device_allocate_retries", 60, 0), _opt("block_device_allocate_retries_interval", 3, 0))), {"settings": {"block_device_window_target": 180}})
	count(nova_001.deny) == 0 with input as t.with_topology(inp)
}

test_controller_only_setting_medium if {
	f := {
		"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
		"sections": {"DEFAULT": {"line": 1, "keys": {}}, "api_database": {"line": 20, "keys": {}}},
		"options": {
			"DEFAULT": {"block_device_allocate_retries": _opt("block_device_allocate_retries", 10, 3), "block_device_allocate_retries_interval": _opt("block_device_allocate_retries_interval", 3, 0)},
			"api_database": {"connection": _opt("connection", "mysql+pymysql://nova:****@db/nova_api", 21)},
		},
	}
	fs := nova_001.deny with input as t.with_topology({"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": f}}}})
	count(fs) == 1
	some x in fs
	not x.severity
	x.line == 3
	x.fix_class == "manual"
	contains(x.message, "no effect here")
}

test_controller_default_quiet if {
	f := {
		"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
		"sections": {"DEFAULT": {"line": 1, "keys": {}}},
		"options": {
			"DEFAULT": {"block_device_allocate_retries": _opt("block_device_allocate_retries", 60, 0), "block_device_allocate_retries_interval": _opt("block_device_allocate_retries_interval", 3, 0)},
			"database": {"connection": _opt("connection", "x", 21)},
		},
	}
	count(nova_001.deny) == 0 with input as t.with_topology({"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": f}}}})
}

test_unknown_role_evaluated if {
	f := json.remove(_compute(_opt("block_device_allocate_retries", 10, 5), _opt("block_device_allocate_retries_interval", 10, 6)), ["sections/libvirt"])
	some x in nova_001.deny with input as t.with_topology(_in(f))
	contains(x.message, "unknown role")
}

# A fleet mid-upgrade, one cluster: a Havana compute has no
# block_device_allocate_retries (nova 2014.2, Juno, added the options; the
# loader marks them absent, the wait was fixed in code), a Zed compute of the
# same cluster runs on the defaults (60+1) x 3 s = 183 s, below the target.
test_mixed_fleet_judged_per_host if {
	doc := object.union(_in(_compute(_opt(_r, 60, 0), _opt(_i, 3, 0))), {"release": {"name": "havana", "index": 8, "source": "hosts"}, "hosts": {
		"cmp-havana": {"files": {"/etc/nova/nova.conf": _compute(_absent(_r), _absent(_i))}},
	}})
	inp := t.mixed_fleet(doc, {"cmp-havana": "havana", "compute1": "zed"})
	t.one_cluster(inp, ["cmp-havana", "compute1"])
	fs := nova_001.deny with input as inp
	count(fs) == 1
	some f in fs
	f.host == "compute1"
	f.severity == "low"
}

_absent(k) := {"value": null, "set": false, "line": 0, "key": k, "exists": false}

_r := "block_device_allocate_retries"

_i := "block_device_allocate_retries_interval"
