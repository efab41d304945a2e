package oscfg.lib

# Helpers for the Galera, messaging, cron-maintenance and general rules
# (OSC-GAL-001..005, OSC-MQ-001/002, OSC-CRON-002/003, OSC-GEN-001..003).
# Names carry a gal_ (Galera) or gx_ (everything else) prefix so they cannot
# collide with helpers other files add to oscfg.lib.

# ---------------------------------------------------------------- Galera

# gal_opt(h, name): the merged server option {value, has_value, file, line,
# group} of host h; undefined when unset.
gal_opt(h, name) := input.hosts[h].mysql.server[name]

# gal_val(h, name): the option's value, trimmed; undefined when unset.
gal_val(h, name) := trim_space(input.hosts[h].mysql.server[name].value)

# my_getopt's boolean parsing (get_bool_argument): true/on/1 and a bare
# option name mean ON; anything else is OFF (with a warning for garbage).
gal_on(o) if not o.has_value

gal_on(o) if {
	o.has_value
	lower(trim_space(o.value)) in {"on", "1", "true"}
}

# gal_anchor(h): where a missing option goes: the file and group that set
# wsrep_provider on the host.
gal_anchor(h) := {"file": p.file, "group": p.group, "line": p.line} if {
	p := input.hosts[h].mysql.server.wsrep_provider
}

# gal_set_op(h, name, value): a mycnf `set` op that edits the option where
# it is set, else inserts it next to wsrep_provider.
gal_set_op(h, name, value) := {"op": "set", "host": h, "file": o.file, "section": o.group, "key": name, "value": value} if {
	o := input.hosts[h].mysql.server[name]
} else := {"op": "set", "host": h, "file": a.file, "section": a.group, "key": name, "value": value} if {
	a := gal_anchor(h)
}

# gal_line(h, name): the line to point at for an option: where it is set,
# else the wsrep_provider line.
gal_line(h, name) := [o.file, o.line] if {
	o := input.hosts[h].mysql.server[name]
} else := [a.file, a.line] if {
	a := gal_anchor(h)
}

# gal_server(h): the server the Galera rules judge host h by, with the
# defaults that follow (mysql.server_version, computed in Go:
# loader/dbserver.go). Without it, MariaDB 10.3 or later is assumed.
gal_server(h) := sv if {
	sv := input.hosts[h].mysql.server_version
} else := {
	"name": "MariaDB 10.3 or later", "source": "default", "assumed": true,
	"why": "no version known; state it with [settings] mysql_server in oscfg.ini",
	"wsrep_on_default": "off", "xtrabackup_sst": "unsupported",
	"binlog_format_default": "MIXED", "autoinc_lock_mode_default": "1",
}

# gal_server_note(h): what a finding assumed about the server, for messages.
gal_server_note(h) := sprintf("%s, assumed: %s", [sv.name, sv.why]) if {
	sv := gal_server(h)
	sv.assumed
} else := sprintf("server unknown: %s", [sv.why]) if {
	sv := gal_server(h)
	sv.name == "unknown"
} else := sprintf("%s: %s", [sv.name, sv.why]) if {
	sv := gal_server(h)
}

# gal_wsrep_on(h): the node replicates: wsrep_on ON, or unset on a server
# whose default is ON.
gal_wsrep_on(h) if gal_on(gal_opt(h, "wsrep_on"))

gal_wsrep_on(h) if {
	not gal_opt(h, "wsrep_on")
	gal_server(h).wsrep_on_default == "on"
}

# gal_wsrep_off(h): the node does not replicate: wsrep_on OFF, or unset on
# a server whose default is OFF. Neither holds when unset on an unknown
# server.
gal_wsrep_off(h) if {
	o := gal_opt(h, "wsrep_on")
	not gal_on(o)
}

gal_wsrep_off(h) if {
	not gal_opt(h, "wsrep_on")
	gal_server(h).wsrep_on_default == "off"
}

# MariaDB's default SST method (wsrep_sst_method).
gal_sst_default := "rsync"

# gal_sst(h): the effective SST method of Galera node h, lower-cased.
gal_sst(h) := lower(v) if {
	v := gal_val(h, "wsrep_sst_method")
	v != ""
} else := gal_sst_default

# Methods that block the donor for the whole transfer (MariaDB KB: only
# mariabackup does not); rsync_wan is rsync with delta transfer.
gal_sst_blocking := {"rsync", "rsync_wan", "mysqldump"}

# Methods MariaDB 10.3 and later no longer support.
gal_sst_unsupported := {"xtrabackup", "xtrabackup-v2"}

# Galera's default gcache.size (128M).
gal_gcache_default := 134217728

# gal_bytes(s): a Galera size ("128M", "1G", "2147483648") in bytes; K, M,
# G, T are powers of 1024 as gu_str2ll reads them. Undefined otherwise.
gal_bytes(s) := n if {
	m := regex.find_all_string_submatch_n(`^\s*([0-9]+)\s*([kKmMgGtT]?)\s*$`, s, 1)
	count(m) == 1
	n := to_number(m[0][1]) * _gal_unit[lower(m[0][2])]
}

