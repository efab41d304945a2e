package oscfg.lib

# Comparing a setting across the hosts of a cluster, and the lines of a
# file that hold a secret.

# outliers(m): for an object host -> value with more than one distinct
# value, the hosts to report: those away from the majority value, or every
# host when no value has a strict majority (nothing to converge to).
outliers(m) := out if {
	# Count per distinct value (few), not per host: linear in the hosts.
	counts := {v: n | some v in {w | some _, w in m}; n := count([1 | some _, w in m; w == v])}
	top := max({n | some _, n in counts})
	tops := {v | some v, n in counts; n == top}
	out := _outliers_of(m, tops)
}

_outliers_of(m, tops) := {h | some h, v in m; not v in tops} if count(tops) == 1

_outliers_of(m, tops) := {h | some h, _ in m} if count(tops) > 1

# distinct(m): the number of distinct values in an object.
distinct(m) := count({v | some _, v in m})

# secret_lines(f): the lines of a file that hold a masked secret, as
# {line, what} objects, whatever the dialect.
secret_lines(f) := {x |
	f.kind == "oslo"
	some g, sec in f.sections
	some k, e in sec.keys
	e.secret
	x := {"line": e.line, "what": sprintf("[%s] %s", [g, k])}
} | {x |
	f.kind == "mycnf"
	some grp in f.groups
	some o in grp.options
	o.secret
	x := {"line": o.line, "what": sprintf("[%s] %s", [grp.name, o.raw_name])}
} | {x |
	f.kind == "haproxy"
	some s in f.sections
	some d in s.directives
	some a in d.args
	contains(a, "****")
	x := {"line": d.line, "what": sprintf("%s %s", [s.type, d.keyword])}
} | {x |
	f.kind == "crontab"
	some e in f.env
	contains(e.value, "****")
	x := {"line": e.line, "what": sprintf("%s=", [e.name])}
} | {x |
	f.kind == "crontab"
	some j in f.jobs
	contains(j.command, "****")
	x := {"line": j.line, "what": "a job's command"}
}
