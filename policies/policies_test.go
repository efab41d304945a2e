package policies_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/lint/regotest"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/policies"
	"github.com/oscfg/oscfg/topology"
)

// topologyBuiltin is oscfg_test.topology(input), for Rego tests only: the
// input.topology that topology.Compute gives for a test's hand-built
// hosts, so rule tests read the facts Go computes instead of restating
// them (and cannot drift from them).
var topologyDecl = &ast.Builtin{Name: "oscfg_test.topology", Decl: types.NewFunction(types.Args(types.A), types.A)}

func topologyBuiltin() *tester.Builtin {
	return &tester.Builtin{Decl: topologyDecl, Func: rego.Function1(&rego.Function{Name: topologyDecl.Name, Decl: topologyDecl.Decl},
		func(_ rego.BuiltinContext, in *ast.Term) (*ast.Term, error) {
			v, err := ast.JSON(in.Value)
			if err != nil {
				return nil, err
			}
			doc, _ := v.(map[string]any)
			hosts := map[string]map[string]any{}
			if hs, ok := doc["hosts"].(map[string]any); ok {
				for n, h := range hs {
					if m, ok := h.(map[string]any); ok {
						hosts[n] = m
					}
				}
			}
			rel := model.Release{Name: "zed", Index: 26, Source: "default"}
			if r, ok := doc["release"].(map[string]any); ok {
				rel.Name, _ = r["name"].(string)
				rel.Index = model.AsInt(r["index"])
				if s, ok := r["source"].(string); ok {
					rel.Source = s
				}
			}
			// host_releases (tests only): {host: release name}, each host's
			// own release as the loader decides it per host; the others
			// take the document's release.
			var rels map[string]model.Release
			if hr, ok := doc["host_releases"].(map[string]any); ok {
				rels = map[string]model.Release{}
				for n, v := range hr {
					name, _ := v.(string)
					r, err := model.ParseRelease(name, "test")
					if err != nil {
						return nil, err
					}
					r.Reason = "host_releases of the test input"
					rels[n] = r
				}
			}
			tv, err := ast.InterfaceToValue(topology.Compute(hosts, topology.Options{Release: rel, Releases: rels}).View())
			if err != nil {
				return nil, err
			}
			return ast.NewTerm(tv), nil
		})}
}

// TestRego runs every *_test.rego beside the built-in policies, compiled
// with the same sandboxed capabilities the engine uses (what `opa test`
// would do, without needing the opa binary).
func TestRego(t *testing.T) {
	mods := map[string]*ast.Module{}
	popts := ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}
	tests := 0
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := policies.FS.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), popts)
		if err != nil {
			return err
		}
		mods[p] = m
		if strings.HasSuffix(p, "_test.rego") {
			tests++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// oscfg.fleet (real config text through the loader, as oscfg test
	// offers it) and oscfg_test.topology; a builtin's error, such as a
	// file that does not parse, fails the test with its message.
	caps := regotest.Capabilities(engine.Capabilities())
	caps.Builtins = append(caps.Builtins, topologyDecl)
	comp := ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(true)
	runner := tester.NewRunner().SetCompiler(comp).SetModules(mods).
		AddCustomBuiltins(append(regotest.Builtins(), topologyBuiltin())).RaiseBuiltinErrors(true)
	ch, err := runner.RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for r := range ch {
		ran++
		name := r.Package + "." + r.Name
		if r.Error != nil {
			t.Errorf("%s (%s): error: %v", name, r.Location, r.Error)
		} else if r.Fail {
			t.Errorf("%s (%s): FAIL\n%s", name, r.Location, r.Output)
		}
	}
	if ran == 0 {
		t.Fatalf("no Rego tests ran (%d test files)", tests)
	}
	t.Logf("%d Rego tests in %d files", ran, tests)
}

// TestEveryRuleHasTests: each rule package has a _test.rego beside it.
func TestEveryRuleHasTests(t *testing.T) {
	files := map[string]bool{}
	_ = fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files[p] = true
		}
		return nil
	})
	for p := range files {
		if strings.HasPrefix(p, "lib/") || strings.HasSuffix(p, "_test.rego") || !strings.HasSuffix(p, ".rego") {
			continue
		}
		if !files[strings.TrimSuffix(p, ".rego")+"_test.rego"] {
			t.Errorf("%s has no %s", p, strings.TrimSuffix(p, ".rego")+"_test.rego")
		}
	}
}
