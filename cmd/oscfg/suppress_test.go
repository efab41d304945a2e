package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/report"
)

// The suppression fleet: an API proxy with balance source (OSC-HAP-001 on
// haproxy.cfg line 10) and a nova.conf whose connection_recycle_time
// outlives the DB node's wait_timeout (OSC-DB-001 on nova.conf line 3).
// Tests look at these two findings only, so rules added later do not
// break them.
const (
	supHAProxy = `global
  log /dev/log local0
defaults
  mode http
  timeout connect 10s
  timeout client 2m
  timeout server 2m
listen cinder_api
  bind 10.0.0.10:8776
  balance source
  option httpclose
  server ctl1 10.0.0.1:8776 check
`
	supNova = `[database]
connection = mysql+pymysql://nova:NOVA_DBPASS@db1/nova
connection_recycle_time = 3600
`
	supMyCnf = "[mysqld]\nwait_timeout = 600\n"
	hapPath  = "/etc/haproxy/haproxy.cfg"
	novaPath = "/etc/nova/nova.conf"
)

// supFleet writes the fleet, with files replaced or added by extra
// (relative path -> content), and returns its directory.
func supFleet(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"oscfg.ini":                    "release = zed\n",
		"ctl1/etc/haproxy/haproxy.cfg": supHAProxy,
		"ctl1/etc/nova/nova.conf":      supNova,
		"db1/etc/my.cnf":               supMyCnf,
	}
	for k, v := range extra {
		files[k] = v
	}
	for rel, content := range files {
		supWrite(t, filepath.Join(dir, rel), content)
	}
	return dir
}

