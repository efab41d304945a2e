package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/fixers"
)

const exampleFleet = "../testdata/scenarios/api-timeouts-keepalive/fleet"

// Disabled rules are not evaluated: a user rule that fails whenever it
// runs breaks lint (exit 2) until oscfg.ini disables it, and fix --rule
// (Options.Only) evaluates only the rules it names.
func TestDisabledRulesAreNotEvaluated(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "site")
	if err := os.MkdirAll(pol, 0o755); err != nil {
		t.Fatal(err)
	}
	rule := `# METADATA
# title: fails at evaluation
# custom:
#   id: SITE-BOOM-001
#   severity: low
#   fix: manual
package oscfg.user.boom

deny contains f if {
	some h, _ in input.hosts
	to_number(h) > 0
	f := {"host": h, "file": "/etc/x", "line": 1, "message": "boom"}
}
`
	if err := os.WriteFile(filepath.Join(pol, "boom.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	ini := filepath.Join(dir, "oscfg.ini")
	write := func(s string) {
		if err := os.WriteFile(ini, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	o := Options{Config: ini, Paths: []string{exampleFleet}}
	write("policy = site\n")
	if _, err := Run(ctx, o); err == nil || !strings.Contains(err.Error(), "to_number") {
		t.Fatalf("enabled: %v, want the to_number error", err)
	}
	write("policy = site\n[rules]\ndisable = SITE-BOOM-001\n")
	res, err := Run(ctx, o)
	if err != nil || len(res.Findings) == 0 || !strings.HasPrefix(res.Findings[0].Rule, "OSC-") {
		t.Errorf("disabled: %v, want the built-in findings", err)
	}
	write("policy = site\n")
	if _, err := Fix(ctx, o, fixers.Options{Rules: map[string]bool{"OSC-HAP-005": true}}); err != nil {
		t.Errorf("fix --rule OSC-HAP-005 evaluated another rule: %v", err)
	}
}
