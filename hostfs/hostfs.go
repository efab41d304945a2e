// Package hostfs is the one way oscfg reads a host's files: a directory
// that holds a copy of a host (a fleet member, a sosreport, a kolla tree)
// or the live "/" is opened as a Root, and every path under it is resolved
// by the kernel with chroot semantics (openat2 with RESOLVE_IN_ROOT): an
// absolute symlink target means the host's own "/", ".." stops at the
// root, and nothing outside the root is ever opened. On the live "/" this
// is ordinary path resolution.
//
// It also refuses to block or to read what is not a config file: files are
// opened O_PATH first and only regular files are opened for reading, so a
// FIFO or a device is an error, never a hang.
package hostfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Kind classifies an Error by what the user can do about it.
type Kind int

const (
	// Missing: nothing at the path (callers decide whether that matters).
	Missing Kind = iota
	// Unreadable: the file is there but cannot be read (permission, I/O
	// error) or is not a regular file where a config is expected.
	// --skip-unreadable may turn these into warnings.
	Unreadable
	// BadLink: a symlink that does not resolve inside the root (its
	// target, taken inside the root, is missing) or a symlink loop.
	BadLink
)

// Error is a failed read under a root. Path is the disk path the caller
// asked for (root joined with the host path); Target the symlink target
// involved, if any.
type Error struct {
	Path   string
	Target string
	Kind   Kind
	Msg    string
	Err    error
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// IsUnreadable reports whether err is a file that exists but could not be
// read (the class --skip-unreadable turns into warnings).
func IsUnreadable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == Unreadable
}

// Root is an open host root. It holds a directory descriptor until Close.
type Root struct {
	dir  string // as the caller named it
	real string // the kernel's name for it (to turn fds back into host paths)
	fd   int
}

// Open opens dir as a host root.
func Open(dir string) (*Root, error) {
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &Error{Path: dir, Kind: kindOf(err), Msg: reason(err) + " (host root)", Err: err}
	}
	real, err := fdPath(fd)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return &Root{dir: dir, real: real, fd: fd}, nil
}

// Close releases the root's descriptor.
func (r *Root) Close() error { return unix.Close(r.fd) }

// Dir is the root as the caller named it.
func (r *Root) Dir() string { return r.dir }

// Disk is the on-disk path of a host path: the root joined with it. Give
// it a resolved path (Resolve) to name the file actually read.
func (r *Root) Disk(hostPath string) string {
	return filepath.Join(r.dir, filepath.FromSlash(path.Clean("/"+hostPath)))
}

// openPath resolves hostPath inside the root and returns an O_PATH
// descriptor of what it names.
func (r *Root) openPath(hostPath string, flags uint64) (int, error) {
	how := &unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC | flags, Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS}
	name := strings.TrimLeft(hostPath, "/")
	if name == "" {
		name = "."
	}
	for {
		fd, err := unix.Openat2(r.fd, name, how)
		if err == unix.EINTR || err == unix.EAGAIN {
			// openat2 returns EAGAIN when a concurrent rename could have
			// let a ".." escape; the kernel asks for a retry.
			continue
		}
		return fd, err
	}
}

// fail builds the Error of a failed resolution of hostPath, naming the
// symlink whose target is missing or loops.
func (r *Root) fail(hostPath string, err error) error {
	e := &Error{Path: r.Disk(hostPath), Kind: kindOf(err), Msg: reason(err), Err: err}
	if e.Kind == Unreadable && errors.Is(err, unix.EACCES) {
		if d := r.deniedDir(hostPath); d != "" {
			// Name the directory that stops the lookup: every path under
			// it fails the same way, and that is what to fix.
			e.Path, e.Msg = r.Disk(d), "permission denied (cannot look inside this directory)"
		}
		return e
	}
	if e.Kind == Missing && !r.linkOnPath(hostPath) {
		return e // plainly missing: the usual case for optional locations
	}
	if link, target, ok := r.brokenLink(hostPath); ok {
		e.Target = target
		e.Kind = BadLink
		if errors.Is(err, unix.ELOOP) {
			e.Msg = fmt.Sprintf("symlink %s -> %s: symlink loop (too many levels of symbolic links)", link, target)
		} else {
			e.Msg = fmt.Sprintf("symlink %s -> %s does not resolve inside the host root %s (%s); it is not followed outside", link, target, r.dir, reason(err))
		}
	}
	return e
}

