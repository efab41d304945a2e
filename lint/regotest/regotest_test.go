package regotest

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/lint"
)

// TestFleetIsLintsDocument: for every scenario fleet of testdata, the
// document oscfg.fleet builds from the files' text equals the one lint
// builds (what oscfg model prints) for the same files in a host root on
// disk. Only where a file was read from differs: "source" is
// HOST:/PATH in memory, the disk path otherwise.
func TestFleetIsLintsDocument(t *testing.T) {
	fleets, err := filepath.Glob("../../testdata/scenarios/*/fleet")
	if err != nil || len(fleets) < 10 {
		t.Fatalf("scenario fleets: %v %v", fleets, err)
	}
	fleets = append(fleets, "../../testdata/demo-fleet")
	// Settings are the defaults on both sides: an empty oscfg.ini.
	ini := filepath.Join(t.TempDir(), "oscfg.ini")
	if err := os.WriteFile(ini, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, src := range fleets {
		name := filepath.Base(filepath.Dir(src))
		t.Run(name, func(t *testing.T) {
			// An in-memory host has no links: a sosreport's hostname ->
			// sos_commands/host/hostname becomes two regular files, the
			// target one oscfg never reads, so oscfg.fleet refuses it as
			// text oscfg does not look at and there is nothing to compare.
			if links := symlinks(t, src); len(links) > 0 {
				t.Skipf("in-memory hosts have no symlinks, and this fleet has %d: %s", len(links), strings.Join(links, ", "))
			}
			dir := copyFleet(t, src)
			ld, err := lint.Load(context.Background(), lint.Options{Paths: []string{dir}, Config: ini})
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]string{}
			roots := map[string]string{} // disk root -> host name
			for _, h := range ld.Fleet.Hosts {
				roots[h.Root] = h.Name
			}
			for root, host := range roots {
				err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					b, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					rel, _ := filepath.Rel(root, p)
					files[host+":/"+filepath.ToSlash(rel)] = string(b)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := Fleet(context.Background(), files)
			if err != nil {
				t.Fatal(err)
			}
			want := roundTrip(t, renameSources(ld.Input, roots))
			if g := roundTrip(t, got); !reflect.DeepEqual(g, want) {
				gj, _ := json.MarshalIndent(g, "", " ")
				wj, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("oscfg.fleet's document differs from lint's:\n%s", firstDiff(string(gj), string(wj)))
			}
			compared++
		})
	}
	if compared < 10 {
		t.Errorf("only %d fleets compared", compared)
	}
}

// symlinks lists the symbolic links under dir, relative to it.
func symlinks(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyFleet copies a fleet's host directories (not its oscfg.ini) into a
// temp dir, every file mode 0644 as in memory.
func copyFleet(t *testing.T, src string) string {
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() || rel == "oscfg.ini" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return err
		}
		return os.Chmod(out, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// renameSources names what was read from a disk root as the in-memory
// host names it: ROOT is HOST, ROOT/x is HOST:/x.
func renameSources(v any, roots map[string]string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = renameSources(e, roots)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = renameSources(e, roots)
		}
		return out
	case string:
		for root, host := range roots {
			if x == root {
				return host
			}
			if rest, ok := strings.CutPrefix(x, root+"/"); ok {
				return host + ":/" + rest
			}
		}
	}
	return v
}

// roundTrip is v as JSON decodes it (the document holds typed slices).
func roundTrip(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			lo := max(0, i-5)
			return "oscfg.fleet:\n" + strings.Join(g[lo:min(len(g), i+5)], "\n") + "\nlint:\n" + strings.Join(w[lo:min(len(w), i+5)], "\n")
		}
	}
	return "lengths differ"
}

func TestFleetErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"none", map[string]string{}, "no files"},
		{"no host", map[string]string{"/etc/nova/nova.conf": ""}, `"/etc/nova/nova.conf": a key is HOST:/PATH`},
		{"relative path", map[string]string{"ctl1:etc/nova/nova.conf": ""}, "a key is HOST:/PATH"},
		{"unclean path", map[string]string{"ctl1:/etc/nova/../nova/nova.conf": ""}, "write /etc/nova/nova.conf"},
		{"file and directory", map[string]string{"ctl1:/etc/nova": "", "ctl1:/etc/nova/nova.conf": ""}, "ctl1:/etc/nova: both a file and a directory"},
		{"syntax error", map[string]string{"ctl1:/etc/nova/nova.conf": "[DEFAULT]\ndebug = true\n[database\n"}, "ctl1:/etc/nova/nova.conf:3: Invalid section"},
		{"haproxy error", map[string]string{"lb1:/etc/haproxy/haproxy.cfg": "global\n    maxconn 4000\n.endif\n"}, "lb1:/etc/haproxy/haproxy.cfg:3: lone '.endif'"},
		{"my.cnf include", map[string]string{"db1:/etc/my.cnf": "[mysqld]\n!includedir /etc/my.cnf.d\n"}, "db1:/etc/my.cnf:2: !includedir /etc/my.cnf.d"},
		{"backup", map[string]string{"ctl1:/etc/nova/nova.conf": "[DEFAULT]\n", "ctl1:/etc/nova/nova.conf.bak": "[DEFAULT]\n"}, "ctl1:/etc/nova/nova.conf.bak: oscfg does not read this"},
		{"not read", map[string]string{"ctl1:/etc/nova/nova.conf": "[DEFAULT]\n", "ctl1:/etc/nova.conf": "[DEFAULT]\n"}, "ctl1:/etc/nova.conf: oscfg does not read this"},
		// On disk FLEET/east/ would be a host root and east/ctl1 inside it
		// never looked at: no fleet has both.
		{"host and cluster", map[string]string{"east:/etc/nova/nova.conf": "[DEFAULT]\n", "east/ctl1:/etc/nova/nova.conf": "[DEFAULT]\n"}, `"east" is both a host and the cluster of east/ctl1`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Fleet(context.Background(), c.files)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// A nested fleet's host is CLUSTER/HOST: the layout's cluster, as for
// FLEET/CLUSTER/HOST on disk.
func TestFleetClusters(t *testing.T) {
	doc, err := Fleet(context.Background(), map[string]string{
		"east/ctl1:/etc/nova/nova.conf": "[DEFAULT]\n",
		"west/ctl1:/etc/nova/nova.conf": "[DEFAULT]\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	hosts := doc["topology"].(map[string]any)["hosts"].(map[string]any)
	for _, h := range []string{"east/ctl1", "west/ctl1"} {
		th, _ := hosts[h].(map[string]any)
		if c, _ := th["cluster"].(string); c != strings.Split(h, "/")[0] {
			t.Errorf("%s: cluster %v, want %s (topology hosts %v)", h, th["cluster"], strings.Split(h, "/")[0], hosts)
		}
	}
}

// The builtin in a test run: the document, and a file that does not
// parse failing the test with its HOST:/PATH:LINE.
func TestBuiltin(t *testing.T) {
	const src = `package x_test

_in := oscfg.fleet({"ctl1:/etc/nova/nova.conf": "[DEFAULT]\ndebug = true\n"})

test_document if {
	_in.hosts.ctl1.files["/etc/nova/nova.conf"].options.DEFAULT.debug.value == true
	_in.hosts.ctl1.files["/etc/nova/nova.conf"].options.DEFAULT.debug.line == 2
	_in.hosts.ctl1.files["/etc/nova/nova.conf"].source == "ctl1:/etc/nova/nova.conf"
}

test_broken if {
	oscfg.fleet({"ctl1:/etc/nova/nova.conf": "[DEFAULT]\n  indented = 1\n"})
}
`
	m, err := ast.ParseModuleWithOpts("x_test.rego", src, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	comp := ast.NewCompiler().WithCapabilities(Capabilities(engine.Capabilities()))
	ch, err := tester.NewRunner().SetCompiler(comp).SetModules(map[string]*ast.Module{"x_test.rego": m}).
		AddCustomBuiltins(Builtins()).RaiseBuiltinErrors(true).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*tester.Result{}
	for r := range ch {
		got[r.Name] = r
	}
	if r := got["test_document"]; r == nil || !r.Pass() {
		t.Errorf("test_document: %+v", r)
	}
	r := got["test_broken"]
	if r == nil || r.Error == nil || !strings.Contains(r.Error.Error(), "oscfg.fleet: ctl1:/etc/nova/nova.conf:2: Unexpected continuation line") {
		t.Errorf("test_broken: want an error naming ctl1:/etc/nova/nova.conf:2, got %+v", r)
	}
}

// Lint has no such builtin: a policy calling it is refused when it loads.
func TestNotInLint(t *testing.T) {
	for _, b := range engine.Capabilities().Builtins {
		if b.Name == FleetDecl.Name {
			t.Fatalf("%s is in the lint sandbox", b.Name)
		}
	}
}
