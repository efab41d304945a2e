# METADATA
# title: Duplicate or obsolete keystone-manage token_flush cron jobs
# description: |
#   With SQL-persisted tokens (uuid, pki), token_flush deletes expired rows
#   from the token table in large batches. When several controllers start the
#   same flush in the same minute against one Galera writer, the deletes
#   contend for the same ranges and fail with 1213 "Deadlock found when trying
#   to get lock" on DELETE FROM token; install guides used @hourly, which is
#   minute 0 everywhere, and /etc/cron.hourly runs at :17 on every Debian
#   host. From Rocky the command is a no-op that only warns, and Stein removed
#   it: the job then fails on every run and spams cron mail.
# custom:
#   id: OSC-CRON-001
#   severity: medium
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
package oscfg.rules.cron_001

import data.oscfg.lib

_flush contains [h, j] if {
	some [h, j] in lib.cron_jobs
	lib.ox_token_flush(j)
}

_via(j) := sprintf(" (run by run-parts from %s, schedule %q)", [j.via, j.schedule]) if j.via != ""

_via(j) := "" if j.via == ""

_fix(h, j) := {"op": "comment_out", "host": h, "file": j.file, "line": j.line}

deny contains f if {
	lib.release_at_least("stein")
	some [h, j] in _flush
	f := {
		"host": h, "file": j.file, "line": j.line,
		"key": "cron/token_flush",
		"message": sprintf("keystone-manage token_flush no longer exists (removed in Stein): this job%s fails on every run and spams cron mail; delete it", [_via(j)]),
		"fix": _fix(h, j),
	}
}

deny contains f if {
	input.release.index == lib.release_index.rocky
	some [h, j] in _flush
	f := {
		"host": h, "file": j.file, "line": j.line,
		"severity": "low",
		"key": "cron/token_flush",
		"message": sprintf("keystone-manage token_flush is a no-op since Rocky (it only warns): this job%s does nothing; delete it", [_via(j)]),
		"fix": _fix(h, j),
	}
}

# Queens and older: token_flush on several hosts at the same time.

_keystone_providers contains k if {
	some [_, _, f] in lib.oslo_files
	f.service == "keystone"
	k := lib.ox_token_provider(f)
}

# Tokens live in SQL: a keystone.conf says so, or none is in the fleet.
_sql_tokens if count(_keystone_providers) == 0

_sql_tokens if count(_keystone_providers & lib.ox_sql_token_providers) > 0

_overlap_severity := "high" if _sql_tokens

_overlap_severity := "low" if not _sql_tokens

_flush_hosts := sort({h | some [h, _] in _flush})

_minute(h) := (i * 60) / count(_flush_hosts) if {
	some i, x in _flush_hosts
	x == h
}

_plan := concat(", ", [sprintf("%s at :%02d", [x, floor(_minute(x))]) | some x in _flush_hosts])

_why := "with SQL-persisted tokens the concurrent DELETE FROM token batches deadlock (1213) on the Galera writer" if _sql_tokens

_why := "the token provider is not SQL-persisted, so the flushes have little to delete, but the jobs still run together" if not _sql_tokens

deny contains f if {
	lib.release_before("rocky")
	count(_flush_hosts) > 1 # pairs only across hosts: skip the pairing otherwise
	some [h, j] in _flush
	not lib.staggered(j)
	related := [{"host": h2, "file": j2.file, "line": j2.line, "note": sprintf("token_flush %q on %s", [j2.schedule, h2])} |
		some [h2, j2] in _flush
		h2 != h
		not lib.staggered(j2)
		lib.cron_overlap(j, j2)
	]
	count(related) > 0
	f := {
		"host": h, "file": j.file, "line": j.line,
		"severity": _overlap_severity,
		"key": "cron/token_flush",
		"message": sprintf("keystone-manage token_flush %q%s runs at the same time on %d other host(s): %s; keep it on one host, or stagger it (host i at minute i*60/N: %s) and add a random delay", [j.schedule, _via(j), count({r.host | some r in related}), _why, _plan]),
		"related": related,
		"fix_class": "manual",
	}
}
