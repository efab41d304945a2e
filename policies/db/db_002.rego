# METADATA
# title: Legacy or removed oslo.db option names (silently ignored)
# description: |
#   oslo.config does not reject unknown keys, so an option oslo.db has
#   renamed and later dropped keeps sitting in the file doing nothing. The
#   dangerous one is idle_timeout: renamed to connection_recycle_time in
#   oslo.db 4.26.0 (Queens) and removed in 10.0.0 (Xena). A site that tuned
#   it under MySQL's wait_timeout silently went back to the 3600 s default
#   on upgrade. min_pool_size and sql_max_pool_size are already gone; the
#   other sql_* aliases are deprecated and were removed in oslo.db 15.0.0
#   (2024.1); nova filters out use_db_reconnect.
# custom:
#   id: OSC-DB-002
#   severity: high
#   severities:
#     medium: "sql_* aliases that 2024.1 removed"
#     low: "legacy names that the release still reads"
#   fix: safe
#   remedy: |
#     Move the value to its current name in [database] (idle_timeout ->
#     connection_recycle_time, sql_connection -> connection, sql_max_overflow ->
#     max_overflow, ...) and delete options that no longer exist. When both the
#     old and the new name are set with different values, decide by hand which
#     one is meant.
#   references:
#     - openstack/oslo.db commit 6634218 (idle_timeout renamed, 4.26.0)
#     - openstack/oslo.db commit a857b83 (idle_timeout removed, 10.0.0; removed-deprecated-idle-timeout-051a6a9a792bd8de.yaml)
#     - openstack/oslo.db commit bf90aed (sql_* aliases removed, 15.0.0)
#     - openstack/oslo.db commits 6cfdc11 (min_pool_size) and 94141ed (sql_max_pool_size)
#     - https://docs.openstack.org/oslo.config/latest/cli/validator.html
package oscfg.rules.db_002

import data.oscfg.lib

_sections := {"database", "api_database", "sql", "DEFAULT"}

# Legacy names: kind and current name ("" = none: the option is gone).
#   idle:    idle_timeout family (alias until Xena, ignored after)
#   removed: no longer read at all
#   alias:   deprecated alias, removed in oslo.db 15.0.0 (2024.1)
#   nova:    names nova itself filters out
_db := {"database", "api_database", "sql"}

_def := {"DEFAULT"}

_both := {"DEFAULT", "database", "api_database", "sql"}

_legacy := {
	"idle_timeout": {"kind": "idle", "to": "connection_recycle_time", "in": _db},
	"sql_idle_timeout": {"kind": "idle", "to": "connection_recycle_time", "in": _both},
	"min_pool_size": {"kind": "removed", "to": "", "in": _db},
	"sql_max_pool_size": {"kind": "removed", "to": "", "in": _both},
	"sql_connection": {"kind": "alias", "to": "connection", "in": _both},
	"sql_max_retries": {"kind": "alias", "to": "max_retries", "in": _both},
	"sql_retry_interval": {"kind": "alias", "to": "retry_interval", "in": _both},
	"reconnect_interval": {"kind": "alias", "to": "retry_interval", "in": _db},
	"sql_max_overflow": {"kind": "alias", "to": "max_overflow", "in": _both},
	"sqlalchemy_max_overflow": {"kind": "alias", "to": "max_overflow", "in": _db},
	"sqlalchemy_pool_timeout": {"kind": "alias", "to": "pool_timeout", "in": _db},
	"sql_connection_debug": {"kind": "alias", "to": "connection_debug", "in": _both},
	"sql_connection_trace": {"kind": "alias", "to": "connection_trace", "in": _both},
	"db_backend": {"kind": "alias", "to": "", "in": _def},
	"use_db_reconnect": {"kind": "nova", "to": "", "in": _db},
}

# [sql] was the old group name of [database]: its connection is an alias too.
_entry(sec, key) := {"kind": "alias", "to": "connection", "in": {"sql"}} if {
	sec == "sql"
	key == "connection"
} else := _legacy[key]

_applies(f, e) if e.kind != "nova"

_applies(f, e) if {
	e.kind == "nova"
	f.service == "nova"
}

# Before Queens, idle_timeout is the option itself, not an alias.
_applies_now(h, e) if e.kind != "idle"

_applies_now(h, e) if {
	e.kind == "idle"
	lib.host_release_at_least(h, "queens")
}

_severity(h, e) := "high" if {
	e.kind == "idle"
	lib.host_release_at_least(h, "xena")
} else := "low" if {
	e.kind in {"idle", "removed", "nova"}
} else := "medium" if {
	lib.host_release_at_least(h, "2024.1")
} else := "low"

