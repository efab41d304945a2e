package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReportFrom: results of two disjoint fleets merge into one report in
// any format, with the findings and hosts of both; overlapping results
// and non-results are refused with exit 2.
func TestReportFrom(t *testing.T) {
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	copyTree(t, "../../testdata/demo-fleet", a)
	if err := os.MkdirAll(b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(a, "db1"), filepath.Join(b, "db1")); err != nil {
		t.Fatal(err)
	}
	results := map[string]jsonReport{}
	for _, p := range []string{a, b} {
		out, errOut, code := runCLI("lint", "--format", "json", p)
		if code == exitError {
			t.Fatalf("lint %s: %s", p, errOut)
		}
		if err := os.WriteFile(p+".json", []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		var r jsonReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		results[p] = r
	}
	out, errOut, code := runCLI("report", "--from", "--format", "json", a+".json", b+".json")
	if code != exitClean {
		t.Fatalf("report --from: exit %d: %s", code, errOut)
	}
	var merged jsonReport
	if err := json.Unmarshal([]byte(out), &merged); err != nil {
		t.Fatal(err)
	}
	if want := len(results[a].Findings) + len(results[b].Findings); len(merged.Findings) != want {
		t.Errorf("merged %d findings, want %d", len(merged.Findings), want)
	}
	var hosts struct {
		Summary struct {
			Hosts     int      `json:"hosts"`
			HostNames []string `json:"host_names"`
		} `json:"summary"`
	}
	json.Unmarshal([]byte(out), &hosts)
	if hosts.Summary.Hosts != 4 || strings.Join(hosts.Summary.HostNames, ",") != "compute1,ctl1,ctl2,db1" {
		t.Errorf("merged hosts %d %v", hosts.Summary.Hosts, hosts.Summary.HostNames)
	}
	for _, format := range []string{"html", "sarif", "markdown", "text", "junit", "github"} {
		out, errOut, code := runCLI("report", "--from", "--format", format, a+".json", b+".json")
		if code != exitClean || !strings.Contains(out, "db1") || !strings.Contains(out, "ctl1") {
			t.Errorf("report --from --format %s: exit %d, %s", format, code, errOut)
		}
	}
	// The merged report describes rules as a single run does: severity
	// tiers (Markdown) and rule pages (SARIF helpUri).
	single, _, _ := runCLI("lint", "--format", "markdown", "--max-bytes", "0", a)
	mergedMD, _, _ := runCLI("report", "--from", "--format", "markdown", "--max-bytes", "0", a+".json", b+".json")
	tiers := 0
	for _, l := range strings.Split(single, "\n") {
		if strings.HasPrefix(l, "Severity ") && strings.Contains(l, " by default; ") {
			tiers++
			if !strings.Contains(mergedMD, l) {
				t.Errorf("merged Markdown lacks the tier line %q", l)
			}
		}
	}
	if tiers == 0 {
		t.Error("the demo fleet's Markdown shows no rule with severity tiers; the check above tests nothing")
	}
	sarif, _, _ := runCLI("report", "--from", "--format", "sarif", a+".json", b+".json")
	if !strings.Contains(sarif, `"helpUri"`) || !strings.Contains(sarif, "docs/rules/") {
		t.Error("merged SARIF has no helpUri pointing at docs/rules/")
	}
	o := filepath.Join(tmp, "merged.html")
	if _, errOut, code := runCLI("report", "--from", "-o", o, a+".json", b+".json"); code != exitClean {
		t.Fatalf("report --from -o: %s", errOut)
	}
	if st, err := os.Stat(o); err != nil || st.Size() == 0 {
		t.Errorf("-o wrote nothing: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{a + ".json", a + ".json"}, "is in both"},
		{[]string{filepath.Join(a, "ctl1", "etc", "nova", "nova.conf")}, "not an oscfg JSON result"},
		{[]string{}, "needs the JSON results"},
	} {
		_, errOut, code := runCLI(append([]string{"report", "--from", "--format", "json"}, c.args...)...)
		if code != exitError || !strings.Contains(errOut, c.want) {
			t.Errorf("report --from %v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// TestReportFromUnreadExit: a merged result that did not read a file
// exits 1 as 'report' over the fleet itself does (README: never 0 with
// --skip-unreadable), so a pipeline that merges per-cluster results
// cannot pass over a cluster's unread file.
func TestReportFromUnreadExit(t *testing.T) {
	tmp := t.TempDir()
	fleet := filepath.Join(tmp, "fleet")
	copyTree(t, "../../testdata/demo-fleet", fleet)
	nova := filepath.Join(fleet, "ctl1", "etc", "nova", "nova.conf")
	if err := os.Remove(nova); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(nova, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI("report", "--skip-unreadable", "-o", filepath.Join(tmp, "r.html"), fleet); code != exitFindings {
		t.Fatalf("report --skip-unreadable: exit %d, want 1: %s", code, errOut)
	}
	out, errOut, code := runCLI("lint", "--skip-unreadable", "--format", "json", fleet)
	if code == exitError {
		t.Fatalf("lint: %s", errOut)
	}
	res := filepath.Join(tmp, "r.json")
	if err := os.WriteFile(res, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "text", "html"} {
		if _, errOut, code := runCLI("report", "--from", "--format", format, res); code != exitFindings {
			t.Errorf("report --from --format %s over a result with an unread file: exit %d, want 1: %s", format, code, errOut)
		}
	}
	if _, errOut, code := runCLI("report", "--from", "-o", filepath.Join(tmp, "m.html"), res); code != exitFindings {
		t.Errorf("report --from -o: exit %d, want 1: %s", code, errOut)
	}
}
