# METADATA
# title: HTTP keep-alive idle-close race with client connection reuse
# description: |
#   python-requests/urllib3 pools inside nova and the other services keep idle
#   HTTP connections and reuse them. haproxy closes an idle client-side
#   keep-alive connection silently when its idle limit expires: the first of
#   `timeout client` and `timeout http-keep-alive` (else `timeout
#   http-request`) to expire. A request sent at that instant dies with
#   "Connection reset by peer" or RemoteDisconnected, and nova fails the
#   whole server action (a migration, a port binding): nova bug 1866937.
#   Nova's fix is client retries, `[neutron] http_retries` (Ussuri on),
#   `[cinder] http_retries`, `[glance] num_retries`; openstack-ansible's is
#   `option httpclose` on the API frontends. Fires for HTTP-mode API
#   frontends and listens without `option httpclose` of their own or from
#   defaults: on haproxy 2.x `option httpclose` on the backend closes the
#   server side only and the client keeps its keep-alive connection (the
#   manual still says either side enables it; src/mux_h1.c
#   h1_set_cli_conn_mode reads the frontend's option only), and
#   `http-server-close` keeps the client side alive too. Shown against
#   haproxy 2.6.12 by oscfg's policies/haproxy_behaviour_test.go:
#   TestHAProxyHttpcloseSides (backend-only httpclose keeps the client
#   connection, frontend httpclose closes it) and
#   TestHAProxyKeepAliveIdleIsTheSmaller (the idle limit is the smaller
#   timeout). High when, on any nova host, the nova retry that covers the
#   service behind this proxy is off: neutron-server with `[neutron]
#   http_retries = 0` or a release before Ussuri (no such option),
#   cinder-api with `[cinder] http_retries = 0`, glance-api with `[glance]
#   num_retries = 0`; each proxy is matched with its own service's retry
#   option, since a neutron retry does not protect cinder calls. Info
#   otherwise, with the effective idle limit.
# custom:
#   id: OSC-HAP-003
#   severity: high
#   severities:
#     info: "no nova.conf loaded has the service's retry option off (callers that retry are fine)"
#   fix: manual
#   remedy: |
#     Either keep nova's client retries on (`[neutron] http_retries = 3`,
#     `[cinder] http_retries = 3`, `[glance] num_retries = 3`, the upstream
#     defaults; see OSC-NOVA-002; needs Ussuri for neutron), or put
#     `option httpclose` on the internal API frontends, not only their backends (openstack-ansible's
#     default since 2019), at the cost of a handshake per request. Do not rely
#     on a longer `timeout http-keep-alive` alone: any finite idle timeout races.
#   references:
#     - https://bugs.launchpad.net/nova/+bug/1866937
#     - openstack/nova commit 0e34ed9733 (neutron http_retries, 21.0.0 Ussuri)
#     - https://bugs.launchpad.net/devstack/+bug/1630664
#     - openstack/openstack-ansible-haproxy_server commit e911f3f (haproxy_keepalive_mode httpclose)
#     - https://docs.haproxy.org/2.6/configuration.html#4-timeout%20http-keep-alive
#     - https://docs.haproxy.org/2.6/configuration.html#4-option%20httpclose
#     - haproxy/haproxy src/mux_h1.c (2.6, h1_set_cli_conn_mode and h1_refresh_timeout)
package oscfg.rules.hap_003

import data.oscfg.lib
import data.oscfg.lib.internal.haproxy

# option forceclose is httpclose's pre-1.9 name.
_closes(px) if lib.option_on(px, "httpclose")

_closes(px) if lib.option_on(px, "forceclose")

# Only the frontend's (or listen's) own option closes the client side: on
# haproxy 2.x httpclose on the backend closes the server side only
# (src/mux_h1.c h1_set_cli_conn_mode reads the frontend's options; shown on
# 2.6.12 by TestHAProxyHttpcloseSides), although configuration.txt still
# says either side enables it.
_closed(h, px) if _closes(px)

# Backends of a frontend that close their server side only.
_backend_note(h, px) := sprintf("; option httpclose on its backend %s closes the server side only", [concat(", ", sort(names))]) if {
	px.type == "frontend"
	names := [b.name | some [_, b] in haproxy.backends(h, px); _closes(b)]
	count(names) > 0
} else := ""

# nova.conf retry option that covers calls to each service.
_retry := {
	"neutron-server": ["neutron", "http_retries"],
	"cinder-api": ["cinder", "http_retries"],
	"glance-api": ["glance", "num_retries"],
}

_off(f, group, key) if f.options[group][key].value == 0

# Before Ussuri nova has no [neutron] http_retries: no retry at all.
_off(f, "neutron", "http_retries") if f.options.neutron.http_retries.value == null

_off(f, "neutron", "http_retries") if f.options.neutron.http_retries.exists == false

_note(h, f, group, key) := sprintf("[%s] %s = 0: nova does not retry a reset connection", [group, key]) if {
	f.options[group][key].value == 0
} else := sprintf("[neutron] http_retries does not exist before ussuri (%s): nova does not retry a reset connection", [lib.host_release_note(h)])

_disabled_related(service) := [r |
	[group, key] := _retry[service]
	some [h, p, f] in haproxy.nova_files
	_off(f, group, key)
	r := {"host": h, "file": p, "line": lib.opt_line(f, group, key), "note": _note(h, f, group, key)}
]

_idle(px) := sprintf("timeout %s %s", [n, lib.human_ms(t.ms)]) if {
	[n, t] := haproxy.keepalive_idle(px)
} else := "no idle timeout (connections are closed only by the client)"

_candidates contains [h, name, px] if {
	some [h, name, px] in lib.proxies
	lib.client_side(px)
	px.role == "api"
	px.mode.value == "http"
	not _closed(h, px)
}

deny contains f if {
	some [h, name, px] in _candidates
	related := _disabled_related(px.service)
	count(related) > 0
	[group, key] := _retry[px.service]
	f := {
		"host": h, "file": px.file, "line": px.line,
		"key": sprintf("%s/httpclose", [name]),
		"message": sprintf("HTTP API %s %q (%s) keeps idle client connections open (no option httpclose%s; idle close after %s) and nova's [%s] %s is off on %d nova.conf file(s): a request sent as haproxy closes the idle connection fails with a connection reset and nova fails the whole action (nova bug 1866937)", [px.type, name, lib.proxy_service(px), _backend_note(h, px), _idle(px), group, key, count(related)]),
		"related": related,
	}
}

deny contains f if {
	some [h, name, px] in _candidates
	count(_disabled_related(px.service)) == 0
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "info",
		"key": sprintf("%s/httpclose", [name]),
		"message": sprintf("HTTP API %s %q (%s) keeps idle client connections open (no option httpclose%s; idle close after %s): clients that reuse pooled connections must retry on a reset; keep nova's http_retries/num_retries on", [px.type, name, lib.proxy_service(px), _backend_note(h, px), _idle(px)]),
	}
}
