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
