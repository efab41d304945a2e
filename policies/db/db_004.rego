# METADATA
# title: Database connection bypasses the DB VIP or differs across controllers
# description: |
#   Services must reach Galera through the single-writer VIP or proxy.
#   A [database] (or nova [api_database]) connection or slave_connection
#   that names a Galera node directly skips the health-checked failover: the
#   service dies with that node (high). Controllers running the same service
#   against different DB hosts make several writers, and with them the
#   certification failures and deadlocks that the active/backup listener
#   (OSC-HAP-006) exists to prevent (high when the differing hosts are
#   addresses; medium when host names are involved, since two names may
#   resolve to the same VIP); reported on every file that does not name a
#   known DB VIP. localhost or a socket on a deployment where
#   several hosts run the service points each controller at its own server
#   (medium), unless a local haproxy DB listener on that host forwards to
#   the cluster. Galera node addresses come from the haproxy DB listeners'
#   server lines and from the DB nodes' wsrep_node_address,
#   wsrep_cluster_address, bind_address, wsrep_node_name and host names;
#   the VIP from the DB listeners' bind addresses. Only MySQL URLs are read.
# custom:
#   id: OSC-DB-004
#   severity: high
#   fix: manual
#   remedy: |
#     Point every service on every controller at the same DB VIP or proxy
#     host name (kolla renders the internal VIP/FQDN). Check credentials and
#     DNS before changing the URL, then restart the service.
#   references:
#     - https://docs.openstack.org/ha-guide/control-plane-stateless.html
#     - openstack/kolla-ansible ansible/roles/nova/templates/nova.conf.j2 (connection via the database address, i.e. the internal VIP)
package oscfg.rules.db_004

import data.oscfg.lib

_groups(f) := {"database", "api_database"} if f.service == "nova"

_groups(f) := {"database"} if f.service != "nova"

# The host part of a URL: after "scheme://" and any "user:pass@", up to
# the port, path or query; brackets of an IPv6 literal removed.
_url_host(v) := trim(lower(m[0][1]), "[]") if {
	m := regex.find_all_string_submatch_n(`^[A-Za-z0-9+.-]+://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)`, v, 1)
	count(m) == 1
}

# Every MySQL connection URL: [host, path, file, group, key, db-host, line].
_conns contains [h, p, f, g, key, host, o.line] if {
	some [h, p, f] in lib.oslo_files
	some g in _groups(f)
	some key in ["connection", "slave_connection"]
	o := f.options[g][key]
	o.set
	regex.match(`^mysql`, lower(o.value))
	host := _url_host(o.value)
}

# --- Galera node addresses and the DB VIPs ---

# An address without its port: "[fd00::1]:3306", "10.0.0.1:4567", "db1".
_addr(a) := lower(m[0][1]) if {
	m := regex.find_all_string_submatch_n(`^\[([^\]]*)\]`, trim_space(a), 1)
	count(m) == 1
} else := lower(split(trim_space(a), ":")[0]) if {
	count(split(a, ":")) == 2
} else := lower(trim_space(a))

_unspecified := {"", "*", "0.0.0.0", "::", "localhost", "127.0.0.1", "::1"}

_db_proxies contains [h, px] if {
	some [h, _, px] in lib.proxies
	px.role == "db"
}

# addr -> notes saying where it was seen.
_node_refs contains [a, {"host": h, "file": s.file, "line": s.line, "note": sprintf("server %s %s:%d in DB listener %q", [s.name, s.addr, s.port, px.name])}] if {
	some [h, px] in _db_proxies
	lib.server_side(px)
	some s in px.servers
	a := lower(s.addr)
	not a in _unspecified
}

_node_refs contains [a, {"host": h, "file": o.file, "line": o.line, "note": sprintf("%s = %s", [k, o.value])}] if {
	some h in lib.ox_db_hosts
	some k in ["wsrep_node_address", "bind_address", "wsrep_node_name"]
	o := input.hosts[h].mysql.server[k]
	a := _addr(o.value)
	not a in _unspecified
}

