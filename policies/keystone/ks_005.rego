# METADATA
# title: Keystone caching disabled or memcache lists inconsistent across nodes
# description: |
#   Fernet validation is CPU- and database-bound: every validation rebuilds
#   the token's role assignments from the database, on the single Galera
#   writer. oslo.cache is off by default ([cache] enabled = false, and the
#   default backend dogpile.cache.null caches nothing even when enabled), so
#   a multi-node keystone without caching puts all that load on the DB
#   (low). When caching is on, every node must share one cache: a
#   memcache_servers list that differs between keystone nodes (order
#   included, since the client hashes keys over the list), a localhost entry
#   (the default localhost:11211) or an in-process backend makes each node
#   cache on its own, so a revoked token or a changed role keeps working on
#   the nodes whose cache has not expired, depending on which backend the
#   load balancer picked (medium). Only clusters (input.topology) with
#   keystone.conf on more than one host are checked, each on its own.
# custom:
#   id: OSC-KS-005
#   severity: medium
#   severities:
#     low: "caching off, or a cache backend that caches nothing, on a multi-node keystone"
#   fix: manual
#   remedy: |
#     On every keystone node set [cache] enabled = true,
#     backend = oslo_cache.memcache_pool and the same ordered
#     memcache_servers list naming every memcached node by address (kolla's
#     template). Restart keystone.
#   references:
#     - https://docs.openstack.org/keystone/latest/admin/configure_cache.html
#     - openstack/oslo.cache oslo_cache/_opts.py (enabled False, backend dogpile.cache.null, memcache_servers localhost:11211)
#     - openstack/kolla-ansible ansible/roles/keystone/templates/keystone.conf.j2 ([cache] section)
package oscfg.rules.ks_005

import data.oscfg.lib

_keystone contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "keystone"
}

# Keystone hosts per cluster (input.topology): nodes of another
# deployment share no cache with these.
_hosts[c] := hs if {
	some c in lib.clusters
	hs := {h | some [h, _, _] in _keystone; input.topology.hosts[h].cluster == c}
}

_peers(h) := _hosts[lib.cluster_of(h)]

_multi(h) if count(_peers(h)) > 1

_memcache_backends := {
	"oslo_cache.memcache_pool", "dogpile.cache.memcached", "dogpile.cache.pymemcache",
	"dogpile.cache.bmemcached", "dogpile.cache.pylibmc",
}

_in_process := {"dogpile.cache.memory", "dogpile.cache.memory_pickle", "oslo_cache.dict"}

_backend(f) := lower(trim_space(f.options.cache.backend.value))

_enabled(f) if f.options.cache.enabled.value == true

_memcache(f) if {
	_enabled(f)
	_backend(f) in _memcache_backends
}

_servers(f) := [trim_space(s) | some s in split(f.options.cache.memcache_servers.value, ","); trim_space(s) != ""]

# The host of a memcache server entry: "10.0.0.1:11211", "inet6:[::1]:11211".
_server_host(s) := lower(m[0][1]) if {
	m := regex.find_all_string_submatch_n(`^\[([^\]]*)\]`, trim_prefix(s, "inet6:"), 1)
	count(m) == 1
} else := lower(split(trim_prefix(s, "inet6:"), ":")[0])

_local(s) if _server_host(s) in {"localhost", "::1", "0.0.0.0"}

_local(s) if startswith(_server_host(s), "127.")

_lists[c] := ls if {
	some c in lib.clusters
	ls := {_servers(f) | some [h, _, f] in _keystone; _memcache(f); input.topology.hosts[h].cluster == c}
}

deny contains f if {
	some [h, p, file] in _keystone
	_multi(h)
	not _enabled(file)
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "cache", "enabled"), "severity": "low",
		"key": "cache/enabled",
		"message": sprintf("[cache] enabled is false on a keystone deployment of %d nodes: every token validation rebuilds role assignments from the database, all on the single Galera writer; enable oslo.cache with a shared memcached list", [count(_peers(h))]),
	}
}

deny contains f if {
	some [h, p, file] in _keystone
	_multi(h)
	_enabled(file)
	_backend(file) == "dogpile.cache.null"
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "cache", "backend"), "severity": "low",
		"key": "cache/backend",
		"message": "[cache] enabled = true but backend is dogpile.cache.null (the default when unset), which caches nothing; set backend = oslo_cache.memcache_pool with a shared memcache_servers list",
	}
}

deny contains f if {
	some [h, p, file] in _keystone
	_multi(h)
	_enabled(file)
	_backend(file) in _in_process
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "cache", "backend"),
		"key": "cache/backend",
		"message": sprintf("[cache] backend = %s keeps the cache inside each keystone process: the %d nodes answer from different caches, so a revoked token or changed role keeps working wherever the stale entry lives; use oslo_cache.memcache_pool with the same memcache_servers on every node", [_backend(file), count(_peers(h))]),
	}
}

# A list naming the local host: each node caches on its own (a per-file
# fact, no related locations).
deny contains f if {
	some [h, p, file] in _keystone
	_multi(h)
	_memcache(file)
	local := [s | some s in _servers(file); _local(s)]
	count(local) > 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "cache", "memcache_servers"),
		"key": "cache/memcache_servers",
		"message": sprintf("[cache] memcache_servers = %s%s: it names the local host (%s), so each node caches on its own; a revoked token or changed role keeps working on nodes whose cache has not expired; use the same ordered list of memcached addresses on every keystone node", [file.options.cache.memcache_servers.value, _how(file), concat(",", local)]),
	}
}

# Different lists in one cluster: one finding for the cluster, at the
# first node away from the majority list; one related location per other
# list (its first node), so 1,000 nodes with two lists stay one finding
# with one related entry.
_by_cluster := {c: {h: _servers(f) | some [h, _, f] in _keystone; lib.cluster_of(h) == c; _memcache(f)} | some c in lib.clusters}

_file_of(h) := [p, f] if {
	some [h2, p, f] in _keystone
	h2 == h
}

deny contains f if {
	some c, m in _by_cluster
	lib.distinct(m) > 1
	h := min(lib.outliers(m))
	[p, file] := _file_of(h)
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "cache", "memcache_servers"),
		"cluster": c,
		"key": "cache/memcache_servers/differs",
		"message": sprintf("[cache] memcache_servers = %s%s: the %d keystone nodes of cluster %s use %d different lists (order counts: the client hashes keys over the list), so they read and invalidate different caches; a revoked token or changed role keeps working on nodes whose cache has not expired; use the same ordered list on every keystone node", [file.options.cache.memcache_servers.value, _how(file), count(m), c, lib.distinct(m)]),
		"related": [{"host": h2, "file": p2, "line": lib.opt_line(f2, "cache", "memcache_servers"), "note": sprintf("memcache_servers = %s on %s", [f2.options.cache.memcache_servers.value, _share(m, l)])} |
			some l in {l | some _, l in m; l != m[h]}
			h2 := min({x | some x, l2 in m; l2 == l})
			[p2, f2] := _file_of(h2)
		],
	}
}

_share(m, l) := lib.host_names({x | some x, l2 in m; l2 == l})

_how(file) := "" if file.options.cache.memcache_servers.set

_how(file) := " (default)" if not file.options.cache.memcache_servers.set
