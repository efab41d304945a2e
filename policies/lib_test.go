package policies_test

import (
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/oscfg/oscfg/policies"
)

// TestPublicHelpers: oscfg.lib is the helper library user policies are
// offered, so every helper it defines (a name without a leading _) is
// named in docs/policies.md's helper reference and exercised by a
// lib/*_test.rego; the rules' own helpers live in lib/internal, which user
// policies may not read (engine TestUserPrivateHelpers).
func TestPublicHelpers(t *testing.T) {
	doc, err := os.ReadFile("../docs/policies.md")
	if err != nil {
		t.Fatal(err)
	}
	var tests strings.Builder
	helpers := map[string]string{} // name -> file
	libFiles, err := fs.Glob(policies.FS, "lib/*.rego")
	if err != nil || len(libFiles) == 0 {
		t.Fatalf("lib/*.rego: %v %v", libFiles, err)
	}
	for _, p := range libFiles {
		src, err := policies.FS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(p, "_test.rego") {
			tests.Write(src)
			continue
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Package.Path.String(); got != "data.oscfg.lib" {
			t.Errorf("%s: package %s; public helpers are package oscfg.lib, private ones lib/internal/<name>.rego", p, got)
		}
		for _, r := range m.Rules {
			name := r.Head.Ref()[0].Value.(ast.Var).String()
			if !strings.HasPrefix(name, "_") {
				helpers[name] = path.Base(p)
			}
		}
	}
	names := make([]string, 0, len(helpers))
	for n := range helpers {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 20 {
		t.Fatalf("only %d public helpers found: %v", len(names), names)
	}
	for _, n := range names {
		re := regexp.MustCompile(`\blib\.` + n + `\b`)
		if !re.Match(doc) {
			t.Errorf("lib.%s (%s) is not in docs/policies.md's helper reference", n, helpers[n])
		}
		if !re.MatchString(tests.String()) {
			t.Errorf("lib.%s (%s) has no test in policies/lib/*_test.rego", n, helpers[n])
		}
	}
	internal, err := fs.Glob(policies.FS, "lib/internal/*.rego")
	if err != nil || len(internal) == 0 {
		t.Fatalf("lib/internal: %v %v", internal, err)
	}
	for _, p := range internal {
		src, _ := policies.FS.ReadFile(p)
		want := "package oscfg.lib.internal." + strings.TrimSuffix(strings.TrimSuffix(path.Base(p), ".rego"), "_test")
		if strings.HasSuffix(p, "_test.rego") {
			want += "_test"
		}
		if !strings.HasPrefix(string(src), want+"\n") {
			t.Errorf("%s: want %q first", p, want)
		}
	}
}
