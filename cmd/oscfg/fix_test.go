package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/internal/fleetgen"
)

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if _, err := fleetgen.CopyTree(src, dst, nil); err != nil {
		t.Fatal(err)
	}
}

// snapshot reads every file of a tree, by relative path.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

type jsonReport struct {
	Findings []struct {
		Rule     string         `json:"rule"`
		Severity string         `json:"severity"`
		Host     string         `json:"host"`
		File     string         `json:"file"`
		Source   string         `json:"source"`
		Line     int            `json:"line"`
		Fix      map[string]any `json:"fix"`
		FixClass string         `json:"fix_class"`
		Related  []struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"related"`
	} `json:"findings"`
	Summary struct {
		Release string `json:"release"`
	} `json:"summary"`
}

func lintJSON(t *testing.T, fleet string, flags ...string) jsonReport {
	t.Helper()
	out, errOut, code := runCLI(append(append([]string{"lint", "--format", "json"}, flags...), fleet)...)
	if code == exitError {
		t.Fatalf("lint: %s", errOut)
	}
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFixScenarios: on every scenario fleet, `oscfg fix` prints a patch
// that git apply accepts, `fix --write` leaves nothing to fix, lint then
// reports no finding that had a safe fix, only lines that findings name
// are changed or removed, and the real daemons' checkers accept the files.
func TestFixScenarios(t *testing.T) {
	scenarios, _ := filepath.Glob("../../testdata/scenarios/*/fleet")
	if len(scenarios) == 0 {
		t.Fatal("no scenarios")
	}
	haproxyBin, _ := exec.LookPath("haproxy")
	if haproxyBin == "" {
		if _, err := os.Stat("/usr/sbin/haproxy"); err == nil {
			haproxyBin = "/usr/sbin/haproxy"
		}
	}
	validator, _ := exec.LookPath("oslo-config-validator")
	for _, src := range scenarios {
		src, _ := filepath.Abs(src)
		name := filepath.Base(filepath.Dir(src))
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			copyTree(t, src, filepath.Join(tmp, "fleet"))
			t.Chdir(tmp)
			before := snapshot(t, "fleet")
			findings := lintJSON(t, "fleet")

			patch, errOut, code := runCLI("fix", "--show-secrets", "fleet")
			if code == exitError {
				t.Fatalf("fix: %s", errOut)
			}
			// Without --show-secrets no secret of the fleet appears.
			redacted, _, _ := runCLI("fix", "fleet")
			for _, secret := range fleetSecrets(t, "fleet") {
				if strings.Contains(redacted, secret) {
					t.Errorf("patch prints secret %q", secret)
				}
			}
			if patch != "" {
				os.WriteFile("fix.patch", []byte(patch), 0o644)
				if out, err := exec.Command("git", "apply", "--check", "fix.patch").CombinedOutput(); err != nil {
					t.Fatalf("git apply --check rejected the patch: %v\n%s\n%s", err, out, patch)
				}
			}
			if after := snapshot(t, "fleet"); len(after) != len(before) {
				t.Fatal("fix without --write changed the tree")
			}
			if _, errOut, code := runCLI("fix", "--write", "--no-verify", "fleet"); code == exitError {
				t.Fatalf("fix --write: exit %d: %s", code, errOut)
			}
			if again, errOut, code := runCLI("fix", "fleet"); code != exitClean || again != "" {
				t.Fatalf("second fix still changes things (exit %d):\n%s%s", code, again, errOut)
			}
			for _, f := range lintJSON(t, "fleet").Findings {
				if f.Fix != nil && f.FixClass == "safe" {
					t.Errorf("after fix --write, lint still reports a safely fixable %s at %s:%s:%d", f.Rule, f.Host, f.File, f.Line)
				}
			}
			checkOnlyNamedLines(t, before, snapshot(t, "fleet"), findings)

			after := snapshot(t, "fleet")
			// The validator is Zed's: only fleets judged as Zed (no
			// release set, none found in packages or options) must pass it.
			zed := !strings.Contains(before["oscfg.ini"], "release") && lintJSON(t, "fleet").Summary.Release == "zed"
			// Every file after fixing, changed or not: the fixtures are
			// meant to be what the daemons accept, apart from what oscfg fixes.
			for rel := range after {
				base := filepath.Base(rel)
				svc, isConf := strings.CutSuffix(base, ".conf")
				switch {
				case base == "haproxy.cfg" && haproxyBin != "":
					if out, err := exec.Command(haproxyBin, "-c", "-q", "-f", filepath.Join("fleet", rel)).CombinedOutput(); err != nil {
						t.Errorf("haproxy -c rejects fixed %s: %v\n%s", rel, err, out)
					}
				case isConf && fixers.OsloNamespaces[svc] != nil && zed && validator != "":
					args := []string{"--input-file", filepath.Join("fleet", rel)}
					for _, ns := range fixers.OsloNamespaces[svc] {
						args = append(args, "--namespace", ns)
					}
					if out, err := exec.Command(validator, args...).CombinedOutput(); err != nil {
						t.Errorf("oslo-config-validator rejects fixed %s: %v\n%s", rel, err, out)
					}
				}
			}
		})
	}
	if haproxyBin == "" || validator == "" {
		t.Logf("haproxy (%q) or oslo-config-validator (%q) missing: real-checker assertions not run; .ci/run installs them", haproxyBin, validator)
	}
}

// fleetSecrets are the secret values the loader saw in a fleet.
func fleetSecrets(t *testing.T, fleet string) []string {
	t.Helper()
	ld, err := load(&loadFlags{}, []string{fleet}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range ld.Fleet.Secrets {
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	return out
}

// checkOnlyNamedLines: every line a fix removed or replaced is a line that
// some finding (or its related settings or fix op) names in that file.
func checkOnlyNamedLines(t *testing.T, before, after map[string]string, r jsonReport) {
	t.Helper()
	named := map[string]map[int]bool{}
	mark := func(source string, line int) {
		rel, err := filepath.Rel("fleet", source)
		if err != nil {
			return
		}
		if named[rel] == nil {
			named[rel] = map[int]bool{}
		}
		named[rel][line] = true
	}
	for _, f := range r.Findings {
		mark(f.Source, f.Line)
		if l, ok := f.Fix["line"].(float64); ok {
			mark(f.Source, int(l))
		}
	}
	for rel, old := range before {
		edits := udiff.Lines(old, after[rel])
		for _, e := range edits {
			if e.Start == e.End {
				continue // pure insertion
			}
			first := strings.Count(old[:e.Start], "\n") + 1
			last := strings.Count(old[:e.End-1], "\n") + 1
			for l := first; l <= last; l++ {
				if !named[rel][l] {
					t.Errorf("%s:%d changed, but no finding names that line", rel, l)
				}
			}
		}
	}
}

// A finding suppressed inline is not fixed either.
func TestFixRespectsSuppressions(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lb1", "etc", "haproxy", "haproxy.cfg")
	os.MkdirAll(filepath.Dir(p), 0o755)
	cfg := "defaults\n    mode http\n    timeout client 1m\n    timeout server 1m\n    timeout connect 5s\n\nlisten cinder_api\n    bind :8776\n    # oscfg: ignore OSC-HAP-001 -- sticky on purpose until the LB move\n    balance source\n    server a 10.0.0.1:8776 check\n"
	os.WriteFile(p, []byte(cfg), 0o644)
	out, errOut, code := runCLI("fix", "--rule", "OSC-HAP-001", filepath.Join(dir, "lb1"))
	if code != exitClean || strings.Contains(out, "roundrobin") {
		t.Fatalf("suppressed finding was fixed (exit %d):\n%s%s", code, out, errOut)
	}
	os.WriteFile(p, []byte(strings.Replace(cfg, "    # oscfg: ignore OSC-HAP-001 -- sticky on purpose until the LB move\n", "", 1)), 0o644)
	if out, _, _ := runCLI("fix", "--rule", "OSC-HAP-001", filepath.Join(dir, "lb1")); !strings.Contains(out, "+    balance roundrobin") {
		t.Fatalf("unsuppressed finding not fixed:\n%s", out)
	}
}

// OSC-GEN-002 needs file modes, which a git checkout does not keep, so its
// fixture fleet is made here: one world-readable nova.conf with a password,
// one 0640 keystone.conf, and oscfg.ini saying the modes are the host's.
func TestWorldReadableSecretsFixture(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string, mode os.FileMode) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), mode)
		os.Chmod(p, mode) // umask-proof
	}
	write("fleet/ctl1/etc/nova/nova.conf", "[DEFAULT]\ndebug = false\n\n[keystone_authtoken]\npassword = WorldReadablePw1\n", 0o644)
	write("fleet/ctl1/etc/keystone/keystone.conf", "[database]\nconnection = mysql+pymysql://keystone:KsDbPw22@db/keystone\n", 0o640)
	write("fleet/oscfg.ini", "[settings]\nfile_modes = true\n", 0o644)
	fleet := filepath.Join(dir, "fleet")
	var fired []string
	for _, f := range lintJSON(t, fleet).Findings {
		if f.Rule == "OSC-GEN-002" {
			fired = append(fired, f.File)
		}
	}
	if len(fired) != 1 || fired[0] != "/etc/nova/nova.conf" {
		t.Fatalf("GEN-002 fired on %v, want only /etc/nova/nova.conf", fired)
	}
	out, _, _ := runCLI("lint", fleet)
	if strings.Contains(out, "WorldReadablePw1") {
		t.Fatal("secret printed")
	}
	// The same files with modes declared untrustworthy: nothing.
	os.WriteFile(filepath.Join(fleet, "oscfg.ini"), []byte("[settings]\nfile_modes = false\n"), 0o644)
	for _, f := range lintJSON(t, fleet).Findings {
		if f.Rule == "OSC-GEN-002" {
			t.Fatalf("GEN-002 fired with file_modes = false: %+v", f)
		}
	}
}

// --backup with a '/' is a usage error before anything is read or written.
func TestFixBackupSuffixWithSlashRefused(t *testing.T) {
	tmp := t.TempDir()
	copyTree(t, "../../testdata/scenarios/haproxy-hygiene/fleet", tmp)
	p := filepath.Join(tmp, "infra1/etc/haproxy/haproxy.cfg")
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI("fix", "--write", "--backup", "/../x", tmp)
	if code != exitError || !strings.Contains(errOut, "--backup") {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	if after, _ := os.ReadFile(p); string(after) != string(before) {
		t.Error("the file was written")
	}
}
