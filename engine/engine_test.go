package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
)

func writePolicy(t *testing.T, src string) string {
	t.Helper()
	return writeFiles(t, map[string]string{"p.rego": src})
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// userRule is a user rule package with the given METADATA custom block,
// package name and deny body.
func userRule(id, severity, fix, pkg, body string) string {
	return fmt.Sprintf(`# METADATA
# title: user rule %s
# custom:
#   id: %s
#   severity: %s
#   fix: %s
package %s

deny contains f if {
%s
}
`, pkg, id, severity, fix, pkg, body)
}

func newWith(dirs ...string) (*Engine, error) {
	return New(context.Background(), Options{PolicyDirs: dirs})
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
		if r.User || !strings.HasPrefix(r.Package, "data.oscfg.rules.") || !strings.HasPrefix(r.Source, "policies/") {
			t.Errorf("%s: built-in rule with package %s, source %s, user %v", r.ID, r.Package, r.Source, r.User)
		}
	}
}

// The sandbox: a policy calling an I/O or nondeterministic builtin is
// refused at load, and the message names the file, the line and the
// builtin. It holds for rule packages and helper packages alike.
func TestSandboxRefusesIO(t *testing.T) {
	cases := map[string]string{
		`http.send({"method": "get", "url": "http://127.0.0.1/"})`: "http.send is not allowed in oscfg policies (no network access)",
		`net.lookup_ip_addr("localhost")`:                          "net.lookup_ip_addr is not allowed in oscfg policies (no network access)",
		`opa.runtime()`:                                            "opa.runtime is not allowed in oscfg policies (no runtime or environment access)",
		`time.now_ns()`:                                            "time.now_ns is not allowed in oscfg policies (nondeterministic",
		`rand.intn("x", 10)`:                                       "rand.intn is not allowed in oscfg policies (nondeterministic",
		`uuid.rfc4122("x")`:                                        "uuid.rfc4122 is not allowed in oscfg policies (nondeterministic",
	}
	for call, want := range cases {
		rule := writePolicy(t, userRule("SITE-EVIL-001", "low", "manual", "oscfg.user.evil",
			"\tx := "+call+"\n\tf := {\"host\": \"h\", \"file\": \"f\", \"line\": 1, \"message\": sprintf(\"%v\", [x])}"))
		helper := writePolicy(t, "package oscfg.user.helper\n\nleak := x if {\n\tx := "+call+"\n}\n")
		for dir, line := range map[string]int{rule: 10, helper: 4} {
			_, err := newWith(dir)
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Errorf("%s: want a *PolicyError, got %T %v", call, err, err)
				continue
			}
			prefix := fmt.Sprintf("%s:%d: ", filepath.Join(dir, "p.rego"), line)
			if !strings.HasPrefix(err.Error(), prefix+want) {
				t.Errorf("%s:\n got %q\nwant %q", call, err, prefix+want)
			}
		}
	}
}

func TestCapabilitiesSandbox(t *testing.T) {
	have := map[string]bool{}
	for _, b := range Capabilities().Builtins {
		have[b.Name] = true
		if b.Nondeterministic {
			t.Errorf("nondeterministic builtin %s in the sandbox", b.Name)
		}
	}
	for _, n := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "time.now_ns", "trace"} {
		if have[n] {
			t.Errorf("%s in the sandbox", n)
		}
	}
	for _, n := range []string{"sprintf", "net.cidr_contains", "regex.match", "internal.print"} {
		if !have[n] {
			t.Errorf("%s missing from the sandbox", n)
		}
	}
	if c := Capabilities(); c.AllowNet == nil || len(c.AllowNet) != 0 {
		t.Errorf("AllowNet = %#v, want empty (no host)", c.AllowNet)
	}
}

// print() is erased in lint (it is for `oscfg test`), not refused.
func TestPrintErasedInLint(t *testing.T) {
	dir := writePolicy(t, userRule("SITE-PRINT-001", "low", "manual", "oscfg.user.printing", "\tprint(\"debugging\")\n\tfalse\n\tf := {}"))
	if _, err := newWith(dir); err != nil {
		t.Fatal(err)
	}
}

