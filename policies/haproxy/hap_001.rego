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
#   reported as info: stickiness can be right for them. So is keystone when
#   keystone uses identity federation anywhere in the haproxy host's
#   cluster (input.topology: an explicitly set `[auth] methods` naming
#   openid, saml2 or mapped, or a `[federation]`, `[openid]` or `[saml2]`
#   section with a key set, in a keystone.conf on any host of the cluster):
#   the WebSSO login flow keeps state in the Apache module of the keystone
#   node that started it, and kolla-ansible sets `balance source` on its
#   keystone backends exactly when enable_keystone_federation is on. No
#   fix is offered then; with `hash-type consistent` it is not reported.
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
#     - openstack/kolla-ansible ansible/roles/keystone/defaults/main.yml (keystone_internal/keystone_external backend_http_extra "balance {{ 'source' if enable_keystone_federation | bool else 'roundrobin' }}")
#     - openstack/kolla-ansible ansible/roles/keystone/templates/keystone.conf.j2 ([federation] and "[auth] methods = password,token,openid,application_credential" with federation)
#     - openstack/keystone keystone/conf/constants.py (_DEFAULT_AUTH_METHODS names mapped, so only a set list counts)
#     - openstack/kolla-ansible commit f3fbe8370 "Add support to OpenID Connect Authentication flow" (12.0.0, balance source on keystone only with federation)
#     - openstack/kolla-ansible commit 0fc512e0f (2017 revert of an unconditional balance source for keystone)
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

# Keystone behind a federated keystone: the cluster's federation settings.
_federation(h, px) := fed if {
	px.service == "keystone"
	fed := lib.keystone_federation(lib.cluster_of(h))
	count(fed) > 0
}

_consistent(px) if px.hash_type.value == "consistent"

_where(px) := "inherited from defaults" if px.balance.inherited

_where(px) := "set here" if not px.balance.inherited

deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "api"
	not _exempt(px)
	not _federation(h, px)
	_source(px)
	f := {
		"host": h, "file": px.balance.file, "line": px.balance.line,
		"key": sprintf("%s/balance", [name]),
		"message": sprintf("balance source on stateless API backend %q (%s, %s): a server leaving the pool remaps most clients and drops requests in flight; use roundrobin", [name, lib.proxy_service(px), _where(px)]),
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
		"message": sprintf("balance source on %q (%s): acceptable only while its sessions or staging are node-local; prefer roundrobin with a shared session store", [name, lib.proxy_service(px)]),
	}
}

deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	_source(px)
	fed := _federation(h, px)
	not _consistent(px)
	f := {
		"host": h, "file": px.balance.file, "line": px.balance.line, "severity": "info",
		"key": sprintf("%s/balance", [name]),
		"message": sprintf("balance source on keystone backend %q (%s) is kept: keystone uses identity federation in this cluster, and WebSSO logins keep state on the keystone node that started them (kolla-ansible balances keystone by source exactly then); add `hash-type consistent` so a server leaving the pool moves only its own clients", [name, lib.proxy_service(px)]),
		"related": [{"host": r.host, "file": r.file, "line": r.line, "note": r.why} | some r in fed],
	}
}
