package oscfg.rules.gal_002_test

import data.oscfg.rules.gal_002
import data.oscfg.testing as t

_f := "/etc/my.cnf.d/galera.cnf"

_o(v, line) := {"value": v, "has_value": true, "file": _f, "line": line, "group": "galera"}

_node(ip, name, addr, wpo) := {"mysql": {
	"files": [_f],
	"server": {
		"wsrep_on": _o("ON", 2),
		"wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 3),
		"wsrep_cluster_name": _o(name, 4),
		"wsrep_cluster_address": _o(addr, 5),
		"wsrep_node_address": _o(ip, 6),
	},
	"wsrep_provider_options": wpo,
}}

_all := "gcomm://10.0.0.1,10.0.0.2,10.0.0.3"

_in(n1, n2, n3) := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": n1, "db2": n2, "db3": n3}}

_good := _in(
	_node("10.0.0.1", "openstack", _all, {}),
	_node("10.0.0.2", "openstack", "gcomm://10.0.0.3:4567,10.0.0.2,10.0.0.1", {}),
	_node("10.0.0.3", "openstack", _all, {}),
)

test_quiet_on_good_cluster if {
	count(gal_002.deny) == 0 with input as t.with_topology(_good)
}

test_empty_address_critical if {
	inp := _in(
		_node("10.0.0.1", "openstack", "gcomm://", {}),
		_node("10.0.0.2", "openstack", _all, {}),
		_node("10.0.0.3", "openstack", _all, {}),
	)
	fs := gal_002.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db1"
	f.severity == "critical"
	f.line == 5
	not "fix" in object.keys(f)
	count(f.related) == 2
	contains(f.message, "3-node cluster")
}

test_empty_address_single_node_low if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": _node("10.0.0.1", "openstack", "gcomm://", {})}}
	fs := gal_002.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.severity == "low"
}

test_pc_bootstrap_critical if {
	wpo := {"pc.bootstrap": {"value": "YES", "file": _f, "line": 7}, "gcache.size": {"value": "1G", "file": _f, "line": 7}}
	inp := _in(_node("10.0.0.1", "openstack", _all, wpo), _node("10.0.0.2", "openstack", _all, {}), _node("10.0.0.3", "openstack", _all, {}))
	fs := gal_002.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db1"
	f.severity == "critical"
	f.line == 7
	f.key == "mysqld/wsrep_provider_options/pc.bootstrap"
}

test_pc_bootstrap_no_is_quiet if {
	wpo := {"pc.bootstrap": {"value": "no", "file": _f, "line": 7}}
	inp := _in(_node("10.0.0.1", "openstack", _all, wpo), _node("10.0.0.2", "openstack", _all, {}), _node("10.0.0.3", "openstack", _all, {}))
	count(gal_002.deny) == 0 with input as t.with_topology(inp)
}

test_cluster_name_differs_high_on_minority if {
	inp := _in(_node("10.0.0.1", "openstack", _all, {}), _node("10.0.0.2", "galera", _all, {}), _node("10.0.0.3", "openstack", _all, {}))
	fs := gal_002.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db2"
	f.severity == "high"
	f.line == 4
	f.key == "mysqld/wsrep_cluster_name"
	[r.host | some r in f.related] == ["db1", "db3"]
}

test_cluster_name_default_counts if {
	n2 := json.remove(_node("10.0.0.2", "openstack", _all, {}), ["mysql/server/wsrep_cluster_name"])
	inp := _in(_node("10.0.0.1", "openstack", _all, {}), n2, _node("10.0.0.3", "openstack", _all, {}))
	some f in gal_002.deny with input as t.with_topology(inp)
	f.host == "db2"
	contains(f.message, "my_wsrep_cluster")
	f.line == 3
}

test_address_omits_member_medium if {
	inp := _in(
		_node("10.0.0.1", "openstack", _all, {}),
		_node("10.0.0.2", "openstack", _all, {}),
		_node("10.0.0.3", "openstack", "gcomm://10.0.0.1,10.0.0.3", {}),
	)
	fs := gal_002.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "db3"
	f.severity == "medium"
	contains(f.message, "omits db2 (10.0.0.2)")
	contains(f.message, "differs from")
}

test_two_node_tie_reports_both if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {
		"db1": _node("10.0.0.1", "openstack", "gcomm://10.0.0.1,10.0.0.2", {}),
		"db2": _node("10.0.0.2", "openstack", "gcomm://10.0.0.2,10.0.0.9", {}),
	}}
	fs := gal_002.deny with input as t.with_topology(inp)
	{f.host | some f in fs} == {"db1", "db2"}
}

test_quiet_on_non_galera_hosts if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": {"mysql": {"files": [_f], "server": {"wsrep_cluster_address": _o("gcomm://", 5)}, "wsrep_provider_options": {}}}}}
	count(gal_002.deny) == 0 with input as t.with_topology(inp)
}
