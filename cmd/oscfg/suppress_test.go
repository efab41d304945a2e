package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/internal/testfleet"
)

// supFleet is testfleet's suppression fleet (lint's tests check what the
// pipeline suppresses; these check what the command line shows of it).
func supFleet(t *testing.T, extra map[string]string) string {
	return testfleet.Suppression(t, extra)
}

// TestSuppressionsShown: the text output and the exit status of lint show
// what inline comments, [ignore] and baselines hid, expired or left
// unused; -v names each suppressed finding.
func TestSuppressionsShown(t *testing.T) {
	lineBefore := strings.Replace(testfleet.HAProxy, "  balance source\n", "  # oscfg: ignore OSC-HAP-001 -- horizon-style sticky clients\n  balance source\n", 1)
	dir := supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": lineBefore})
	out, _, _ := runCLI("lint", "--no-color", dir)
	if !strings.Contains(out, "suppressed") {
		t.Errorf("text summary does not count suppressions:\n%s", out)
	}
	_, errOut, _ := runCLI("lint", "-v", dir)
	if !strings.Contains(errOut, "oscfg: suppressed ctl1:/etc/haproxy/haproxy.cfg:") || !strings.Contains(errOut, "OSC-HAP-001 (by ctl1:/etc/haproxy/haproxy.cfg:") {
		t.Errorf("-v does not name suppressed findings:\n%s", errOut)
	}

	nova := strings.Replace(testfleet.Nova, "= 3600", "= 3600 # oscfg: ignore OSC-DB-001", 1)
	if _, errOut, code := runCLI("lint", supFleet(t, map[string]string{"ctl1/etc/nova/nova.conf": nova})); code != exitError || !strings.Contains(errOut, "no trailing comments") {
		t.Errorf("trailing oslo directive: exit %d, stderr %q", code, errOut)
	}

	expired := strings.Replace(testfleet.HAProxy, "  balance source\n", "  # oscfg: ignore OSC-HAP-001 until=2020-01-31 -- until the migration\n  balance source\n", 1)
	out, _, code := runCLI("lint", "--no-color", supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": expired}))
	if code != exitFindings {
		t.Errorf("expired suppression: exit %d", code)
	}
	if !strings.Contains(out, "ctl1:/etc/haproxy/haproxy.cfg:10: expired suppression of OSC-HAP-001 (until 2020-01-31): no longer hides 1 finding\n") ||
		!strings.Contains(out, "1 expired suppression in") {
		t.Errorf("text output does not show the expired suppression:\n%s", out)
	}

	ini := "release = zed\n[ignore]\nOSC-HAP-001 = host=ctl1 -- sticky\nOSC-DB-001 = host=ctl2 -- another host\n"
	dir = supFleet(t, map[string]string{"oscfg.ini": ini})
	out, _, _ = runCLI("lint", "--no-color", dir)
	if !strings.Contains(out, filepath.Join(dir, "oscfg.ini")+":4: unused suppression of OSC-DB-001 host=ctl2: matches no finding\n") {
		t.Errorf("text output does not list the unused [ignore] line:\n%s", out)
	}
	_, errOut, code = runCLI("lint", supFleet(t, map[string]string{"oscfg.ini": "[ignore]\nOSC-HAP-001 = hots=ctl1\n"}))
	if code != exitError || !strings.Contains(errOut, "oscfg.ini:2: [ignore] OSC-HAP-001: unknown option \"hots\"") {
		t.Errorf("bad [ignore] line: exit %d, %q", code, errOut)
	}

	dir = supFleet(t, nil)
	base := filepath.Join(t.TempDir(), "baseline.json")
	out, errOut, code = runCLI("lint", "--no-color", "--write-baseline", base, dir)
	if code != exitClean || !strings.Contains(errOut, "oscfg: wrote "+base) || !strings.Contains(out, "0 findings") || !strings.Contains(out, "by baseline") {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := runCLI("lint", "--no-color", "--baseline", base, dir); code != exitClean || !strings.Contains(out, "0 findings") {
		t.Errorf("lint with its own baseline: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = runCLI("lint", "--baseline", filepath.Join(dir, "nope.json"), dir)
	if code != exitError || !strings.Contains(errOut, "nope.json") || !strings.Contains(errOut, "Run 'oscfg lint --help'") {
		t.Errorf("missing baseline: exit %d %q", code, errOut)
	}
}

func TestQuiet(t *testing.T) {
	dir := supFleet(t, map[string]string{"oscfg.ini": "[ignore]\nOSC-NOPE-1 = host=x\n"}) // no release: a note on stderr
	out, errOut, code := runCLI("lint", "--no-color", dir)
	if !strings.Contains(errOut, "assuming OpenStack release") || !strings.Contains(out, " findings ") || !strings.Contains(out, "unused suppression") {
		t.Fatalf("without --quiet: exit %d\n%s%s", code, out, errOut)
	}
	qout, qerr, qcode := runCLI("lint", "--no-color", "--quiet", dir)
	if qcode != code || qerr != "" {
		t.Errorf("--quiet: exit %d (want %d), stderr %q", qcode, code, qerr)
	}
	if strings.Contains(qout, " findings ") || strings.Contains(qout, "suppression") || !strings.Contains(qout, "OSC-HAP-001") {
		t.Errorf("--quiet prints more than findings:\n%s", qout)
	}
	for _, l := range strings.Split(strings.TrimSpace(qout), "\n") {
		if !strings.HasPrefix(l, "ctl1:") && !strings.HasPrefix(l, "db1:") && !strings.HasPrefix(l, "    ") {
			t.Errorf("--quiet line %q is not a finding", l)
		}
	}
}

// Colour only on a terminal and never with NO_COLOR. A character device
// (/dev/null) stands in for the terminal: a test has none.
func TestColor(t *testing.T) {
	reg, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	var buf bytes.Buffer
	if useColor(reg) || useColor(&buf) {
		t.Error("colour on a file or buffer")
	}
	dev, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("cannot open %s to stand in for a terminal: %v", os.DevNull, err)
	}
	defer dev.Close()
	if st, err := dev.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Skip("no character device to stand in for a terminal")
	}
	t.Setenv("NO_COLOR", "") // restored after the test
	os.Unsetenv("NO_COLOR")
	if !useColor(dev) {
		t.Error("no colour on a character device")
	}
	t.Setenv("NO_COLOR", "1")
	if useColor(dev) {
		t.Error("colour with NO_COLOR set")
	}
	// Through the CLI, into a regular file: no escape codes.
	code := run([]string{"lint", supFleet(t, nil)}, reg, &buf)
	if code == exitError {
		t.Fatal(buf.String())
	}
	data, err := os.ReadFile(reg.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("OSC-HAP-001")) || bytes.Contains(data, []byte("\x1b[")) {
		t.Errorf("output to a file:\n%q", data)
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	if progressBar(&buf) != nil || progressBar(nil) != nil {
		t.Error("a progress bar when stderr is not a terminal")
	}
	bar := newBar(&buf, 300)
	for i := 1; i <= 20; i++ {
		bar(i, 20)
	}
	if buf.Len() != 0 {
		t.Errorf("a bar for 20 files: %q", buf.String())
	}
	for i := 1; i <= 600; i++ {
		bar(i, 600)
	}
	out := buf.String()
	if !strings.Contains(out, "\roscfg: parsing [###############               ] 300/600 files") {
		t.Errorf("no half-way bar in %q", out)
	}
	if n := strings.Count(out, "\roscfg: parsing"); n > 31 {
		t.Errorf("%d redraws for 600 files", n)
	}
	if !strings.HasSuffix(out, strings.Repeat(" ", 70)+"\r") {
		t.Errorf("the bar is not cleared at the end: %q", out[len(out)-80:])
	}
}
