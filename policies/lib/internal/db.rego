package oscfg.lib.internal.db

# oslo.db against MariaDB for OSC-DB-001: the effective wait_timeout of a
# DB host and the proxy timeouts on the path to it. Private to the built-in
# rules.

import data.oscfg.lib

# MariaDB's default wait_timeout (seconds).
mariadb_wait_default := 28800

# wait(h): the effective wait_timeout of DB host h in seconds; MariaDB's
# default when unset. Undefined when the value is not a plain integer.
wait(h) := to_number(trim_space(v)) if {
	v := input.hosts[h].mysql.server.wait_timeout.value
	regex.match(`^\s*[0-9]+\s*$`, v)
} else := mariadb_wait_default if {
	h in lib.db_hosts
	not input.hosts[h].mysql.server.wait_timeout
}

# waits: DB host -> effective wait_timeout.
waits[h] := w if {
	some h in lib.db_hosts
	w := wait(h)
}

# wait_ref(h): a related entry pointing at where h's wait_timeout comes
# from (the line that sets it, or the host's first option file).
wait_ref(h) := {"host": h, "file": o.file, "line": o.line, "note": sprintf("wait_timeout = %s", [trim_space(o.value)])} if {
	o := input.hosts[h].mysql.server.wait_timeout
} else := {"host": h, "file": input.hosts[h].mysql.files[0], "line": 1, "note": sprintf("wait_timeout unset (MariaDB default %d)", [mariadb_wait_default])}

# path_timeouts_s(c, path): the finite idle timeouts (seconds) of the
# haproxy DB listeners a connection path of cluster c goes through (timeout
# client on the client side, timeout server on the server side); every DB
# listener of the cluster when the path names none.
path_timeouts_s(c, path) := {s |
	some key in _path_keys(c, path)
	some s in _group_timeouts_s[[c, key]]
}

_path_keys(c, path) := path.listeners if {
	count(path.listeners) > 0
} else := object.keys(object.get(input.topology.clusters[c], "db_listeners", {}))

# Per listener group, computed once (a group holds every LB host's copy).
_group_timeouts_s := {[c, key]: {s |
	some l in g.listeners
	px := input.hosts[l.host].haproxy.proxies[l.proxy]
	some s in _px_timeouts_s(px)
} |
	some c, cl in input.topology.clusters
	some key, g in cl.db_listeners
}

_px_timeouts_s(px) := _side_s(px, "client") | _side_s(px, "server")

_side_s(px, side) := {s |
	_reads(px, side)
	t := px.timeouts[side]
	is_number(t.ms)
	t.ms > 0
	s := t.ms / 1000
}

_reads(px, "client") if lib.client_side(px)

_reads(px, "server") if lib.server_side(px)
