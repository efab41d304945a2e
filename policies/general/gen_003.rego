# METADATA
# title: HA-critical configuration drift between controllers
# description: |
#   High availability assumes interchangeable nodes. Behind a load balancer,
#   per-node differences become behaviour that depends on which node serves
#   a request, which is very hard to debug, and after a failover the weakest
#   node sets the limits. Compared, for files with the same path and role on
#   different hosts of one cluster (nova.conf of controllers and of computes
#   apart; input.topology gives both): oslo.db
#   connection_recycle_time, max_pool_size and max_overflow ([database], and
#   nova's [api_database]); keystone [token] provider and expiration and
#   [fernet_tokens] max_active_keys; [cache] memcache_servers (order too:
#   it decides which server holds a key); [oslo_messaging_rabbit]
#   heartbeat_timeout_threshold and heartbeat_rate; and across Galera nodes
#   max_connections and wait_timeout. Effective values are compared (an
#   unset option counts as its default). Each difference is one finding per
#   cluster: its position is the first host away from the majority value (or
#   the first host when there is no majority), every other host a related
#   location. Drift that
#   another rule already reports is left to it, so nothing is reported
#   twice: the [database] connection host (OSC-DB-004), wsrep_cluster_name
#   and wsrep_cluster_address (OSC-GAL-002), wsrep_sst_method (OSC-GAL-003)
#   the haproxy DB listener's active and backup servers (OSC-HAP-006) and
#   keystone's [cache] memcache_servers (OSC-KS-005).
# custom:
#   id: OSC-GEN-003
#   severity: medium
#   fix: manual
#   remedy: |
#     Converge to one value, normally the majority or the safest one, in the
#     deployment tool's inventory rather than on the host. For Galera
#     max_connections take the smallest node's capacity (openstack-ansible
#     computes it from the lowest denominator for this reason).
#   references:
#     - openstack/openstack-ansible-galera_server templates/my.cnf.j2 (max_connections from the lowest denominator)
#     - https://mariadb.com/kb/en/mariabackup-sst-method/
#     - openstack/keystone doc/source/admin/fernet-token-faq.rst
package oscfg.rules.gen_003

import data.oscfg.lib
import data.oscfg.lib.internal.galera

_common := {
	["database", "connection_recycle_time"], ["database", "max_pool_size"], ["database", "max_overflow"],
	["cache", "memcache_servers"],
	["oslo_messaging_rabbit", "heartbeat_timeout_threshold"], ["oslo_messaging_rabbit", "heartbeat_rate"],
}

_by_service := {
	"nova": {["api_database", "connection_recycle_time"], ["api_database", "max_pool_size"], ["api_database", "max_overflow"]},
	"keystone": {["token", "provider"], ["token", "expiration"], ["fernet_tokens", "max_active_keys"]},
}

_keys(f) := (_common | object.get(_by_service, f.service, set())) - object.get(_owned, f.service, set())

# Keys another rule already compares across hosts for that service.
_owned := {"keystone": {["cache", "memcache_servers"]}} # OSC-KS-005

_norm(v) := replace(trim_space(v), " ", "") if is_string(v)

_norm(v) := v if not is_string(v)

# [host, path, role, cluster] of every oslo file: roles and clusters come
# from input.topology, so a compute is never compared with a controller
# and one region never with another.
_roles contains [h, p, lib.file_role(h, p), lib.cluster_of(h)] if some [h, p, _] in lib.oslo_files

# The groups of files to compare: [cluster, path, role] -> hosts. Built
# as comprehensions over the (few) distinct groups: a multi-value rule
# (`x[k] contains v`) costs time quadratic in the size of each group in
# OPA, which a cluster of 1,000 controllers made 6 s.
_slots := {[c, p, r] | some [_, p, r, c] in _roles}

_group_hosts := {slot: {h | some [h, p, r, c] in _roles; [c, p, r] == slot} | some slot in _slots}

# The values to compare: [cluster, path, role, group, option] -> {host: value}.
_values := {[c, p, r, g, k]: m |
	some [c, p, r], hs in _group_hosts
	some [g, k] in _keys(input.hosts[min(hs)].files[p])
	m := {h: _norm(o.value) |
		some h in hs
		o := input.hosts[h].files[p].options[g][k]
		not o.invalid
		o.value != null
	}
	count(m) > 0
}

