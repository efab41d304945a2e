package oscfg.rules.db_004_test

import data.oscfg.rules.db_004
import data.oscfg.testing as t

_unset := {"value": null, "set": false, "line": 0, "key": "x"}

_conn(url, line) := {"value": url, "set": true, "line": line, "key": "connection"}

_nova(db, api) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "sections": {},
	"options": {
		"database": {"connection": db, "slave_connection": _unset},
		"api_database": {"connection": api, "slave_connection": _unset},
	},
}

_url(host) := sprintf("mysql+pymysql://nova:****@%s/nova?charset=utf8", [host])

# A load balancer with the DB listener: VIP 192.168.1.10, servers .21-.23.
_lb := {"name": "lb1", "files": {}, "haproxy": {"proxies": {"mariadb": {
	"name": "mariadb", "type": "listen", "role": "db", "file": "/etc/haproxy/haproxy.cfg", "line": 40,
	"binds": [{"addr": "192.168.1.10", "port": 3306, "line": 41, "file": "/etc/haproxy/haproxy.cfg"}],
	"servers": [
		{"name": "db1", "addr": "192.168.1.21", "port": 3306, "line": 42, "file": "/etc/haproxy/haproxy.cfg"},
		{"name": "db2", "addr": "192.168.1.22", "port": 3306, "line": 43, "file": "/etc/haproxy/haproxy.cfg"},
	],
}}}}

_db1 := {"name": "db1", "files": {}, "mysql": {"files": ["/etc/mysql/my.cnf"], "server": {
	"wsrep_node_address": {"value": "192.168.1.21:4567", "file": "/etc/mysql/conf.d/galera.cnf", "line": 8, "group": "galera"},
	"wsrep_cluster_address": {"value": "gcomm://192.168.1.21,192.168.1.22:4567,[fd00::23]?pc.wait_prim=no", "file": "/etc/mysql/conf.d/galera.cnf", "line": 7, "group": "galera"},
}}}

_in(ctls) := {"release": {"name": "zed", "index": 26}, "hosts": object.union(
	{"lb1": _lb, "db1": _db1},
	{h: {"name": h, "files": {"/etc/nova/nova.conf": n}} | some h, n in ctls},
)}

test_high_on_galera_node_address if {
	inp := _in({"ctl1": _nova(_conn(_url("192.168.1.22"), 20), _conn(_url("192.168.1.10"), 14))})
	fs := db_004.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "ctl1"
	f.line == 20
	f.severity == "high"
	f.key == "database/connection"
	contains(f.message, "192.168.1.22 is a Galera node")
	count(f.related) == 2
	some r in f.related
	r.line == 43
}

test_high_on_node_from_cluster_address_ipv6 if {
	inp := _in({"ctl1": _nova(_conn("mysql+pymysql://nova:****@[fd00::23]:3306/nova", 20), _unset)})
	some f in db_004.deny with input as t.with_topology(inp)
	f.severity == "high"
	some r in f.related
	r.line == 7
}

test_high_on_db_host_name if {
	inp := _in({"ctl1": _nova(_conn(_url("DB1"), 20), _unset)})
	some f in db_004.deny with input as t.with_topology(inp)
	f.severity == "high"
	contains(f.message, "db1 is a Galera node")
}

test_quiet_on_vip if {
	inp := _in({
		"ctl1": _nova(_conn(_url("192.168.1.10"), 20), _conn(_url("192.168.1.10"), 14)),
		"ctl2": _nova(_conn(_url("192.168.1.10:3306"), 20), _conn(_url("192.168.1.10"), 14)),
	})
	count(db_004.deny) == 0 with input as t.with_topology(inp)
}

test_high_when_controllers_differ if {
	inp := _in({
		"ctl1": _nova(_conn(_url("192.168.1.10"), 20), _unset),
		"ctl2": _nova(_conn(_url("192.168.1.50"), 21), _unset),
	})
	fs := db_004.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.severity == "high"
	contains(f.message, "different DB hosts for it (192.168.1.10, 192.168.1.50)")
	f.host == "ctl2"
	count(f.related) == 1
	f.related[0].host == "ctl1"
	f.related[0].line == 20
}

test_all_reported_without_known_vip if {
	inp := json.patch(
		_in({
			"ctl1": _nova(_conn(_url("192.168.1.40"), 20), _unset),
			"ctl2": _nova(_conn(_url("192.168.1.50"), 21), _unset),
		}),
		[{"op": "remove", "path": "/hosts/lb1"}],
	)
	fs := db_004.deny with input as t.with_topology(inp)
	count(fs) == 2
	every f in fs {
		f.severity == "high"
	}
}

test_medium_when_names_differ if {
	inp := _in({
		"ctl1": _nova(_conn(_url("192.168.1.10"), 20), _unset),
		"ctl2": _nova(_conn(_url("db-vip.example.org"), 21), _unset),
	})
	fs := db_004.deny with input as t.with_topology(inp)
	count(fs) == 1
	some f in fs
	f.host == "ctl2"
	f.severity == "medium"
}

test_medium_on_localhost_multi_controller if {
	inp := _in({
		"ctl1": _nova(_conn(_url("localhost"), 20), _unset),
		"ctl2": _nova(_conn("mysql+pymysql://nova:****@/nova?unix_socket=/run/mysqld/mysqld.sock", 20), _unset),
	})
	fs := db_004.deny with input as t.with_topology(inp)
	count(fs) == 2
	every f in fs {
		f.severity == "medium"
		contains(f.message, "while 2 hosts run nova")
	}
	some f in fs
	contains(f.message, "connection host a socket")
}

test_quiet_on_localhost_single_host if {
	count(db_004.deny) == 0 with input as t.with_topology(_in({"ctl1": _nova(_conn(_url("127.0.0.1"), 20), _unset)}))
}

test_quiet_on_localhost_behind_local_listener if {
	local := {"mariadb": {
		"name": "mariadb", "type": "listen", "role": "db", "file": "/etc/haproxy/haproxy.cfg", "line": 1,
		"binds": [{"addr": "127.0.0.1", "port": 3306, "line": 2, "file": "/etc/haproxy/haproxy.cfg"}], "servers": [],
	}}
	inp := _in({"ctl1": _nova(_conn(_url("localhost"), 20), _unset), "ctl2": _nova(_conn(_url("localhost"), 20), _unset)})
	inp2 := json.patch(inp, [
		{"op": "add", "path": "/hosts/ctl1/haproxy", "value": {"proxies": local}},
		{"op": "add", "path": "/hosts/ctl2/haproxy", "value": {"proxies": local}},
	])
	count(db_004.deny) == 0 with input as t.with_topology(inp2)
}

test_slave_connection_checked if {
	n := json.patch(_nova(_conn(_url("192.168.1.10"), 20), _unset), [{"op": "replace", "path": "/options/database/slave_connection", "value": {"value": _url("192.168.1.21"), "set": true, "line": 22, "key": "slave_connection"}}])
	some f in db_004.deny with input as t.with_topology(_in({"ctl1": n}))
	f.key == "database/slave_connection"
	f.line == 22
}

test_sqlite_ignored if {
	count(db_004.deny) == 0 with input as t.with_topology(_in({"ctl1": _nova(_conn("sqlite:////var/lib/nova/nova.sqlite", 20), _unset)}))
}
