# METADATA
# title: MySQL/Galera listener timeouts shorter than pooled-connection lifetime
# description: |
#   oslo.db keeps a pool of MySQL connections in every process; an idle one is
#   replaced only when it is checked out after `connection_recycle_time`
#   (default 3600 s) from its creation. If haproxy's idle timeout on the DB
#   listener is not longer than that, haproxy silently cuts pooled
#   connections. oslo.db's ping on checkout reconnects (logging an ERROR on
#   Zed), but a connection held idle inside a transaction, across an RPC or
#   HTTP call, fails with 2006 "MySQL server has gone away" or 2013. The HA
#   Guide sample has exactly this: its galera_cluster listen inherits `timeout
#   client 1m` from defaults. The side timeout is the shorter finite one of a
#   listen, `timeout client` of a frontend, `timeout server` of a backend; 0 or
#   unset never cuts. High when it is at most the largest effective
#   `connection_recycle_time` of any `[database]` / `[api_database]` with a
#   connection, in any oslo file on any host; medium under 3600 s; low when a
#   listen's client and server timeouts differ; info without TCP keepalives
#   (`option clitcpka` / `option srvtcpka`, which help with stateful firewalls,
#   not with haproxy's own idle timer).
# custom:
#   id: OSC-HAP-005
#   severity: high
#   fix: safe
#   remedy: |
#     On the DB listener set `timeout client` and `timeout server`, equal, to
#     the largest connection_recycle_time plus a margin (never under 3600s):
#     kolla uses 3600s with `option clitcpka` / `option srvtcpka`,
#     openstack-ansible 5000s, Red Hat's osp-ha-deploy 90m. Keep
#     connection_recycle_time below it (see OSC-DB-001). Reload haproxy.
#   references:
#     - openstack/kolla-ansible ansible/roles/mariadb/defaults/main.yml (timeout client/server 3600s, option clitcpka, option srvtcpka)
#     - openstack/openstack-ansible inventory/group_vars/galera_all.yml (haproxy_timeout_client 5000s)
#     - beekhof/osp-ha-deploy keepalived/haproxy-config.md (timeout 90m on the DB VIP)
#     - openstack/oslo.db oslo_db/sqlalchemy/engines.py (_connect_ping_listener)
#     - https://docs.openstack.org/ha-guide/control-plane-stateless.html
package oscfg.rules.hap_005

import data.oscfg.lib

_sides(px) := ["client", "server"] if px.type == "listen"

_sides(px) := ["client"] if px.type == "frontend"

_sides(px) := ["server"] if px.type == "backend"

# Effective pool recycle time of every oslo.db client with a connection.
_recycles contains [h, p, f, group, v] if {
	some [h, p, f] in lib.oslo_files
	some group in ["database", "api_database"]
	f.options[group].connection.set
	v := f.options[group].connection_recycle_time.value
	is_number(v)
}

# A negative recycle time (-1) never recycles.
_never if {
	some [_, _, _, _, v] in _recycles
	v < 0
}

_max_recycle := max({v | some [_, _, _, _, v] in _recycles})

# The oslo.db default when no file is known: only for sizing the fix.
_max_recycle_or_default := m if {
	m := _max_recycle
} else := 3600

_target := sprintf("%ds", [max([3600, _max_recycle_or_default + 600])])

_recycle_note(f, group) := sprintf("[%s] %s = %d", [group, o.key, o.value]) if {
	o := f.options[group].connection_recycle_time
	o.set
} else := sprintf("[%s] connection_recycle_time = %d (default)", [group, f.options[group].connection_recycle_time.value])

_recycle_related := [r |
	some [h, p, f, group, v] in _recycles
	_counts(v)
	r := {"host": h, "file": p, "line": lib.opt_line(f, group, "connection_recycle_time"), "note": _recycle_note(f, group)}
]

_counts(v) if v < 0

_counts(v) if {
	not _never
	v == _max_recycle
}

_high(ms) if _never

_high(ms) if ms <= _max_recycle * 1000

_lifetime := "connection_recycle_time = -1: pooled connections are never recycled" if {
	_never
} else := sprintf("the longest connection_recycle_time is %ds", [_max_recycle])

_msg(kind, side, t, name, px) := sprintf("timeout %s %s on DB proxy %q (%s, %s) %s: haproxy silently cuts idle pooled connections, and one held idle inside a transaction fails with 'MySQL server has gone away' (2006/2013); set timeout client and timeout server to %s", [side, t.raw, name, px.service, lib.hap_where(t), kind, _target])

_db_sides contains [h, name, px, side, t, ms] if {
	some [h, name, px] in lib.proxies
	px.role == "db"
	some side in _sides(px)
	t := px.timeouts[side]
	ms := lib.hap_finite_ms(t)
}

_fix(h, px, name, side) := {"op": "haproxy_set", "host": h, "file": px.file, "section": px.name, "keyword": sprintf("timeout %s", [side]), "args": [_target]}

deny contains f if {
	some [h, name, px, side, t, ms] in _db_sides
	_high(ms)
	base := {
		"host": h, "file": t.file, "line": t.line,
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": _msg(sprintf("is not longer than the pooled-connection lifetime (%s)", [_lifetime]), side, t, name, px),
		"related": _recycle_related,
	}
	f := _with_fix(base, h, px, name, side)
}

# With a never-recycled pool no finite timeout is long enough: the fix is on
# the oslo.db side, so no haproxy fix is attached.
_with_fix(base, h, px, name, side) := base if _never

_with_fix(base, h, px, name, side) := object.union(base, {"fix": _fix(h, px, name, side)}) if not _never

deny contains f if {
	some [h, name, px, side, t, ms] in _db_sides
	not _high(ms)
	ms < 3600000
	f := {
		"host": h, "file": t.file, "line": t.line, "severity": "medium",
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": _msg("is under 3600s, the oslo.db default connection_recycle_time", side, t, name, px),
		"fix": _fix(h, px, name, side),
	}
}

_show(ms) := "infinite" if {
	ms == 0
} else := lib.human_ms(ms)

deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "db"
	px.type == "listen"
	c := lib.hap_ms_or_zero(object.get(px.timeouts, "client", null))
	s := lib.hap_ms_or_zero(object.get(px.timeouts, "server", null))
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
