package oscfg.lib

# cron_jobs: every cron job of every host as [host, job].
cron_jobs contains [h, j] if {
	some h
	some j in input.hosts[h].cron.jobs
}

_meets(a, b) if count({x | some x in a} & {x | some x in b}) > 0

# cron_overlap(a, b) holds when two jobs fire in the same minute on some
# day. Days use Vixie's rule: when both day fields are restricted, either
# matches; a day-of-month set and a weekday set always meet in some month.
cron_overlap(a, b) if {
	not a.reboot
	not b.reboot
	_meets(a.minutes, b.minutes)
	_meets(a.hours, b.hours)
	_meets(a.months, b.months)
	_days_meet(a, b)
}

_days_meet(a, b) if {
	not _only_dom(a)
	not _only_dow(a)
}

_days_meet(a, b) if {
	not _only_dom(b)
	not _only_dow(b)
}

_only_dom(j) if {
	j.dom_restricted
	not j.dow_restricted
}

_only_dow(j) if {
	j.dow_restricted
	not j.dom_restricted
}

_days_meet(a, b) if {
	_only_dom(a)
	_only_dom(b)
	_meets(a.days, b.days)
}

_days_meet(a, b) if {
	_only_dow(a)
	_only_dow(b)
	_meets(a.weekdays, b.weekdays)
}

_days_meet(a, b) if {
	_only_dom(a)
	_only_dow(b)
}

_days_meet(a, b) if {
	_only_dow(a)
	_only_dom(b)
}

# A job that spreads its start: a random sleep (puppet's maxdelay renders
# sleep `expr ${RANDOM} \% N`;), or maxdelay named in the command.
staggered(j) if regex.match(`sleep\s[^;&|]*RANDOM|maxdelay|sleep \$\(\(|shuf\s|-r\s*[0-9]`, j.command)
