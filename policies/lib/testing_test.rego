package oscfg.testing

# with_topology(in): a hand-built test input with the input.topology that
# Go's topology.Compute gives for its hosts (oscfg_test.topology, a builtin
# only the Rego test runner has), as the loader adds it.
with_topology(doc) := object.union(doc, {"topology": oscfg_test.topology(doc)})
