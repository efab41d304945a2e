package lint

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestDocListsSteps: the package doc names every step's function, in the
// order Run runs them.
func TestDocListsSteps(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`(?m)^//\s+\d+\. ([a-z-]+): [^(]*(?:\([^)]*\)[^(]*)*?\((\w+)\)`).FindAllStringSubmatch(string(doc), -1) {
		listed = append(listed, m[1]+" "+m[2])
	}
	var want []string
	for _, st := range steps {
		fn := runtime.FuncForPC(reflect.ValueOf(st.run).Pointer()).Name()
		want = append(want, st.name+" "+fn[strings.LastIndex(fn, ".")+1:])
	}
	if !reflect.DeepEqual(listed, want) {
		t.Errorf("doc.go lists\n  %s\nRun runs\n  %s", strings.Join(listed, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestLoadDoesNotEvaluate: Load stops after the input document; a user
// rule that fails whenever it runs does not break it.
func TestLoadDoesNotEvaluate(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "site"), 0o755); err != nil {
		t.Fatal(err)
	}
	rule := "# METADATA\n# title: fails\n# custom:\n#   id: SITE-BOOM-002\n#   severity: low\npackage oscfg.user.boom2\n\ndeny contains f if {\n\tsome h, _ in input.hosts\n\tto_number(h) > 0\n\tf := {\"host\": h, \"file\": \"/etc/x\", \"line\": 1, \"message\": \"boom\"}\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "site", "boom.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	ini := filepath.Join(dir, "oscfg.ini")
	if err := os.WriteFile(ini, []byte("policy = site\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ld, err := Load(context.Background(), Options{Config: ini, Paths: []string{exampleFleet}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ld.Fleet.Hosts) == 0 || ld.Input["hosts"] == nil || ld.Topology == nil {
		t.Errorf("Load: %d hosts, input keys %d, topology %v", len(ld.Fleet.Hosts), len(ld.Input), ld.Topology != nil)
	}
	if _, err := Run(context.Background(), Options{Config: ini, Paths: []string{exampleFleet}}); err == nil {
		t.Error("Run does not evaluate the failing rule")
	}
}

// TestNoPath: a run without a PATH is the caller's error.
func TestNoPath(t *testing.T) {
	if _, err := Run(context.Background(), Options{}); err == nil {
		t.Fatal("no error")
	} else if _, ok := err.(UsageError); !ok {
		t.Errorf("%T %v, want a UsageError", err, err)
	}
}
