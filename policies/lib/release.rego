# METADATA
# title: oscfg helper library
# description: Shared helpers for oscfg rules (releases, units, oslo options, haproxy, cron).
package oscfg.lib

# Ordering of OpenStack releases; matches model.ReleaseIndex (liberty = 12 = nova 12).
release_index := {
	"essex": 5, "folsom": 6, "grizzly": 7, "havana": 8, "icehouse": 9, "juno": 10,
	"kilo": 11, "liberty": 12, "mitaka": 13, "newton": 14, "ocata": 15, "pike": 16,
	"queens": 17, "rocky": 18, "stein": 19, "train": 20, "ussuri": 21, "victoria": 22,
	"wallaby": 23, "xena": 24, "yoga": 25, "zed": 26, "2023.1": 27, "2023.2": 28,
	"2024.1": 29, "2024.2": 30, "2025.1": 31, "2025.2": 32, "2026.1": 33,
}

# release_at_least(name) holds when the assumed release is name or newer.
release_at_least(name) if input.release.index >= release_index[name]

# release_before(name) holds when the assumed release is older than name.
release_before(name) if input.release.index < release_index[name]

# A short phrase naming the release a finding assumed, for messages.
release_note := sprintf("release %s (%s)", [input.release.name, input.release.source])
