package oscfg.lib

# Fleet facts computed once in Go (package topology, input.topology in
# docs/model.md): clusters, roles, DB connection paths. Rules read them
# here and never derive roles or clusters themselves. Every cross-host
# comparison stays inside one cluster, so evaluating each cluster's hosts
# alone gives the same findings as evaluating the whole fleet.

# cluster_of(h): the cluster host h belongs to.
cluster_of(h) := input.topology.hosts[h].cluster

# clusters: every cluster name.
clusters contains c if some c, _ in input.topology.clusters

# has_role(h, role): host h has the role (controller, compute, db, lb).
has_role(h, role) if role in input.topology.hosts[h].roles

# compute_only(h): a host running nova-compute and no controller service.
compute_only(h) if {
	has_role(h, "compute")
	not has_role(h, "controller")
}

# file_role(h, p): the role of an oslo file: "compute", "controller" or
# "node" (nova.conf only; every other service's file is "node").
file_role(h, p) := input.topology.hosts[h].files[p].role

# hypervisor(h, p): a nova.conf that configures a compute driver.
hypervisor(h, p) if input.topology.hosts[h].files[p].hypervisor

# db_access(h, p): the file sets [database] or [api_database] connection.
db_access(h, p) if input.topology.hosts[h].files[p].db_access

# db_hosts: hosts with MariaDB server options; gal_nodes: those that load
# a Galera provider.
db_hosts contains h if {
	some h, th in input.topology.hosts
	"db" in th.roles
}

gal_nodes contains h if {
	some h, th in input.topology.hosts
	th.galera
}

# cluster_db_hosts(c), cluster_galera(c), cluster_role(c, role): hosts of
# cluster c.
cluster_db_hosts(c) := {h | some h in input.topology.clusters[c].roles.db}

cluster_galera(c) := {h | some h in input.topology.clusters[c].galera}

cluster_role(c, role) := {h | some h in input.topology.clusters[c].roles[role]}

# db_path(h, p, g): where [g] connection of file p on host h goes:
# {endpoint, port, via, listeners: [key], nodes: [host]} (docs/model.md).
db_path(h, p, g) := input.topology.hosts[h].db_paths[p][g]

# db_listener(c, key): a DB listener group of cluster c (every proxy bound
# on one address and port, its servers, DB nodes and clients).
db_listener(c, key) := input.topology.clusters[c].db_listeners[key]

# listener_keys(h, proxy): the listener groups host h's proxy belongs to.
listener_keys(h, proxy) := input.topology.hosts[h].db_listeners[proxy]

# host_names(hs): a set of host names for a message, short however many
# share a fact: "ctl1, ctl2, ctl3" or "ctl1, ctl2, ctl3 and 97 more"
# (related lists every location).
host_names(hs) := concat(", ", s) if {
	s := sort(hs)
	count(s) <= 3
} else := sprintf("%s and %d more", [concat(", ", array.slice(sort(hs), 0, 3)), count(hs) - 3])
# keystone_federation(c): the keystone.conf settings of cluster c that
# enable identity federation, [{host, file, line, why}] (empty when none).
keystone_federation(c) := object.get(input.topology.clusters[c], "keystone_federation", [])
