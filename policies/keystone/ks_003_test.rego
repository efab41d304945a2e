package oscfg.rules.ks_003_test

import data.oscfg.rules.ks_003

_o(v, line) := {"value": v, "set": line > 0, "line": line, "key": "x"}

_ks(keys, exp, win) := {
	"kind": "oslo", "service": "keystone", "path": "/etc/keystone/keystone.conf",
	"sections": {"fernet_tokens": {"line": 15, "keys": {}}},
	"options": {
		"token": {"provider": _o("fernet", 0), "expiration": exp, "allow_expired_window": win},
		"fernet_tokens": {"max_active_keys": keys},
	},
}

_all_days := {"days": numbers.range(1, 31), "months": numbers.range(1, 12), "weekdays": numbers.range(0, 6), "dom_restricted": false, "dow_restricted": false, "reboot": false, "via": ""}

_job(schedule, minutes, hours, line) := object.union(_all_days, {
	"line": line, "file": "/etc/cron.d/keystone", "user": "keystone", "schedule": schedule,
	"command": "keystone-manage fernet_rotate --keystone-user keystone --keystone-group keystone",
	"minutes": minutes, "hours": hours,
})

_in(ks, jobs) := {"release": {"name": "zed", "index": 26}, "hosts": object.union(
	{"ctl1": {"files": {"/etc/keystone/keystone.conf": ks}, "cron": {"jobs": object.get(jobs, "ctl1", [])}}},
	{h: {"files": {}, "cron": {"jobs": js}} | some h, js in jobs; h != "ctl1"},
)}

_daily := {"ctl1": [_job("0 3 * * *", [0], [3], 6)]}

_hourly := {"ctl1": [_job("@hourly", [0], numbers.range(0, 23), 6)]}

# Defaults: 3 keys, 3600 + 172800 s.
test_high_daily_with_default_keys if {
	fs := ks_003.deny with input as _in(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), _daily)
	count(fs) == 1
	some f in fs
	f.line == 15
	object.get(f, "severity", "high") == "high"
	f.key == "fernet_tokens/max_active_keys"

	# ceil(176400 / 86400) + 2 = 5
	f.fix == {"op": "set", "host": "ctl1", "file": "/etc/keystone/keystone.conf", "section": "fernet_tokens", "key": "max_active_keys", "value": "5"}
	object.get(f, "fix_class", "safe") == "safe"
	contains(f.message, "rotate every 24h")
	contains(f.message, "set max_active_keys = 5 (ceil(")
	not contains(f.message, "%!")
	f.related[0].line == 6
}

test_quiet_daily_with_five_keys if {
	count(ks_003.deny) == 0 with input as _in(_ks(_o(5, 18), _o(3600, 0), _o(172800, 0)), _daily)
}

test_hourly_needs_many_keys if {
	some f in ks_003.deny with input as _in(_ks(_o(5, 18), _o(3600, 0), _o(172800, 0)), _hourly)

	# ceil(176400 / 3600) + 2 = 51
	f.fix.value == "51"
	f.line == 18
}

test_staggered_hosts_divide_the_period if {
	# Daily on three hosts at 00:00, 08:00, 16:00: R = 8h, ceil(176400/28800)+2 = 9.
	jobs := {
		"ctl1": [_job("0 0 * * *", [0], [0], 6)],
		"ctl2": [_job("0 8 * * *", [0], [8], 6)],
		"ctl3": [_job("0 16 * * *", [0], [16], 6)],
	}
	some f in ks_003.deny with input as _in(_ks(_o(5, 18), _o(3600, 0), _o(172800, 0)), jobs)
	f.fix.value == "9"
	contains(f.message, "every 8h across 3 cron job(s)")
	count(f.related) == 3
}

test_uneven_schedule_is_manual if {
	# 03:00 and 04:00 daily: shortest gap 1h.
	jobs := {"ctl1": [_job("0 3,4 * * *", [0], [3, 4], 6)]}
	some f in ks_003.deny with input as _in(_ks(_o(5, 18), _o(3600, 0), _o(172800, 0)), jobs)
	f.fix_class == "manual"
	f.fix.value == "51"
	contains(f.message, "as often as every 1h (uneven schedule)")
}

