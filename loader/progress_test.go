package loader_test

import (
	"testing"

	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/parsers/discover"
)

// TestProgress: the callback is called once per discovered file, one call
// at a time, with done counting up to total.
func TestProgress(t *testing.T) {
	dir := t.TempDir()
	if _, err := fleetgen.Write("../testdata/demo-fleet", dir, 40); err != nil {
		t.Fatal(err)
	}
	hosts, err := discover.Discover([]string{dir}, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, h := range hosts {
		want += len(h.Files)
	}
	var calls []int
	inside := false
	opt := loader.Options{Release: "mitaka", ReleaseSource: "config", Progress: func(done, total int) {
		if inside {
			t.Error("concurrent Progress calls")
		}
		inside = true
		defer func() { inside = false }()
		if total != want {
			t.Errorf("total %d, want %d", total, want)
		}
		calls = append(calls, done)
	}}
	if _, err := loader.Load([]string{dir}, opt); err != nil {
		t.Fatal(err)
	}
	if len(calls) != want || want < 40 {
		t.Fatalf("%d calls for %d files", len(calls), want)
	}
	for i, d := range calls {
		if d != i+1 {
			t.Fatalf("call %d reported done=%d: %v", i, d, calls)
		}
	}
	// Without a callback nothing changes.
	if _, err := loader.Load([]string{dir}, loader.Options{Release: "mitaka", ReleaseSource: "config"}); err != nil {
		t.Fatal(err)
	}
}
