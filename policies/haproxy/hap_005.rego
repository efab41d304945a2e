# METADATA
# title: MySQL/Galera listener timeouts shorter than pooled-connection lifetime
# description: |
#   oslo.db keeps a pool of MySQL connections in every process; an idle one is
#   replaced only when it is checked out after `connection_recycle_time`
#   (default 3600 s) from its creation. If haproxy's idle timeout on the DB
#   listener is shorter than that, haproxy silently cuts pooled connections.
#   oslo.db's ping on checkout reconnects (logging an ERROR on Zed), but a
#   connection held idle inside a transaction, across an RPC or HTTP call,
#   fails with 2006 "MySQL server has gone away" or 2013. The HA Guide sample
#   has exactly this: its galera_cluster listen inherits `timeout client 1m`
#   from defaults. A timeout equal to the recycle time is enough (kolla's
#   3600s with the default 3600 s): a pooled connection's idle time never
#   exceeds its age, and the pool replaces it once its age reaches the
#   recycle time. The idle timeout is the shorter finite one of a listen,
#   `timeout client` of a frontend, `timeout server` of a backend; 0 or
#   unset never cuts. In TCP mode a finite `timeout tunnel` on the listen or
#   backend replaces client and server once the connection is established
#   (haproxy's configuration.txt, "timeout tunnel"; shown on haproxy 2.6.12
#   by TestHAProxyTunnelTimeoutKeepsIdleTCP in oscfg's
#   policies/haproxy_behaviour_test.go), so then it is the one checked, and a
#   frontend's client timeout is replaced by its backends' tunnel; haproxy
#   ignores `timeout tunnel` in a frontend, and `timeout tunnel 0` leaves
#   client and server in force. High when it is shorter than the largest
#   effective `connection_recycle_time` of the `[database]` /
#   `[api_database]` connections whose endpoint the listener is bound on
#   (input.topology; every connection of the cluster for a listener none
#   reaches); medium under 3600 s; low when a listen without a tunnel
#   timeout has different client and server timeouts; info without TCP
#   keepalives (`option clitcpka` / `option srvtcpka`, which help with
#   stateful firewalls, not with haproxy's own idle timer).
# custom:
#   id: OSC-HAP-005
#   severity: high
#   severities:
#     medium: "a DB listener timeout under 3600 s"
#     low: "a listen whose client and server timeouts differ"
#     info: "no TCP keepalives (clitcpka/srvtcpka)"
#   fix: safe
#   remedy: |
#     On the DB listener set `timeout client` and `timeout server`, equal, to
#     at least the largest connection_recycle_time (or one `timeout tunnel`
#     on the listen or backend; oscfg's fix adds a margin, never under 3600s):
#     kolla uses 3600s with `option clitcpka` / `option srvtcpka`,
#     openstack-ansible 5000s, Red Hat's osp-ha-deploy 90m. Keep
#     connection_recycle_time at or below it (see OSC-DB-001). Reload haproxy.
#   references:
#     - openstack/kolla-ansible ansible/roles/mariadb/defaults/main.yml (timeout client/server 3600s, option clitcpka, option srvtcpka)
#     - openstack/openstack-ansible inventory/group_vars/galera_all.yml (haproxy_timeout_client 5000s)
#     - beekhof/osp-ha-deploy keepalived/haproxy-config.md (timeout 90m on the DB VIP)
#     - openstack/oslo.db oslo_db/sqlalchemy/engines.py (_connect_ping_listener)
#     - https://docs.openstack.org/ha-guide/control-plane-stateless.html
#     - haproxy/haproxy doc/configuration.txt (2.6, timeout tunnel supersedes client and server once the connection is a tunnel; defaults, listen and backend only)
#     - haproxy/haproxy src/stream.c (2.6, back_establish takes the tunnel timeout from the backend; 0 leaves client/server)
#     - sqlalchemy/sqlalchemy lib/sqlalchemy/pool/base.py (_ConnectionRecord recycles on checkout once older than the pool recycle time)
package oscfg.rules.hap_005

import data.oscfg.lib
import data.oscfg.lib.internal.haproxy

