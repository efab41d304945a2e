# METADATA
# title: connection_recycle_time not below MySQL wait_timeout
# description: |
#   MariaDB drops a connection that has been idle for wait_timeout seconds.
#   oslo.db's connection_recycle_time (SQLAlchemy pool_recycle, default 3600)
#   replaces a pooled connection once its age exceeds the value, checked at
#   checkout. Since a connection's idle time can never exceed its age, a
#   recycle time at or below wait_timeout means the pool never hands out a
#   connection the server has already killed; above it, services hit
#   "MySQL server has gone away" (2006) or "Lost connection" (2013). The
#   connect-time ping hides part of this but logs errors, and cannot save a
#   connection that goes stale while checked out. The smallest wait_timeout
#   of the DB nodes the connection reaches counts (the servers of the haproxy
#   listener bound on its endpoint, else every DB node of its cluster), since
#   a failover can land on any of them. Equality
#   is safe but leaves no margin (openstack-ansible's 600/600); a
#   wait_timeout under a minute reaps idle sessions aggressively. A negative
#   value (-1) disables recycling altogether (SQLAlchemy recycles only when
#   pool_recycle > -1), so connections live until the server kills them:
#   high. 0 recycles at every checkout: never stale, but a new connection
#   per session (low, manual).
# custom:
#   id: OSC-DB-001
#   severity: high
#   severities:
#     medium: "a negative recycle time (never recycles) when no DB node of the cluster was loaded, or a wait_timeout under a minute"
#     low: "connection_recycle_time = 0 (a new connection at every checkout)"
#     info: "the recycle time equals wait_timeout (safe, no margin)"
#   fix: safe
#   remedy: |
#     Lower [database] (and nova's [api_database]) connection_recycle_time below
#     every DB node's wait_timeout and below the haproxy DB listener timeouts,
#     e.g. 600 with wait_timeout 28800 and a 3600s listener; restart the
#     service. Raising wait_timeout instead is a DB-wide change (manual).
#   references:
#     - https://docs.openstack.org/oslo.db/latest/reference/opts.html
#     - openstack/oslo.db oslo_db/options.py (connection_recycle_time IntOpt, default 3600, no minimum)
#     - openstack/oslo.db oslo_db/sqlalchemy/engines.py create_engine (pool_recycle = connection_recycle_time)
#     - sqlalchemy/sqlalchemy lib/sqlalchemy/pool/base.py _ConnectionRecord.get_connection (recycles when _recycle > -1 and age > _recycle)
#     - https://mariadb.com/docs/server/ref/mdb/system-variables/wait_timeout
#     - openstack/openstack-ansible-galera_server defaults/main.yml (galera_wait_timeout)
#     - https://bugs.launchpad.net/kolla-ansible/+bug/1896635
package oscfg.rules.db_001

import data.oscfg.lib
import data.oscfg.lib.internal.db

# The DB client groups of a file: [database] everywhere, [api_database] in nova.
_groups(f) := {"database", "api_database"} if f.service == "nova"

_groups(f) := {"database"} if f.service != "nova"

# Oslo files that talk to a database: [group] connection is set.
_clients contains [h, p, f, g, recycle] if {
	some [h, p, f] in lib.oslo_files
	some g in _groups(f)
	f.options[g].connection.set
	recycle := lib.opt_int(f.options[g].connection_recycle_time)
}

# The DB nodes a client's connection reaches (the servers behind the haproxy
# listener its endpoint is bound on, else every DB node of its cluster:
# input.topology) and their wait_timeout. Only its own cluster counts.
_waits(h, p, g) := {d: w |
	some d in lib.db_path(h, p, g).nodes
	w := db.wait(d)
}

_min_wait(h, p, g) := min({w | some _, w in _waits(h, p, g)})

# The value the fix sets: 90% of the tightest limit (the DB nodes'
# wait_timeout and the idle timeouts of the listeners on the way), at least 1.
_limit(h, p, g) := min(db.path_timeouts_s(lib.cluster_of(h), lib.db_path(h, p, g)) | {_min_wait(h, p, g)})

_fix_value(h, p, g) := format_int(max({1, floor((_limit(h, p, g) * 9) / 10)}), 10)

_where(f, g) := sprintf("%s (default)", [g]) if not f.options[g].connection_recycle_time.set

_where(f, g) := sprintf("%s, set as %s", [g, k]) if {
	f.options[g].connection_recycle_time.set
	k := f.options[g].connection_recycle_time.key
}

# Sections whose legacy idle_timeout OSC-DB-002 renames into group g.
_legacy_secs("database") := {"database", "sql", "DEFAULT"}

_legacy_secs("api_database") := {"api_database"}

# A legacy idle_timeout that OSC-DB-002 renames into g (Queens and later).
# Its rename comes first: this rule's fix waits for the next pass, so the
# file never ends up with two connection_recycle_time lines.
_legacy_pending(h, f, g) := sprintf("[%s] %s = %s", [sec, key, k.value]) if {
	lib.host_release_at_least(h, "queens")
	some sec in _legacy_secs(g)
	some key in ["idle_timeout", "sql_idle_timeout"]
	k := f.sections[sec].keys[key]
	not _idle_in_default(sec, key)
}

_idle_in_default(sec, key) if {
	sec == "DEFAULT"
	key == "idle_timeout"
}

