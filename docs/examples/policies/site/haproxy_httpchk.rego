# METADATA
# title: API backend without an HTTP health check (option httpchk)
# description: |
#   Without option httpchk haproxy checks an API server only by opening a TCP
#   connection to it. An API worker that is wedged, out of database
#   connections or answering every request with 500 still accepts
#   connections, so haproxy keeps sending it its share of the traffic and
#   every few requests fail. Site standard: every API backend with servers
#   checks them over HTTP.
# custom:
#   id: SITE-HAP-001
#   severity: medium
#   fix: unsafe
#   remedy: |
#     Add "option httpchk GET /" to the backend (or the service's health URL,
#     such as /healthcheck where oslo.middleware's healthcheck is enabled),
#     check that every server answers it with 2xx or 3xx, then reload
#     haproxy. The fix is unsafe: a check URL that answers 4xx takes every
#     server out of rotation.
#   references:
#     - https://docs.haproxy.org/2.8/configuration.html#4.2-option%20httpchk
#     - https://docs.openstack.org/oslo.middleware/latest/reference/healthcheck_plugins.html
package oscfg.user.haproxy_httpchk

import data.oscfg.lib

deny contains f if {
	some [h, _, px] in lib.proxies
	px.role == "api"
	lib.server_side(px)
	count(px.servers) > 0
	not lib.option_on(px, "httpchk")
	f := {
		"host": h,
		"file": px.file,
		"line": px.line,
		"key": sprintf("%s/httpchk", [px.name]),
		"message": sprintf("%s %q (%s) has no option httpchk: haproxy only checks that its %d server(s) accept TCP connections, so a hung or failing API worker keeps getting requests; add option httpchk GET /", [px.type, px.name, px.service, count(px.servers)]),
		"fix": {
			"op": "haproxy_set", "host": h, "file": px.file,
			"section": px.name, "keyword": "option httpchk", "args": ["GET", "/"],
		},
	}
}