# The timeouts that cut an established, idle DB connection on each proxy:
# a finite `timeout tunnel` on a TCP-mode listen or backend replaces
# client and server there, and a frontend's client timeout when every
# backend it routes to has one.
_sides(h, px) := ["tunnel"] if {
	haproxy.tunnel(px)
} else := ["client", "server"] if {
	px.type == "listen"
} else := ["server"] if {
	px.type == "backend"
} else := [] if {
	px.type == "frontend"
	bs := haproxy.backends(h, px)
	count(bs) > 0
	every kb in bs {
		haproxy.tunnel(kb[1])
	}
} else := ["client"] if px.type == "frontend"

# The pool recycle time of a connection [g] of file p on host h.
_recycle_of(h, p, g) := v if {
	v := input.hosts[h].files[p].options[g].connection_recycle_time.value
	is_number(v)
}

# The connections behind each DB listener group (input.topology follows
# every service's endpoint to the listener bound on it), once per group.
_group_recycles := {[c, key]: {[cl.host, cl.file, cl.group, v] |
	some cl in grp.clients
	v := _recycle_of(cl.host, cl.file, cl.group)
} |
	some c, cluster in input.topology.clusters
	some key, grp in cluster.db_listeners
}

# Every connection of a cluster: for a listener no known connection
# reaches (a backend, or an endpoint the files do not name).
_cluster_recycles := {c: {[h, p, g, v] |
	some h in cluster.hosts
	some p, byg in input.topology.hosts[h].db_paths
	some g, _ in byg
	v := _recycle_of(h, p, g)
} | some c, cluster in input.topology.clusters}

# What is behind a DB proxy: the listener groups it is bound in, else (a
# backend, or an endpoint the files do not name) its whole cluster.
_source(h, name) := ["groups", c, keys] if {
	c := lib.cluster_of(h)
	keys := sort([k | some k in object.get(input.topology.hosts[h].db_listeners, name, []); count(_group_recycles[[c, k]]) > 0])
	count(keys) > 0
} else := ["cluster", lib.cluster_of(h), []]

_source_recycles(src) := union({_group_recycles[[src[1], k]] | some k in src[2]}) if src[0] == "groups"

_source_recycles(src) := _cluster_recycles[src[1]] if src[0] == "cluster"

# The pooled-connection lifetime behind each distinct source, summarized
# once: 1,000 controllers each with its own DB proxy share one or two
# sources, and scanning the connections per proxy was quadratic.
_summaries := {src: _summary(_source_recycles(src)) |
	some src in {_source(h, name) | some [h, name, px] in lib.proxies; px.role == "db"}
}

_summary(r) := {
	"never": count({1 | some [_, _, _, v] in r; v < 0}) > 0,
	"max": _max_or_null(r),
	"count": count(r),
	"related": _recycle_related(r),
}

_max_or_null(r) := max({v | some [_, _, _, v] in r}) if count(r) > 0

_max_or_null(r) := null if count(r) == 0

# Per DB proxy: the summary of the connections behind it.
_recycles := {[h, name]: _summaries[_source(h, name)] |
	some [h, name, px] in lib.proxies
	px.role == "db"
}

# The oslo.db default when no file is known: only for sizing the fix.
_max_recycle_or_default(s) := s.max if is_number(s.max)

_max_recycle_or_default(s) := 3600 if not is_number(s.max)

_target(s) := sprintf("%ds", [max([3600, _max_recycle_or_default(s) + 600])])

_recycle_note(f, group) := sprintf("[%s] %s = %d", [group, o.key, o.value]) if {
	o := f.options[group].connection_recycle_time
	o.set
} else := sprintf("[%s] connection_recycle_time = %d (default)", [group, f.options[group].connection_recycle_time.value])

# The settings that make the lifetime: one location per distinct setting
# (file, group and value), so the list stays short however many
# controllers share it; the message gives the count.
_recycle_related(r) := [x |
	never := count({1 | some [_, _, _, v] in r; v < 0}) > 0
	top := _max_or_null(r)
	counted := {[h, p, group, _recycle_note(input.hosts[h].files[p], group)] | some [h, p, group, v] in r; _counts(never, top, v)}
	some k in {[p, group, note] | some [_, p, group, note] in counted}
	[p, group, note] := k
	h := min({h2 | some [h2, p2, g2, n2] in counted; [p2, g2, n2] == k})
	x := {"host": h, "file": p, "line": lib.opt_line(input.hosts[h].files[p], group, "connection_recycle_time"), "note": note}
]

_counts(never, top, v) if v < 0

_counts(never, top, v) if {
	not never
	v == top
}

