package oscfg.rules.cron_002_test

import data.oscfg.rules.cron_002
import data.oscfg.testing as t

_days := numbers.range(1, 31)

_months := numbers.range(1, 12)

_wd := numbers.range(0, 6)

_job(cmd, minute, hour) := {
	"line": 6, "file": "/etc/cron.d/keystone-fernet", "user": "keystone",
	"command": cmd, "schedule": sprintf("%d %d * * *", [minute, hour]),
	"minutes": [minute], "hours": [hour], "days": _days, "months": _months, "weekdays": _wd,
	"dom_restricted": false, "dow_restricted": false, "reboot": false, "via": "",
}

_rotate := "/usr/bin/keystone-manage fernet_rotate --keystone-user keystone --keystone-group keystone"

_push := "/usr/bin/keystone-manage fernet_rotate --keystone-user keystone --keystone-group keystone && rsync -a --delete /etc/keystone/fernet-keys/ ctl2:/etc/keystone/fernet-keys/"

_in(jobs) := {"release": {"name": "zed", "index": 26}, "hosts": {h: {"cron": {"jobs": js}} | some h, js in jobs}}

test_overlap_high_on_both if {
	fs := cron_002.deny with input as t.with_topology(_in({"ctl1": [_job(_rotate, 0, 0)], "ctl2": [_job(_rotate, 0, 0)]}))
	# one cluster fact, at the first host
	count(fs) == 1
	every f in fs {
		f.host == "ctl1"
		f.severity == "high"
		f.line == 6
		f.key == "cron/fernet_rotate"
		not "fix" in object.keys(f)
		count(f.related) == 1
	}
}

test_overlap_high_even_with_push if {
	fs := cron_002.deny with input as t.with_topology(_in({"ctl1": [_job(_push, 0, 3)], "ctl2": [_job(_push, 0, 3)]}))
	count(fs) == 1
	every f in fs {
		f.severity == "high"
	}
}

test_staggered_without_push_medium if {
	fs := cron_002.deny with input as t.with_topology(_in({"ctl1": [_job(_rotate, 0, 3)], "ctl2": [_job(_rotate, 0, 15)]}))
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	f.severity == "medium"
	f.related == [{"host": "ctl2", "file": "/etc/cron.d/keystone-fernet", "line": 6, "note": "fernet_rotate \"0 15 * * *\" on ctl2"}]
	contains(f.message, "also runs on ctl2")
	contains(f.message, "the jobs of 2 hosts (ctl1, ctl2) do not push")
}

# Many controllers rotating at their own hours without pushing: one
# finding for the cluster, every other job related.
test_many_staggered_one_finding if {
	fs := cron_002.deny with input as t.with_topology(_in({sprintf("ctl%d", [i]): [_job(_rotate, 0, i)] | some i in numbers.range(1, 8)}))
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	count(f.related) == 7
	contains(f.message, "also runs on ctl2, ctl3, ctl4 and 4 more")
}

test_staggered_with_push_quiet if {
	count(cron_002.deny) == 0 with input as t.with_topology(_in({"ctl1": [_job(_push, 0, 3)], "ctl2": [_job(_push, 0, 15)]}))
}

test_kolla_round_robin_quiet if {
	count(cron_002.deny) == 0 with input as t.with_topology(_in({"ctl1": [_job("/usr/bin/fernet-rotate.sh", 0, 0)], "ctl2": [_job("/usr/bin/fernet-rotate.sh", 0, 12)]}))
}

test_one_pushes_other_does_not if {
	fs := cron_002.deny with input as t.with_topology(_in({"ctl1": [_job(_push, 0, 3)], "ctl2": [_job(_rotate, 0, 15)]}))
	count(fs) == 1
	some f in fs
	f.host == "ctl2"
	f.severity == "medium"
}

test_single_host_quiet if {
	count(cron_002.deny) == 0 with input as t.with_topology(_in({"ctl1": [_job(_rotate, 0, 0)], "ctl2": [_job("keystone-manage trust_flush", 0, 0)]}))
}

test_wrapper_script_name if {
	fs := cron_002.deny with input as t.with_topology(_in({"ctl1": [_job("/usr/local/bin/keystone-fernet-rotate.sh", 5, 1)], "ctl2": [_job("/usr/local/bin/keystone-fernet-rotate.sh", 5, 1)]}))
	count(fs) == 1
}
