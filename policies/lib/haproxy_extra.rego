package oscfg.lib

# Helpers for the haproxy rules (OSC-HAP-002..006). Names carry a hap_
# prefix so they cannot collide with helpers other files add to oscfg.lib.

# hap_finite_ms(t) is the timeout in milliseconds when it is a valid, finite
# (non-zero) time; undefined when unset, 0 (eternity) or not a valid time.
hap_finite_ms(t) := t.ms if {
	is_number(t.ms)
	t.ms > 0
}

# hap_ms_or_zero(t): the timeout in ms with unset (pass null, e.g. from
# object.get(px.timeouts, "client", null)) and 0 both read as 0 (infinite);
# undefined only for a value that is not a valid time.
hap_ms_or_zero(t) := 0 if t == null

hap_ms_or_zero(t) := t.ms if is_number(t.ms)

# hap_keepalive_idle(px) is [name, timeout] of the timeout that closes an
# idle client-side keep-alive connection: the first to expire of `timeout
# client` and the keep-alive wait (`timeout http-keep-alive`, else `timeout
# http-request`), as haproxy 2.6's src/mux_h1.c h1_refresh_timeout takes
# the earlier of the connection timeout and the idle expiry (shown by
# policies/haproxy_behaviour_test.go TestHAProxyKeepAliveIdleIsTheSmaller).
# 0 or unset never fires. Undefined when none is finite.
hap_keepalive_idle(px) := ["client", c] if {
	c := px.timeouts.client
	hap_finite_ms(c)
	not _hap_ka_shorter(px, c.ms)
} else := [n, t] if {
	[n, t] := _hap_ka_wait(px)
	hap_finite_ms(t)
}

_hap_ka_wait(px) := ["http-keep-alive", t] if {
	t := px.timeouts["http-keep-alive"]
	hap_finite_ms(t)
} else := ["http-request", t] if {
	t := px.timeouts["http-request"]
}

_hap_ka_shorter(px, ms) if {
	[_, t] := _hap_ka_wait(px)
	hap_finite_ms(t) < ms
}

# hap_where(s) says whether a setting is the proxy's own or from defaults.
hap_where(s) := "inherited from defaults" if s.inherited

hap_where(s) := "set on the proxy" if not s.inherited

# hap_nova_files: every nova.conf (oslo file of service nova) as [host, path, file].
hap_nova_files contains [h, p, f] if {
	some [h, p, f] in oslo_files
	f.service == "nova"
}

# hap_service(px): the proxy's service for messages. Go classifies by
# ports first (docs/model.md); when the proxy's name says another service
# both are named, so a reader who trusts the name sees why the rule
# thinks otherwise.
hap_service(px) := sprintf("%s by port %d, though its name says %s", [px.service, px.service_port, px.name_service]) if {
	px.name_service
	px.service_by == "port"
} else := sprintf("%s from its backend %s, though its name says %s", [px.service, px.service_backend, px.name_service]) if {
	px.name_service
	px.service_by == "backend"
} else := px.service

# hap_tcp(px): TCP mode, haproxy's default when no mode is set.
hap_tcp(px) if px.mode.value == "tcp"

hap_tcp(px) if not px.mode

# hap_tunnel(px): the `timeout tunnel` that, in TCP mode, replaces timeout
# client and timeout server once the connection is established (haproxy
# configuration.txt "timeout tunnel"; src/stream.c takes the backend's
# value at connection establishment, and 0 means unset there, leaving
# client/server in force). Read on a listen or backend only: haproxy
# ignores it in a frontend ("no backend capability"). Shown on haproxy 2.6
# by policies/haproxy_behaviour_test.go TestHAProxyTunnelTimeoutKeepsIdleTCP.
hap_tunnel(px) := t if {
	px.type in {"listen", "backend"}
	hap_tcp(px)
	t := px.timeouts.tunnel
	hap_finite_ms(t)
}

# hap_backends(h, fe): [key, proxy] of the backends frontend fe of host h
# routes to (default_backend and use_backend).
hap_backends(h, fe) := {[k, b] |
	names := {n | n := fe.default_backend} | {n | some n in object.get(fe, "use_backends", [])}
	some k, b in input.hosts[h].haproxy.proxies
	b.type == "backend"
	b.name in names
}