_gal_unit := {"": 1, "k": 1024, "m": 1048576, "g": 1073741824, "t": 1099511627776}

# gal_members(addr): the member hosts of a gcomm:// address (ports and
# options dropped, lower-cased); empty for a bare "gcomm://".
gal_members(addr) := {m |
	body := _gal_addr_body(addr)
	some item in split(body, ",")
	m := _gal_host(trim_space(item))
	m != ""
}

_gal_addr_body(addr) := b if {
	a := trim_space(addr)
	startswith(lower(a), "gcomm://")
	rest := substring(a, 8, -1)
	b := split(rest, "?")[0]
}

# host[:port] and [v6]:port to the host part.
_gal_host(s) := lower(trim(split(s, "]")[0], "[")) if startswith(s, "[")

_gal_host(s) := lower(split(s, ":")[0]) if not startswith(s, "[")

# gal_is_gcomm(addr): a gcomm:// address (the only kind this rule reads).
gal_is_gcomm(addr) if startswith(lower(trim_space(addr)), "gcomm://")

# ---------------------------------------------------------------- fleet drift

# gx_outliers(m): for an object host -> value with more than one distinct
# value, the hosts to report: those away from the majority value, or every
# host when no value has a strict majority (nothing to converge to).
gx_outliers(m) := out if {
	# Count per distinct value (few), not per host: linear in the hosts.
	counts := {v: n | some v in {w | some _, w in m}; n := count([1 | some _, w in m; w == v])}
	top := max({n | some _, n in counts})
	tops := {v | some v, n in counts; n == top}
	out := _gx_outl(m, tops)
}

_gx_outl(m, tops) := {h | some h, v in m; not v in tops} if count(tops) == 1

_gx_outl(m, tops) := {h | some h, _ in m} if count(tops) > 1

# gx_distinct(m): the number of distinct values in an object.
gx_distinct(m) := count({v | some _, v in m})

# ---------------------------------------------------------------- messaging

# gx_rabbit(f): an oslo file whose service talks to RabbitMQ: a rabbit://
# transport_url, the legacy rabbit_* options, or an [oslo_messaging_rabbit]
# section with settings.
gx_rabbit(f) if {
	f.kind == "oslo"
	startswith(lower(trim_space(f.sections.DEFAULT.keys.transport_url.value)), "rabbit://")
}

gx_rabbit(f) if {
	f.kind == "oslo"
	count(f.sections.oslo_messaging_rabbit.keys) > 0
}

gx_rabbit(f) if {
	f.kind == "oslo"
	lower(trim_space(f.sections.DEFAULT.keys.rpc_backend.value)) == "rabbit"
}

# gx_rabbit_endpoints(f): the [host, port] pairs a file connects to
# RabbitMQ on (transport_url, else the legacy rabbit_hosts/rabbit_host).
gx_rabbit_endpoints(f) := eps if {
	url := trim_space(f.sections.DEFAULT.keys.transport_url.value)
	startswith(lower(url), "rabbit://")
	eps := {ep |
		rest := split(split(substring(url, 9, -1), "/")[0], "?")[0]
		some item in split(rest, ",")
		hp := _gx_after_at(trim_space(item))
		hp != ""
		ep := _gx_hostport(hp)
	}
} else := _gx_host_list(f.sections.oslo_messaging_rabbit.keys.rabbit_hosts.value) if {
	f.sections.oslo_messaging_rabbit.keys.rabbit_hosts
} else := _gx_host_list(f.sections.DEFAULT.keys.rabbit_hosts.value) if {
	f.sections.DEFAULT.keys.rabbit_hosts
} else := set()

_gx_host_list(hs) := {ep |
	some item in split(hs, ",")
	trim_space(item) != ""
	ep := _gx_hostport(trim_space(item))
}

_gx_after_at(s) := a if {
	parts := split(s, "@")
	a := parts[count(parts) - 1]
}

_gx_hostport(s) := [lower(trim(m[1], "[]")), to_number(m[2])] if {
	m := regex.find_all_string_submatch_n(`^(\[[^\]]*\]|[^:]+):([0-9]+)$`, s, 1)[0]
} else := [lower(trim(s, "[]")), 5672]

# gx_reaches(px, ep): an haproxy bind of the proxy listens on the endpoint
# (same port; same address or a wildcard bind).
gx_reaches(px, ep) if {
	some b in px.binds
	b.port == ep[1]
	_gx_addr_match(b.addr, ep[0])
}

_gx_addr_match(a, _) if a in {"", "*", "0.0.0.0", "::", "[::]"}

_gx_addr_match(a, host) if lower(a) == host

# ---------------------------------------------------------------- secrets

# gx_secret_lines(f): the lines of a file that hold a masked secret, as
# {line, what} objects, whatever the dialect.
gx_secret_lines(f) := {x |
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
