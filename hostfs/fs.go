package hostfs

import "io/fs"

// FS is a host as oscfg reads it: a directory (Root) or an archive
// (Archive), every path a host path resolved inside the host with chroot
// semantics. Errors are *Error with the same Kinds for both.
type FS interface {
	// Dir is the root (a directory or an archive file) as the caller named it.
	Dir() string
	// Disk names a host path where it is read from, for messages and the
	// "source" of a file.
	Disk(hostPath string) string
	Resolve(hostPath string) (string, error)
	Stat(hostPath string) (fs.FileInfo, error)
	Lstat(hostPath string) (fs.FileInfo, error)
	ReadDir(hostPath string) ([]fs.DirEntry, error)
	// Readlink is a symlink's target as written (/etc/localtime names
	// the host's time zone).
	Readlink(hostPath string) (string, error)
	// ReadFile reads a regular file of at most limit bytes and returns the
	// symlink-free host path it resolved to.
	ReadFile(hostPath string, limit int64) ([]byte, string, error)
	// Sub is the host rooted at hostPath (a container's root inside a
	// host: var/lib/lxc/NAME/rootfs), resolved inside this one first, so
	// a rootfs linked out of the host is not followed out.
	Sub(hostPath string) (FS, error)
	// ReadOnly: an archive, which oscfg never writes.
	ReadOnly() bool
	Close() error
}

var (
	_ FS = (*Root)(nil)
	_ FS = (*Archive)(nil)
)

// Sub opens the directory hostPath names, resolved inside r, as a root.
func (r *Root) Sub(hostPath string) (FS, error) {
	real, err := r.Resolve(hostPath)
	if err != nil {
		return nil, err
	}
	return Open(r.Disk(real))
}

// ReadOnly is false: a directory may be fixed in place.
func (r *Root) ReadOnly() bool { return false }
