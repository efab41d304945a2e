# METADATA
# title: balance source on a stateless OpenStack API backend
# description: |
#   Source hashing pins each client IP to one API node. Internal clients are a
#   handful of controllers and computes, so load piles onto one or two workers,
#   and with the default map-based hash any change in the set of live servers
#   (a flapping check, a restart) remaps most clients at once: requests in
#   flight on the node that left are lost, and a non-idempotent POST such as a
#   cinder volume-create is not retried. OpenStack APIs keep their state in
#   the database and the message queue, so they gain nothing from stickiness.
#   Horizon, console proxies and glance (node-local import staging) are
#   reported as info: stickiness can be right for them.
# custom:
#   id: OSC-HAP-001
#   severity: medium
#   severities:
#     info: "horizon, console proxies and glance-api, where stickiness can be right"
#   fix: safe
#   remedy: |
#     Use `balance roundrobin` (kolla's default) or `leastconn` (openstack-ansible's).
#     If stickiness is truly needed, add `hash-type consistent` so a membership
#     change moves only that server's clients. Reload haproxy.
#   references:
#     - https://docs.haproxy.org/2.6/configuration.html#4-balance
#     - openstack/kolla-ansible commit 0fc512e0f (revert of balance source for keystone)
#     - https://bugs.launchpad.net/kolla-ansible/+bug/1990523
package oscfg.rules.hap_001

import data.oscfg.lib

# hash src is the same algorithm spelt the long way.
_source(px) if px.balance.value == "source"

_source(px) if {
	px.balance.value == "hash"
	px.balance.args[0] == "src"
}

_exempt(px) if px.role in {"dashboard", "console"}

_exempt(px) if px.service == "glance-api"

_where(px) := "inherited from defaults" if px.balance.inherited

_where(px) := "set here" if not px.balance.inherited

deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "api"
	not _exempt(px)
	_source(px)
	f := {
		"host": h, "file": px.balance.file, "line": px.balance.line,
		"key": sprintf("%s/balance", [name]),
		"message": sprintf("balance source on stateless API backend %q (%s, %s): a server leaving the pool remaps most clients and drops requests in flight; use roundrobin", [name, px.service, _where(px)]),
		"fix": {"op": "haproxy_set", "host": h, "file": px.file, "section": px.name, "keyword": "balance", "args": ["roundrobin"]},
	}
}

deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	_exempt(px)
	_source(px)
	f := {
		"host": h, "file": px.balance.file, "line": px.balance.line, "severity": "info",
		"key": sprintf("%s/balance", [name]),
		"message": sprintf("balance source on %q (%s): acceptable only while its sessions or staging are node-local; prefer roundrobin with a shared session store", [name, px.service]),
	}
}
