# METADATA
# title: Galera cluster address or bootstrap settings that cause split brain
# description: |
#   A bare `gcomm://` tells a node to found a new cluster every time it
#   starts instead of joining its peers; a persisted pc.bootstrap=yes makes
#   it declare itself a primary component. Either way, after an ordinary
#   restart there are two primaries taking writes independently, and the
#   diverged data has to be reconciled by hand. Bootstrap belongs on the
#   command line of one start (galera_new_cluster), never in a file.
#   Different cluster names keep nodes from joining each other at all;
#   address lists that differ or leave out a member make a full-cluster
#   restart depend on which node comes up first. Critical for an empty
#   address on a node of a multi-node cluster (low when only one Galera
#   node was given: a one-member cluster is rendered that way on purpose)
#   and for pc.bootstrap; high for differing wsrep_cluster_name; medium for
#   differing or incomplete member lists (compared across the Galera nodes
#   given, by host part, ports and options ignored; a member counts as
#   omitted when its wsrep_node_address is missing from a peer's list).
# custom:
#   id: OSC-GAL-002
#   severity: critical
#   severities:
#     high: "wsrep_cluster_name differing between nodes"
#     medium: "member lists differing or incomplete"
#     low: "an empty gcomm:// on the only Galera node given"
#   fix: manual
#   remedy: |
#     List all members, identically, on every node
#     (`wsrep_cluster_address=gcomm://n1,n2,n3`), keep one
#     wsrep_cluster_name, remove pc.bootstrap from wsrep_provider_options,
#     and bootstrap a stopped cluster with `galera_new_cluster` on the most
#     advanced node only. Change nodes one at a time.
#   references:
#     - https://mariadb.com/kb/en/galera-cluster-address/
#     - https://mariadb.com/kb/en/getting-started-with-mariadb-galera-cluster/#bootstrapping-a-new-cluster
#     - openstack/openstack-ansible-galera_server defaults/main.yml (galera_wsrep_cluster_address)
#     - openstack/kolla-ansible ansible/roles/mariadb/templates/galera.cnf.j2 (pc.bootstrap only during recovery)
package oscfg.rules.gal_002

import data.oscfg.lib
import data.oscfg.lib.internal.galera

# The Galera nodes of h's cluster (input.topology): another region's
# nodes are never members of this one.
_peers(h) := lib.cluster_galera(lib.cluster_of(h))

_multi(h) if count(_peers(h)) > 1

_addr(h) := galera.val(h, "wsrep_cluster_address")

# An empty member list.
deny contains f if {
	some h in lib.gal_nodes
	a := _addr(h)
	galera.is_gcomm(a)
	count(galera.members(a)) == 0
	_multi(h)
	o := galera.opt(h, "wsrep_cluster_address")
	f := {
		"host": h, "file": o.file, "line": o.line, "severity": "critical",
		"key": "mysqld/wsrep_cluster_address",
		"message": sprintf("wsrep_cluster_address = %s on Galera node %s of a %d-node cluster: an empty gcomm:// founds a new cluster at every start, so the next restart of this node leaves two primary components taking writes (split brain); list every member", [a, h, count(_peers(h))]),
		"related": [_ref(h2) | some h2 in _peers(h); h2 != h; galera.opt(h2, "wsrep_cluster_address")],
	}
}

deny contains f if {
	some h in lib.gal_nodes
	a := _addr(h)
	galera.is_gcomm(a)
	count(galera.members(a)) == 0
	not _multi(h)
	o := galera.opt(h, "wsrep_cluster_address")
	f := {
		"host": h, "file": o.file, "line": o.line, "severity": "low",
		"key": "mysqld/wsrep_cluster_address",
		"message": sprintf("wsrep_cluster_address = %s on Galera node %s: right only for a one-member cluster; if the cluster has other members, every restart of this node founds a new cluster (split brain, critical); list every member", [a, h]),
	}
}

_ref(h) := {"host": h, "file": o.file, "line": o.line, "note": sprintf("wsrep_cluster_address = %s on %s", [trim_space(o.value), h])} if {
	o := galera.opt(h, "wsrep_cluster_address")
}

