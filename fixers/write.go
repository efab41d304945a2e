package fixers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrChanged means a file on disk no longer holds the bytes a fix was
// computed from: someone else wrote it in between.
var ErrChanged = errors.New("file changed since it was read")

// ErrHardLinks means the file has more than one hard link: replacing it by
// rename would split the links (the other names keep the old content), so
// it is only written in place when asked.
var ErrHardLinks = errors.New("has more than one hard link (replacing it would leave the other links with the old content; --in-place-hardlinks writes it in place)")

// WriteOptions tune WriteAtomic.
type WriteOptions struct {
	// Backup, if set, saves the original bytes first as NAME+Backup beside
	// the resolved file, also atomically and with the same metadata.
	Backup string
	// InPlaceHardlinks writes a file with several hard links in place
	// (truncate and write the same inode) instead of refusing it. Not
	// atomic: a crash mid-write can leave it partly written.
	InPlaceHardlinks bool
	// Notice receives one line per leftover temporary file removed.
	Notice func(msg string)
}

// WriteAtomic replaces the content of path, a file under the host root
// root, with data, all or nothing. path is resolved inside root with
// chroot semantics (openat2 RESOLVE_IN_ROOT): absolute symlink targets are
// taken relative to root and ".." stops at it, so no symlink anywhere on the
// path can redirect the write outside root; on the live "/" this is plain
// resolution, so a symlink is written through there. An empty root means
// "/". The new content goes to a temporary file beside the resolved file,
// gets the original's owner, mode (with setuid, setgid and sticky bits)
// and extended attributes (SELinux label, POSIX ACLs, user.*), is fsynced
// and renamed over it; the directory is fsynced so the rename survives a
// crash. Every step works on directory file descriptors, never on path
// names again. If the file's bytes are no longer old, nothing is written
// and ErrChanged is returned. Leftover temporary files of an earlier
// killed run for this file (.NAME.oscfg-DIGITS) are removed first.
func WriteAtomic(root, path string, old, data []byte, opt WriteOptions) error {
	if err := CheckBackupSuffix(opt.Backup); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	t, err := resolveInRoot(root, path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer t.close()
	if err := t.write(old, data, opt); err != nil {
		return fmt.Errorf("%s: %w", t.display(), err)
	}
	return nil
}

// CheckBackupSuffix refuses a backup suffix that is not a plain file-name
// ending: the backup and its temporary file are created by name in the
// file's directory with openat, which follows a "/" or ".." in the name
// through links of the host tree and out of the host root.
func CheckBackupSuffix(s string) error {
	if strings.ContainsAny(s, "/\x00") {
		return fmt.Errorf("backup suffix %q: must not contain '/' or NUL (it is appended to the file's name, e.g. .orig)", s)
	}
	return nil
}

// target is a regular file resolved inside a host root: its directory,
// held open, and its name in it.
type target struct {
	dir     int    // the file's directory, opened O_RDONLY|O_DIRECTORY
	dirPath string // that directory on disk, for messages
	name    string
	origin  string // the path as given
}

func (t *target) close() { unix.Close(t.dir) }

func (t *target) display() string {
	p := filepath.Join(t.dirPath, t.name)
	if abs, err := filepath.Abs(t.origin); err == nil && abs == p {
		return p
	}
	return t.origin + " (" + p + ")"
}

// resolveInRoot opens the directory of path resolved inside root. The
// kernel resolves the whole path, the last symlink included, in the root;
// the resulting file's on-disk location (read back from /proc/self/fd) is
// then reopened as directory + name without following any symlink, and
// checked to be the same inode, so a link swapped in between is caught.
func resolveInRoot(root, path string) (*target, error) {
	if root == "" {
		root = "/"
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	rel, ok := within(absRoot, absPath)
	if !ok {
		// The path may name the root by its real location (a loader that
		// reports resolved paths) while the root was given through a link.
		if real, err := filepath.EvalSymlinks(absRoot); err == nil {
			rel, ok = within(real, absPath)
		}
	}
	if !ok {
		return nil, fmt.Errorf("not inside the host root %s", absRoot)
	}
	rootFd, err := unix.Open(absRoot, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("host root %s: %w", absRoot, err)
	}
	defer unix.Close(rootFd)
	fd, err := unix.Openat2(rootFd, rel, &unix.OpenHow{
		Flags:   unix.O_PATH | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS,
	})
	if errors.Is(err, unix.ENOSYS) {
		return nil, fmt.Errorf("cannot resolve it inside the host root %s: openat2 needs Linux 5.6 or later", absRoot)
	}
	if err != nil {
		return nil, fmt.Errorf("does not resolve to a file inside the host root %s (symlinks on the path are taken relative to the root): %w", absRoot, err)
	}
	defer unix.Close(fd)
	rootReal, err := fdPath(rootFd)
	if err != nil {
		return nil, err
	}
	real, err := fdPath(fd)
	if err != nil {
		return nil, err
	}
	prefix := rootReal
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if !strings.HasPrefix(real, prefix) {
		return nil, fmt.Errorf("resolves to %s, outside the host root %s", real, rootReal)
	}
	phys := strings.TrimPrefix(real, prefix)
	dir, err := unix.Openat2(rootFd, filepath.Dir(phys), &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_SYMLINKS,
	})
	if err != nil {
		return nil, fmt.Errorf("directory of %s: %w", real, err)
	}
	t := &target{dir: dir, dirPath: filepath.Dir(real), name: filepath.Base(phys), origin: path}
	var want, got unix.Stat_t
	if err := unix.Fstat(fd, &want); err != nil {
		t.close()
		return nil, err
	}
	if err := unix.Fstatat(dir, t.name, &got, unix.AT_SYMLINK_NOFOLLOW); err != nil || got.Dev != want.Dev || got.Ino != want.Ino {
		t.close()
		return nil, fmt.Errorf("%s: %w", real, ErrChanged)
	}
	if got.Mode&unix.S_IFMT != unix.S_IFREG {
		t.close()
		return nil, fmt.Errorf("%s is not a regular file", real)
	}
	return t, nil
}

// within is p relative to root, if p is lexically inside root.
func within(root, p string) (string, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return rel, true
}

// fdPath is where the kernel says an open file is.
func fdPath(fd int) (string, error) {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return "", fmt.Errorf("cannot tell where a file resolved to (is /proc mounted?): %w", err)
	}
	return p, nil
}

