package oscfg.rules.hap_001_test

import data.oscfg.rules.hap_001

_px(service, role, balance) := {
	"name": "cinder_api", "type": "listen", "file": "/etc/haproxy/haproxy.cfg", "line": 10,
	"service": service, "role": role, "balance": balance,
}

_in(px) := {"release": {"name": "zed", "index": 26}, "hosts": {"lb1": {"haproxy": {"proxies": {"cinder_api": px}}}}}

test_fires_on_api_backend if {
	px := _px("cinder-api", "api", {"value": "source", "args": [], "file": "/etc/haproxy/haproxy.cfg", "line": 12, "inherited": false})
	some f in hap_001.deny with input as _in(px)
	f.line == 12
	not f.severity
	f.fix.args == ["roundrobin"]
}

test_fires_on_hash_src_inherited if {
	px := _px("nova-api", "api", {"value": "hash", "args": ["src"], "file": "/etc/haproxy/haproxy.cfg", "line": 3, "inherited": true})
	some f in hap_001.deny with input as _in(px)
	f.line == 3
	contains(f.message, "inherited")
}

test_info_for_horizon if {
	px := _px("horizon", "dashboard", {"value": "source", "args": [], "file": "/etc/haproxy/haproxy.cfg", "line": 12, "inherited": false})
	some f in hap_001.deny with input as _in(px)
	f.severity == "info"
	not f.fix
}

test_quiet_on_roundrobin if {
	px := _px("cinder-api", "api", {"value": "roundrobin", "args": [], "file": "/etc/haproxy/haproxy.cfg", "line": 12, "inherited": false})
	count(hap_001.deny) == 0 with input as _in(px)
}

test_quiet_on_frontend if {
	px := object.union(_px("cinder-api", "api", {"value": "source", "args": [], "file": "x", "line": 1, "inherited": true}), {"type": "frontend"})
	count(hap_001.deny) == 0 with input as _in(px)
}

test_quiet_on_db if {
	px := _px("mysql", "db", {"value": "source", "args": [], "file": "x", "line": 1, "inherited": false})
	count(hap_001.deny) == 0 with input as _in(px)
}
