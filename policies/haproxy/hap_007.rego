# METADATA
# title: Missing or weak health checks on API and database backends
# description: |
#   Failover only works when haproxy can see a failure. A server line
#   without `check` (directly or from a `default-server ... check`) is never
#   health-checked: haproxy treats it as always up and keeps sending
#   requests to a dead node (high). A bare TCP check is weak: the connect to
#   an API port succeeds while every eventlet or uWSGI worker behind it is
#   wedged, so an HTTP API backend needs `option httpchk` or `http-check`
#   rules (medium). A Galera node that is a donor, desynced or not in the
#   primary component still accepts TCP connections, on 3306 and on a
#   clustercheck side port alike (xinetd accepts before clustercheck runs),
#   so a DB backend needs `option httpchk` against clustercheck (medium).
#   `option mysql-check` pointed at clustercheck's HTTP port (`check port
#   9200`, the HA Guide's galera_cluster, or kolla's 4569) is worse: the
#   check waits for a MySQL handshake and reads an HTTP response, so it
#   fails on every node and haproxy marks them all DOWN (high; shown on
#   haproxy 2.6.12 by TestHAProxyMysqlCheckOnClustercheckPortMarksDown in
#   oscfg's policies/haproxy_behaviour_test.go).
#   Adding `check` to a server line has no fix operation, and the check URI
#   depends on the service, so every finding is advice.
# custom:
#   id: OSC-HAP-007
#   severity: high
#   severities:
#     medium: "a bare TCP check on an HTTP API, or a DB backend without an httpchk against clustercheck"
#   fix: manual
#   remedy: |
#     Append `check inter 2000 rise 2 fall 5` to every server line of API and
#     DB backends (kolla's haproxy_health_check). APIs: add
#     `option httpchk GET /healthcheck` where oslo.middleware's healthcheck is
#     exposed (cinder, neutron, glance in kolla), else `option httpchk GET /`.
#     Galera: run clustercheck on a side port and use `option httpchk` with
#     `check port 9200` (OSA) or `4569` (kolla). Reload haproxy.
#   references:
#     - https://docs.haproxy.org/2.6/configuration.html#5.2-check
#     - https://docs.haproxy.org/2.6/configuration.html#4-option%20httpchk
#     - openstack/kolla-ansible ansible/roles/haproxy-config/defaults/main.yml (haproxy_health_check "check inter 2000 rise 2 fall 5")
#     - openstack/kolla-ansible ansible/roles/{cinder,neutron,glance,nova}/defaults/main.yml (option httpchk)
#     - openstack/openstack-ansible inventory/group_vars/galera_all.yml (haproxy_check_port 9200)
#     - openstack/kolla-ansible ansible/group_vars/all/mariadb.yml (mariadb_clustercheck_port 4569, until HAProxy with clustercheck was dropped in 21.0.0)
#     - https://docs.haproxy.org/2.6/configuration.html#4-option%20mysql-check
package oscfg.rules.hap_007

import data.oscfg.lib

# The defaults section a proxy inherits from, in its own file: the named
# one, else the last defaults section before it.
_defaults_section(h, px) := secs[count(secs) - 1] if {
	file := input.hosts[h].files[px.file]
	secs := [s |
		some s in file.sections
		s.type == "defaults"
		s.line < px.line
		_named(s, px)
	]
	count(secs) > 0
}

_named(s, px) if px.defaults == ""

_named(s, px) if s.name == px.defaults

# `default-server ... check` in the proxy or its defaults.
_default_check(h, px) if {
	some d in px.directives
	d.keyword == "default-server"
	not d.negated
	"check" in d.args
}

_default_check(h, px) if {
	some d in _defaults_section(h, px).directives
	d.keyword == "default-server"
	not d.negated
	"check" in d.args
}

_checked(h, px, s) if s.check

_checked(h, px, s) if {
	not "no-check" in s.params
	_default_check(h, px)
}

_http_check(px) if lib.option_on(px, "httpchk")

_http_check(px) if {
	some d in px.directives
	d.keyword == "http-check"
}

_kind := {"api": "API", "db": "database"}

_any_checked(h, px) if {
	some s in px.servers
	_checked(h, px, s)
}

# Checked once the safe fix below has added `check`: the weak-check
# findings judge the backend as the fix leaves it, so applying it never
# brings a new finding up.
_will_be_checked(h, px) if _any_checked(h, px)

_will_be_checked(h, px) if {
	some s in px.servers
	not "no-check" in s.params
}

_tcp_only(h, px) := "checks its servers by TCP connect only" if {
	_any_checked(h, px)
} else := "will check its servers by TCP connect only once they have `check`"

