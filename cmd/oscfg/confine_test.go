package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/lint"
	"github.com/oscfg/oscfg/report"
)

const outsideSecret = "OUTSIDE-ONLY-7f3a"

// hostWithLink makes fleet/lb1 whose haproxy.cfg is a symlink to target,
// and an outside file (a valid, fixable haproxy.cfg that carries a marker)
// beside the fleet. It returns the fleet and the outside file.
func hostWithLink(t *testing.T, target func(outside string) string) (fleet, outside string) {
	t.Helper()
	dir := t.TempDir()
	outside = filepath.Join(dir, "outside.cfg")
	src, err := os.ReadFile(filepath.Join("../../testdata/scenarios/haproxy-hygiene/fleet/infra1/etc/haproxy/haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, []byte("# "+outsideSecret+"\nnot-a-keyword "+outsideSecret+"\n")...)
	if err := os.WriteFile(outside, src, 0o644); err != nil {
		t.Fatal(err)
	}
	fleet = filepath.Join(dir, "fleet")
	etc := filepath.Join(fleet, "lb1", "etc", "haproxy")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target(outside), filepath.Join(etc, "haproxy.cfg")); err != nil {
		t.Fatal(err)
	}
	return fleet, outside
}

// Links out of the host root are never followed: absolute targets are
// re-rooted (missing there: an input error naming the link and target),
// ".." stops at the root, loops are errors. The outside file's content
// appears in no output of any command, and fix --write leaves it as it was.
func TestSymlinksStayInHostRoot(t *testing.T) {
	cases := map[string]func(string) string{
		"absolute": func(o string) string { return o },
		"relative": func(o string) string { return "../../../../../../../../../../.." + o },
		"loop":     func(string) string { return "haproxy.cfg" },
	}
	for name, target := range cases {
		t.Run(name, func(t *testing.T) {
			fleet, outside := hostWithLink(t, target)
			before, _ := os.ReadFile(outside)
			for _, args := range [][]string{
				{"lint", fleet}, {"lint", "--format", "json", fleet}, {"model", fleet},
				{"fix", fleet}, {"fix", "--write", fleet}, {"fix", "--write", "--unsafe-fixes", fleet},
			} {
				out, errOut, code := runCLI(args...)
				if code != exitError {
					t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errOut)
				}
				if !strings.Contains(errOut, "haproxy.cfg") || !strings.Contains(errOut, "-> "+target(outside)) {
					t.Errorf("%v: stderr does not name the link and its target: %q", args, errOut)
				}
				if strings.Contains(out+errOut, outsideSecret) {
					t.Errorf("%v: content of the file outside the root was printed", args)
				}
			}
			if after, _ := os.ReadFile(outside); !bytes.Equal(before, after) {
				t.Errorf("the file outside the host root was modified")
			}
			if ents, _ := os.ReadDir(filepath.Dir(outside)); len(ents) != 2 {
				t.Errorf("files created beside the outside file: %v", ents)
			}
		})
	}
}

