package main

import (
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

func TestClosest(t *testing.T) {
	cands := []string{"lint", "report", "fix", "rules", "explain", "model"}
	for word, want := range map[string]string{"lnit": "lint", "reprot": "report", "fxi": "fix", "xyz": "", "modle": "model", "": ""} {
		if got := closest(word, cands); got != want {
			t.Errorf("closest(%q) = %q, want %q", word, got, want)
		}
	}
}
