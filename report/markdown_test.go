package report

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// TestMarkdown: summary tables, one section per rule with its findings,
// and messages whose characters cannot turn into Markdown.
func TestMarkdown(t *testing.T) {
	r, env := fmtScenario(t, "../testdata/scenarios/api-timeouts-keepalive/fleet")
	md := string(renderFormat(t, "markdown", r, env))
	for _, want := range []string{"# oscfg report\n", "| Severity | Findings |\n|---|---:|\n", "| Rule | Severity | Title | Findings |"} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	for id := range r.Summary.ByRule {
		if !strings.Contains(md, "\n## "+id+"\n") {
			t.Errorf("no section for %s", id)
		}
	}
	for _, f := range r.Findings {
		loc := "`" + f.Host + ":" + f.File + ":"
		if !strings.Contains(md, "- **"+f.Severity+"** "+loc) {
			t.Errorf("finding at %s missing", loc)
		}
	}

	f := model.Finding{Rule: "OSC-X-001", Severity: "high", Host: "h", File: "/a`b", Line: 1, Message: "a|b *c* <script> [x](y) _z_"}
	md = string(renderFormat(t, "markdown", &Report{Findings: []model.Finding{f}}, Env{}))
	if !strings.Contains(md, `a\|b \*c\* \<script\> \[x\](y) \_z\_`) {
		t.Errorf("message not escaped:\n%s", md)
	}
	if !strings.Contains(md, "``h:/a`b:1``") {
		t.Errorf("code span with a backtick:\n%s", md)
	}
}
