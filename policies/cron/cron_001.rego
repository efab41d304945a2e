# METADATA
# title: Duplicate or obsolete keystone-manage token_flush cron jobs
# description: |
#   With SQL-persisted tokens (uuid, pki), token_flush deletes expired rows
#   from the token table in large batches. When several controllers start the
#   same flush in the same minute against one Galera writer, the deletes
#   contend for the same ranges and fail with 1213 "Deadlock found when trying
#   to get lock" on DELETE FROM token; install guides used @hourly, which is
#   minute 0 everywhere, and /etc/cron.hourly runs at :17 on every Debian
#   host. Only hosts of one cluster that flush the same keystone database
#   (input.topology) are compared, and each such overlap is one finding.
#   From Rocky the command is a no-op that only warns, and Stein removed
#   it: the job then fails on every run and spams cron mail (medium, the
#   default). The safe fix comments the job's line out, unless the line
#   chains other commands (;, && or ||, such as trust_flush): then only the
#   token_flush command must go, and the fix is manual. Two flush jobs on
#   one host (an /etc/cron.d file and the keystone crontab) are reported
#   too. Times are compared on one clock: each job runs in its CRON_TZ, else
#   its host's zone (/etc/localtime, /etc/timezone), and hosts in different
#   zones are compared in UTC. Each host is judged by its own release: in a
#   fleet mid-upgrade only the hosts before Rocky take part in an overlap.
# custom:
#   id: OSC-CRON-001
#   severity: medium
#   severities:
#     high: "Queens and older: token_flush at the same time on several hosts of one keystone database, or twice on one host, with SQL-persisted tokens"
#     low: "Rocky, where token_flush is a no-op; overlaps when the tokens are not SQL-persisted; a second job on one host at another time"
#   fix: safe
#   remedy: |
#     Rocky and later: delete the job (fernet tokens need no flush). Queens and
#     older: keep it on exactly one host, or stagger the minute per host (host
#     i at minute i*60/N) and add a random pre-delay; running it more often
#     makes each run delete fewer rows.
#   references:
#     - openstack/keystone commit 9ca374091 (token_flush no-op, 14.0.0 Rocky; https://bugs.launchpad.net/keystone/+bug/1759289)
#     - openstack/keystone commit 48dcdb5ad (token_flush removed, 15.0.0 Stein)
#     - https://bugs.launchpad.net/keystone/+bug/1188378
#     - https://bugs.launchpad.net/keystone/+bug/1649616
#     - openstack/puppet-keystone manifests/cron/token_flush.pp (maxdelay)
#     - cronie-crond/cronie src/entry.c load_entry, src/cron.c find_jobs (CRON_TZ per entry)
package oscfg.rules.cron_001

import data.oscfg.lib
import data.oscfg.lib.internal.keystone

_flush contains [h, j] if {
	some [h, j] in lib.cron_jobs
	keystone.token_flush(j)
}

_via(j) := sprintf(" (run by run-parts from %s, schedule %q)", [j.via, j.schedule]) if j.via != ""

_via(j) := "" if j.via == ""

# The commands of a line chained with ;, && or || (a pipe or a redirection
# stays inside its command).
_segments(cmd) := [x | some s in regex.split(`;|&&|\|\|`, cmd); x := trim_space(s); x != ""]

# The other commands of a chained line: neither the flush itself nor a
# random pre-delay for it. Commenting the line out would kill them.
_others(j) := [s |
	some s in _segments(j.command)
	not regex.match(`keystone-manage\s.*token_flush`, s)
	not regex.match(`^sleep\s`, s)
]

_fix(h, j) := {"fix": {"op": "comment_out", "host": h, "file": j.file, "line": j.line}} if {
	count(_others(j)) == 0
} else := {"fix_class": "manual"}

_fix_note(j) := "" if {
	count(_others(j)) == 0
} else := sprintf("; the line also runs other commands, so remove only the token_flush command and keep the rest of the line (%q)", [concat("; ", _others(j))])

