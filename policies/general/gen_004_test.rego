package oscfg.rules.gen_004_test

import data.oscfg.rules.gen_004

_oslo(keys) := {"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": {"DEFAULT": {"line": 1, "keys": keys}}}

_key(v, line) := {"value": v, "line": line, "all": [{"value": v, "line": line}]}

_hap(dirs) := {"kind": "haproxy", "service": "haproxy", "path": "/etc/haproxy/haproxy.cfg", "sections": [{"type": "listen", "name": "api", "line": 1, "directives": dirs}]}

_cnf(opts) := {"kind": "mycnf", "service": "mysql", "path": "/etc/my.cnf", "groups": [{"name": "mysqld", "line": 1, "options": opts}], "includes": []}

_in(f) := {"release": {"name": "zed", "index": 26}, "hosts": {"h1": {"files": {f.path: f}}}}

_msgs(f) := {x.message | some x in gen_004.deny with input as _in(f)}

test_oslo_templates_fire if {
	fs := gen_004.deny with input as _in(_oslo({
		"my_ip": _key("{{ ansible_host }}", 3),
		"host": _key("%{hiera('nova::host')}", 4),
		"osapi_compute_listen": _key("<Virtual IP>", 5),
		"metadata_host": _key("192.168.1.22X", 6),
		"glance_host": _key("<%= @glance_host %>", 7),
		"state_path": _key("${STATE_DIR}/nova", 8),
	}))
	count(fs) == 6
	lines := {f.line | some f in fs}
	lines == {3, 4, 5, 6, 7, 8}
	some f in fs
	f.line == 6
	contains(f.message, "placeholder address 192.168.1.22X")
	f.key == "[DEFAULT] metadata_host"
	some g in fs
	g.line == 8
	contains(g.message, "NoSuchOptError")
}

test_oslo_substitution_of_options_quiet if {
	count(gen_004.deny) == 0 with input as _in(_oslo({
		"lock_path": _key("$state_path/lock", 3),
		"instances_path": _key("${state_path}/instances", 4),
		"price": _key("$$HOME costs \\$5", 5),
		"my_ip": _key("192.168.1.22", 6),
		"logging_context_format_string": _key("%(asctime)s %(levelname)s [%(request_id)s]", 7),
		"enabled_filters": _key("ComputeFilter,\nRamFilter", 8),
		"version": _key("1.2.3", 9),
	}))
}

test_oslo_key_and_every_occurrence if {
	f := _oslo({"{% if tls %}ssl": {"value": "true", "line": 3, "all": [{"value": "true", "line": 3}]}, "host": {"value": "ok", "line": 9, "all": [{"value": "{{ h }}", "line": 4}, {"value": "ok", "line": 9}]}})
	fs := gen_004.deny with input as _in(f)
	{x.line | some x in fs} == {3, 4}
}

test_haproxy_quoted_and_address_env_quiet if {
	count(gen_004.deny) == 0 with input as _in(_hap([
		{"keyword": "bind", "args": ["${VIP}:5000"], "line": 2},
		{"keyword": "server", "args": ["ctl1", "${CTL1}:5000", "check"], "line": 3},
		{"keyword": "log", "args": ["$LOGHOST", "local0"], "line": 4},
		{"keyword": "http-request", "args": ["set-header", "X-Site", "${SITE}"], "env_args": [2], "line": 5},
		{"keyword": "log-format", "args": ["%{+Q}o %ci:%cp [%t]"], "line": 6},
		{"keyword": "acl", "args": ["is_root", "path_reg", "^/$"], "line": 7},
		{"keyword": "use_backend", "args": ["b", "if", "{", "path_beg", "/v2", "}"], "line": 8},
	]))
}

test_haproxy_unquoted_env_and_placeholder_fire if {
	fs := gen_004.deny with input as _in(_hap([
		{"keyword": "http-request", "args": ["set-header", "X-Site", "${SITE}"], "line": 5},
		{"keyword": "user", "args": ["$HAPROXY_USER"], "line": 6},
		{"keyword": "bind", "args": ["<Virtual", "IP>:5000"], "line": 7},
		{"keyword": "server", "args": ["{{", "item", "}}", "10.0.0.x:5000"], "line": 8},
	]))
	{f.line | some f in fs} == {5, 6, 7, 8}
	some f in fs
	f.line == 8
	contains(f.message, "a Jinja2 expression {{ item }}")
	contains(f.message, "a placeholder address 10.0.0.x")
	f.key == "listen api: server"
}

test_mycnf if {
	fs := gen_004.deny with input as _in(_cnf([
		{"name": "bind_address", "value": "${VIP}", "has_value": true, "line": 2},
		{"name": "wsrep_cluster_address", "value": "gcomm://{{ nodes | join(',') }}", "has_value": true, "line": 3},
		{"name": "datadir", "value": "/var/lib/mysql", "has_value": true, "line": 4},
		{"name": "wsrep_sst_auth", "value": "****", "has_value": true, "line": 5, "secret": true},
	]))
	{f.line | some f in fs} == {2, 3}
	some f in fs
	f.line == 2
	contains(f.message, "option files do not expand variables")
}
