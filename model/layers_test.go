package model_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers: data types live in model, so the rooms that only need
// them do not pull in renderers or fixers, and renderers do not plan
// fixes (go list -deps, as a reader would check it).
func TestLayers(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH:", err)
	}
	const mod = "github.com/oscfg/oscfg/"
	for pkg, banned := range map[string][]string{
		"model":    {"engine", "report", "fixers", "suppress", "settings"},
		"suppress": {"report", "fixers", "engine"},
		"engine":   {"report", "fixers", "suppress"},
		// Renderers read each finding's resolved fix (fixers.Resolve).
		"report": {"fixers", "engine", "suppress", "loader"},
	} {
		out, err := exec.Command(goTool, "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		if !deps[mod+pkg] {
			t.Fatalf("go list -deps %s does not list the package itself:\n%s", pkg, out)
		}
		for _, b := range banned {
			if deps[mod+b] {
				t.Errorf("%s depends on %s", pkg, b)
			}
		}
	}
}
