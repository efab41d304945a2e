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

# host_release(h) is the release host h is judged by: its own, which the
# loader decides per host (package list, release file, options) and
# topology carries, else the fleet's (a fleet mid-upgrade has both).
host_release(h) := r if {
	r := input.topology.hosts[h].release
	r.name != ""
} else := input.release

# host_release_note(h): release_note for one host.
host_release_note(h) := sprintf("release %s (%s)", [r.name, object.get(r, "source", "")]) if {
	r := host_release(h)
}