# Before Queens the option is still called idle_timeout.
_recycle_key(h) := "idle_timeout" if lib.host_release_before(h, "queens")

_recycle_key(h) := "connection_recycle_time" if lib.host_release_at_least(h, "queens")

_fix(h, p, file, g) := {} if {
	_legacy_pending(h, file, g)
} else := {"fix": {"op": "set", "host": h, "file": p, "section": g, "key": _recycle_key(h), "value": _fix_value(h, p, g)}}

_pending_note(h, file, g) := sprintf("; the ignored %s is renamed first (OSC-DB-002), then this is checked again", [x]) if {
	x := _legacy_pending(h, file, g)
} else := ""

deny contains f if {
	some [h, p, file, g, recycle] in _clients
	mw := _min_wait(h, p, g)
	recycle > mw
	related := [db.wait_ref(d) | some d, w in _waits(h, p, g); w < recycle]
	base := {
		"host": h, "file": p, "line": lib.opt_line(file, g, "connection_recycle_time"),
		"key": sprintf("%s/connection_recycle_time", [g]),
		"message": sprintf("[%s] connection_recycle_time %d (%s) is above the DB nodes' wait_timeout %d: pooled connections the server already closed get handed out (MySQL server has gone away); set it to %s%s", [g, recycle, _where(file, g), mw, _fix_value(h, p, g), _pending_note(h, file, g)]),
		"related": related,
	}
	f := object.union(base, _fix(h, p, file, g))
}

# A negative value disables recycling: SQLAlchemy's checkout recycles only
# when pool._recycle > -1 (sqlalchemy/pool/base.py), and oslo.db passes
# connection_recycle_time as pool_recycle unchanged (an IntOpt without a
# minimum). Every pooled connection then lives until the server kills it.
_never(recycle) := sprintf("connection_recycle_time %d never recycles (SQLAlchemy reads a negative pool_recycle as no recycling)", [recycle])

deny contains f if {
	some [h, p, file, g, recycle] in _clients
	recycle < 0
	mw := _min_wait(h, p, g)
	related := [db.wait_ref(d) | some d, _ in _waits(h, p, g)]
	base := {
		"host": h, "file": p, "line": lib.opt_line(file, g, "connection_recycle_time"),
		"key": sprintf("%s/connection_recycle_time", [g]),
		"message": sprintf("[%s] %s: pooled connections stay until the DB nodes' wait_timeout %d closes them and are then handed out dead (MySQL server has gone away); set it to %s%s", [g, _never(recycle), mw, _fix_value(h, p, g), _pending_note(h, file, g)]),
		"related": related,
	}
	f := object.union(base, _fix(h, p, file, g))
}

deny contains f if {
	some [h, p, file, g, recycle] in _clients
	recycle < 0
	count(_waits(h, p, g)) == 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, g, "connection_recycle_time"),
		"severity": "medium",
		"key": sprintf("%s/connection_recycle_time", [g]),
		"message": sprintf("[%s] %s: pooled connections stay until the server's wait_timeout or an idle timeout on the way closes them, and are then handed out dead (MySQL server has gone away); no DB node of this cluster was loaded, so set it below their wait_timeout yourself (MariaDB's default 28800; openstack-ansible uses 600)", [g, _never(recycle)]),
		"fix_class": "manual",
	}
}

# 0 recycles at every checkout (the age is always above 0): never stale,
# but each checkout opens a new connection.
deny contains f if {
	some [h, p, file, g, recycle] in _clients
	recycle == 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, g, "connection_recycle_time"),
		"severity": "low",
		"key": sprintf("%s/connection_recycle_time", [g]),
		"message": sprintf("[%s] connection_recycle_time = 0 replaces the pooled connection at every checkout (SQLAlchemy recycles once its age exceeds 0 s): connections are never stale, but every database session opens a new connection (TCP, TLS, authentication) through the DB listener; use a value below the DB nodes' wait_timeout%s", [g, _zero_hint(h, p, g)]),
		"fix_class": "manual",
	}
}

_zero_hint(h, p, g) := sprintf(", e.g. %s", [_fix_value(h, p, g)]) if {
	count(_waits(h, p, g)) > 0
} else := ""

deny contains f if {
	some [h, p, file, g, recycle] in _clients
	recycle == _min_wait(h, p, g)
	related := [db.wait_ref(d) | some d, w in _waits(h, p, g); w == recycle]
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, g, "connection_recycle_time"),
		"severity": "info",
		"key": sprintf("%s/connection_recycle_time", [g]),
		"message": sprintf("[%s] connection_recycle_time %d equals the DB nodes' wait_timeout: safe (a connection's idle time never exceeds its age) but leaves no margin", [g, recycle]),
		"related": related,
	}
}

deny contains f if {
	some d in lib.db_hosts
	w := db.wait(d)
	w < 60
	o := input.hosts[d].mysql.server.wait_timeout
	f := {
		"host": d, "file": o.file, "line": o.line,
		"severity": "medium",
		"key": "mysqld/wait_timeout",
		"message": sprintf("wait_timeout = %d: the server reaps any session idle for under a minute, breaking idle admin sessions and non-pooled clients; use at least the services' connection_recycle_time", [w]),
		"fix_class": "manual",
	}
}
