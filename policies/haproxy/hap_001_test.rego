package oscfg.rules.hap_001_test

import data.oscfg.rules.hap_001
import data.oscfg.testing as t

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

# Keystone with identity federation: kolla-ansible balances keystone by
# source exactly then (WebSSO state lives on one node), so no safe fix.
_ks_px(vip) := {
	"name": "keystone_internal", "type": "listen", "file": "/etc/haproxy/haproxy.cfg", "line": 30,
	"service": "keystone", "role": "api",
	"balance": {"value": "source", "args": [], "file": "/etc/haproxy/haproxy.cfg", "line": 32, "inherited": false},
	"binds": [{"addr": vip, "port": 5000, "file": "/etc/haproxy/haproxy.cfg", "line": 31}],
	"servers": [],
}

_ks_conf(db, extra) := {"/etc/keystone/keystone.conf": {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": object.union({"database": {"line": 2, "keys": {"connection": {"value": sprintf("mysql+pymysql://keystone:****@%s/keystone", [db]), "line": 3}}}}, extra),
	"options": {"database": {"connection": {"value": sprintf("mysql+pymysql://keystone:****@%s/keystone", [db]), "set": true, "line": 3, "key": "connection"}}},
}}

_openid := {"auth": {"line": 10, "keys": {"methods": {"value": "password,token,openid,application_credential", "line": 11}}}}

_fed_section := {"federation": {"line": 20, "keys": {"trusted_dashboard": {"value": "https://cloud/auth/websso/", "line": 21}}}}

_ks_in(ks_files) := {"release": {"name": "zed", "index": 26}, "hosts": {
	"lb1": {"haproxy": {"proxies": {"keystone_internal": _ks_px("10.0.0.10")}}},
	"ctl1": {"files": ks_files},
}}

test_keystone_without_federation_medium_with_fix if {
	fs := hap_001.deny with input as t.with_topology(_ks_in(_ks_conf("10.0.0.10", {})))
	count(fs) == 1
	some f in fs
	not f.severity
	f.fix.args == ["roundrobin"]
}

test_keystone_openid_on_other_host_info_no_fix if {
	fs := hap_001.deny with input as t.with_topology(_ks_in(_ks_conf("10.0.0.10", _openid)))
	count(fs) == 1
	some f in fs
	f.severity == "info"
	not f.fix
	contains(f.message, "federation")
	f.related == [{"host": "ctl1", "file": "/etc/keystone/keystone.conf", "line": 11, "note": "[auth] methods includes openid"}]
}

test_keystone_federation_section_info if {
	fs := hap_001.deny with input as t.with_topology(_ks_in(_ks_conf("10.0.0.10", _fed_section)))
	some f in fs
	f.severity == "info"
	f.related[0].note == "[federation] trusted_dashboard"
}

test_keystone_federation_consistent_hash_quiet if {
	inp := json.patch(_ks_in(_ks_conf("10.0.0.10", _openid)), [{"op": "add", "path": "/hosts/lb1/haproxy/proxies/keystone_internal/hash_type", "value": {"value": "consistent", "args": [], "file": "/etc/haproxy/haproxy.cfg", "line": 33, "inherited": false}}])
	count(hap_001.deny) == 0 with input as t.with_topology(inp)
}

# Federation in another cluster (another region's keystone) does not
# excuse this one.
test_keystone_federation_of_other_cluster_does_not_count if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {
		"lb-a": {"haproxy": {"proxies": {"keystone_internal": _ks_px("10.0.0.10")}}},
		"ctl-a": {"files": _ks_conf("10.0.0.10", {})},
		"lb-b": {"haproxy": {"proxies": {"keystone_internal": _ks_px("10.1.0.10")}}},
		"ctl-b": {"files": _ks_conf("10.1.0.10", _openid)},
	}}
	fs := hap_001.deny with input as t.with_topology(inp)
	{[f.host, object.get(f, "severity", "medium")] | some f in fs} == {["lb-a", "medium"], ["lb-b", "info"]}
}

test_non_keystone_not_excused_by_federation if {
	inp := json.patch(_ks_in(_ks_conf("10.0.0.10", _openid)), [{"op": "replace", "path": "/hosts/lb1/haproxy/proxies/keystone_internal/service", "value": "nova-api"}])
	some f in hap_001.deny with input as t.with_topology(inp)
	not f.severity
	f.fix
}

# Real haproxy.cfg and keystone.conf text (oscfg.fleet: the loader's own
# document): the proxy's service and role, the balance line and the
# cluster's keystone federation are what the loader makes of the text.
_lb_cfg(balance) := concat("", [`global
    maxconn 4000

defaults
    mode http
    timeout connect 5s

listen cinder_api
    bind 10.0.0.10:8776
    `, balance, `
    server ctl1 10.0.0.11:8776 check
    server ctl2 10.0.0.12:8776 check

listen keystone_internal
    bind 10.0.0.10:5000
    balance source
    server ctl1 10.0.0.11:5000 check
`])

_ks_text(extra) := concat("", [`[DEFAULT]

[database]
connection = mysql+pymysql://keystone:secret@10.0.0.10/keystone
`, extra])

test_real_text_fires_on_api_backend_and_keystone_without_federation if {
	fs := hap_001.deny with input as oscfg.fleet({
		"lb1:/etc/haproxy/haproxy.cfg": _lb_cfg("balance source"),
		"ctl1:/etc/keystone/keystone.conf": _ks_text(""),
	})
	{[f.host, f.line, object.get(f, "severity", "medium"), f.key] | some f in fs} == {
		["lb1", 10, "medium", "cinder_api/balance"],
		["lb1", 16, "medium", "keystone_internal/balance"],
	}
	every f in fs {
		f.fix.args == ["roundrobin"]
	}
}

test_real_text_quiet_on_roundrobin_and_federated_keystone_info if {
	fs := hap_001.deny with input as oscfg.fleet({
		"lb1:/etc/haproxy/haproxy.cfg": _lb_cfg("balance roundrobin"),
		"ctl1:/etc/keystone/keystone.conf": _ks_text("\n[auth]\nmethods = password,token,openid\n"),
	})
	count(fs) == 1
	some f in fs
	f.key == "keystone_internal/balance"
	f.severity == "info"
	not f.fix
	f.related == [{"host": "ctl1", "file": "/etc/keystone/keystone.conf", "line": 7, "note": "[auth] methods includes openid"}]
}
