package main

import (
	"os"
	"strings"
	"testing"
)

// TestSelectIgnoreSeverity: --select and --ignore take rule ids and globs,
// --severity hides what is below it, the exit status follows what is
// shown, and a pattern that names no rule is an error with a suggestion.
func TestSelectIgnoreSeverity(t *testing.T) {
	fleet := "../../testdata/demo-fleet"
	all := lintJSON(t, fleet)
	count := func(r jsonReport, pred func(rule, sev string) bool) int {
		n := 0
		for _, f := range r.Findings {
			if pred(f.Rule, f.Severity) {
				n++
			}
		}
		return n
	}
	hap := count(all, func(r, _ string) bool { return strings.HasPrefix(r, "OSC-HAP-") })
	hap005 := count(all, func(r, _ string) bool { return r == "OSC-HAP-005" })
	if hap == 0 || hap005 == 0 || hap == hap005 {
		t.Fatalf("demo fleet no longer has the findings this test needs: %d HAP, %d HAP-005", hap, hap005)
	}
	got := lintJSON(t, fleet, "--select", "osc-hap-*", "--ignore", "OSC-HAP-005")
	if n := len(got.Findings); n != hap-hap005 || count(got, func(r, _ string) bool { return !strings.HasPrefix(r, "OSC-HAP-") || r == "OSC-HAP-005" }) != 0 {
		t.Errorf("--select OSC-HAP-* --ignore OSC-HAP-005: %d findings, want %d HAP findings without HAP-005", n, hap-hap005)
	}
	high := count(all, func(_, s string) bool { return s == "high" || s == "critical" })
	got = lintJSON(t, fleet, "--severity", "high")
	if len(got.Findings) != high {
		t.Errorf("--severity high: %d findings, want %d", len(got.Findings), high)
	}
	// Only info findings shown: nothing at or above medium, exit 0.
	if _, _, code := runCLI("lint", "--severity", "info", "--select", "OSC-NOVA-003", fleet); code == exitError {
		t.Errorf("valid selection refused")
	}
	for _, c := range []struct{ args, want string }{
		{"--select OSC-HAP-01", "did you mean OSC-HAP-001?"},
		{"--ignore OSC-NOPE-*", `no rule matches "OSC-NOPE-*"`},
		{"--severity severe", "--severity"},
		{"--select [", "bad rule pattern"},
	} {
		args := append([]string{"lint"}, strings.Fields(c.args)...)
		_, errOut, code := runCLI(append(args, fleet)...)
		if code != exitError || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestColorAndOutput: --color always/never, FORCE_COLOR, NO_COLOR, and -o
// writing the complete output to a file (never coloured) and nothing on
// stdout.
func TestColorAndOutput(t *testing.T) {
	fleet := "../../testdata/demo-fleet"
	esc := "\x1b["
	if out, _, _ := runCLI("lint", "--color", "always", fleet); !strings.Contains(out, esc) {
		t.Error("--color always: no colour")
	}
	if out, _, _ := runCLI("lint", "--color", "never", fleet); strings.Contains(out, esc) {
		t.Error("--color never: coloured")
	}
	t.Setenv("FORCE_COLOR", "1")
	if out, _, _ := runCLI("lint", fleet); !strings.Contains(out, esc) {
		t.Error("FORCE_COLOR=1: no colour")
	}
	if out, _, _ := runCLI("lint", "--no-color", fleet); strings.Contains(out, esc) {
		t.Error("--no-color under FORCE_COLOR: coloured")
	}
	t.Setenv("FORCE_COLOR", "0")
	if out, _, _ := runCLI("lint", fleet); strings.Contains(out, esc) {
		t.Error("FORCE_COLOR=0 off a terminal: coloured")
	}
	o := t.TempDir() + "/lint.txt"
	t.Setenv("FORCE_COLOR", "")
	out, _, code := runCLI("lint", "--color", "auto", "-o", o, fleet)
	b, err := os.ReadFile(o)
	if err != nil || code == exitError || out != "" || !strings.Contains(string(b), "OSC-") || strings.Contains(string(b), esc) {
		t.Errorf("-o: exit %d, stdout %q, file %d bytes (%v)", code, out, len(b), err)
	}
	if _, errOut, code := runCLI("lint", "--color", "sometimes", fleet); code != exitError || !strings.Contains(errOut, "auto, always or never") {
		t.Errorf("--color sometimes: exit %d, %q", code, errOut)
	}
}

// TestSettingsNearest: a host root inside a fleet is linted with the
// fleet's oscfg.ini (found walking up), which -v names; --config wins.
func TestSettingsNearest(t *testing.T) {
	host := "../../testdata/demo-fleet/ctl1"
	out, errOut, _ := runCLI("lint", "-v", host)
	if !strings.Contains(errOut, "settings from") || !strings.Contains(errOut, "demo-fleet/oscfg.ini") {
		t.Errorf("-v does not name the fleet's oscfg.ini: %q", errOut)
	}
	if !strings.Contains(out, "release mitaka") {
		t.Errorf("host root not linted with the fleet's release = mitaka:\n%s", out)
	}
	cfg := t.TempDir() + "/other.ini"
	if err := os.WriteFile(cfg, []byte("release = zed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := runCLI("lint", "--config", cfg, host); !strings.Contains(out, "release zed") {
		t.Errorf("--config did not win:\n%s", out)
	}
}