func TestUserNamespace(t *testing.T) {
	for pkg, want := range map[string]string{
		"oscfg.rules.hap_001":    "package oscfg.rules.hap_001 is reserved for oscfg's built-in rules",
		"oscfg.rules.evil":       "package oscfg.rules.evil is reserved",
		"oscfg.lib":              "package oscfg.lib is reserved",
		"oscfg.lib.extra":        "package oscfg.lib.extra is reserved",
		"site.checks":            `package site.checks: a user policy must be "package oscfg.user.<name>"`,
		"oscfg.user":             "package oscfg.user: a user policy must be",
		"oscfg.user.site.nested": "package oscfg.user.site.nested: a user policy must be",
		`oscfg.user["my-site"]`:  "a user policy must be",
	} {
		dir := writePolicy(t, userRule("SITE-NS-001", "low", "manual", pkg, "\tfalse\n\tf := {}"))
		_, err := newWith(dir)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), filepath.Join(dir, "p.rego")+":7: ") {
			t.Errorf("package %s: got %v, want file:7 and %q", pkg, err, want)
		}
	}
}

// TestUserPrivateHelpers: a user policy or test that reads the built-in
// rules' private helpers is refused at the line that does, however it
// names them; the public helpers load.
func TestUserPrivateHelpers(t *testing.T) {
	const want = "is private to oscfg's built-in rules"
	for name, c := range map[string]struct{ file, imports, cond string }{
		"import":         {"p.rego", "import data.oscfg.lib.internal.galera\n", "\tgalera.opt(\"db1\", \"wsrep_on\")"},
		"import as":      {"p.rego", "import data.oscfg.lib.internal.galera as g\n", "\tg.opt(\"db1\", \"wsrep_on\")"},
		"through lib":    {"p.rego", "import data.oscfg.lib\n", "\tlib.internal.galera.opt(\"db1\", \"wsrep_on\")"},
		"full ref":       {"p.rego", "", "\tdata.oscfg.lib.internal.galera.opt(\"db1\", \"wsrep_on\")"},
		"string key":     {"p.rego", "", "\tdata.oscfg.lib[\"internal\"].galera.opt(\"db1\", \"wsrep_on\")"},
		"in a user test": {"p_test.rego", "import data.oscfg.lib\n", "\tlib.internal.galera.opt(\"db1\", \"wsrep_on\")"},
	} {
		t.Run(name, func(t *testing.T) {
			src := fmt.Sprintf("package oscfg.user.site\n\n%s\n# METADATA\n# custom:\n#   id: SITE-PRIV-001\n#   severity: low\n#   fix: manual\ndeny contains f if {\n%s\n\tf := {}\n}\n", c.imports, c.cond)
			if strings.HasSuffix(c.file, "_test.rego") {
				src = "package oscfg.user.site_test\n\n" + c.imports + "\ntest_x if {\n" + c.cond + "\n}\n"
			}
			dir := writeFiles(t, map[string]string{c.file: src})
			var err error
			if strings.HasSuffix(c.file, "_test.rego") {
				_, _, err = TestModules([]string{dir})
			} else {
				_, err = newWith(dir)
			}
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), ": data.oscfg.lib.internal.galera") || !strings.Contains(err.Error(), c.file+":") {
				t.Errorf("got %v, want %s: ... %q", err, c.file, want)
			}
		})
	}
	dir := writePolicy(t, userRule("SITE-PUB-001", "low", "manual", "oscfg.user.site", "\tsome h in data.oscfg.lib.gal_nodes\n\tf := {\"host\": h}"))
	if _, err := newWith(dir); err != nil {
		t.Errorf("public helpers: %v", err)
	}
}

