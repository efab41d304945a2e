// Package deploy holds what wires oscfg into the places operators run it:
// the Ansible role and playbooks (deploy/ansible), and the tests of the
// repository's pre-commit hooks, GitHub Action and Dockerfile.
package deploy

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/loader"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod in %s", root)
	}
	return root
}

// buildOscfg builds the binary the playbooks copy to their targets.
func buildOscfg(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "oscfg")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/oscfg")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if _, err := fleetgen.CopyTree(src, dst, nil); err != nil {
		t.Fatal(err)
	}
}

// treeSums maps every file under dir to its SHA-256.
func treeSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sums[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)`)

// recap reads PLAY RECAP: host -> changed count; fails on failed hosts.
func recap(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, m := range recapLine.FindAllStringSubmatch(out, -1) {
		if m[4] != "0" || m[5] != "0" {
			t.Fatalf("host %s failed or unreachable:\n%s", m[1], out)
		}
		got[m[1]] = m[3]
	}
	if len(got) == 0 {
		t.Fatalf("no PLAY RECAP in ansible output:\n%s", out)
	}
	return got
}

// TestAnsiblePlaybooks runs deploy/ansible's audit and fix playbooks for
// real, against local "hosts" whose roots are copies of the demo fleet:
// audit fetches exactly what oscfg reads and reports; fix in check mode
// shows the patch and changes nothing; a real run fixes, reports changed
// and runs the handlers (haproxy -c before the reload); a second run is ok.
func TestAnsiblePlaybooks(t *testing.T) {
	playbook, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook not installed (Debian's ansible; .ci/run installs it)")
	}
	haproxy, err := exec.LookPath("haproxy")
	if err != nil {
		if _, e := os.Stat("/usr/sbin/haproxy"); e != nil {
			t.Skip("haproxy not installed: the fix handler checks with haproxy -c")
		}
		haproxy = "/usr/sbin/haproxy"
	}
	root := repoRoot(t)
	bin := buildOscfg(t)
	work := t.TempDir()
	hosts := filepath.Join(work, "hosts")
	for _, h := range []string{"ctl1", "ctl2", "db1"} {
		copyTree(t, filepath.Join(root, "testdata", "demo-fleet", h), filepath.Join(hosts, h))
	}
	log := filepath.Join(work, "handlers.log")
	inv := filepath.Join(work, "inventory")
	invText := fmt.Sprintf(`[region1]
