package oscfg.rules.hap_004_test

import data.oscfg.rules.hap_004

_file(sections) := {"kind": "haproxy", "service": "haproxy", "path": "/etc/haproxy/haproxy.cfg", "sections": sections}

_in(sections) := {"release": {"name": "zed", "index": 26}, "hosts": {"lb1": {"files": {"/etc/haproxy/haproxy.cfg": _file(sections)}}}}

_dir(kw, args, line) := {"keyword": kw, "args": args, "negated": false, "line": line}

_defaults(dirs) := {"type": "defaults", "name": "", "line": 1, "directives": dirs}

_backend(dirs) := {"type": "backend", "name": "nova_api_back", "line": 10, "directives": dirs}

test_high_on_bare_client_timeout if {
	fs := hap_004.deny with input as _in([_defaults([_dir("timeout", ["client", "90"], 3)])])
	count(fs) == 1
	some f in fs
	f.line == 3
	f.severity == "high"
	f.fix_class == "manual"
	object.get(f, "fix", null) == null
	f.key == "defaults/timeout client"
	contains(f.message, "90 ms")
	contains(f.message, "write 90s")
	contains(f.message, "or 90ms")
	contains(f.message, "the defaults section")
}

test_high_on_each_traffic_timeout if {
	dirs := [_dir("timeout", [t, "30"], i) | some i, t in ["server", "tunnel", "http-keep-alive", "connect"]]
	fs := hap_004.deny with input as _in([_backend(dirs)])
	count(fs) == 4
	every f in fs {
		f.severity == "high"
	}
}

test_medium_on_other_short_timeout if {
	fs := hap_004.deny with input as _in([_defaults([_dir("timeout", ["check", "5"], 4)])])
	some f in fs
	f.severity == "medium"
	f.line == 4
}

test_medium_on_server_inter if {
	srv := _dir("server", ["ctl1", "10.0.0.1:8774", "check", "inter", "2", "rise", "2", "fastinter", "500ms"], 12)
	fs := hap_004.deny with input as _in([_backend([srv])])
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 12
	f.key == "nova_api_back/server ctl1 inter"
	contains(f.message, "backend \"nova_api_back\"")
}

test_default_server_slowstart if {
	d := _dir("default-server", ["inter", "2s", "slowstart", "60"], 11)
	fs := hap_004.deny with input as _in([_backend([d])])
	some f in fs
	f.key == "nova_api_back/default-server slowstart"
	f.severity == "medium"
}

test_low_on_large_bare_value if {
	fs := hap_004.deny with input as _in([_defaults([_dir("timeout", ["client", "50000"], 5)])])
	some f in fs
	f.severity == "low"
	contains(f.message, "50000 ms (50s)")
	contains(f.message, "write 50000ms")
}

test_quiet_on_idiomatic_large_inter if {
	srv := _dir("server", ["ctl1", "10.0.0.1:8774", "check", "inter", "2000", "rise", "2", "fall", "5"], 12)
	ds := _dir("default-server", ["inter", "2000", "slowstart", "60000"], 11)
	count(hap_004.deny) == 0 with input as _in([_backend([ds, srv])])
}

test_quiet_with_units_and_zero if {
	dirs := [
		_dir("timeout", ["client", "1m"], 2),
		_dir("timeout", ["server", "90s"], 3),
		_dir("timeout", ["tunnel", "0"], 4),
		_dir("timeout", ["check", "500ms"], 5),
		_dir("server", ["ctl1", "10.0.0.1:8774", "check", "inter", "2s", "rise", "2000"], 6),
		_dir("maxconn", ["4000"], 7),
		_dir("retries", ["3"], 8),
	]
	count(hap_004.deny) == 0 with input as _in([_backend(dirs)])
}

test_quiet_on_server_named_inter if {
	srv := _dir("server", ["inter", "10.0.0.1:8774", "check"], 12)
	count(hap_004.deny) == 0 with input as _in([_backend([srv])])
}

test_quiet_on_other_file_kinds if {
	inp := {"hosts": {"lb1": {"files": {"/etc/x.conf": {"kind": "oslo", "sections": {}}}}}}
	count(hap_004.deny) == 0 with input as inp
}
