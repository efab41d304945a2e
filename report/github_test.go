package report

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// ghLine is a workflow command as the Actions runner parses it.
var ghLine = regexp.MustCompile(`^::(error|warning|notice) file=([^,:]+),line=([1-9][0-9]*),title=([^,:]*)::(.+)$`)

// TestGitHubAnnotations: one exact workflow command per finding, naming
// an existing file (relative to the working directory, as GitHub resolves
// it) and the finding's line; then the summary line.
func TestGitHubAnnotations(t *testing.T) {
	r, env := fmtScenario(t, "../testdata/scenarios/api-timeouts-keepalive/fleet")
	lines := strings.Split(strings.TrimSuffix(string(renderFormat(t, "github", r, env)), "\n"), "\n")
	if len(lines) != len(r.Findings)+1 {
		t.Fatalf("%d lines for %d findings", len(lines), len(r.Findings))
	}
	if last := lines[len(lines)-1]; last != SummaryLine(r.Summary) {
		t.Errorf("last line %q", last)
	}
	for i, f := range r.Findings {
		m := ghLine.FindStringSubmatch(lines[i])
		if m == nil {
			t.Errorf("not a workflow command: %q", lines[i])
			continue
		}
		if m[1] != githubLevel(f.Severity) || m[3] != strconv.Itoa(f.Line) {
			t.Errorf("line %d: level %s line %s for %s at %d", i, m[1], m[3], f.Severity, f.Line)
		}
		if _, err := os.Stat(m[2]); err != nil {
			t.Errorf("annotation file: %v", err)
		}
		if !strings.HasPrefix(m[5], f.Host+":"+f.File+":") {
			t.Errorf("message %q", m[5])
		}
	}
}

// TestGitHubEscaping: newlines, '%', ':' and ',' cannot end the command
// or a property early.
func TestGitHubEscaping(t *testing.T) {
	f := model.Finding{Rule: "OSC-X-001", Severity: "medium", Title: "a, b: c", Host: "h", File: "/etc/x.conf",
		Source: "x.conf", Line: 3, Message: "100% bad\nsecond line"}
	r := &Report{Findings: []model.Finding{f}}
	got := strings.SplitN(string(renderFormat(t, "github", r, Env{})), "\n", 2)[0]
	want := "::warning file=x.conf,line=3,title=OSC-X-001 (medium) a%2C b%3A c::h:/etc/x.conf:3: 100%25 bad%0Asecond line"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
