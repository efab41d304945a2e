package oscfg.rules.ks_004_test

import data.oscfg.rules.ks_004

_ks(o) := {"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf", "sections": {}, "options": {"DEFAULT": {"admin_token": o}}}

_in(f) := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {f.path: f}}}}

test_fires_with_unsafe_delete if {
	fs := ks_004.deny with input as _in(_ks({"value": "****", "set": true, "line": 3, "key": "admin_token", "secret": true}))
	count(fs) == 1
	some f in fs
	f.line == 3
	object.get(f, "severity", "high") == "high"
	f.fix_class == "unsafe"
	f.fix == {"op": "delete", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "DEFAULT", "key": "admin_token"}
	not contains(f.message, "****")
}

test_quiet_when_unset_or_empty if {
	count(ks_004.deny) == 0 with input as _in(_ks({"value": null, "set": false, "line": 0, "key": "admin_token"}))
	count(ks_004.deny) == 0 with input as _in(_ks({"value": "", "set": true, "line": 3, "key": "admin_token"}))
}

test_quiet_on_nova if {
	f := object.union(_ks({"value": "****", "set": true, "line": 3, "key": "admin_token"}), {"service": "nova", "path": "/etc/nova/nova.conf"})
	count(ks_004.deny) == 0 with input as _in(f)
}

test_remedy_follows_the_release if {
	tok := _ks({"value": "****", "set": true, "line": 3, "key": "admin_token", "secret": true})
	some new in ks_004.deny with input as _in(tok)
	contains(new.message, "keystone-manage bootstrap exists")
	old := object.union(_in(tok), {"release": {"name": "kilo", "index": 11, "source": "flag"}})
	some f in ks_004.deny with input as old
	contains(f.message, "keystone-manage bootstrap came with Mitaka, and this host runs release kilo (flag)")
	not contains(f.message, "bootstrap exists")
	f.fix_class == "unsafe"
}

test_bootstrap_from_mitaka if {
	tok := _ks({"value": "****", "set": true, "line": 3, "key": "admin_token", "secret": true})
	inp := object.union(_in(tok), {"release": {"name": "mitaka", "index": 13, "source": "flag"}})
	some f in ks_004.deny with input as inp
	contains(f.message, "keystone-manage bootstrap exists")
}

# Real keystone.conf text (oscfg.fleet): the option as the loader reads
# it, its value masked as a secret.
test_real_text_fires if {
	fs := ks_004.deny with input as oscfg.fleet({"ctl1:/etc/keystone/keystone.conf": `[DEFAULT]
# bootstrap token, left over
admin_token = 8f2c9d1e7a

[token]
provider = fernet
`})
	count(fs) == 1
	some f in fs
	f.line == 3
	f.fix == {"op": "delete", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "DEFAULT", "key": "admin_token"}
	not contains(f.message, "8f2c9d1e7a")
}

test_real_text_quiet_when_commented_out_or_empty if {
	count(ks_004.deny) == 0 with input as oscfg.fleet({"ctl1:/etc/keystone/keystone.conf": "[DEFAULT]\n#admin_token = 8f2c9d1e7a\n"})
	empty := oscfg.fleet({"ctl1:/etc/keystone/keystone.conf": "[DEFAULT]\nadmin_token =\n"})
	empty.hosts.ctl1.files["/etc/keystone/keystone.conf"].options.DEFAULT.admin_token.set
	count(ks_004.deny) == 0 with input as empty
}