# The cronie reading of the schedule, when only cronie accepts the line.
_dialect(j) := sprintf(" (schedule %s)", [j.dialect_note]) if {
	j.dialect == "cronie"
} else := ""

deny contains f if {
	some [h, j] in _flush
	lib.host_release_at_least(h, "stein")
	base := {
		"host": h, "file": j.file, "line": j.line,
		"key": "cron/token_flush",
		"message": sprintf("keystone-manage token_flush no longer exists (removed in Stein): this job%s%s fails on every run and spams cron mail; delete it%s", [_via(j), _dialect(j), _fix_note(j)]),
	}
	f := object.union(base, _fix(h, j))
}

deny contains f if {
	some [h, j] in _flush
	lib.host_release_is(h, "rocky")
	base := {
		"host": h, "file": j.file, "line": j.line,
		"severity": "low",
		"key": "cron/token_flush",
		"message": sprintf("keystone-manage token_flush is a no-op since Rocky (it only warns): this job%s%s does nothing; delete it%s", [_via(j), _dialect(j), _fix_note(j)]),
	}
	f := object.union(base, _fix(h, j))
}

# Queens and older: token_flush on several hosts of one keystone database
# at the same time. One finding per such group (a cluster fact).

# The keystone database a host's flush deletes from: the endpoint of its
# keystone.conf [database] connection (input.topology), within its cluster.
_ks_db(h) := ep if {
	some p, byg in input.topology.hosts[h].db_paths
	input.hosts[h].files[p].service == "keystone"
	ep := byg.database.endpoint
} else := ""

# Host -> [cluster, keystone database], computed once.
_groups := {h: [th.cluster, _ks_db(h)] | some h, th in input.topology.hosts}

_group(h) := _groups[h]

_providers[_group(h)] contains keystone.token_provider(f) if {
	some [h, _, f] in lib.oslo_files
	f.service == "keystone"
}

_keystone_providers := {grp: ks | some grp, ks in _providers}

# Tokens live in SQL: a keystone.conf of the group says so, or none is known.
_sql_tokens(grp) if count(object.get(_keystone_providers, [grp], set())) == 0

_sql_tokens(grp) if count(object.get(_keystone_providers, [grp], set()) & keystone.sql_token_providers) > 0

_overlap_severity(grp) := "high" if _sql_tokens(grp)

_overlap_severity(grp) := "low" if not _sql_tokens(grp)

_why(grp) := "with SQL-persisted tokens the concurrent DELETE FROM token batches deadlock (1213) on the Galera writer" if _sql_tokens(grp)

_why(grp) := "the token provider is not SQL-persisted, so the flushes have little to delete, but the jobs still run together" if not _sql_tokens(grp)

# Unstaggered flush jobs by group and by the (hour, minute) slots they
# fire in: two jobs can only overlap when they share a slot, so each job
# is compared with the few that do, not with every host.
# Only hosts before Rocky: from Rocky on token_flush deletes nothing, so a
# flush there overlaps nobody's, whatever the other hosts run.
_plain contains [grp, h, j] if {
	some [h, j] in _flush
	lib.host_release_before(h, "rocky")
	not lib.staggered(j)
	not j.reboot
	grp := _group(h)
}

# Evaluated in full once and kept as an object: a partial rule looked up
# by key is evaluated again for every key.
# Slots are minutes of the day on the written clock and, for jobs whose
# time zone is known, in UTC (lib.cron_slot_keys).
_slot_jobs[[grp, k]] contains [h, j] if {
	some [grp, h, j] in _plain
	some k in lib.cron_slot_keys(j)
}

_slots := {s: js | some s, js in _slot_jobs}

_overlaps(grp, h, j) if {
	some k in lib.cron_slot_keys(j)
	some [h2, j2] in _slots[[grp, k]]
	h2 != h
	lib.cron_overlap_tz(j, j2)
}

