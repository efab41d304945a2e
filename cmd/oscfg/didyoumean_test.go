package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpfulErrors: typos in commands, flags and format names get a
// did-you-mean and the help of the command they were given to; format
// names are case-insensitive; every such error exits 2.
func TestHelpfulErrors(t *testing.T) {
	fleet := "../../testdata/demo-fleet"
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"lnt", fleet}, []string{`unknown command "lnt" (did you mean lint?)`, "Run 'oscfg --help'"}},
		{[]string{"lint", "--fomat", "json", fleet}, []string{"unknown flag: --fomat (did you mean --format?)", "Run 'oscfg lint --help'"}},
		{[]string{"fix", "--wirte", fleet}, []string{"did you mean --write?", "Run 'oscfg fix --help'"}},
		{[]string{"lint", "--format", "sarf", fleet}, []string{`unknown --format "sarf" (did you mean sarif?)`}},
		{[]string{"rules", "--format", "yaml"}, []string{`unknown --format "yaml"`, "text or json", "Run 'oscfg rules --help'"}},
		{[]string{"lint", "--kind", "foo", fleet + "/ctl1/etc/nova/nova.conf"}, []string{`unknown --kind "foo"`}},
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate"`}},
	} {
		_, errOut, code := runCLI(c.args...)
		if code != exitError {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errOut, w)
			}
		}
	}
	// "frobnicate" is close to nothing: no suggestion.
	if _, errOut, _ := runCLI("frobnicate"); strings.Contains(errOut, "did you mean") {
		t.Errorf("a far-off word got a suggestion: %q", errOut)
	}
	if out, errOut, code := runCLI("lint", "--format", "JSON", fleet); code == exitError || !strings.HasPrefix(out, "{") {
		t.Errorf("--format JSON: exit %d, %s", code, errOut)
	}
}

// TestUnknownNamesRefused: a --host that names no host, and rule ids in
// oscfg.ini's [rules] disable and [severity] or in fix --rule that name no
// rule, are errors (exit 2) with a did-you-mean, never silently accepted.
func TestUnknownNamesRefused(t *testing.T) {
	fleet := "../../testdata/demo-fleet"
	ini := func(body string) string {
		p := filepath.Join(t.TempDir(), "oscfg.ini")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"lint", "--host", "ct1", fleet}, []string{"--host ct1 matches no host (did you mean ctl1?)", "4 hosts (compute1, ctl1, ctl2, db1)", "Run 'oscfg lint --help'"}},
		{[]string{"lint", "--host", "ctl1", fleet}, []string{"--host ctl1:", "to lint ctl1 alone, name its directory: " + fleet + "/ctl1"}},
		{[]string{"report", "--host", "nosuch", fleet}, []string{"--host nosuch matches no host:"}},
		{[]string{"fix", "--rule", "OSC-HAP-099", fleet}, []string{"--rule: no rule OSC-HAP-099 (did you mean OSC-HAP-009?)", "Run 'oscfg fix --help'"}},
		{[]string{"fix", "--rule", "osc-hap-001,OSC-NOPE-001", fleet}, []string{"--rule: no rule OSC-NOPE-001"}},
		{[]string{"lint", "--config", ini("[rules]\ndisable = OSC-HAP-004, OSC-HAP-01\n"), fleet}, []string{"oscfg.ini: [rules] disable: no rule OSC-HAP-01 (did you mean OSC-HAP-001?)"}},
		{[]string{"lint", "--config", ini("[severity]\nOSC-HAP-0001 = high\n"), fleet}, []string{"oscfg.ini: [severity]: no rule OSC-HAP-0001 (did you mean OSC-HAP-001?)"}},
	} {
		out, errOut, code := runCLI(c.args...)
		if code != exitError || out != "" {
			t.Errorf("%v: exit %d, want 2 and nothing on stdout (%q)", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errOut, w)
			}
		}
	}
	// What names something is accepted: --host for a single host root,
	// known ids in any case.
	if _, errOut, code := runCLI("lint", "--host", "lb1", fleet+"/ctl1"); code == exitError {
		t.Errorf("--host for a host root: %s", errOut)
	}
	if _, errOut, code := runCLI("lint", "--config", ini("[rules]\ndisable = osc-hap-004\n[severity]\nOSC-HAP-001 = low\n"), fleet); code == exitError {
		t.Errorf("known ids refused: %s", errOut)
	}
	if _, errOut, code := runCLI("fix", "--rule", "osc-hap-001", fleet); code == exitError {
		t.Errorf("fix --rule osc-hap-001: %s", errOut)
	}
}
