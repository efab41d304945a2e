package oscfg.rules.cron_001_test

import data.oscfg.rules.cron_001
import data.oscfg.testing as t

_hours := numbers.range(0, 23)

_days := numbers.range(1, 31)

_months := numbers.range(1, 12)

_wd := numbers.range(0, 6)

_job(cmd, minute, hour) := {
	"line": 3, "file": "/var/spool/cron/crontabs/keystone", "user": "keystone",
	"command": cmd, "schedule": sprintf("%d %d * * *", [minute, hour]),
	"minutes": [minute], "hours": [hour], "days": _days, "months": _months, "weekdays": _wd,
	"dom_restricted": false, "dow_restricted": false, "reboot": false, "via": "",
}

_flush := "/usr/bin/keystone-manage token_flush >/var/log/keystone/keystone-tokenflush.log 2>&1"

_ks(provider) := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {"token": {"line": 2, "keys": {}}},
	"options": {"token": {"provider": {"value": provider, "set": true, "line": 3, "key": "provider"}}},
}

_in(rel, idx, j1, j2) := {"release": {"name": rel, "index": idx}, "hosts": {
	"ctl1": {"cron": {"jobs": [j1]}},
	"ctl2": {"cron": {"jobs": [j2]}},
}}

test_seed_000_mitaka_two_controllers_high if {
	fs := cron_001.deny with input as t.with_topology(_in("mitaka", 13, _job(_flush, 30, 1), _job(_flush, 30, 1)))
	count(fs) == 1 # one fact of the cluster, not one per host
	some f in fs
	f.host == "ctl1"
	f.cluster != ""
	f.severity == "high"
	f.line == 3
	f.fix_class == "manual"
	not f.fix
	f.related == [{"host": "ctl2", "file": "/var/spool/cron/crontabs/keystone", "line": 3, "note": "token_flush \"30 1 * * *\" on ctl2"}]
	contains(f.message, "ctl1 at :00, ctl2 at :30")
}

test_fernet_keystone_conf_low if {
	inp := object.union(_in("queens", 17, _job(_flush, 0, 1), _job(_flush, 0, 1)), {"hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": _ks("fernet")}}}})
	fs := cron_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	every f in fs {
		f.severity == "low"
	}
}

test_uuid_keystone_conf_high if {
	inp := object.union(_in("queens", 17, _job(_flush, 0, 1), _job(_flush, 0, 1)), {"hosts": {"ctl1": {"files": {"/etc/keystone/keystone.conf": _ks("uuid")}}}})
	some f in cron_001.deny with input as t.with_topology(inp)
	f.severity == "high"
}

test_quiet_when_staggered_minutes if {
	count(cron_001.deny) == 0 with input as t.with_topology(_in("mitaka", 13, _job(_flush, 0, 1), _job(_flush, 30, 1)))
}

test_quiet_with_random_sleep if {
	j := _job("sleep $((RANDOM % 600)); keystone-manage token_flush", 30, 1)
	count(cron_001.deny) == 0 with input as t.with_topology(_in("mitaka", 13, j, _job(_flush, 30, 1)))
}

test_quiet_single_host_old_release if {
	inp := {"release": {"name": "mitaka", "index": 13}, "hosts": {"ctl1": {"cron": {"jobs": [_job(_flush, 30, 1)]}}}}
	count(cron_001.deny) == 0 with input as t.with_topology(inp)
}

test_stein_medium_comment_out if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"cron": {"jobs": [_job("keystone-manage --config-file /etc/keystone/keystone.conf token_flush", 0, 1)]}}}}
	fs := cron_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	not f.severity
	f.fix == {"op": "comment_out", "host": "ctl1", "file": "/var/spool/cron/crontabs/keystone", "line": 3}
}

test_rocky_low if {
	fs := cron_001.deny with input as t.with_topology(_in("rocky", 18, _job(_flush, 30, 1), _job(_flush, 30, 1)))
	count(fs) == 2
	every f in fs {
		f.severity == "low"
		f.fix.op == "comment_out"
	}
}

test_hourly_script_mentions_run_parts if {
	j := object.union(_job("keystone-manage token_flush", 17, 0), {"file": "/etc/cron.hourly/keystone", "line": 2, "schedule": "17 * * * *", "hours": _hours, "via": "/etc/cron.hourly"})
	some f in cron_001.deny with input as t.with_topology({"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"cron": {"jobs": [j]}}}})
	f.line == 2
	contains(f.message, "run-parts from /etc/cron.hourly")
}

test_quiet_on_other_keystone_manage if {
	inp := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"cron": {"jobs": [_job("keystone-manage fernet_rotate", 0, 1)]}}}}
	count(cron_001.deny) == 0 with input as t.with_topology(inp)
}

