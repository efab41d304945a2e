package oscfg.rules.hap_008_test

import data.oscfg.rules.hap_008

_in(sections) := {"release": {"name": "zed", "index": 26}, "hosts": {"lb1": {"files": {"/etc/haproxy/haproxy.cfg": {
	"kind": "haproxy", "service": "haproxy", "path": "/etc/haproxy/haproxy.cfg", "sections": sections,
}}}}}

_sec(type, name, dirs) := {"type": type, "name": name, "line": 1, "directives": dirs}

_opt(args, negated, line) := {"keyword": "option", "args": args, "negated": negated, "line": line}

test_critical_in_defaults_with_comment_out if {
	fs := hap_008.deny with input as _in([_sec("defaults", "", [_opt(["httplog"], false, 2), _opt(["forceclose"], false, 3)])])
	count(fs) == 1
	some f in fs
	f.line == 3
	object.get(f, "severity", "critical") == "critical"
	f.key == "defaults/option forceclose"
	f.fix == {"op": "comment_out", "host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "line": 3, "then": "option httpclose"}
	contains(f.message, "the defaults section")
	contains(f.message, "option httpclose")
	# fatal from 2.5 (haproxy commit 6ba69841f, 2.5-dev1); 2.0 to 2.4 warn
	# (commit 10c6c16cd, 2.0-dev4)
	contains(f.message, "HAProxy 2.5 and later refuse the whole configuration")
	contains(f.message, "2.0 to 2.4 only warn")
	not contains(f.message, "2.0 and later")
}

test_fires_in_listen_and_negated if {
	fs := hap_008.deny with input as _in([_sec("listen", "keystone", [_opt(["forceclose"], true, 12)])])
	some f in fs
	f.line == 12
	f.key == "keystone/option forceclose"
	contains(f.message, "`no option forceclose`")
	f.fix.line == 12
	f.fix.then == "no option httpclose"
}

# Replaced by nothing where the section already closes connections.
test_no_second_httpclose if {
	fs := hap_008.deny with input as _in([_sec("defaults", "", [_opt(["httpclose"], false, 2), _opt(["forceclose"], false, 3)])])
	some f in fs
	f.fix == {"op": "comment_out", "host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "line": 3}
}

test_quiet_on_httpclose if {
	count(hap_008.deny) == 0 with input as _in([_sec("defaults", "", [_opt(["httpclose"], false, 3), _opt(["http-server-close"], false, 4)])])
}
