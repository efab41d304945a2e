# METADATA
# title: Mandatory Galera settings missing or wrong
# description: |
#   Galera replicates row images certified against every node. A node that
#   loads the provider but leaves wsrep_on OFF (MariaDB's default) does not
#   replicate at all; statement or mixed binary logging (MIXED is MariaDB's
#   default) is not what the provider can ship; non-InnoDB tables are not
#   replicated; the default auto-increment lock mode 1 takes a table-level
#   lock that Galera cannot coordinate across writers; and a disabled
#   doublewrite buffer risks torn pages that a crash recovery cannot repair.
#   Only nodes with wsrep_provider set are checked; unset options take the
#   defaults of the node's server (mysql.server_version, worked out in Go
#   from oscfg.ini [settings] mysql_server, a [mariadb-X.Y] option group,
#   or signs of an older server; else MariaDB 10.3 or later is assumed, and
#   each finding says which). wsrep_on defaults OFF on MariaDB 10.1 and
#   later but ON on MariaDB Galera Cluster 5.5/10.0, MySQL-wsrep and
#   Percona XtraDB Cluster (Fuel, early OSP): unset there is fine; unset on
#   an unknown server is medium. binlog_format defaults to MIXED on MariaDB
#   10.2.4+, STATEMENT on older servers and MySQL 5.6, ROW on MySQL 5.7.7+.
#   Critical for wsrep_on and binlog_format, high for the storage engine
#   and doublewrite, medium for innodb_autoinc_lock_mode.
# custom:
#   id: OSC-GAL-001
#   severity: critical
#   severities:
#     high: "a non-InnoDB default storage engine, or the doublewrite buffer off"
#     medium: "innodb_autoinc_lock_mode not 2, or wsrep_on unset on a server oscfg cannot identify"
#   fix: manual
#   remedy: |
#     In the [galera] (or [mysqld]) group of every node: wsrep_on=ON,
#     binlog_format=ROW, default_storage_engine=InnoDB,
#     innodb_autoinc_lock_mode=2, innodb_doublewrite=1. The patch is
#     deterministic, but applying it means a rolling restart of the cluster,
#     one node at a time, waiting for each to be Synced.
#   references:
#     - https://mariadb.com/kb/en/galera-cluster-system-variables/#wsrep_on (default OFF, MariaDB 10.1 and later)
#     - https://galeracluster.com/library/documentation/mysql-wsrep-options.html (MySQL-wsrep, wsrep_on default ON)
#     - https://www.percona.com/doc/percona-xtradb-cluster/5.6/wsrep-system-index.html
#     - https://dev.mysql.com/doc/refman/5.7/en/replication-options-binary-log.html#sysvar_binlog_format (ROW from 5.7.7)
#     - https://mariadb.com/kb/en/configuring-mariadb-with-option-files/ ([mariadb-X.Y] and [galera] groups)
#     - https://mariadb.com/kb/en/configuring-mariadb-galera-cluster/
#     - https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#binlog_format
#     - https://mariadb.com/kb/en/innodb-system-variables/#innodb_autoinc_lock_mode
#     - openstack/kolla-ansible ansible/roles/mariadb/templates/galera.cnf.j2
package oscfg.rules.gal_001

import data.oscfg.lib
import data.oscfg.lib.internal.galera

_finding(h, name, sev, msg, value) := {
	"host": h, "file": fl[0], "line": fl[1], "severity": sev,
	"key": sprintf("mysqld/%s", [name]),
	"message": msg,
	"fix": galera.set_op(h, name, value),
	"fix_class": "manual",
} if {
	fl := galera.line(h, name)
}

_shown(h, name) := sprintf("%s = %s", [name, galera.val(h, name)]) if {
	galera.opt(h, name).has_value
} else := sprintf("%s (bare, ON)", [name]) if {
	galera.opt(h, name)
}

deny contains f if {
	some h in lib.gal_nodes
	o := galera.opt(h, "wsrep_on")
	not galera.on(o)
	f := _finding(h, "wsrep_on", "critical", sprintf("%s on Galera node %s (wsrep_provider is set): the node does not replicate, so writes it takes never reach the cluster; set wsrep_on=ON", [_shown(h, "wsrep_on"), h]), "ON")
}

deny contains f if {
	some h in lib.gal_nodes
	not galera.opt(h, "wsrep_on")
	galera.server(h).wsrep_on_default == "off"
	f := _finding(h, "wsrep_on", "critical", sprintf("wsrep_on is not set on Galera node %s, and it defaults to OFF (%s): the provider is loaded but the node does not replicate; set wsrep_on=ON", [h, galera.server_note(h)]), "ON")
}