_node_refs contains [a, {"host": h, "file": o.file, "line": o.line, "note": sprintf("wsrep_cluster_address = %s", [o.value])}] if {
	some h in lib.ox_db_hosts
	o := input.hosts[h].mysql.server.wsrep_cluster_address
	list := split(split(trim_prefix(trim_space(o.value), "gcomm://"), "?")[0], ",")
	some item in list
	a := _addr(item)
	not a in _unspecified
}

_node_refs contains [lower(h), {"host": h, "file": input.hosts[h].mysql.files[0], "line": 1, "note": sprintf("DB node %s", [h])}] if {
	some h in lib.ox_db_hosts
}

_vips contains lower(b.addr) if {
	some [_, px] in _db_proxies
	some b in px.binds
	not lower(b.addr) in _unspecified
}

_node(a) if {
	some [x, _] in _node_refs
	x == a
	not a in _vips
}

# A local DB listener on host h (a per-host haproxy forwarding to the cluster).
_local_listener(h) if {
	some [x, px] in _db_proxies
	x == h
	some b in px.binds
	lower(b.addr) in _unspecified
}

_local(host) if host in {"", "localhost", "::1"}

_local(host) if startswith(host, "127.")

_ip(a) if regex.match(`^[0-9.]+$`, a)

_ip(a) if contains(a, ":")

# --- reasons ---

_hosts_of(f, g, key) := {x |
	some [_, _, f2, g2, key2, x, _] in _conns
	f2.service == f.service
	g2 == g
	key2 == key
	not _local(x)
}

_service_hosts(f) := {h2 |
	some [h2, _, f2, _, _, _, _] in _conns
	f2.service == f.service
}

_r_node(h, host) := ["high", sprintf("%s is a Galera node, not the DB VIP: the service skips the health-checked failover and fails with that node", [host])] if {
	_node(host)
} else := ["", ""]

_r_differs(f, g, key, host) := [sev, sprintf("%s controllers use different DB hosts for it (%s): several writers, so Galera certification failures and deadlocks despite the single-writer listener", [f.service, concat(", ", sort(hs))])] if {
	not _local(host)
	not host in _vips # the ones pointing elsewhere are reported
	hs := _hosts_of(f, g, key)
	count(hs) > 1
	sev := _differs_severity(hs)
} else := ["", ""]

_differs_severity(hs) := "high" if {
	every x in hs {
		_ip(x)
	}
} else := "medium"

_shown_host(host) := "a socket" if host == ""

_shown_host(host) := host if host != ""

_r_local(h, f, host) := ["medium", sprintf("a server on the same host, while %d hosts run %s: each controller writes to its own server instead of the cluster's single writer (fine only behind a local proxy that forwards to the VIP)", [count(_service_hosts(f)), f.service])] if {
	_local(host)
	not _local_listener(h)
	count(_service_hosts(f)) > 1
} else := ["", ""]

_rank := {"high": 3, "medium": 2}

_severity(reasons) := s if {
	top := max({_rank[r[0]] | some r in reasons})
	some s, n in _rank
	n == top
}

_related(h, f, g, key, host) := array.concat(
	[r |
		_node(host)
		some [a, r] in _node_refs
		a == host
	],
	[{"host": h2, "file": p2, "line": l2, "note": sprintf("[%s] %s host %s", [g, key, x])} |
		_r_differs(f, g, key, host)[0] != ""
		some [h2, p2, f2, g2, key2, x, l2] in _conns
		f2.service == f.service
		g2 == g
		key2 == key
		x != host
		not _local(x)
	],
)

deny contains f if {
	some [h, p, file, g, key, host, line] in _conns
	reasons := [r |
		some r in [_r_node(h, host), _r_differs(file, g, key, host), _r_local(h, file, host)]
		r[0] != ""
	]
	count(reasons) > 0
	f := {
		"host": h, "file": p, "line": line, "severity": _severity(reasons),
		"key": sprintf("%s/%s", [g, key]),
		"message": sprintf("[%s] %s host %s: %s; point every controller at the same DB VIP or proxy", [g, key, _shown_host(host), concat("; ", [r[1] | some r in reasons])]),
		"related": _related(h, file, g, key, host),
	}
}
