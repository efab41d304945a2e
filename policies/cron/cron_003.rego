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
#   tables. Medium when the same command runs on two or more hosts with
#   overlapping schedules and neither job has a random delay.
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

# name -> the hosts that run it. A job is compared only with jobs on other
# hosts, so one host's own jobs (a 100k-line crontab) are never paired.
_hosts[name] := {h | some [n, h, _] in _jobs; n == name} if some name, _ in _commands

deny contains f if {
	some [name, h, j] in _jobs
	count(_hosts[name] - {h}) > 0
	not lib.staggered(j)
	rel := [{"host": h2, "file": j2.file, "line": j2.line, "note": sprintf("%s %q on %s", [name, j2.schedule, h2])} |
		some [n2, h2, j2] in _jobs
		n2 == name
		h2 != h
		input.topology.hosts[h2].cluster == input.topology.hosts[h].cluster
		not lib.staggered(j2)
		lib.cron_overlap(j, j2)
	]
	count(rel) > 0
	f := {
		"host": h, "file": j.file, "line": j.line,
		"key": _key(name),
		"message": sprintf("%s %q%s runs at the same time on %d other host(s) (%s): the copies contend for the same rows on the Galera writer (deadlocks, flow control) and clean up nothing more than one would; keep it on one host or stagger it with a random delay", [name, j.schedule, _via(j), count({r.host | some r in rel}), concat(", ", sort({r.host | some r in rel}))]),
		"related": rel,
	}
}
