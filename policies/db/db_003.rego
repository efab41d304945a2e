# METADATA
# title: Connection-pool capacity above max_connections on the DB writer
# description: |
#   Every OpenStack worker process owns its own SQLAlchemy pool per database
#   it talks to: max_pool_size connections kept open (oslo.db default 5) and
#   up to max_overflow more under load (default 50 since oslo.db 4.6.0,
#   whose commit warns of "too many connections"). With Galera behind an
#   active/backup listener (OSC-HAP-006) one node accepts the total of all
#   services on all controllers, and after a failover every pool reconnects
#   to the survivor at once. When the total exceeds max_connections
#   (MariaDB default 151) every service gets error 1040 "Too many
#   connections" together. The total counted here is a lower bound: nova
#   processes come from osapi_compute_workers, metadata_workers (per
#   enabled_apis), [conductor] workers and [scheduler] workers, and a worker
#   count left unset (nova uses the CPU count, which a config file does not
#   tell) is counted as one process; keystone and other WSGI-hosted services
#   count one process per host; each nova process counts one pool per
#   configured database group (cell databases reached through cell mappings
#   add more). nova.conf on compute-only hosts is skipped: nova-compute has
#   no database access. Each cluster (input.topology) is counted apart: its
#   DB nodes carry the services of its own hosts only.
#   Tiers: steady state (max_pool_size) above max_connections high; peak
#   (max_pool_size + max_overflow) above it medium; max_connections unset
#   on a node serving more than one controller high; an unlimited pool
#   (max_pool_size = 0 or max_overflow = -1) medium; max_connections
#   differing between Galera nodes low.
# custom:
#   id: OSC-DB-003
#   severity: high
#   severities:
#     medium: "the peak pool (max_pool_size + max_overflow) above max_connections, or an unlimited pool"
#     low: "max_connections differing between Galera nodes"
#   fix: manual
#   remedy: |
#     Raise max_connections on every Galera node to at least the peak total
#     with headroom (kolla uses 10000; openstack-ansible 100 x min(vCPUs, 16),
#     capped at 1600, sized on the smallest node), and/or lower max_overflow,
#     max_pool_size or the worker counts. Needs a rolling MariaDB restart, or
#     SET GLOBAL max_connections plus the persisted config change.
#   references:
#     - https://docs.openstack.org/oslo.db/latest/reference/opts.html
#     - openstack/oslo.db commit db5ecf6 (4.6.0, max_overflow default 10 -> 50)
#     - https://mariadb.com/docs/server/ref/mdb/system-variables/max_connections
#     - openstack/kolla-ansible ansible/roles/mariadb/templates/galera.cnf.j2 (max_connections=10000)
#     - openstack/openstack-ansible-galera_server templates/my.cnf.j2
#     - openstack/nova nova/conf/service.py, conductor.py, scheduler.py (workers default to the CPU count)
package oscfg.rules.db_003

import data.oscfg.lib

_mariadb_default := 151

# --- DB clients and their pools ---

_groups(f) := {"database", "api_database"} if f.service == "nova"

_groups(f) := {"database"} if f.service != "nova"

# Groups of a file that connect to MySQL/MariaDB.
_db_groups(f) := {g |
	some g in _groups(f)
	o := f.options[g].connection
	o.set
	regex.match(`^mysql`, lower(o.value))
}

_clients contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	count(_db_groups(f)) > 0
	not _skipped(h, f)
}

# nova-compute has no database access (input.topology roles).
_skipped(h, f) if {
	f.service == "nova"
	lib.compute_only(h)
}

# Clients by cluster: each DB cluster carries the services of its own
# deployment only.
_cluster_clients[c] := cl if {
	some c in lib.clusters
	cl := {[h, p, f] | some [h, p, f] in _clients; input.topology.hosts[h].cluster == c}
}

_pool(f, g) := lib.opt_int(f.options[g].max_pool_size)

_overflow(f, g) := lib.opt_int(f.options[g].max_overflow)

_cap(f, g) := _pool(f, g) + _overflow(f, g)

_bounded(f, g) if {
	_pool(f, g) > 0
	_overflow(f, g) >= 0
}

# --- process counts ---

_opt(f, g, k) := object.get(f.options, [g, k], {})

_apis(f) := {trim_space(a) | some a in split(f.options.DEFAULT.enabled_apis.value, ",")}

