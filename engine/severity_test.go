package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// One rule, one meaning: a finding's severity is one its rule declares
// (custom.severity, or a tier of custom.severities, each saying when it
// applies), so `oscfg rules`, explain and the reports can show the whole
// range everywhere the rule is listed.
func TestFindingSeveritiesAreDeclared(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.Rules() {
		for _, tr := range r.Severities {
			if strings.TrimSpace(tr.When) == "" {
				t.Errorf("%s: severity tier %s does not say when it applies", r.ID, tr.Severity)
			}
		}
	}
	dirs, _ := filepath.Glob("../testdata/scenarios/*/fleet")
	dirs = append(dirs, "../testdata/demo-fleet")
	seen := map[string]bool{}
	for _, dir := range dirs {
		fs, err := eng.Eval(context.Background(), scenarioInput(t, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			r := eng.Rule(f.Rule)
			if r == nil || seen[f.Rule+f.Severity] {
				continue
			}
			seen[f.Rule+f.Severity] = true
			if !r.Declares(f.Severity) {
				t.Errorf("%s emits %s (%s: %s) but declares only %s", f.Rule, f.Severity, dir, f.Message, r.SeverityRange())
			}
		}
	}
}

func TestSeverityRange(t *testing.T) {
	r := &model.Rule{Severity: "medium", Severities: []model.Tier{{Severity: "high", When: "x"}, {Severity: "low", When: "y"}}}
	if got := r.SeverityRange(); got != "low..high" {
		t.Errorf("range %q", got)
	}
	if !r.Declares("high") || r.Declares("critical") || !r.Declares("medium") {
		t.Error("Declares")
	}
	if got := (&model.Rule{Severity: "info"}).SeverityRange(); got != "info" {
		t.Errorf("single %q", got)
	}
	_ = model.Severities
}
