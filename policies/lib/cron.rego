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

# ---------------------------------------------------------------- time zones
# Each job carries tz (docs/model.md): the zone it is scheduled in (its
# CRON_TZ, else its host's), with the UTC offsets the zone uses over the
# year, computed in Go.

# _same_clock(a, b): the two jobs' times can be compared as written:
# either zone is unknown (assumed to match), or both use the same offsets.
_same_clock(a, _) if not a.tz.known

_same_clock(_, b) if not b.tz.known

_same_clock(a, b) if {
	a.tz.known
	b.tz.known
	a.tz.offsets == b.tz.offsets
}

# _utc_minutes(j, off): the minutes of the day (0..1439, UTC) job j
# fires at when its zone is off minutes east of UTC.
_utc_minutes(j, off) := {u |
	some hr in j.hours
	some m in j.minutes
	u := ((((hr * 60) + m) - off) + 2880) % 1440
}

# cron_overlap_tz(a, b): cron_overlap on one clock. When both zones are
# known and differ, the minutes of the day are compared in UTC for every
# pair of offsets the zones use (DST included, so a pair that never
# coincides in the calendar may count); the day fields are compared as
# written, without the day a shift across midnight adds.
cron_overlap_tz(a, b) if {
	_same_clock(a, b)
	cron_overlap(a, b)
}

cron_overlap_tz(a, b) if {
	not _same_clock(a, b)
	not a.reboot
	not b.reboot
	_meets(a.months, b.months)
	_days_meet(a, b)
	some oa in a.tz.offsets
	some ob in b.tz.offsets
	count(_utc_minutes(a, oa) & _utc_minutes(b, ob)) > 0
}

# cron_slot_keys(j): keys under which two jobs that may overlap meet:
# ["L", minute of day] on the written clock, and for a known zone
# ["U", minute of day in UTC] for each of its offsets.
cron_slot_keys(j) := {k | some hr in j.hours; some m in j.minutes; k := ["L", (hr * 60) + m]} | {["U", u] |
	j.tz.known
	some o in j.tz.offsets
	some u in _utc_minutes(j, o)
}

# cron_zone(j): " Europe/Berlin" (or "UTC+05:30") for messages when known.
cron_zone(j) := sprintf(" %s", [j.tz.name]) if {
	j.tz.known
	j.tz.name != ""
} else := sprintf(" (UTC offsets %v)", [j.tz.offsets]) if {
	j.tz.known
} else := ""
