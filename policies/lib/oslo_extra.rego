package oscfg.lib

# Helpers for the oslo.db, nova, keystone and cron rules (OSC-DB-001/002,
# OSC-NOVA-001/002, OSC-KS-001, OSC-CRON-001). Names carry an ox_ prefix so
# they cannot collide with helpers other files add to oscfg.lib.

# MariaDB's default wait_timeout (seconds).
ox_mariadb_wait_default := 28800

# ox_wait(h): the effective wait_timeout of DB host h in seconds; MariaDB's
# default when unset. Undefined when the value is not a plain integer.
ox_wait(h) := to_number(trim_space(v)) if {
	v := input.hosts[h].mysql.server.wait_timeout.value
	regex.match(`^\s*[0-9]+\s*$`, v)
} else := ox_mariadb_wait_default if {
	h in db_hosts
	not input.hosts[h].mysql.server.wait_timeout
}

# ox_waits: DB host -> effective wait_timeout.
ox_waits[h] := w if {
	some h in db_hosts
	w := ox_wait(h)
}

# ox_wait_ref(h): a related entry pointing at where h's wait_timeout comes
# from (the line that sets it, or the host's first option file).
ox_wait_ref(h) := {"host": h, "file": o.file, "line": o.line, "note": sprintf("wait_timeout = %s", [trim_space(o.value)])} if {
	o := input.hosts[h].mysql.server.wait_timeout
} else := {"host": h, "file": input.hosts[h].mysql.files[0], "line": 1, "note": sprintf("wait_timeout unset (MariaDB default %d)", [ox_mariadb_wait_default])}

# ox_path_timeouts_s(c, path): the finite idle timeouts (seconds) of the
# haproxy DB listeners a connection path of cluster c goes through (timeout
# client on the client side, timeout server on the server side); every DB
# listener of the cluster when the path names none.
ox_path_timeouts_s(c, path) := {s |
	some key in _ox_path_keys(c, path)
	some s in _ox_group_timeouts_s[[c, key]]
}

_ox_path_keys(c, path) := path.listeners if {
	count(path.listeners) > 0
} else := object.keys(object.get(input.topology.clusters[c], "db_listeners", {}))

# Per listener group, computed once (a group holds every LB host's copy).
_ox_group_timeouts_s := {[c, key]: {s |
	some l in g.listeners
	px := input.hosts[l.host].haproxy.proxies[l.proxy]
	some s in _ox_px_timeouts_s(px)
} |
	some c, cl in input.topology.clusters
	some key, g in cl.db_listeners
}

_ox_px_timeouts_s(px) := _ox_side_s(px, "client") | _ox_side_s(px, "server")

_ox_side_s(px, side) := {s |
	_ox_reads(px, side)
	t := px.timeouts[side]
	is_number(t.ms)
	t.ms > 0
	s := t.ms / 1000
}

_ox_reads(px, "client") if client_side(px)

_ox_reads(px, "server") if server_side(px)

# ox_int(o): an effective option's value when it is an integer.
ox_int(o) := o.value if {
	is_number(o.value)
	not o.invalid
}

# ox_token_provider(f): the kind of keystone token provider a keystone.conf
# selects: "uuid", "pki", "pkiz", "fernet", or the lower-cased value otherwise
# (entry-point names and full class paths both count). Undefined before
# Havana, whose keystone had no [token] provider (the option's value is null).
ox_token_provider(f) := k if {
	v := f.options.token.provider.value
	is_string(v)
	p := lower(trim_space(v))
	k := _ox_provider_kind(p)
}

_ox_provider_kind(p) := "uuid" if {
	_ox_is_uuid(p)
} else := "pkiz" if {
	_ox_is_pkiz(p)
} else := "pki" if {
	_ox_is_pki(p)
} else := "fernet" if {
	# keystone.token.providers.fernet.Provider: the same provider (a class
	# path keystone refuses from Pike on, OSC-OPT-005), still fernet keys.
	contains(p, ".fernet.")
} else := p

_ox_is_uuid(p) if p == "uuid"

_ox_is_uuid(p) if contains(p, ".uuid.")

_ox_is_pkiz(p) if p == "pkiz"

_ox_is_pkiz(p) if contains(p, ".pkiz.")

_ox_is_pki(p) if p == "pki"

_ox_is_pki(p) if contains(p, ".pki.")

# Token providers that persist tokens in SQL (the token table).
ox_sql_token_providers := {"uuid", "pki", "pkiz"}

# ox_token_flush(j): a cron job that runs keystone-manage token_flush, with
# any options before the sub-command (--config-file /x, --debug, ...).
ox_token_flush(j) if regex.match(`keystone-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*token_flush`, j.command)
