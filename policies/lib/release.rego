# METADATA
# title: oscfg helper library
# description: Shared helpers for oscfg rules (releases, units, oslo options, haproxy, cron).
package oscfg.lib

# release_index (release_table.rego) is generated from model/release.go.

# release_at_least(name) holds when the assumed release is name or newer.
release_at_least(name) if input.release.index >= release_index[name]

# release_before(name) holds when the assumed release is older than name.
release_before(name) if input.release.index < release_index[name]

# A short phrase naming the release a finding assumed, for messages.
release_note := sprintf("release %s (%s)", [input.release.name, input.release.source])

# host_release(h): the release assumed for host h (input.topology, per
# host), else the fleet's.
host_release(h) := r if {
	r := input.topology.hosts[h].release
	r.index
} else := input.release

# host_release_note(h): release_note for one host.
host_release_note(h) := sprintf("release %s (%s)", [r.name, object.get(r, "source", "")]) if {
	r := host_release(h)
}