# Three controllers staggered :00 :20 :40 in each of two clusters: no
# overlap, although each minute is used by a host of the other cluster.
_region(p, vip) := {sprintf("%s-ctl%d", [p, i]): {
	"cron": {"jobs": [_job(_flush, (i - 1) * 20, 1)]},
	"files": {"/etc/keystone/keystone.conf": json.patch(_ks("uuid"), [{"op": "add", "path": "/options/database", "value": {"connection": {"value": sprintf("mysql+pymysql://keystone:****@%s/keystone", [vip]), "set": true, "line": 5, "key": "connection"}}}])},
} | some i in numbers.range(1, 3)}

test_staggered_per_cluster_quiet if {
	inp := {"release": {"name": "mitaka", "index": 13}, "hosts": object.union(_region("r1", "10.1.0.10"), _region("r2", "10.2.0.10"))}
	count(cron_001.deny) == 0 with input as t.with_topology(inp)
}

test_overlap_reported_in_its_cluster_only if {
	bad := json.patch(_region("r2", "10.2.0.10"), [{"op": "replace", "path": "/r2-ctl2/cron/jobs/0/minutes", "value": [0]}])
	inp := {"release": {"name": "mitaka", "index": 13}, "hosts": object.union(_region("r1", "10.1.0.10"), bad)}
	fs := cron_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "r2-ctl1"
	f.cluster == "10.2.0.10"
	[r.host | some r in f.related] == ["r2-ctl2"]
	contains(f.message, "on 2 hosts of cluster 10.2.0.10 sharing the keystone database at 10.2.0.10")
}

# ---- chained commands: the safe fix never kills the other commands

_zed1(cmd) := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"cron": {"jobs": [_job(cmd, 0, 1)]}}}}

test_chained_semicolon_manual_keeps_trust_flush if {
	fs := cron_001.deny with input as t.with_topology(_zed1("/usr/bin/keystone-manage token_flush; /usr/bin/keystone-manage trust_flush >/dev/null 2>&1"))
	count(fs) == 1
	some f in fs
	not f.fix
	f.fix_class == "manual"
	contains(f.message, "keep the rest of the line")
	contains(f.message, "\"/usr/bin/keystone-manage trust_flush >/dev/null 2>&1\"")
}

test_chained_and_or_manual if {
	some cmd in [
		"keystone-manage token_flush && keystone-manage trust_flush",
		"keystone-manage trust_flush || keystone-manage token_flush",
		"cd /tmp && keystone-manage token_flush",
	]
	fs := cron_001.deny with input as t.with_topology(_zed1(cmd))
	count(fs) == 1
	some f in fs
	not f.fix
	f.fix_class == "manual"
}

# A random pre-delay, a pipe into logger, redirections: all of the line
# serves the flush, so commenting it out is still the safe fix.
test_line_only_for_flush_comment_out if {
	every cmd in [
		"sleep $((RANDOM % 600)); keystone-manage token_flush",
		"keystone-manage token_flush 2>&1 | logger -t keystone-manage",
		"keystone-manage token_flush >/var/log/keystone/flush.log 2>&1",
	] {
		some f in cron_001.deny with input as t.with_topology(_zed1(cmd))
		f.fix.op == "comment_out"
	}
}

# ---- the same host flushing twice (cron.d and the user crontab)

_dup_host(j2) := {"release": {"name": "mitaka", "index": 13}, "hosts": {"ctl1": {"cron": {"jobs": [
	object.union(_job(_flush, 0, 1), {"file": "/etc/cron.d/keystone", "line": 2}),
	j2,
]}}}}

test_same_host_twice_same_minute if {
	fs := cron_001.deny with input as t.with_topology(_dup_host(_job(_flush, 0, 1)))
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	f.file == "/etc/cron.d/keystone"
	f.severity == "high"
	f.fix_class == "manual"
	f.related == [{"host": "ctl1", "file": "/var/spool/cron/crontabs/keystone", "line": 3, "note": "token_flush \"0 1 * * *\" in /var/spool/cron/crontabs/keystone"}]
	contains(f.message, "twice on ctl1")
	contains(f.message, "at the same time")
}

test_same_host_twice_other_minute_low if {
	fs := cron_001.deny with input as t.with_topology(_dup_host(_job(_flush, 30, 4)))
	count(fs) == 1
	some f in fs
	f.severity == "low"
	contains(f.message, "twice on ctl1")
}

test_same_host_once_quiet if {
	inp := {"release": {"name": "mitaka", "index": 13}, "hosts": {"ctl1": {"cron": {"jobs": [_job(_flush, 0, 1), _job("keystone-manage fernet_rotate", 0, 1)]}}}}
	count(cron_001.deny) == 0 with input as t.with_topology(inp)
}

# ---- time zones (the job's tz, computed by the loader)

_tz(name, offs) := {"name": name, "source": "/etc/timezone", "known": true, "offsets": offs}

