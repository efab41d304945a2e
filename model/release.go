package model

import (
	"fmt"
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
