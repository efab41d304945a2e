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
