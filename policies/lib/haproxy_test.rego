package oscfg.lib_test

import data.oscfg.lib

test_proxy_service_agreeing_name if {
	lib.proxy_service({"service": "glance-api", "service_by": "port", "service_port": 9292}) == "glance-api"
}

test_proxy_service_port_beats_name if {
	px := {"service": "glance-registry", "service_by": "port", "service_port": 9191, "name_service": "glance-api"}
	lib.proxy_service(px) == "glance-registry by port 9191, though its name says glance-api"
}

test_proxy_service_from_backend if {
	px := {"service": "glance-api", "service_by": "backend", "service_backend": "glance_be", "name_service": "nova-api"}
	lib.proxy_service(px) == "glance-api from its backend glance_be, though its name says nova-api"
}

test_proxy_service_hand_built if {
	# tests that build proxies by hand give only service
	lib.proxy_service({"service": "nova-api"}) == "nova-api"
}

test_proxies_and_sides if {
	names := {[h, n] | some [h, n, _] in lib.proxies} with input as _fleet
	names == {["lb1", "keystone_public"], ["lb1", "galera"]}
	some [_, "galera", px] in lib.proxies with input as _fleet
	lib.client_side(px)
	lib.server_side(px)
	not lib.client_side({"type": "backend"})
	not lib.server_side({"type": "frontend"})
}

test_option_on if {
	some [_, "keystone_public", ks] in lib.proxies with input as _fleet
	lib.option_on(ks, "httpchk")
	some [_, "galera", db] in lib.proxies with input as _fleet
	not lib.option_on(db, "httpchk")
}

test_infinite if {
	lib.infinite(null)
	lib.infinite({"ms": 0})
	not lib.infinite({"ms": 1000})
	some [_, "galera", px] in lib.proxies with input as _fleet
	not lib.infinite(px.timeouts.client)
	lib.infinite(object.get(px.timeouts, "tunnel", null))
}

test_human_ms if {
	lib.human_ms(3600000) == "1h"
	lib.human_ms(90000) == "90s"
	lib.human_ms(120000) == "2m"
	lib.human_ms(1500) == "1500ms"
}
