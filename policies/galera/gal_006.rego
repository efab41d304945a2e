# METADATA
# title: Deprecated or removed Galera (wsrep) server option
# description: |
#   Galera configurations copied from older guides carry wsrep options that
#   later servers replaced. wsrep_causal_reads was deprecated by
#   wsrep_sync_wait in Galera 3.9 (MySQL-wsrep 5.5.42-25.11 and
#   5.6.21-25.9) and MariaDB 10.1.3, and removed in MariaDB 11.3 (the
#   MariaDB knowledge base says 11.3.0, the preview release; MariaDB's own
#   MDEV-39691 says 11.3.1, the first RC); MySQL-wsrep 8.0 no longer knows
#   it either ("Unknown system variable 'wsrep_causal_reads'" during an
#   xtrabackup SST). While it exists, ON overrides whatever wsrep_sync_wait says (the server logs
#   "--wsrep-causal-reads=ON takes precedence over --wsrep-sync-wait").
#   wsrep_replicate_myisam and wsrep_strict_ddl were deprecated in MariaDB
#   10.6.0 in favour of wsrep_mode = REPLICATE_MYISAM and
#   STRICT_REPLICATION, and are no longer present in MariaDB Enterprise
#   Server 11.4. wsrep_load_data_splitting is deprecated ("will be removed
#   in a future release"). A server that does not know an option given in
#   an option file stops at start-up ("unknown variable", "Aborting")
#   unless the line is prefixed loose-, which turns the error into a
#   warning; so on a removed option the node does not come back after an
#   upgrade. oscfg does not know the MariaDB version a file is for: medium
#   for an option a current release removed, low for one that is only
#   deprecated or written with loose-.
# custom:
#   id: OSC-GAL-006
#   severity: medium
#   fix: manual
#   remedy: |
#     wsrep_causal_reads = ON -> wsrep_sync_wait = 1 (OFF -> drop the line);
#     wsrep_replicate_myisam = ON -> wsrep_mode = REPLICATE_MYISAM;
#     wsrep_strict_ddl = ON -> wsrep_mode = STRICT_REPLICATION (wsrep_mode
#     takes a comma-separated set: merge with what it already has; it needs
#     MariaDB 10.6); delete wsrep_load_data_splitting (streaming replication,
#     wsrep_trx_fragment_size, splits large transactions). Check the
#     server version before removing an option an older server needs.
#   references:
#     - https://mariadb.com/kb/en/galera-cluster-system-variables/ (wsrep_causal_reads deprecated 10.1.3, removed 11.3.0)
#     - MariaDB/server pull request #5104, MDEV-39691 (wsrep_causal_reads "removed in 11.3.1")
#     - percona/percona-xtrabackup pull request #1370 (mysql-wsrep 8.0: Unknown system variable 'wsrep_causal_reads')
#     - https://mariadb.com/docs/release-notes/galera-cluster/mysql-wsrep/5.6/5.6.21-25.9 (wsrep_causal_reads deprecated, wsrep_sync_wait introduced)
#     - MariaDB/server commit 98bebad (sql/mysqld.cc, "--wsrep-causal-reads=ON takes precedence over --wsrep-sync-wait")
#     - MariaDB/server commit 27d66d644c (MENT-411, wsrep_replicate_myisam deprecated for wsrep_mode = REPLICATE_MYISAM)
#     - https://mariadb.com/docs/server/ref/mdb/system-variables/wsrep_strict_ddl (10.5-10.6 only; not present in 11.4 ES)
#     - https://mariadb.com/docs/server/ref/mdb/system-variables/wsrep_load_data_splitting (deprecated)
#     - https://dev.mysql.com/doc/refman/9.0/en/option-modifiers.html (with --loose an unknown option is a warning, not an error)
package oscfg.rules.gal_006

# name -> [replacement, severity when written plainly, what happened to it]
_options := {
	"wsrep_causal_reads": ["wsrep_sync_wait = 1 (for ON)", "medium", "deprecated since Galera 3.9 / MariaDB 10.1.3 and removed in MariaDB 11.3 and unknown to MySQL-wsrep 8.0; while it exists, ON overrides wsrep_sync_wait"],
	"wsrep_replicate_myisam": ["wsrep_mode = REPLICATE_MYISAM", "medium", "deprecated since MariaDB 10.6.0 and gone by MariaDB 11.4"],
	"wsrep_strict_ddl": ["wsrep_mode = STRICT_REPLICATION", "medium", "deprecated since MariaDB 10.6.0 and gone by MariaDB 11.4"],
	"wsrep_load_data_splitting": ["nothing (streaming replication, wsrep_trx_fragment_size, splits large transactions)", "low", "deprecated and to be removed"],
}

_severity(o, sev) := "low" if o.loose

_severity(o, sev) := sev if not o.loose

_loose_note(o) := "; written loose-, so a server without it only warns" if o.loose

_loose_note(o) := "; a server that no longer has it refuses to start (unknown variable)" if not o.loose

deny contains f if {
	some h, p
	file := input.hosts[h].files[p]
	file.kind == "mycnf"
	some g in file.groups
	g.server
	some o in g.options
	[to, sev, why] := _options[o.name]
	f := {
		"host": h, "file": p, "line": o.line, "severity": _severity(o, sev),
		"key": sprintf("%s/%s", [g.name, o.name]),
		"message": sprintf("[%s] %s in %s is %s%s; use %s", [g.name, o.raw_name, p, why, _loose_note(o), to]),
	}
}
