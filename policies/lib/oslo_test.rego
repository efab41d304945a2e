package oscfg.lib_test

import data.oscfg.lib

_nova := oscfg.fleet({"ctl1:/etc/nova/nova.conf": concat("\n", [
	"[DEFAULT]",
	"debug = true",
	"",
	"[database]",
	"max_pool_size = 10",
	"max_overflow = lots",
	"",
])})

test_oslo_files if {
	{[h, p, f.service] | some [h, p, f] in lib.oslo_files} == {["ctl1", "/etc/nova/nova.conf", "nova"]} with input as _nova
}

test_opt_and_opt_line if {
	some [_, _, f] in lib.oslo_files with input as _nova
	lib.opt(f, "database", "max_pool_size").value == 10
	lib.opt_line(f, "database", "max_pool_size") == 5
	# unset: the section header, else line 1
	not lib.opt(f, "database", "connection").set
	lib.opt_line(f, "database", "connection") == 4
	lib.opt_line(f, "api_database", "connection") == 1
}

test_opt_int if {
	some [_, _, f] in lib.oslo_files with input as _nova
	lib.opt_int(lib.opt(f, "database", "max_pool_size")) == 10
	# the registry's default of an unset option
	lib.opt_int(lib.opt(f, "database", "max_retries")) == 10
	# a value the registry refuses as an integer
	not lib.opt_int(lib.opt(f, "database", "max_overflow"))
}
