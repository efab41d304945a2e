package oscfg.user.haproxy_httpchk_test

import data.oscfg.user.haproxy_httpchk

# A proxy as `oscfg model` shows it, with only the fields the rule reads.
_proxy(type, role, options) := {
	"type": type, "name": "placement_api", "service": "placement", "role": role,
	"file": "/etc/haproxy/haproxy.cfg", "line": 61,
	"servers": [{"name": "ctl1", "addr": "10.0.0.1", "port": 8778, "check": true}],
	"options": options,
}

_input(px) := {"hosts": {"lb1": {"name": "lb1", "haproxy": {"proxies": {px.name: px}}}}}

test_fires_without_httpchk if {
	fs := haproxy_httpchk.deny with input as _input(_proxy("listen", "api", {}))
	count(fs) == 1
	some f in fs
	f.host == "lb1"
	f.file == "/etc/haproxy/haproxy.cfg"
	f.line == 61
	contains(f.message, `listen "placement_api" (placement) has no option httpchk`)
	f.fix == {"op": "haproxy_set", "host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "section": "placement_api", "keyword": "option httpchk", "args": ["GET", "/"]}
}

test_quiet_with_httpchk if {
	count(haproxy_httpchk.deny) == 0 with input as _input(_proxy("backend", "api", {"httpchk": {"enabled": true, "inherited": false}}))
}

# option httpchk in the defaults section counts (inherited: true).
test_quiet_when_inherited_from_defaults if {
	count(haproxy_httpchk.deny) == 0 with input as _input(_proxy("listen", "api", {"httpchk": {"enabled": true, "inherited": true}}))
}

# "no option httpchk" in the proxy turns an inherited check off.
test_fires_when_negated if {
	count(haproxy_httpchk.deny) == 1 with input as _input(_proxy("listen", "api", {"httpchk": {"enabled": false, "inherited": false}}))
}

# Frontends have no servers to check; databases are checked differently.
test_quiet_on_frontends_and_other_roles if {
	count(haproxy_httpchk.deny) == 0 with input as _input(_proxy("frontend", "api", {}))
	count(haproxy_httpchk.deny) == 0 with input as _input(_proxy("listen", "db", {}))
}

test_quiet_without_servers if {
	px := object.union(_proxy("backend", "api", {}), {"servers": []})
	count(haproxy_httpchk.deny) == 0 with input as _input(px)
}

# The same rule over real haproxy.cfg text: oscfg.fleet loads it with
# oscfg's own loader and returns the input document oscfg lint would
# build, so the test reads exactly what the rule reads in production.
test_fires_on_real_text if {
	fs := haproxy_httpchk.deny with input as oscfg.fleet({"lb1:/etc/haproxy/haproxy.cfg": `listen placement_api
    bind 10.0.0.10:8778
    server ctl1 10.0.0.11:8778 check
`})
	count(fs) == 1
	some f in fs
	f.host == "lb1"
	f.line == 1
	f.fix.section == "placement_api"
}

test_quiet_on_real_text_with_httpchk_in_defaults if {
	count(haproxy_httpchk.deny) == 0 with input as oscfg.fleet({"lb1:/etc/haproxy/haproxy.cfg": `defaults
    option httpchk GET /
listen placement_api
    bind 10.0.0.10:8778
    server ctl1 10.0.0.11:8778 check
`})
}
