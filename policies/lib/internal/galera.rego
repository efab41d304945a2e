package oscfg.lib.internal.galera

# Galera helpers of the built-in rules (OSC-GAL-001..005, OSC-GEN-003):
# merged server options, SST methods, gcache and cluster addresses. Private
# to the built-in rules: user policies use data.oscfg.lib.

# opt(h, name): the merged server option {value, has_value, file, line,
# group} of host h; undefined when unset.
opt(h, name) := input.hosts[h].mysql.server[name]

# val(h, name): the option's value, trimmed; undefined when unset.
val(h, name) := trim_space(input.hosts[h].mysql.server[name].value)

# my_getopt's boolean parsing (get_bool_argument): true/on/1 and a bare
# option name mean ON; anything else is OFF (with a warning for garbage).
on(o) if not o.has_value

on(o) if {
	o.has_value
	lower(trim_space(o.value)) in {"on", "1", "true"}
}

# anchor(h): where a missing option goes: the file and group that set
# wsrep_provider on the host.
anchor(h) := {"file": p.file, "group": p.group, "line": p.line} if {
	p := input.hosts[h].mysql.server.wsrep_provider
}

# set_op(h, name, value): a mycnf `set` op that edits the option where
# it is set, else inserts it next to wsrep_provider.
set_op(h, name, value) := {"op": "set", "host": h, "file": o.file, "section": o.group, "key": name, "value": value} if {
	o := input.hosts[h].mysql.server[name]
} else := {"op": "set", "host": h, "file": a.file, "section": a.group, "key": name, "value": value} if {
	a := anchor(h)
}

# line(h, name): the line to point at for an option: where it is set,
# else the wsrep_provider line.
line(h, name) := [o.file, o.line] if {
	o := input.hosts[h].mysql.server[name]
} else := [a.file, a.line] if {
	a := anchor(h)
}

# server(h): the server the Galera rules judge host h by, with the
# defaults that follow (mysql.server_version, computed in Go:
# loader/dbserver.go). Without it, MariaDB 10.3 or later is assumed.
server(h) := sv if {
	sv := input.hosts[h].mysql.server_version
} else := {
	"name": "MariaDB 10.3 or later", "source": "default", "assumed": true,
	"why": "no version known; state it with [settings] mysql_server in oscfg.ini",
	"wsrep_on_default": "off", "xtrabackup_sst": "unsupported",
	"binlog_format_default": "MIXED", "autoinc_lock_mode_default": "1",
}

# server_note(h): what a finding assumed about the server, for messages.
server_note(h) := sprintf("%s, assumed: %s", [sv.name, sv.why]) if {
	sv := server(h)
	sv.assumed
} else := sprintf("server unknown: %s", [sv.why]) if {
	sv := server(h)
	sv.name == "unknown"
} else := sprintf("%s: %s", [sv.name, sv.why]) if {
	sv := server(h)
}

# wsrep_on(h): the node replicates: wsrep_on ON, or unset on a server
# whose default is ON.
wsrep_on(h) if on(opt(h, "wsrep_on"))

wsrep_on(h) if {
	not opt(h, "wsrep_on")
	server(h).wsrep_on_default == "on"
}

# wsrep_off(h): the node does not replicate: wsrep_on OFF, or unset on
# a server whose default is OFF. Neither holds when unset on an unknown
# server.
wsrep_off(h) if {
	o := opt(h, "wsrep_on")
	not on(o)
}

wsrep_off(h) if {
	not opt(h, "wsrep_on")
	server(h).wsrep_on_default == "off"
}

# MariaDB's default SST method (wsrep_sst_method).
sst_default := "rsync"

# sst(h): the effective SST method of Galera node h, lower-cased.
sst(h) := lower(v) if {
	v := val(h, "wsrep_sst_method")
	v != ""
} else := sst_default

# Methods that block the donor for the whole transfer (MariaDB KB: only
# mariabackup does not); rsync_wan is rsync with delta transfer.
sst_blocking := {"rsync", "rsync_wan", "mysqldump"}

# Methods MariaDB 10.3 and later no longer support.
sst_unsupported := {"xtrabackup", "xtrabackup-v2"}

# Galera's default gcache.size (128M).
gcache_default := 134217728

# bytes(s): a Galera size ("128M", "1G", "2147483648") in bytes; K, M,
# G, T are powers of 1024 as gu_str2ll reads them. Undefined otherwise.
bytes(s) := n if {
	m := regex.find_all_string_submatch_n(`^\s*([0-9]+)\s*([kKmMgGtT]?)\s*$`, s, 1)
	count(m) == 1
	n := to_number(m[0][1]) * _unit[lower(m[0][2])]
}

_unit := {"": 1, "k": 1024, "m": 1048576, "g": 1073741824, "t": 1099511627776}

# members(addr): the member hosts of a gcomm:// address (ports and
# options dropped, lower-cased); empty for a bare "gcomm://".
members(addr) := {m |
	body := _addr_body(addr)
	some item in split(body, ",")
	m := _host(trim_space(item))
	m != ""
}

_addr_body(addr) := b if {
	a := trim_space(addr)
	startswith(lower(a), "gcomm://")
	rest := substring(a, 8, -1)
	b := split(rest, "?")[0]
}

# host[:port] and [v6]:port to the host part.
_host(s) := lower(trim(split(s, "]")[0], "[")) if startswith(s, "[")

_host(s) := lower(split(s, ":")[0]) if not startswith(s, "[")

# is_gcomm(addr): a gcomm:// address (the only kind this rule reads).
is_gcomm(addr) if startswith(lower(trim_space(addr)), "gcomm://")
