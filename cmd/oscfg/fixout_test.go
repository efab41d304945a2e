package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

var fixSummaryRE = regexp.MustCompile(`(?m)^oscfg: (\d+) (fixed|fixable) in (\d+) files?[^;]*; (\d+) remaining \((\d+) need --unsafe-fixes, (\d+) manual\)`)

type fixSummary struct{ fixed, files, remaining, unsafe, manual int }

func parseSummary(t *testing.T, stderr string) fixSummary {
	t.Helper()
	m := fixSummaryRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", stderr)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	return fixSummary{n(1), n(3), n(4), n(5), n(6)}
}

type severityReport struct {
	Findings []struct {
		Rule     string         `json:"rule"`
		Severity string         `json:"severity"`
		Fix      map[string]any `json:"fix"`
		FixClass string         `json:"fix_class"`
	} `json:"findings"`
}

func lintSeverities(t *testing.T, fleet string) severityReport {
	t.Helper()
	out, errOut, code := runCLI("lint", "--format", "json", "--fail-on", "info", fleet)
	if code == exitError {
		t.Fatalf("lint: %s", errOut)
	}
	var r severityReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// fix --write on the demo fleet: the summary's counts are what the files
// and a lint afterwards show, the exit status follows --fail-on, and each
// changed host gets one line naming what to reload or restart.
func TestFixWriteSummaryAndExit(t *testing.T) {
	dir := t.TempDir()
	fleet := filepath.Join(dir, "fleet")
	copyTree(t, "../../testdata/demo-fleet", fleet)
	before := snapshot(t, fleet)
	_, errOut, code := runCLI("fix", "--write", fleet)
	if code == exitError {
		t.Fatalf("exit 2: %s", errOut)
	}
	s := parseSummary(t, errOut)
	after := snapshot(t, fleet)
	changed := 0
	for rel := range after {
		if after[rel] != before[rel] {
			changed++
		}
	}
	if s.files != changed || changed == 0 {
		t.Errorf("summary says %d files, %d changed", s.files, changed)
	}
	left := lintSeverities(t, fleet)
	unsafe := 0
	high := false
	for _, f := range left.Findings {
		if f.Fix != nil && f.FixClass == "unsafe" {
			unsafe++
		}
		high = high || model.SeverityRank(f.Severity) >= model.SeverityRank("medium")
	}
	if s.remaining != len(left.Findings) || s.unsafe != unsafe || s.manual != s.remaining-unsafe {
		t.Errorf("summary %+v; lint afterwards has %d findings, %d with unsafe fixes", s, len(left.Findings), unsafe)
	}
	if want := map[bool]int{true: exitFindings, false: exitClean}[high]; code != want {
		t.Errorf("exit %d with findings at or above medium = %v", code, high)
	}
	if got := strings.Count(errOut, "oscfg: remaining: "); got != s.remaining {
		t.Errorf("%d remaining lines, summary says %d", got, s.remaining)
	}
	for _, host := range []string{"ctl1", "ctl2", "compute1"} {
		lines := regexp.MustCompile(`(?m)^oscfg: `+host+`: .* changed; then .*$`).FindAllString(errOut, -1)
		if len(lines) != 1 {
			t.Errorf("%s: %d restart lines, want 1:\n%s", host, len(lines), errOut)
			continue
		}
		if host != "compute1" && (strings.Count(lines[0], "reload haproxy") != 1 || strings.Count(lines[0], "restart keystone") != 1) {
			t.Errorf("%s: %s", host, lines[0])
		}
	}

	// Nothing left at or above critical: exit 0, and nothing to write.
	crit := false
	for _, f := range left.Findings {
		crit = crit || f.Severity == "critical"
	}
	_, errOut, code = runCLI("fix", "--write", "--fail-on", "critical", fleet)
	if want := map[bool]int{true: exitFindings, false: exitClean}[crit]; code != want {
		t.Errorf("--fail-on critical: exit %d, want %d: %s", code, want, errOut)
	}
	if s := parseSummary(t, errOut); s.fixed != 0 || s.files != 0 {
		t.Errorf("second run: %+v", s)
	}
	if _, _, code := runCLI("fix", "--write", "--fail-on", "bogus", fleet); code != exitError {
		t.Errorf("--fail-on bogus: exit %d", code)
	}
}

// A host whose only finding has a safe fix: --write fixes it and exits 0.
func TestFixWriteExitZeroWhenNothingRemains(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lb1", "etc", "haproxy", "haproxy.cfg")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("defaults\n    mode http\n    timeout client 1m\n    timeout server 1m\n    timeout connect 5s\n\nlisten cinder_api\n    bind :8776\n    balance source\n    server a 10.0.0.1:8776 check\n"), 0o644)
	_, errOut, code := runCLI("fix", "--write", "--rule", "OSC-HAP-001", filepath.Join(dir, "lb1"))
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if s := parseSummary(t, errOut); s.fixed != 1 || s.files != 1 || s.remaining != 0 {
		t.Errorf("summary %+v:\n%s", s, errOut)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "balance roundrobin") {
		t.Errorf("not fixed:\n%s", b)
	}
}

// The dry run: the patch on stdout, one line per finding left on stderr,
// its message only with -v.
func TestFixDryRunOneLinePerRemaining(t *testing.T) {
	fleet := "../../testdata/demo-fleet"
	out, errOut, code := runCLI("fix", fleet)
	if code != exitFindings || !strings.HasPrefix(out, "--- a/") {
		t.Fatalf("exit %d, stdout %.80q", code, out)
	}
	s := parseSummary(t, errOut)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	rem := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "oscfg: ") {
			t.Errorf("without -v, a line that is not oscfg's own: %q", l)
		}
		if strings.HasPrefix(l, "oscfg: remaining: ") {
			rem++
		}
	}
	if rem != s.remaining || rem == 0 {
		t.Errorf("%d remaining lines, summary %d", rem, s.remaining)
	}
	_, verbose, _ := runCLI("fix", "-v", fleet)
	if !strings.Contains(verbose, "\n    ") || len(verbose) <= len(errOut) {
		t.Errorf("-v adds no details:\n%s", verbose)
	}
}

