package oscfg.rules.gal_004_test

import data.oscfg.rules.gal_004
import data.oscfg.testing as t

_f := "/etc/my.cnf.d/galera.cnf"

_o(v, line) := {"value": v, "has_value": true, "file": _f, "line": line, "group": "galera"}

_in(wpo_raw, sst) := {"release": {"name": "zed", "index": 26}, "hosts": {"db1": {"mysql": {
	"files": [_f],
	"server": object.union(
		{"wsrep_on": _o("ON", 2), "wsrep_provider": _o("/usr/lib64/galera-4/libgalera_smm.so", 3), "wsrep_sst_method": _o(sst, 8)},
		_wpo_opt(wpo_raw),
	),
	"wsrep_provider_options": _wpo(wpo_raw),
}}}}

_wpo_opt("") := {}

_wpo_opt(raw) := {"wsrep_provider_options": _o(raw, 5)} if raw != ""

_wpo(raw) := {k: {"value": v, "file": _f, "line": 5} |
	some item in split(raw, ";")
	kv := split(item, "=")
	k := trim_space(kv[0])
	k != ""
	v := trim_space(kv[1])
}

test_quiet_at_1g if {
	count(gal_004.deny) == 0 with input as t.with_topology(_in("gcache.size=1G", "rsync"))
}

test_quiet_above_1g_in_bytes if {
	count(gal_004.deny) == 0 with input as t.with_topology(_in("gcache.size=2147483648; gmcast.segment=0", "rsync"))
}

test_300m_low_with_mariabackup if {
	fs := gal_004.deny with input as t.with_topology(_in("gcache.size=300M; gmcast.listen_addr=tcp://0.0.0.0:4567", "mariabackup"))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.line == 5
	f.fix_class == "manual"
	f.fix == {"op": "set", "host": "db1", "file": _f, "section": "galera", "key": "wsrep_provider_options", "value": "\"gcache.size=1G; gmcast.listen_addr=tcp://0.0.0.0:4567\""}
}

test_300m_medium_with_rsync if {
	fs := gal_004.deny with input as t.with_topology(_in("gcache.size=300M", "rsync"))
	some f in fs
	f.severity == "medium"
	contains(f.message, "wsrep_sst_method rsync")
}

test_absent_key_merged_into_existing_string if {
	fs := gal_004.deny with input as t.with_topology(_in("gmcast.segment=1;", "mariabackup"))
	some f in fs
	f.severity == "low"
	f.line == 5
	contains(f.message, "not set (Galera default 128M)")
	f.fix.value == "\"gmcast.segment=1; gcache.size=1G\""
}

test_no_provider_options_inserts_next_to_provider if {
	fs := gal_004.deny with input as t.with_topology(_in("", "xtrabackup"))
	some f in fs
	f.severity == "medium"
	f.line == 3
	f.fix.value == "\"gcache.size=1G\""
}

test_unparsable_size_is_skipped if {
	count(gal_004.deny) == 0 with input as t.with_topology(_in("gcache.size=lots", "rsync"))
}

# A later wsrep_provider_options replaces an earlier one whole: the finding
# names the earlier line and what it set.
test_names_overridden_earlier_line if {
	inp := json.patch(_in("pc.recovery=TRUE", "mariabackup"), [{"op": "add", "path": "/hosts/db1/mysql/server/wsrep_provider_options/earlier", "value": [{"value": "gcache.size=2G; gcs.fc_limit=128", "file": "/etc/my.cnf", "line": 20, "group": "mysqld"}]}])
	fs := gal_004.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	contains(f.message, "/etc/my.cnf:20")
	contains(f.message, "gcache.size=2G")
	{"host": "db1", "file": "/etc/my.cnf", "line": 20, "note": "earlier wsrep_provider_options, replaced whole by the one at /etc/my.cnf.d/galera.cnf:5"} in f.related
}
