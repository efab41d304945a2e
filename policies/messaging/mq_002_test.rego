package oscfg.rules.mq_002_test

import data.oscfg.rules.mq_002
import data.oscfg.testing as t

_opt(v, line) := {"value": v, "set": line > 0, "line": line, "key": "heartbeat_in_pthread"}

_file(service, path, sections, pthread) := {
	"kind": "oslo", "service": service, "path": path,
	"sections": object.union({
		"DEFAULT": {"line": 1, "keys": {"transport_url": {"value": "rabbit://openstack:****@192.168.1.10:5672/", "line": 2}}},
		"oslo_messaging_rabbit": {"line": 30, "keys": _keys(pthread)},
	}, sections),
	"options": {"oslo_messaging_rabbit": {"heartbeat_in_pthread": pthread}},
}

_keys(p) := {"heartbeat_in_pthread": {"value": "true", "line": p.line}} if p.set

_keys(p) := {} if not p.set

_in(rel, idx, path, f) := {"release": {"name": rel, "index": idx, "source": "flag"}, "hosts": {"h1": {"files": {path: f}}}}

_compute(p) := _file("nova", "/etc/nova/nova.conf", {"libvirt": {"line": 20, "keys": {}}}, p)

_controller(p) := _file("nova", "/etc/nova/nova.conf", {"database": {"line": 10, "keys": {}}}, p)

test_compute_true_high_safe if {
	fs := mq_002.deny with input as t.with_topology(_in("zed", 26, "/etc/nova/nova.conf", _compute(_opt(true, 31))))
	count(fs) == 1
	some f in fs
	f.severity == "high"
	f.line == 31
	f.fix_class == "safe"
	f.fix == {"op": "set", "host": "h1", "file": "/etc/nova/nova.conf", "section": "oslo_messaging_rabbit", "key": "heartbeat_in_pthread", "value": "false"}
	contains(f.message, "nova-compute")
}

test_controller_true_high_unsafe if {
	fs := mq_002.deny with input as t.with_topology(_in("zed", 26, "/etc/nova/nova.conf", _controller(_opt(true, 31))))
	some f in fs
	f.severity == "high"
	f.fix_class == "unsafe"
}

test_wallaby_default_true_fires if {
	fs := mq_002.deny with input as t.with_topology(_in("wallaby", 23, "/etc/nova/nova.conf", _compute(_opt(true, 0))))
	some f in fs
	f.line == 30
	contains(f.message, "unset: the oslo.messaging default")
}

test_false_quiet if {
	count(mq_002.deny) == 0 with input as t.with_topology(_in("zed", 26, "/etc/nova/nova.conf", _compute(_opt(false, 31))))
}

test_keystone_wsgi_quiet if {
	f := _file("keystone", "/etc/keystone/keystone.conf", {}, _opt(true, 31))
	count(mq_002.deny) == 0 with input as t.with_topology(_in("zed", 26, "/etc/keystone/keystone.conf", f))
}

test_kolla_nova_api_quiet_and_conductor_safe if {
	api := _file("nova", "/etc/kolla/nova-api/nova.conf", {"database": {"line": 10, "keys": {}}}, _opt(true, 31))
	count(mq_002.deny) == 0 with input as t.with_topology(_in("zed", 26, "/etc/kolla/nova-api/nova.conf", api))
	cond := _file("nova", "/etc/kolla/nova-conductor/nova.conf", {"database": {"line": 10, "keys": {}}}, _opt(true, 31))
	some f in mq_002.deny with input as t.with_topology(_in("zed", 26, "/etc/kolla/nova-conductor/nova.conf", cond))
	f.fix_class == "safe"
}

test_no_known_release_reaches_removal if {
	count(mq_002.deny) == 0 with input as t.with_topology(_in("2026.1", 33, "/etc/nova/nova.conf", _compute(_opt(false, 31))))
}

test_removed_release_low_delete if {
	fs := mq_002.deny with input as t.with_topology(_in("2026.2", 34, "/etc/nova/nova.conf", _compute(_opt(true, 31))))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.fix.op == "delete"
}

# A fleet mid-upgrade, one cluster: a 2026.1 compute still reads
# heartbeat_in_pthread (set true: high), and a host on the first release
# of oslo.messaging 18.0.0 (index 34, beyond the known table, so its
# release is patched into the topology) ignores it (low, delete).
test_mixed_fleet_judged_per_host if {
	doc := {"release": {"name": "2026.1", "index": 33, "source": "hosts"}, "hosts": {
		"cmp-old": {"files": {"/etc/nova/nova.conf": _compute(_opt(true, 31))}},
		"cmp-new": {"files": {"/etc/nova/nova.conf": _compute(_opt(true, 31))}},
	}}
	inp := json.patch(t.with_topology(doc), [{"op": "replace", "path": "/topology/hosts/cmp-new/release", "value": {"name": "2026.2", "index": 34, "source": "test", "reason": ""}}])
	t.one_cluster(inp, ["cmp-old", "cmp-new"])
	fs := mq_002.deny with input as inp
	{[x.host, x.severity] | some x in fs} == {["cmp-old", "high"], ["cmp-new", "low"]}
	some n in fs
	n.host == "cmp-new"
	contains(n.message, "ignored on release 2026.2 (test)")
}
