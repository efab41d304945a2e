package report

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// A rule whose findings take several severities is listed with its range
// and what decides each tier, in Markdown and in the HTML matrix, not with
// its default alone.
func TestSeverityRangeListed(t *testing.T) {
	ri := &model.Rule{ID: "OSC-X-001", Title: "t", Severity: "medium", Fix: "safe",
		Severities: []model.Tier{{Severity: "high", When: "when it overlaps"}, {Severity: "low", When: "when it is a no-op"}}}
	rep := &Report{Findings: []model.Finding{{Rule: "OSC-X-001", Severity: "low", Host: "h", File: "/f", Line: 1, Message: "m"}}}
	env := Env{Rules: map[string]*model.Rule{"OSC-X-001": ri}}
	md := string(renderFormat(t, "markdown", rep, env))
	for _, want := range []string{"| [OSC-X-001](#osc-x-001) | low..high | t | 1 |", "(low..high, fix: safe)", "Severity medium by default; high: when it overlaps; low: when it is a no-op."} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	html := string(renderFormat(t, "html", rep, env))
	if !strings.Contains(html, `title="medium by default; high: when it overlaps; low: when it is a no-op"><span class="badge f-medium">low..high</span>`) {
		t.Errorf("html matrix lacks the range and tiers")
	}
}
