package rulecheck_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/internal/ruledoc"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/policies"
)

func builtinRules(t *testing.T) []*model.Rule {
	t.Helper()
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng.Rules()
}

func repoRoot(t *testing.T) string { return filepath.Dir(filepath.Dir(corpus.Dir(t))) }

// TestRulePages: docs/rules/<family>/<ID>.md is what ruledoc.Markdown makes
// of each rule's METADATA, docs/rules/README.md lists them all, and no
// page is left for a rule that is gone. -update (make docs, make golden)
// rewrites them.
func TestRulePages(t *testing.T) {
	root := repoRoot(t)
	rules := builtinRules(t)
	want := map[string]string{filepath.Join("docs", "rules", "README.md"): ruledoc.Index(rules)}
	for _, r := range rules {
		p := ruledoc.Path(r)
		if p == "" {
			t.Errorf("%s (%s): built-in rule outside a family directory of policies.Families", r.ID, r.Source)
			continue
		}
		want[filepath.FromSlash(p)] = ruledoc.Markdown(r)
	}
	have := map[string]bool{}
	_ = filepath.WalkDir(filepath.Join(root, "docs", "rules"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(root, p)
			have[rel] = true
		}
		return nil
	})
	for rel, text := range want {
		p := filepath.Join(root, rel)
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s is missing: run `make docs`", rel)
		} else if string(got) != text {
			t.Errorf("%s is stale (its rule's METADATA changed): run `make docs`", rel)
		}
	}
	for rel := range have {
		if _, ok := want[rel]; ok {
			continue
		}
		if *update {
			if err := os.Remove(filepath.Join(root, rel)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s documents no rule: run `make docs` to remove it", rel)
	}
}

var ruleNumber = regexp.MustCompile(`^OSC-([A-Z]+)-([0-9]{3})$`)

// TestRuleIdentity: a rule's id, package and file agree, so each one can
// be found from the others: OSC-HAP-001 is package oscfg.rules.hap_001 in
// policies/haproxy/hap_001.rego, with hap_001_test.rego beside it.
func TestRuleIdentity(t *testing.T) {
	prefixes := map[string]string{}
	for dir, fam := range policies.Families {
		if other, dup := prefixes[fam]; dup {
			t.Errorf("family %s is both %s/ and %s/", fam, dir, other)
		}
		prefixes[fam] = dir
	}
	for _, r := range builtinRules(t) {
		m := ruleNumber.FindStringSubmatch(r.ID)
		if m == nil {
			t.Errorf("%s (%s): a built-in id is OSC-<FAMILY>-<three digits>", r.ID, r.Source)
			continue
		}
		dir, ok := prefixes[m[1]]
		if !ok {
			t.Errorf("%s: family %s is not in policies.Families", r.ID, m[1])
			continue
		}
		base := strings.ToLower(m[1]) + "_" + m[2]
		wantFile := fmt.Sprintf("policies/%s/%s.rego", dir, base)
		if got := ruledoc.SourceFile(r); got != wantFile {
			t.Errorf("%s is defined in %s, want %s", r.ID, got, wantFile)
		}
		if want := "data.oscfg.rules." + base; r.Package != want {
			t.Errorf("%s is package %s, want %s", r.ID, strings.TrimPrefix(r.Package, "data."), strings.TrimPrefix(want, "data."))
		}
		if _, err := policies.FS.ReadFile(dir + "/" + base + "_test.rego"); err != nil {
			t.Errorf("%s has no %s/%s_test.rego", r.ID, dir, base)
		}
	}
}
