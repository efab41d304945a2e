package oscfg.lib.internal.haproxy

# haproxy timeout helpers of OSC-HAP-002..009 and OSC-MQ-001: finite
# times, keep-alive idle, tunnels, frontends' backends. Private to the
# built-in rules.

import data.oscfg.lib

# finite_ms(t) is the timeout in milliseconds when it is a valid, finite
# (non-zero) time; undefined when unset, 0 (eternity) or not a valid time.
finite_ms(t) := t.ms if {
	is_number(t.ms)
	t.ms > 0
}

# ms_or_zero(t): the timeout in ms with unset (pass null, e.g. from
# object.get(px.timeouts, "client", null)) and 0 both read as 0 (infinite);
# undefined only for a value that is not a valid time.
ms_or_zero(t) := 0 if t == null

ms_or_zero(t) := t.ms if is_number(t.ms)

# keepalive_idle(px) is [name, timeout] of the timeout that closes an
# idle client-side keep-alive connection: the first to expire of `timeout
# client` and the keep-alive wait (`timeout http-keep-alive`, else `timeout
# http-request`), as haproxy 2.6's src/mux_h1.c h1_refresh_timeout takes
# the earlier of the connection timeout and the idle expiry (shown by
# policies/haproxy_behaviour_test.go TestHAProxyKeepAliveIdleIsTheSmaller).
# 0 or unset never fires. Undefined when none is finite.
keepalive_idle(px) := ["client", c] if {
	c := px.timeouts.client
	finite_ms(c)
	not _ka_shorter(px, c.ms)
} else := [n, t] if {
	[n, t] := _ka_wait(px)
	finite_ms(t)
}

_ka_wait(px) := ["http-keep-alive", t] if {
	t := px.timeouts["http-keep-alive"]
	finite_ms(t)
} else := ["http-request", t] if {
	t := px.timeouts["http-request"]
}

_ka_shorter(px, ms) if {
	[_, t] := _ka_wait(px)
	finite_ms(t) < ms
}

# where(s) says whether a setting is the proxy's own or from defaults.
where(s) := "inherited from defaults" if s.inherited

where(s) := "set on the proxy" if not s.inherited

# nova_files: every nova.conf (oslo file of service nova) as [host, path, file].
nova_files contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "nova"
}

# tcp(px): TCP mode, haproxy's default when no mode is set.
tcp(px) if px.mode.value == "tcp"

tcp(px) if not px.mode

# tunnel(px): the `timeout tunnel` that, in TCP mode, replaces timeout
# client and timeout server once the connection is established (haproxy
# configuration.txt "timeout tunnel"; src/stream.c takes the backend's
# value at connection establishment, and 0 means unset there, leaving
# client/server in force). Read on a listen or backend only: haproxy
# ignores it in a frontend ("no backend capability"). Shown on haproxy 2.6
# by policies/haproxy_behaviour_test.go TestHAProxyTunnelTimeoutKeepsIdleTCP.
tunnel(px) := t if {
	px.type in {"listen", "backend"}
	tcp(px)
	t := px.timeouts.tunnel
	finite_ms(t)
}

# backends(h, fe): [key, proxy] of the backends frontend fe of host h
# routes to (default_backend and use_backend).
backends(h, fe) := {[k, b] |
	names := {n | n := fe.default_backend} | {n | some n in object.get(fe, "use_backends", [])}
	some k, b in input.hosts[h].haproxy.proxies
	b.type == "backend"
	b.name in names
}
