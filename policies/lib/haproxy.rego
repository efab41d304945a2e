package oscfg.lib

# proxies: every effective haproxy proxy as [host, name, proxy].
proxies contains [h, name, px] if {
	some h, name
	px := input.hosts[h].haproxy.proxies[name]
}

# Client-side and server-side proxies (timeout client is read on the
# frontend or listen side, timeout server on the backend or listen side).
client_side(px) if px.type in {"frontend", "listen"}

server_side(px) if px.type in {"backend", "listen"}

# infinite(t): a timeout that never fires: unset (null, as
# object.get(px.timeouts, "client", null) gives it) or 0 (haproxy's
# eternity).
infinite(t) if t == null

infinite(t) if t.ms == 0

# option_on(px, name) holds when an option is in effect for the proxy.
option_on(px, name) if px.options[name].enabled

# human_ms renders milliseconds the way haproxy configs write them.
human_ms(ms) := sprintf("%dh", [ms / 3600000]) if {
	ms >= 3600000
	ms % 3600000 == 0
} else := sprintf("%dm", [ms / 60000]) if {
	ms >= 60000
	ms % 60000 == 0
} else := sprintf("%ds", [ms / 1000]) if {
	ms >= 1000
	ms % 1000 == 0
} else := sprintf("%dms", [ms])

# proxy_service(px): the proxy's service for messages. Go classifies by
# ports first (docs/model.md); when the proxy's name says another service
# both are named, so a reader who trusts the name sees why the rule
# thinks otherwise.
proxy_service(px) := sprintf("%s by port %d, though its name says %s", [px.service, px.service_port, px.name_service]) if {
	px.name_service
	px.service_by == "port"
} else := sprintf("%s from its backend %s, though its name says %s", [px.service, px.service_backend, px.name_service]) if {
	px.name_service
	px.service_by == "backend"
} else := px.service
