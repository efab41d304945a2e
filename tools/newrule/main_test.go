package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/lint/regotest"
	"github.com/oscfg/oscfg/policies"
)

// repoCopy is a repository root holding a copy of the built-in policies,
// so scaffolding writes nowhere near the real tree.
func repoCopy(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := policies.FS.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(root, "policies", filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestScaffoldCompilesAndFails: for each family, the next free id is
// taken, the rule and its real-text test compile with every built-in
// policy, and the scaffold's own test fails (not errors, not passes)
// until the rule is written.
func TestScaffoldCompilesAndFails(t *testing.T) {
	for _, family := range families() {
		t.Run(family, func(t *testing.T) {
			root := repoCopy(t)
			want, err := nextID(filepath.Join(root, "policies", family), policies.Families[family])
			if err != nil {
				t.Fatal(err)
			}
			base := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(want, "OSC-"), "-", "_"))
			if _, err := os.Stat(filepath.Join(root, "policies", family, base+".rego")); err == nil {
				t.Fatalf("next id %s already has a rule", want)
			}
			if err := scaffold(root, family, ""); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{"fires", "quiet"} {
				if _, err := os.Stat(filepath.Join(root, "testdata", "rules", want, p, "ctl1")); err != nil {
					t.Errorf("fixture %s: %v", p, err)
				}
			}
			// The rules and the new test; other tests need builtins of
			// their own package's Go test.
			mods, _, err := tester.Load([]string{filepath.Join(root, "policies")}, func(p string, info fs.FileInfo, _ int) bool {
				return !info.IsDir() && strings.HasSuffix(p, "_test.rego") && filepath.Base(p) != base+"_test.rego"
			})
			if err != nil {
				t.Fatal(err)
			}
			comp := ast.NewCompiler().WithCapabilities(regotest.Capabilities(engine.Capabilities()))
			runner := tester.NewRunner().SetCompiler(comp).SetModules(mods).
				AddCustomBuiltins(regotest.Builtins()).RaiseBuiltinErrors(true).
				Filter(`^data\.oscfg\.rules\.` + base + `_test\.`)
			ch, err := runner.RunTests(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for r := range ch {
				n++
				if r.Error != nil {
					t.Errorf("%s: error %v", r.Name, r.Error)
				} else if !r.Fail {
					t.Errorf("%s passes before the rule is written", r.Name)
				}
			}
			if n == 0 {
				t.Errorf("no test of %s ran", base)
			}
		})
	}
}

func TestScaffoldRefuses(t *testing.T) {
	root := repoCopy(t)
	for _, c := range []struct{ family, id, want string }{
		{"nosuch", "", "not a rule directory"},
		{"haproxy", "OSC-KS-099", "rules in policies/haproxy/ are OSC-HAP-NNN"},
		{"haproxy", "OSC-HAP-1", "OSC-HAP-NNN"},
		{"haproxy", "OSC-HAP-001", "exists: not overwritten"},
	} {
		err := scaffold(root, c.family, c.id)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("scaffold(%q, %q) = %v, want an error with %q", c.family, c.id, err, c.want)
		}
	}
	// Refused means nothing written.
	if _, err := os.Stat(filepath.Join(root, "testdata")); err == nil {
		t.Error("a refused scaffold wrote testdata/")
	}
}
