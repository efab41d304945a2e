package oscfg.rules.ks_001_test

import data.oscfg.rules.ks_001
import data.oscfg.testing as t

_ks(provider, driver) := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {"token": {"line": 20, "keys": {}}},
	"options": {"token": {"provider": provider, "driver": driver}},
}

_set(k, v, line) := {"value": v, "set": true, "line": line, "key": k}

_unset(k, v) := {"value": v, "set": false, "line": 0, "key": k}

_in(rel, idx, f) := {"release": {"name": rel, "index": idx, "source": "config"}, "hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": f}}}}

test_uuid_critical_on_zed if {
	fs := ks_001.deny with input as _in("zed", 26, _ks(_set("provider", "uuid", 21), _unset("driver", null)))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 21
	f.key == "token/provider"
	not f.fix
}

test_uuid_class_path_critical_on_rocky if {
	some f in ks_001.deny with input as _in("rocky", 18, _ks(_set("provider", "keystone.token.providers.uuid.Provider", 21), _unset("driver", null)))
	not f.severity
	contains(f.message, "uuid")
}

test_pkiz_critical_from_ocata if {
	some f in ks_001.deny with input as _in("ocata", 15, _ks(_set("provider", "PKIZ", 22), _unset("driver", null)))
	not f.severity
	f.line == 22
}

test_uuid_medium_before_rocky if {
	fs := ks_001.deny with input as _in("mitaka", 13, _ks(_set("provider", "uuid", 21), _set("driver", "sql", 22)))
	count(fs) == 1
	some f in fs
	f.severity == "medium"
	f.line == 21
}

test_default_uuid_before_ocata_medium_at_header if {
	some f in ks_001.deny with input as _in("mitaka", 13, _ks(_unset("provider", "uuid"), _unset("driver", null)))
	f.severity == "medium"
	f.line == 20
}

test_driver_low_with_safe_delete if {
	fs := ks_001.deny with input as _in("zed", 26, _ks(_unset("provider", "fernet"), _set("driver", "sql", 23)))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.line == 23
	f.fix_class == "safe"
	f.fix == {"op": "delete", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "token", "key": "driver"}
}

test_quiet_on_fernet if {
	count(ks_001.deny) == 0 with input as _in("zed", 26, _ks(_set("provider", "fernet", 21), _unset("driver", null)))
}

test_quiet_on_driver_before_rocky if {
	count(ks_001.deny) == 0 with input as _in("queens", 17, _ks(_set("provider", "fernet", 21), _set("driver", "sql", 22)))
}

test_quiet_on_nova_file if {
	f := object.union(_ks(_set("provider", "uuid", 21), _unset("driver", null)), {"service": "nova"})
	count(ks_001.deny) == 0 with input as _in("zed", 26, f)
}

# A fleet mid-upgrade: one cluster, a Mitaka and a Rocky keystone, both
# with [token] provider = uuid. Each is judged by its own release: the
# Rocky one does not start (critical), the Mitaka one still runs (medium).
_mixed(pa, pb) := t.mixed_fleet({"release": {"name": "mitaka", "index": 13, "source": "hosts"}, "hosts": {
	"ks-old": {"files": {"/etc/keystone/keystone.conf": pa}},
	"ks-new": {"files": {"/etc/keystone/keystone.conf": pb}},
}}, {"ks-old": "mitaka", "ks-new": "rocky"})

test_mixed_fleet_judged_per_host if {
	inp := _mixed(_ks(_set("provider", "uuid", 21), _unset("driver", null)), _ks(_set("provider", "uuid", 21), _unset("driver", null)))
	t.one_cluster(inp, ["ks-old", "ks-new"])
	fs := ks_001.deny with input as inp
	count(fs) == 2
	some old in fs
	old.host == "ks-old"
	old.severity == "medium"
	some new in fs
	new.host == "ks-new"
	not new.severity
	contains(new.message, "on release rocky (test)")
}

# [token] driver is ignored from Rocky on: only the Rocky host is told.
test_mixed_fleet_driver_only_on_rocky_host if {
	inp := _mixed(_ks(_set("provider", "fernet", 21), _set("driver", "sql", 23)), _ks(_set("provider", "fernet", 21), _set("driver", "sql", 23)))
	fs := ks_001.deny with input as inp
	count(fs) == 1
	some f in fs
	f.host == "ks-new"
	f.key == "token/driver"
}

# Before Kilo there is no fernet to move to (keystone 2015.1.0 added it):
# an Icehouse host's PKI default and an Essex host without any provider
# option are quiet; a Kilo host of the same cluster on the uuid default is
# told to move.
test_no_fernet_before_kilo if {
	doc := {"release": {"name": "essex", "index": 5, "source": "hosts"}, "hosts": {
		"ks-essex": {"files": {"/etc/keystone/keystone.conf": _ks({"value": null, "set": false, "line": 0, "key": "provider", "exists": false}, _set("driver", "keystone.token.backends.kvs.Token", 22))}},
		"ks-icehouse": {"files": {"/etc/keystone/keystone.conf": _ks(_unset("provider", "pki"), _unset("driver", null))}},
		"ks-kilo": {"files": {"/etc/keystone/keystone.conf": _ks(_unset("provider", "uuid"), _unset("driver", null))}},
	}}
	inp := t.mixed_fleet(doc, {"ks-essex": "essex", "ks-icehouse": "icehouse", "ks-kilo": "kilo"})
	fs := ks_001.deny with input as inp
	count(fs) == 1
	some f in fs
	f.host == "ks-kilo"
	f.severity == "medium"
}

# Essex to Grizzly have no [token] provider (null, absent): nothing to judge.
test_quiet_without_provider_option if {
	count(ks_001.deny) == 0 with input as _in("grizzly", 7, _ks({"value": null, "set": false, "line": 0, "key": "provider", "exists": false}, _set("driver", "keystone.token.backends.sql.Token", 22)))
}