// meta is what a replacement must keep of the file it replaces.
type meta struct {
	mode     uint32 // permission bits with setuid, setgid and sticky
	uid, gid int
	xattrs   []xattr
	nlink    uint64
}

type xattr struct {
	name  string
	value []byte
}

// open opens the file itself (never following a link) and reads its
// metadata and content. O_NONBLOCK: should the file have been swapped for
// a FIFO since it was resolved, the open returns at once and is refused.
func (t *target) open() (*os.File, meta, []byte, error) {
	fd, err := unix.Openat(t.dir, t.name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, meta{}, nil, err
	}
	f := os.NewFile(uintptr(fd), t.name)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		f.Close()
		return nil, meta{}, nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		f.Close()
		return nil, meta{}, nil, fmt.Errorf("%s: no longer a regular file: %w", t.name, ErrChanged)
	}
	m := meta{mode: st.Mode & 0o7777, uid: int(st.Uid), gid: int(st.Gid), nlink: uint64(st.Nlink)}
	m.xattrs, err = listXattrs(fd)
	if err != nil {
		f.Close()
		return nil, meta{}, nil, fmt.Errorf("reading extended attributes: %w", err)
	}
	cur, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, meta{}, nil, err
	}
	return f, m, cur, nil
}

func listXattrs(fd int) ([]xattr, error) {
	sz, err := unix.Flistxattr(fd, nil)
	if errors.Is(err, unix.ENOTSUP) || sz == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	buf := make([]byte, sz)
	sz, err = unix.Flistxattr(fd, buf)
	if err != nil {
		return nil, err
	}
	var out []xattr
	for _, name := range strings.Split(strings.TrimRight(string(buf[:sz]), "\x00"), "\x00") {
		v, err := getXattr(fd, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, xattr{name, v})
	}
	return out, nil
}

func getXattr(fd int, name string) ([]byte, error) {
	sz, err := unix.Fgetxattr(fd, name, nil)
	if err != nil {
		return nil, err
	}
	v := make([]byte, sz)
	sz, err = unix.Fgetxattr(fd, name, v)
	if err != nil {
		return nil, err
	}
	return v[:sz], nil
}