// deniedDir is the first directory on hostPath that may not be searched,
// or "". Looking up "D/." needs search permission on D itself.
func (r *Root) deniedDir(hostPath string) string {
	cur := "/"
	for _, p := range strings.Split(strings.Trim(path.Clean("/"+hostPath), "/"), "/") {
		fd, err := r.openPath(strings.TrimSuffix(cur, "/")+"/.", unix.O_DIRECTORY)
		if err != nil {
			if errors.Is(err, unix.EACCES) {
				return cur
			}
			return ""
		}
		unix.Close(fd)
		cur = path.Join(cur, p)
	}
	return ""
}

// linkOnPath reports whether resolving hostPath meets a symlink before it
// fails: the same lookup without following links fails with ELOOP then,
// and with ENOENT when a component is missing before any link.
func (r *Root) linkOnPath(hostPath string) bool {
	how := &unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC, Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_SYMLINKS}
	name := strings.TrimLeft(hostPath, "/")
	if name == "" {
		return false
	}
	fd, err := unix.Openat2(r.fd, name, how)
	if err == nil {
		unix.Close(fd)
		return false
	}
	return !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.ENOTDIR)
}

// brokenLink finds the first symlink on hostPath whose target does not
// resolve inside the root, as a host path and its raw target.
func (r *Root) brokenLink(hostPath string) (string, string, bool) {
	parts := strings.Split(strings.Trim(path.Clean("/"+hostPath), "/"), "/")
	cur := "/"
	for _, p := range parts {
		next := path.Join(cur, p)
		dir, err := r.openPath(cur, unix.O_DIRECTORY)
		if err != nil {
			return "", "", false
		}
		var st unix.Stat_t
		err = unix.Fstatat(dir, p, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
			buf := make([]byte, unix.PathMax)
			n, lerr := unix.Readlinkat(dir, p, buf)
			unix.Close(dir)
			if lerr != nil {
				return "", "", false
			}
			if fd, err := r.openPath(next, 0); err == nil {
				unix.Close(fd) // this link resolves; a later one is broken
				cur = next
				continue
			}
			return next, string(buf[:n]), true
		}
		unix.Close(dir)
		if err != nil {
			return "", "", false
		}
		cur = next
	}
	return "", "", false
}

// Resolve returns the symlink-free host path that hostPath names inside
// the root. A missing path gives an Error matching fs.ErrNotExist unless a
// symlink on the way is to blame (then Kind is BadLink).
func (r *Root) Resolve(hostPath string) (string, error) {
	fd, err := r.openPath(hostPath, 0)
	if err != nil {
		return "", r.fail(hostPath, err)
	}
	defer unix.Close(fd)
	return r.hostPathOf(fd, hostPath)
}

func (r *Root) hostPathOf(fd int, hostPath string) (string, error) {
	p, err := fdPath(fd)
	if err != nil {
		return "", &Error{Path: r.Disk(hostPath), Kind: Unreadable, Msg: err.Error(), Err: err}
	}
	if p == r.real {
		return "/", nil
	}
	prefix := r.real
	if prefix != "/" {
		prefix += "/"
	}
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok {
		// The kernel resolved inside the root, so this only happens when
		// the root itself was moved while we read it.
		return "", &Error{Path: r.Disk(hostPath), Kind: Unreadable, Msg: "resolved to " + p + ", outside the host root " + r.real + " (was the root moved?)"}
	}
	return "/" + rest, nil
}

// Stat returns what hostPath names, following symlinks inside the root.
func (r *Root) Stat(hostPath string) (fs.FileInfo, error) {
	fd, err := r.openPath(hostPath, 0)
	if err != nil {
		return nil, r.fail(hostPath, err)
	}
	defer unix.Close(fd)
	return r.fstat(fd, hostPath)
}