# A key that is set somewhere in the group (all-default groups agree).
_set_somewhere(slot) if {
	[c, p, r, g, k] := slot
	some h, _ in _values[slot]
	input.hosts[h].files[p].options[g][k].set
}

_show(v) := v if is_string(v)

_show(v) := sprintf("%v", [v]) if not is_string(v)

_file(h, p) := input.hosts[h].files[p]

_ref(h, p, g, k, v) := {"host": h, "file": p, "line": lib.opt_line(_file(h, p), g, k), "note": sprintf("[%s] %s = %s on %s", [g, k, _show(v), h])}

# "ctl1, ctl2 and 7 more": names in a message stay short however many
# hosts share a value; related lists every location.
_names(hs) := concat(", ", s) if {
	s := sort(hs)
	count(s) <= 3
} else := sprintf("%s and %d more", [concat(", ", array.slice(sort(hs), 0, 3)), count(hs) - 3])

# Value -> hosts, outliers first: "20 on ctl2; 5 on ctl1, ctl3".
_by_value(m, out) := concat("; ", [sprintf("%s on %s", [_show(v), _names({h | some h, w in m; w == v})]) |
	some v in array.concat(sort({m[h] | some h in out}), sort({w | some h, w in m; not h in out}))
])

# One finding per cluster fact: the first outlier is its position, every
# other host of the group a related location.
deny contains f if {
	some slot, m in _values
	[c, p, r, g, k] := slot
	lib.distinct(m) > 1
	_set_somewhere(slot)
	out := lib.outliers(m)
	h := min(out)
	f := {
		"host": h, "file": p, "line": lib.opt_line(_file(h, p), g, k),
		"cluster": c,
		"key": sprintf("%s/%s/%s/%s", [p, r, g, k]),
		"message": sprintf("[%s] %s differs between the %d %s hosts of cluster %s (same file %s): %s%s; behind the load balancer the behaviour depends on which node serves the request; converge to one value", [g, k, count(m), r, c, p, _by_value(m, out), _unset(h, p, g, k)]),
		"related": array.concat(
			[_ref(h2, p, g, k, m[h2]) | some h2 in sort(out); h2 != h],
			[_ref(h2, p, g, k, m[h2]) | some h2 in sort({x | some x, _ in m; not x in out})],
		),
	}
}

_unset(h, p, g, k) := sprintf(" (unset on %s: the default)", [h]) if not _file(h, p).options[g][k].set

_unset(h, p, g, k) := "" if _file(h, p).options[g][k].set

# Galera nodes: max_connections and wait_timeout.
_mysql_defaults := {"max_connections": "151", "wait_timeout": "28800"}

# Per cluster: [cluster, option] -> {Galera node: value}.
_mvalues[[c, name]] := m if {
	some c in lib.clusters
	some name, d in _mysql_defaults
	m := {h: _mval(h, name, d) | some h in lib.cluster_galera(c)}
}

_mval(h, name, _) := galera.val(h, name) if galera.opt(h, name).has_value

_mval(h, name, d) := d if not galera.opt(h, name)

_mshow(m, h, name) := sprintf("%s = %s", [name, m[h]]) if galera.opt(h, name)

_mshow(m, h, name) := sprintf("%s unset (default %s)", [name, m[h]]) if not galera.opt(h, name)

deny contains f if {
	some [c, name], m in _mvalues
	lib.distinct(m) > 1
	out := lib.outliers(m)
	h := min(out)
	fl := galera.line(h, name)
	f := {
		"host": h, "file": fl[0], "line": fl[1],
		"cluster": c,
		"key": sprintf("mysqld/%s", [name]),
		"message": sprintf("%s on Galera node %s: the Galera nodes of cluster %s differ (%s): after a failover the new writer has other limits than the old one; converge to one value (for max_connections, what the smallest node can hold)", [_mshow(m, h, name), h, c, _by_value(m, out)]),
		"related": [{"host": h2, "file": l2[0], "line": l2[1], "note": _mshow(m, h2, name)} |
			some h2 in array.concat(sort(out), sort({x | some x, _ in m; not x in out}))
			h2 != h
			l2 := galera.line(h2, name)
		],
	}
}