test_weekly_with_default_keys_is_fine if {
	jobs := {"ctl1": [object.union(_job("0 3 * * 0", [0], [3], 6), {"weekdays": [0], "dow_restricted": true})]}

	# ceil(176400 / 604800) + 2 = 3
	count(ks_003.deny) == 0 with input as _in(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), jobs)
}

test_monthly_job_not_counted_makes_fix_manual if {
	monthly := object.union(_job("0 0 1 * *", [0], [0], 7), {"days": [1], "dom_restricted": true})
	jobs := {"ctl1": [_job("0 3 * * *", [0], [3], 6), monthly]}
	some f in ks_003.deny with input as _in(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), jobs)
	f.fix_class == "manual"
	contains(f.message, "1 job(s) restricted by day of month or month not counted")
}

test_only_irregular_jobs_quiet if {
	monthly := object.union(_job("0 0 1 * *", [0], [0], 7), {"days": [1], "dom_restricted": true})
	count(ks_003.deny) == 0 with input as _in(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), {"ctl1": [monthly]})
}

test_wrapper_script_counts if {
	j := object.union(_job("@daily", [0], [0], 6), {"command": "/usr/local/bin/fernet-rotate.sh"})
	some f in ks_003.deny with input as _in(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), {"ctl1": [j]})
	f.fix.value == "5"
}

test_low_without_rotation if {
	fs := ks_003.deny with input as _in(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), {})
	count(fs) == 1
	some f in fs
	f.severity == "low"
	f.key == "fernet_tokens/rotation"
	object.get(f, "fix", null) == null
}

test_quiet_on_jws if {
	ks := json.patch(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), [{"op": "replace", "path": "/options/token/provider", "value": _o("jws", 28)}])
	count(ks_003.deny) == 0 with input as _in(ks, _hourly)
	count(ks_003.deny) == 0 with input as _in(ks, {})
}

# Two nodes of one cluster: ctl2's own tokens need 3 keys, but it
# validates ctl1's (expiration 3600 + 172800 s, hourly rotation): 51 on both.
test_cluster_shares_the_largest_need if {
	ks2 := _ks(_o(3, 18), _o(1800, 0), _o(900, 20))
	inp := object.union(_in(_ks(_o(3, 18), _o(3600, 0), _o(172800, 0)), _hourly), {
		"hosts": {"ctl2": {"files": {"/etc/keystone/keystone.conf": ks2}, "cron": {"jobs": []}}},
		"topology": {"hosts": {"ctl1": {"cluster": "c"}, "ctl2": {"cluster": "c"}}},
	})
	fs := ks_003.deny with input as inp
	count(fs) == 2
	every f in fs {
		f.fix.value == "51"
	}
	some f in fs
	f.host == "ctl2"
	contains(f.message, "the tokens ctl1 issues")
}

# Another cluster's longer tokens do not count.
test_other_cluster_not_counted if {
	ks2 := _ks(_o(3, 18), _o(1800, 0), _o(900, 20))
	inp := object.union(_in(_ks(_o(3, 18), _o(3600, 0), _o(172800, 0)), _hourly), {
		"hosts": {"ctl2": {"files": {"/etc/keystone/keystone.conf": ks2}, "cron": {"jobs": []}}},
		"topology": {"hosts": {"ctl1": {"cluster": "a"}, "ctl2": {"cluster": "b"}}},
	})
	fs := ks_003.deny with input as inp
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
}

# A fernet provider named by class path is still fernet (OSC-OPT-005 says
# to rename it; its fix must not make this rule start firing).
test_fernet_class_path_counts_as_fernet if {
	ks := json.patch(_ks(_o(3, 0), _o(3600, 0), _o(172800, 0)), [{"op": "replace", "path": "/options/token/provider", "value": _o("keystone.token.providers.fernet.Provider", 4)}])
	count(ks_003.deny) == 1 with input as _in(ks, _daily)
}
