# METADATA
# title: Debug logging or SQL echo enabled in production
# description: |
#   [DEFAULT] debug = True multiplies log volume (disk-full controllers),
#   slows eventlet services and logs request and response details that can
#   include tokens and other sensitive data. oslo.db's connection_debug
#   maps 50 and above to SQLAlchemy's INFO level, which logs every SQL
#   statement with its bound parameters (100 adds result rows); values
#   below 50 only keep warnings, so the rule fires from 50, not only at the
#   100 the catalog names. Neither is covered by oslo.config's secret
#   masking. connection_trace = True appends the Python call stack to every
#   statement as an SQL comment: log noise and overhead. Medium for debug
#   and connection_debug >= 50 (in [database] and nova's [api_database]),
#   low for connection_trace.
# custom:
#   id: OSC-GEN-001
#   severity: medium
#   severities:
#     low: "connection_trace"
#   fix: safe
#   remedy: |
#     debug = False (mutable: a SIGHUP reloads it without a restart),
#     connection_debug = 0, connection_trace = False (restart the service).
#     Turn debugging on per incident and off afterwards.
#   references:
#     - openstack/oslo.log oslo_log/_options.py (debug, default False, mutable)
#     - openstack/oslo.db oslo_db/options.py (connection_debug 0-100, connection_trace)
#     - openstack/oslo.db oslo_db/sqlalchemy/engines.py (_setup_logging maps >= 100 to DEBUG, >= 50 to INFO)
package oscfg.rules.gen_001

import data.oscfg.lib

_db_groups := {"database", "api_database"}

_int(o) := o.value if {
	is_number(o.value)
	not o.invalid
}

deny contains f if {
	some [h, p, file] in lib.oslo_files
	o := file.options.DEFAULT.debug
	o.set
	o.value == true
	f := {
		"host": h, "file": p, "line": o.line, "severity": "medium",
		"key": "DEFAULT/debug",
		"message": sprintf("debug = %s in %s: DEBUG logging multiplies log volume (disk-full controllers), slows the service and logs request details that may include sensitive data; set debug = False (reloaded on SIGHUP)", [file.sections.DEFAULT.keys[o.key].value, p]),
		"fix": {"op": "set", "host": h, "file": p, "section": "DEFAULT", "key": "debug", "value": "false"},
	}
}

deny contains f if {
	some [h, p, file] in lib.oslo_files
	some g in _db_groups
	o := file.options[g].connection_debug
	o.set
	n := _int(o)
	n >= 50
	f := {
		"host": h, "file": p, "line": o.line, "severity": "medium",
		"key": sprintf("%s/connection_debug", [g]),
		"message": sprintf("[%s] connection_debug = %d in %s: from 50 SQLAlchemy logs every SQL statement with its bound parameters (from 100 also result rows), which secret masking does not cover and which floods the logs; set it to 0", [g, n, p]),
		"fix": {"op": "set", "host": h, "file": p, "section": g, "key": "connection_debug", "value": "0"},
	}
}

deny contains f if {
	some [h, p, file] in lib.oslo_files
	some g in _db_groups
	o := file.options[g].connection_trace
	o.set
	o.value == true
	f := {
		"host": h, "file": p, "line": o.line, "severity": "low",
		"key": sprintf("%s/connection_trace", [g]),
		"message": sprintf("[%s] connection_trace = True in %s: every SQL statement carries the Python call stack as a comment, adding overhead and log noise; set it to False", [g, p]),
		"fix": {"op": "set", "host": h, "file": p, "section": g, "key": "connection_trace", "value": "false"},
	}
}
