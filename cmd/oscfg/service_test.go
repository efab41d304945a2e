package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// keystoneTemplate triggers OSC-KS-001 ([token] provider = uuid) when the
// file is keystone's.
const keystoneTemplate = "[DEFAULT]\n[token]\nprovider = uuid\n[fernet_tokens]\nkey_repository = /etc/keystone/fernet-keys/\n"

func writeConf(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(src), 0o640); err != nil {
		t.Fatal(err)
	}
	return p
}

type serviceLint struct {
	Findings []struct{ Rule string }
	Summary  struct{ Warnings []string }
}

func lintFile(t *testing.T, args ...string) (serviceLint, string, int) {
	t.Helper()
	out, errOut, code := runCLI(append([]string{"lint", "--format", "json", "--fail-on", "critical"}, args...)...)
	var r serviceLint
	if code != exitError {
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	return r, errOut, code
}

func (r serviceLint) has(rule string) bool {
	for _, f := range r.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

func TestServiceFromContent(t *testing.T) {
	for _, name := range []string{"template.conf", "some-keystone-template.conf"} {
		r, errOut, code := lintFile(t, writeConf(t, name, keystoneTemplate))
		if code != exitClean || !r.has("OSC-KS-001") {
			t.Errorf("%s: exit %d, findings %v; want OSC-KS-001 (service from [token])\n%s", name, code, r.Findings, errOut)
		}
		if len(r.Summary.Warnings) > 0 || strings.Contains(errOut, "no service known") {
			t.Errorf("%s: warned though the sections said keystone: %v %s", name, r.Summary.Warnings, errOut)
		}
	}
	// A template named as kolla names it: the name says.
	if r, _, _ := lintFile(t, "--kind", "oslo", writeConf(t, "keystone.conf.j2", keystoneTemplate)); !r.has("OSC-KS-001") {
		t.Errorf("keystone.conf.j2: no OSC-KS-001: %v", r.Findings)
	}
	out, _, code := runCLI("files", "--format", "json", writeConf(t, "template.conf", keystoneTemplate))
	var files []listedFile
	if err := json.Unmarshal([]byte(out), &files); err != nil || code != exitClean || len(files) != 1 {
		t.Fatalf("files: exit %d, %v\n%s", code, err, out)
	}
	if f := files[0]; f.Service != "keystone" || f.ServiceBy != "content: [token], [fernet_tokens]" {
		t.Errorf("files: service %q by %q", f.Service, f.ServiceBy)
	}
}

func TestServiceNameWinsOverContent(t *testing.T) {
	r, _, _ := lintFile(t, writeConf(t, "nova.conf", keystoneTemplate))
	if r.has("OSC-KS-001") {
		t.Errorf("nova.conf with keystone's sections was judged as keystone's: %v", r.Findings)
	}
	if !r.has("OSC-OPT-001") {
		t.Errorf("nova.conf: [token] not reported as a section nova does not read: %v", r.Findings)
	}
}

func TestServiceAmbiguousWarns(t *testing.T) {
	p := writeConf(t, "template.conf", keystoneTemplate+"[libvirt]\nvirt_type = kvm\n")
	r, errOut, code := lintFile(t, p)
	if code != exitClean || r.has("OSC-KS-001") {
		t.Errorf("ambiguous file: exit %d, findings %v; want no keystone finding", code, r.Findings)
	}
	want := "no service known (its sections point to several services: keystone ([token], [fernet_tokens]), nova ([libvirt]))"
	if !strings.Contains(errOut, "oscfg: warning: local: "+p+": "+want) {
		t.Errorf("stderr lacks the warning %q:\n%s", want, errOut)
	}
	if len(r.Summary.Warnings) != 1 || !strings.Contains(r.Summary.Warnings[0], want) {
		t.Errorf("summary.warnings = %v", r.Summary.Warnings)
	}
	// --service decides.
	r, errOut, code = lintFile(t, "--service", "keystone", p)
	if code != exitClean || !r.has("OSC-KS-001") || len(r.Summary.Warnings) > 0 {
		t.Errorf("--service keystone: exit %d, findings %v, warnings %v\n%s", code, r.Findings, r.Summary.Warnings, errOut)
	}
	out, _, _ := runCLI("files", "--service", "keystone", p)
	if !strings.HasSuffix(strings.TrimSpace(out), " oslo keystone (--service)") {
		t.Errorf("files --service: %q", out)
	}
	// SARIF carries it as a notification, the other formats as what was
	// not checked (Markdown escapes the brackets, so look for the start).
	for format, w := range map[string]string{
		"sarif":    want,
		"html":     want,
		"junit":    `<skipped message="not checked: local: ` + p + `: no service known`,
		"github":   "::warning title=oscfg: not checked::local: " + p + ": " + want,
		"markdown": "**1 not checked**",
	} {
		out, _, _ = runCLI("lint", "--format", format, p)
		if !strings.Contains(out, w) {
			t.Errorf("--format %s lacks the warning %q:\n%s", format, w, out)
		}
	}
	// Merged results keep it, in text too (their stderr is gone).
	res := filepath.Join(t.TempDir(), "r.json")
	out, _, _ = runCLI("lint", "--format", "json", p)
	if err := os.WriteFile(res, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "html", "markdown"} {
		out, errOut, _ := runCLI("report", "--from", "--format", format, res)
		if !strings.Contains(out, "no service known") {
			t.Errorf("report --from --format %s lacks the warning:\n%s%s", format, out, errOut)
		}
	}
	// lint's own text output leaves it to stderr: said once.
	out, _, _ = runCLI("lint", p)
	if strings.Contains(out, "no service known") {
		t.Errorf("lint text repeats the warning on stdout:\n%s", out)
	}
}

func TestServiceFlagRefused(t *testing.T) {
	p := writeConf(t, "template.conf", keystoneTemplate)
	_, errOut, code := runCLI("lint", "--service", "keystne", p)
	if code != exitError || !strings.Contains(errOut, `--service "keystne": no such service (did you mean keystone?)`) || !strings.Contains(errOut, "nova, octavia") {
		t.Errorf("unknown service: exit %d, %q", code, errOut)
	}
	// A host root's files have the service their place says.
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc/nova"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/nova/nova.conf"), []byte("[DEFAULT]\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI("lint", "--service", "keystone", root)
	if code != exitError || !strings.Contains(errOut, "--service keystone: no oslo file was named directly") {
		t.Errorf("--service on a host root: exit %d, %q", code, errOut)
	}
}

func TestServiceFlagTaughtAndCompleted(t *testing.T) {
	for _, cmd := range []string{"lint", "report", "fix", "model", "files"} {
		_, errOut, _ := runCLI(cmd, "--help")
		if !strings.Contains(errOut, "--service string") {
			t.Errorf("%s --help does not teach --service", cmd)
		}
	}
	out, _, _ := runCLI("completion", "bash")
	if !strings.Contains(out, `--service) COMPREPLY=($(compgen -W "aodh barbican`) {
		t.Errorf("bash completion does not list the services")
	}
}
