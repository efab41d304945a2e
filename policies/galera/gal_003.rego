# METADATA
# title: Galera SST method blocking, unsupported, or inconsistent
# description: |
#   A node that rejoins after its missing write-sets have left the donor's
#   gcache needs a full state snapshot transfer. rsync (MariaDB's default)
#   and mysqldump block the donor for the whole copy; with three nodes
#   behind an active/backup listener the donor can be the active writer, and
#   a routine rejoin becomes an API outage. xtrabackup and xtrabackup-v2
#   are not supported from MariaDB 10.3 on: Percona XtraBackup cannot read
#   its redo log format, so on the first 10.3 releases the transfer fails;
#   since MDEV-17835 (merged into 10.3 in January 2019) the server drops
#   the xtrabackup scripts and runs mariabackup in their place with a
#   warning, which works only where mariadb-backup is installed and
#   wsrep_sst_auth suits it, so the file no longer says what runs. They
#   are the usual method on MySQL-wsrep and Percona XtraDB Cluster and work
#   on MariaDB 10.2 and older. The server comes from mysql.server_version
#   (oscfg.ini [settings] mysql_server, a [mariadb-X.Y] group; else MariaDB
#   10.3 or later is assumed, and the finding says so); an xtrabackup
#   method with no version known is itself a sign of an older server, so
#   that case is medium. Donor and joiner run the method the
#   joiner asks for, and must both have it set up: a method that differs
#   between nodes fails depending on who donates. High for xtrabackup and
#   for a method that differs across nodes, medium for blocking methods
#   (an unset method is rsync).
# custom:
#   id: OSC-GAL-003
#   severity: high
#   severities:
#     medium: "a blocking method (rsync, mysqldump), or xtrabackup on a server oscfg cannot identify"
#   fix: manual
#   remedy: |
#     Set wsrep_sst_method=mariabackup on every node (kolla's and
#     openstack-ansible's default), install socat and mariadb-backup, and
#     set wsrep_sst_auth for a local backup user (a secret: keep the file
#     mode 0640 or tighter). Change nodes one at a time.
#   references:
#     - https://mariadb.com/kb/en/mariabackup-sst-method/
#     - https://mariadb.com/kb/en/xtrabackup-v2-sst-method/
#     - https://jira.mariadb.org/browse/MDEV-17835 (XtraBackup cannot read the 10.3 redo log; MariaDB/server PR #1120 removes the xtrabackup SST scripts, January 2019)
#     - https://mariadb.com/kb/en/galera-cluster-system-variables/#wsrep_sst_method
#     - openstack/kolla-ansible ansible/roles/mariadb/defaults/main.yml (mariadb_wsrep_sst_method)
#     - openstack/openstack-ansible-galera_server defaults/main.yml (galera_wsrep_sst_method)
package oscfg.rules.gal_003

import data.oscfg.lib
import data.oscfg.lib.internal.galera

_methods[h] := galera.sst(h) if some h in lib.gal_nodes

_shown(h) := sprintf("wsrep_sst_method = %s", [_methods[h]]) if {
	galera.opt(h, "wsrep_sst_method")
} else := sprintf("wsrep_sst_method unset (MariaDB default %s)", [galera.sst_default])

_finding(h, sev, key, msg) := {
	"host": h, "file": fl[0], "line": fl[1], "severity": sev, "key": key, "message": msg,
	"fix": galera.set_op(h, "wsrep_sst_method", "mariabackup"),
	"fix_class": "manual",
} if {
	fl := galera.line(h, "wsrep_sst_method")
}

deny contains f if {
	some h, m in _methods
	m in galera.sst_unsupported
	galera.server(h).xtrabackup_sst == "unsupported"
	f := _finding(h, "high", "mysqld/wsrep_sst_method", sprintf("%s on Galera node %s: Percona XtraBackup is not supported from MariaDB 10.3 on (%s): it cannot read the redo log, so the first 10.3 servers fail a full state transfer to or from this node, and later ones run mariabackup in its place with a warning, which fails too unless mariadb-backup is installed and wsrep_sst_auth suits it; either way the node may not rejoin; set mariabackup", [_shown(h), h, galera.server_note(h)]))
}

deny contains f if {
	some h, m in _methods
	m in galera.sst_unsupported
	galera.server(h).xtrabackup_sst == "unknown"
	f := _finding(h, "medium", "mysqld/wsrep_sst_method", sprintf("%s on Galera node %s: it works on MariaDB 10.2 and older, MySQL-wsrep and Percona XtraDB Cluster, but fails on MariaDB 10.3 and later, where the node could not rejoin; oscfg cannot tell which server this is (%s): state it with [settings] mysql_server in oscfg.ini, and on MariaDB use mariabackup", [_shown(h), h, galera.server_note(h)]))
}

deny contains f if {
	some h, m in _methods
	m in galera.sst_blocking
	f := _finding(h, "medium", "mysqld/wsrep_sst_method", sprintf("%s on Galera node %s: the donor is blocked for the whole state transfer; when it is the active writer behind the DB listener, a routine rejoin stops all writes; use mariabackup", [_shown(h), h]))
}

_ref(h) := {"host": h, "file": fl[0], "line": fl[1], "note": sprintf("%s on %s", [_shown(h), h])} if {
	fl := galera.line(h, "wsrep_sst_method")
}

# Per cluster (input.topology): only nodes of one cluster transfer state
# to each other.
_cmethods[c] := cm if {
	some c in lib.clusters
	cm := {h: m | some h, m in _methods; input.topology.hosts[h].cluster == c}
}

deny contains f if {
	some _, cm in _cmethods
	lib.distinct(cm) > 1
	some h in lib.outliers(cm)
	rel := [_ref(h2) | some h2, m in cm; m != _methods[h]]
	f := object.union({"related": rel}, _finding(h, "high", "mysqld/wsrep_sst_method/consistency", sprintf("%s on Galera node %s differs from %s: donor and joiner must run the same method, so a state transfer fails depending on which node donates; use one method (mariabackup) on every node", [_shown(h), h, concat(", ", sort({sprintf("%s on %s", [m, h2]) | some h2, m in cm; m != _methods[h]}))])))
}