# pc.bootstrap persisted in wsrep_provider_options.
deny contains f if {
	some h in lib.gal_nodes
	p := input.hosts[h].mysql.wsrep_provider_options["pc.bootstrap"]
	lower(trim_space(p.value)) in {"yes", "true", "1", "on"}
	f := {
		"host": h, "file": p.file, "line": p.line, "severity": "critical",
		"key": "mysqld/wsrep_provider_options/pc.bootstrap",
		"message": sprintf("wsrep_provider_options sets pc.bootstrap=%s on Galera node %s: every start declares this node a primary component on its own, so a restart while the others run splits the cluster; remove it and bootstrap once with galera_new_cluster", [trim_space(p.value), h]),
	}
}

# wsrep_cluster_name differs between nodes (of one cluster).
_names[h] := n if {
	some h in lib.gal_nodes
	n := _name(h)
}

_cnames[c] := m if {
	some c in lib.clusters
	m := {h: n | some h, n in _names; input.topology.hosts[h].cluster == c}
}

_name(h) := v if {
	v := galera.val(h, "wsrep_cluster_name")
} else := "my_wsrep_cluster"

_name_ref(h) := {"host": h, "file": fl[0], "line": fl[1], "note": sprintf("wsrep_cluster_name = %s on %s", [_names[h], h])} if {
	fl := galera.line(h, "wsrep_cluster_name")
}

deny contains f if {
	some c, cn in _cnames
	lib.distinct(cn) > 1
	some h in lib.outliers(cn)
	fl := galera.line(h, "wsrep_cluster_name")
	f := {
		"host": h, "file": fl[0], "line": fl[1], "severity": "high",
		"key": "mysqld/wsrep_cluster_name",
		"message": sprintf("wsrep_cluster_name = %s on Galera node %s differs from %s: nodes with another cluster name refuse to join each other, so the cluster cannot re-form after a restart; use one name on every node", [_names[h], h, concat(", ", sort({sprintf("%s on %s", [n, h2]) | some h2, n in cn; n != _names[h]}))]),
		"related": [_name_ref(h2) | some h2, n in cn; n != _names[h]],
	}
}

# Member lists that differ or omit a member.
_lists[h] := sort(m) if {
	some h in lib.gal_nodes
	a := _addr(h)
	galera.is_gcomm(a)
	m := galera.members(a)
	count(m) > 0
}

_clists[c] := m if {
	some c in lib.clusters
	m := {h: l | some h, l in _lists; input.topology.hosts[h].cluster == c}
}

_drift contains h if {
	some _, m in _clists
	lib.distinct(m) > 1
	some h in lib.outliers(m)
}

# The address a member is known by (wsrep_node_address, port dropped).
_node_addr(h) := lower(split(galera.val(h, "wsrep_node_address"), ":")[0])

_omitted(h) := {sprintf("%s (%s)", [m, _node_addr(m)]) |
	some m in _peers(h)
	m != h
	addr := _node_addr(m)
	not addr in {x | some x in _lists[h]}
	not lower(m) in {x | some x in _lists[h]}
}

_why(h) := sprintf("differs from %s; omits %s", [_others(h), concat(", ", sort(_omitted(h)))]) if {
	h in _drift
	count(_omitted(h)) > 0
} else := sprintf("differs from %s", [_others(h)]) if {
	h in _drift
} else := sprintf("omits member %s", [concat(", ", sort(_omitted(h)))])

_others(h) := concat(", ", sort({sprintf("%s on %s", [concat(",", l), h2]) | some h2, l in _clists[lib.cluster_of(h)]; l != _lists[h]}))

deny contains f if {
	some h, l in _lists
	_flag(h)
	o := galera.opt(h, "wsrep_cluster_address")
	f := {
		"host": h, "file": o.file, "line": o.line, "severity": "medium",
		"key": "mysqld/wsrep_cluster_address",
		"message": sprintf("wsrep_cluster_address on Galera node %s lists %s, which %s: after a full-cluster restart the nodes that come up first may not find each other, or form a cluster without the missing member; list every member identically on every node", [h, concat(",", l), _why(h)]),
		"related": [_ref(h2) | some h2 in _peers(h); h2 != h; galera.opt(h2, "wsrep_cluster_address")],
	}
}

_flag(h) if h in _drift

_flag(h) if count(_omitted(h)) > 0
