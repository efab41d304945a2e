# METADATA
# title: Client retries to neutron/cinder/glance disabled
# description: |
#   [neutron] http_retries, [cinder] http_retries and [glance] num_retries
#   (default 3 each; [glance] num_retries was 0 until nova 22.0.0, Victoria,
#   and [neutron] http_retries exists from 21.0.0, Ussuri) are nova's defence against transient connection failures
#   to sibling APIs behind a load balancer: a keep-alive connection closed by
#   haproxy just as nova reuses it, an LB reload, a VIP move. In HA every
#   such call goes through haproxy, so these events are routine there. With 0 retries
#   the whole server action fails (nova bug 1866937); it is likely when an
#   haproxy frontend for that service keeps client-side keep-alive (no
#   option httpclose). [neutron] connect_retries looks like a fix but nova
#   builds its neutron client with connect_retries=http_retries and ignores
#   the adapter option. Set to 0: medium, high when haproxy keeps
#   client-side keep-alive for that service. Unset before Victoria, the
#   glance default of 0: low (an upstream default; no incident oscfg knows
#   shows it failing). Before Juno (nova 2014.2) the glance option was
#   [DEFAULT] glance_num_retries, and Juno still read that name: on such a
#   host the finding and its fix name it. Each host is judged by its own
#   release, which gives its defaults.
# custom:
#   id: OSC-NOVA-002
#   severity: medium
#   severities:
#     high: "a retry set to 0 while haproxy keeps client keep-alive for that service"
#     low: "[glance] num_retries unset before Victoria (the release's default of 0)"
#   fix: safe
#   remedy: |
#     Restore the upstream defaults: [neutron] http_retries = 3,
#     [cinder] http_retries = 3, [glance] num_retries = 3, and restart the nova
#     services. Alternatively put option httpclose on the internal API
#     frontends (a performance trade-off, see OSC-HAP-003).
#   references:
#     - https://bugs.launchpad.net/nova/+bug/1866937
#     - openstack/nova commit 0e34ed9733 (neutron http_retries, 21.0.0 Ussuri)
#     - openstack/nova nova/conf/neutron.py, nova/conf/cinder.py (http_retries default 3 since 14.0.0 Newton), nova/conf/glance.py
#     - openstack/nova commit 662af9fab6 "Change default num_retries for glance to 3" (22.0.0 Victoria; 0 before)
#     - openstack/nova tag 2014.2 nova/image/glance.py ([glance] num_retries, deprecated_name glance_num_retries in DEFAULT); tag 2014.1 ([DEFAULT] glance_num_retries, default 0)
#     - keystoneauth1 session.py _send_request
package oscfg.rules.nova_002

import data.oscfg.lib

# [group] option -> the haproxy service it talks to.
_checks := [
	{"group": "neutron", "key": "http_retries", "service": "neutron-server"},
	{"group": "cinder", "key": "http_retries", "service": "cinder-api"},
	{"group": "glance", "key": "num_retries", "service": "glance-api"},
]

_zero contains [h, p, f, c] if {
	some [h, p, f] in lib.oslo_files
	f.service == "nova"
	some c in _checks
	lib.opt_int(f.options[c.group][c.key]) == 0
}

# Client-side HTTP proxies of a service that keep client keep-alive.
_keepalive(service) := [{"host": lh, "file": px.file, "line": px.line, "note": sprintf("%s %q (%s) keeps client-side keep-alive: no option httpclose", [px.type, name, service])} |
	some [lh, name, px] in lib.proxies
	lib.client_side(px)
	px.mode.value == "http"
	px.role == "api"
	px.service == service
	not lib.option_on(px, "httpclose")
]

# The name the host's nova reads the option by: [DEFAULT]
# glance_num_retries before Juno (nova 2014.2 moved it to [glance]
# num_retries, nova/image/glance.py); the option's own name otherwise.
_name(h, c) := {"group": "DEFAULT", "key": "glance_num_retries"} if {
	c.group == "glance"
	lib.host_release_before(h, "juno")
} else := {"group": c.group, "key": c.key}

_fix(h, p, c) := {"op": "set", "host": h, "file": p, "section": n.group, "key": n.key, "value": "3"} if n := _name(h, c)

# Where the option is set, else the header of the section that reads it.
_line(file, h, c) := lib.opt_line(file, c.group, c.key) if {
	file.options[c.group][c.key].set
} else := lib.opt_line(file, n.group, n.key) if n := _name(h, c)

# Set in the file: the operator's choice. Unset and 0 is the release's
# own default ([glance] num_retries before Victoria).
_explicit(f, c) if f.options[c.group][c.key].set

deny contains f if {
	some [h, p, file, c] in _zero
	_explicit(file, c)
	rel := _keepalive(c.service)
	count(rel) > 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, c.group, c.key),
		"severity": "high",
		"key": sprintf("%s/%s", [c.group, c.key]),
		"message": sprintf("[%s] %s = 0 while haproxy keeps client keep-alive for %s: a connection closed by haproxy as nova reuses it fails the whole server action (nova bug 1866937); set it to 3", [c.group, c.key, c.service]),
		"related": rel,
		"fix": _fix(h, p, c),
	}
}

deny contains f if {
	some [h, p, file, c] in _zero
	_explicit(file, c)
	count(_keepalive(c.service)) == 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, c.group, c.key),
		"key": sprintf("%s/%s", [c.group, c.key]),
		"message": sprintf("[%s] %s = 0: nova does not retry a failed connection to %s, so an LB reload or VIP move fails the server action; set it to 3", [c.group, c.key, c.service]),
		"fix": _fix(h, p, c),
	}
}

# [glance] num_retries unset before Victoria: nova's default was 0 until
# 22.0.0. An upstream default, so low: nothing in the incidents oscfg knows
# shows it failing a deployment, but an image upload or download through
# the glance VIP has no retry when haproxy reloads or the VIP moves.
deny contains f if {
	some [h, p, file, c] in _zero
	not _explicit(file, c)
	n := _name(h, c)
	f := {
		"host": h, "file": p, "line": _line(file, h, c),
		"severity": "low",
		"key": sprintf("%s/%s", [c.group, c.key]),
		"message": sprintf("[%s] %s unset (default 0 before Victoria, nova 22.0.0, on %s): nova does not retry a failed upload or download to %s, so an haproxy reload or VIP move in the middle fails the snapshot or boot; set it to 3, the default from Victoria on", [n.group, n.key, lib.host_release_note(h), c.service]),
		"fix": _fix(h, p, c),
	}
}

deny contains f if {
	some [h, p, file, c] in _zero
	c.group == "neutron"
	k := file.sections.neutron.keys.connect_retries
	f := {
		"host": h, "file": p, "line": k.line,
		"key": "neutron/connect_retries",
		"message": "[neutron] connect_retries is ignored for nova's neutron calls (nova passes http_retries as connect_retries) and http_retries = 0 here: set http_retries instead",
		"related": [{"host": h, "file": p, "line": lib.opt_line(file, "neutron", "http_retries"), "note": "[neutron] http_retries = 0"}],
		"fix_class": "manual",
	}
}
