package oscfg.rules.nova_002_test

import data.oscfg.rules.nova_002
import data.oscfg.testing as t

_opt(k, v, line) := {"value": v, "set": line > 0, "line": line, "key": k}

_nova(nh, ch, gr) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"neutron": {"line": 40, "keys": {}}, "cinder": {"line": 50, "keys": {}}, "glance": {"line": 60, "keys": {}}},
	"options": {
		"neutron": {"http_retries": nh},
		"cinder": {"http_retries": ch},
		"glance": {"num_retries": gr},
	},
}

_ok := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 3, 0))

_in(f) := {"release": {"name": "zed", "index": 26}, "hosts": {"compute1": {"files": {"/etc/nova/nova.conf": f}}}}

_fe(service, httpclose) := {
	"type": "frontend", "file": "/etc/haproxy/haproxy.cfg", "line": 70, "service": service, "role": "api",
	"mode": {"value": "http", "file": "/etc/haproxy/haproxy.cfg", "line": 5, "inherited": true},
	"options": {"httpclose": {"enabled": httpclose, "file": "/etc/haproxy/haproxy.cfg", "line": 6, "inherited": true}},
}

test_cinder_zero_medium if {
	f := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 0, 52), _opt("num_retries", 3, 0))
	fs := nova_002.deny with input as _in(f)
	count(fs) == 1
	some x in fs
	not x.severity
	x.line == 52
	x.key == "cinder/http_retries"
	x.fix == {"op": "set", "host": "compute1", "file": "/etc/nova/nova.conf", "section": "cinder", "key": "http_retries", "value": "3"}
}

test_neutron_zero_high_with_keepalive_frontend if {
	f := _nova(_opt("http_retries", 0, 42), _opt("http_retries", 3, 0), _opt("num_retries", 3, 0))
	inp := object.union(_in(f), {"hosts": {"lb1": {"haproxy": {"proxies": {"neutron_server": _fe("neutron-server", false)}}}}})
	fs := nova_002.deny with input as inp
	count(fs) == 1
	some x in fs
	x.severity == "high"
	x.line == 42
	x.related == [{"host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "line": 70, "note": "frontend \"neutron_server\" (neutron-server) keeps client-side keep-alive: no option httpclose"}]
	x.fix.value == "3"
}

test_httpclose_frontend_stays_medium if {
	f := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 0, 61))
	inp := object.union(_in(f), {"hosts": {"lb1": {"haproxy": {"proxies": {"glance_api": _fe("glance-api", true)}}}}})
	some x in nova_002.deny with input as inp
	not x.severity
	x.line == 61
}

test_other_service_frontend_not_high if {
	f := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 0, 52), _opt("num_retries", 3, 0))
	inp := object.union(_in(f), {"hosts": {"lb1": {"haproxy": {"proxies": {"neutron_server": _fe("neutron-server", false)}}}}})
	some x in nova_002.deny with input as inp
	not x.severity
}

test_connect_retries_with_zero_http_retries if {
	f := json.patch(_nova(_opt("http_retries", 0, 42), _opt("http_retries", 3, 0), _opt("num_retries", 3, 0)), [{"op": "add", "path": "/sections/neutron/keys/connect_retries", "value": {"value": "5", "line": 43}}])
	fs := nova_002.deny with input as _in(f)
	count(fs) == 2
	some x in fs
	x.key == "neutron/connect_retries"
	x.line == 43
	not x.severity
	not x.fix
}

test_quiet_on_defaults if {
	count(nova_002.deny) == 0 with input as _in(_ok)
}

test_quiet_pre_ussuri_null if {
	f := _nova({"value": null, "set": false, "line": 0, "key": "http_retries", "exists": false}, _opt("http_retries", 3, 0), _opt("num_retries", 3, 0))
	count(nova_002.deny) == 0 with input as {"release": {"name": "train", "index": 20}, "hosts": {"compute1": {"files": {"/etc/nova/nova.conf": f}}}}
}

