package hostfs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// member is one tar entry of a test archive.
type member struct {
	name, body, link string
	typ              byte
	size             int64 // header size when body is not given (a large member)
}

func file(name, body string) member   { return member{name: name, body: body, typ: tar.TypeReg} }
func dir(name string) member          { return member{name: name, typ: tar.TypeDir} }
func symlink(name, to string) member  { return member{name: name, link: to, typ: tar.TypeSymlink} }
func hardlink(name, to string) member { return member{name: name, link: to, typ: tar.TypeLink} }

// tarball builds a tar stream of ms.
func tarball(t *testing.T, ms ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range ms {
		h := &tar.Header{Name: m.name, Typeflag: m.typ, Linkname: m.link, Mode: 0o644}
		switch m.typ {
		case tar.TypeReg:
			h.Size = int64(len(m.body))
			if m.size > 0 {
				h.Size = m.size
			}
		case tar.TypeDir:
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if m.typ == tar.TypeReg {
			if m.size > 0 {
				chunk := make([]byte, 1<<20)
				for left := m.size; left > 0; left -= int64(len(chunk)) {
					if left < int64(len(chunk)) {
						chunk = chunk[:left]
					}
					tw.Write(chunk)
				}
			} else {
				tw.Write([]byte(m.body))
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func compress(t *testing.T, kind string, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	switch kind {
	case ".tar":
		return raw
	case ".tar.gz":
		w := gzip.NewWriter(&buf)
		w.Write(raw)
		w.Close()
	case ".tar.xz":
		w, err := xz.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw)
		w.Close()
	case ".tar.zst":
		w, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw)
		w.Close()
	case ".tar.bz2":
		// The standard library reads bzip2 but does not write it.
		bz, err := exec.LookPath("bzip2")
		if err != nil {
			t.Skip("bzip2 not installed (Debian's bzip2) to make a .tar.bz2")
		}
		cmd := exec.Command(bz, "-c")
		cmd.Stdin = bytes.NewReader(raw)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return buf.Bytes()
}

func writeArchive(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantAll(string) bool { return true }

func TestArchiveFormats(t *testing.T) {
	raw := tarball(t, dir("./"), dir("./etc/"), file("./etc/nova/nova.conf", "[DEFAULT]\ndebug = true\n"))
	for _, ext := range []string{".tar", ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst"} {
		t.Run(ext, func(t *testing.T) {
			// The decompressor comes from the content, not the name.
			p := writeArchive(t, "host"+ext, compress(t, ext, raw))
			a, err := OpenArchive(p, wantAll)
			if err != nil {
				t.Fatal(err)
			}
			data, real, err := a.ReadFile("/etc/nova/nova.conf", 1<<20)
			if err != nil || string(data) != "[DEFAULT]\ndebug = true\n" || real != "/etc/nova/nova.conf" {
				t.Errorf("read %q %q %v", data, real, err)
			}
			if a.Disk(real) != p+"!/etc/nova/nova.conf" || !a.ReadOnly() {
				t.Errorf("disk name %q", a.Disk(real))
			}
		})
	}
}

func TestArchiveSosreportTop(t *testing.T) {
	p := writeArchive(t, "sosreport-ctl1-1-2024.tar.gz", compress(t, ".tar.gz", tarball(t,
		file("sosreport-ctl1-1-2024/etc/keystone/keystone.conf", "[token]\n"),
		symlink("sosreport-ctl1-1-2024/hostname", "sos_commands/host/hostname"),
		file("sosreport-ctl1-1-2024/sos_commands/host/hostname", "ctl1.example.com\n"),
	)))
	a, err := OpenArchive(p, wantAll)
	if err != nil {
		t.Fatal(err)
	}
	if a.Top() != "/sosreport-ctl1-1-2024" {
		t.Errorf("top %q", a.Top())
	}
	if data, real, err := a.ReadFile("/hostname", 1<<10); err != nil || string(data) != "ctl1.example.com\n" || real != "/sos_commands/host/hostname" {
		t.Errorf("hostname: %q %q %v", data, real, err)
	}
	ents, err := a.ReadDir("/")
	if err != nil || len(ents) != 3 || ents[0].Name() != "etc" || ents[1].Name() != "hostname" || ents[1].Type()&fs.ModeSymlink == 0 {
		t.Errorf("root listing %v %v", ents, err)
	}
	// Two hosts in one archive: ambiguous.
	p2 := writeArchive(t, "two.tar", tarball(t, file("a/etc/x", ""), file("b/etc/y", "")))
	if _, err := OpenArchive(p2, wantAll); err == nil || !strings.Contains(err.Error(), "one host per archive") {
		t.Errorf("two hosts: %v", err)
	}
	p3 := writeArchive(t, "none.tar", tarball(t, file("README", "hi")))
	if _, err := OpenArchive(p3, wantAll); err == nil || !strings.Contains(err.Error(), "neither a packed host root") {
		t.Errorf("no host: %v", err)
	}
}

// The confinement rules of Root, for an archive: an absolute target is
// the host's own, ".." stops at the root, loops are errors, and nothing
// outside the archive is ever read.
func TestArchiveLinksStayInRoot(t *testing.T) {
	root, outside := world(t)
	_ = root
	p := writeArchive(t, "h1.tar", tarball(t,
		file("etc/real.conf", "[DEFAULT]\n"),
		symlink("etc/nova/abs.conf", outside),
		symlink("etc/nova/rel.conf", "../../../../../../"+filepath.Base(outside)),
		symlink("etc/nova/loop.conf", "loop.conf"),
		symlink("etc/nova/a.conf", "b.conf"),
		symlink("etc/nova/b.conf", "a.conf"),
		symlink("etc/nova/own.conf", "/etc/real.conf"),
		symlink("etc/nova/up.conf", "../real.conf"),
		symlink("etc/cfgdir", "/etc/nova"),
	))
	a, err := OpenArchive(p, wantAll)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"/etc/nova/abs.conf", "/etc/nova/rel.conf", "/etc/nova/loop.conf", "/etc/nova/a.conf"} {
		data, _, err := a.ReadFile(name, 1<<20)
		var e *Error
		if !errors.As(err, &e) || e.Kind != BadLink || e.Target == "" || !strings.Contains(e.Msg, e.Target) {
			t.Errorf("%s: got %q, %v; want a BadLink error naming the target", name, data, err)
		}
		if strings.Contains(string(data), "OUTSIDE") || (err != nil && strings.Contains(err.Error(), "OUTSIDE")) {
			t.Errorf("%s: outside content leaked", name)
		}
	}
	if _, _, err := a.ReadFile("/etc/nova/loop.conf", 1<<20); err == nil || !strings.Contains(err.Error(), "symlink loop") {
		t.Errorf("loop: %v", err)
	}
	for _, name := range []string{"/etc/nova/own.conf", "/etc/nova/up.conf", "/etc/cfgdir/own.conf", "/etc/cfgdir/../real.conf"} {
		data, real, err := a.ReadFile(name, 1<<20)
		if err != nil || string(data) != "[DEFAULT]\n" || real != "/etc/real.conf" {
			t.Errorf("%s: %q %q %v", name, data, real, err)
		}
	}
	// A plainly missing file after a good link is Missing, not BadLink.
	_, _, err = a.ReadFile("/etc/cfgdir/none.conf", 1<<20)
	var e *Error
	if !errors.As(err, &e) || e.Kind != Missing || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing under a good link: %v", err)
	}
	if st, err := a.Lstat("/etc/nova/own.conf"); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("lstat %v %v", st, err)
	}
	// A container root inside the host: absolute links mean its own "/".
	p2 := writeArchive(t, "h2.tar", tarball(t,
		file("etc/real.conf", "host\n"),
		file("var/lib/lxc/c1/rootfs/etc/real.conf", "container\n"),
		symlink("var/lib/lxc/c1/rootfs/etc/nova.conf", "/etc/real.conf"),
		symlink("var/lib/lxc/c1/rootfs/etc/up.conf", "../../../../../../etc/real.conf"),
	))
	b, err := OpenArchive(p2, wantAll)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.Sub("/var/lib/lxc/c1/rootfs")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"/etc/nova.conf", "/etc/up.conf"} {
		if data, real, err := sub.ReadFile(name, 1<<10); err != nil || string(data) != "container\n" || real != "/etc/real.conf" {
			t.Errorf("container %s: %q %q %v", name, data, real, err)
		}
	}
	if d := sub.Disk("/etc/real.conf"); d != p2+"!/var/lib/lxc/c1/rootfs/etc/real.conf" {
		t.Errorf("container disk %q", d)
	}
}

func TestArchiveRefusesClimbingNames(t *testing.T) {
	for _, name := range []string{"../evil.conf", "etc/../../evil.conf", "./../etc/x"} {
		p := writeArchive(t, "bad.tar", tarball(t, file("etc/ok", ""), file(name, "x")))
		if _, err := OpenArchive(p, wantAll); err == nil || !strings.Contains(err.Error(), "climbs out") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A hard link to a climbing name too.
	p := writeArchive(t, "bad.tar", tarball(t, file("etc/ok", ""), hardlink("etc/h", "../../etc/shadow")))
	if _, err := OpenArchive(p, wantAll); err == nil || !strings.Contains(err.Error(), "climbs out") {
		t.Errorf("hard link: %v", err)
	}
}

func TestArchiveBounds(t *testing.T) {
	defer func(e, m, k int64) { MaxArchiveExpanded, MaxArchiveMember, MaxArchiveKept = e, m, k }(MaxArchiveExpanded, MaxArchiveMember, MaxArchiveKept)
	MaxArchiveMember = 1 << 20
	big := member{name: "etc/nova/huge.conf", typ: tar.TypeReg, size: 3 << 20}
	raw := tarball(t, file("etc/nova/nova.conf", "[DEFAULT]\n"), big, file("var/log/messages", "log\n"),
		hardlink("etc/nova/hard.conf", "etc/nova/nova.conf"))
	gz := compress(t, ".tar.gz", raw)
	if len(gz) > 64<<10 {
		t.Fatalf("test archive is %d bytes compressed; zeros should shrink", len(gz))
	}
	p := writeArchive(t, "h.tar.gz", gz)
	want := func(p string) bool { return strings.HasPrefix(p, "/etc/") }
	a, err := OpenArchive(p, want)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.ReadFile("/etc/nova/huge.conf", 16<<20); !IsUnreadable(err) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge member: %v", err)
	}
	if _, _, err := a.ReadFile("/var/log/messages", 1<<20); !IsUnreadable(err) || !strings.Contains(err.Error(), "not read from the archive") {
		t.Errorf("unwanted member: %v", err)
	}
	if data, _, err := a.ReadFile("/etc/nova/hard.conf", 1<<20); err != nil || string(data) != "[DEFAULT]\n" {
		t.Errorf("hard link: %q %v", data, err)
	}
	// A bomb: the stream expands past the cap and the archive is refused.
	MaxArchiveExpanded = 2 << 20
	if _, err := OpenArchive(p, want); err == nil || !strings.Contains(err.Error(), "decompression bomb") {
		t.Errorf("bomb: %v", err)
	}
	MaxArchiveExpanded = 8 << 30
	MaxArchiveKept = 5
	if _, err := OpenArchive(p, want); err == nil || !strings.Contains(err.Error(), "bytes of config files") {
		t.Errorf("kept cap: %v", err)
	}
	// Not a tar at all.
	p2 := writeArchive(t, "junk.tar.gz", compress(t, ".tar.gz", []byte("just text, no tar header here\n")))
	if _, err := OpenArchive(p2, want); err == nil || !strings.Contains(err.Error(), "not a tar archive") {
		t.Errorf("junk: %v", err)
	}
}

func TestArchiveSpecialMembers(t *testing.T) {
	p := writeArchive(t, "h.tar", tarball(t, file("etc/x", ""), member{name: "etc/haproxy/haproxy.cfg", typ: tar.TypeFifo}))
	a, err := OpenArchive(p, wantAll)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.ReadFile("/etc/haproxy/haproxy.cfg", 1<<20); !IsUnreadable(err) || !strings.Contains(err.Error(), "FIFO") {
		t.Errorf("fifo: %v", err)
	}
	if _, _, err := a.ReadFile("/etc", 1<<20); !IsUnreadable(err) || !strings.Contains(err.Error(), "directory") {
		t.Errorf("dir: %v", err)
	}
}

func TestArchiveNames(t *testing.T) {
	for name, stem := range map[string]string{"a.tar.xz": "a", "sosreport-x.tar.gz": "sosreport-x", "b.tgz": "b", "c.conf": "c.conf", ".tar": ".tar"} {
		if got := ArchiveStem(name); got != stem {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestSplitArchiveSource(t *testing.T) {
	a, m, ok := SplitArchiveSource("/x/y!/sos-ctl1.tar.xz!/sosreport-ctl1/etc/nova/nova.conf")
	if !ok || a != "/x/y!/sos-ctl1.tar.xz" || m != "sosreport-ctl1/etc/nova/nova.conf" {
		t.Errorf("%q %q %v", a, m, ok)
	}
	if _, _, ok := SplitArchiveSource("/fleet/ctl1/etc/nova/nova.conf"); ok {
		t.Error("a disk path taken as a member")
	}
}
