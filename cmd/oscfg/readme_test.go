package main

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/oscfg/oscfg/report"
)

// The README's sample finding is real output: one file group of
// `oscfg lint testdata/demo-fleet` and the closing lines, compared with
// the fenced block after the README's sample marker. Rule changes alter
// it; `go test ./cmd/oscfg -run TestREADMESample -update` rewrites it.
const (
	readmeMarker = "<!-- sample: oscfg lint testdata/demo-fleet, the group of ctl1:/etc/keystone/keystone.conf and the last lines -->\n"
	sampleFile   = "ctl1:/etc/keystone/keystone.conf:"
)

func TestREADMESample(t *testing.T) {
	t.Chdir("../..")
	out, errOut, code := runCLI("lint", "--no-color", "testdata/demo-fleet")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	groups := strings.Split(strings.TrimSuffix(out, "\n"), "\n\n")
	var sample string
	for _, g := range groups[:len(groups)-1] {
		if strings.HasPrefix(g, sampleFile) {
			sample = g
		}
	}
	if sample == "" {
		t.Fatalf("no group of %s in the output:\n%s", sampleFile, out)
	}
	want := "```\n" + sample + "\n...\n" + groups[len(groups)-1] + "\n```\n"

	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i := strings.Index(text, readmeMarker)
	if i < 0 {
		t.Fatalf("README.md has no sample marker %q", readmeMarker)
	}
	start := i + len(readmeMarker)
	end := strings.Index(text[start+4:], "```\n")
	if !strings.HasPrefix(text[start:], "```\n") || end < 0 {
		t.Fatal("README.md: no fenced block after the sample marker")
	}
	end += start + 4 + 4
	if got := text[start:end]; got != want {
		if *update {
			if err := os.WriteFile("README.md", []byte(text[:start]+want+text[end:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's sample differs from the real output (go test ./cmd/oscfg -run TestREADMESample -update)\n--- README\n%s--- real\n%s", got, want)
	}
}

// Every finding line of the demo fleet fits report.LineWidth, and with
// --show-source starts with a file:line that exists from the working
// directory, as editors jump to it.
func TestTextLinesShortAndJumpable(t *testing.T) {
	t.Chdir("../..")
	out, _, _ := runCLI("lint", "--no-color", "testdata/demo-fleet")
	src, errOut, code := runCLI("lint", "--no-color", "--show-source", "testdata/demo-fleet")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	findingLine := regexp.MustCompile(`^(\S+):(\d+): (critical|high|medium|low|info) [A-Z]+-`)
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if findingLine.MatchString(l) {
			n++
			if w := utf8.RuneCountInString(l); w > report.LineWidth {
				t.Errorf("%d runes: %s", w, l)
			}
		}
	}
	m := 0
	for _, l := range strings.Split(src, "\n") {
		sm := findingLine.FindStringSubmatch(l)
		if sm == nil {
			continue
		}
		m++
		f, err := os.Open(sm[1])
		if err != nil {
			t.Errorf("--show-source: %v", err)
			continue
		}
		lines := 0
		for sc := bufio.NewScanner(f); sc.Scan(); {
			lines++
		}
		f.Close()
		if ln, _ := strconv.Atoi(sm[2]); ln < 1 || ln > lines {
			t.Errorf("--show-source: %s: line %d of %d", sm[1], ln, lines)
		}
	}
	if n == 0 || m != n {
		t.Errorf("%d finding lines, %d with --show-source", n, m)
	}
}
