# METADATA
# title: API frontend/backend timeouts too short, missing, or mismatched
# description: |
#   Some OpenStack API calls legitimately take tens of seconds: neutron port
#   updates with large security groups, the nova to neutron port binding during
#   a live migration, cinder volume creates, keystone under load, and glance
#   streams whole images. When haproxy's `timeout server` is shorter than the
#   slowest legitimate call, the caller gets a 504 (in TCP mode: the
#   connection closed with no answer) while the backend finishes the work,
#   and the caller's state is left half-changed: the "120 s timeout, live
#   migration stuck" pattern. The same happens when nova.conf raises
#   `[neutron] timeout` or `[cinder] timeout` above the matching backend's
#   `timeout server`: the load balancer gives up before nova does.
#   `timeout client` does not cut a call while the server is working, in
#   HTTP or TCP mode: it fires while haproxy waits for the client, so it
#   cuts a client that stops reading a response (a glance image download
#   written to a slow disk is truncated) and bounds idle keep-alive
#   connections (OSC-HAP-003). Each claim is shown against haproxy 2.6.12 by
#   oscfg's policies/haproxy_behaviour_test.go: TestHAProxyServerTimeoutGives504,
#   TestHAProxyClientTimeoutSparesWorkingServer,
#   TestHAProxyTCPModeSlowCallCutByServerTimeoutOnly and
#   TestHAProxyClientTimeoutCutsStalledDownload.
#   Tiers: `timeout server` under 30 s high, under 1 m (kolla's floor; OSA's
#   50s included) medium, glance-api under 1 h medium, shorter than nova's
#   caller timeout for neutron-server or cinder-api medium; `timeout client`
#   under the floor low (glance-api: medium); no timeout at all (haproxy
#   warns at start-up) low; a TCP-mode listen whose client and server
#   timeouts differ low (the manual asks for equal values in TCP mode).
#   haproxy reads `timeout server` and `timeout tunnel` on the backend side
#   only and `timeout client` on the frontend side only: set in a frontend or
#   a backend of its own (not inherited from defaults) it is ignored with a
#   start-up warning (TestHAProxyIgnoresWrongSideTimeouts), reported as info.
#   Consoles are OSC-HAP-009's, MySQL listeners OSC-HAP-005's.
# custom:
#   id: OSC-HAP-002
#   severity: medium
#   severities:
#     high: "a timeout under 30 s"
#     low: "no timeout at all, or a TCP listen whose client and server timeouts differ"
#   fix: safe
#   remedy: |
#     Set `timeout client 1m` / `timeout server 1m` as the floor for API
#     proxies (kolla's defaults) and `6h` for glance-api, `timeout server` on
#     the backend or listen and `timeout client` on the frontend or listen. Where nova.conf sets
#     `[neutron] timeout` or `[cinder] timeout`, give the neutron-server or
#     cinder-api backend a `timeout server` at least that long. Keep client and
#     server equal on TCP-mode listeners. Reload haproxy.
#   references:
#     - https://docs.haproxy.org/2.6/configuration.html#4-timeout%20client
#     - https://docs.haproxy.org/2.6/configuration.html#4-timeout%20server
#     - haproxy/haproxy doc/configuration.txt (2.6, sections where each may be used; timeout client in defaults, frontend, listen; timeout server and timeout tunnel in defaults, listen, backend)
#     - openstack/kolla-ansible ansible/roles/loadbalancer/defaults/main.yml (haproxy_client_timeout 1m, haproxy_server_timeout 1m)
#     - openstack/kolla-ansible ansible/roles/glance/defaults/main.yml (haproxy_glance_api_client_timeout 6h)
#     - openstack/openstack-ansible-haproxy_server defaults/main.yml (haproxy_client_timeout 50s)
package oscfg.rules.hap_002

import data.oscfg.lib
import data.oscfg.lib.internal.haproxy

_glance(px) if px.service == "glance-api"

_floor_ms(px) := 3600000 if _glance(px)

_floor_ms(px) := 60000 if not _glance(px)

