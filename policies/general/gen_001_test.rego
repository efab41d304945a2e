package oscfg.rules.gen_001_test

import data.oscfg.rules.gen_001

_opt(k, v, line) := {"value": v, "set": line > 0, "line": line, "key": k}

_file(debug, cdebug, trace) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"DEFAULT": {"line": 1, "keys": {"debug": {"value": "True", "line": 4}}}},
	"options": {
		"DEFAULT": {"debug": debug},
		"database": {"connection_debug": cdebug, "connection_trace": trace},
		"api_database": {"connection_debug": _opt("connection_debug", 0, 0), "connection_trace": _opt("connection_trace", false, 0)},
	},
}

_in(f) := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": f}}}}

_off := _file(_opt("debug", false, 4), _opt("connection_debug", 0, 0), _opt("connection_trace", false, 0))

test_quiet_on_defaults if {
	count(gen_001.deny) == 0 with input as _in(_off)
}

test_debug_true_medium if {
	fs := gen_001.deny with input as _in(_file(_opt("debug", true, 4), _opt("connection_debug", 0, 0), _opt("connection_trace", false, 0)))
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 4
	f.key == "DEFAULT/debug"
	contains(f.message, "debug = True")
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "DEFAULT", "key": "debug", "value": "false"}
}

test_connection_debug_100_and_50_medium if {
	fs := gen_001.deny with input as _in(_file(_opt("debug", false, 0), _opt("connection_debug", 100, 12), _opt("connection_trace", false, 0)))
	some f in fs
	f.severity == "medium"
	f.line == 12
	f.key == "database/connection_debug"
	f.fix.value == "0"
	fs2 := gen_001.deny with input as _in(_file(_opt("debug", false, 0), _opt("connection_debug", 50, 12), _opt("connection_trace", false, 0)))
	count(fs2) == 1
}

test_connection_debug_below_50_quiet if {
	count(gen_001.deny) == 0 with input as _in(_file(_opt("debug", false, 0), _opt("connection_debug", 10, 12), _opt("connection_trace", false, 0)))
}

test_connection_trace_low if {
	fs := gen_001.deny with input as _in(_file(_opt("debug", false, 0), _opt("connection_debug", 0, 0), _opt("connection_trace", true, 13)))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.line == 13
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "database", "key": "connection_trace", "value": "false"}
}

test_api_database_connection_debug if {
	f0 := json.patch(_off, [{"op": "replace", "path": "/options/api_database/connection_debug", "value": _opt("connection_debug", 100, 20)}])
	some f in gen_001.deny with input as _in(f0)
	f.key == "api_database/connection_debug"
	f.fix.section == "api_database"
}
