package rulecheck_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/corpus"
)

// privateRef names files that live beside the repository while oscfg is
// built (the design notes, the audit's catalog, the seed incidents), which
// no user of oscfg has.
var privateRef = regexp.MustCompile(`\b(RULES|DESIGN|STYLE)\.md\b|\.\./shared\b|\bshared/(notes|seeds|corpus)\b`)

// TestRulesCiteOnlyWhatUsersHave: no rule's METADATA (what explain, the
// reports and docs/rules show) and no text shipped to users (policies,
// report and CLI sources, docs, README) refers to those files: a fact cites
// its primary source instead.
func TestRulesCiteOnlyWhatUsersHave(t *testing.T) {
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.Rules() {
		text := strings.Join(append([]string{r.Title, r.Description, r.Remedy}, r.References...), "\n")
		if m := privateRef.FindString(text); m != "" {
			t.Errorf("%s (%s): its METADATA refers to %s, which users do not have; cite the primary source", r.ID, r.Source, m)
		}
	}
	root := filepath.Dir(corpus.Dir(t))
	root = filepath.Dir(root) // the module root, above testdata/
	for _, dir := range []string{"policies", "report", "cmd", "docs", "engine", "loader", "model", "parsers", "fixers"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(p) {
			case ".rego", ".go", ".md", ".tmpl":
			default:
				return nil
			}
			if strings.HasSuffix(p, "_test.go") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(src), "\n") {
				if m := privateRef.FindString(line); m != "" {
					rel, _ := filepath.Rel(root, p)
					t.Errorf("%s:%d refers to %s, which users do not have", rel, i+1, m)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"README.md"} {
		src, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if m := privateRef.FindString(string(src)); m != "" {
			t.Errorf("%s refers to %s, which users do not have", f, m)
		}
	}
}
