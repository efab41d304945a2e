package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/scenarios and the README sample")

func runCLI(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

// TestScenarios lints every fleet under testdata/scenarios and compares
// the text output and exit status with expected.txt beside it. It lints
// with -v, so the goldens hold every message whole, not only its headline.
func TestScenarios(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/scenarios/*/fleet")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	for _, fleet := range dirs {
		name := filepath.Base(filepath.Dir(fleet))
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runCLI("lint", "--no-color", "-v", fleet)
			if code == exitError {
				t.Fatalf("exit 2: %s", errOut)
			}
			got := fmt.Sprintf("%s# exit %d\n", out, code)
			golden := filepath.Join(filepath.Dir(fleet), "expected.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `make golden` to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run `make golden` after a deliberate change)\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestGoodFleetIsClean: the well-configured fleet has nothing at or above
// medium, so lint exits 0.
func TestGoodFleetIsClean(t *testing.T) {
	out, errOut, code := runCLI("lint", "--no-color", "../../testdata/scenarios/good-fleet/fleet")
	if code != exitClean {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errOut)
	}
}

func TestJSONShape(t *testing.T) {
	out, errOut, code := runCLI("lint", "--format", "json", "../../testdata/scenarios/balance-source/fleet")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, k := range []string{"rule", "severity", "title", "host", "file", "line", "message", "source"} {
		if _, ok := rep.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q: %v", k, rep.Findings[0])
		}
	}
	if !strings.HasPrefix(rep.Findings[0]["file"].(string), "/etc/") {
		t.Errorf("file should be the path as on the host: %v", rep.Findings[0]["file"])
	}
}

// Bad input: a clear message with file (and line where there is one),
// exit 2, never a panic.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing", []string{"lint", filepath.Join(dir, "nope")}, "no such file"},
		{"binary", []string{"lint", write("bin/etc/nova/nova.conf", "[DEFAULT]\ndebug = \x00\x01\n")}, "nova.conf:2: binary data"},
		{"no section", []string{"lint", write("nosec/etc/nova/nova.conf", "debug = true\n")}, "nova.conf:1:"},
		{"keyless", []string{"lint", write("keyless/etc/nova/nova.conf", "[DEFAULT]\ndebug\n")}, "nova.conf:2:"},
		{"unterminated quote", []string{"lint", write("q/etc/haproxy/haproxy.cfg", "global\n    log \"127.0.0.1 local0\n")}, "haproxy.cfg:2:"},
		{"huge line", []string{"lint", write("huge/etc/haproxy/haproxy.cfg", "global\n    # "+strings.Repeat("x", 70000)+"\n")}, "haproxy.cfg:2:"},
		{"bad release", []string{"lint", "--release", "banana", dir}, "unknown OpenStack release"},
		{"bad format", []string{"lint", "--format", "xml", dir}, "unknown --format"},
		{"no path", []string{"lint"}, "no PATH"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := runCLI(c.args...)
			if code != exitError {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not contain %q", errOut, c.want)
			}
		})
	}
}

func TestUnreadableAndSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	etc := filepath.Join(dir, "h1", "etc", "haproxy")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	loop := filepath.Join(etc, "haproxy.cfg")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI("lint", filepath.Join(dir, "h1"))
	if code != exitError || !strings.Contains(errOut, "haproxy.cfg") {
		t.Errorf("symlink loop: exit %d, stderr %q", code, errOut)
	}
	if os.Geteuid() == 0 {
		return // root reads anything; permission errors cannot be provoked
	}
	if err := os.Remove(loop); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(loop, []byte("global\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI("lint", filepath.Join(dir, "h1"))
	if code != exitError || !strings.Contains(errOut, "permission denied") {
		t.Errorf("unreadable: exit %d, stderr %q", code, errOut)
	}
}

func TestHelpTeaches(t *testing.T) {
	for _, cmd := range []string{"lint", "rules", "explain", "model"} {
		_, errOut, code := runCLI(cmd, "--help")
		if code != exitClean || !strings.Contains(errOut, "Usage: oscfg "+cmd) {
			t.Errorf("%s --help: exit %d, %q", cmd, code, errOut)
		}
	}
	out, _, _ := runCLI("help")
	if !strings.Contains(out, "Examples:") {
		t.Error("top-level help has no examples")
	}
}

func TestRulesAndExplain(t *testing.T) {
	out, errOut, code := runCLI("rules")
	if code != 0 || !strings.Contains(out, "OSC-HAP-001") {
		t.Fatalf("rules: exit %d %s %s", code, out, errOut)
	}
	out, _, code = runCLI("explain", "osc-hap-001")
	if code != 0 || !strings.Contains(out, "References:") || !strings.Contains(out, "roundrobin") ||
		!strings.Contains(out, "docs/rules/haproxy/OSC-HAP-001.md") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
	_, errOut, code = runCLI("explain", "OSC-NOPE-999")
	if code != exitError || !strings.Contains(errOut, "no rule") {
		t.Errorf("explain unknown: exit %d %s", code, errOut)
	}
}
