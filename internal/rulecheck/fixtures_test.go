package rulecheck_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/internal/rulecheck"
)

// withoutFixtures are the rules written before testdata/rules existed.
// The list may only shrink: a rule added to it, or one on it that has
// fixtures, fails the test.
var withoutFixtures = map[string]bool{
	"OSC-CRON-001": true, "OSC-CRON-002": true, "OSC-CRON-003": true,
	"OSC-DB-001": true, "OSC-DB-002": true, "OSC-DB-003": true, "OSC-DB-004": true, "OSC-DB-005": true,
	"OSC-GAL-001": true, "OSC-GAL-002": true, "OSC-GAL-003": true, "OSC-GAL-004": true, "OSC-GAL-005": true,
	"OSC-GEN-001": true, "OSC-GEN-002": true, "OSC-GEN-003": true,
	"OSC-HAP-001": true, "OSC-HAP-002": true, "OSC-HAP-003": true, "OSC-HAP-004": true, "OSC-HAP-005": true,
	"OSC-HAP-006": true, "OSC-HAP-007": true, "OSC-HAP-008": true, "OSC-HAP-009": true,
	"OSC-KS-001": true, "OSC-KS-002": true, "OSC-KS-003": true, "OSC-KS-004": true, "OSC-KS-005": true,
	"OSC-MQ-001": true, "OSC-MQ-002": true,
	"OSC-NOVA-001": true, "OSC-NOVA-002": true, "OSC-NOVA-003": true,
	"OSC-OPT-001": true, "OSC-OPT-002": true, "OSC-OPT-003": true,
}

// TestRuleFixtures lints each rule's fixtures, real files in a fleet
// layout (testdata/rules/<ID>/fires/<host>/etc/...), through the loader:
// every file under fires/ gets a finding of the rule, nothing under quiet/
// does.
func TestRuleFixtures(t *testing.T) {
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(filepath.Dir(corpus.Dir(t)), "rules")
	for _, r := range eng.Rules() {
		dir := filepath.Join(base, r.ID)
		_, statErr := os.Stat(dir)
		switch {
		case statErr != nil && !withoutFixtures[r.ID]:
			t.Errorf("%s has no fixtures: add %s/fires and %s/quiet (make rule scaffolds them)", r.ID, dir, dir)
			continue
		case statErr != nil:
			continue
		case withoutFixtures[r.ID]:
			t.Errorf("%s has fixtures now: take it off withoutFixtures", r.ID)
		}
		t.Run(r.ID, func(t *testing.T) {
			for _, kind := range []string{"fires", "quiet"} {
				fleet := filepath.Join(dir, kind)
				files := fixtureFiles(t, fleet)
				res := rulecheck.Lint(ctx, eng, fleet, "", "")
				if res.Err != nil {
					t.Fatalf("%s: %v", fleet, res.Err)
				}
				hit := map[string]bool{}
				for _, f := range res.Findings {
					if f.Rule == r.ID {
						hit[f.Host+":"+f.File] = true
						if kind == "quiet" {
							t.Errorf("quiet fixture fires: %s:%s:%d: %s", f.Host, f.File, f.Line, rulecheck.Line(f))
						}
					}
				}
				if kind == "fires" {
					for _, f := range files {
						if !hit[f] {
							t.Errorf("fires fixture %s: no %s finding", f, r.ID)
						}
					}
				}
			}
		})
	}
}

// fixtureFiles lists host:/path of every file of a fixture fleet.
func fixtureFiles(t *testing.T, fleet string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(fleet, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fleet, p)
		host, rest, _ := strings.Cut(filepath.ToSlash(rel), "/")
		out = append(out, host+":/"+rest)
		return nil
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("fixture %s: no files (%v)", fleet, err)
	}
	return out
}
