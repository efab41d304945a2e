package oscfg.lib.internal.messaging

# RabbitMQ helpers of OSC-MQ-001/002: which oslo files talk to RabbitMQ,
# on which endpoints, and which haproxy binds reach them. Private to the
# built-in rules.

# rabbit(f): an oslo file whose service talks to RabbitMQ: a rabbit://
# transport_url, the legacy rabbit_* options, or an [oslo_messaging_rabbit]
# section with settings.
rabbit(f) if {
	f.kind == "oslo"
	startswith(lower(trim_space(f.sections.DEFAULT.keys.transport_url.value)), "rabbit://")
}

rabbit(f) if {
	f.kind == "oslo"
	count(f.sections.oslo_messaging_rabbit.keys) > 0
}

rabbit(f) if {
	f.kind == "oslo"
	lower(trim_space(f.sections.DEFAULT.keys.rpc_backend.value)) == "rabbit"
}

# rabbit_endpoints(f): the [host, port] pairs a file connects to
# RabbitMQ on (transport_url, else the legacy rabbit_hosts/rabbit_host).
rabbit_endpoints(f) := eps if {
	url := trim_space(f.sections.DEFAULT.keys.transport_url.value)
	startswith(lower(url), "rabbit://")
	eps := {ep |
		rest := split(split(substring(url, 9, -1), "/")[0], "?")[0]
		some item in split(rest, ",")
		hp := _after_at(trim_space(item))
		hp != ""
		ep := _hostport(hp)
	}
} else := _host_list(f.sections.oslo_messaging_rabbit.keys.rabbit_hosts.value) if {
	f.sections.oslo_messaging_rabbit.keys.rabbit_hosts
} else := _host_list(f.sections.DEFAULT.keys.rabbit_hosts.value) if {
	f.sections.DEFAULT.keys.rabbit_hosts
} else := set()

_host_list(hs) := {ep |
	some item in split(hs, ",")
	trim_space(item) != ""
	ep := _hostport(trim_space(item))
}

_after_at(s) := a if {
	parts := split(s, "@")
	a := parts[count(parts) - 1]
}

_hostport(s) := [lower(trim(m[1], "[]")), to_number(m[2])] if {
	m := regex.find_all_string_submatch_n(`^(\[[^\]]*\]|[^:]+):([0-9]+)$`, s, 1)[0]
} else := [lower(trim(s, "[]")), 5672]

# reaches(px, ep): an haproxy bind of the proxy listens on the endpoint
# (same port; same address or a wildcard bind).
reaches(px, ep) if {
	some b in px.binds
	b.port == ep[1]
	_addr_match(b.addr, ep[0])
}

_addr_match(a, _) if a in {"", "*", "0.0.0.0", "::", "[::]"}

_addr_match(a, host) if lower(a) == host
