package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writePolicy(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBuiltinRulesHaveMetadata(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Rules()) == 0 {
		t.Fatal("no rules")
	}
	for _, r := range e.Rules() {
		if !strings.HasPrefix(r.ID, "OSC-") || r.Title == "" || r.Description == "" || len(r.References) == 0 {
			t.Errorf("%s (%s): incomplete metadata %+v", r.ID, r.Source, r)
		}
	}
}

func TestSandboxRefusesNetwork(t *testing.T) {
	for _, call := range []string{`http.send({"method": "get", "url": "http://127.0.0.1/"})`, `net.lookup_ip_addr("localhost")`, `opa.runtime()`, `time.now_ns()`} {
		dir := writePolicy(t, `# METADATA
# title: evil
# custom:
#   id: OSC-USER-001
#   severity: low
#   fix: manual
package oscfg.rules.evil

deny contains f if {
	x := `+call+`
	f := {"host": "h", "file": "f", "line": 1, "message": sprintf("%v", [x])}
}
`)
		_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
		if err == nil || !strings.Contains(err.Error(), "undefined function") || !strings.Contains(err.Error(), "p.rego") {
			t.Errorf("%s: want a compile error naming the file and the builtin, got %v", call, err)
		}
	}
}

func TestRuleWithoutMetadataRefused(t *testing.T) {
	dir := writePolicy(t, "package oscfg.rules.nometa\n\ndeny contains f if { f := {\"message\": \"x\"} }\n")
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), "no METADATA") {
		t.Errorf("got %v", err)
	}
}

func TestBadSeverityRefused(t *testing.T) {
	dir := writePolicy(t, "# METADATA\n# title: t\n# custom:\n#   id: OSC-USER-002\n#   severity: urgent\n#   fix: manual\npackage oscfg.rules.badsev\n\ndeny contains f if { false; f := {} }\n")
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), "urgent") {
		t.Errorf("got %v", err)
	}
}

func TestEvalDecodesFindings(t *testing.T) {
	dir := writePolicy(t, `# METADATA
# title: debug on
# custom:
#   id: OSC-USER-003
#   severity: low
#   fix: safe
package oscfg.rules.user_debug

deny contains f if {
	some h, p
	input.hosts[h].files[p].debug
	f := {"host": h, "file": p, "line": 7, "message": "debug on", "severity": "high",
		"related": [{"host": h, "file": p, "line": 2, "note": "n"}], "fix": {"op": "set"}}
}
`)
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := Input(map[string]any{"release": map[string]any{"index": 26}, "hosts": map[string]any{"h1": map[string]any{"files": map[string]any{"/etc/x.conf": map[string]any{"debug": true}}}}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Rule == "OSC-USER-003" {
			got = append(got, f.Host+f.File)
			if f.Line != 7 || f.Severity != "high" || f.Title != "debug on" || len(f.Related) != 1 || f.Related[0].Line != 2 || f.Fix["op"] != "set" || f.FixClass != "safe" {
				t.Errorf("decoded %+v", f)
			}
		}
	}
	if len(got) != 1 {
		t.Errorf("want one finding, got %v", got)
	}
}

func BenchmarkEngineNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