// Lstat is Stat without following a final symlink.
func (r *Root) Lstat(hostPath string) (fs.FileInfo, error) {
	clean := path.Clean("/" + hostPath)
	if clean == "/" {
		return r.Stat("/")
	}
	dir, err := r.openPath(path.Dir(clean), unix.O_DIRECTORY)
	if err != nil {
		return nil, r.fail(path.Dir(clean), err)
	}
	defer unix.Close(dir)
	var st unix.Stat_t
	if err := unix.Fstatat(dir, path.Base(clean), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		if errors.Is(err, unix.EACCES) {
			return nil, r.fail(clean, err)
		}
		return nil, &Error{Path: r.Disk(clean), Kind: kindOf(err), Msg: reason(err), Err: err}
	}
	return info(path.Base(clean), &st), nil
}

func (r *Root) fstat(fd int, hostPath string) (fs.FileInfo, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &Error{Path: r.Disk(hostPath), Kind: Unreadable, Msg: reason(err), Err: err}
	}
	return info(path.Base(path.Clean("/"+hostPath)), &st), nil
}

// OpenDir opens a directory of the host, resolved inside the root, for use
// as the directory descriptor of *at system calls: a writer creates its
// temporary file and renames it there (unix.Openat, unix.Renameat with a
// plain name), so no path outside the root can be written.
func (r *Root) OpenDir(hostPath string) (*os.File, error) {
	pfd, err := r.openPath(hostPath, unix.O_DIRECTORY)
	if err != nil {
		return nil, r.fail(hostPath, err)
	}
	defer unix.Close(pfd)
	fd, err := reopen(pfd, unix.O_RDONLY|unix.O_DIRECTORY)
	if err != nil {
		return nil, &Error{Path: r.Disk(hostPath), Kind: kindOf(err), Msg: reason(err), Err: err}
	}
	return os.NewFile(uintptr(fd), r.Disk(hostPath)), nil
}

// ReadDir lists a directory of the host, sorted by name. Entry types are
// those of the entries themselves (a symlink is a symlink).
func (r *Root) ReadDir(hostPath string) ([]fs.DirEntry, error) {
	f, err := r.OpenDir(hostPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, &Error{Path: r.Disk(hostPath), Kind: Unreadable, Msg: reason(err), Err: err}
	}
	sortEntries(ents)
	return ents, nil
}

// ReadFile reads the regular file hostPath names, at most limit bytes
// (a larger file is an Unreadable error). It returns the resolved host path
// too, so callers record the file actually read.
func (r *Root) ReadFile(hostPath string, limit int64) ([]byte, string, error) {
	pfd, err := r.openPath(hostPath, 0)
	if err != nil {
		return nil, "", r.fail(hostPath, err)
	}
	defer unix.Close(pfd)
	resolved, err := r.hostPathOf(pfd, hostPath)
	if err != nil {
		return nil, "", err
	}
	data, err := readFD(pfd, r.Disk(resolved), limit)
	return data, resolved, err
}

// ReadPath reads a file named directly on the command line (not under a
// host root), with the same refusal of FIFOs, devices and huge files.
func ReadPath(name string, limit int64) ([]byte, error) {
	pfd, err := unix.Open(name, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &Error{Path: name, Kind: kindOf(err), Msg: reason(err), Err: err}
	}
	defer unix.Close(pfd)
	return readFD(pfd, name, limit)
}

