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
#   severities:
#     medium: "services on different DB hosts given by name (two names may be one VIP), or a local server on a multi-host deployment"
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

# --- Galera node addresses and the DB VIPs (input.topology, per cluster) ---

_db_proxies contains [h, px] if {
	some [h, _, px] in lib.proxies
	px.role == "db"
}

_unspecified := {"", "*", "0.0.0.0", "::", "localhost", "127.0.0.1", "::1"}

# The DB node addresses of h's cluster, with where each was seen, and the
# DB listeners' bind addresses (the VIPs).
_node_refs(h, a) := input.topology.clusters[lib.cluster_of(h)].db_addrs[a]

_node(h, a) if count(_node_refs(h, a)) > 0

_vip(h, a) if a in input.topology.clusters[lib.cluster_of(h)].db_vips

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

# Per cluster, service, group and key: the DB hosts its connections name
# and the hosts that run it, each computed once (comprehensions indexed by
# OPA on the group), never per connection.
_groups_seen contains [c, f.service, g, key] if {
	some [h, _, f, g, key, _, _] in _conns
	c := lib.cluster_of(h)
}

_hosts_by[grp] := hs if {
	some grp in _groups_seen
	[c, svc, g, key] := grp
	hs := {x |
		some [h2, _, f2, g2, key2, x, _] in _conns
		f2.service == svc
		g2 == g
		key2 == key
		input.topology.hosts[h2].cluster == c
		not _local(x)
	}
}

_svc_hosts[[c, svc]] := hs if {
	some [c, svc, _, _] in _groups_seen
	hs := {h2 |
		some [h2, _, f2, _, _, _, _] in _conns
		f2.service == svc
		input.topology.hosts[h2].cluster == c
	}
}

_hosts_of(h, f, g, key) := _hosts_by[[lib.cluster_of(h), f.service, g, key]]

_service_hosts(h, f) := _svc_hosts[[lib.cluster_of(h), f.service]]

_r_node(h, host) := ["high", sprintf("%s is a Galera node, not the DB VIP: the service skips the health-checked failover and fails with that node", [host])] if {
	_node(h, host)
} else := ["", ""]

_r_differs(h, f, g, key, host) := [sev, sprintf("%s controllers use different DB hosts for it (%s): several writers, so Galera certification failures and deadlocks despite the single-writer listener", [f.service, concat(", ", sort(hs))])] if {
	not _local(host)
	not _vip(h, host) # the ones pointing elsewhere are reported
	hs := _hosts_of(h, f, g, key)
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

_r_local(h, f, host) := ["medium", sprintf("a server on the same host, while %d hosts run %s: each controller writes to its own server instead of the cluster's single writer (fine only behind a local proxy that forwards to the VIP)", [count(_service_hosts(h, f)), f.service])] if {
	_local(host)
	not _local_listener(h)
	count(_service_hosts(h, f)) > 1
} else := ["", ""]

_rank := {"high": 3, "medium": 2}

_severity(reasons) := s if {
	top := max({_rank[r[0]] | some r in reasons})
	some s, n in _rank
	n == top
}

_related(h, f, g, key, host) := array.concat(
	[r |
		_node(h, host)
		some r in _node_refs(h, host)
	],
	[r |
		_r_differs(h, f, g, key, host)[0] != ""
		c := lib.cluster_of(h)
		some x in sort(_hosts_of(h, f, g, key))
		x != host
		r := _first_conn[[c, f.service, g, key, x]]
	],
)

# One connection naming each DB host (the first by host and file): what
# the related list of a differing connection points at, so it stays as
# long as the number of distinct DB hosts, not of controllers.
_first_conn[[c, svc, g, key, x]] := min(refs) if {
	some grp, hs in _hosts_by
	[c, svc, g, key] := grp
	some x in hs
	refs := {{"host": h2, "file": p2, "line": l2, "note": sprintf("[%s] %s host %s", [g, key, x])} |
		some [h2, p2, f2, g2, key2, x2, l2] in _conns
		x2 == x
		f2.service == svc
		g2 == g
		key2 == key
		input.topology.hosts[h2].cluster == c
	}
}

deny contains f if {
	some [h, p, file, g, key, host, line] in _conns
	reasons := [r |
		some r in [_r_node(h, host), _r_differs(h, file, g, key, host), _r_local(h, file, host)]
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
