# METADATA
# title: Fernet max_active_keys too small for token lifetime and rotation cadence
# description: |
#   Every fernet_rotate promotes the staged key to primary and prunes the
#   oldest secondary key once there are more than max_active_keys (default
#   3). A token stays decryptable only while the key that encrypted it is
#   kept, so the repository must hold enough keys to cover the token's life
#   plus the window in which an expired token is still accepted with a
#   service token. Keystone's FAQ gives max_active_keys =
#   (expiration + allow_expired_window) / rotation interval + 2, rounded up
#   here. Otherwise valid tokens start failing with 401s early, and service
#   tokens fail inside the expired window. The rotation interval R comes
#   from the cron jobs running fernet_rotate (keystone-manage fernet_rotate
#   or a fernet-rotate wrapper script) on every host together: N hosts
#   rotating the shared repository in turn (kolla's staggered jobs) give
#   R = period / N. R is the shortest gap between two rotations in a week,
#   so uneven schedules are judged by their busiest stretch. Jobs restricted
#   by day of month or month cannot be placed on a weekly timeline and are
#   left out. The keystone nodes of one cluster share the key repository
#   and validate each other's tokens, so each needs the keys the longest
#   token lifetime among them asks for. The fix sets the computed value only when the rotations are
#   evenly spaced and every job was understood; otherwise it is advice. No
#   rotation job in any loaded crontab is low: the keys never rotate (or
#   rotate somewhere oscfg cannot see, such as a container's crontab).
# custom:
#   id: OSC-KS-003
#   severity: high
#   severities:
#     low: "max_active_keys below keystone's formula, or no rotation job in any loaded crontab"
#   fix: safe
#   remedy: |
#     Set [fernet_tokens] max_active_keys to
#     ceil((expiration + allow_expired_window) / R) + 2 on every keystone node
#     (kolla renders exactly this formula), or rotate less often. Restart
#     keystone. Rotate on one node and push the repository to the others in
#     the same job (OSC-CRON-002).
#   references:
#     - https://docs.openstack.org/keystone/latest/admin/fernet-token-faq.html
#     - openstack/keystone doc/source/admin/fernet-token-faq.rst (max_active_keys formula)
#     - openstack/kolla-ansible ansible/roles/keystone/templates/keystone.conf.j2
#     - openstack/kolla-ansible ansible/roles/keystone/files/fernet_rotate_cron_generator.py
package oscfg.rules.ks_003

import data.oscfg.lib
import data.oscfg.lib.internal.keystone

_week := 10080 # minutes

_fernet contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "keystone"
	keystone.token_provider(f) == "fernet"
}

_rotations contains [h, j] if {
	some [h, j] in lib.cron_jobs
	regex.match(`fernet[_-]rotate`, j.command)
}

# A job whose firings repeat every week.
_regular(j) if {
	not j.reboot
	not j.dom_restricted
	count(j.months) == 12
}

_irregular := [j | some [_, j] in _rotations; not _regular(j)]

# Minutes of the week at which some host rotates.
_week_minutes := sort({m |
	some [_, j] in _rotations
	_regular(j)
	some d in j.weekdays
	some hh in j.hours
	some mm in j.minutes
	m := ((d * 1440) + (hh * 60)) + mm
})

_gaps := [_week] if {
	count(_week_minutes) == 1
} else := array.concat(
	[_gap(i) | some i in numbers.range(0, count(_week_minutes) - 2)],
	[(_week_minutes[0] + _week) - _week_minutes[count(_week_minutes) - 1]],
) if {
	count(_week_minutes) > 1
}

_gap(i) := _week_minutes[i + 1] - _week_minutes[i]

# The rotation interval in seconds (the shortest gap).
_r := min(_gaps) * 60

_even if {
	min(_gaps) == max(_gaps)
	count(_irregular) == 0
}

_needed(f) := n if {
	exp := lib.opt_int(f.options.token.expiration)
	win := lib.opt_int(f.options.token.allow_expired_window)
	n := ceil((exp + win) / _r) + 2
}

_related := [{"host": h, "file": j.file, "line": j.line, "note": sprintf("%s %s", [j.schedule, _via(j)])} | some [h, j] in _rotations]

_via(j) := sprintf("(run-parts %s)", [j.via]) if j.via != ""

_via(j) := "fernet_rotate" if j.via == ""

_cadence := sprintf("every %s", [lib.human_ms(_r * 1000)]) if {
	_even
} else := sprintf("as often as every %s (uneven schedule%s)", [lib.human_ms(_r * 1000), _irregular_note])

_irregular_note := sprintf("; %d job(s) restricted by day of month or month not counted", [count(_irregular)]) if {
	count(_irregular) > 0
} else := ""

_fix(h, p, n) := {"fix": {"op": "set", "host": h, "file": p, "section": "fernet_tokens", "key": "max_active_keys", "value": format_int(n, 10)}} if {
	_even
} else := {
	"fix_class": "manual",
	"fix": {"op": "set", "host": h, "file": p, "section": "fernet_tokens", "key": "max_active_keys", "value": format_int(n, 10)},
}

_cluster(h) := c if {
	c := input.topology.hosts[h].cluster
} else := ""

# The keys a node must keep: the most any keystone node of its cluster
# needs, since they share one key repository and each validates the tokens
# the others issued (and GEN-003 wants the value equal on all of them).
_cluster_need(c) := max({n |
	some [h, _, f] in _fernet
	_cluster(h) == c
	n := _needed(f)
})

# The node whose token lifetime sets the cluster's need, when not this one.
_need_note(h, file, n) := "" if {
	_needed(file) == n
} else := sprintf("; the tokens %s issues (its expiration + allow_expired_window) are validated here too, so this node keeps as many keys", [o]) if {
	o := min({h2 | some [h2, _, f2] in _fernet; _cluster(h2) == _cluster(h); _needed(f2) == n})
}

deny contains f if {
	some [h, p, file] in _fernet
	count(_week_minutes) > 0
	keys := lib.opt_int(file.options.fernet_tokens.max_active_keys)
	n := _cluster_need(_cluster(h))
	keys < n
	base := {
		"host": h, "file": p, "line": lib.opt_line(file, "fernet_tokens", "max_active_keys"),
		"key": "fernet_tokens/max_active_keys",
		"message": sprintf("[fernet_tokens] max_active_keys = %d, but keys rotate %s across %d cron job(s) while tokens must stay decryptable for expiration %d + allow_expired_window %d s: the key of a valid token is pruned early and validation fails with 401; set max_active_keys = %d (ceil((expiration + allow_expired_window) / rotation interval) + 2%s)", [keys, _cadence, count(_rotations), lib.opt_int(file.options.token.expiration), lib.opt_int(file.options.token.allow_expired_window), n, _need_note(h, file, n)]),
		"related": _related,
	}
	f := object.union(base, _fix(h, p, n))
}

deny contains f if {
	some [h, p, file] in _fernet
	count(_rotations) == 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "fernet_tokens", "max_active_keys"), "severity": "low",
		"key": "fernet_tokens/rotation",
		"message": "no cron job runs keystone-manage fernet_rotate in any loaded crontab: the primary fernet key never changes, so a leaked key decrypts and forges tokens indefinitely; rotate on one node and distribute the keys (ignore if rotation runs where oscfg cannot see, e.g. a container's crontab)",
	}
}