func (t *target) write(old, data []byte, opt WriteOptions) error {
	f, m, cur, err := t.open()
	if err != nil {
		return err
	}
	f.Close()
	if !bytes.Equal(cur, old) {
		return ErrChanged
	}
	if m.nlink > 1 && !opt.InPlaceHardlinks {
		return fmt.Errorf("%d links: %w", m.nlink, ErrHardLinks)
	}
	t.removeLeftovers(opt.Notice)
	if opt.Backup != "" {
		if err := t.replace(t.name+opt.Backup, old, m, nil); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if m.nlink > 1 {
		err = t.inPlace(data, m, old)
	} else {
		// Check once more right before the rename: the window in which a
		// concurrent writer's change could be lost is now a few syscalls.
		err = t.replace(t.name, data, m, old)
	}
	if err != nil {
		return err
	}
	unix.Fsync(t.dir)
	return nil
}

// tempPrefix is how oscfg names its temporary files beside name.
func tempPrefix(name string) string { return "." + name + ".oscfg-" }

// removeLeftovers deletes temporary files an earlier, killed run left
// beside the file: exactly .NAME.oscfg-DIGITS, regular files only.
func (t *target) removeLeftovers(notice func(string)) {
	dup, err := unix.Dup(t.dir)
	if err != nil {
		return
	}
	d := os.NewFile(uintptr(dup), t.dirPath)
	names, _ := d.Readdirnames(-1)
	d.Close()
	prefix := tempPrefix(t.name)
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, prefix)
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		var st unix.Stat_t
		if unix.Fstatat(t.dir, n, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			continue
		}
		if err := unix.Unlinkat(t.dir, n, 0); err == nil && notice != nil {
			notice(fmt.Sprintf("removed %s, a temporary file left by an earlier oscfg run", filepath.Join(t.dirPath, n)))
		}
	}
}

// hook lets tests inject a failure at a named step of a write.
var hook = func(step string) error { return nil }

// replace atomically gives name (in t's directory) the content data and
// the metadata m. With expect set, name must still hold expect right
// before the rename.
func (t *target) replace(name string, data []byte, m meta, expect []byte) error {
	var tmp string
	var fd int
	for try := 0; ; try++ {
		tmp = tempPrefix(name) + strconv.FormatUint(uint64(rand.Uint32()), 10)
		var err error
		fd, err = unix.Openat(t.dir, tmp, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EEXIST) || try == 100 {
			return err
		}
	}
	f := os.NewFile(uintptr(fd), tmp)
	ok := false
	defer func() {
		if !ok {
			f.Close()
			unix.Unlinkat(t.dir, tmp, 0)
		}
	}()
	if err := hook("write"); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := applyMeta(fd, m); err != nil {
		return err
	}
	if err := hook("sync"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if expect != nil {
		cf, _, cur, err := t.openNamed(name)
		if err != nil {
			return err
		}
		cf.Close()
		if !bytes.Equal(cur, expect) {
			return ErrChanged
		}
	}
	if err := hook("rename"); err != nil {
		return err
	}
	if err := unix.Renameat(t.dir, tmp, t.dir, name); err != nil {
		return err
	}
	ok = true
	return f.Close()
}

func (t *target) openNamed(name string) (*os.File, meta, []byte, error) {
	u := *t
	u.name = name
	return u.open()
}

// applyMeta gives the open file fd the owner, extended attributes and mode
// of m, in that order: chown clears setuid/setgid and file capabilities,
// and the chmod last keeps the special bits and brings the ACL mask back to
// the original group bits.
func applyMeta(fd int, m meta) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if int(st.Uid) != m.uid || int(st.Gid) != m.gid {
		if err := unix.Fchown(fd, m.uid, m.gid); err != nil {
			return fmt.Errorf("cannot keep the owner %d:%d: %w", m.uid, m.gid, err)
		}
	}
	for _, x := range m.xattrs {
		// Skip what the new file already has (the SELinux label it
		// inherited is often the same), so an unprivileged writer is
		// not refused for a no-op.
		if v, err := getXattr(fd, x.name); err == nil && bytes.Equal(v, x.value) {
			continue
		}
		if err := unix.Fsetxattr(fd, x.name, x.value, 0); err != nil {
			return fmt.Errorf("cannot keep the extended attribute %s: %w", x.name, err)
		}
	}
	if err := unix.Fchmod(fd, m.mode); err != nil {
		return fmt.Errorf("cannot keep the mode %04o: %w", m.mode, err)
	}
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	// The kernel drops setgid silently for a caller outside the group.
	if st.Mode&0o7777 != m.mode {
		return fmt.Errorf("cannot keep the mode %04o (got %04o)", m.mode, st.Mode&0o7777)
	}
	return nil
}

// inPlace rewrites a hard-linked file's own inode, so every link sees the
// new content; metadata stays the inode's, except that the special bits a
// write may clear are set again.
func (t *target) inPlace(data []byte, m meta, expect []byte) error {
	fd, err := unix.Openat(t.dir, t.name, unix.O_RDWR|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), t.name)
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fmt.Errorf("%s: no longer a regular file: %w", t.name, ErrChanged)
	}
	cur, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, expect) {
		return ErrChanged
	}
	if err := hook("write"); err != nil {
		return err
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	if err := f.Truncate(int64(len(data))); err != nil {
		return err
	}
	if err := unix.Fchmod(fd, m.mode); err != nil {
		return err
	}
	if err := hook("sync"); err != nil {
		return err
	}
	return f.Sync()
}
