package oscfg.rules.opt_005_test

import data.oscfg.rules.opt_005
import data.oscfg.testing as t

_rel(name, index) := {"name": name, "index": index, "source": "flag"}

_in(svc, sections, rel) := {"release": rel, "hosts": {"ctl1": {"files": {"/etc/x.conf": {
	"kind": "oslo", "service": svc, "path": "/etc/x.conf", "sections": sections,
}}}}}

_s(g, k, v, line) := {g: {"line": 1, "keys": {k: {"value": v, "line": line, "all": [{"value": v, "line": line}]}}}}

_zed := _rel("zed", 26)

test_keystone_fernet_class_path_critical_with_fix if {
	fs := opt_005.deny with input as _in("keystone", _s("token", "provider", "keystone.token.providers.fernet.Provider", 5), _rel("pike", 16))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 5
	contains(f.message, "no longer loads from pike on")
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/x.conf", "section": "token", "key": "provider", "value": "fernet"}
}

test_keystone_deprecated_before_pike_low if {
	fs := opt_005.deny with input as _in("keystone", _s("identity", "driver", "keystone.identity.backends.ldap.Identity", 7), _rel("ocata", 15))
	some f in fs
	f.severity == "low"
	f.fix.value == "ldap"
}

test_keystone_before_liberty_quiet if {
	count(opt_005.deny) == 0 with input as _in("keystone", _s("identity", "driver", "keystone.identity.backends.sql.Identity", 7), _rel("kilo", 11))
}

test_entry_point_names_quiet if {
	count(opt_005.deny) == 0 with input as _in("keystone", object.union(_s("token", "provider", "fernet", 3), _s("identity", "driver", "sql", 4)), _zed)
	count(opt_005.deny) == 0 with input as _in("nova", object.union(_s("DEFAULT", "compute_driver", "libvirt.LibvirtDriver", 3), _s("scheduler", "driver", "filter_scheduler", 4)), _zed)
}

test_uuid_class_path_no_fix_once_uuid_is_gone if {
	some f in opt_005.deny with input as _in("keystone", _s("token", "provider", "keystone.token.providers.uuid.Provider", 5), _zed)
	f.fix_class == "manual"
	not "fix" in object.keys(f)
	some g in opt_005.deny with input as _in("keystone", _s("token", "provider", "keystone.token.providers.uuid.Provider", 5), _rel("queens", 17))
	g.fix.value == "uuid"
}

test_unknown_class_manual if {
	some f in opt_005.deny with input as _in("keystone", _s("resource", "driver", "keystone.resource.backends.sql.Resource", 5), _zed)
	f.fix_class == "manual"
	contains(f.message, "no entry point names this class")
}

test_auth_method_plugin_rocky if {
	sec := _s("auth", "password", "keystone.auth.plugins.password.Password", 9)
	some f in opt_005.deny with input as _in("keystone", sec, _rel("rocky", 18))
	f.fix.value == "default"
	f.key == "auth/password"
	some g in opt_005.deny with input as _in("keystone", sec, _rel("queens", 17))
	g.severity == "low"
	count(opt_005.deny) == 0 with input as _in("keystone", _s("auth", "methods", "external,password,token", 9), _zed)
}

test_nova_compute_driver_from_newton if {
	sec := _s("DEFAULT", "compute_driver", "nova.virt.libvirt.LibvirtDriver", 4)
	some f in opt_005.deny with input as _in("nova", sec, _rel("newton", 14))
	f.fix.value == "libvirt.LibvirtDriver"
	not f.severity
	count(opt_005.deny) == 0 with input as _in("nova", sec, _rel("mitaka", 13))
}

test_nova_scheduler_driver if {
	sec := _s("DEFAULT", "scheduler_driver", "nova.scheduler.filter_scheduler.FilterScheduler", 4)
	some f in opt_005.deny with input as _in("nova", sec, _rel("ocata", 15))
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/x.conf", "section": "DEFAULT", "key": "scheduler_driver", "value": "filter_scheduler"}
	some g in opt_005.deny with input as _in("nova", sec, _rel("newton", 14))
	g.severity == "low"
	count(opt_005.deny) == 0 with input as _in("nova", sec, _rel("liberty", 12))
	some h in opt_005.deny with input as _in("nova", _s("scheduler", "host_manager", "nova.scheduler.ironic_host_manager.IronicHostManager", 6), _zed)
	h.fix.value == "ironic_host_manager"
}

test_token_driver_left_to_ks_001_from_rocky if {
	count(opt_005.deny) == 0 with input as _in("keystone", _s("token", "driver", "keystone.token.persistence.backends.sql.Token", 5), _zed)
	some f in opt_005.deny with input as _in("keystone", _s("token", "driver", "keystone.token.persistence.backends.sql.Token", 5), _rel("pike", 16))
	f.fix.value == "sql"
}

# A fleet mid-upgrade, one cluster, the same class path everywhere: the
# Pike host's keystone refuses it and does not start (critical), the Ocata
# host's still loads it (low, deprecated).
test_mixed_fleet_judged_per_host if {
	f := {"kind": "oslo", "service": "keystone", "path": "/etc/x.conf", "sections": _s("token", "provider", "keystone.token.providers.fernet.Provider", 5)}
	doc := {"release": {"name": "ocata", "index": 15, "source": "hosts"}, "hosts": {
		"ks-ocata": {"files": {"/etc/x.conf": f}},
		"ks-pike": {"files": {"/etc/x.conf": f}},
	}}
	inp := t.mixed_fleet(doc, {"ks-ocata": "ocata", "ks-pike": "pike"})
	t.one_cluster(inp, ["ks-ocata", "ks-pike"])
	fs := opt_005.deny with input as inp
	{[x.host, object.get(x, "severity", "critical")] | some x in fs} == {["ks-ocata", "low"], ["ks-pike", "critical"]}
	some p in fs
	p.host == "ks-pike"
	contains(p.message, "(release pike (test))")
}
