# METADATA
# title: Console (WebSocket) proxy without timeout tunnel
# description: |
#   noVNC, SPICE HTML5 and serial consoles are long-lived WebSocket tunnels
#   with long idle periods: a user reading a boot log sends nothing for
#   minutes. Without `timeout tunnel`, the ordinary `timeout client` and
#   `timeout server` (often 1m) cut an idle console. `timeout tunnel` takes
#   over once the connection is upgraded and replaces both for that stream.
#   It is read on the backend (or listen) side, so that is where it is
#   checked, against the backend's `timeout server` and the `timeout
#   client` of every frontend that routes to it; a console whose timeouts
#   are all at least 10 minutes (or infinite) is left alone.
# custom:
#   id: OSC-HAP-009
#   severity: medium
#   fix: safe
#   remedy: |
#     Add `timeout tunnel 1h` (kolla's value) to the console backend or listen
#     section of nova-novncproxy (6080), nova-spicehtml5proxy (6082) and
#     nova-serialproxy (6083). Reload haproxy.
#   references:
#     - https://docs.haproxy.org/2.6/configuration.html#4-timeout%20tunnel
#     - openstack/kolla-ansible ansible/roles/nova-cell/tasks/loadbalancer.yml (timeout tunnel 1h)
#     - openstack/openstack-ansible inventory/group_vars/nova_all/haproxy_service.yml (60m console timeouts)
package oscfg.rules.hap_009

import data.oscfg.lib
import data.oscfg.lib.internal.haproxy

_ten_min := 600000

# The client-side timeouts that bound a console stream: a listen's own, or
# those of the frontends on the same host that route to this backend.
_client_sides(h, px) := [["this listen", px, px.timeouts.client] |
	px.timeouts.client
] if px.type == "listen"

_client_sides(h, px) := [[sprintf("frontend %q", [fe.name]), fe, fe.timeouts.client] |
	some fe in input.hosts[h].haproxy.proxies
	fe.type == "frontend"
	_routes(fe, px.name)
	fe.timeouts.client
] if px.type == "backend"

_routes(fe, name) if fe.default_backend == name

_routes(fe, name) if name in fe.use_backends

# The finite timeouts under 10 minutes that would cut an idle console.
_short(h, px) := array.concat(
	[{"host": h, "file": t.file, "line": t.line, "note": sprintf("timeout client %s (%s)", [t.raw, where])} |
		some [where, _, t] in _client_sides(h, px)
		ms := haproxy.finite_ms(t)
		ms < _ten_min
	],
	[{"host": h, "file": t.file, "line": t.line, "note": sprintf("timeout server %s", [t.raw])} |
		t := px.timeouts.server
		ms := haproxy.finite_ms(t)
		ms < _ten_min
	],
)

deny contains f if {
	some [h, name, px] in lib.proxies
	lib.server_side(px)
	px.role == "console"
	not px.timeouts.tunnel
	short := _short(h, px)
	count(short) > 0
	f := {
		"host": h, "file": px.file, "line": px.line,
		"key": sprintf("%s/timeout tunnel", [name]),
		"message": sprintf("console proxy %q (%s) has no timeout tunnel, so an idle console session is cut after %s; add timeout tunnel 1h", [name, lib.proxy_service(px), concat(" / ", [r.note | some r in short])]),
		"related": short,
		"fix": {"op": "haproxy_set", "host": h, "file": px.file, "section": px.name, "keyword": "timeout tunnel", "args": ["1h"]},
	}
}
