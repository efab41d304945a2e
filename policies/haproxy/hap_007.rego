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
		"message": sprintf("server %s in %s backend %q (%s) has no check: haproxy considers it always up and keeps sending traffic to it when the node is down; append `check inter 2000 rise 2 fall 5` to the server line", [s.name, _kind[px.role], name, px.service]),
	}
	f := object.union(base, _check_fix(h, s))
}

# Adding `check` is the safe part of the fix (RULES.md: auto); the timing
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
	_any_checked(h, px)
	not _http_check(px)
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "medium",
		"key": sprintf("%s/option httpchk", [name]),
		"message": sprintf("API backend %q (%s) checks its servers by TCP connect only: the connect succeeds while the API workers behind it are wedged, so a hung node stays in the pool; add `option httpchk GET %s`", [name, px.service, _uri(px)]),
		"fix_class": "manual",
	}
}

_check_ports(px) := {p |
	some s in px.servers
	some i, w in s.params
	w == "port"
	p := s.params[i + 1]
}

_db_detail(px) := sprintf("a TCP connect to the clustercheck port %s succeeds whatever the node's state (xinetd accepts before clustercheck runs)", [concat("/", sort(ps))]) if {
	ps := _check_ports(px)
	count(ps) > 0
} else := "a TCP connect to 3306 succeeds on a donor, desynced or non-primary node"

# A Galera backend without an HTTP check of clustercheck.
deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "db"
	_any_checked(h, px)
	not _http_check(px)
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "medium",
		"key": sprintf("%s/option httpchk", [name]),
		"message": sprintf("database backend %q checks Galera nodes without option httpchk: %s, so haproxy can send writes to a node that cannot serve them; run clustercheck on a side port and add `option httpchk` with `check port 9200` (or kolla's 4569)", [name, _db_detail(px)]),
		"fix_class": "manual",
	}
}
