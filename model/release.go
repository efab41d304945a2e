package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Release is the OpenStack release the rules assume.
type Release struct {
	Name   string // "zed"
	Index  int    // ordering; from Liberty on equal to nova's major version
	Source string // flag, config, inferred or default
	Reason string // why, when inferred
}

// releases in order; the index of a name is its position plus offset 5
// (essex = 5), which makes liberty = 12 = nova 12.0.0.
var releases = []string{
	"essex", "folsom", "grizzly", "havana", "icehouse", "juno", "kilo",
	"liberty", "mitaka", "newton", "ocata", "pike", "queens", "rocky",
	"stein", "train", "ussuri", "victoria", "wallaby", "xena", "yoga", "zed",
	"2023.1", "2023.2", "2024.1", "2024.2", "2025.1", "2025.2", "2026.1",
}

// Aliases for the numbered releases.
var releaseAliases = map[string]string{
	"antelope": "2023.1", "bobcat": "2023.2", "caracal": "2024.1",
	"dalmatian": "2024.2", "epoxy": "2025.1", "flamingo": "2025.2", "gazpacho": "2026.1",
}

// DefaultRelease is what oscfg assumes when nothing says otherwise: the
// release Debian 12 (bookworm) ships, whose packages the defaults were
// checked against.
const DefaultRelease = "zed"

// Releases lists the known releases in order with their index: the one
// table of them. policies/lib/release_table.rego and docs/model.md are
// generated from it (go test ./policies -run TestReleaseTable -update).
func Releases() []Release {
	out := make([]Release, len(releases))
	for i, r := range releases {
		out[i] = Release{Name: r, Index: i + 5}
	}
	return out
}

// ReleaseIndex returns the ordering index of a release name.
func ReleaseIndex(name string) (int, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := releaseAliases[n]; ok {
		n = a
	}
	for i, r := range releases {
		if r == n {
			return i + 5, true
		}
	}
	return 0, false
}

// ParseRelease validates a release name and returns its Release.
func ParseRelease(name, source string) (Release, error) {
	idx, ok := ReleaseIndex(name)
	if !ok {
		return Release{}, fmt.Errorf("unknown OpenStack release %q (known: %s)", name, strings.Join(releases, ", "))
	}
	return Release{Name: releases[idx-5], Index: idx, Source: source}, nil
}

// Nova is nova's major version for the release (meaningful from Liberty on).
func (r Release) Nova() int { return r.Index }

// Keystone is keystone's major version (from Liberty on: nova - 4).
func (r Release) Keystone() int { return r.Index - 4 }

// Before Liberty nova and keystone were versioned by year and half
// (openstack/releases deliverables/juno/nova.yaml: 2014.2, 2014.2.1, ...).
var yearVersions = map[string]string{
	"2012.1": "essex", "2012.2": "folsom", "2013.1": "grizzly", "2013.2": "havana",
	"2014.1": "icehouse", "2014.2": "juno", "2015.1": "kilo",
}

// ReleaseForVersion maps a nova or keystone version to its release. From
// Liberty on the major version says it: nova's is the release index
// (nova 12 Liberty, 21 Ussuri, 26 Zed, 27 2023.1, 33 2026.1) and
// keystone's four less (keystone 8 Liberty, 17 Ussuri, 22 Zed, 29 2026.1),
// as openstack/releases deliverables/<series>/{nova,keystone}.yaml list
// them. Before, the year-based versions above.
func ReleaseForVersion(project, version string) (Release, bool) {
	parts := strings.SplitN(version, ".", 3)
	major, err := strconv.Atoi(parts[0])
	if err != nil || len(parts) < 2 {
		return Release{}, false
	}
	if major >= 2000 {
		minor := parts[1] // "2" of 2014.2, "2b3" of 2014.2b3
		if i := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			minor = minor[:i]
		}
		name, ok := yearVersions[parts[0]+"."+minor]
		if !ok {
			return Release{}, false
		}
		r, _ := ParseRelease(name, "")
		return r, true
	}
	idx := major
	switch project {
	case "nova":
	case "keystone":
		idx = major + 4
	default:
		return Release{}, false
	}
	liberty, _ := ReleaseIndex("liberty")
	if idx < liberty || idx-5 >= len(releases) {
		return Release{}, false
	}
	return Release{Name: releases[idx-5], Index: idx}, true
}