# nova's [api_database] takes the same options (and aliases) as [database].
_to_section(sec) := "api_database" if sec == "api_database"

_to_section(sec) := "database" if sec != "api_database"

_sev(s) := {} if s == "high"

_sev(s) := {"severity": s} if s != "high"

_why(h, e, sec) := "a deprecated alias of connection_recycle_time (gone in Xena)" if {
	e.kind == "idle"
} else := "removed from oslo.db; the value is ignored" if {
	e.kind == "removed"
} else := "not read by nova (filtered out of its options)" if {
	e.kind == "nova"
} else := "removed in oslo.db 15.0.0 (2024.1); the value is ignored from then on" if {
	lib.host_release_at_least(h, "2024.1")
} else := "a deprecated alias, removed in oslo.db 15.0.0 (2024.1)"

_msg(h, e, sec, key, f) := sprintf("[%s] %s: ignored since oslo.db 10.0.0 (Xena): effective connection_recycle_time falls back to %v; rename it to [%s] connection_recycle_time", [sec, key, object.get(f.options, [_to_section(sec), "connection_recycle_time", "value"], 3600), _to_section(sec)]) if {
	e.kind == "idle"
	lib.host_release_at_least(h, "xena")
} else := sprintf("[%s] %s is %s; use [%s] %s", [sec, key, _why(h, e, sec), _to_section(sec), e.to]) if {
	e.to != ""
} else := sprintf("[%s] %s is %s; delete it", [sec, key, _why(h, e, sec)])

_findings contains [h, p, f, sec, key, k, e] if {
	some [h, p, f] in lib.oslo_files
	some sec in _sections
	some key, k in f.sections[sec].keys
	e := _entry(sec, key)
	sec in e["in"]
	_applies(f, e)
	_applies_now(h, e)
}

# The new name is already set in the target section with another value.
_conflict(f, sec, e, k) if {
	e.to != ""
	n := f.sections[_to_section(sec)].keys[e.to]
	trim_space(n.value) != trim_space(k.value)
}

_same(f, sec, e, k) if {
	e.to != ""
	n := f.sections[_to_section(sec)].keys[e.to]
	trim_space(n.value) == trim_space(k.value)
}

_fix(h, p, f, sec, key, e, k) := {"fix_class": "manual"} if {
	_conflict(f, sec, e, k)
} else := {"fix": {"op": "delete", "host": h, "file": p, "section": sec, "key": key}} if {
	e.to == ""
} else := {"fix": {"op": "delete", "host": h, "file": p, "section": sec, "key": key}} if {
	_same(f, sec, e, k)
} else := {"fix_class": "unsafe", "fix": _rename(h, p, sec, key, e)} if {
	_feeds_api_database(f, sec, e)
} else := {"fix": _rename(h, p, sec, key, e)}

_rename(h, p, sec, key, e) := {"op": "rename", "host": h, "file": p, "section": sec, "key": key, "to_section": _to_section(sec), "to_key": e.to}

# nova copies oslo.db's options, legacy aliases included, into
# [api_database]: a [DEFAULT] or [sql] alias feeds both groups, so moving it
# to [database] alone leaves [api_database] without the value.
_feeds_api_database(f, sec, e) if {
	f.service == "nova"
	sec in {"DEFAULT", "sql"}
	e.to != ""
	not f.sections.api_database.keys[e.to]
}

_conflict_note(f, sec, e, k) := sprintf(" ([%s] %s is also set, to another value: decide which one is meant)", [_to_section(sec), e.to]) if {
	_conflict(f, sec, e, k)
} else := sprintf(" (nova also reads it as [api_database] %s, which is not set: set that too, then rename; the fix is unsafe until then)", [e.to]) if {
	_feeds_api_database(f, sec, e)
} else := ""

_related(h, p, f, sec, e) := [{"host": h, "file": p, "line": n.line, "note": sprintf("[%s] %s = %s", [_to_section(sec), e.to, n.value])}] if {
	e.to != ""
	n := f.sections[_to_section(sec)].keys[e.to]
	not n.secret
} else := [{"host": h, "file": p, "line": n.line, "note": sprintf("[%s] %s is set", [_to_section(sec), e.to])}] if {
	e.to != ""
	n := f.sections[_to_section(sec)].keys[e.to]
} else := []

deny contains f if {
	some [h, p, file, sec, key, k, e] in _findings
	base := {
		"host": h, "file": p, "line": k.line,
		"key": sprintf("%s/%s", [sec, key]),
		"message": concat("", [_msg(h, e, sec, key, file), _conflict_note(file, sec, e, k)]),
		"related": _related(h, p, file, sec, e),
	}
	f := object.union_n([base, _sev(_severity(h, e)), _fix(h, p, file, sec, key, e, k)])
}
