# Generated from model/release.go by `go test ./policies -run TestReleaseTable -update`
# (make golden); do not edit.
package oscfg.lib

# Ordering of OpenStack releases (liberty = 12 = nova 12).
release_index := {
	"essex": 5,
	"folsom": 6,
	"grizzly": 7,
	"havana": 8,
	"icehouse": 9,
	"juno": 10,
	"kilo": 11,
	"liberty": 12,
	"mitaka": 13,
	"newton": 14,
	"ocata": 15,
	"pike": 16,
	"queens": 17,
	"rocky": 18,
	"stein": 19,
	"train": 20,
	"ussuri": 21,
	"victoria": 22,
	"wallaby": 23,
	"xena": 24,
	"yoga": 25,
	"zed": 26,
	"2023.1": 27,
	"2023.2": 28,
	"2024.1": 29,
	"2024.2": 30,
	"2025.1": 31,
	"2025.2": 32,
	"2026.1": 33,
}
