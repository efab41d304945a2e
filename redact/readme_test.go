package redact

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsCommandTable: README's "Secrets" section documents every
// row of CommandSecrets, so adding a row without documenting it fails.
func TestREADMEListsCommandTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "### Secrets\n")
	if start < 0 {
		t.Fatal(`README has no "### Secrets" section`)
	}
	sec := s[start:]
	if end := strings.Index(sec[1:], "\n## "); end >= 0 {
		sec = sec[:end+1]
	}
	for _, r := range CommandSecrets {
		for _, f := range r.Flags {
			if !strings.Contains(sec, "`"+f) {
				t.Errorf("README's Secrets section does not list %q (%s)", f, r.Example)
			}
		}
		for _, p := range r.Programs {
			if len(r.Programs) <= 2 && !strings.Contains(sec, p) {
				t.Errorf("README's Secrets section does not name %q", p)
			}
		}
	}
}
