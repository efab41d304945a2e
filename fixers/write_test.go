package fixers

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func writeFile(t *testing.T, p string, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode passes through the umask and drops special bits.
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteKeepsSpecialBitsAndOwner(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "etc/cron.daily/backup")
	mode := 0o755 | os.ModeSetuid | os.ModeSetgid | os.ModeSticky
	writeFile(t, p, "a\n", 0o755)
	chowned := os.Geteuid() == 0
	if chowned {
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	// After the chown, which clears setuid and setgid.
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky); got != mode {
		t.Errorf("mode %v, want %v", got, mode)
	}
	if st := fi.Sys().(*syscall.Stat_t); chowned && (st.Uid != 65534 || st.Gid != 65534) {
		t.Errorf("owner %d:%d, want 65534:65534", st.Uid, st.Gid)
	}
	if got := readString(t, p); got != "b\n" {
		t.Errorf("content %q", got)
	}
}

func TestWriteKeepsXattrs(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "etc/haproxy/haproxy.cfg")
	writeFile(t, p, "a\n", 0o640)
	if err := unix.Setxattr(p, "user.oscfg-test", []byte("kept"), 0); err != nil {
		t.Skipf("the file system under %s does not take user.* extended attributes: %v", root, err)
	}
	// security.* is what SELinux labels use; without SELinux a privileged
	// caller can still store one on ext4/xfs/tmpfs. Checked when settable.
	label := []byte("system_u:object_r:haproxy_etc_t:s0\x00")
	haveLabel := unix.Setxattr(p, "security.selinux", label, 0) == nil
	if !haveLabel {
		t.Log("security.selinux not settable here; only user.* is checked")
	}
	if err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{Backup: ".orig"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{p, p + ".orig"} {
		buf := make([]byte, 64)
		n, err := unix.Getxattr(f, "user.oscfg-test", buf)
		if err != nil || string(buf[:n]) != "kept" {
			t.Errorf("%s: user.oscfg-test = %q, %v", f, buf[:max(n, 0)], err)
		}
		if haveLabel {
			n, err := unix.Getxattr(f, "security.selinux", buf)
			if err != nil || string(buf[:n]) != string(label) {
				t.Errorf("%s: security.selinux = %q, %v", f, buf[:max(n, 0)], err)
			}
		}
	}
}

