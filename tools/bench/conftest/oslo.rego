# Four INI rules for conftest, the baseline tools/bench/bench.sh times
# oscfg against: each is a simplified, single-file version of an oscfg
# rule (named in its message), over the INI files of the same fleet
# (nova.conf, keystone.conf, the MariaDB *.cnf). conftest parses each
# file alone (--parser ini), so none of them can compare hosts.
package main

_str(v) := lower(trim_space(sprintf("%v", [v])))

_num(v) := to_number(_str(v))

_sections := {"DEFAULT", "default"}

# OSC-MQ-002-like: debug logging left on in a service.
deny contains msg if {
	some s in _sections
	_str(input[s].debug) == "true"
	msg := "debug = true: debug logging floods the logs (like OSC-MQ-002)"
}

# OSC-DB-001/DB-002-like: a database connection without a recycle time
# below MariaDB's default wait_timeout.
deny contains msg if {
	some s in {"database", "api_database"}
	input[s].connection
	not _recycles(input[s])
	msg := sprintf("[%s] connection without connection_recycle_time <= 3600 (like OSC-DB-001)", [s])
}

_recycles(sec) if _num(sec.connection_recycle_time) <= 3600

# OSC-NOVA-001-like: boot from volume gives cinder too little time.
deny contains msg if {
	some s in _sections
	_num(input[s].block_device_allocate_retries) * _num(object.get(input[s], "block_device_allocate_retries_interval", 3)) < 600
	msg := "block_device_allocate_retries * interval < 600 s (like OSC-NOVA-001)"
}

# OSC-GAL-002-like: the DB server closes idle connections too early.
deny contains msg if {
	some s in {"mysqld", "galera", "server", "mariadb"}
	_num(input[s].wait_timeout) < 600
	msg := sprintf("[%s] wait_timeout below 600 s, shorter than the services' recycle time (like OSC-DB-001)", [s])
}