_floor_why(px) := ", too short for glance-api image transfers" if _glance(px)

_floor_why(px) := "" if not _glance(px)

_floor_raw(px) := "6h" if _glance(px)

_floor_raw(px) := "1m" if not _glance(px)

# The timeout each side of a proxy reads.
_applies(px, "client") if lib.client_side(px)

_applies(px, "server") if lib.server_side(px)

# nova.conf option group whose keystoneauth timeout bounds calls to a service.
_caller_group := {"neutron-server": "neutron", "cinder-api": "cinder"}

# Every positive [neutron] / [cinder] timeout of every nova.conf.
_nova_timeouts contains [group, h, p, f, t] if {
	some [h, p, f] in haproxy.nova_files
	some group in {"neutron", "cinder"}
	t := f.options[group].timeout.value
	is_number(t)
	t > 0
}

# _need_s(px): the longest nova timeout (seconds) for calls to px's service.
_need_s(px) := max(ts) if {
	group := _caller_group[px.service]
	ts := [t | some [g, _, _, _, t] in _nova_timeouts; g == group]
	count(ts) > 0
}

_too_short_nova(px, side, ms) if {
	side == "server"
	ms < _need_s(px) * 1000
}

_reasons(px, side, ms) := [r |
	some r in [
		_r_high(side, ms),
		_r_floor(px, side, ms),
		_r_nova(px, side, ms),
	]
	r != ""
]

_r_high(side, ms) := "under 30s" if {
	side == "server"
	ms < 30000
} else := ""

_r_floor(px, side, ms) := sprintf("under %s%s", [lib.human_ms(_floor_ms(px)), _floor_why(px)]) if {
	not _r_high(side, ms) == "under 30s"
	ms < _floor_ms(px)
} else := ""

_r_nova(px, side, ms) := sprintf("shorter than nova's [%s] timeout = %ds (haproxy gives up first)", [_caller_group[px.service], _need_s(px)]) if {
	_too_short_nova(px, side, ms)
} else := ""

# Server side: under 30 s high, else medium. Client side: it never cuts a
# call the server is working on, so low, except glance-api's medium
# (downloads that stall are truncated).
_severity(px, "server", ms) := "high" if {
	ms < 30000
} else := "medium"

_severity(px, "client", ms) := "medium" if {
	_glance(px)
} else := "low"

# What the timeout does to a caller.
_effect(px, "server") := "a call slower than that gets a 504 from haproxy while the backend keeps working, leaving the caller's state half-changed" if {
	px.mode.value == "http"
} else := "a call slower than that is cut with no response while the backend keeps working, leaving the caller's state half-changed"

_effect(px, "client") := "a client that stops reading a response for longer (an image download written to a slow disk) gets a truncated image; it does not cut a call while the server works (only timeout server does)" if {
	_glance(px)
} else := "a client that stops reading a response for longer is cut, and idle keep-alive connections close sooner; it does not cut a call while the server works (only timeout server does)"

# The value the fix sets: the floor, or nova's timeout when that is longer.
_target(px, side, ms) := sprintf("%ds", [_need_s(px)]) if {
	_too_short_nova(px, side, ms)
	_need_s(px) * 1000 > _floor_ms(px)
} else := _floor_raw(px)

_related(h, px, side, ms) := [r |
	side == "server"
	group := _caller_group[px.service]
	some [g, nh, p, f, t] in _nova_timeouts
	g == group
	t * 1000 > ms
	r := {
		"host": nh, "file": p, "line": lib.opt_line(f, group, "timeout"),
		"note": sprintf("[%s] timeout = %d: nova waits %ds for %s", [group, t, t, px.service]),
	}
]