func supWrite(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lintJSON runs lint --format json and decodes the report.
func supLint(t *testing.T, args ...string) (*report.Report, int) {
	t.Helper()
	out, errOut, code := runCLI(append([]string{"lint", "--format", "json"}, args...)...)
	if code == exitError {
		t.Fatalf("exit 2: %s", errOut)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return &rep, code
}

func supFind(fs []model.Finding, rule, host, file string) *model.Finding {
	for i, f := range fs {
		if f.Rule == rule && f.Host == host && f.File == file {
			return &fs[i]
		}
	}
	return nil
}

func TestSuppressFleetFires(t *testing.T) {
	rep, _ := supLint(t, supFleet(t, nil))
	if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Line != 10 {
		t.Errorf("OSC-HAP-001 not at haproxy.cfg:10: %+v", f)
	}
	if f := supFind(rep.Findings, "OSC-DB-001", "ctl1", novaPath); f == nil || f.Line != 3 {
		t.Errorf("OSC-DB-001 not at nova.conf:3: %+v", f)
	}
}

func TestInlineSuppression(t *testing.T) {
	lineBefore := strings.Replace(supHAProxy, "  balance source\n", "  # oscfg: ignore OSC-HAP-001 -- horizon-style sticky clients\n  balance source\n", 1)
	trailing := strings.Replace(supHAProxy, "  balance source\n", "  balance source # oscfg: ignore OSC-HAP-001 -- sticky\n", 1)
	osloBefore := strings.Replace(supNova, "connection_recycle_time", "# oscfg: ignore OSC-DB-001 -- proxy recycles\nconnection_recycle_time", 1)
	for name, hap := range map[string]string{"haproxy line before": lineBefore, "haproxy trailing": trailing} {
		t.Run(name, func(t *testing.T) {
			dir := supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": hap, "ctl1/etc/nova/nova.conf": osloBefore})
			rep, _ := supLint(t, dir)
			if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f != nil {
				t.Errorf("haproxy finding not suppressed: %+v", f)
			}
			if f := supFind(rep.Findings, "OSC-DB-001", "ctl1", novaPath); f != nil {
				t.Errorf("oslo finding not suppressed: %+v", f)
			}
			if rep.Summary.Suppressed < 2 || len(rep.Summary.Unused) != 0 || len(rep.Summary.Expired) != 0 {
				t.Errorf("summary %+v", rep.Summary)
			}
			out, _, _ := runCLI("lint", "--no-color", dir)
			if !strings.Contains(out, "suppressed") {
				t.Errorf("text summary does not count suppressions:\n%s", out)
			}
			_, errOut, _ := runCLI("lint", "-v", dir)
			if !strings.Contains(errOut, "oscfg: suppressed ctl1:/etc/haproxy/haproxy.cfg:") || !strings.Contains(errOut, "OSC-HAP-001 (by ctl1:/etc/haproxy/haproxy.cfg:") {
				t.Errorf("-v does not name suppressed findings:\n%s", errOut)
			}
		})
	}
	// Another rule on the same line is not suppressed.
	other := strings.Replace(supHAProxy, "  balance source\n", "  balance source # oscfg: ignore OSC-HAP-002\n", 1)
	rep, _ := supLint(t, supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": other}))
	if supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath) == nil {
		t.Error("a directive for another rule suppressed OSC-HAP-001")
	}
	if len(rep.Summary.Unused) != 1 || rep.Summary.Unused[0].Rule != "OSC-HAP-002" || rep.Summary.Unused[0].Line != 10 {
		t.Errorf("unused: %+v", rep.Summary.Unused)
	}
	// A directive for a rule disabled in oscfg.ini is not "unused".
	rep, _ = supLint(t, supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": other, "oscfg.ini": "release = zed\n[rules]\ndisable = OSC-HAP-002\n"}))
	if len(rep.Summary.Unused) != 0 {
		t.Errorf("unused for a disabled rule: %+v", rep.Summary.Unused)
	}
}

// In oslo files a '#' after a value is part of the value: a trailing
// directive there is refused with file:line rather than silently kept in
// the value.
func TestInlineSuppressionOsloTrailingIsAnError(t *testing.T) {
	nova := strings.Replace(supNova, "= 3600", "= 3600 # oscfg: ignore OSC-DB-001", 1)
	_, errOut, code := runCLI("lint", supFleet(t, map[string]string{"ctl1/etc/nova/nova.conf": nova}))
	if code != exitError || !strings.Contains(errOut, "nova.conf:3:") || !strings.Contains(errOut, "no trailing comments") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestSuppressionUntil(t *testing.T) {
	expired := strings.Replace(supHAProxy, "  balance source\n", "  # oscfg: ignore OSC-HAP-001 until=2020-01-31 -- until the migration\n  balance source\n", 1)
	dir := supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": expired})
	rep, code := supLint(t, dir)
	if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Line != 11 {
		t.Errorf("expired suppression still hides the finding: %+v", f)
	}
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	want := report.SuppressionNote{Rule: "OSC-HAP-001", Host: "ctl1", File: hapPath, Line: 10, Until: "2020-01-31", Reason: "until the migration", Matched: 1}
	if len(rep.Summary.Expired) != 1 || rep.Summary.Expired[0] != want {
		t.Errorf("expired: %+v", rep.Summary.Expired)
	}
	out, _, _ := runCLI("lint", "--no-color", dir)
	if !strings.Contains(out, "ctl1:/etc/haproxy/haproxy.cfg:10: expired suppression of OSC-HAP-001 (until 2020-01-31): no longer hides 1 finding\n") ||
		!strings.Contains(out, "1 expired suppression in") {
		t.Errorf("text output does not show the expired suppression:\n%s", out)
	}

	future := strings.Replace(expired, "2020-01-31", "2999-12-31", 1)
	rep, _ = supLint(t, supFleet(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": future}))
	if supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath) != nil || len(rep.Summary.Expired) != 0 {
		t.Errorf("a suppression until 2999 does not apply: %+v", rep.Summary)
	}
}

func TestSettingsIgnore(t *testing.T) {
	ini := `release = zed
[ignore]
OSC-HAP-001 = host=ctl1 path=/etc/haproxy/haproxy.cfg -- sticky sessions on purpose
OSC-DB-001 = host=ctl2 -- another host: must not hide ctl1's finding
OSC-DB-* = key=api_database/* until=2020-01-01
`
	dir := supFleet(t, map[string]string{"oscfg.ini": ini})
	rep, _ := supLint(t, dir)
	if supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath) != nil {
		t.Error("[ignore] host= path= did not suppress OSC-HAP-001")
	}
	if supFind(rep.Findings, "OSC-DB-001", "ctl1", novaPath) == nil {
		t.Error("an [ignore] for ctl2 suppressed ctl1's finding")
	}
	iniPath := filepath.Join(dir, "oscfg.ini")
	if len(rep.Summary.Unused) != 1 || rep.Summary.Unused[0].File != iniPath || rep.Summary.Unused[0].Line != 4 {
		t.Errorf("unused: %+v", rep.Summary.Unused)
	}
	if len(rep.Summary.Expired) != 1 || rep.Summary.Expired[0].Line != 5 {
		t.Errorf("expired: %+v", rep.Summary.Expired)
	}
	out, _, _ := runCLI("lint", "--no-color", dir)
	if !strings.Contains(out, iniPath+":4: unused suppression of OSC-DB-001 host=ctl2: matches no finding\n") {
		t.Errorf("text output does not list the unused [ignore] line:\n%s", out)
	}

	_, errOut, code := runCLI("lint", supFleet(t, map[string]string{"oscfg.ini": "[ignore]\nOSC-HAP-001 = hots=ctl1\n"}))
	if code != exitError || !strings.Contains(errOut, "oscfg.ini:2: [ignore] OSC-HAP-001: unknown option \"hots\"") {
		t.Errorf("bad [ignore] line: exit %d, %q", code, errOut)
	}
}

// TestBaseline: write a baseline, lint with it (passes), insert lines
// above the findings (still passes), add a host with the same files
// (its findings are new: one file's finding never hides another's), add
// a new finding (fails, and only it is reported).
func TestBaseline(t *testing.T) {
	dir := supFleet(t, nil)
	base := filepath.Join(t.TempDir(), "baseline.json")

	out, errOut, code := runCLI("lint", "--no-color", "--write-baseline", base, dir)
	if code != exitClean || !strings.Contains(errOut, "oscfg: wrote "+base) || !strings.Contains(out, "0 findings") || !strings.Contains(out, "by baseline") {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, out, errOut)
	}
	var file struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule, Host, File, Key, Fingerprint string
			Count                              int
		} `json:"findings"`
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &file); err != nil || file.Version != 1 || len(file.Findings) < 2 {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}
	if bytes.Contains(data, []byte("NOVA_DBPASS")) {
		t.Error("baseline holds a secret")
	}
	for _, e := range file.Findings {
		if e.Rule == "OSC-HAP-001" && (e.Key != "cinder_api/balance" || e.File != hapPath || e.Count != 1 || len(e.Fingerprint) != 32) {
			t.Errorf("entry %+v", e)
		}
	}

	accepted := 0
	for _, e := range file.Findings {
		accepted += e.Count
	}
	rep, code := supLint(t, "--baseline", base, dir)
	if code != exitClean || len(rep.Findings) != 0 || rep.Summary.Baselined != accepted || rep.Summary.Suppressed != accepted {
		t.Fatalf("lint with its own baseline: exit %d, %+v", code, rep)
	}

	// Lines inserted above every finding.
	pad := "# moved by a config-management template change\n#\n#\n"
	supWrite(t, filepath.Join(dir, "ctl1/etc/haproxy/haproxy.cfg"), pad+strings.Replace(supHAProxy, "listen cinder_api\n", "listen cinder_api\n  # a comment\n  option tcplog\n", 1))
	supWrite(t, filepath.Join(dir, "ctl1/etc/nova/nova.conf"), pad+"[DEFAULT]\ndebug = false\n\n"+supNova)
	supWrite(t, filepath.Join(dir, "db1/etc/my.cnf"), pad+supMyCnf)
	moved, _ := supLint(t, dir)
	if f := supFind(moved.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Line != 15 {
		t.Fatalf("the lines did not move: %+v", f)
	}
	rep, code = supLint(t, "--baseline", base, dir)
	if code != exitClean || len(rep.Findings) != 0 {
		t.Fatalf("after inserting lines: exit %d, new findings %+v", code, rep.Findings)
	}

	// The same problems on another host are new findings.
	supWrite(t, filepath.Join(dir, "ctl2/etc/haproxy/haproxy.cfg"), supHAProxy)
	rep, code = supLint(t, "--baseline", base, dir)
	if code != exitFindings || supFind(rep.Findings, "OSC-HAP-001", "ctl2", hapPath) == nil || supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath) != nil {
		t.Fatalf("ctl2's copy: exit %d, %+v", code, rep.Findings)
	}
	if err := os.RemoveAll(filepath.Join(dir, "ctl2")); err != nil {
		t.Fatal(err)
	}

	// A new finding in a baselined file fails the run, and is the only
	// finding reported.
	hap, err := os.ReadFile(filepath.Join(dir, "ctl1/etc/haproxy/haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	supWrite(t, filepath.Join(dir, "ctl1/etc/haproxy/haproxy.cfg"), string(hap)+
		"listen nova_api\n  bind 10.0.0.10:8774\n  balance source\n  option httpclose\n  server ctl1 10.0.0.1:8774 check\n")
	rep, code = supLint(t, "--baseline", base, dir)
	if code != exitFindings {
		t.Errorf("new finding: exit %d", code)
	}
	for _, f := range rep.Findings {
		if f.File != hapPath || !strings.Contains(f.Key+f.Message, "nova_api") {
			t.Errorf("reported a baselined finding: %+v", f)
		}
	}
	if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Key != "nova_api/balance" {
		t.Errorf("the new finding is not reported: %+v", rep.Findings)
	}

	// A fixed finding is counted as a baseline entry no longer matched.
	supWrite(t, filepath.Join(dir, "ctl1/etc/nova/nova.conf"), strings.Replace(supNova, "3600", "540", 1))
	rep, _ = supLint(t, "--baseline", base, dir)
	if rep.Summary.BaselineUnmatched < 1 {
		t.Errorf("fixed finding not counted: %+v", rep.Summary)
	}

	_, errOut, code = runCLI("lint", "--baseline", filepath.Join(dir, "nope.json"), dir)
	if code != exitError || !strings.Contains(errOut, "nope.json") {
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
