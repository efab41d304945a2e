# METADATA
# title: HA-critical configuration drift between controllers
# description: |
#   High availability assumes interchangeable nodes. Behind a load balancer,
#   per-node differences become behaviour that depends on which node serves
#   a request, which is very hard to debug, and after a failover the weakest
#   node sets the limits. Compared, for files with the same path and role on
#   different hosts (nova.conf of controllers and of computes apart): oslo.db
#   connection_recycle_time, max_pool_size and max_overflow ([database], and
#   nova's [api_database]); keystone [token] provider and expiration and
#   [fernet_tokens] max_active_keys; [cache] memcache_servers (order too:
#   it decides which server holds a key); [oslo_messaging_rabbit]
#   heartbeat_timeout_threshold and heartbeat_rate; and across Galera nodes
#   max_connections and wait_timeout. Effective values are compared (an
#   unset option counts as its default). Hosts away from the majority value
#   are reported, or every host when there is no majority. Drift that
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

_role(f) := lib.gx_nova_role(f)

_norm(v) := replace(trim_space(v), " ", "") if is_string(v)

_norm(v) := v if not is_string(v)

# [path, role, group, key] -> {host: value}
# The role of every oslo file, computed once.
_roles contains [h, p, _role(file)] if some [h, p, file] in lib.oslo_files

# The (file, role, option) groups to compare, then each group's values by
# host in one comprehension: building a nested partial object host by host
# costs quadratic time on large fleets.
_slots contains [p, r, g, k] if {
	some [h, p, r] in _roles
	some [g, k] in _keys(input.hosts[h].files[p])
}

_values[slot] := m if {
	some slot in _slots
	[p, r, g, k] := slot
	m := {h: _norm(o.value) |
		some [h, p2, r2] in _roles
		p2 == p
		r2 == r
		o := input.hosts[h].files[p].options[g][k]
		not o.invalid
		o.value != null
	}
	count(m) > 0
}

# A key that is set somewhere in the group (all-default groups agree).
_set_somewhere(p, r, g, k) if {
	some [h, p2, r2] in _roles
	p2 == p
	r2 == r
	input.hosts[h].files[p].options[g][k].set
}

_show(v) := v if is_string(v)

_show(v) := sprintf("%v", [v]) if not is_string(v)

_file(h, p) := input.hosts[h].files[p]

_ref(h, p, g, k, v) := {"host": h, "file": p, "line": lib.opt_line(_file(h, p), g, k), "note": sprintf("[%s] %s = %s on %s", [g, k, _show(v), h])}

deny contains f if {
	some [p, r, g, k], m in _values
	lib.gx_distinct(m) > 1
	_set_somewhere(p, r, g, k)
	some h in lib.gx_outliers(m)
	others := {h2 | some h2, v2 in m; v2 != m[h]}
	f := {
		"host": h, "file": p, "line": lib.opt_line(_file(h, p), g, k),
		"key": sprintf("%s/%s", [g, k]),
		"message": sprintf("[%s] %s = %s%s on %s differs from %s (same file on other %s hosts): behind the load balancer the behaviour depends on which node serves the request; converge to one value", [g, k, _show(m[h]), _unset(h, p, g, k), h, concat(", ", sort({sprintf("%s on %s", [_show(m[h2]), h2]) | some h2 in others})), r]),
		"related": [_ref(h2, p, g, k, m[h2]) | some h2 in sort(others)],
	}
}

_unset(h, p, g, k) := " (unset, the default)" if not _file(h, p).options[g][k].set

_unset(h, p, g, k) := "" if _file(h, p).options[g][k].set

# Galera nodes: max_connections and wait_timeout.
_mysql_defaults := {"max_connections": "151", "wait_timeout": "28800"}

_mvalues[name][h] := v if {
	some name, d in _mysql_defaults
	some h in lib.gal_nodes
	v := _mval(h, name, d)
}

_mval(h, name, _) := lib.gal_val(h, name) if lib.gal_opt(h, name).has_value

_mval(h, name, d) := d if not lib.gal_opt(h, name)

_mshow(h, name) := sprintf("%s = %s", [name, _mvalues[name][h]]) if lib.gal_opt(h, name)

_mshow(h, name) := sprintf("%s unset (default %s)", [name, _mvalues[name][h]]) if not lib.gal_opt(h, name)

deny contains f if {
	some name, m in _mvalues
	lib.gx_distinct(m) > 1
	some h in lib.gx_outliers(m)
	others := {h2 | some h2, v2 in m; v2 != m[h]}
	fl := lib.gal_line(h, name)
	f := {
		"host": h, "file": fl[0], "line": fl[1],
		"key": sprintf("mysqld/%s", [name]),
		"message": sprintf("%s on Galera node %s differs from %s: after a failover the new writer has other limits than the old one; converge to one value (for max_connections, what the smallest node can hold)", [_mshow(h, name), h, concat(", ", sort({sprintf("%s on %s", [m[h2], h2]) | some h2 in others}))]),
		"related": [{"host": h2, "file": l2[0], "line": l2[1], "note": _mshow(h2, name)} | some h2 in sort(others); l2 := lib.gal_line(h2, name)],
	}
}
