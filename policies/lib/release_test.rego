package oscfg.lib_test

import data.oscfg.lib

# A fleet mid-upgrade: each host is judged by its own release, the
# fleet-wide helpers by the fleet's (the oldest).
_upgrading := {
	"release": {"name": "victoria", "index": lib.release_index.victoria, "source": "oldest host"},
	"topology": {"hosts": {
		"ctl1": {"release": {"name": "victoria", "index": lib.release_index.victoria, "source": "packages"}},
		"ctl2": {"release": {"name": "zed", "index": lib.release_index.zed, "source": "release file"}},
	}},
}

test_release_index_in_order if {
	lib.release_index.essex < lib.release_index.pike
	lib.release_index.pike < lib.release_index.zed
	lib.release_index.zed == 26
}

test_host_release if {
	lib.host_release("ctl2").name == "zed" with input as _upgrading
	lib.host_release_at_least("ctl2", "zed") with input as _upgrading
	not lib.host_release_at_least("ctl1", "zed") with input as _upgrading
	lib.host_release_before("ctl1", "wallaby") with input as _upgrading
	not lib.host_release_before("ctl2", "wallaby") with input as _upgrading
	lib.host_release_is("ctl1", "victoria") with input as _upgrading
	lib.host_release_note("ctl2") == "release zed (release file)" with input as _upgrading
}

test_host_release_without_topology if {
	# a hand-built input with one release: every host's
	i := {"release": {"name": "rocky", "index": lib.release_index.rocky, "source": "flag"}}
	lib.host_release("any").name == "rocky" with input as i
}

test_fleet_release if {
	lib.release_at_least("victoria") with input as _upgrading
	not lib.release_at_least("zed") with input as _upgrading
	lib.release_before("zed") with input as _upgrading
	lib.release_note == "release victoria (oldest host)" with input as _upgrading
}
