package report

import (
	"fmt"
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

// TestMarkdownMaxBytes: past the cap the page keeps the worst findings
// that fit, says how many it left out, and stays under the cap; the
// summary still counts every finding.
func TestMarkdownMaxBytes(t *testing.T) {
	var fs []model.Finding
	sum := Summary{BySeverity: map[string]int{}, ByRule: map[string]int{}, FailOn: "medium", Hosts: 300}
	for i := 0; i < 600; i++ {
		sev := model.Severities[i%5]
		f := model.Finding{Rule: fmt.Sprintf("OSC-X-%03d", i%7), Severity: sev, Title: "t", Host: fmt.Sprintf("h%03d", i%300),
			File: "/etc/nova/nova.conf", Line: i, Message: strings.Repeat("a long message ", 8)}
		fs = append(fs, f)
		sum.BySeverity[sev]++
		sum.ByRule[f.Rule]++
	}
	sum.Findings = len(fs)
	r := &Report{Findings: fs, Summary: sum}
	full := renderFormat(t, "markdown", r, Env{})
	if len(full) <= DefaultMarkdownMaxBytes {
		t.Fatalf("the test report is only %d bytes", len(full))
	}
	md := string(renderFormat(t, "markdown", r, Env{MaxBytes: DefaultMarkdownMaxBytes}))
	if len(md) > DefaultMarkdownMaxBytes {
		t.Errorf("%d bytes, over the cap of %d", len(md), DefaultMarkdownMaxBytes)
	}
	shown := map[string]int{}
	for _, sev := range model.Severities {
		shown[sev] = strings.Count(md, "\n- **"+sev+"** ")
	}
	total := 0
	for _, n := range shown {
		total += n
	}
	if want := fmt.Sprintf("**%d findings of 600 left out** to keep this under %d bytes (`--max-bytes`); the worst %d are shown.", 600-total, DefaultMarkdownMaxBytes, total); !strings.Contains(md, want) {
		t.Errorf("no %q", want)
	}
	// Worst first: a severity appears only when every worse one is whole.
	for i, sev := range model.Severities[1:] {
		if shown[sev] > 0 && shown[model.Severities[i]] != sum.BySeverity[model.Severities[i]] {
			t.Errorf("%d %s shown while %s is cut (%d of %d)", shown[sev], sev, model.Severities[i], shown[model.Severities[i]], sum.BySeverity[model.Severities[i]])
		}
	}
	if total == 0 || total >= 600 || !strings.Contains(md, "600 findings in 300 hosts") || !strings.Contains(md, "| critical | 120 |") {
		t.Errorf("%d shown; summary:\n%.600s", total, md)
	}
	// Within the cap, nothing is left out and nothing said.
	if small := string(renderFormat(t, "markdown", r, Env{MaxBytes: len(full)})); small != string(full) {
		t.Error("a page within the cap was changed")
	}
}

// TestMarkdownMaxBytesLists: thousands of files not read or not checked
// do not push the page past the cap either; it lists the first that fit
// of each and counts the rest, the counts in the summary stay whole.
func TestMarkdownMaxBytesLists(t *testing.T) {
	sum := Summary{BySeverity: map[string]int{}, ByRule: map[string]int{}, FailOn: "medium", Hosts: 1, Failed: true}
	for i := 0; i < 3000; i++ {
		sum.Unread = append(sum.Unread, fmt.Sprintf("ctl1: /etc/nova/nova.conf.d/%04d.conf: permission denied", i))
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("ctl1: /etc/nova/x%04d.conf: no service known, so no service's rules could apply", i))
	}
	f := model.Finding{Rule: "OSC-X-001", Severity: "high", Title: "t", Host: "ctl1", File: "/etc/nova/nova.conf", Line: 3, Message: "m"}
	sum.BySeverity["high"], sum.ByRule[f.Rule], sum.Findings = 1, 1, 1
	r := &Report{Findings: []model.Finding{f}, Summary: sum}
	md := string(renderFormat(t, "markdown", r, Env{MaxBytes: DefaultMarkdownMaxBytes}))
	if len(md) > DefaultMarkdownMaxBytes {
		t.Errorf("%d bytes, over the cap of %d", len(md), DefaultMarkdownMaxBytes)
	}
	for _, want := range []string{"**3000 not read**", "**3000 not checked**", "/etc/nova/nova.conf.d/0000.conf", "x0000.conf", "more not listed", "| high | 1 |", "- **high** `ctl1:/etc/nova/nova.conf:3`"} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in:\n%.800s", want, md)
		}
	}
	if full := string(renderFormat(t, "markdown", r, Env{})); !strings.Contains(full, "2999.conf") || strings.Contains(full, "more not listed") {
		t.Error("without a cap every file is listed")
	}
}