func TestUserRuleIDs(t *testing.T) {
	one := userRule("SITE-DUP-001", "low", "manual", "oscfg.user.one", "\tfalse\n\tf := {}")
	cases := []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"p.rego": userRule("OSC-HAP-001", "low", "manual", "oscfg.user.clash", "\tfalse\n\tf := {}")}, "ids starting with OSC- are reserved"},
		{map[string]string{"p.rego": userRule("OSC-SITE-001", "low", "manual", "oscfg.user.clash", "\tfalse\n\tf := {}")}, "ids starting with OSC- are reserved"},
		{map[string]string{"p.rego": userRule("site-001", "low", "manual", "oscfg.user.lower", "\tfalse\n\tf := {}")}, `custom.id "site-001" is not an id like SITE-NOVA-001`},
		{map[string]string{"p.rego": userRule("SITE", "low", "manual", "oscfg.user.noprefix", "\tfalse\n\tf := {}")}, `custom.id "SITE" is not an id`},
		{map[string]string{"a.rego": one, "b.rego": userRule("SITE-DUP-001", "low", "manual", "oscfg.user.two", "\tfalse\n\tf := {}")}, "rule id SITE-DUP-001 is already used by oscfg.user."},
	}
	for _, c := range cases {
		_, err := newWith(writeFiles(t, c.files))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}

func TestRuleWithoutMetadataRefused(t *testing.T) {
	dir := writePolicy(t, "package oscfg.user.nometa\n\ndeny contains f if { f := {\"message\": \"x\"} }\n")
	_, err := newWith(dir)
	if err == nil || !strings.Contains(err.Error(), "p.rego:1: rule package oscfg.user.nometa has no METADATA") {
		t.Errorf("got %v", err)
	}
}

// A user package without deny is a helper library: no METADATA needed,
// and rules import it.
func TestUserHelperPackage(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"helpers.rego": "package oscfg.user.helpers\n\nprod(h) if startswith(h, \"prod-\")\n",
		"rule.rego": userRule("SITE-HELP-001", "low", "manual", "oscfg.user.uses_helper",
			"\tsome h, _ in input.hosts\n\tdata.oscfg.user.helpers.prod(h)\n\tf := {\"host\": h, \"file\": \"/etc/x\", \"line\": 1, \"message\": \"prod host\"}"),
	})
	e, err := newWith(dir)
	if err != nil {
		t.Fatal(err)
	}
	if e.Rule("SITE-HELP-001") == nil || e.Rule("site-help-001") == nil {
		t.Fatal("user rule not listed")
	}
	in, _ := Input(map[string]any{"hosts": map[string]any{"prod-1": map[string]any{}, "lab-1": map[string]any{}}})
	fs, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Host != "prod-1" || fs[0].Rule != "SITE-HELP-001" {
		t.Errorf("findings %+v", fs)
	}
}

