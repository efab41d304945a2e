package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/model"
)

// maxPropPasses: a fix run converges within this many passes that change
// something (the evaluation that finds nothing more to do is not one).
const maxPropPasses = 3

// fixCase is one fleet the fix properties are checked on.
type fixCase struct{ name, path string }

// fixCases: every scenario fleet, the demo fleet and every corpus file,
// each corpus file alone in a host root at the path oscfg discovers it.
func fixCases(t *testing.T) []fixCase {
	t.Helper()
	var cases []fixCase
	fleets, err := filepath.Glob("../testdata/scenarios/*/fleet")
	if err != nil || len(fleets) == 0 {
		t.Fatalf("no scenario fleets: %v", err)
	}
	for _, f := range fleets {
		cases = append(cases, fixCase{"scenario/" + filepath.Base(filepath.Dir(f)), f})
	}
	cases = append(cases, fixCase{"demo-fleet", "../testdata/demo-fleet"})
	where := map[string]string{
		"nova":     "etc/nova/nova.conf",
		"keystone": "etc/keystone/keystone.conf",
		"haproxy":  "etc/haproxy/haproxy.cfg",
		"galera":   "etc/my.cnf",
		"cron":     "var/spool/cron/crontabs/keystone",
	}
	folders := make([]string, 0, len(where))
	for d := range where {
		folders = append(folders, d)
	}
	sort.Strings(folders)
	tmp := t.TempDir()
	for _, folder := range folders {
		for _, src := range corpus.Files(t, folder) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			name := folder + "/" + filepath.Base(src)
			root := filepath.Join(tmp, strings.ReplaceAll(name, "/", "_"), "host")
			rel := where[folder]
			if folder == "cron" && strings.Contains(src, "cron.hourly") {
				rel = "etc/cron.hourly/keystone" // a script run-parts runs, not a crontab
			}
			dst := filepath.Join(root, rel)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, fixCase{"corpus/" + name, root})
		}
	}
	return cases
}

// findingID is what makes a finding the same one before and after a fix.
func findingID(f model.Finding) string {
	return fmt.Sprintf("%s %s:%s %s", f.Rule, f.Host, f.File, f.Key)
}

// TestFixProperties: on every scenario fleet, the demo fleet and every
// corpus file, planning all safe fixes (and, separately, all fixes with
// --unsafe-fixes) converges within maxPropPasses changing passes, and the
// state after the fixes has no finding (rule, host, file, key) the files
// did not have before. The run is the one fix --write makes, in memory.
func TestFixProperties(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates every scenario and corpus file several times; not run with -short")
	}
	var eng *engine.Engine // compiled once, reused by every run
	for _, c := range fixCases(t) {
		for _, unsafe := range []bool{false, true} {
			name := c.name
			if unsafe {
				name += "/unsafe"
			}
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				before, step, err := run(ctx, Options{Paths: []string{c.path}, Engine: eng, KeepSecrets: true}, steps)
				switch {
				case err != nil && loading(step):
					t.Skipf("does not load (lint exits 2 too): %v", err)
				case err != nil:
					t.Fatal(err)
				}
				eng = before.eng
				bf := before.findings
				had := map[string]bool{}
				for _, f := range bf {
					had[findingID(f)] = true
				}
				run, err := Fix(ctx, Options{Paths: []string{c.path}, Engine: eng}, fixers.Options{Unsafe: unsafe, Rules: map[string]bool{}})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("passes %d", run.Passes-1)
				if changing := run.Passes - 1; changing > maxPropPasses {
					t.Errorf("%d passes changed files, want at most %d", changing, maxPropPasses)
				}
				for _, f := range run.Remaining {
					if !had[findingID(f)] {
						t.Errorf("the fixes created %s: %s", findingID(f), f.Message)
					}
				}
				if t.Failed() {
					for _, ch := range run.Files {
						d, _ := fixers.Diff(ch.HostPath, ch.Old, ch.New)
						t.Logf("%s:\n%s", ch.Host, d)
					}
				}
			})
		}
	}
}
