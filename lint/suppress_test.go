package lint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/internal/testfleet"
	"github.com/oscfg/oscfg/model"
)

const (
	hapPath  = testfleet.HAPPath
	novaPath = testfleet.NovaPath
)

// supLint runs the pipeline over dir with o's reporting options.
func supLint(t *testing.T, dir string, o Options) Result {
	t.Helper()
	o.Paths = []string{dir}
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
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
	rep := supLint(t, testfleet.Suppression(t, nil), Options{})
	if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Line != 10 {
		t.Errorf("OSC-HAP-001 not at haproxy.cfg:10: %+v", f)
	}
	if f := supFind(rep.Findings, "OSC-DB-001", "ctl1", novaPath); f == nil || f.Line != 3 {
		t.Errorf("OSC-DB-001 not at nova.conf:3: %+v", f)
	}
}

func TestInlineSuppression(t *testing.T) {
	lineBefore := strings.Replace(testfleet.HAProxy, "  balance source\n", "  # oscfg: ignore OSC-HAP-001 -- horizon-style sticky clients\n  balance source\n", 1)
	trailing := strings.Replace(testfleet.HAProxy, "  balance source\n", "  balance source # oscfg: ignore OSC-HAP-001 -- sticky\n", 1)
	osloBefore := strings.Replace(testfleet.Nova, "connection_recycle_time", "# oscfg: ignore OSC-DB-001 -- proxy recycles\nconnection_recycle_time", 1)
	for name, hap := range map[string]string{"haproxy line before": lineBefore, "haproxy trailing": trailing} {
		t.Run(name, func(t *testing.T) {
			dir := testfleet.Suppression(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": hap, "ctl1/etc/nova/nova.conf": osloBefore})
			var notes bytes.Buffer
			rep := supLint(t, dir, Options{Notes: &notes, NameSuppressed: true})
			if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f != nil {
				t.Errorf("haproxy finding not suppressed: %+v", f)
			}
			if f := supFind(rep.Findings, "OSC-DB-001", "ctl1", novaPath); f != nil {
				t.Errorf("oslo finding not suppressed: %+v", f)
			}
			if rep.Summary.Suppressed < 2 || len(rep.Summary.Unused) != 0 || len(rep.Summary.Expired) != 0 {
				t.Errorf("summary %+v", rep.Summary)
			}
			if n := notes.String(); !strings.Contains(n, "oscfg: suppressed ctl1:/etc/haproxy/haproxy.cfg:") || !strings.Contains(n, "OSC-HAP-001 (by ctl1:/etc/haproxy/haproxy.cfg:") {
				t.Errorf("NameSuppressed does not name suppressed findings:\n%s", n)
			}
		})
	}
	// Another rule on the same line is not suppressed.
	other := strings.Replace(testfleet.HAProxy, "  balance source\n", "  balance source # oscfg: ignore OSC-HAP-002\n", 1)
	rep := supLint(t, testfleet.Suppression(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": other}), Options{})
	if supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath) == nil {
		t.Error("a directive for another rule suppressed OSC-HAP-001")
	}
	if len(rep.Summary.Unused) != 1 || rep.Summary.Unused[0].Rule != "OSC-HAP-002" || rep.Summary.Unused[0].Line != 10 {
		t.Errorf("unused: %+v", rep.Summary.Unused)
	}
	// A directive for a rule disabled in oscfg.ini is not "unused".
	rep = supLint(t, testfleet.Suppression(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": other, "oscfg.ini": "release = zed\n[rules]\ndisable = OSC-HAP-002\n"}), Options{})
	if len(rep.Summary.Unused) != 0 {
		t.Errorf("unused for a disabled rule: %+v", rep.Summary.Unused)
	}
}

// In oslo files a '#' after a value is part of the value: a trailing
// directive there is refused with file:line rather than silently kept in
// the value.
func TestInlineSuppressionOsloTrailingIsAnError(t *testing.T) {
	nova := strings.Replace(testfleet.Nova, "= 3600", "= 3600 # oscfg: ignore OSC-DB-001", 1)
	dir := testfleet.Suppression(t, map[string]string{"ctl1/etc/nova/nova.conf": nova})
	_, err := Run(context.Background(), Options{Paths: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), "nova.conf:3:") || !strings.Contains(err.Error(), "no trailing comments") {
		t.Errorf("err %v", err)
	}
}

func TestSuppressionUntil(t *testing.T) {
	expired := strings.Replace(testfleet.HAProxy, "  balance source\n", "  # oscfg: ignore OSC-HAP-001 until=2020-01-31 -- until the migration\n  balance source\n", 1)
	rep := supLint(t, testfleet.Suppression(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": expired}), Options{})
	if f := supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Line != 11 {
		t.Errorf("expired suppression still hides the finding: %+v", f)
	}
	if !rep.Summary.Failed {
		t.Error("the run does not fail on the finding an expired suppression no longer hides")
	}
	want := model.SuppressionNote{Rule: "OSC-HAP-001", Host: "ctl1", File: hapPath, Line: 10, Until: "2020-01-31", Reason: "until the migration", Matched: 1}
	if len(rep.Summary.Expired) != 1 || rep.Summary.Expired[0] != want {
		t.Errorf("expired: %+v", rep.Summary.Expired)
	}

	future := strings.Replace(expired, "2020-01-31", "2999-12-31", 1)
	rep = supLint(t, testfleet.Suppression(t, map[string]string{"ctl1/etc/haproxy/haproxy.cfg": future}), Options{})
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
	dir := testfleet.Suppression(t, map[string]string{"oscfg.ini": ini})
	rep := supLint(t, dir, Options{})
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

	bad := testfleet.Suppression(t, map[string]string{"oscfg.ini": "[ignore]\nOSC-HAP-001 = hots=ctl1\n"})
	if _, err := Run(context.Background(), Options{Paths: []string{bad}}); err == nil || !strings.Contains(err.Error(), "oscfg.ini:2: [ignore] OSC-HAP-001: unknown option \"hots\"") {
		t.Errorf("bad [ignore] line: %v", err)
	}
}

// TestBaseline: write a baseline, lint with it (passes), insert lines
// above the findings (still passes), add a host with the same files
// (its findings are new: one file's finding never hides another's), add
// a new finding (fails, and only it is reported).
func TestBaseline(t *testing.T) {
	dir := testfleet.Suppression(t, nil)
	base := filepath.Join(t.TempDir(), "baseline.json")

	var notes bytes.Buffer
	rep := supLint(t, dir, Options{WriteBaseline: base, Notes: &notes})
	if rep.Summary.Failed || !strings.Contains(notes.String(), "oscfg: wrote "+base) || len(rep.Findings) != 0 || rep.Summary.Baselined == 0 {
		t.Fatalf("WriteBaseline: %+v\n%s", rep.Summary, notes.String())
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
	rep = supLint(t, dir, Options{Baseline: base})
	if rep.Summary.Failed || len(rep.Findings) != 0 || rep.Summary.Baselined != accepted || rep.Summary.Suppressed != accepted {
		t.Fatalf("lint with its own baseline: %+v", rep.Report)
	}

	// Lines inserted above every finding.
	pad := "# moved by a config-management template change\n#\n#\n"
	testfleet.Write(t, filepath.Join(dir, "ctl1/etc/haproxy/haproxy.cfg"), pad+strings.Replace(testfleet.HAProxy, "listen cinder_api\n", "listen cinder_api\n  # a comment\n  option tcplog\n", 1))
	testfleet.Write(t, filepath.Join(dir, "ctl1/etc/nova/nova.conf"), pad+"[DEFAULT]\ndebug = false\n\n"+testfleet.Nova)
	testfleet.Write(t, filepath.Join(dir, "db1/etc/my.cnf"), pad+testfleet.MyCnf)
	moved := supLint(t, dir, Options{})
	if f := supFind(moved.Findings, "OSC-HAP-001", "ctl1", hapPath); f == nil || f.Line != 15 {
		t.Fatalf("the lines did not move: %+v", f)
	}
	rep = supLint(t, dir, Options{Baseline: base})
	if rep.Summary.Failed || len(rep.Findings) != 0 {
		t.Fatalf("after inserting lines: new findings %+v", rep.Findings)
	}

	// The same problems on another host are new findings.
	testfleet.Write(t, filepath.Join(dir, "ctl2/etc/haproxy/haproxy.cfg"), testfleet.HAProxy)
	rep = supLint(t, dir, Options{Baseline: base})
	if !rep.Summary.Failed || supFind(rep.Findings, "OSC-HAP-001", "ctl2", hapPath) == nil || supFind(rep.Findings, "OSC-HAP-001", "ctl1", hapPath) != nil {
		t.Fatalf("ctl2's copy: failed %v, %+v", rep.Summary.Failed, rep.Findings)
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
	testfleet.Write(t, filepath.Join(dir, "ctl1/etc/haproxy/haproxy.cfg"), string(hap)+
		"listen nova_api\n  bind 10.0.0.10:8774\n  balance source\n  option httpclose\n  server ctl1 10.0.0.1:8774 check\n")
	rep = supLint(t, dir, Options{Baseline: base})
	if !rep.Summary.Failed {
		t.Error("new finding: the run does not fail")
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
	testfleet.Write(t, filepath.Join(dir, "ctl1/etc/nova/nova.conf"), strings.Replace(testfleet.Nova, "3600", "540", 1))
	rep = supLint(t, dir, Options{Baseline: base})
	if rep.Summary.BaselineUnmatched < 1 {
		t.Errorf("fixed finding not counted: %+v", rep.Summary)
	}

	// A baseline that cannot be read is the caller's error.
	_, err = Run(context.Background(), Options{Paths: []string{dir}, Baseline: filepath.Join(dir, "nope.json")})
	var ue UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("missing baseline: %v", err)
	}
}
