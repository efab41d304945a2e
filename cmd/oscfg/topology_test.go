package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/model"
)

const multiRegion = "../../testdata/scenarios/multi-region/fleet"

func lintFindings(t *testing.T, args ...string) ([]model.Finding, string) {
	t.Helper()
	out, errOut, code := runCLI(append([]string{"lint", "--format", "json"}, args...)...)
	if code == exitError {
		t.Fatalf("exit 2: %s", errOut)
	}
	var rep struct {
		Findings []model.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Findings, errOut
}

// perHostDefaults drops the findings each nova.conf of the Queens fleet
// gets for its own release default ([glance] num_retries unset is 0 before
// Victoria: OSC-NOVA-002, low), which say nothing about clusters.
func perHostDefaults(fs []model.Finding) []model.Finding {
	var out []model.Finding
	for _, f := range fs {
		if f.Rule == "OSC-NOVA-002" && f.Severity == "low" {
			continue
		}
		out = append(out, f)
	}
	return out
}

func region(host string) string { r, _, _ := strings.Cut(host, "-"); return r }

// Four regions in one run: the good ones (odd, wait_timeout 28800) have no
// cross-host finding, the bad ones (even, 600) have OSC-DB-001 on every
// DB client, each pointing only at its own region's DB nodes.
func TestMultiRegionEvidenceStaysInItsRegion(t *testing.T) {
	fs, stderr := lintFindings(t, multiRegion)
	fs = perHostDefaults(fs)
	if !strings.Contains(stderr, "4 clusters (inferred)") {
		t.Errorf("stderr does not say the clusters: %q", stderr)
	}
	perRegion := map[string]int{}
	for _, f := range fs {
		perRegion[region(f.Host)]++
		if f.Rule != "OSC-DB-001" {
			t.Errorf("unexpected %s on %s: %s", f.Rule, f.Host, f.Message)
		}
		if len(f.Related) != 3 {
			t.Errorf("%s %s:%d: %d related, want the region's 3 DB nodes", f.Rule, f.Host, f.Line, len(f.Related))
		}
		for _, r := range f.Related {
			if region(r.Host) != region(f.Host) || !strings.Contains(r.Host, "-db") {
				t.Errorf("%s on %s points at %s", f.Rule, f.Host, r.Host)
			}
		}
	}
	// 3 controllers x (nova [database], nova [api_database], keystone [database]).
	if perRegion["r2"] != 9 || perRegion["r4"] != 9 || perRegion["r1"] != 0 || perRegion["r3"] != 0 {
		t.Errorf("findings per region %v, want r2 and r4 9 each, none in r1 and r3", perRegion)
	}
}

// An inventory overrides inference: stating that the four regions are one
// deployment makes oscfg compare them, and their differences show.
func TestInventoryOverridesInference(t *testing.T) {
	inv := filepath.Join(t.TempDir(), "one.ini")
	var b strings.Builder
	b.WriteString("[everything]\n")
	ents, err := os.ReadDir(multiRegion)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			b.WriteString(e.Name() + "\n")
		}
	}
	if err := os.WriteFile(inv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, stderr := lintFindings(t, "--inventory", inv, multiRegion)
	if !strings.Contains(stderr, "1 cluster (inventory)") {
		t.Errorf("stderr %q", stderr)
	}
	rules := map[string]bool{}
	for _, f := range fs {
		rules[f.Rule] = true
		if f.Cluster != "" && f.Cluster != "everything" {
			t.Errorf("finding in cluster %q", f.Cluster)
		}
	}
	// One "cluster" of four Galera clusters: their names and member lists
	// differ, which inference rightly did not report.
	if !rules["OSC-GAL-002"] || !rules["OSC-GEN-003"] {
		t.Errorf("rules %v: the stated cluster was not compared as one", rules)
	}
	// A group per region gives the inferred result back.
	b.Reset()
	for _, r := range []string{"r1", "r2", "r3", "r4"} {
		b.WriteString("[region_" + r + "]\n")
		for _, e := range ents {
			if e.IsDir() && strings.HasPrefix(e.Name(), r+"-") {
				b.WriteString(e.Name() + "\n")
			}
		}
	}
	if err := os.WriteFile(inv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, stderr = lintFindings(t, "--inventory", inv, multiRegion)
	fs = perHostDefaults(fs)
	if len(fs) != 18 || !strings.Contains(stderr, "4 clusters (inventory)") {
		t.Errorf("%d findings (want 18); stderr %q", len(fs), stderr)
	}
	if _, errOut, code := runCLI("lint", "--inventory", filepath.Join(t.TempDir(), "none.ini"), multiRegion); code != exitError || !strings.Contains(errOut, "none.ini") {
		t.Errorf("missing inventory: exit %d, %q", code, errOut)
	}
}

// FLEET/<cluster>/<host>: the directories state the clusters.
func TestNestedLayoutStatesClusters(t *testing.T) {
	dst := t.TempDir()
	ents, err := os.ReadDir(multiRegion)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		r, host, _ := strings.Cut(e.Name(), "-")
		if _, err := fleetgen.CopyTree(filepath.Join(multiRegion, e.Name()), filepath.Join(dst, "region-"+r, host), nil); err != nil {
			t.Fatal(err)
		}
	}
	fs, stderr := lintFindings(t, "--release", "queens", dst)
	fs = perHostDefaults(fs)
	if !strings.Contains(stderr, "4 clusters (layout)") {
		t.Errorf("stderr %q", stderr)
	}
	if len(fs) != 18 {
		t.Errorf("%d findings, want 18", len(fs))
	}
	for _, f := range fs {
		if !strings.HasPrefix(f.Host, "region-r2/") && !strings.HasPrefix(f.Host, "region-r4/") {
			t.Errorf("finding on %s", f.Host)
		}
	}
}