test_quiet_on_keystone_file if {
	f := object.union(_nova(_opt("http_retries", 0, 42), _opt("http_retries", 3, 0), _opt("num_retries", 3, 0)), {"service": "keystone"})
	count(nova_002.deny) == 0 with input as _in(f)
}

# Before Victoria (nova 22.0.0) [glance] num_retries defaulted to 0; the
# loader gives that default. Unset there it is the upstream default: low,
# whatever haproxy does, and the message says it is the release default.
_ussuri(f) := {"release": {"name": "ussuri", "index": 21}, "hosts": {"compute1": {"files": {"/etc/nova/nova.conf": f}}}}

test_glance_default_zero_before_victoria_low if {
	f := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 0, 0))
	inp := object.union(_ussuri(f), {"hosts": {"lb1": {"haproxy": {"proxies": {"glance_api": _fe("glance-api", false)}}}}})
	fs := nova_002.deny with input as inp
	count(fs) == 1
	some x in fs
	x.severity == "low"
	x.line == 60
	contains(x.message, "unset (default 0 before Victoria")
	x.fix.value == "3"
}

# Set to 0 explicitly before Victoria: the operator's choice, judged as on any release.
test_glance_set_zero_before_victoria_high_with_keepalive if {
	f := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 0, 61))
	inp := object.union(_ussuri(f), {"hosts": {"lb1": {"haproxy": {"proxies": {"glance_api": _fe("glance-api", false)}}}}})
	some x in nova_002.deny with input as inp
	x.severity == "high"
	x.line == 61
}

test_glance_default_three_from_victoria_quiet if {
	f := _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 3, 0))
	count(nova_002.deny) == 0 with input as {"release": {"name": "victoria", "index": 22}, "hosts": {"compute1": {"files": {"/etc/nova/nova.conf": f}}}}
}

# A fleet mid-upgrade, one cluster, [glance] num_retries unset everywhere;
# the loader gives each host its release's default (0 before Victoria, 3
# from it). The Havana compute reads the option as [DEFAULT]
# glance_num_retries (nova moved it to [glance] in 2014.2, Juno): its
# finding and fix name that; the Ussuri one is told about [glance]
# num_retries; the Victoria one is quiet.
test_mixed_fleet_judged_per_host if {
	absent := {"value": null, "set": false, "line": 0, "key": "http_retries", "exists": false}
	old := json.patch(_nova(absent, absent, _opt("num_retries", 0, 0)), [{"op": "add", "path": "/sections/DEFAULT", "value": {"line": 1, "keys": {}}}])
	doc := {"release": {"name": "havana", "index": 8, "source": "hosts"}, "hosts": {
		"cmp-havana": {"files": {"/etc/nova/nova.conf": old}},
		"cmp-ussuri": {"files": {"/etc/nova/nova.conf": _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 0, 0))}},
		"cmp-victoria": {"files": {"/etc/nova/nova.conf": _nova(_opt("http_retries", 3, 0), _opt("http_retries", 3, 0), _opt("num_retries", 3, 0))}},
	}}
	inp := t.mixed_fleet(doc, {"cmp-havana": "havana", "cmp-ussuri": "ussuri", "cmp-victoria": "victoria"})
	t.one_cluster(inp, ["cmp-havana", "cmp-ussuri", "cmp-victoria"])
	fs := nova_002.deny with input as inp
	count(fs) == 2
	some h in fs
	h.host == "cmp-havana"
	h.line == 1
	startswith(h.message, "[DEFAULT] glance_num_retries unset")
	contains(h.message, "on release havana (test)")
	h.fix == {"op": "set", "host": "cmp-havana", "file": "/etc/nova/nova.conf", "section": "DEFAULT", "key": "glance_num_retries", "value": "3"}
	some u in fs
	u.host == "cmp-ussuri"
	u.line == 60
	startswith(u.message, "[glance] num_retries unset")
	u.fix.section == "glance"
}
