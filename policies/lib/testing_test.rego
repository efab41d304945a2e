package oscfg.testing

# with_topology(in): a hand-built test input with the input.topology that
# Go's topology.Compute gives for its hosts (oscfg_test.topology, a builtin
# only the Rego test runner has), as the loader adds it.
with_topology(doc) := object.union(doc, {"topology": oscfg_test.topology(doc)})

# mixed_fleet(doc, releases): with_topology for a fleet mid-upgrade: each
# host named in releases ({host: release name}) runs that release, as the
# loader decides it per host; the others run doc's release.
mixed_fleet(doc, releases) := with_topology(object.union(doc, {"host_releases": releases}))

# one_cluster(doc, hosts): the hosts share one cluster of doc's topology.
one_cluster(doc, hosts) if count({doc.topology.hosts[h].cluster | some h in hosts}) == 1