// README's workflow, from the repository root: -o writes the exact patch
// (0600) that git apply and patch take with no offset or fuzz; stdout stays
// masked and marks the hunks that will not apply.
func TestFixOutputPatchAppliesFromRepoRoot(t *testing.T) {
	for _, tool := range []string{"git", "patch"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH: the patch is checked with both git apply and patch (.ci/run installs them)", tool)
		}
	}
	root, _ := filepath.Abs("../..")
	t.Chdir(root)
	p := filepath.Join(t.TempDir(), "p")
	out, errOut, code := runCLI("fix", "-o", p, "testdata/demo-fleet")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(errOut, "wrote the exact patch") || !strings.Contains(errOut, p) {
		t.Errorf("stderr does not say where the patch went:\n%s", errOut)
	}
	if o, err := exec.Command("git", "apply", "--check", "-v", p).CombinedOutput(); err != nil || strings.Contains(string(o), "offset") || strings.Contains(string(o), "fuzz") {
		t.Errorf("git apply --check -v: %v\n%s", err, o)
	}
	if o, err := exec.Command("patch", "--dry-run", "-p1", "-i", p).CombinedOutput(); err != nil || strings.Contains(string(o), "offset") || strings.Contains(string(o), "fuzz") {
		t.Errorf("patch --dry-run: %v\n%s", err, o)
	}
	exact, _ := os.ReadFile(p)
	for _, secret := range fleetSecrets(t, "testdata/demo-fleet") {
		if strings.Contains(out, secret) {
			t.Errorf("stdout prints secret %q", secret)
		}
	}
	if string(exact) == out {
		t.Fatal("stdout is the exact patch; the demo's secrets should be masked there")
	}
	// Each masked hunk is marked, and only those: the marked hunks are
	// exactly the ones that differ from the exact patch.
	ex := map[string]string{}
	for _, h := range fileHunks(string(exact)) {
		ex[h.header] = h.body
	}
	marked := 0
	for _, h := range fileHunks(out) {
		header, note := strings.CutSuffix(h.header, " "+maskedHunkNote)
		if note {
			marked++
		}
		body, ok := ex[header]
		if !ok {
			// A smaller context kept the secrets out of this file's
			// hunks: nothing masked, nothing marked.
			if note || strings.Contains(h.body, "****") {
				t.Errorf("hunk %q: marked %v, with a smaller context than the exact patch:\n%s", header, note, h.body)
			}
			continue
		}
		if (body != h.body) != note {
			t.Errorf("hunk %q: differs %v, marked %v", header, body != h.body, note)
		}
	}
	if marked == 0 {
		t.Error("no hunk marked")
	}
	if _, _, code := runCLI("fix", "-o", p, "--write", "testdata/demo-fleet"); code != exitError {
		t.Errorf("-o with --write: exit %d", code)
	}
}