# Too short: under 30 s, under the floor, or under nova's own timeout.
deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "api"
	some side in ["client", "server"]
	_applies(px, side)
	t := px.timeouts[side]
	ms := haproxy.finite_ms(t)
	reasons := _reasons(px, side, ms)
	count(reasons) > 0
	sev := _severity(px, side, ms)
	base := {
		"host": h, "file": t.file, "line": t.line,
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": sprintf("timeout %s %s on API proxy %q (%s, %s) is %s: %s; raise it to at least %s", [side, t.raw, name, lib.proxy_service(px), haproxy.where(t), concat("; ", reasons), _effect(px, side), _target(px, side, ms)]),
		"related": _related(h, px, side, ms),
		"fix": {"op": "haproxy_set", "host": h, "file": px.file, "section": px.name, "keyword": sprintf("timeout %s", [side]), "args": [_target(px, side, ms)]},
	}
	f := _with_severity(base, sev)
}

_with_severity(base, "medium") := base

_with_severity(base, sev) := object.union(base, {"severity": sev}) if sev != "medium"

# Missing (or 0): the side never times out.
_missing_at(px, t) := [t.file, t.line] if t != null

_missing_at(px, t) := [px.file, px.line] if t == null

deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "api"
	some side in ["client", "server"]
	_applies(px, side)
	t := object.get(px.timeouts, side, null)
	lib.infinite(t)
	[file, line] := _missing_at(px, t)
	f := {
		"host": h, "file": file, "line": line, "severity": "low",
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": sprintf("no finite timeout %s on API proxy %q (%s): idle or stuck connections are never reaped (haproxy warns about this at start-up); set timeout %s %s", [side, name, lib.proxy_service(px), side, _floor_raw(px)]),
	}
}

# TCP mode (haproxy's default mode) listen with unequal client and server timeouts.
_tcp(px) if px.mode.value == "tcp"

_tcp(px) if not px.mode

_timeout_line(px, side) := [t.file, t.line, sprintf("timeout %s %s", [side, t.raw])] if {
	t := px.timeouts[side]
} else := [px.file, px.line, sprintf("no timeout %s (infinite)", [side])]

_show(ms) := "infinite" if {
	ms == 0
} else := lib.human_ms(ms)

deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "api"
	px.type == "listen"
	_tcp(px)
	c := haproxy.ms_or_zero(object.get(px.timeouts, "client", null))
	s := haproxy.ms_or_zero(object.get(px.timeouts, "server", null))
	c != s
	related := [{"host": h, "file": file, "line": line, "note": note} |
		some side in ["client", "server"]
		[file, line, note] := _timeout_line(px, side)
	]
	f := {
		"host": h, "file": px.file, "line": px.line, "severity": "low",
		"key": sprintf("%s/timeout mismatch", [name]),
		"message": sprintf("TCP-mode listen %q (%s) has timeout client %s but timeout server %s: in TCP mode haproxy cannot tell which side is idle, keep them equal", [name, lib.proxy_service(px), _show(c), _show(s)]),
		"related": related,
	}
}

# A timeout set on the side haproxy does not read it on: timeout server and
# timeout tunnel in a frontend, timeout client in a backend. haproxy warns
# and ignores it, so the value the author meant is not in force. Inherited
# from defaults is how haproxy means them to be shared, so only a
# proxy's own line counts.
_ignored := {"frontend": {"server", "tunnel"}, "backend": {"client"}}

_instead := {
	"server": "the timeout server of the backend it routes to applies",
	"tunnel": "the timeout tunnel of the backend it routes to applies",
	"client": "the timeout client of the frontend in front of it applies",
}

deny contains f if {
	some [h, name, px] in lib.proxies
	px.role == "api"
	some side in _ignored[px.type]
	t := px.timeouts[side]
	not t.inherited
	f := {
		"host": h, "file": t.file, "line": t.line, "severity": "info",
		"key": sprintf("%s/timeout %s ignored", [name, side]),
		"message": sprintf("timeout %s %s in %s %q (%s) is ignored by haproxy, which warns at start-up that a %s has no %s capability: %s; move it there", [side, t.raw, px.type, name, lib.proxy_service(px), px.type, _other_side[px.type], _instead[side]]),
	}
}

_other_side := {"frontend": "backend", "backend": "frontend"}
