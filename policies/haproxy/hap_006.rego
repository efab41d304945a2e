# METADATA
# title: Galera listener is not single-writer (active/backup)
# description: |
#   Galera certifies write-sets optimistically across nodes and row locks
#   (SELECT ... FOR UPDATE) are not cluster-wide, so concurrent writers on
#   different nodes to the same rows (quotas, allocations, services, tokens)
#   get certification failures surfaced as 1213 "Deadlock found" / "wsrep
#   aborted transaction"; oslo.db retries only where the code opted in. Every
#   major deployment tool sends all DB traffic to one node and fails over. High
#   when a DB proxy has more than one non-backup server without `stick on dst`,
#   when `option allbackups` is in effect, or when the same DB proxy has a
#   different set of active servers on two load-balancer hosts (two writers
#   through two VIP holders or per-host haproxies). Low without
#   `on-marked-down shutdown-sessions` (pooled sessions keep talking to a node
#   the health check already marked bad); info without fail-back protection
#   (neither `stick on dst` nor `on-marked-up shutdown-backup-sessions`): when
#   the primary returns, new connections go to it while pooled ones stay on the
#   backup, a brief two-writer window. Proxies without servers are skipped.
# custom:
#   id: OSC-HAP-006
#   severity: high
#   severities:
#     low: "no server has on-marked-down shutdown-sessions (pooled sessions stay on a node marked down)"
#     info: "neither stick on dst nor on-marked-up shutdown-backup-sessions (a brief two-writer window after failback)"
#   fix: manual
#   remedy: |
#     One active server, the others `backup`, with the same active node on
#     every load-balancer host, e.g.
#     `server db1 <ip1>:3306 check inter 2000 rise 2 fall 5 on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions`
#     and `... backup on-marked-down shutdown-sessions` for db2 and db3 (or a
#     `stick-table type ip size 1000` with `stick on dst`). Remove
#     `option allbackups`. Change all load balancers in one maintenance window.
#   references:
#     - https://docs.openstack.org/ha-guide/control-plane-stateless.html
#     - openstack/kolla-ansible ansible/roles/mariadb/defaults/main.yml (backup on every member but the first)
#     - openstack/openstack-ansible inventory/group_vars/galera_all.yml (haproxy_backup_nodes, haproxy_shutdown_sessions)
#     - https://bugs.launchpad.net/fuel/+bug/1490595
#     - https://docs.haproxy.org/2.6/configuration.html#5.2-on-marked-down
package oscfg.rules.hap_006

import data.oscfg.lib
import data.oscfg.lib.internal.haproxy

_db contains [h, name, px] if {
	some [h, name, px] in lib.proxies
	px.role == "db"
	lib.server_side(px)
	count(px.servers) > 0
}

_active(px) := [s | some s in px.servers; not s.backup]

_active_addrs(px) := {s.addr | some s in _active(px)}

_sticky(px) if px.stick_on == "dst"

# A server (or the proxy's own default-server line) with `word arg`.
_has_param(px, word, arg) if {
	some s in px.servers
	_pair(s.params, word, arg)
}

_has_param(px, word, arg) if {
	some d in px.directives
	d.keyword == "default-server"
	_pair(d.args, word, arg)
}

_pair(params, word, arg) if {
	some i, p in params
	p == word
	params[i + 1] == arg
}

_server_note(s, what) := sprintf("%s server %s %s:%v", [what, s.name, s.addr, s.port])

# More than one writer.
deny contains f if {
	some [h, name, px] in _db
	act := _active(px)
	count(act) > 1
	not _sticky(px)
	f := {
		"host": h, "file": px.file, "line": px.line,
		"key": sprintf("%s/writers", [name]),
		"message": sprintf("DB %s %q sends traffic to %d active (non-backup) servers without stick on dst: concurrent writers on different Galera nodes get certification failures (1213 Deadlock found); keep one active server and mark the others backup", [px.type, name, count(act)]),
		"related": [{"host": h, "file": s.file, "line": s.line, "note": _server_note(s, "active")} | some s in act],
	}
}

# option allbackups spreads traffic over every backup.
deny contains f if {
	some [h, name, px] in _db
	lib.option_on(px, "allbackups")
	o := px.options.allbackups
	f := {
		"host": h, "file": o.file, "line": o.line,
		"key": sprintf("%s/allbackups", [name]),
		"message": sprintf("option allbackups on DB %s %q (%s): when the active server fails, traffic is spread over all backup servers at once, i.e. several Galera writers; remove it", [px.type, name, haproxy.where(o)]),
	}
}

# Cross-host: the same DB proxy with different active servers.
_other_related(h2, px2) := [{"host": h2, "file": s.file, "line": s.line, "note": sprintf("on %s: %s", [h2, _server_note(s, "active")])} | some s in _active(px2)] if {
	count(_active(px2)) > 0
} else := [{"host": h2, "file": px2.file, "line": px2.line, "note": sprintf("on %s: no active server (all backup)", [h2])}]

_at(px) := [s.file, s.line] if {
	s := _active(px)[0]
} else := [px.file, px.line]

# [cluster, DB proxy name] -> {host: its active servers}: grouped once
# (comprehensions over the few proxy names, not every proxy against every
# other: 1,000 controllers made that a million comparisons).
_db_px := {[h, name]: px | some [h, name, px] in _db}

_writers := {slot: {h: _addrs(px) | some [h, name], px in _db_px; [lib.cluster_of(h), name] == slot} |
	some slot in {[lib.cluster_of(h), name] | some [h, name, _] in _db}
}

# One finding per cluster and proxy name: at the first host away from the
# majority, every host with other active servers related.
deny contains f if {
	some [c, name], m in _writers
	lib.distinct(m) > 1
	h := min(lib.outliers(m))
	px := _db_px[[h, name]]
	others := sort({h2 | some h2, v in m; v != m[h]})
	[file, line] := _at(px)
	f := {
		"host": h, "file": file, "line": line,
		"cluster": c,
		"key": sprintf("%s/writers-cross-host", [name]),
		"message": sprintf("DB proxy %q sends writes to %s on %s but to other servers on %s: clients of different load balancers write to different Galera nodes; use the same active server everywhere", [name, m[h], h, lib.host_names(others)]),
		"related": [r | some h2 in others; some r in _other_related(h2, _db_px[[h2, name]])],
	}
}

_addrs(px) := concat(", ", sort(_active_addrs(px))) if {
	count(_active(px)) > 0
} else := "no active server"

# Sessions left on a server marked down.
deny contains f if {
	some [h, name, px] in _db
	not _has_param(px, "on-marked-down", "shutdown-sessions")
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "low",
		"key": sprintf("%s/on-marked-down", [name]),
		"message": sprintf("no server of DB %s %q has on-marked-down shutdown-sessions: pooled sessions keep talking to a Galera node the health check has already marked bad", [px.type, name]),
	}
}

# No fail-back protection.
deny contains f if {
	some [h, name, px] in _db
	not _sticky(px)
	not _has_param(px, "on-marked-up", "shutdown-backup-sessions")
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "info",
		"key": sprintf("%s/fail-back", [name]),
		"message": sprintf("DB %s %q has neither stick on dst nor on-marked-up shutdown-backup-sessions: when the primary comes back, new connections go to it while pooled ones stay on the backup, a brief two-writer window", [px.type, name]),
	}
}
