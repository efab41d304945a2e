package oscfg.lib_test

import data.oscfg.lib

# Three hosts run a job at minute 15 of every hour: in the host's unknown
# zone, in UTC and in Asia/Kolkata (UTC+05:30), where minute 15 is minute
# 45 in UTC; one job spreads its start with a random sleep.
_cron := oscfg.fleet({
	"ctl1:/etc/cron.d/keystone": "15 * * * * keystone keystone-manage token_flush\n",
	"ctl2:/etc/cron.d/keystone": "CRON_TZ=UTC\n15 * * * * keystone keystone-manage token_flush\n",
	"ctl3:/etc/cron.d/keystone": "CRON_TZ=Asia/Kolkata\n15 * * * * keystone sleep $((RANDOM % 600)); keystone-manage token_flush\n",
})

_job(host) := j if {
	some [h, j] in lib.cron_jobs with input as _cron
	h == host
}

test_cron_jobs if {
	{[h, j.line, j.minutes] | some [h, j] in lib.cron_jobs} == {["ctl1", 1, [15]], ["ctl2", 2, [15]], ["ctl3", 2, [15]]} with input as _cron
}

test_cron_overlap_as_written if {
	lib.cron_overlap(_job("ctl2"), _job("ctl3"))
	not lib.cron_overlap(_job("ctl2"), object.union(_job("ctl3"), {"minutes": [16]}))
}

test_cron_overlap_tz if {
	# an unknown zone is taken to be the other's
	lib.cron_overlap_tz(_job("ctl1"), _job("ctl3"))
	# 15 past in Kolkata is 45 past in UTC
	not lib.cron_overlap_tz(_job("ctl2"), _job("ctl3"))
	lib.cron_overlap_tz(_job("ctl2"), object.union(_job("ctl3"), {"minutes": [45]}))
}

test_cron_slot_keys if {
	count(lib.cron_slot_keys(_job("ctl1"))) == 24
	ks := lib.cron_slot_keys(_job("ctl3"))
	["L", 15] in ks
	["U", 45] in ks
	not ["U", 15] in ks
}

test_cron_zone if {
	lib.cron_zone(_job("ctl3")) == " Asia/Kolkata"
	lib.cron_zone(_job("ctl1")) == ""
}

test_staggered if {
	lib.staggered(_job("ctl3"))
	not lib.staggered(_job("ctl2"))
}
