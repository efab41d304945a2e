package oscfg.lib_test

import data.oscfg.lib

# One small deployment as real text (oscfg.fleet): a load balancer with a
# keystone API and a single-writer Galera listener, two Galera nodes, a
# controller whose nova.conf reaches the DB through the VIP and whose
# keystone federates, a compute node, and a second controller whose
# token_flush runs in its CRON_TZ with a random delay.
_fleet := oscfg.fleet({
	"lb1:/etc/haproxy/haproxy.cfg": concat("\n", [
		"defaults",
		"    mode http",
		"    timeout client 1m",
		"    timeout server 1m",
		"    timeout connect 5s",
		"",
		"listen keystone_public",
		"    bind 10.0.0.10:5000",
		"    option httpchk",
		"    server ctl1 10.0.0.11:5000 check",
		"",
		"listen galera",
		"    bind 10.0.0.10:3306",
		"    mode tcp",
		"    timeout client 1h",
		"    timeout server 1h",
		"    server db1 10.0.0.21:3306 check",
		"    server db2 10.0.0.22:3306 check backup",
		"",
	]),
	"db1:/etc/mysql/conf.d/galera.cnf": _galera("10.0.0.21"),
	"db2:/etc/mysql/conf.d/galera.cnf": _galera("10.0.0.22"),
	"ctl1:/etc/nova/nova.conf": concat("\n", [
		"[DEFAULT]",
		"my_ip = 10.0.0.11",
		"[database]",
		"connection = mysql+pymysql://nova:secret@10.0.0.10/nova",
		"max_pool_size = 10",
		"",
	]),
	"ctl1:/etc/keystone/keystone.conf": "[auth]\nmethods = password,token,openid\n",
	"ctl1:/etc/cron.d/keystone": "15 * * * * keystone keystone-manage token_flush\n",
	"ctl2:/etc/cron.d/keystone": "CRON_TZ=Europe/Berlin\n15 * * * * keystone sleep $((RANDOM % 600)); keystone-manage token_flush\n",
	"cmp1:/etc/nova/nova.conf": "[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n[libvirt]\nvirt_type = kvm\n",
})

_galera(addr) := concat("\n", [
	"[mysqld]",
	"wsrep_on = ON",
	"wsrep_provider = /usr/lib/galera/libgalera_smm.so",
	"wsrep_cluster_address = gcomm://10.0.0.21,10.0.0.22",
	sprintf("bind-address = %s", [addr]),
	sprintf("wsrep_node_address = %s", [addr]),
	"",
])

# With nothing shared but the VIP, the hosts are one cluster named after it.
_c := "10.0.0.10"

test_clusters_and_cluster_of if {
	lib.clusters == {_c} with input as _fleet
	every h in ["lb1", "db1", "db2", "ctl1", "ctl2", "cmp1"] {
		lib.cluster_of(h) == _c with input as _fleet
	}
}

test_roles if {
	lib.has_role("ctl1", "controller") with input as _fleet
	lib.has_role("lb1", "lb") with input as _fleet
	not lib.has_role("cmp1", "controller") with input as _fleet
	lib.compute_only("cmp1") with input as _fleet
	not lib.compute_only("ctl1") with input as _fleet
	lib.cluster_role(_c, "compute") == {"cmp1"} with input as _fleet
	lib.cluster_role(_c, "db") == {"db1", "db2"} with input as _fleet
}

test_db_and_galera_hosts if {
	lib.db_hosts == {"db1", "db2"} with input as _fleet
	lib.gal_nodes == {"db1", "db2"} with input as _fleet
	lib.cluster_db_hosts(_c) == {"db1", "db2"} with input as _fleet
	lib.cluster_galera(_c) == {"db1", "db2"} with input as _fleet
}

test_file_facts if {
	lib.file_role("cmp1", "/etc/nova/nova.conf") == "compute" with input as _fleet
	lib.file_role("ctl1", "/etc/keystone/keystone.conf") == "node" with input as _fleet
	lib.hypervisor("cmp1", "/etc/nova/nova.conf") with input as _fleet
	not lib.hypervisor("ctl1", "/etc/nova/nova.conf") with input as _fleet
	lib.db_access("ctl1", "/etc/nova/nova.conf") with input as _fleet
	not lib.db_access("cmp1", "/etc/nova/nova.conf") with input as _fleet
}

test_db_path_through_the_listener if {
	p := lib.db_path("ctl1", "/etc/nova/nova.conf", "database") with input as _fleet
	p.via == "listener"
	p.endpoint == "10.0.0.10"
	p.port == 3306
	p.listeners == ["10.0.0.10:3306"]
	p.nodes == ["db1", "db2"]
	l := lib.db_listener(_c, "10.0.0.10:3306") with input as _fleet
	[s.name | some s in l.servers; s.backup] == ["db2"]
	[c.host | some c in l.clients] == ["ctl1"]
	lib.listener_keys("lb1", "galera") == ["10.0.0.10:3306"] with input as _fleet
}

test_keystone_federation if {
	[[x.host, x.line, x.why] | some x in lib.keystone_federation(_c)] == [["ctl1", 2, "[auth] methods includes openid"]] with input as _fleet
}

test_keystone_federation_empty_without if {
	f := oscfg.fleet({"ctl1:/etc/keystone/keystone.conf": "[auth]\nmethods = password,token\n"})
	c := lib.cluster_of("ctl1") with input as f
	lib.keystone_federation(c) == [] with input as f
}

test_host_names_are_short if {
	lib.host_names({"ctl2", "ctl1"}) == "ctl1, ctl2"
	hs := {sprintf("h%02d", [i]) | some i in numbers.range(1, 12)}
	startswith(lib.host_names(hs), "h01, h02, ")
	endswith(lib.host_names(hs), " more")
}