// sosreports hold absolute links that mean the host's own /etc: read (and
// fixed) inside the root, under the resolved name.
func TestSosreportAbsoluteLinks(t *testing.T) {
	fleet, outside := hostWithLink(t, func(string) string { return "/etc/haproxy/real.cfg" })
	root := filepath.Join(fleet, "sosreport-lb1-01234-2026-01-01-abcdef")
	if err := os.Rename(filepath.Join(fleet, "lb1"), root); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(outside)
	src = bytes.ReplaceAll(src, []byte(outsideSecret), []byte("inside"))
	real := filepath.Join(root, "etc", "haproxy", "real.cfg")
	if err := os.WriteFile(real, src, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI("lint", "--format", "json", fleet)
	if code == exitError || !strings.Contains(out, `"host": "lb1"`) || !strings.Contains(out, filepath.Join("etc", "haproxy", "real.cfg")) {
		t.Fatalf("exit %d: %s %s", code, errOut, out)
	}
	// What fix hands the writer: the host root and the resolved path.
	res, err := lint.Run(context.Background(), lint.Options{Paths: []string{fleet}, KeepSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	changes, _ := fixers.Plan(res.Fleet, res.Findings, fixers.Options{Rules: map[string]bool{}})
	if len(changes) == 0 {
		t.Fatal("no fix planned")
	}
	for _, c := range changes {
		if c.Root != root || c.Real != "/etc/haproxy/real.cfg" || c.Source != real || c.HostPath != "/etc/haproxy/haproxy.cfg" {
			t.Errorf("change root %q real %q source %q host path %q", c.Root, c.Real, c.Source, c.HostPath)
		}
	}
	_, errOut, code = runCLI("fix", "--write", fleet)
	if code == exitError {
		t.Fatalf("fix --write: exit %d: %s", code, errOut)
	}
	after, _ := os.ReadFile(real)
	if bytes.Equal(after, src) {
		t.Errorf("the resolved file inside the root was not fixed: %s", errOut)
	}
	if st, err := os.Lstat(filepath.Join(root, "etc", "haproxy", "haproxy.cfg")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
}

// A FIFO where a config is expected is an error naming it, never a hang.
func TestFIFOIsAnError(t *testing.T) {
	root := filepath.Join(t.TempDir(), "h1")
	if err := os.MkdirAll(filepath.Join(root, "etc", "nova"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "etc", "nova", "nova.conf"), 0o644); err != nil {
		t.Fatal(err)
	}
	type res struct {
		errOut string
		code   int
	}
	done := make(chan res, 1)
	go func() {
		_, e, c := runCLI("lint", root)
		done <- res{e, c}
	}()
	select {
	case r := <-done:
		if r.code != exitError || !strings.Contains(r.errOut, "nova.conf") || !strings.Contains(r.errOut, "FIFO") {
			t.Errorf("exit %d, stderr %q", r.code, r.errOut)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("lint blocked on a FIFO")
	}
}

// A PATH with nothing oscfg knows is an input error, unless --allow-empty.
func TestEmptyPath(t *testing.T) {
	root := filepath.Join(t.TempDir(), "h1")
	if err := os.MkdirAll(filepath.Join(root, "etc", "ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI("lint", root)
	if code != exitError || !strings.Contains(errOut, "no configuration found") || !strings.Contains(errOut, "/etc/haproxy/haproxy.cfg") || !strings.Contains(errOut, root) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	out, errOut, code := runCLI("lint", "--allow-empty", root)
	if code != exitClean || !strings.Contains(out, "0 findings in 1 host, 0 files") {
		t.Errorf("--allow-empty: exit %d, %q %q", code, out, errOut)
	}
}

// Backups and temporaries are never configs; -v says what was skipped.
func TestBackupsAreNotConfigs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "h1")
	files := map[string]string{
		"var/spool/cron/crontabs/keystone":          "0 * * * * keystone-manage token_flush\n",
		"var/spool/cron/crontabs/keystone.orig":     "this is not a crontab\n",
		"var/spool/cron/crontabs/keystone.pre-fix":  "this is not a crontab\n",
		"var/spool/cron/crontabs/keystone~":         "this is not a crontab\n",
		"var/spool/cron/crontabs/.keystone.oscfg-1": "this is not a crontab\n",
		"etc/cron.daily/backup.dpkg-old":            "this is not a crontab\n",
		"etc/cron.d/job.rpmsave":                    "this is not a crontab\n",
		"etc/haproxy/conf.d/a.cfg.bak":              "this is not haproxy\n",
	}
	for rel, body := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := runCLI("fix", "-v", "--backup", ".pre-fix", root)
	if code == exitError {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for rel := range files {
		base := filepath.Base(rel)
		if base == "keystone" {
			continue
		}
		if !strings.Contains(errOut, "skipped /"+rel+": ") {
			t.Errorf("-v does not say %s was skipped: %s", rel, errOut)
		}
	}
	if !strings.Contains(errOut, "--backup .pre-fix") || !strings.Contains(errOut, "oscfg's temporary file") {
		t.Errorf("skip reasons: %s", errOut)
	}
}

// nobody runs the test binary as oscfg with uid/gid 65534, so permission
// errors happen even though the tests run as root.
func nobody(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	if os.Geteuid() != 0 {
		return runCLI(args...)
	}
	// The test binary sits in a private build directory: copy it where
	// nobody may run it.
	dir, err := os.MkdirTemp("", "oscfg-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "oscfg")
	self, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	f, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, self); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OSCFG_TEST_AS_MAIN=1", "HOME="+dir, "GOCOVERDIR=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running as nobody: %v", err)
	}
	return o.String(), e.String(), code
}

// A directory oscfg may not enter is never taken as absent: exit 2 naming
// it; with --skip-unreadable every format's summary lists it and the exit
// is still not 0.
func TestUnreadableIsNeverClean(t *testing.T) {
	base, err := os.MkdirTemp("", "oscfg-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	root := filepath.Join(base, "h1")
	if err := os.MkdirAll(filepath.Join(root, "etc", "nova"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "nova", "nova.conf"), []byte("[DEFAULT]\ndebug = false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "etc", "keystone"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "keystone", "keystone.conf"), []byte("[DEFAULT]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "etc", "nova"), 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 65534 {
		t.Skip("running as uid 65534 (nobody): the files above are then nobody's own, so nobody cannot be denied them")
	}
	_, errOut, code := nobody(t, "lint", root)
	if code != exitError || !strings.Contains(errOut, filepath.Join(root, "etc", "nova")) || !strings.Contains(errOut, "permission denied") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, filepath.Join(root, "etc", "keystone", "keystone.conf")+": permission denied") {
		t.Errorf("an unreadable file is not named: %q", errOut)
	}
	for _, format := range report.Formats() {
		out, errOut, code := nobody(t, "lint", "--skip-unreadable", "--format", format, root)
		if code != exitFindings {
			t.Errorf("%s: exit %d, want 1 (stderr %q)", format, code, errOut)
		}
		if !strings.Contains(out, "etc/nova") || !strings.Contains(out, "permission denied") {
			t.Errorf("%s: the summary does not carry the unread directory:\n%s", format, out)
		}
	}
}

// A fleet member oscfg may not look inside, or one linked out of the
// fleet, is not dropped from the run: with a clean readable member beside
// it, that would be "0 findings" and exit 0 for a fleet half unread.
func TestFleetMemberUnreadableOrLinkedOutIsNotDropped(t *testing.T) {
	base, err := os.MkdirTemp("", "oscfg-member-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	fleet := filepath.Join(base, "fleet")
	for _, h := range []string{"ctl1", "ctl2"} {
		p := filepath.Join(fleet, h, "etc", "nova", "nova.conf")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("[DEFAULT]\ndebug = false\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(fleet, "ctl2"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := nobody(t, "lint", "--release", "zed", fleet)
	if code != exitError || !strings.Contains(errOut, filepath.Join(fleet, "ctl2")+": permission denied") {
		t.Fatalf("unreadable member: exit %d, stderr %q", code, errOut)
	}
	out, errOut, code := nobody(t, "lint", "--release", "zed", "--skip-unreadable", fleet)
	if code != exitFindings || !strings.Contains(out, "ctl2") {
		t.Errorf("--skip-unreadable: exit %d, want 1; stdout %q stderr %q", code, out, errOut)
	}

	os.Chmod(filepath.Join(fleet, "ctl2"), 0o755)
	outside := filepath.Join(base, "outside")
	if err := os.MkdirAll(filepath.Join(outside, "etc", "nova"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(fleet, "ctl3")); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI("lint", "--release", "zed", fleet)
	if code != exitError || !strings.Contains(errOut, "ctl3 -> "+outside) || !strings.Contains(errOut, "not followed outside") {
		t.Errorf("member linked out: exit %d, stderr %q", code, errOut)
	}
}

// PATH/oscfg.ini linked out of PATH is an error naming the link, not a
// silent "no oscfg.ini found" that drops the operator's settings.
func TestSettingsLinkedOutOfPathIsAnError(t *testing.T) {
	base := t.TempDir()
	fleet := filepath.Join(base, "fleet")
	p := filepath.Join(fleet, "ctl1", "etc", "nova", "nova.conf")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("[DEFAULT]\ndebug = false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(base, "elsewhere.ini")
	if err := os.WriteFile(outside, []byte("release = zed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(fleet, "oscfg.ini")); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI("lint", fleet)
	if code != exitError || !strings.Contains(errOut, "oscfg.ini -> "+outside) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
