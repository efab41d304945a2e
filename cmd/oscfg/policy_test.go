package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The worked example of docs/policies.md, run as the guide tells a new
// user to run it, so that the guide cannot rot.
const (
	exampleDir   = "../../docs/examples/policies/site"
	exampleFleet = "../../testdata/scenarios/api-timeouts-keepalive/fleet"
)

func writeTree(t *testing.T, files map[string]string) string {
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

// copyExample copies the example policy directory to dir/name.
func copyExample(t *testing.T, dir, name string) {
	t.Helper()
	ents, err := os.ReadDir(exampleDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(exampleDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var summaryRE = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`)

func TestExamplePolicyTests(t *testing.T) {
	out, errOut, code := runCLI("test", exampleDir)
	if code != exitClean {
		t.Fatalf("oscfg test %s: exit %d\n%s%s", exampleDir, code, out, errOut)
	}
	m := summaryRE.FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] != "0" {
		t.Fatalf("summary: %q\n%s", m, out)
	}
	if n, _ := strconv.Atoi(m[1]); strings.Count(out, "PASS  data.oscfg.user.") != n {
		t.Errorf("want %d PASS lines:\n%s", n, out)
	}
	// The tests over real text (oscfg.fleet) run with the others.
	for _, w := range []string{"PASS  data.oscfg.user.haproxy_httpchk_test.test_fires_on_real_text\n", "PASS  data.oscfg.user.haproxy_httpchk_test.test_quiet_on_real_text_with_httpchk_in_defaults\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("lacks %q:\n%s", w, out)
		}
	}
}

// oscfg.fleet in a user test: real nova.conf text, loaded as lint loads
// it; text that does not parse is an ERROR naming HOST:/PATH:LINE and the
// test's own line; a policy (not a test) may not call it.
func TestPolicyTestRealText(t *testing.T) {
	const tests = `package oscfg.user.nova_debug_test

import data.oscfg.user.nova_debug

test_fires_on_text if {
	fs := nova_debug.deny with input as oscfg.fleet({"c1:/etc/nova/nova.conf": "[DEFAULT]\n# a comment\ndebug = True\n"})
	fs == {{"host": "c1", "file": "/etc/nova/nova.conf", "line": 3, "message": "debug = true"}}
}

test_quiet_on_text if {
	count(nova_debug.deny) == 0 with input as oscfg.fleet({"c1:/etc/nova/nova.conf": "[DEFAULT]\ndebug = false\n"})
}
`
	const broken = `
test_broken_text if {
	count(nova_debug.deny) == 1 with input as oscfg.fleet({"c1:/etc/nova/nova.conf": "[DEFAULT]\ndebug = true\n[database\n"})
}
`
	dir := writeTree(t, map[string]string{"r.rego": debugRule, "r_test.rego": tests})
	out, errOut, code := runCLI("test", dir)
	if code != exitClean || !strings.Contains(out, "PASS  data.oscfg.user.nova_debug_test.test_fires_on_text\n") || !strings.Contains(out, "\n2 passed, 0 failed\n") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	dir = writeTree(t, map[string]string{"r.rego": debugRule, "r_test.rego": tests + broken})
	out, errOut, code = runCLI("test", dir)
	want := "r_test.rego:15: eval_builtin_error: oscfg.fleet: c1:/etc/nova/nova.conf:3: Invalid section (must end with ]):"
	if code != exitFindings || !strings.Contains(out, "ERROR data.oscfg.user.nova_debug_test.test_broken_text (") || !strings.Contains(out, want) || !strings.Contains(out, "\n2 passed, 1 failed\n") {
		t.Errorf("exit %d, want %d and %q:\n%s%s", code, exitFindings, want, out, errOut)
	}
	inPolicy := strings.Replace(debugRule, "o := input.hosts[h]", "o := oscfg.fleet({})[h]", 1)
	dir = writeTree(t, map[string]string{"r.rego": inPolicy, "r_test.rego": tests})
	if _, errOut, code := runCLI("test", dir); code != exitError || !strings.Contains(errOut, "undefined function oscfg.fleet") {
		t.Errorf("a policy calling oscfg.fleet: exit %d %q", code, errOut)
	}
}

func TestExamplePolicyFires(t *testing.T) {
	out, errOut, code := runCLI("lint", "--no-color", "--policy", exampleDir, exampleFleet)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`controller1:/etc/haproxy/haproxy.cfg:52: medium SITE-HAP-001 listen "nova_metadata" (nova-metadata) has no option httpchk`,
		`controller1:/etc/haproxy/haproxy.cfg:61: medium SITE-HAP-001 listen "placement_api" (placement) has no option httpchk`,
		"fix (unsafe): in placement_api set option httpchk GET /",
		"OSC-HAP-002", // the built-in rules still run
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lint output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "SITE-HAP-001"); n != 2 {
		t.Errorf("%d SITE-HAP-001 findings, want 2:\n%s", n, out)
	}
	// Without --policy the user rule does not exist.
	out, _, _ = runCLI("lint", "--no-color", exampleFleet)
	if strings.Contains(out, "SITE-") {
		t.Errorf("user rule fired without --policy:\n%s", out)
	}
}

func TestUserFindingsInJSON(t *testing.T) {
	out, errOut, code := runCLI("lint", "--format", "json", "--policy", exampleDir, exampleFleet)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Findings {
		if f["rule"] == "SITE-HAP-001" {
			n++
			if f["title"] != "API backend without an HTTP health check (option httpchk)" || f["severity"] != "medium" || f["file"] != "/etc/haproxy/haproxy.cfg" {
				t.Errorf("finding %v", f)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d SITE-HAP-001 findings in JSON, want 2", n)
	}
}

func TestUserFixes(t *testing.T) {
	out, errOut, code := runCLI("fix", "--unsafe-fixes", "--rule", "SITE-HAP-001", "--policy", exampleDir, exampleFleet)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\n+    option httpchk GET /\n"); n != 2 {
		t.Errorf("%d added option httpchk lines, want 2:\n%s", n, out)
	}
	// Unsafe: not applied without --unsafe-fixes.
	out, _, _ = runCLI("fix", "--rule", "SITE-HAP-001", "--policy", exampleDir, exampleFleet)
	if strings.Contains(out, "+    option httpchk") {
		t.Errorf("unsafe user fix planned without --unsafe-fixes:\n%s", out)
	}
}

// oscfg.ini: policy = relative to the file; [rules] and [severity] apply
// to user rules as to built-in ones.
func TestUserPolicyFromIniAndSuppression(t *testing.T) {
	dir := t.TempDir()
	copyExample(t, dir, "site")
	ini := filepath.Join(dir, "oscfg.ini")
	lint := func(content string) string {
		t.Helper()
		if err := os.WriteFile(ini, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runCLI("lint", "--no-color", "--config", ini, exampleFleet)
		if code == exitError {
			t.Fatalf("exit 2: %s", errOut)
		}
		return out
	}
	if out := lint("policy = site\n"); strings.Count(out, "medium SITE-HAP-001") != 2 {
		t.Errorf("policy = site (relative to oscfg.ini) did not load the rule:\n%s", out)
	}
	if out := lint("policy = site\n[severity]\nSITE-HAP-001 = low\n"); strings.Count(out, "low SITE-HAP-001") != 2 {
		t.Errorf("[severity] not applied to the user rule:\n%s", out)
	}
	if out := lint("policy = site\n[rules]\ndisable = site-hap-001\n"); strings.Contains(out, "SITE-HAP-001") {
		t.Errorf("[rules] disable not applied to the user rule:\n%s", out)
	}
	if out := lint("policy = site\n[ignore]\nSITE-HAP-001 = host=controller1 key=nova_metadata/httpchk -- checked elsewhere\n"); strings.Count(out, "SITE-HAP-001") != 1 || !strings.Contains(out, `"placement_api" (placement) has no option httpchk`) {
		t.Errorf("[ignore] with key= not applied to the user rule:\n%s", out)
	}
	// The same directory from oscfg.ini and --policy is loaded once.
	lint("policy = site\n")
	out, errOut, code := runCLI("lint", "--no-color", "--config", ini, "--policy", filepath.Join(dir, "site"), exampleFleet)
	if code != exitFindings || strings.Count(out, "SITE-HAP-001") != 2 {
		t.Errorf("same dir twice: exit %d, %d findings (%s)", code, strings.Count(out, "SITE-HAP-001"), errOut)
	}
}

// An inline "oscfg: ignore" comment suppresses a user rule's finding.
func TestUserFindingInlineIgnore(t *testing.T) {
	fleet := t.TempDir()
	err := filepath.WalkDir(exampleFleet, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(exampleFleet, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == filepath.Join("controller1", "etc", "haproxy", "haproxy.cfg") {
			b = []byte(strings.Replace(string(b), "\nlisten placement_api\n", "\n# oscfg: ignore SITE-HAP-001 -- checked by pacemaker\nlisten placement_api\n", 1))
		}
		if err := os.MkdirAll(filepath.Join(fleet, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(fleet, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI("lint", "--no-color", "--policy", exampleDir, fleet)
	if code == exitError {
		t.Fatalf("exit 2: %s", errOut)
	}
	if strings.Count(out, "SITE-HAP-001") != 1 || strings.Contains(out, `"placement_api" (placement) has no option httpchk`) {
		t.Errorf("inline ignore not applied to the user rule:\n%s", out)
	}
}

const evilPolicy = `# METADATA
# title: exfiltrate
# custom:
#   id: SITE-EVIL-001
#   severity: low
#   fix: manual
package oscfg.user.evil

deny contains f if {
	r := http.send({"method": "get", "url": "http://127.0.0.1:1/"})
	f := {"host": "h", "file": "f", "line": 1, "message": sprintf("%v", [r])}
}
`

func TestSandboxRefusesUserPolicy(t *testing.T) {
	dir := writeTree(t, map[string]string{"evil.rego": evilPolicy})
	want := filepath.Join(dir, "evil.rego") + ":10: http.send is not allowed in oscfg policies (no network access)"
	for _, args := range [][]string{
		{"lint", "--policy", dir, exampleFleet},
		{"fix", "--policy", dir, exampleFleet},
		{"rules", "--policy", dir},
		{"explain", "--policy", dir, "OSC-HAP-001"},
		{"test", dir},
	} {
		out, errOut, code := runCLI(args...)
		if code != exitError || !strings.Contains(errOut, "oscfg: "+want+"\n") || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", args[0], code, out, errOut, want)
		}
	}
}

func TestUserPolicyNamespace(t *testing.T) {
	dir := writeTree(t, map[string]string{"hijack.rego": strings.Replace(evilPolicy, "package oscfg.user.evil", "package oscfg.rules.hap_001", 1)})
	_, errOut, code := runCLI("lint", "--policy", dir, exampleFleet)
	if code != exitError || !strings.Contains(errOut, "hijack.rego:7: package oscfg.rules.hap_001 is reserved for oscfg's built-in rules") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI("lint", "--policy", filepath.Join(dir, "nope"), exampleFleet)
	if code != exitError || !strings.Contains(errOut, "no such file or directory") {
		t.Errorf("missing dir: exit %d, stderr %q", code, errOut)
	}
}

func TestRulesAndExplainWithPolicy(t *testing.T) {
	out, errOut, code := runCLI("rules", "--policy", exampleDir)
	if code != exitClean || !strings.Contains(out, "SITE-HAP-001  medium           unsafe  API backend without an HTTP health check") || !strings.Contains(out, "OSC-HAP-001") {
		t.Errorf("rules --policy: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runCLI("rules")
	if strings.Contains(out, "SITE-") {
		t.Errorf("rules without --policy lists a user rule")
	}
	out, errOut, code = runCLI("explain", "--policy", exampleDir, "site-hap-001")
	if code != exitClean || !strings.Contains(out, "SITE-HAP-001: API backend without") || !strings.Contains(out, "Defined in ../../docs/examples/policies/site/haproxy_httpchk.rego:1") {
		t.Errorf("explain: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runCLI("rules", "--format", "json", "--policy", exampleDir)
	if !strings.Contains(out, `"package": "data.oscfg.user.haproxy_httpchk"`) || !strings.Contains(out, `"user": true`) {
		t.Errorf("rules --format json does not mark the user rule:\n%s", out)
	}
}

const debugRule = `# METADATA
# title: debug logging on a production host
# custom:
#   id: SITE-NOVA-001
#   severity: low
#   fix: safe
package oscfg.user.nova_debug

deny contains f if {
	some h, p
	o := input.hosts[h].files[p].options.DEFAULT.debug
	o.value == true
	f := {"host": h, "file": p, "line": o.line, "message": "debug = true"}
}
`

func TestPolicyTestCommand(t *testing.T) {
	pass := `package oscfg.user.nova_debug_test

import data.oscfg.user.nova_debug

_in(v) := {"hosts": {"c1": {"files": {"/etc/nova/nova.conf": {"options": {"DEFAULT": {"debug": {"value": v, "line": 3}}}}}}}}

test_fires if {
	print("findings:", nova_debug.deny) with input as _in(true)
	count(nova_debug.deny) == 1 with input as _in(true)
}

test_quiet if {
	count(nova_debug.deny) == 0 with input as _in(false)
}

test_uses_lib if {
	data.oscfg.lib.release_at_least("rocky") with input as {"release": {"index": 26}}
}
`
	fail := pass + `
test_wrong if {
	print("about to fail")
	count(nova_debug.deny) == 2 with input as _in(true)
}

test_error if {
	x := to_number("not a number")
	x > 1
}

todo_test_later if true
`
	cases := []struct {
		name  string
		files map[string]string
		args  []string
		code  int
		out   []string // in stdout
		err   string   // in stderr
		not   []string // not in stdout
	}{
		{"pass", map[string]string{"r.rego": debugRule, "r_test.rego": pass}, nil, exitClean,
			[]string{"PASS  data.oscfg.user.nova_debug_test.test_fires\n", "PASS  data.oscfg.user.nova_debug_test.test_uses_lib\n", "\n3 passed, 0 failed\n"}, "", []string{"findings:"}},
		{"verbose shows print", map[string]string{"r.rego": debugRule, "r_test.rego": pass}, []string{"--verbose"}, exitClean,
			[]string{"PASS  data.oscfg.user.nova_debug_test.test_fires\n    findings:"}, "", nil},
		{"run filter", map[string]string{"r.rego": debugRule, "r_test.rego": pass}, []string{"--run", "quiet"}, exitClean,
			[]string{"1 passed, 0 failed\n"}, "", []string{"test_fires"}},
		{"failures", map[string]string{"r.rego": debugRule, "r_test.rego": fail}, nil, exitFindings,
			[]string{"FAIL  data.oscfg.user.nova_debug_test.test_wrong (", "r_test.rego:20)\n    about to fail\n", "ERROR data.oscfg.user.nova_debug_test.test_error (", "r_test.rego:26: eval_builtin_error: to_number:", "SKIP  data.oscfg.user.nova_debug_test.todo_test_later", "\n3 passed, 2 failed, 1 skipped\n"}, "", nil},
		{"no tests", map[string]string{"r.rego": debugRule}, nil, exitError, nil, "no tests: no *_test.rego file", nil},
		{"no match", map[string]string{"r.rego": debugRule, "r_test.rego": pass}, []string{"--run", "nothing_matches"}, exitError, nil, "no tests matched", nil},
		{"sandbox in a test", map[string]string{"r.rego": debugRule, "r_test.rego": pass + "\ntest_net if { net.lookup_ip_addr(\"x\") }\n"}, nil, exitError, nil,
			"r_test.rego:20: net.lookup_ip_addr is not allowed in oscfg policies (no network access)", nil},
		{"compile error in a test", map[string]string{"r.rego": debugRule, "r_test.rego": pass + "\ntest_bad if { nova_debug.nope(1) }\n"}, nil, exitError, nil, "r_test.rego:20: rego_type_error: undefined function data.oscfg.user.nova_debug.nope", nil},
		{"policy without metadata", map[string]string{"r.rego": "package oscfg.user.x\n\ndeny contains 1 if true\n", "r_test.rego": "package x_test\n\ntest_a if true\n"}, nil, exitError, nil, "r.rego:1: rule package oscfg.user.x has no METADATA", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, c.files)
			out, errOut, code := runCLI(append(append([]string{"test"}, c.args...), dir)...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", code, c.code, out, errOut)
			}
			for _, w := range c.out {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.not {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errOut, c.err) {
				t.Errorf("stderr lacks %q: %q", c.err, errOut)
			}
		})
	}
}

func TestPolicyTestUsage(t *testing.T) {
	_, errOut, code := runCLI("test", "--help")
	if code != exitClean || !strings.Contains(errOut, "Usage: oscfg test") {
		t.Errorf("test --help: exit %d %q", code, errOut)
	}
	_, errOut, code = runCLI("test")
	if code != exitError || !strings.Contains(errOut, "no DIR given") {
		t.Errorf("test without DIR: exit %d %q", code, errOut)
	}
	out, _, _ := runCLI("help")
	if !strings.Contains(out, "\n  test ") {
		t.Error("top-level help does not list test")
	}
	_, errOut, _ = runCLI("lint", "--help")
	if !strings.Contains(errOut, "--policy") {
		t.Error("lint --help does not list --policy")
	}
}

// A user rule as people write it: no custom.fix when it returns no fix.
// It loads, lints, is listed with fix "none"; one that returns a fix
// without a class is an error naming the rule.
func TestUserPolicyWithoutFixClass(t *testing.T) {
	const meta = "# METADATA\n# title: no nova.conf debug\n# custom:\n#   id: SITE-DBG-001\n#   severity: medium\npackage oscfg.user.debug\n\n"
	const body = "deny contains f if {\n\tsome h, host in input.hosts\n\tsome p, _ in host.files\n\tendswith(p, \"nova.conf\")\n\tf := {\"host\": h, \"file\": p, \"line\": 1, \"message\": \"site rule fired\"%s}\n}\n"
	plain := writeTree(t, map[string]string{"p.rego": meta + fmt.Sprintf(body, "")})
	out, errOut, code := runCLI("lint", "--no-color", "--policy", plain, "../../testdata/demo-fleet")
	if code != exitFindings || !strings.Contains(out, "medium SITE-DBG-001 site rule fired") {
		t.Fatalf("lint: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = runCLI("rules", "--policy", plain)
	if code != exitClean || !regexp.MustCompile(`(?m)^SITE-DBG-001 +medium +none +no nova.conf debug$`).MatchString(out) {
		t.Errorf("rules: exit %d\n%s%s", code, out, errOut)
	}
	fixing := writeTree(t, map[string]string{"p.rego": meta + fmt.Sprintf(body, `, "fix": {"op": "delete", "section": "DEFAULT", "key": "debug"}`)})
	out, errOut, code = runCLI("lint", "--policy", fixing, "../../testdata/demo-fleet")
	if code != exitError || out != "" || !strings.Contains(errOut, "SITE-DBG-001") || !strings.Contains(errOut, "no custom.fix") {
		t.Errorf("a fix without a class: exit %d\n%s%s", code, out, errOut)
	}
}