_overlap_jobs[grp] contains [h, j] if {
	some [grp, h, j] in _plain
	_overlaps(grp, h, j)
}

_overlapping := {grp: o |
	some grp, o in _overlap_jobs
	count({h | some [h, _] in o}) > 1
}

# Host i of the group at minute i*60/N; the message shows the first few.
_plan(hosts) := p if {
	count(hosts) <= 6
	p := concat(", ", [sprintf("%s at :%02d", [x, floor((i * 60) / count(hosts))]) | some i, x in hosts])
} else := sprintf("%s, ... (%d hosts)", [concat(", ", [sprintf("%s at :%02d", [x, floor((i * 60) / count(hosts))]) | some i, x in array.slice(hosts, 0, 4)]), count(hosts)])

# The hosts' clocks differ: say the comparison was made in UTC.
_utc_note(o) := " (compared in UTC: the hosts' time zones differ)" if {
	count({j.tz.offsets | some [_, j] in o; j.tz.known}) > 1
} else := ""

_db_note([_, ""]) := ""

_db_note([_, ep]) := sprintf(" sharing the keystone database at %s", [ep]) if ep != ""

deny contains f if {
	some grp, o in _overlapping
	jobs := sort(o)
	[h, j] := jobs[0]
	hosts := sort({x | some [x, _] in o})
	f := {
		"host": h, "file": j.file, "line": j.line,
		"severity": _overlap_severity(grp),
		"cluster": grp[0],
		"key": sprintf("cron/token_flush/%s", [grp[1]]),
		"message": sprintf("keystone-manage token_flush runs at the same time on %d hosts of cluster %s%s%s (%q%s%s%s on %s); %s; keep it on one host, or stagger it (host i at minute i*60/N: %s) and add a random delay", [count(hosts), grp[0], _db_note(grp), _utc_note(o), j.schedule, lib.cron_zone(j), _via(j), _dialect(j), h, _why(grp), _plan(hosts)]),
		"related": [{"host": h2, "file": j2.file, "line": j2.line, "note": sprintf("token_flush %q%s on %s", [j2.schedule, lib.cron_zone(j2), h2])} | some [h2, j2] in array.slice(jobs, 1, count(jobs))],
		"fix_class": "manual",
	}
}

# Queens and older: token_flush scheduled more than once on one host (an
# /etc/cron.d file and the keystone user's crontab, a package's
# cron.hourly script and a hand-made job). At the same minute the two
# deletes contend as across hosts; at other times one is redundant.
_host_flushes := {h: js |
	some h, _ in input.hosts
	js := [j | some [h2, j] in _flush; h2 == h; not j.reboot]
	count(js) > 1
}

_by_place(js) := [j |
	some k in sort([[j.file, j.line] | some j in js])
	some j in js
	[j.file, j.line] == k
]

_dup_when(j, rest) := "at the same time" if {
	some j2 in rest
	lib.cron_overlap_tz(j, j2)
} else := "at different times, so one of them is redundant"

_dup_severity(h, j, rest) := _overlap_severity(_group(h)) if {
	some j2 in rest
	lib.cron_overlap_tz(j, j2)
} else := "low"

deny contains f if {
	some h, js in _host_flushes
	lib.host_release_before(h, "rocky")
	jobs := _by_place(js)
	j := jobs[0]
	rest := array.slice(jobs, 1, count(jobs))
	f := {
		"host": h, "file": j.file, "line": j.line,
		"severity": _dup_severity(h, j, rest),
		"key": "cron/token_flush/same_host",
		"message": sprintf("keystone-manage token_flush is scheduled twice on %s (%s), %s; keep one job", [h, concat(", ", [sprintf("%s:%d %q", [x.file, x.line, x.schedule]) | some x in jobs]), _dup_when(j, rest)]),
		"related": [{"host": h, "file": x.file, "line": x.line, "note": sprintf("token_flush %q in %s", [x.schedule, x.file])} | some x in rest],
		"fix_class": "manual",
	}
}
