package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"
)

// packTree writes the tree at dir as a tar archive at out, every member
// under top ("" for a packed host root, ./etc/...), compressed by out's
// suffix. Symlinks stay symlinks.
func packTree(t *testing.T, dir, top, out string) {
	t.Helper()
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := filepath.ToSlash(filepath.Join(top, rel))
		if top == "" {
			name = "./" + filepath.ToSlash(rel)
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		link := ""
		if fi.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		h, err := tar.FileInfoHeader(fi, link)
		if err != nil {
			return err
		}
		h.Name = name
		if fi.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			tw.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tw.Close()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch {
	case strings.HasSuffix(out, ".tar.gz"):
		w = gzip.NewWriter(&buf)
	case strings.HasSuffix(out, ".tar.xz"):
		if w, err = xz.NewWriter(&buf); err != nil {
			t.Fatal(err)
		}
	default:
		buf = raw
	}
	if w != nil {
		w.Write(raw.Bytes())
		w.Close()
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// findingsOf lints args as JSON and returns the findings without their
// source (the disk path differs between a tree and its archive).
func findingsOf(t *testing.T, args ...string) ([]map[string]any, string) {
	t.Helper()
	out, errOut, code := runCLI(append([]string{"lint", "--format", "json"}, args...)...)
	if code == exitError {
		t.Fatalf("lint %v: exit 2: %s", args, errOut)
	}
	var rep struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	for _, f := range rep.Findings {
		delete(f, "source")
	}
	return rep.Findings, errOut
}

// A fleet packed host by host into archives, as sosreports and as packed
// roots, lints to the same findings as the unpacked trees.
func TestArchivesLintLikeTrees(t *testing.T) {
	for _, scenario := range []string{"keystone-tokens", "galera-settings", "sosreport-ussuri"} {
		t.Run(scenario, func(t *testing.T) {
			src := filepath.Join("../../testdata/scenarios", scenario, "fleet")
			want, _ := findingsOf(t, src)
			if len(want) == 0 {
				t.Fatal("the scenario has no findings to compare")
			}
			ents, err := os.ReadDir(src)
			if err != nil {
				t.Fatal(err)
			}
			for i, ext := range []string{".tar.xz", ".tar.gz"} {
				fleet := t.TempDir()
				for _, e := range ents {
					p := filepath.Join(src, e.Name())
					if !e.IsDir() {
						b, _ := os.ReadFile(p)
						os.WriteFile(filepath.Join(fleet, e.Name()), b, 0o644)
						continue
					}
					name := hostNameForTest(e.Name())
					switch {
					case strings.HasPrefix(e.Name(), "sosreport-"):
						packTree(t, p, e.Name(), filepath.Join(fleet, e.Name()+ext))
					case i == 0:
						// A sosreport of an unpacked host: named from the
						// archive, its top directory is the sosreport's.
						top := "sosreport-" + name + "-01234-2024-01-01-abcdefg"
						packTree(t, p, top, filepath.Join(fleet, top+ext))
					default:
						packTree(t, p, "", filepath.Join(fleet, name+ext))
					}
				}
				got, errOut := findingsOf(t, fleet)
				if !reflect.DeepEqual(got, want) {
					gb, _ := json.MarshalIndent(got, "", " ")
					wb, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("%s: archives lint differently\n--- got\n%s\n--- want\n%s\n%s", ext, gb, wb, errOut)
				}
			}
		})
	}
}

func hostNameForTest(dir string) string {
	if rest, ok := strings.CutPrefix(dir, "sosreport-"); ok {
		return strings.SplitN(rest, "-", 2)[0]
	}
	return dir
}

// One archive named directly is a host; a sosreport's hostname file names
// it (short name), else the archive name does.
func TestArchiveHostName(t *testing.T) {
	src := "../../testdata/scenarios/sosreport-ussuri/fleet/sosreport-ctl1-0123456-2024-05-01-kxqzvbn"
	dir := t.TempDir()
	a := filepath.Join(dir, "sosreport-other-1-2024.tar.xz")
	packTree(t, src, "sosreport-ctl1-0123456-2024-05-01-kxqzvbn", a)
	fs, errOut := findingsOf(t, a)
	if len(fs) == 0 || fs[0]["host"] != "ctl1" {
		t.Errorf("host from hostname: %v %s", fs, errOut)
	}
	if !strings.Contains(errOut, "OpenStack release ussuri (packages: python3-nova 21.2.4 in installed-rpms)") {
		t.Errorf("release evidence not said: %s", errOut)
	}
	tree := t.TempDir()
	os.MkdirAll(filepath.Join(tree, "etc", "nova"), 0o755)
	os.WriteFile(filepath.Join(tree, "etc", "nova", "nova.conf"), []byte("[DEFAULT]\ndebug = true\n"), 0o644)
	b := filepath.Join(dir, "sosreport-cmp7-555-2024.tar.gz")
	packTree(t, tree, "sosreport-cmp7-555-2024", b)
	if fs, errOut := findingsOf(t, b); len(fs) == 0 || fs[0]["host"] != "cmp7" {
		t.Errorf("host from the archive name: %v %s", fs, errOut)
	}
}

// An archive whose symlink leads out of it is refused as a tree with the
// same link is; a member whose name climbs out is refused outright.
func TestArchiveEscapesRefused(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside.cfg")
	os.WriteFile(outside, []byte("global\n  # "+outsideSecret+"\n"), 0o644)
	for _, target := range []string{outside, "../../../../../../../" + filepath.Base(outside)} {
		tree := t.TempDir()
		os.MkdirAll(filepath.Join(tree, "etc", "haproxy"), 0o755)
		if err := os.Symlink(target, filepath.Join(tree, "etc", "haproxy", "haproxy.cfg")); err != nil {
			t.Fatal(err)
		}
		a := filepath.Join(dir, "lb1.tar.gz")
		packTree(t, tree, "", a)
		out, errOut, code := runCLI("lint", a)
		if code != exitError || !strings.Contains(errOut, "does not resolve inside the host root") || !strings.Contains(errOut, "-> "+target) {
			t.Errorf("%s: exit %d\n%s%s", target, code, out, errOut)
		}
		if strings.Contains(out+errOut, outsideSecret) {
			t.Errorf("%s: outside content printed", target)
		}
	}
	// A name with "..": tar -x would write outside its directory.
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, name := range []string{"etc/nova/nova.conf", "../../tmp/evil.conf"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 10, Typeflag: tar.TypeReg})
		tw.Write([]byte("[DEFAULT]\n"))
	}
	tw.Close()
	a := filepath.Join(dir, "bad.tar")
	os.WriteFile(a, raw.Bytes(), 0o644)
	if _, errOut, code := runCLI("lint", a); code != exitError || !strings.Contains(errOut, "climbs out of the archive") {
		t.Errorf("climbing member: exit %d %s", code, errOut)
	}
}

// fix prints the patch of an archive; fix --write refuses it (exit 2) and
// the archive is left as it was.
func TestFixRefusesArchives(t *testing.T) {
	tree := t.TempDir()
	os.MkdirAll(filepath.Join(tree, "etc", "nova"), 0o755)
	os.WriteFile(filepath.Join(tree, "etc", "nova", "nova.conf"), []byte("[DEFAULT]\nblock_device_allocate_retires = 300\n"), 0o644)
	a := filepath.Join(t.TempDir(), "cmp1.tar.xz")
	packTree(t, tree, "", a)
	before, _ := os.ReadFile(a)
	out, errOut, code := runCLI("fix", "--release", "zed", a)
	if code != exitFindings || !strings.Contains(out, "--- a/etc/nova/nova.conf\n+++ b/etc/nova/nova.conf\n") || !strings.Contains(out, "+block_device_allocate_retries = ") {
		t.Errorf("fix: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = runCLI("fix", "--write", "--no-verify", "--release", "zed", a)
	if code != exitError || !strings.Contains(errOut, "archives are read-only; unpack it to fix") {
		t.Errorf("fix --write: exit %d\n%s%s", code, out, errOut)
	}
	if after, _ := os.ReadFile(a); !bytes.Equal(before, after) {
		t.Error("the archive changed")
	}
	if ents, _ := os.ReadDir(filepath.Dir(a)); len(ents) != 1 {
		t.Errorf("files appeared beside the archive: %v", ents)
	}
}

// openstack-ansible: each LXC container's rootfs is a host of its own,
// beside the physical host; links inside a container mean its own "/".
func TestLXCContainersAreHosts(t *testing.T) {
	fleet := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(fleet, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("infra1/etc/haproxy/haproxy.cfg", "global\n  maxconn 100\n")
	write("infra1/var/lib/lxc/infra1_nova_api_container-1a2b3c4d/rootfs/etc/nova/nova.conf", "[DEFAULT]\nblock_device_allocate_retires = 300\n")
	write("infra1/var/lib/lxc/infra1_keystone_container-5e6f7a8b/rootfs/etc/keystone/real.conf", "[token]\nprovider = fernet\n")
	if err := os.Symlink("/etc/keystone/real.conf", filepath.Join(fleet, "infra1/var/lib/lxc/infra1_keystone_container-5e6f7a8b/rootfs/etc/keystone/keystone.conf")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI("files", "--format", "json", filepath.Join(fleet, "infra1"))
	if code != exitClean {
		t.Fatalf("files: exit %d %s", code, errOut)
	}
	for _, want := range []string{`"infra1"`, `"infra1_nova_api_container-1a2b3c4d"`, `"infra1_keystone_container-5e6f7a8b"`} {
		if !strings.Contains(out, want) {
			t.Errorf("files lacks host %s:\n%s", want, out)
		}
	}
	fs, _ := findingsOf(t, "--release", "zed", filepath.Join(fleet, "infra1"))
	var found bool
	for _, f := range fs {
		if f["host"] == "infra1_nova_api_container-1a2b3c4d" && f["file"] == "/etc/nova/nova.conf" && f["rule"] == "OSC-OPT-001" {
			found = true
		}
	}
	if !found {
		t.Errorf("no finding on the container's nova.conf: %v", fs)
	}
	// One container named directly is a host named after it.
	one := filepath.Join(fleet, "infra1/var/lib/lxc/infra1_nova_api_container-1a2b3c4d/rootfs")
	if out, errOut, code := runCLI("files", "--format", "json", one); code != exitClean || !strings.Contains(out, `"infra1_nova_api_container-1a2b3c4d"`) {
		t.Errorf("one container: exit %d %s%s", code, out, errOut)
	}
	// The same host packed: the containers come out of the archive too.
	a := filepath.Join(t.TempDir(), "infra1.tar.gz")
	packTree(t, filepath.Join(fleet, "infra1"), "", a)
	got, errOut := findingsOf(t, "--release", "zed", a)
	if !reflect.DeepEqual(got, fs) {
		t.Errorf("archive: %v\nwant %v\n%s", got, fs, errOut)
	}
}

// The release is said once, with its evidence; a fleet mid-upgrade says
// each host's and judges each by its own.
func TestReleaseEvidenceSaidOnce(t *testing.T) {
	fleet := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(fleet, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	typo := "[DEFAULT]\nblock_device_allocate_retires = 300\n"
	write("ctl1/etc/nova/nova.conf", typo)
	write("ctl1/installed-rpms", "openstack-nova-common-21.2.4-1.el8ost.noarch   Tue 12 Jan 2021\n")
	write("ctl2/etc/nova/nova.conf", typo)
	write("ctl2/sos_commands/dpkg/dpkg_-l", "ii  nova-common  2:26.2.2-1~deb12u5  all  OpenStack Compute\n")
	fs, errOut := findingsOf(t, fleet)
	if n := strings.Count(errOut, "openstack-nova-common 21.2.4 in installed-rpms"); n != 1 {
		t.Errorf("ctl1's evidence said %d times:\n%s", n, errOut)
	}
	for _, want := range []string{"different OpenStack releases", "ussuri for ctl1 (packages", "zed for ctl2 (packages: nova-common 2:26.2.2-1~deb12u5 in sos_commands/dpkg/dpkg_-l)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	sev := map[string]string{}
	for _, f := range fs {
		if f["rule"] == "OSC-OPT-001" {
			sev[f["host"].(string)] = f["severity"].(string) + " " + f["message"].(string)
		}
	}
	if !strings.HasPrefix(sev["ctl1"], "info ") || !strings.Contains(sev["ctl1"], "ussuri may still have had it") || strings.Contains(sev["ctl1"], "(Zed)") {
		t.Errorf("ctl1 (ussuri): %q", sev["ctl1"])
	}
	if !strings.HasPrefix(sev["ctl2"], "medium ") || !strings.Contains(sev["ctl2"], "reads (Zed)") {
		t.Errorf("ctl2 (zed): %q", sev["ctl2"])
	}
	// --release overrides the evidence and is not repeated back.
	fs, errOut = findingsOf(t, "--release", "ussuri", fleet)
	if strings.Contains(errOut, "release") {
		t.Errorf("--release echoed: %s", errOut)
	}
	for _, f := range fs {
		if f["rule"] == "OSC-OPT-001" && strings.Contains(f["message"].(string), "(Zed)") {
			t.Errorf("--release ussuri, message names Zed: %v", f["message"])
		}
	}
}

// Option files of an include directory are read when the tree lacks the
// my.cnf that includes them, and that is said.
func TestMyCnfFragmentsWithoutParent(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "etc", "mysql", "mysql.conf.d", "mysqld.cnf")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("[mysqld]\nmax_connections = 4096\n"), 0o644)
	out, errOut, code := runCLI("files", "--format", "json", root)
	if code != exitClean || !strings.Contains(out, "/etc/mysql/mysql.conf.d/mysqld.cnf") {
		t.Errorf("files: exit %d %s%s", code, out, errOut)
	}
	_, errOut, _ = runCLI("lint", "--release", "zed", root)
	if !strings.Contains(errOut, "assumed: /etc/mysql/mysql.conf.d/mysqld.cnf: no option file here includes them") {
		t.Errorf("the assumption is not said:\n%s", errOut)
	}
	// With the parent that includes it, nothing is assumed.
	os.WriteFile(filepath.Join(root, "etc", "mysql", "my.cnf"), []byte("!includedir /etc/mysql/mysql.conf.d/\n"), 0o644)
	if _, errOut, _ = runCLI("lint", "--release", "zed", root); strings.Contains(errOut, "assumed") {
		t.Errorf("assumed with the parent present:\n%s", errOut)
	}
}
