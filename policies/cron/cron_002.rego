# METADATA
# title: keystone-manage fernet_rotate on several hosts without lock-step distribution
# description: |
#   fernet_rotate promotes the staged key to primary and writes a new staged
#   key, in the local key repository only. When several keystone nodes rotate
#   on their own, each ends up with a different primary key: a token issued
#   on one node fails validation on the others, and clients see 401s that
#   depend on where the load balancer sends each request. Keystone's FAQ
#   requires rotation and distribution to be lock-step. High when the job
#   runs on two or more hosts at overlapping times (even with a push, two
#   nodes rotating and pushing at once overwrite each other); medium when it
#   runs on several hosts at different times but the job does not push the
#   repository to the others (rsync or scp in the same command; kolla's
#   fernet-rotate.sh runs fernet-push.sh itself, so its staggered round-robin
#   counts as pushing). Each is one finding per cluster fact: one per
#   schedule that overlaps another host's, and one for the cluster's
#   non-pushing jobs, at the first host, the other jobs related.
# custom:
#   id: OSC-CRON-002
#   severity: high
#   severities:
#     medium: "the rotation runs on several hosts at different times and the job does not push the keys to the others"
#   fix: manual
#   remedy: |
#     Rotate on one node and push the repository to the others in the same
#     job (`keystone-manage fernet_rotate ... && rsync -a --delete
#     /etc/keystone/fernet-keys/ other:/etc/keystone/fernet-keys/`), as
#     openstack-ansible does from its first keystone host; delete the job
#     elsewhere. Or use kolla's staggered round-robin, where each node
#     rotates at its own time and pushes.
#   references:
#     - openstack/keystone doc/source/admin/fernet-token-faq.rst (rotation and distribution lock-step)
#     - openstack/openstack-ansible-os_keystone tasks/keystone_fernet_keys_autorotate.yml
#     - openstack/kolla-ansible ansible/roles/keystone/files/fernet_rotate_cron_generator.py
#     - openstack/kolla-ansible ansible/roles/keystone/templates/fernet-rotate.sh.j2 (fernet-push.sh)
package oscfg.rules.cron_002

import data.oscfg.lib

_rotate(j) if regex.match(`keystone-manage\s+(\S+\s+)*fernet_rotate|fernet[-_]rotate`, j.command)

_pushes(j) if regex.match(`(^|[\s;&|/'"(])(rsync|scp)(\s|$)|fernet-push|(^|/)fernet-rotate\.sh`, j.command)

_jobs contains [h, j] if {
	some [h, j] in lib.cron_jobs
	_rotate(j)
}

# Rotating jobs grouped by [cluster, schedule]: overlaps are computed
# between schedules, not between every pair of jobs (comprehensions, not
# a multi-value rule, whose cost grows with the square of a group).
_tagged := {[[lib.cluster_of(h), j.schedule], h, j] | some [h, j] in _jobs}

_groups := {g: {[h, j] | some [g2, h, j] in _tagged; g2 == g} | some g in {g | some [g, _, _] in _tagged}}

# One job per group stands for its schedule.
_rep := {g: j | some g, m in _groups; [_, j] := sort(m)[0]}

_via(j) := sprintf(" (run by run-parts from %s)", [j.via]) if j.via != ""

_via(j) := "" if j.via == ""

_ref(h, j) := {"host": h, "file": j.file, "line": j.line, "note": sprintf("fernet_rotate %q on %s", [j.schedule, h])}

# The jobs on other hosts than h of the cluster of group g that fire in a
# minute of g's schedule.
_meeting(g, h) := [[h2, j2] |
	some g2, j2rep in _rep
	g2[0] == g[0]
	lib.cron_overlap(_rep[g], j2rep)
	some [h2, j2] in _groups[g2]
	h2 != h
]

# first(members, hs): the position of a fact, the first job of the first host.
_first(members, hs) := [h, j] if {
	h := min(hs)
	some [h1, j] in members
	h1 == h
	[j.file, j.line] == min({[j2.file, j2.line] | some [h2, j2] in members; h2 == h})
}

deny contains f if {
	some g, members in _groups
	[h, j] := _first(members, {x | some [x, _] in members})
	others := {x | some x in _meeting(g, h)}
	count(others) > 0
	hs := {x | some [x, _] in others}
	f := {
		"host": h, "file": j.file, "line": j.line, "severity": "high",
		"cluster": g[0],
		"key": "cron/fernet_rotate",
		"message": sprintf("keystone fernet_rotate %q%s runs at the same time on %d other host(s) (%s): each node promotes its own primary key, so tokens issued on one node fail on the others (intermittent 401s); rotate on one node and push the key repository to the rest", [j.schedule, _via(j), count(hs), lib.host_names(hs)]),
		"related": [_ref(x, y) | some [x, y] in sort(others)],
	}
}

# Rotation on several hosts of a cluster at different times, by jobs that
# do not push: one finding for the cluster.
_lonely_jobs := {[g[0], h, j] |
	some g, members in _groups
	some [h, j] in members
	not _pushes(j)
	count(_meet_hosts[g] - {h}) == 0
}

# Per group: the hosts of every group whose schedule meets it (once per
# group, not per job).
_meet_hosts := {g: {h2 |
	some g2, j2rep in _rep
	g2[0] == g[0]
	lib.cron_overlap(_rep[g], j2rep)
	some [h2, _] in _groups[g2]
} | some g, _ in _rep}

_lonely := {c: {[h, j] | some [c2, h, j] in _lonely_jobs; c2 == c} | some c in {c | some [c, _, _] in _lonely_jobs}}

deny contains f if {
	some c, lonely in _lonely
	all := {[h, j] | some g, m in _groups; g[0] == c; some [h, j] in m}
	count({h | some [h, _] in all}) > 1
	[h, j] := _first(lonely, {x | some [x, _] in lonely})
	others := {x | some x in all; x[0] != h}
	hs := {x | some [x, _] in others}
	f := {
		"host": h, "file": j.file, "line": j.line, "severity": "medium",
		"cluster": c,
		"key": "cron/fernet_rotate",
		"message": sprintf("keystone fernet_rotate %q%s also runs on %s, and %s (no rsync/scp): the nodes' primary keys drift apart, so tokens issued on one node fail on the others; rotate on one node and push to the rest in the same job", [j.schedule, _via(j), lib.host_names(hs), _nopush(lonely, h)]),
		"related": [_ref(x, y) | some [x, y] in sort(others)],
	}
}

_nopush(lonely, h) := "this job does not push the key repository" if count({x | some [x, _] in lonely}) == 1

_nopush(lonely, h) := sprintf("the jobs of %d hosts (%s) do not push the key repository", [n, lib.host_names(hs)]) if {
	hs := {x | some [x, _] in lonely}
	n := count(hs)
	n > 1
}
