package model

import (
	"encoding/json"
	"testing"
)

// The release index is a contract with the Rego library (lib.release_index)
// and docs/model.md: from Liberty on it is nova's major version.
func TestReleaseIndex(t *testing.T) {
	for name, want := range map[string]int{"essex": 5, "liberty": 12, "mitaka": 13, "queens": 17, "rocky": 18, "ussuri": 21, "zed": 26, "2024.1": 29, "Caracal": 29, "2026.1": 33} {
		if got, ok := ReleaseIndex(name); !ok || got != want {
			t.Errorf("ReleaseIndex(%q) = %d %v, want %d", name, got, ok, want)
		}
	}
	r, err := ParseRelease("zed", "flag")
	if err != nil || r.Nova() != 26 || r.Keystone() != 22 || r.Source != "flag" {
		t.Errorf("zed: %+v %v", r, err)
	}
	if _, err := ParseRelease("banana", "flag"); err == nil {
		t.Error("unknown release accepted")
	}
}

func TestAsInt(t *testing.T) {
	for _, c := range []struct {
		in   any
		want int
	}{{7, 7}, {int64(8), 8}, {9.0, 9}, {json.Number("10"), 10}, {" 11 ", 11}, {"x", 0}, {nil, 0}} {
		if got := AsInt(c.in); got != c.want {
			t.Errorf("AsInt(%#v) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestSeverity(t *testing.T) {
	if SeverityRank("critical") <= SeverityRank("high") || SeverityRank("info") != 0 || SeverityRank("urgent") != -1 {
		t.Error("severity order")
	}
	if _, err := ParseSeverity("urgent"); err == nil {
		t.Error("unknown severity accepted")
	}
}

// Versions from openstack/releases deliverables/<series>/{nova,keystone}.yaml.
func TestReleaseForVersion(t *testing.T) {
	for _, c := range []struct{ project, version, want string }{
		{"nova", "2014.2.4", "juno"}, {"keystone", "2014.2", "juno"}, {"nova", "2015.1.1", "kilo"},
		{"nova", "12.0.0", "liberty"}, {"keystone", "8.0.0", "liberty"},
		{"nova", "21.2.4", "ussuri"}, {"keystone", "17.0.1", "ussuri"},
		{"nova", "26.2.2", "zed"}, {"keystone", "22.0.2", "zed"},
		{"nova", "27.0.0", "2023.1"}, {"nova", "31.0.0", "2025.1"},
		{"nova", "33.0.2", "2026.1"}, {"keystone", "29.0.1", "2026.1"},
		{"nova", "99.0.0", ""}, {"nova", "11.0.0", ""}, {"nova", "2016.1", ""}, {"nova", "abc", ""}, {"glance", "21.0.0", ""},
	} {
		r, ok := ReleaseForVersion(c.project, c.version)
		if (c.want == "") == ok || r.Name != c.want {
			t.Errorf("%s %s: %q %v, want %q", c.project, c.version, r.Name, ok, c.want)
		}
	}
}