ctl1 oscfg_root=%[1]s/ctl1
ctl2 oscfg_root=%[1]s/ctl2
db1 oscfg_root=%[1]s/db1
[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
`, hosts)
	if err := os.WriteFile(inv, []byte(invText), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{
		"oscfg_local_bin":  bin,
		"oscfg_remote_dir": filepath.Join(work, "remote"),
		"oscfg_fleet_dir":  filepath.Join(work, "fleet"),
		"oscfg_report_dir": filepath.Join(work, "reports"),
		// Where a real host reloads and restarts, the test writes a line.
		"oscfg_haproxy_reload": "echo \"reload haproxy {{ inventory_hostname }}\" >> " + log,
		"oscfg_restart": map[string]string{
			"nova":     "echo \"restart nova {{ inventory_hostname }}\" >> " + log,
			"keystone": "echo \"restart keystone {{ inventory_hostname }}\" >> " + log,
			"mysql":    "", "cron": "",
		},
	}
	varsFile := filepath.Join(work, "vars.json")
	vb, _ := json.Marshal(vars)
	if err := os.WriteFile(varsFile, vb, 0o644); err != nil {
		t.Fatal(err)
	}
	ansible := func(name string, extra ...string) string {
		t.Helper()
		args := append([]string{"-i", inv, filepath.Join(root, "deploy", "ansible", name), "-e", "@" + varsFile}, extra...)
		cmd := exec.Command(playbook, args...)
		cmd.Dir = filepath.Join(root, "deploy", "ansible")
		cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+filepath.Join(root, "deploy", "ansible", "ansible.cfg"),
			"ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCAL_TEMP="+filepath.Join(work, "ansible-tmp"),
			"ANSIBLE_REMOTE_TEMP="+filepath.Join(work, "ansible-tmp"), "PATH="+filepath.Dir(haproxy)+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ansible-playbook %s %v: %v\n%s", name, extra, err, out)
		}
		return string(out)
	}

	t.Run("audit", func(t *testing.T) {
		ansible("audit.yml")
		fetched := filepath.Join(work, "fleet", "region1")
		for _, h := range []string{"ctl1", "ctl2", "db1"} {
			// Exactly what oscfg reads: 'oscfg files' on the original.
			out, err := exec.Command(bin, "files", "--format", "json", filepath.Join(hosts, h)).Output()
			if err != nil {
				t.Fatal(err)
			}
			var files []struct{ Path string }
			if err := json.Unmarshal(out, &files); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			orig := treeSums(t, filepath.Join(hosts, h))
			for _, f := range files {
				rel := strings.TrimPrefix(f.Path, "/")
				want[rel] = orig[rel]
			}
			got := treeSums(t, filepath.Join(fetched, h))
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: fetched %v, want %v", h, got, want)
			}
		}
		for _, f := range []string{"oscfg.html", "oscfg.sarif", "oscfg.json"} {
			b, err := os.ReadFile(filepath.Join(work, "reports", f))
			if err != nil || len(b) == 0 {
				t.Fatalf("report %s: %v", f, err)
			}
			if strings.HasSuffix(f, "json") || strings.HasSuffix(f, "sarif") {
				var v any
				if err := json.Unmarshal(b, &v); err != nil {
					t.Errorf("%s is not JSON: %v", f, err)
				}
			}
		}
	})

	// On a real host the audit also stores the package list, in
	// sosreport's layout; oscfg takes the release from it.
	t.Run("audit with packages", func(t *testing.T) {
		ver, err := exec.Command("dpkg-query", "-W", "-f", "${Version}", "python3-nova").Output()
		if err != nil || len(ver) == 0 {
			t.Skip("python3-nova not installed (Debian's python3-nova; .ci/run installs it): no nova package to take the release from")
		}
		fleetDir := filepath.Join(work, "fleet-packages")
		ansible("audit.yml", "-e", "oscfg_collect_packages=true", "-e", "oscfg_fleet_dir="+fleetDir)
		list := filepath.Join(fleetDir, "region1", "ctl1", "sos_commands", "dpkg", "dpkg_-l")
		if b, err := os.ReadFile(list); err != nil || !bytes.Contains(b, []byte("python3-nova")) {
			t.Fatalf("package list %s: %v", list, err)
		}
		cmd := exec.Command(bin, "lint", "--no-color", "--format", "json", fleetDir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run() // findings exit 1
		rel, _ := loader.PackageRelease("python3-nova", string(ver))
		want := fmt.Sprintf("OpenStack release %s (packages: python3-nova %s in sos_commands/dpkg/dpkg_-l)", rel.Name, ver)
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	})

	before := treeSums(t, hosts)
	t.Run("fix check mode", func(t *testing.T) {
		out := ansible("fix.yml", "--check", "--diff")
		if !strings.Contains(out, "+++ b/etc/haproxy/haproxy.cfg") {
			t.Errorf("check mode did not show the haproxy patch:\n%s", out)
		}
		if rc := recap(t, out); rc["ctl1"] == "0" {
			t.Errorf("check mode reported ctl1 unchanged: %v", rc)
		}
		if after := treeSums(t, hosts); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("check mode changed files")
		}
		if _, err := os.Stat(log); err == nil {
			t.Errorf("check mode ran handlers")
		}
	})
	t.Run("fix", func(t *testing.T) {
		out := ansible("fix.yml")
		rc := recap(t, out)
		if rc["ctl1"] == "0" || rc["ctl2"] == "0" {
			t.Errorf("a real run reported the controllers unchanged: %v", rc)
		}
		if after := treeSums(t, hosts); after["ctl1/etc/haproxy/haproxy.cfg"] == before["ctl1/etc/haproxy/haproxy.cfg"] {
			t.Errorf("ctl1's haproxy.cfg was not fixed")
		}
		b, err := os.ReadFile(log)
		if err != nil {
			t.Fatalf("no handler ran: %v", err)
		}
		for _, want := range []string{"reload haproxy ctl1", "reload haproxy ctl2", "restart nova ctl1", "restart keystone ctl2"} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("handler log lacks %q:\n%s", want, b)
			}
		}
		if n := bytes.Count(b, []byte("reload haproxy ctl1")); n != 1 {
			t.Errorf("haproxy reloaded %d times on ctl1, want once", n)
		}
	})
	t.Run("fix again", func(t *testing.T) {
		st, _ := os.Stat(log)
		out := ansible("fix.yml")
		for h, c := range recap(t, out) {
			if c != "0" {
				t.Errorf("second run: %s changed=%s, want 0\n%s", h, c, out)
			}
		}
		if st2, _ := os.Stat(log); st2.Size() != st.Size() {
			t.Errorf("second run ran handlers")
		}
	})
}

// TestPreCommitHooks: the hook definitions parse and name what pre-commit
// needs; their entry is a command this binary has.
func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []map[string]any
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	for _, h := range hooks {
		for _, k := range []string{"id", "name", "entry", "language"} {
			if s, _ := h[k].(string); s == "" {
				t.Errorf("hook %v lacks %s", h["id"], k)
			}
		}
		if h["language"] != "golang" {
			t.Errorf("hook %v: language %v, want golang (pre-commit builds this module)", h["id"], h["language"])
		}
		if e, _ := h["entry"].(string); !strings.HasPrefix(e, "oscfg lint") {
			t.Errorf("hook %v: entry %q", h["id"], e)
		}
		if f, ok := h["files"].(string); ok {
			if _, err := regexp.Compile(f); err != nil {
				t.Errorf("hook %v: files is not a regexp: %v", h["id"], err)
			}
		}
	}
}

// TestAction: action.yml is a composite action whose run steps name a
// shell, and which lints, writes the job summary and uploads SARIF.
func TestAction(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Name   string
		Inputs map[string]struct {
			Required bool
			Default  string
		}
		Runs struct {
			Using string
			Steps []struct {
				Name, Run, Shell, Uses, ID string
			}
		}
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Name == "" || a.Runs.Using != "composite" {
		t.Fatalf("name %q, runs.using %q", a.Name, a.Runs.Using)
	}
	if !a.Inputs["path"].Required {
		t.Error("input path should be required")
	}
	var all strings.Builder
	for _, s := range a.Runs.Steps {
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q runs a script without shell (composite actions need it)", s.Name)
		}
		all.WriteString(s.Run + s.Uses + "\n")
	}
	for _, want := range []string{"--format sarif", "GITHUB_STEP_SUMMARY", "--format github", "upload-sarif", "go build"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("action steps lack %q", want)
		}
	}
}

// TestDockerfile builds the image where a Docker engine runs.
func TestDockerfile(t *testing.T) {
	root := repoRoot(t)
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("CGO_ENABLED=0")) || !bytes.Contains(b, []byte("FROM scratch")) {
		t.Error("Dockerfile should build a static binary onto scratch")
	}
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("docker not installed: Dockerfile not built")
	}
	if err := exec.Command(docker, "info").Run(); err != nil {
		t.Skip("no Docker engine running (docker info fails): Dockerfile not built")
	}
	tag := "oscfg-test:latest"
	if out, err := exec.Command(docker, "build", "-t", tag, root).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	out, err := exec.Command(docker, "run", "--rm", tag, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "oscfg ") {
		t.Fatalf("docker run version: %v\n%s", err, out)
	}
}

// TestVersionStamp: what 'make release' stamps with -ldflags -X is what
// 'oscfg version' prints and SARIF's tool.driver.version carries.
func TestVersionStamp(t *testing.T) {
	root := repoRoot(t)
	bin := filepath.Join(t.TempDir(), "oscfg")
	pkg := "github.com/oscfg/oscfg/internal/buildinfo"
	ld := "-X " + pkg + ".version=v9.8.7-test -X " + pkg + ".commit=0123456789abcdef -X " + pkg + ".date=2026-01-02T03:04:05Z"
	cmd := exec.Command("go", "build", "-ldflags", ld, "-o", bin, "./cmd/oscfg")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"oscfg v9.8.7-test\n", "commit: 0123456789abcdef\n", "date: 2026-01-02T03:04:05Z\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	sarif, _ := exec.Command(bin, "lint", "--format", "sarif", filepath.Join(root, "testdata", "demo-fleet")).Output()
	var log struct {
		Runs []struct {
			Tool struct{ Driver struct{ Version string } }
		}
	}
	if err := json.Unmarshal(sarif, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif: %v", err)
	}
	if v := log.Runs[0].Tool.Driver.Version; v != "v9.8.7-test" {
		t.Errorf("SARIF tool.driver.version = %q", v)
	}
}