// --write refuses a hard-linked file (exit 2, said) unless asked to write
// in place.
func TestFixWriteHardLinks(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lb1", "etc", "haproxy", "haproxy.cfg")
	os.MkdirAll(filepath.Dir(p), 0o755)
	cfg := "defaults\n    mode http\n    timeout client 1m\n    timeout server 1m\n    timeout connect 5s\n\nlisten cinder_api\n    bind :8776\n    balance source\n    server a 10.0.0.1:8776 check\n"
	os.WriteFile(p, []byte(cfg), 0o644)
	other := filepath.Join(dir, "haproxy.cfg.link")
	if err := os.Link(p, other); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI("fix", "--write", "--rule", "OSC-HAP-001", filepath.Join(dir, "lb1"))
	if code != exitError || !strings.Contains(errOut, "more than one hard link") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(p); string(b) != cfg {
		t.Fatal("refused file changed")
	}
	if _, errOut, code := runCLI("fix", "--write", "--in-place-hardlinks", "--rule", "OSC-HAP-001", filepath.Join(dir, "lb1")); code != exitClean {
		t.Fatalf("--in-place-hardlinks: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(other); !strings.Contains(string(b), "balance roundrobin") {
		t.Errorf("the other link does not see the fix:\n%s", b)
	}
}

// A host root whose haproxy.cfg is a symlink to an absolute path: the file
// at that path on this machine is never written.
func TestFixWriteSymlinkOutsideRootUntouched(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "else.cfg")
	cfg := "defaults\n    mode http\n    timeout client 1m\n    timeout server 1m\n    timeout connect 5s\n\nlisten cinder_api\n    bind :8776\n    balance source\n    server a 10.0.0.1:8776 check\n"
	os.WriteFile(outside, []byte(cfg), 0o644)
	dir := t.TempDir()
	link := filepath.Join(dir, "f", "h", "etc", "haproxy", "haproxy.cfg")
	os.MkdirAll(filepath.Dir(link), 0o755)
	os.Symlink(outside, link)
	_, errOut, code := runCLI("fix", "--write", filepath.Join(dir, "f"))
	if b, _ := os.ReadFile(outside); string(b) != cfg {
		t.Fatalf("fix --write wrote outside the host root (exit %d):\n%s", code, errOut)
	}
	if code == exitClean {
		t.Errorf("exit 0 although the file is not inside the root:\n%s", errOut)
	}
	if strings.Contains(errOut, "changed; then") {
		t.Errorf("reports a fix:\n%s", errOut)
	}
}

// fileHunks is splitHunks over a patch of several files, each hunk's
// header prefixed with its file's name.
func fileHunks(patch string) []hunk {
	var out []hunk
	for i, part := range strings.Split(patch, "\n--- a/") {
		if i > 0 {
			part = "--- a/" + part + "\n"
		}
		hs := splitHunks(part)
		if len(hs) == 0 {
			continue
		}
		for _, h := range hs[1:] {
			out = append(out, hunk{hs[0].header + " " + h.header, h.body})
		}
	}
	return out
}