# [label, option object] of every nova worker option that applies.
_nova_workers(f) := [w |
	some [api, w] in [
		["osapi_compute", ["osapi_compute_workers", _opt(f, "DEFAULT", "osapi_compute_workers")]],
		["metadata", ["metadata_workers", _opt(f, "DEFAULT", "metadata_workers")]],
	]
	api in _apis(f)
] if f.service == "nova"

_workers(f) := array.concat(_nova_workers(f), [
	["[conductor] workers", _opt(f, "conductor", "workers")],
	["[scheduler] workers", _opt(f, "scheduler", "workers")],
]) if f.service == "nova"

_known(o) := n if {
	n := lib.opt_int(o)
	n > 0
}

# Processes of a file: known worker counts, 1 for each unknown one.
_procs(f) := sum([n | some [_, o] in _workers(f); n := _count(o)]) if f.service == "nova"

_procs(f) := 1 if f.service != "nova"

_count(o) := n if {
	n := _known(o)
} else := 1

# Worker options left to the CPU count (counted as 1).
_unknown_workers contains [c, h, p, label] if {
	some [h, p, f] in _clients
	c := lib.cluster_of(h)
	some [label, o] in _workers(f)
	not _known(o)
}

_file_steady(f) := _procs(f) * sum([_pool(f, g) | some g in _db_groups(f); _bounded(f, g)])

_file_peak(f) := _procs(f) * sum([_cap(f, g) | some g in _db_groups(f); _bounded(f, g)])

_steady[c] := sum([_file_steady(f) | some [_, _, f] in cl]) if some c, cl in _cluster_clients

_peak[c] := sum([_file_peak(f) | some [_, _, f] in cl]) if some c, cl in _cluster_clients

_procs_total[c] := sum([_procs(f) | some [_, _, f] in cl]) if some c, cl in _cluster_clients

_client_hosts[c] := {h | some [h, _, _] in cl} if some c, cl in _cluster_clients

_related[c] := rel if {
	some c, cl in _cluster_clients
	rel := [r |
		some [h, p, f] in cl
		g := min(_db_groups(f))
		r := {
			"host": h, "file": p, "line": f.options[g].connection.line,
			"note": sprintf("%s: %d process(es) x %s = %d steady / %d peak%s", [f.service, _procs(f), concat(" + ", [sprintf("[%s] %d+%d", [x, _pool(f, x), _overflow(f, x)]) | some x in _db_groups(f); _bounded(f, x)]), _file_steady(f), _file_peak(f), _unbounded_note(f)]),
		}
	]
}

_unbounded_note(f) := sprintf("; unlimited %s not counted", [concat(", ", [sprintf("[%s]", [x]) | some x in _db_groups(f); not _bounded(f, x)])]) if {
	some x in _db_groups(f)
	not _bounded(f, x)
} else := ""

_caveat(c) := sprintf("; a lower bound: %d nova worker count(s) are unset (nova uses the CPU count) and were counted as 1 process each, keystone and other WSGI services as 1 process per host", [n]) if {
	n := count({x | some x in _unknown_workers; x[0] == c})
	n > 0
} else := "; keystone and other WSGI services are counted as 1 process per host, so this is a lower bound"

# --- DB nodes ---

_parse_int(v) := n if {
	m := regex.find_all_string_submatch_n(`^\s*([0-9]+)\s*([kKmMgG]?)\s*$`, v, 1)
	count(m) == 1
	n := to_number(m[0][1]) * _mult[lower(m[0][2])]
}

_mult := {"": 1, "k": 1024, "m": 1048576, "g": 1073741824}

_max_conn(h) := n if {
	n := _parse_int(input.hosts[h].mysql.server.max_connections.value)
} else := _mariadb_default if {
	h in lib.db_hosts
	not input.hosts[h].mysql.server.max_connections
}

_galera(h) if {
	some k in {"wsrep_on", "wsrep_provider", "wsrep_cluster_address"}
	input.hosts[h].mysql.server[k]
}

# Per cluster: Galera node -> max_connections.
_galera_max[c] := {h: n | some h in lib.cluster_db_hosts(c); _galera(h); n := _max_conn(h)} if some c in lib.clusters

# Where a finding about a node's max_connections points.
_anchor(h) := [o.file, o.line] if {
	o := input.hosts[h].mysql.server.max_connections
} else := [o.file, o.line] if {
	o := input.hosts[h].mysql.server.wsrep_cluster_address
} else := [input.hosts[h].mysql.files[0], 1]

