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
#   counts as pushing).
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

# Hosts that rotate, per cluster (input.topology): only nodes of one
# keystone deployment share a key repository.
_hosts[c] := hs if {
	some c in lib.clusters
	hs := {h | some [h, _] in _jobs; input.topology.hosts[h].cluster == c}
}

_several(h) if count(_hosts[lib.cluster_of(h)]) > 1

_via(j) := sprintf(" (run by run-parts from %s)", [j.via]) if j.via != ""

_via(j) := "" if j.via == ""

_ref(h, j) := {"host": h, "file": j.file, "line": j.line, "note": sprintf("fernet_rotate %q on %s", [j.schedule, h])}

_overlapping(h, j) := [_ref(h2, j2) |
	some [h2, j2] in _jobs
	h2 != h
	input.topology.hosts[h2].cluster == input.topology.hosts[h].cluster
	lib.cron_overlap(j, j2)
]

deny contains f if {
	some [h, j] in _jobs
	_several(h)
	rel := _overlapping(h, j)
	count(rel) > 0
	f := {
		"host": h, "file": j.file, "line": j.line, "severity": "high",
		"key": "cron/fernet_rotate",
		"message": sprintf("keystone fernet_rotate %q%s runs at the same time on %d other host(s): each node promotes its own primary key, so tokens issued on one node fail on the others (intermittent 401s); rotate on one node and push the key repository to the rest", [j.schedule, _via(j), count({r.host | some r in rel})]),
		"related": rel,
	}
}

deny contains f if {
	some [h, j] in _jobs
	_several(h)
	count(_overlapping(h, j)) == 0
	not _pushes(j)
	c := lib.cluster_of(h)
	rel := [_ref(h2, j2) | some [h2, j2] in _jobs; h2 != h; input.topology.hosts[h2].cluster == c]
	others := sort({r.host | some r in rel})
	f := {
		"host": h, "file": j.file, "line": j.line, "severity": "medium",
		"key": "cron/fernet_rotate",
		"message": sprintf("keystone fernet_rotate %q%s also runs on %s, and this job does not push the key repository (no rsync/scp): the nodes' primary keys drift apart, so tokens issued on one node fail on the others; rotate on one node and push to the rest in the same job", [j.schedule, _via(j), concat(", ", others)]),
		"related": rel,
	}
}