_high(s, ms) if s.never

# Equal is enough: a pooled connection's idle time never exceeds its age,
# and the pool replaces it at checkout once its age reaches the recycle
# time (sqlalchemy pool _ConnectionRecord: age > pool._recycle), so
# haproxy cannot cut one the pool would still hand out.
_high(s, ms) if {
	is_number(s.max)
	ms < s.max * 1000
}

_lifetime(s) := sprintf("connection_recycle_time = -1: pooled connections are never recycled (of %d connection(s) behind it)", [s.count]) if {
	s.never
} else := sprintf("the longest connection_recycle_time of the %d connection(s) behind it is %ds", [s.count, s.max])

_replaces(side) := " (in TCP mode it replaces timeout client and timeout server once the connection is established)" if {
	side == "tunnel"
} else := ""

_msg(r, kind, side, t, name, px) := sprintf("timeout %s %s%s on DB proxy %q (%s, %s) %s: haproxy silently cuts idle pooled connections, and one held idle inside a transaction fails with 'MySQL server has gone away' (2006/2013); set %s to %s", [side, t.raw, _replaces(side), name, lib.proxy_service(px), haproxy.where(t), kind, _set_what(side), _target(r)])

_set_what(side) := "timeout tunnel" if {
	side == "tunnel"
} else := "timeout client and timeout server"

_db_sides contains [h, name, px, side, t, ms] if {
	some [h, name, px] in lib.proxies
	px.role == "db"
	some side in _sides(h, px)
	t := px.timeouts[side]
	ms := haproxy.finite_ms(t)
}

_fix(r, h, px, name, side) := {"op": "haproxy_set", "host": h, "file": px.file, "section": px.name, "keyword": sprintf("timeout %s", [side]), "args": [_target(r)]}

deny contains f if {
	some [h, name, px, side, t, ms] in _db_sides
	r := _recycles[[h, name]]
	_high(r, ms)
	base := {
		"host": h, "file": t.file, "line": t.line,
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": _msg(r, sprintf("is shorter than the pooled-connection lifetime (%s)", [_lifetime(r)]), side, t, name, px),
		"related": r.related,
	}
	f := _with_fix(r, base, h, px, name, side)
}

# With a never-recycled pool no finite timeout is long enough: the fix is on
# the oslo.db side, so no haproxy fix is attached.
_with_fix(r, base, h, px, name, side) := base if r.never

_with_fix(r, base, h, px, name, side) := object.union(base, {"fix": _fix(r, h, px, name, side)}) if not r.never

deny contains f if {
	some [h, name, px, side, t, ms] in _db_sides
	r := _recycles[[h, name]]
	not _high(r, ms)
	ms < 3600000
	f := {
		"host": h, "file": t.file, "line": t.line, "severity": "medium",
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": _msg(r, "is under 3600s, the oslo.db default connection_recycle_time", side, t, name, px),
		"fix": _fix(r, h, px, name, side),
	}
}

_show(ms) := "infinite" if {
	ms == 0
} else := lib.human_ms(ms)

deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "db"
	px.type == "listen"
	not haproxy.tunnel(px)
	c := haproxy.ms_or_zero(object.get(px.timeouts, "client", null))
	s := haproxy.ms_or_zero(object.get(px.timeouts, "server", null))
	c != s
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "low",
		"key": sprintf("%s/timeout mismatch", [name]),
		"message": sprintf("DB listen %q has timeout client %s but timeout server %s: in TCP mode the shorter one cuts the connection, keep them equal", [name, _show(c), _show(s)]),
	}
}

# TCP keepalive options each proxy type needs (option tcpka sets both).
_ka(px) := {"clitcpka", "srvtcpka"} if px.type == "listen"

_ka(px) := {"clitcpka"} if px.type == "frontend"

_ka(px) := {"srvtcpka"} if px.type == "backend"

_missing_ka(px) := {o |
	some o in _ka(px)
	not lib.option_on(px, o)
	not lib.option_on(px, "tcpka")
}

deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "db"
	missing := _missing_ka(px)
	count(missing) > 0
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "info",
		"key": sprintf("%s/tcpka", [name]),
		"message": sprintf("DB proxy %q has no option %s: TCP keepalives keep idle pooled connections alive through stateful firewalls (not through haproxy's own idle timeout)", [name, concat(" / option ", sort(missing))]),
	}
}