_zoned(minute, hour, tz) := object.union(_job(_flush, minute, hour), {"tz": tz})

# 01:00 in Berlin and 01:00 in New York are six hours apart.
test_same_local_time_other_zones_quiet if {
	inp := _in("mitaka", 13, _zoned(0, 1, _tz("Europe/Berlin", [60, 120])), _zoned(0, 1, _tz("America/New_York", [-300, -240])))
	count(cron_001.deny) == 0 with input as t.with_topology(inp)
}

# 02:00 in Berlin is 01:00 UTC in winter: the same instant as 01:00 on a UTC host.
test_other_local_time_same_instant_fires if {
	inp := _in("mitaka", 13, _zoned(0, 1, _tz("Etc/UTC", [0])), _zoned(0, 2, _tz("Europe/Berlin", [60, 120])))
	fs := cron_001.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	contains(f.message, "in UTC")
}

# A CRON_TZ job on one host against a host-zone job on the other.
test_cron_tz_shift_fires if {
	kolkata := {"name": "Asia/Kolkata", "source": "CRON_TZ", "line": 1, "known": true, "offsets": [330]}
	inp := _in("mitaka", 13, _zoned(30, 6, kolkata), _zoned(0, 1, _tz("Etc/UTC", [0])))
	count(cron_001.deny) == 1 with input as t.with_topology(inp)
}

# A zone that is not known compares on the local clock, as before.
test_unknown_zone_local_clock if {
	inp := _in("mitaka", 13, _zoned(0, 1, {"name": "", "source": "", "known": false}), _zoned(0, 1, _tz("Europe/Berlin", [60, 120])))
	count(cron_001.deny) == 1 with input as t.with_topology(inp)
}

# The cronie reading of a line is named in the finding.
test_dialect_note_in_message if {
	j := object.union(_job("keystone-manage token_flush", 0, 1), {"dialect": "cronie", "dialect_note": "\"4-Sun\" read as 4-7 (through Sunday), as cronie does"})
	some f in cron_001.deny with input as t.with_topology({"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"cron": {"jobs": [j]}}}})
	contains(f.message, "as cronie does")
}

# A fleet mid-upgrade, one cluster, the same token_flush job everywhere.
# The Stein host's job fails (the command is gone), the Rocky host's is a
# no-op, and only the two Queens hosts' flushes overlap.
test_mixed_fleet_judged_per_host if {
	j := _job(_flush, 30, 1)
	doc := {"release": {"name": "queens", "index": 17, "source": "hosts"}, "hosts": {
		"ctl1": {"cron": {"jobs": [j]}},
		"ctl2": {"cron": {"jobs": [j]}},
		"ctl3": {"cron": {"jobs": [j]}},
		"ctl4": {"cron": {"jobs": [j]}},
	}}
	inp := t.mixed_fleet(doc, {"ctl1": "queens", "ctl2": "queens", "ctl3": "rocky", "ctl4": "stein"})
	t.one_cluster(inp, ["ctl1", "ctl2", "ctl3", "ctl4"])
	fs := cron_001.deny with input as inp
	count(fs) == 3
	some o in fs
	o.host == "ctl1"
	o.severity == "high"
	contains(o.message, "on 2 hosts")
	[r.host | some r in o.related] == ["ctl2"]
	some r in fs
	r.host == "ctl3"
	r.severity == "low"
	contains(r.message, "no-op since Rocky")
	some s in fs
	s.host == "ctl4"
	not s.severity
	contains(s.message, "removed in Stein")
}

# Real crontab text (oscfg.fleet), the release from kolla-ansible's
# globals.yml as the loader finds it on the host.
_tab := `# Purge expired tokens every night (install guide).
30 1 * * * /usr/bin/keystone-manage token_flush >/var/log/keystone/keystone-tokenflush.log 2>&1
`

test_real_text_fires_after_stein if {
	fs := cron_001.deny with input as oscfg.fleet({
		"ctl1:/var/spool/cron/crontabs/keystone": _tab,
		"ctl1:/etc/kolla/globals.yml": "openstack_release: \"yoga\"\n",
	})
	count(fs) == 1
	some f in fs
	f.file == "/var/spool/cron/crontabs/keystone"
	f.line == 2
	not f.severity
	f.fix == {"op": "comment_out", "host": "ctl1", "file": "/var/spool/cron/crontabs/keystone", "line": 2}
}

test_real_text_quiet_before_rocky if {
	inp := oscfg.fleet({
		"ctl1:/var/spool/cron/crontabs/keystone": _tab,
		"ctl1:/etc/kolla/globals.yml": "openstack_release: \"queens\"\n",
	})
	inp.release.name == "queens"
	count(inp.hosts.ctl1.cron.jobs) == 1
	count(cron_001.deny) == 0 with input as inp
}
