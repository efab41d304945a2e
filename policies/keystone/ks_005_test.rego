package oscfg.rules.ks_005_test

import data.oscfg.rules.ks_005
import data.oscfg.testing as t

_o(v, line) := {"value": v, "set": line > 0, "line": line, "key": "x"}

_ks(enabled, backend, servers) := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {"cache": {"line": 4, "keys": {}}},
	"options": {"cache": {"enabled": enabled, "backend": backend, "memcache_servers": servers}},
}

_good := _ks(_o(true, 5), _o("oslo_cache.memcache_pool", 6), _o("10.0.0.11:11211,10.0.0.12:11211", 7))

_in(files) := {"release": {"name": "zed", "index": 26}, "hosts": {h: {"files": {"/etc/keystone/keystone.conf": f}} | some h, f in files}}

test_quiet_when_consistent if {
	count(ks_005.deny) == 0 with input as t.with_topology(_in({"ctl1": _good, "ctl2": _good}))
}

test_quiet_on_single_node if {
	bad := _ks(_o(false, 0), _o("dogpile.cache.null", 0), _o("localhost:11211", 0))
	count(ks_005.deny) == 0 with input as t.with_topology(_in({"ctl1": bad}))
}

test_low_when_disabled if {
	off := _ks(_o(false, 0), _o("dogpile.cache.null", 0), _o("localhost:11211", 0))
	fs := ks_005.deny with input as t.with_topology(_in({"ctl1": _good, "ctl2": off}))
	count(fs) == 1
	some f in fs
	f.host == "ctl2"
	f.severity == "low"
	f.line == 4
	f.key == "cache/enabled"
}

test_low_when_enabled_with_null_backend if {
	nul := _ks(_o(true, 5), _o("dogpile.cache.null", 0), _o("10.0.0.11:11211,10.0.0.12:11211", 7))
	fs := ks_005.deny with input as t.with_topology(_in({"ctl1": _good, "ctl2": nul}))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.key == "cache/backend"
}

test_medium_on_in_process_backend if {
	mem := _ks(_o(true, 5), _o("dogpile.cache.memory", 6), _o("localhost:11211", 0))
	fs := ks_005.deny with input as t.with_topology(_in({"ctl1": mem, "ctl2": mem}))
	count(fs) == 2
	every f in fs {
		object.get(f, "severity", "medium") == "medium"
		f.line == 6
	}
}

test_medium_on_localhost if {
	loc := _ks(_o(true, 5), _o("oslo_cache.memcache_pool", 6), _o("localhost:11211", 0))
	fs := ks_005.deny with input as t.with_topology(_in({"ctl1": loc, "ctl2": loc}))
	count(fs) == 2
	some f in fs
	f.line == 4
	f.key == "cache/memcache_servers"
	object.get(f, "severity", "medium") == "medium"
	contains(f.message, "localhost:11211 (default)")
	contains(f.message, "names the local host (localhost:11211)")
	not contains(f.message, "different lists")
	not f.related
}

test_medium_on_ipv6_loopback if {
	loc := _ks(_o(true, 5), _o("dogpile.cache.pymemcache", 6), _o("inet6:[::1]:11211", 7))
	fs := ks_005.deny with input as t.with_topology(_in({"ctl1": loc, "ctl2": loc}))
	count(fs) == 2
}

test_medium_on_differing_order if {
	rev := _ks(_o(true, 5), _o("oslo_cache.memcache_pool", 6), _o("10.0.0.12:11211, 10.0.0.11:11211", 7))
	fs := ks_005.deny with input as t.with_topology(_in({"ctl1": _good, "ctl2": rev}))
	# one cluster fact; no majority, so at the first node
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	f.key == "cache/memcache_servers/differs"
	contains(f.message, "2 different lists")
	count(f.related) == 1
	f.related[0].host == "ctl2"
	f.related[0].line == 7
}

# Many nodes, one odd list: one finding at the odd node, one related
# location standing for the majority.
test_one_finding_for_many_nodes if {
	rev := _ks(_o(true, 5), _o("oslo_cache.memcache_pool", 6), _o("10.0.0.12:11211, 10.0.0.11:11211", 7))
	nodes := object.union({sprintf("ctl%d", [i]): _good | some i in numbers.range(1, 5)}, {"ctl9": rev})
	fs := ks_005.deny with input as t.with_topology(_in(nodes))
	count(fs) == 1
	some f in fs
	f.host == "ctl9"
	count(f.related) == 1
	contains(f.related[0].note, "on ctl1, ctl2, ctl3 and 2 more")
}

test_whitespace_does_not_differ if {
	sp := _ks(_o(true, 5), _o("oslo_cache.memcache_pool", 6), _o("10.0.0.11:11211 , 10.0.0.12:11211", 7))
	count(ks_005.deny) == 0 with input as t.with_topology(_in({"ctl1": _good, "ctl2": sp}))
}
