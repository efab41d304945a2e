package oscfg.lib_test

import data.oscfg.lib

test_hap_service_agreeing_name if {
	lib.hap_service({"service": "glance-api", "service_by": "port", "service_port": 9292}) == "glance-api"
}

test_hap_service_port_beats_name if {
	px := {"service": "glance-registry", "service_by": "port", "service_port": 9191, "name_service": "glance-api"}
	lib.hap_service(px) == "glance-registry by port 9191, though its name says glance-api"
}

test_hap_service_from_backend if {
	px := {"service": "glance-api", "service_by": "backend", "service_backend": "glance_be", "name_service": "nova-api"}
	lib.hap_service(px) == "glance-api from its backend glance_be, though its name says nova-api"
}

test_hap_service_hand_built if {
	# tests that build proxies by hand give only service
	lib.hap_service({"service": "nova-api"}) == "nova-api"
}
