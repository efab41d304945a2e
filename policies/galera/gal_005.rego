# METADATA
# title: innodb_flush_log_at_trx_commit durability and consistency
# description: |
#   With 0 or 2, InnoDB writes or flushes its redo log about once a second
#   instead of at every commit. On a stand-alone server a crash then loses
#   the transactions committed in that last second (medium). In a Galera
#   cluster durability comes from synchronous replication: a committed
#   transaction is on the other nodes, so MariaDB recommends relaxing the
#   local flush, and a value of 1 (the default) is only a missed
#   performance opportunity (info); losing the last second then needs every
#   node to crash at once, one power domain. Deployment tools disagree
#   (kolla sets 0 since late 2025, openstack-ansible keeps 1), so the rule
#   reports rather than forces, but nodes of one cluster should agree: a
#   differing value makes failover change the durability (low). Whether a
#   node with a provider but no wsrep_on replicates depends on its server:
#   wsrep_on defaults OFF on MariaDB 10.1 and later, ON on MariaDB Galera
#   Cluster 5.5/10.0, MySQL-wsrep and Percona XtraDB Cluster
#   (mysql.server_version).
# custom:
#   id: OSC-GAL-005
#   severity: medium
#   severities:
#     low: "nodes of one cluster disagree"
#     info: "1 on a Galera node (a missed performance gain)"
#   fix: manual
#   remedy: |
#     Stand-alone MariaDB: innodb_flush_log_at_trx_commit=1. Galera: 0 or 2 is
#     acceptable, and the same value on every node; keep 1 where a
#     simultaneous crash of every node is a real risk. Restart one node at a
#     time.
#   references:
#     - https://mariadb.com/kb/en/configuring-mariadb-galera-cluster/#performance-related-options
#     - https://mariadb.com/kb/en/innodb-system-variables/#innodb_flush_log_at_trx_commit
#     - openstack/kolla-ansible commit a12bfa800 (galera.cnf.j2, innodb_flush_log_at_trx_commit = 0)
#     - openstack/openstack-ansible-galera_server templates/my.cnf.j2 (innodb-flush-log-at-trx-commit = 1)
package oscfg.rules.gal_005

import data.oscfg.lib
import data.oscfg.lib.internal.galera

_name := "innodb_flush_log_at_trx_commit"

_val(h) := galera.val(h, _name) if galera.opt(h, _name).has_value

_val(h) := "1" if not galera.opt(h, _name)

_relaxed := {"0", "2"}

# Server hosts that do not replicate: no provider, or wsrep_on off (set,
# or unset on a server whose default is OFF: galera.wsrep_off). Unset on
# an unknown server counts as Galera (OSC-GAL-001 asks to set it).
_standalone contains h if {
	some h in lib.db_hosts
	not h in lib.gal_nodes
}

_standalone contains h if {
	some h in lib.gal_nodes
	galera.wsrep_off(h)
}

_galera := lib.gal_nodes - _standalone

_where(h) := [o.file, o.line] if {
	o := galera.opt(h, _name)
} else := [p.file, p.line] if {
	p := galera.opt(h, "wsrep_provider")
} else := [input.hosts[h].mysql.files[0], 1]

deny contains f if {
	some h in _standalone
	v := _val(h)
	v in _relaxed
	o := galera.opt(h, _name)
	f := {
		"host": h, "file": o.file, "line": o.line, "severity": "medium",
		"key": sprintf("mysqld/%s", [_name]),
		"message": sprintf("%s = %s on %s, %s: InnoDB flushes its log about once a second, so a crash loses the transactions committed in that second; set it to 1", [_name, v, h, _alone(h)]),
		"fix": {"op": "set", "host": h, "file": o.file, "section": o.group, "key": _name, "value": "1"},
		"fix_class": "manual",
	}
}

_alone(h) := "a Galera node with wsrep_on not ON, so nothing replicates its commits" if h in lib.gal_nodes

_alone(h) := "a stand-alone server (no Galera provider)" if not h in lib.gal_nodes

_vals[h] := _val(h) if some h in _galera

# Galera node -> value, per cluster (input.topology): nodes of different
# clusters never replicate to each other.
_cvals[c] := m if {
	some c in lib.clusters
	m := {h: v | some h, v in _vals; input.topology.hosts[h].cluster == c}
}

_ref(h) := {"host": h, "file": w[0], "line": w[1], "note": sprintf("%s = %s on %s", [_name, _vals[h], h])} if {
	w := _where(h)
}

deny contains f if {
	some c, cv in _cvals
	lib.distinct(cv) > 1
	some h in lib.outliers(cv)
	w := _where(h)
	f := {
		"host": h, "file": w[0], "line": w[1], "severity": "low",
		"key": sprintf("mysqld/%s/consistency", [_name]),
		"message": sprintf("%s = %s on Galera node %s differs from %s: the cluster's durability changes with the node that is the writer; use one value on every node", [_name, _vals[h], h, concat(", ", sort({sprintf("%s on %s", [v, h2]) | some h2, v in cv; v != _vals[h]}))]),
		"related": [_ref(h2) | some h2, v in cv; v != _vals[h]],
	}
}

_shown(h) := sprintf("%s = 1", [_name]) if galera.opt(h, _name)

_shown(h) := sprintf("%s unset (MariaDB default 1)", [_name]) if not galera.opt(h, _name)

deny contains f if {
	some h, v in _vals
	v == "1"
	w := _where(h)
	f := {
		"host": h, "file": w[0], "line": w[1], "severity": "info",
		"key": sprintf("mysqld/%s", [_name]),
		"message": sprintf("%s on Galera node %s: every commit waits for a local log flush although replication already makes it durable; MariaDB recommends 0 (or 2) on Galera, kept the same on every node", [_shown(h), h]),
	}
}