# A server that is never health-checked.
deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role in {"api", "db"}
	some s in px.servers
	not _checked(h, px, s)
	base := {
		"host": h, "file": s.file, "line": s.line,
		"key": sprintf("%s/server %s", [name, s.name]),
		"message": sprintf("server %s in %s backend %q (%s) has no check: haproxy considers it always up and keeps sending traffic to it when the node is down; append `check inter 2000 rise 2 fall 5` to the server line", [s.name, _kind[px.role], name, lib.proxy_service(px)]),
	}
	f := object.union(base, _check_fix(h, s))
}

# Adding `check` is the safe part of the fix; the timing
# and the check URI are the operator's call. A server that says `no-check`
# opted out on purpose: advice only.
_check_fix(h, s) := {"fix_class": "manual"} if {
	"no-check" in s.params
} else := {"fix_class": "safe", "fix": {"op": "haproxy_append", "host": h, "file": s.file, "line": s.line, "words": ["check"]}}

_uri(px) := "/healthcheck" if px.service in {"cinder-api", "neutron-server", "glance-api"}

_uri(px) := "/" if not px.service in {"cinder-api", "neutron-server", "glance-api"}

# An API backend checked by TCP connect only.
deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "api"
	_will_be_checked(h, px)
	not _http_check(px)
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "medium",
		"key": sprintf("%s/option httpchk", [name]),
		"message": sprintf("API backend %q (%s) %s: the connect succeeds while the API workers behind it are wedged, so a hung node stays in the pool; add `option httpchk GET %s`", [name, lib.proxy_service(px), _tcp_only(h, px), _uri(px)]),
		"fix_class": "manual",
	}
}

# Check ports: `port N` on a server line, or on a default-server line of
# the proxy.
_check_ports(px) := {p |
	some s in px.servers
	some i, w in s.params
	w == "port"
	p := s.params[i + 1]
} | {p |
	some d in px.directives
	d.keyword == "default-server"
	not d.negated
	some i, w in d.args
	w == "port"
	p := d.args[i + 1]
}

# clustercheck's HTTP ports: 9200 (percona-clustercheck under xinetd, the
# HA Guide and openstack-ansible), 4569 (kolla-ansible before 21.0.0).
_clustercheck_ports := {"9200", "4569"}

_mysql_check(px) if lib.option_on(px, "mysql-check")

_cc_ports(px) := {p | some p in _check_ports(px); p in _clustercheck_ports}

_db_detail(px) := sprintf("a TCP connect to the clustercheck port %s succeeds whatever the node's state (xinetd accepts before clustercheck runs)", [concat("/", sort(ps))]) if {
	ps := _check_ports(px)
	count(ps) > 0
} else := "a MySQL handshake (option mysql-check) succeeds on a donor, desynced or non-primary node" if {
	_mysql_check(px)
} else := "a TCP connect to 3306 succeeds on a donor, desynced or non-primary node"

_galera_checks(h, px) := "checks Galera nodes" if {
	_any_checked(h, px)
} else := "will check Galera nodes (once its servers have `check`)"
# option mysql-check against clustercheck's HTTP port: the check waits for
# a MySQL handshake and reads an HTTP response, so it fails on every node.
deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "db"
	_any_checked(h, px)
	_mysql_check(px)
	ps := _cc_ports(px)
	count(ps) > 0
	o := px.options["mysql-check"]
	f := {
		"host": h, "file": o.file, "line": o.line,
		"key": sprintf("%s/option mysql-check", [name]),
		"message": sprintf("database backend %q runs option mysql-check against clustercheck's HTTP port %s (check port): the check expects a MySQL handshake and gets an HTTP response, so it fails on every node ('Layer7 invalid response') and haproxy marks them all DOWN; replace option mysql-check with option httpchk", [name, concat("/", sort(ps))]),
		"fix_class": "manual",
	}
}

# A Galera backend without an HTTP check of clustercheck.
deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "db"
	_will_be_checked(h, px)
	not _http_check(px)
	not _mysql_on_cc(px)
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "medium",
		"key": sprintf("%s/option httpchk", [name]),
		"message": sprintf("database backend %q %s without option httpchk: %s, so haproxy can send writes to a node that cannot serve them; run clustercheck on a side port and add `option httpchk` with `check port 9200` (or kolla's 4569)", [name, _galera_checks(h, px), _db_detail(px)]),
		"fix_class": "manual",
	}
}

_mysql_on_cc(px) if {
	_mysql_check(px)
	count(_cc_ports(px)) > 0
}
