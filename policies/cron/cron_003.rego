# METADATA
# title: DB maintenance jobs scheduled at the same time on several controllers
# description: |
#   nova-manage db archive_deleted_rows and db purge, cinder-manage db
#   purge, glance-manage db purge, heat-manage purge_deleted and
#   keystone-manage trust_flush are bulk DELETE or INSERT ... SELECT jobs
#   against the one Galera writer. Deployment tools install them on every
#   controller with the same schedule. N copies started in the same minute
#   clean up nothing more than one would: they contend for the same rows
#   and gap locks, fail with 1213 deadlocks, trigger flow control and stall
#   replication, the same failure as token_flush (OSC-CRON-001) on other
#   tables. Medium when the same command runs on two or more hosts of one
#   cluster with overlapping schedules and neither job has a random delay.
#   One finding per schedule and cluster: its position is the first host
#   with that schedule, every other overlapping job a related location (a
#   cluster of 1,000 controllers with one schedule is one finding, not
#   1,000 with 999 related each).
# custom:
#   id: OSC-CRON-003
#   severity: medium
#   fix: manual
#   remedy: |
#     Keep the job on one host, or stagger it per host (host i at minute
#     i*60/N) and add a random pre-delay (`sleep $((RANDOM % 3600))`,
#     puppet's maxdelay); use the tool's batching (`--max_rows`,
#     `--until-complete`, `--batch_size`) so each run holds short locks.
#   references:
#     - openstack/keystone keystone/cmd/cli.py (trust_flush)
#     - openstack/nova nova/cmd/manage.py (archive_deleted_rows --max_rows --until-complete, purge)
#     - openstack/puppet-keystone manifests/cron/token_flush.pp (maxdelay)
#     - openstack/puppet-nova manifests/cron/archive_deleted_rows.pp (maxdelay)
#     - https://bugs.launchpad.net/keystone/+bug/1188378
package oscfg.rules.cron_003

import data.oscfg.lib

# name -> pattern; options may sit between the tool and its sub-commands.
_commands := {
	"nova-manage db archive_deleted_rows": `nova-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*db\s+archive_deleted_rows`,
	"nova-manage db purge": `nova-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*db\s+purge`,
	"cinder-manage db purge": `cinder-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*db\s+purge`,
	"glance-manage db purge": `glance-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*db\s+purge`,
	"heat-manage purge_deleted": `heat-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*purge_deleted`,
	"keystone-manage trust_flush": `keystone-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*trust_flush`,
	"manila-manage db purge": `manila-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*db\s+purge`,
}

_jobs contains [name, h, j] if {
	some [h, j] in lib.cron_jobs
	contains(j.command, "-manage") # one cheap test per job before seven patterns
	some name, re in _commands
	regex.match(re, j.command)
}

_via(j) := sprintf(" (run by run-parts from %s)", [j.via]) if j.via != ""

_via(j) := "" if j.via == ""

_key(name) := concat("/", ["cron", replace(replace(name, "-manage", ""), " ", "_")])

# The unstaggered jobs grouped by [cluster, command, schedule]: jobs with
# one schedule text fire at the same minutes, so overlaps are computed
# between groups (a handful per cluster), not between jobs (quadratic in
# controllers). Comprehensions over the distinct keys, not a multi-value
# rule, whose cost in OPA grows with the square of a group's size.
_tagged := {[[lib.cluster_of(h), name, j.schedule], h, j] |
	some [name, h, j] in _jobs
	not lib.staggered(j)
}

_groups := {g: {[h, j] | some [g2, h, j] in _tagged; g2 == g} | some g in {g | some [g, _, _] in _tagged}}

# One job per group stands for its schedule.
_rep := {g: j | some g, m in _groups; [_, j] := sort(m)[0]}

# The groups of the same cluster and command that fire in a minute of g
# (g itself included).
_meeting(g) := {g2 |
	some g2, j2 in _rep
	[g2[0], g2[1]] == [g[0], g[1]]
	lib.cron_overlap(_rep[g], j2)
}

_ref(name, h, j) := {"host": h, "file": j.file, "line": j.line, "note": sprintf("%s %q on %s", [name, j.schedule, h])}

deny contains f if {
	some g, members in _groups
	[c, name, sched] := g
	hosts := {h | some [h, _] in members}
	h := min(hosts)
	# the position: h's first job with this schedule
	some [h1, j] in members
	h1 == h
	[j.file, j.line] == min({[j2.file, j2.line] | some [h2, j2] in members; h2 == h})
	others := [[h2, j2] | some g2 in _meeting(g); some [h2, j2] in _groups[g2]; h2 != h]
	count(others) > 0
	other_hosts := {h2 | some [h2, _] in others}
	f := {
		"host": h, "file": j.file, "line": j.line,
		"cluster": c,
		"key": _key(name),
		"message": sprintf("%s %q%s runs at the same time on %d other host(s) (%s): the copies contend for the same rows on the Galera writer (deadlocks, flow control) and clean up nothing more than one would; keep it on one host or stagger it with a random delay", [name, sched, _via(j), count(other_hosts), lib.host_names(other_hosts)]),
		"related": [_ref(name, h2, j2) | some [h2, j2] in sort(others)],
	}
}