func TestBadMetadataRefused(t *testing.T) {
	for _, c := range []struct{ sev, fix, want string }{
		{"urgent", "manual", `custom.severity "urgent"`},
		{"low", "sometimes", `custom.fix "sometimes"`},
	} {
		dir := writePolicy(t, userRule("SITE-BAD-001", c.sev, c.fix, "oscfg.user.bad", "\tfalse\n\tf := {}"))
		_, err := newWith(dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "p.rego:1:") {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}

// A reference with ": " in it is a YAML mapping, not a string; dropping it
// silently lost citations, so it is refused with the reason.
func TestReferenceThatIsNotAStringRefused(t *testing.T) {
	src := strings.Replace(userRule("SITE-BAD-002", "low", "manual", "oscfg.user.bad", "\tfalse\n\tf := {}"),
		"#   fix: manual\n", "#   fix: manual\n#   references:\n#     - fine text\n#     - haproxy src/stream.c (2.6, back_establish: the backend's)\n", 1)
	dir := writePolicy(t, src)
	_, err := newWith(dir)
	if err == nil || !strings.Contains(err.Error(), "custom.references[1] is not a string") || !strings.Contains(err.Error(), "p.rego:1:") {
		t.Errorf("got %v", err)
	}
}

// A rule that returns no fix need not declare custom.fix; only a fix
// needs its class, from the METADATA or the finding's fix_class.
func TestFixClassOnlyWithAFix(t *testing.T) {
	rule := func(pkg, id, f string) string {
		return fmt.Sprintf("# METADATA\n# title: t\n# custom:\n#   id: %s\n#   severity: low\npackage oscfg.user.%s\n\ndeny contains f if {\n\tsome h, _ in input.hosts\n\tf := %s\n}\n", id, pkg, f)
	}
	in, _ := Input(map[string]any{"hosts": map[string]any{"h1": map[string]any{}}})
	msg := `{"host": h, "file": "/etc/x", "line": 1, "message": "m"`
	fx := `"fix": {"op": "delete", "section": "s", "key": "k"}`

	e, err := newWith(writePolicy(t, rule("nofix", "SITE-NOFIX-001", msg+"}")))
	if err != nil {
		t.Fatalf("a rule without custom.fix and without fixes is refused: %v", err)
	}
	if r := e.Rule("SITE-NOFIX-001"); r == nil || r.Fix != "" {
		t.Fatalf("rule %+v", r)
	}
	if fs, err := e.Eval(context.Background(), in); err != nil || len(fs) != 1 || fs[0].Fix != nil || fs[0].FixClass != "" {
		t.Errorf("findings %+v, %v", fs, err)
	}

	e, err = newWith(writePolicy(t, rule("classed", "SITE-CLASSED-001", msg+`, "fix_class": "manual", `+fx+"}")))
	if err != nil {
		t.Fatal(err)
	}
	if fs, err := e.Eval(context.Background(), in); err != nil || len(fs) != 1 || fs[0].FixClass != "manual" || fs[0].Fix == nil {
		t.Errorf("a fix with its fix_class: %+v, %v", fs, err)
	}

	e, err = newWith(writePolicy(t, rule("unclassed", "SITE-UNCLASSED-001", msg+", "+fx+"}")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(context.Background(), in); err == nil || !strings.Contains(err.Error(), "SITE-UNCLASSED-001") || !strings.Contains(err.Error(), "no custom.fix") {
		t.Errorf("a fix without a class: %v", err)
	}
}

func TestPolicyDirErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	empty := writeFiles(t, map[string]string{"only_test.rego": "package x_test\n\ntest_x if true\n", "README": "x"})
	v0 := writePolicy(t, "package oscfg.user.old\n\ndeny[f] { f := 1 }\n")
	for dir, want := range map[string]string{
		missing: "policy directory " + missing + ": no such file or directory",
		empty:   "policy directory " + empty + ": no policies",
		v0:      filepath.Join(v0, "p.rego") + ":3: rego_parse_error",
	} {
		_, err := newWith(dir)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// The same directory from oscfg.ini and --policy is loaded once.
func TestSameDirTwice(t *testing.T) {
	dir := writePolicy(t, userRule("SITE-TWICE-001", "low", "manual", "oscfg.user.twice", "\tfalse\n\tf := {}"))
	if _, err := newWith(dir, dir+"/", filepath.Join(dir, ".")); err != nil {
		t.Fatal(err)
	}
}

func TestEvalDecodesFindings(t *testing.T) {
	dir := writePolicy(t, `# METADATA
# title: debug on
# custom:
#   id: SITE-USER-003
#   severity: low
#   fix: safe
package oscfg.user.user_debug

deny contains f if {
	some h, p
	input.hosts[h].files[p].debug
	f := {"host": h, "file": p, "line": 7, "message": "debug on", "severity": "high",
		"related": [{"host": h, "file": p, "line": 2, "note": "n"}], "fix": {"op": "set", "section": "DEFAULT", "key": "debug", "value": "false"}}
}
`)
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	r := e.Rule("SITE-USER-003")
	if r == nil || !r.User || r.Package != "data.oscfg.user.user_debug" || r.Source != filepath.Join(dir, "p.rego")+":1" {
		t.Fatalf("rule %+v", r)
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
		if f.Rule == "SITE-USER-003" {
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

// Built-in and user rules are evaluated by the same query.
func TestBuiltinAndUserFindingsTogether(t *testing.T) {
	dir := writePolicy(t, userRule("SITE-ALL-001", "info", "manual", "oscfg.user.every_host",
		"\tsome h, _ in input.hosts\n\tf := {\"host\": h, \"file\": \"/etc/haproxy/haproxy.cfg\", \"line\": 1, \"message\": \"seen\"}"))
	e, err := newWith(dir)
	if err != nil {
		t.Fatal(err)
	}
	px := map[string]any{"type": "listen", "name": "cinder_api", "file": "/etc/haproxy/haproxy.cfg", "line": 3, "service": "cinder-api", "role": "api",
		"balance": map[string]any{"value": "source", "file": "/etc/haproxy/haproxy.cfg", "line": 4, "args": []any{}, "inherited": false},
		"mode":    map[string]any{"value": "http"}, "ports": []any{8776}, "servers": []any{}, "options": map[string]any{}, "timeouts": map[string]any{}}
	in, err := Input(map[string]any{"release": map[string]any{"name": "zed", "index": 26}, "settings": map[string]any{"block_device_window_target": 600},
		"hosts": map[string]any{"lb1": map[string]any{"name": "lb1", "files": map[string]any{}, "haproxy": map[string]any{"proxies": map[string]any{"cinder_api": px}}}}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, f := range fs {
		rules[f.Rule] = true
	}
	if !rules["SITE-ALL-001"] || !rules["OSC-HAP-001"] {
		t.Errorf("want both OSC-HAP-001 and SITE-ALL-001, got %v", rules)
	}
}

func TestTestModules(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"r.rego":      userRule("SITE-T-001", "low", "manual", "oscfg.user.r", "\tfalse\n\tf := {}"),
		"r_test.rego": "package oscfg.user.r_test\n\ntest_x if true\n",
	})
	mods, n, err := TestModules([]string{dir})
	if err != nil || n != 1 {
		t.Fatalf("%d tests, %v", n, err)
	}
	if mods["policies/lib/oslo.rego"] == nil || mods[filepath.Join(dir, "r_test.rego")] == nil || mods["policies/haproxy/hap_001.rego"] != nil {
		t.Errorf("modules: want the lib and the user files only")
	}
	bad := writeFiles(t, map[string]string{"x_test.rego": "package oscfg.rules.hap_001\n\ntest_x if true\n"})
	if _, _, err := TestModules([]string{bad}); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("test module in a built-in package: %v", err)
	}
}

func BenchmarkEngineNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A disabled rule is not evaluated at all: a rule that fails whenever it
// runs (a strict builtin error) breaks Eval only while it is enabled.
func TestDisabledRulesAreNotEvaluated(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"boom.rego": userRule("SITE-BOOM-001", "low", "manual", "oscfg.user.boom",
			"\tsome h, _ in input.hosts\n\tto_number(h) > 0\n\tf := {\"host\": h, \"file\": \"/etc/x\", \"line\": 1, \"message\": \"boom\"}"),
		"seen.rego": userRule("SITE-SEEN-001", "low", "manual", "oscfg.user.seen",
			"\tsome h, _ in input.hosts\n\tf := {\"host\": h, \"file\": \"/etc/x\", \"line\": 1, \"message\": \"seen\"}"),
	})
	in, err := Input(map[string]any{"hosts": map[string]any{"ctl1": map[string]any{"name": "ctl1", "files": map[string]any{}}}})
	if err != nil {
		t.Fatal(err)
	}
	all, err := newWith(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := all.Eval(context.Background(), in); err == nil || !strings.Contains(err.Error(), "to_number") {
		t.Fatalf("with every rule enabled, want the to_number error, got %v", err)
	}
	only := func(ids ...string) func(*model.Rule) bool {
		return func(r *model.Rule) bool {
			for _, id := range ids {
				if r.ID == id {
					return true
				}
			}
			return false
		}
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Enabled: only("SITE-SEEN-001")})
	if err != nil {
		t.Fatal(err)
	}
	if e.Rule("SITE-BOOM-001") == nil || len(e.Rules()) != len(all.Rules()) {
		t.Errorf("a disabled rule is still listed: %d rules, want %d", len(e.Rules()), len(all.Rules()))
	}
	fs, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != "SITE-SEEN-001" {
		t.Errorf("findings %+v, want SITE-SEEN-001's only", fs)
	}
	none, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Enabled: only()})
	if err != nil {
		t.Fatal(err)
	}
	if fs, err := none.Eval(context.Background(), in); err != nil || len(fs) != 0 {
		t.Errorf("no rule enabled: %v, %+v", err, fs)
	}
}

// New skips type checking when there are no user policies; the built-in
// ones must therefore pass it here, and evaluate the same either way.
func TestBuiltinsTypeCheck(t *testing.T) {
	checked, err := New(context.Background(), Options{typeCheck: true})
	if err != nil {
		t.Fatalf("built-in policies fail the type check: %v", err)
	}
	fast, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := filepath.Glob("../testdata/scenarios/*/fleet")
	if len(dirs) < 5 {
		t.Fatalf("scenarios: %v", dirs)
	}
	dirs = append(dirs, "../testdata/demo-fleet")
	for _, dir := range dirs {
		in := scenarioInput(t, dir)
		a, err := checked.Eval(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fast.Eval(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 && !strings.Contains(dir, "good") {
			t.Errorf("%s: no findings", dir)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %d findings without the type check, %d with", dir, len(b), len(a))
		}
	}
}

func scenarioInput(t *testing.T, dir string) ast.Value {
	t.Helper()
	fleet, err := loader.Load([]string{dir}, loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := Input(loader.Input(fleet, loader.DefaultSettings))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// Concurrent compilations leave GOGC as it was.
func TestNewRestoresGC(t *testing.T) {
	old := debug.SetGCPercent(150)
	defer debug.SetGCPercent(old)
	done := make(chan error)
	for range 3 {
		go func() {
			_, err := New(context.Background(), Options{})
			done <- err
		}()
	}
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC %d after New, want 150", got)
	}
}

// A malformed fix op is the policy's error when its findings are
// decoded, naming the rule, not a "cannot apply fix" at fix time.
func TestMalformedFixOpRejected(t *testing.T) {
	in, _ := Input(map[string]any{"hosts": map[string]any{"h1": map[string]any{}}})
	for fx, want := range map[string]string{
		`{"op": "set", "section": "DEFAULT", "key": "debug"}`:  `fix op "set" without value`,
		`{"op": "sett", "key": "debug", "value": "false"}`:     `fix op "sett" is not one of`,
		`{"op": "comment_out", "line": "first"}`:               `fix op "comment_out": line must be a line number`,
		`{"key": "debug"}`:                                     `fix without an op`,
		`{"op": "haproxy_set", "section": "p", "keyword": ""}`: `fix op "haproxy_set": keyword must be a non-empty string`,
	} {
		dir := writePolicy(t, userRule("SITE-FIXOP-001", "low", "safe", "oscfg.user.fixop",
			"\tsome h, _ in input.hosts\n\tf := {\"host\": h, \"file\": \"/etc/x\", \"line\": 1, \"message\": \"m\", \"fix\": "+fx+"}"))
		e, err := newWith(dir)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Eval(context.Background(), in)
		if err == nil || !strings.HasPrefix(err.Error(), "SITE-FIXOP-001 ("+filepath.Join(dir, "p.rego")+":1): ") || !strings.Contains(err.Error(), want) {
			t.Errorf("fix %s: got %v, want the rule and %q", fx, err, want)
		}
	}
}
