package oscfg.rules.hap_007_test

import data.oscfg.rules.hap_007

_srv(name, params, line) := {
	"name": name, "addr": "10.0.0.1", "port": 8774, "check": "check" in params, "backup": false,
	"params": params, "line": line, "file": "/etc/haproxy/haproxy.cfg",
}

_px(role, service, servers, options, directives) := {
	"name": "nova_api_back", "type": "backend", "file": "/etc/haproxy/haproxy.cfg", "line": 20,
	"defaults": "", "role": role, "service": service, "servers": servers,
	"options": options, "directives": directives,
}

_in(px, sections) := {"release": {"name": "zed", "index": 26}, "hosts": {"lb1": {
	"haproxy": {"proxies": {px.name: px}},
	"files": {"/etc/haproxy/haproxy.cfg": {"kind": "haproxy", "sections": sections}},
}}}

_httpchk := {"httpchk": {"enabled": true, "line": 21, "file": "/etc/haproxy/haproxy.cfg", "inherited": false}}

test_high_on_server_without_check if {
	px := _px("api", "nova-api", [_srv("ctl1", ["check"], 22), _srv("ctl2", ["inter", "2000"], 23)], _httpchk, [])
	fs := hap_007.deny with input as _in(px, [])
	count(fs) == 1
	some f in fs
	f.line == 23
	object.get(f, "severity", "high") == "high"
	f.key == "nova_api_back/server ctl2"
	f.fix_class == "safe"
	f.fix == {"op": "haproxy_append", "host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "line": 23, "words": ["check"]}
	contains(f.message, "append `check")
}

test_no_check_opt_out_is_advice_only if {
	px := _px("api", "nova-api", [_srv("ctl1", ["check"], 22), _srv("ctl2", ["no-check"], 23)], _httpchk, [])
	some f in hap_007.deny with input as _in(px, [])
	f.line == 23
	f.fix_class == "manual"
	not f.fix
}

test_high_on_db_server_without_check if {
	px := _px("db", "mysql", [_srv("db1", [], 30)], _httpchk, [])
	some f in hap_007.deny with input as _in(px, [])
	f.line == 30
	contains(f.message, "database backend")
}

test_default_server_check_in_proxy_counts if {
	ds := {"keyword": "default-server", "args": ["check", "inter", "2s"], "negated": false, "line": 21}
	px := _px("api", "nova-api", [_srv("ctl1", [], 22)], _httpchk, [ds])
	count(hap_007.deny) == 0 with input as _in(px, [])
}

test_default_server_check_in_defaults_counts if {
	ds := {"keyword": "default-server", "args": ["inter", "2s", "check"], "negated": false, "line": 3}
	defaults := {"type": "defaults", "name": "", "line": 1, "directives": [ds]}
	px := _px("api", "nova-api", [_srv("ctl1", [], 22)], _httpchk, [])
	count(hap_007.deny) == 0 with input as _in(px, [defaults])
}

test_no_check_overrides_default_server if {
	ds := {"keyword": "default-server", "args": ["check"], "negated": false, "line": 21}
	px := _px("api", "nova-api", [_srv("ctl1", ["no-check"], 22)], _httpchk, [ds])
	some f in hap_007.deny with input as _in(px, [])
	f.line == 22
}

test_defaults_after_proxy_do_not_count if {
	ds := {"keyword": "default-server", "args": ["check"], "negated": false, "line": 41}
	defaults := {"type": "defaults", "name": "", "line": 40, "directives": [ds]}
	px := _px("api", "nova-api", [_srv("ctl1", [], 22)], _httpchk, [])
	some f in hap_007.deny with input as _in(px, [defaults])
	f.line == 22
}

test_medium_on_api_without_httpchk if {
	px := _px("api", "cinder-api", [_srv("ctl1", ["check"], 22)], {}, [])
	fs := hap_007.deny with input as _in(px, [])
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 20
	f.key == "nova_api_back/option httpchk"
	contains(f.message, "option httpchk GET /healthcheck")
}

test_nova_gets_root_uri if {
	px := _px("api", "nova-api", [_srv("ctl1", ["check"], 22)], {}, [])
	some f in hap_007.deny with input as _in(px, [])
	contains(f.message, "option httpchk GET /`")
}

test_http_check_directive_counts if {
	hc := {"keyword": "http-check", "args": ["send", "meth", "GET", "uri", "/"], "negated": false, "line": 21}
	px := _px("api", "nova-api", [_srv("ctl1", ["check"], 22)], {}, [hc])
	count(hap_007.deny) == 0 with input as _in(px, [])
}

test_disabled_httpchk_is_weak if {
	opts := {"httpchk": {"enabled": false, "line": 21, "file": "/etc/haproxy/haproxy.cfg", "inherited": false}}
	px := _px("api", "nova-api", [_srv("ctl1", ["check"], 22)], opts, [])
	some f in hap_007.deny with input as _in(px, [])
	f.severity == "medium"
}

test_medium_on_galera_tcp_check_port if {
	px := _px("db", "mysql", [_srv("db1", ["check", "port", "4569"], 30)], {}, [])
	fs := hap_007.deny with input as _in(px, [])
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	contains(f.message, "clustercheck port 4569")
}

test_medium_on_galera_plain_tcp if {
	px := _px("db", "mysql", [_srv("db1", ["check"], 30)], {}, [])
	some f in hap_007.deny with input as _in(px, [])
	contains(f.message, "TCP connect to 3306")
}

test_quiet_on_good_api if {
	px := _px("api", "nova-api", [_srv("ctl1", ["check", "inter", "2000"], 22)], _httpchk, [])
	count(hap_007.deny) == 0 with input as _in(px, [])
}

test_quiet_on_console_and_frontend if {
	px := _px("console", "nova-novncproxy", [_srv("ctl1", [], 22)], {}, [])
	count(hap_007.deny) == 0 with input as _in(px, [])
	fe := object.union(_px("api", "nova-api", [], {}, []), {"type": "frontend"})
	count(hap_007.deny) == 0 with input as _in(fe, [])
}

# Nothing checked yet: the server finding's safe fix adds `check`, so the
# TCP-only check it leaves is reported now (applying the fix brings up no
# new finding).
test_medium_judges_the_fixed_backend if {
	px := _px("api", "nova-api", [_srv("ctl1", [], 22)], {}, [])
	fs := hap_007.deny with input as _in(px, [])
	count(fs) == 2
	some f in fs
	f.severity == "medium"
	f.key == "nova_api_back/option httpchk"
	contains(f.message, "once they have `check`")
}

# Every server opted out with no-check: no check will be added, so no
# weak-check finding.
test_no_medium_when_every_server_opts_out if {
	px := _px("api", "nova-api", [_srv("ctl1", ["no-check"], 22)], {}, [])
	fs := hap_007.deny with input as _in(px, [])
	every f in fs {
		f.key != "nova_api_back/option httpchk"
	}
}

# option mysql-check sends a MySQL check to clustercheck's HTTP port: the
# reply is an HTTP response, every check fails and every node is DOWN
# (TestHAProxyMysqlCheckOnClustercheckPortMarksDown on haproxy 2.6).
_mysql_check := {"mysql-check": {"enabled": true, "line": 21, "file": "/etc/haproxy/haproxy.cfg", "inherited": false}}

test_high_mysql_check_on_clustercheck_port if {
	px := _px("db", "mysql", [_srv("db1", ["check", "port", "9200", "inter", "2000"], 30), _srv("db2", ["backup", "check", "port", "9200"], 31)], _mysql_check, [])
	fs := hap_007.deny with input as _in(px, [])
	count(fs) == 1
	some f in fs
	object.get(f, "severity", "high") == "high"
	f.line == 21
	f.key == "nova_api_back/option mysql-check"
	f.fix_class == "manual"
	contains(f.message, "MySQL handshake")
	contains(f.message, "HTTP")
	contains(f.message, "port 9200")
	contains(f.message, "DOWN")
	not contains(f.message, "TCP connect")
}

test_high_mysql_check_on_kolla_clustercheck_port_from_default_server if {
	ds := {"keyword": "default-server", "args": ["port", "4569", "inter", "2s"], "negated": false, "line": 22}
	px := _px("db", "mysql", [_srv("db1", ["check"], 30)], _mysql_check, [ds])
	some f in hap_007.deny with input as _in(px, [])
	f.key == "nova_api_back/option mysql-check"
	contains(f.message, "port 4569")
}

test_mysql_check_on_mysql_port_is_medium_handshake if {
	px := _px("db", "mysql", [_srv("db1", ["check"], 30)], _mysql_check, [])
	fs := hap_007.deny with input as _in(px, [])
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.key == "nova_api_back/option httpchk"
	contains(f.message, "a MySQL handshake (option mysql-check) succeeds on a donor, desynced or non-primary node")
}

test_httpchk_on_clustercheck_port_quiet if {
	px := _px("db", "mysql", [_srv("db1", ["check", "port", "9200"], 30)], _httpchk, [])
	count(hap_007.deny) == 0 with input as _in(px, [])
}
