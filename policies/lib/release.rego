# METADATA
# title: oscfg helper library
# description: Shared helpers for oscfg rules (releases, units, oslo options, haproxy, cron).
package oscfg.lib

# release_index (release_table.rego) is generated from model/release.go.

# Every rule judges a host by the release of that host: host_release(h),
# host_release_at_least(h, name), host_release_before(h, name) and
# host_release_note(h). A fleet mid-upgrade has hosts of several releases,
# and each is judged by its own. The helpers below them read the fleet's
# one release (the oldest of the hosts'); a rule that calls one must say
# why with a `# fleet-wide: <why>` comment where it does
# (policies/fleetwide_test.go checks it).

# host_release(h) is the release host h is judged by: its own, which the
# loader decides per host (flag, package list, release file, options) and
# topology hands in with its evidence (input.topology.hosts[h].release:
# name, index, source, reason).
host_release(h) := r if {
	r := input.topology.hosts[h].release
	r.name != ""
} else := r if {
	# fleet-wide: a document without input.topology (a hand-built test
	# input) carries one release only, which is then every host's.
	not input.topology.hosts[h]
	r := input.release
}

# host_release_at_least(h, name): host h runs release name or newer.
host_release_at_least(h, name) if host_release(h).index >= release_index[name]

# host_release_before(h, name): host h runs a release older than name.
host_release_before(h, name) if host_release(h).index < release_index[name]

# host_release_is(h, name): host h runs exactly release name.
host_release_is(h, name) if host_release(h).index == release_index[name]

# host_release_note(h): a short phrase naming the release a finding about
# host h assumed, for messages: "release ussuri (packages)".
host_release_note(h) := sprintf("release %s (%s)", [r.name, object.get(r, "source", "")]) if {
	r := host_release(h)
}

# fleet-wide: release_at_least(name) holds when the fleet's release (the
# oldest of its hosts') is name or newer. For facts of the whole run only;
# a rule about one host uses host_release_at_least.
release_at_least(name) if input.release.index >= release_index[name]

# fleet-wide: release_before(name) holds when the fleet's release is older
# than name; a rule about one host uses host_release_before.
release_before(name) if input.release.index < release_index[name]

# fleet-wide: release_note names the fleet's release, for messages about
# the whole run; a finding about one host uses host_release_note(h).
release_note := sprintf("release %s (%s)", [input.release.name, input.release.source])
