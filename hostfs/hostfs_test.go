package hostfs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// world builds an outside file and a host root beside it.
func world(t *testing.T) (root, outside string) {
	t.Helper()
	dir := t.TempDir()
	outside = filepath.Join(dir, "shadow")
	if err := os.WriteFile(outside, []byte("OUTSIDE-SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root = filepath.Join(dir, "fleet", "h1")
	if err := os.MkdirAll(filepath.Join(root, "etc", "nova"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root, outside
}

func TestLinksStayInRoot(t *testing.T) {
	root, outside := world(t)
	link := func(name, target string) {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	link("etc/nova/abs.conf", outside)                                     // absolute, outside: re-rooted, missing
	link("etc/nova/rel.conf", "../../../../../../"+filepath.Base(outside)) // ".." stops at the root
	link("etc/nova/loop.conf", "loop.conf")
	link("etc/nova/own.conf", "/etc/real.conf") // sosreport style: the host's own /etc
	if err := os.WriteFile(filepath.Join(root, "etc/real.conf"), []byte("[DEFAULT]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, name := range []string{"/etc/nova/abs.conf", "/etc/nova/rel.conf", "/etc/nova/loop.conf"} {
		data, _, err := r.ReadFile(name, 1<<20)
		var e *Error
		if !errors.As(err, &e) || e.Kind != BadLink || e.Target == "" || !strings.Contains(e.Msg, e.Target) {
			t.Errorf("%s: got %q, %v; want a BadLink error naming the target", name, data, err)
		}
		if strings.Contains(string(data), "OUTSIDE") || (err != nil && strings.Contains(err.Error(), "OUTSIDE")) {
			t.Errorf("%s: outside content leaked", name)
		}
	}
	data, real, err := r.ReadFile("/etc/nova/own.conf", 1<<20)
	if err != nil || string(data) != "[DEFAULT]\n" || real != "/etc/real.conf" {
		t.Errorf("own link: %q %q %v", data, real, err)
	}
	// The same outside file, present inside the root, is the one read.
	if err := os.WriteFile(filepath.Join(root, filepath.Base(outside)), []byte("inside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, real, err := r.ReadFile("/etc/nova/rel.conf", 1<<20); err != nil || string(data) != "inside\n" || real != "/shadow" {
		t.Errorf("rel link re-rooted: %q %q %v", data, real, err)
	}
}

func TestNotARegularFile(t *testing.T) {
	root, _ := world(t)
	fifo := filepath.Join(root, "etc/nova/nova.conf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	done := make(chan error, 1)
	go func() { _, _, err := r.ReadFile("/etc/nova/nova.conf", 1<<20); done <- err }()
	select {
	case err := <-done:
		if !IsUnreadable(err) || !strings.Contains(err.Error(), "FIFO") {
			t.Errorf("fifo: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
	if _, err := ReadPath(fifo, 1<<20); !IsUnreadable(err) {
		t.Errorf("ReadPath fifo: %v", err)
	}
	if _, _, err := r.ReadFile("/etc/nova", 1<<20); !IsUnreadable(err) || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	big := filepath.Join(root, "etc/big.conf")
	if err := os.WriteFile(big, make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.ReadFile("/etc/big.conf", 99); !IsUnreadable(err) || !strings.Contains(err.Error(), "limit") {
		t.Errorf("size cap: %v", err)
	}
}

// OpenDir of a directory reached through a link out of the root is the
// root's own directory (or an error), never the outside one.
func TestOpenDirStaysInRoot(t *testing.T) {
	root, outside := world(t)
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(root, "etc", "haproxy")); err != nil {
		t.Fatal(err)
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if d, err := r.OpenDir("/etc/haproxy"); err == nil {
		d.Close()
		t.Fatal("opened a directory through a link whose target is missing inside the root")
	}
	// The same absolute path, present inside the root, is what is opened.
	if err := os.MkdirAll(filepath.Join(root, filepath.Dir(outside)), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := r.OpenDir("/etc/haproxy")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ents, _ := d.ReadDir(-1)
	if len(ents) != 0 {
		t.Errorf("the outside directory was opened: %v", ents)
	}
}