// readFD checks that an O_PATH descriptor is a regular file of at most
// limit bytes, then reads it through a fresh read descriptor of the same
// inode (so no path is looked up again).
func readFD(pfd int, name string, limit int64) ([]byte, error) {
	var st unix.Stat_t
	if err := unix.Fstat(pfd, &st); err != nil {
		return nil, &Error{Path: name, Kind: Unreadable, Msg: reason(err), Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, &Error{Path: name, Kind: Unreadable, Msg: "is " + typeName(st.Mode) + ", not a regular file; a config file was expected here"}
	}
	if st.Size > limit {
		return nil, &Error{Path: name, Kind: Unreadable, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a config file", st.Size, limit)}
	}
	// O_NONBLOCK: should the inode be swapped for a FIFO in between, the
	// open still returns at once (and the type is checked again below).
	fd, err := reopen(pfd, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY)
	if err != nil {
		return nil, &Error{Path: name, Kind: kindOf(err), Msg: reason(err), Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, &Error{Path: name, Kind: Unreadable, Msg: "changed into something that is not a regular file while being read"}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &Error{Path: name, Kind: Unreadable, Msg: reason(err), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{Path: name, Kind: Unreadable, Msg: fmt.Sprintf("file grew past the %d-byte limit for a config file while being read", limit)}
	}
	return data, nil
}

// reopen opens the inode of an O_PATH descriptor for reading through its
// /proc/self/fd entry, the usual way to upgrade an O_PATH descriptor; the
// kernel checks read permission as for any open.
func reopen(pfd int, flags int) (int, error) {
	for {
		fd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(pfd), flags|unix.O_CLOEXEC, 0)
		if err == unix.EINTR {
			continue
		}
		return fd, err
	}
}

// fdPath is the kernel's name of the file a descriptor refers to.
func fdPath(fd int) (string, error) {
	p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return "", fmt.Errorf("cannot name an open file (is /proc mounted?): %w", err)
	}
	return p, nil
}

func kindOf(err error) Kind {
	switch {
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.ENOTDIR):
		return Missing
	case errors.Is(err, unix.ELOOP):
		return BadLink
	}
	return Unreadable
}

func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, unix.ENOENT):
		return "no such file or directory"
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.EPERM):
		return "permission denied"
	case errors.Is(err, unix.EIO):
		return "input/output error"
	}
	return err.Error()
}

func typeName(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFIFO:
		return "a FIFO (named pipe)"
	case unix.S_IFCHR:
		return "a character device"
	case unix.S_IFBLK:
		return "a block device"
	case unix.S_IFSOCK:
		return "a socket"
	case unix.S_IFDIR:
		return "a directory"
	case unix.S_IFLNK:
		return "a symlink"
	}
	return "a special file"
}

// fileInfo is an fs.FileInfo from a unix.Stat_t.
type fileInfo struct {
	name string
	st   unix.Stat_t
}

func info(name string, st *unix.Stat_t) fs.FileInfo { return &fileInfo{name, *st} }

func (fi *fileInfo) Name() string { return fi.name }
func (fi *fileInfo) Size() int64  { return fi.st.Size }
func (fi *fileInfo) Mode() fs.FileMode {
	m := fs.FileMode(fi.st.Mode & 0o777)
	switch fi.st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		m |= fs.ModeDir
	case unix.S_IFLNK:
		m |= fs.ModeSymlink
	case unix.S_IFIFO:
		m |= fs.ModeNamedPipe
	case unix.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		m |= fs.ModeDevice
	case unix.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if fi.st.Mode&unix.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if fi.st.Mode&unix.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if fi.st.Mode&unix.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}
func (fi *fileInfo) ModTime() time.Time { return time.Unix(fi.st.Mtim.Unix()) }
func (fi *fileInfo) IsDir() bool        { return fi.Mode().IsDir() }
func (fi *fileInfo) Sys() any           { return &fi.st }

func sortEntries(ents []fs.DirEntry) {
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}

// Readlink returns the raw target of the symlink at hostPath, without
// following it (its target need not exist inside the root: /etc/localtime
// names its zone by the link alone).
func (r *Root) Readlink(hostPath string) (string, error) {
	clean := path.Clean("/" + hostPath)
	dir, err := r.openPath(path.Dir(clean), unix.O_DIRECTORY)
	if err != nil {
		return "", r.fail(path.Dir(clean), err)
	}
	defer unix.Close(dir)
	buf := make([]byte, unix.PathMax)
	n, err := unix.Readlinkat(dir, path.Base(clean), buf)
	if err != nil {
		return "", &Error{Path: r.Disk(clean), Kind: kindOf(err), Msg: reason(err), Err: err}
	}
	return string(buf[:n]), nil
}