# The server is not known and there are signs of an older one, whose
# wsrep_on defaults ON: say both.
deny contains f if {
	some h in lib.gal_nodes
	not galera.opt(h, "wsrep_on")
	galera.server(h).wsrep_on_default == "unknown"
	f := _finding(h, "wsrep_on", "medium", sprintf("wsrep_on is not set on Galera node %s: MariaDB 10.1 and later default it OFF (the node would not replicate), MariaDB Galera Cluster 5.5/10.0, MySQL-wsrep and Percona XtraDB Cluster ON; oscfg cannot tell which this is (%s); set wsrep_on=ON explicitly, or state the server with [settings] mysql_server in oscfg.ini", [h, galera.server_note(h)]), "ON")
}

deny contains f if {
	some h in lib.gal_nodes
	v := galera.val(h, "binlog_format")
	upper(v) != "ROW"
	f := _finding(h, "binlog_format", "critical", sprintf("binlog_format = %s on Galera node %s: Galera replicates row events only; statement and mixed logging break replication; set binlog_format=ROW", [v, h]), "ROW")
}

_binlog_default(h) := sprintf("the default is %s (%s)", [d, galera.server_note(h)]) if {
	d := galera.server(h).binlog_format_default
	d != ""
} else := sprintf("the default is STATEMENT or MIXED on every Galera server of that age (%s)", [galera.server_note(h)])

deny contains f if {
	some h in lib.gal_nodes
	not galera.opt(h, "binlog_format")
	galera.server(h).binlog_format_default != "ROW"
	f := _finding(h, "binlog_format", "critical", sprintf("binlog_format is not set on Galera node %s, and %s: Galera replicates row events only; set binlog_format=ROW", [h, _binlog_default(h)]), "ROW")
}

deny contains f if {
	some h in lib.gal_nodes
	v := galera.val(h, "default_storage_engine")
	lower(v) != "innodb"
	f := _finding(h, "default_storage_engine", "high", sprintf("default_storage_engine = %s on Galera node %s: only InnoDB tables are replicated; tables created without an explicit engine silently stay local; set default_storage_engine=InnoDB", [v, h]), "InnoDB")
}

deny contains f if {
	some h in lib.gal_nodes
	v := galera.val(h, "innodb_autoinc_lock_mode")
	v != "2"
	f := _finding(h, "innodb_autoinc_lock_mode", "medium", sprintf("innodb_autoinc_lock_mode = %s on Galera node %s: only interleaved mode (2) avoids the table-level AUTO-INC lock that Galera cannot coordinate across writers; set innodb_autoinc_lock_mode=2", [v, h]), "2")
}

deny contains f if {
	some h in lib.gal_nodes
	not galera.opt(h, "innodb_autoinc_lock_mode")
	object.get(galera.server(h), "autoinc_lock_mode_default", "1") != "2"
	f := _finding(h, "innodb_autoinc_lock_mode", "medium", sprintf("innodb_autoinc_lock_mode is not set on Galera node %s (MariaDB's default is 1, consecutive): the table-level AUTO-INC lock serializes inserts and Galera cannot coordinate it across writers; set innodb_autoinc_lock_mode=2", [h]), "2")
}

deny contains f if {
	some h in lib.gal_nodes
	o := galera.opt(h, "innodb_doublewrite")
	o.has_value
	lower(trim_space(o.value)) in {"0", "off", "false"}
	f := _finding(h, "innodb_doublewrite", "high", sprintf("innodb_doublewrite = %s on Galera node %s: a crash can leave torn pages that InnoDB recovery cannot repair, forcing a full SST of the node; set innodb_doublewrite=1", [trim_space(o.value), h]), "1")
}

# skip-innodb-doublewrite (the option's negated form).
deny contains f if {
	some h in lib.gal_nodes
	o := galera.opt(h, "skip_innodb_doublewrite")
	galera.on(o)
	f := {
		"host": h, "file": o.file, "line": o.line, "severity": "high",
		"key": "mysqld/innodb_doublewrite",
		"message": sprintf("skip-innodb-doublewrite on Galera node %s: a crash can leave torn pages that InnoDB recovery cannot repair, forcing a full SST of the node; remove it", [h]),
		"fix": {"op": "delete", "host": h, "file": o.file, "section": o.group, "key": "skip_innodb_doublewrite"},
		"fix_class": "manual",
	}
}
