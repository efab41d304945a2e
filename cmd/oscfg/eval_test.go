package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Disabled rules are not evaluated: a user rule that fails whenever it
// runs breaks lint (exit 2) until oscfg.ini disables it, and fix --rule
// evaluates only the rules it names.
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
	write("policy = site\n")
	if _, errOut, code := runCLI("lint", "--config", ini, exampleFleet); code != exitError || !strings.Contains(errOut, "to_number") {
		t.Fatalf("enabled: exit %d, want 2 with the to_number error: %s", code, errOut)
	}
	write("policy = site\n[rules]\ndisable = SITE-BOOM-001\n")
	if out, errOut, code := runCLI("lint", "--no-color", "--config", ini, exampleFleet); code == exitError || !strings.Contains(out, "OSC-") {
		t.Errorf("disabled: exit %d, want the built-in findings: %s%s", code, out, errOut)
	}
	write("policy = site\n")
	if _, errOut, code := runCLI("fix", "--config", ini, "--rule", "OSC-HAP-005", exampleFleet); code == exitError {
		t.Errorf("fix --rule OSC-HAP-005 evaluated another rule: exit 2: %s", errOut)
	}
}
