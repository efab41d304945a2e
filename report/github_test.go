package report

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// ghLine is a workflow command as the Actions runner parses it.
var ghLine = regexp.MustCompile(`^::(error|warning|notice) file=([^,:]+),line=([1-9][0-9]*),title=([^,:]*)::(.+)$`)

// TestGitHubAnnotations: one exact workflow command per finding (this
// fleet has at most AnnotationsPerLevel of each kind), worst first, naming
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
	for i, f := range worstFirst(r.Findings) {
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

// TestGitHubAnnotationLimit: GitHub shows 10 annotations of each kind per
// step. Past that a kind gets the 9 worst findings annotated and a 10th
// annotation saying how many more there are and where they are; those
// are plain log lines, so every finding is printed once.
func TestGitHubAnnotationLimit(t *testing.T) {
	t.Setenv("GITHUB_SERVER_URL", "https://github.com")
	t.Setenv("GITHUB_REPOSITORY", "org/deploy")
	t.Setenv("GITHUB_RUN_ID", "42")
	var fs []model.Finding
	add := func(n int, sev string) {
		for i := 0; i < n; i++ {
			fs = append(fs, model.Finding{Rule: "OSC-X-001", Severity: sev, Title: "t", Host: fmt.Sprintf("%s%02d", sev, i), File: "/etc/x.conf", Line: i + 1, Message: "m"})
		}
	}
	add(20, "high")
	add(5, "critical")
	add(3, "medium")
	add(12, "info")
	r := &Report{Findings: fs, Summary: Summary{Findings: len(fs), Unread: []string{"ctl1: /etc/a: permission denied"}}}
	out := string(renderFormat(t, "github", r, Env{}))
	count := map[string]int{}
	var plain []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if m := regexp.MustCompile(`^::(error|warning|notice) `).FindStringSubmatch(l); m != nil {
			count[m[1]]++
		} else if strings.HasPrefix(l, "oscfg: ") {
			plain = append(plain, l)
		}
	}
	if count["error"] != AnnotationsPerLevel || count["warning"] != 4 || count["notice"] != AnnotationsPerLevel {
		t.Errorf("annotations %v, want 10 errors, 4 warnings (3 and a file not read), 10 notices", count)
	}
	// 25 errors: 9 annotated, the 5 critical among them; 16 in the log.
	for i := 0; i < 5; i++ {
		if !strings.Contains(out, fmt.Sprintf("::error title=OSC-X-001 (critical) t::critical%02d:", i)) {
			t.Errorf("critical%02d is not annotated", i)
		}
	}
	for _, want := range []string{
		"::error title=oscfg%3A 16 more errors not annotated::GitHub shows 10 annotations of each kind per step; 16 of this kind are printed in this step's log",
		"::notice title=oscfg%3A 3 more notices not annotated::",
		"This run: https://github.com/org/deploy/actions/runs/42",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "more warnings") {
		t.Error("4 warnings got a closing annotation")
	}
	if len(plain) != 16+3 {
		t.Errorf("%d plain lines, want 19: %q", len(plain), plain)
	}
	for _, f := range fs {
		if n := strings.Count(out, f.Host+":/etc/x.conf:"); n != 1 {
			t.Errorf("%s printed %d times", f.Host, n)
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
