package oscfg.rules.cron_003_test

import data.oscfg.rules.cron_003
import data.oscfg.testing as t

_days := numbers.range(1, 31)

_months := numbers.range(1, 12)

_wd := numbers.range(0, 6)

_job(cmd, minute, hour, line) := {
	"line": line, "file": "/etc/cron.d/openstack-db", "user": "nova",
	"command": cmd, "schedule": sprintf("%d %d * * *", [minute, hour]),
	"minutes": [minute], "hours": [hour], "days": _days, "months": _months, "weekdays": _wd,
	"dom_restricted": false, "dow_restricted": false, "reboot": false, "via": "",
}

_in(jobs) := {"release": {"name": "zed", "index": 26}, "hosts": {h: {"cron": {"jobs": js}} | some h, js in jobs}}

_archive := "/usr/bin/nova-manage --config-file /etc/nova/nova.conf db archive_deleted_rows --max_rows 1000 --until-complete >>/var/log/nova/nova-rowsflush.log 2>&1"

test_archive_on_three_hosts_medium if {
	fs := cron_003.deny with input as t.with_topology(_in({"ctl1": [_job(_archive, 1, 0, 4)], "ctl2": [_job(_archive, 1, 0, 4)], "ctl3": [_job(_archive, 1, 0, 4)]}))
	# one cluster fact: one finding at the first host, the others related
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	not "severity" in object.keys(f)
	f.line == 4
	f.key == "cron/nova_db_archive_deleted_rows"
	[r.host | some r in f.related] == ["ctl2", "ctl3"]
	contains(f.message, "2 other host(s) (ctl2, ctl3)")
	contains(f.message, "(ctl2, ctl3)")
	not "fix" in object.keys(f)
}

# Two schedules that do not meet are two facts; hosts are named briefly
# however many share one.
test_one_finding_per_schedule if {
	jobs := {sprintf("ctl%02d", [i]): [_job(_archive, (i % 2) * 30, 0, 4)] | some i in numbers.range(1, 10)}
	fs := cron_003.deny with input as t.with_topology(_in(jobs))
	count(fs) == 2
	{f.host | some f in fs} == {"ctl01", "ctl02"}
	some f in fs
	f.host == "ctl02"
	count(f.related) == 4
	contains(f.message, "4 other host(s)")
	some g in fs
	g.host == "ctl01"
	contains(g.message, "(ctl03, ctl05, ctl07 and 1 more)")
}

# Different schedule texts that still meet (every 30 minutes and at :30)
# are reported, each group naming the other.
test_overlapping_schedules_of_different_text if {
	every30 := object.union(_job(_archive, 0, 0, 4), {"schedule": "*/30 * * * *", "minutes": [0, 30], "hours": numbers.range(0, 23)})
	fs := cron_003.deny with input as t.with_topology(_in({"ctl1": [every30], "ctl2": [_job(_archive, 30, 3, 4)]}))
	count(fs) == 2
	every f in fs {
		count(f.related) == 1
	}
}

test_each_command_family if {
	cmds := {
		"cron/nova_db_purge": "nova-manage db purge --before `date --date='today - 14 days' +%D`",
		"cron/cinder_db_purge": "/usr/bin/cinder-manage db purge 30",
		"cron/glance_db_purge": "glance-manage db purge --age_in_days 30 --max_rows 100",
		"cron/heat_purge_deleted": "heat-manage purge_deleted -g days 30",
		"cron/keystone_trust_flush": "keystone-manage trust_flush",
	}
	every key, cmd in cmds {
		fs := cron_003.deny with input as t.with_topology(_in({"ctl1": [_job(cmd, 0, 2, 3)], "ctl2": [_job(cmd, 0, 2, 3)]}))
		count(fs) == 1
		every f in fs {
			f.key == key
		}
	}
}

test_staggered_minutes_quiet if {
	count(cron_003.deny) == 0 with input as t.with_topology(_in({"ctl1": [_job(_archive, 0, 0, 4)], "ctl2": [_job(_archive, 20, 0, 4)]}))
}

test_random_delay_quiet if {
	j := _job(concat(" ", ["sleep $((RANDOM % 3600)) &&", _archive]), 1, 0, 4)
	count(cron_003.deny) == 0 with input as t.with_topology(_in({"ctl1": [j], "ctl2": [_job(_archive, 1, 0, 4)]}))
}

test_different_commands_quiet if {
	count(cron_003.deny) == 0 with input as t.with_topology(_in({"ctl1": [_job(_archive, 1, 0, 4)], "ctl2": [_job("cinder-manage db purge 30", 1, 0, 4)]}))
}

test_single_host_quiet if {
	count(cron_003.deny) == 0 with input as t.with_topology(_in({"ctl1": [_job(_archive, 1, 0, 4), _job(_archive, 1, 0, 5)]}))
}

test_puppet_maxdelay_quiet if {
	j := _job(concat("", ["sleep `expr ${RANDOM} \\% 3600`; ", _archive]), 1, 0, 4)
	fs := cron_003.deny with input as t.with_topology(_in({"ctl1": [_job(_archive, 1, 0, 4)], "ctl2": [_job(_archive, 1, 0, 4)], "ctl3": [j]}))
	{f.host | some f in fs} == {"ctl1"}
	# the delayed job is not one of the copies
	every f in fs {
		{r.host | some r in f.related} == {"ctl2"}
	}
}