func TestWriteKeepsACL(t *testing.T) {
	if _, err := exec.LookPath("setfacl"); err != nil {
		t.Skip("setfacl not installed")
	}
	root := t.TempDir()
	p := filepath.Join(root, "etc/nova/nova.conf")
	writeFile(t, p, "a\n", 0o640)
	if out, err := exec.Command("setfacl", "-m", "u:65534:rw,g:65534:r", p).CombinedOutput(); err != nil {
		t.Skipf("the file system does not take POSIX ACLs: %v %s", err, out)
	}
	before, err := exec.Command("getfacl", "-cn", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(before), "user:65534:rw-") {
		t.Fatalf("ACL not set: %s", before)
	}
	if err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	after, err := exec.Command("getfacl", "-cn", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("ACL changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestWriteRefusesHardLinksUnlessInPlace(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "etc/my.cnf")
	other := filepath.Join(root, "etc/my.cnf.link")
	writeFile(t, p, "a\n", 0o644)
	if err := os.Link(p, other); err != nil {
		t.Fatal(err)
	}
	err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{})
	if !errors.Is(err, ErrHardLinks) {
		t.Fatalf("err %v, want ErrHardLinks", err)
	}
	if readString(t, p) != "a\n" || readString(t, other) != "a\n" {
		t.Fatal("a refused write changed the file")
	}
	if err := WriteAtomic(root, p, []byte("a\n"), []byte("bb\n"), WriteOptions{InPlaceHardlinks: true}); err != nil {
		t.Fatal(err)
	}
	if readString(t, p) != "bb\n" || readString(t, other) != "bb\n" {
		t.Errorf("in place: %q and %q, want both new", readString(t, p), readString(t, other))
	}
	a, _ := os.Stat(p)
	b, _ := os.Stat(other)
	if !os.SameFile(a, b) {
		t.Error("the links were split")
	}
}

func TestWriteRemovesOwnLeftoversOnly(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "etc/haproxy")
	p := filepath.Join(dir, "haproxy.cfg")
	writeFile(t, p, "a\n", 0o644)
	stale := ".haproxy.cfg.oscfg-123456"
	keep := []string{
		".haproxy.cfg.oscfg-12ab",    // not digits
		".haproxy.cfg.oscfg-",        // no digits
		".other.cfg.oscfg-1",         // beside another file
		"haproxy.cfg.oscfg-1",        // no leading dot
		".haproxy.cfg.orig.oscfg-77", // a backup's temporary name
	}
	for _, n := range append([]string{stale}, keep...) {
		writeFile(t, filepath.Join(dir, n), "x", 0o600)
	}
	os.Mkdir(filepath.Join(dir, ".haproxy.cfg.oscfg-99"), 0o755) // a directory: not ours
	var notices []string
	err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{Notice: func(s string) { notices = append(notices, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, stale)); !os.IsNotExist(err) {
		t.Errorf("%s not removed: %v", stale, err)
	}
	for _, n := range append(keep, ".haproxy.cfg.oscfg-99") {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
	if len(notices) != 1 || !strings.Contains(notices[0], filepath.Join(dir, stale)) {
		t.Errorf("notices %q", notices)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1+len(keep)+1 {
		t.Errorf("entries after the write: %v", ents)
	}
}

// A symlink anywhere on the path, absolute or relative, is resolved inside
// the host root: the copy outside the root is never written.
func TestWriteNeverLeavesTheRoot(t *testing.T) {
	outside := t.TempDir()
	outFile := filepath.Join(outside, "haproxy.cfg")
	old := "global\n"
	cases := []struct {
		name string
		link func(root string) (path string)
		// inRoot is the file the write lands on, if one exists in the root.
		inRoot func(root string) string
	}{
		{"absolute link as the file", func(root string) string {
			p := filepath.Join(root, "etc/haproxy/haproxy.cfg")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.Symlink(outFile, p)
			return p
		}, func(root string) string { return filepath.Join(root, outFile) }},
		{"absolute link as a directory", func(root string) string {
			os.MkdirAll(filepath.Join(root, "etc"), 0o755)
			os.Symlink(outside, filepath.Join(root, "etc/haproxy"))
			return filepath.Join(root, "etc/haproxy/haproxy.cfg")
		}, func(root string) string { return filepath.Join(root, outFile) }},
		{"relative link climbing out", func(root string) string {
			p := filepath.Join(root, "etc/haproxy/haproxy.cfg")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.Symlink(strings.Repeat("../", 20)+strings.TrimPrefix(outFile, "/"), p)
			return p
		}, func(root string) string { return filepath.Join(root, outFile) }},
		{"link to a missing file in the root", func(root string) string {
			p := filepath.Join(root, "etc/haproxy/haproxy.cfg")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.Symlink(outFile, p)
			return p
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writeFile(t, outFile, old, 0o644)
			root := t.TempDir()
			p := c.link(root)
			if c.inRoot != nil {
				writeFile(t, c.inRoot(root), old, 0o644)
			}
			err := WriteAtomic(root, p, []byte(old), []byte("global\n    daemon\n"), WriteOptions{Backup: ".orig"})
			if got := readString(t, outFile); got != old {
				t.Fatalf("the file outside the root was written: %q", got)
			}
			if _, err := os.Lstat(outFile + ".orig"); err == nil {
				t.Fatal("a backup was written outside the root")
			}
			if c.inRoot == nil {
				if err == nil {
					t.Fatal("no error for a link that resolves to nothing inside the root")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := readString(t, c.inRoot(root)); got != "global\n    daemon\n" {
				t.Errorf("the file inside the root is %q", got)
			}
		})
	}
}

func TestWriteRefusesPathOutsideRoot(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	p := filepath.Join(other, "x.conf")
	writeFile(t, p, "a\n", 0o644)
	if err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{}); err == nil || !strings.Contains(err.Error(), "not inside the host root") {
		t.Errorf("err %v", err)
	}
	if readString(t, p) != "a\n" {
		t.Error("written")
	}
}

// On the live "/" the root is "/": a symlink is written through, as the
// admin expects, and the link stays a link.
func TestWriteLiveRootFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.cfg")
	link := filepath.Join(dir, "haproxy.cfg")
	writeFile(t, real, "a\n", 0o640)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic("/", link, []byte("a\n"), []byte("b\n"), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if readString(t, real) != "b\n" {
		t.Error("target not written")
	}
}

// A path that names the root by its real location is inside it, when the
// root was given through a symlink.
func TestWriteRootGivenThroughLink(t *testing.T) {
	real := t.TempDir()
	p := filepath.Join(real, "etc/nova/nova.conf")
	writeFile(t, p, "a\n", 0o640)
	link := filepath.Join(t.TempDir(), "host")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p, filepath.Join(link, "etc/nova/nova.conf")} {
		old := readString(t, p)
		if err := WriteAtomic(link, path, []byte(old), []byte(old+"x\n"), WriteOptions{}); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	if got := readString(t, p); got != "a\nx\nx\n" {
		t.Errorf("content %q", got)
	}
}

// A backup suffix is appended to the file's name and created by name in
// its directory: a '/' in it would walk through a link of the host tree
// (here .haproxy.cfg, the start of the temporary file's name) out of the
// root. It is refused before anything is created.
func TestWriteRefusesBackupSuffixWithSlash(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	p := filepath.Join(root, "etc/haproxy/haproxy.cfg")
	writeFile(t, p, "a\n", 0o644)
	if err := os.Symlink(outside, filepath.Join(root, "etc/haproxy/.haproxy.cfg")); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"/pwn", "/../../pwn", ".orig/x", "a\x00b"} {
		err := WriteAtomic(root, p, []byte("a\n"), []byte("b\n"), WriteOptions{Backup: suffix})
		if err == nil || !strings.Contains(err.Error(), "backup suffix") {
			t.Errorf("suffix %q: err %v", suffix, err)
		}
		if ents, _ := os.ReadDir(outside); len(ents) != 0 {
			t.Fatalf("suffix %q: %s was created outside the root", suffix, ents[0].Name())
		}
		if readString(t, p) != "a\n" {
			t.Fatalf("suffix %q: the file was written", suffix)
		}
	}
}

// The file swapped for a FIFO after it was resolved (between lint and
// write, or by a racing process): the write is refused at once, it does
// not block on the FIFO's open or read.
func TestWriteFileSwappedForFIFO(t *testing.T) {
	for _, inPlace := range []bool{false, true} {
		root := t.TempDir()
		p := filepath.Join(root, "etc/haproxy/haproxy.cfg")
		writeFile(t, p, "a\n", 0o644)
		tg, err := resolveInRoot(root, p)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(p)
		if err := unix.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			if inPlace {
				done <- tg.inPlace([]byte("b\n"), meta{mode: 0o644}, []byte("a\n"))
			} else {
				done <- tg.write([]byte("a\n"), []byte("b\n"), WriteOptions{})
			}
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrChanged) {
				t.Errorf("in place %v: err %v, want ErrChanged", inPlace, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("in place %v: the write blocked on a FIFO", inPlace)
		}
		tg.close()
	}
}