_shown(h) := sprintf("max_connections = %d", [_max_conn(h)]) if {
	input.hosts[h].mysql.server.max_connections
} else := sprintf("max_connections unset (MariaDB default %d)", [_mariadb_default])

_reasons(c, h) := [r |
	some r in [_r_steady(c, h), _r_peak(c, h), _r_unset(c, h), _r_drift(c, h)]
	r[0] != ""
]

_r_steady(c, h) := ["high", sprintf("the services keep %d connections open at steady state (max_pool_size)", [_steady[c]])] if {
	count(_cluster_clients[c]) > 0
	_steady[c] > _max_conn(h)
} else := ["", ""]

_r_peak(c, h) := ["medium", sprintf("the services can open %d at peak (max_pool_size + max_overflow)", [_peak[c]])] if {
	count(_cluster_clients[c]) > 0
	_peak[c] > _max_conn(h)
} else := ["", ""]

_r_unset(c, h) := ["high", sprintf("it is left at MariaDB's default while %d controllers use the cluster", [count(_client_hosts[c])])] if {
	not input.hosts[h].mysql.server.max_connections
	count(_client_hosts[c]) > 1
} else := ["", ""]

_r_drift(c, h) := ["low", sprintf("other Galera nodes allow up to %d, and after a failover this node must carry the whole load", [top])] if {
	_galera_max[c][h]
	top := max({n | some n in _galera_max[c]})
	_galera_max[c][h] < top
} else := ["", ""]

_rank := {"high": 3, "medium": 2, "low": 1}

_severity(reasons) := s if {
	top := max({_rank[r[0]] | some r in reasons})
	some s, n in _rank
	n == top
}

_totals(c) := sprintf(" (%d processes on %d hosts: %d steady, %d peak%s)", [_procs_total[c], count(_client_hosts[c]), _steady[c], _peak[c], _caveat(c)]) if {
	count(_cluster_clients[c]) > 0
} else := ""

# DB nodes of a cluster with the same limit and the same reasons are one
# fact: one finding at the first of them, the others and every client
# related (3 Galera nodes behind 1,000 controllers were 3 findings with
# 1,000 related each).
_node_facts := {[c, h, _shown(h), reasons] |
	some h in lib.db_hosts
	c := lib.cluster_of(h)
	reasons := _reasons(c, h)
	count(reasons) > 0
}

_facts := {[c, shown, reasons]: {h | some [c2, h, s2, r2] in _node_facts; [c2, s2, r2] == [c, shown, reasons]} |
	some [c, _, shown, reasons] in _node_facts
}

_nodes_phrase(hs) := "on this DB node" if count(hs) == 1

_nodes_phrase(hs) := sprintf("on the %d DB nodes %s", [count(hs), lib.host_names(hs)]) if count(hs) > 1

deny contains f if {
	some [c, shown, reasons], hs in _facts
	h := min(hs)
	[file, line] := _anchor(h)
	f := {
		"host": h, "file": file, "line": line, "severity": _severity(reasons),
		"cluster": c,
		"key": "mysqld/max_connections",
		"message": sprintf("%s %s: %s%s; when the limit is reached every service fails with error 1040 Too many connections at once, typically during a failover when all pools reconnect; raise max_connections on every node above the peak with headroom, or lower max_overflow / worker counts", [shown, _nodes_phrase(hs), concat("; ", [r[1] | some r in reasons]), _totals(c)]),
		"related": array.concat(
			[{"host": h2, "file": a[0], "line": a[1], "note": sprintf("%s on DB node %s", [shown, h2])} | some h2 in sort(hs); h2 != h; a := _anchor(h2)],
			_related[c],
		),
	}
}

# An unlimited pool: max_pool_size = 0 or max_overflow = -1.
_unbounded(f, g, "max_pool_size") if _pool(f, g) == 0

_unbounded(f, g, "max_overflow") if _overflow(f, g) < 0

deny contains f if {
	some [h, p, file] in _clients
	some g in _db_groups(file)
	some key in ["max_pool_size", "max_overflow"]
	_unbounded(file, g, key)
	o := file.options[g][key]
	f := {
		"host": h, "file": p, "line": o.line, "severity": "medium",
		"key": sprintf("%s/%s", [g, key]),
		"message": sprintf("[%s] %s = %d removes the pool limit: each %s process can open any number of connections under a burst and exhaust max_connections for every service; set a bound (max_pool_size 5, max_overflow 50 or lower)", [g, key, o.value, file.service]),
	}
}
