package hostfs

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Bounds of one archive. An archive is untrusted input: a few kilobytes
// of zeros compress a thousandfold (a decompression bomb), so what is
// decompressed, kept and listed is capped; past a cap the archive is
// refused, naming the cap.
var (
	// MaxArchiveExpanded bounds the bytes the tar stream may decompress
	// to, members skipped included (a sosreport is typically well under
	// one GiB unpacked).
	MaxArchiveExpanded int64 = 8 << 30
	// MaxArchiveKept bounds the member contents held in memory.
	MaxArchiveKept int64 = 256 << 20
	// MaxArchiveMembers bounds the entries of one archive.
	MaxArchiveMembers = 2_000_000
	// MaxArchiveMember bounds one kept member: a larger one is listed, not
	// read, and reading it is an Unreadable error.
	MaxArchiveMember int64 = 16 << 20
)

// maxLinks is how many symlinks one lookup follows, as Linux does
// (MAXSYMLINKS, 40): more is a loop.
const maxLinks = 40

// ArchiveSuffixes are the names of the archives Open reads as a host.
var ArchiveSuffixes = []string{".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tzst"}

// IsArchiveName reports whether a file name is one of ArchiveSuffixes.
func IsArchiveName(name string) bool { return ArchiveStem(name) != name }

// ArchiveStem is the name without its archive suffix (the name itself
// when it has none).
func ArchiveStem(name string) string {
	for _, s := range ArchiveSuffixes {
		if stem, ok := strings.CutSuffix(name, s); ok && stem != "" {
			return stem
		}
	}
	return name
}

// Archive is a host read from a tar archive in memory: a sosreport
// (sosreport-HOST-.../etc/...) or a packed host root (./etc/...). It is
// read once, front to back, when opened; only members that want accepts
// keep their contents, every member is listed. Symlinks resolve inside
// the archive's host root exactly as Root resolves them: an absolute
// target is the host's "/", ".." stops at the root, loops are errors.
type Archive struct {
	file  string           // the archive as the caller named it
	nodes map[string]*node // by clean path from the archive's top, "/" first
	top   string           // the host root inside the archive ("/" or "/sosreport-...")
	sep   string           // between file and member in Disk: "!", or ":" in memory
	seen  *seenLog         // the members looked at (Memory hosts only; nil: not kept)
}

// seenLog records which members were read or stat'ed, by path from the
// top.
type seenLog struct {
	mu   sync.Mutex
	seen map[string]bool
}

// saw records a member looked at, for Memory's Unseen.
func (a *Archive) saw(hostPath string) {
	if a.seen != nil {
		a.seen.mu.Lock()
		a.seen.seen[a.full(hostPath)] = true
		a.seen.mu.Unlock()
	}
}

type node struct {
	typ    byte // tar.TypeReg, TypeDir, TypeSymlink; other types are kept as "special"
	mode   fs.FileMode
	size   int64
	mtime  time.Time
	target string // symlink target, or hard link member
	data   []byte
	kept   bool
	why    string // why the content was not kept
	kids   map[string]bool
}

// OpenArchive reads the archive file; want says, by path from the
// archive's top (with and without its first directory, so a sosreport's
// sosreport-HOST-.../ prefix does not matter), which members' contents
// to keep.
func OpenArchive(file string, want func(p string) bool) (*Archive, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, &Error{Path: file, Kind: kindOf(err), Msg: reason(err) + " (archive)", Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, &Error{Path: file, Kind: Unreadable, Msg: "not a regular file; an archive was expected here"}
	}
	var magic [6]byte
	if n, _ := f.ReadAt(magic[:], 0); n == 6 && bytes.Equal(magic[:], xzMagic) {
		// ReadAt leaves the offset where decompressor starts reading.
		if err := checkXZDicts(io.NewSectionReader(f, 0, st.Size())); err != nil {
			return nil, &Error{Path: file, Kind: Unreadable, Msg: err.Error(), Err: err}
		}
	}
	r, closer, err := decompressor(file, bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, err
	}
	if closer != nil {
		defer closer()
	}
	a := &Archive{file: file, nodes: map[string]*node{"/": {typ: tar.TypeDir, mode: fs.ModeDir | 0o755, kids: map[string]bool{}}}, sep: "!"}
	if err := a.read(r, want); err != nil {
		return nil, err
	}
	if err := a.findTop(); err != nil {
		return nil, err
	}
	return a, nil
}

// decompressor picks the decompressor from the file's first bytes (the
// name may lie); a plain tar has none.
func decompressor(file string, br *bufio.Reader) (io.Reader, func(), error) {
	magic, _ := br.Peek(6)
	bad := func(what string, err error) error {
		return &Error{Path: file, Kind: Unreadable, Msg: what + ": " + err.Error(), Err: err}
	}
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, bad("gzip", err)
		}
		return z, func() { z.Close() }, nil
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		z, err := xz.NewReader(br)
		if err != nil {
			return nil, nil, bad("xz", err)
		}
		return z, nil, nil
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(br), nil, nil
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		// The window bounds the decoder's memory whatever the frame
		// header claims.
		z, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(128<<20), zstd.WithDecoderMaxMemory(uint64(MaxArchiveExpanded)))
		if err != nil {
			return nil, nil, bad("zstd", err)
		}
		return z, z.Close, nil
	}
	return br, nil, nil
}

// countingReader refuses to go past a byte budget.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

var errExpanded = errors.New("expanded past the limit")

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.limit {
		return 0, errExpanded
	}
	if int64(len(p)) > c.limit-c.n {
		p = p[:c.limit-c.n]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (a *Archive) read(r io.Reader, want func(string) bool) error {
	cr := &countingReader{r: r, limit: MaxArchiveExpanded}
	tr := tar.NewReader(cr)
	var kept int64
	var hardlinks []string
	fail := func(msg string, err error) error {
		if errors.Is(err, errExpanded) {
			msg = fmt.Sprintf("decompresses to more than %d bytes, the limit for an archive (a decompression bomb?); unpack what is needed and name the directory", MaxArchiveExpanded)
		}
		return &Error{Path: a.file, Kind: Unreadable, Msg: msg, Err: err}
	}
	for count := 0; ; count++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			if count == 0 {
				return fail("not a tar archive (or an empty one)", nil)
			}
			break
		}
		if err != nil {
			if count == 0 && !errors.Is(err, errExpanded) {
				return fail("not a tar archive ("+err.Error()+"); oscfg reads .tar, .tar.gz, .tar.xz, .tar.bz2 and .tar.zst", err)
			}
			return fail(fmt.Sprintf("broken archive after %d members: %v", count, err), err)
		}
		if count >= MaxArchiveMembers {
			return fail(fmt.Sprintf("more than %d members, the limit for an archive", MaxArchiveMembers), nil)
		}
		name, err := memberName(hdr.Name)
		if err != nil {
			return fail(err.Error(), nil)
		}
		if name == "/" {
			continue
		}
		n := &node{typ: hdr.Typeflag, mode: hdr.FileInfo().Mode(), size: hdr.Size, mtime: hdr.ModTime}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeGNUSparse:
			n.typ = tar.TypeReg
			switch {
			case !want(name) && !want(dropFirst(name)):
				n.why = "not among the members oscfg reads from an archive (config locations and release evidence)"
			case hdr.Size > MaxArchiveMember:
				n.why = fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a config file", hdr.Size, MaxArchiveMember)
			case kept+hdr.Size > MaxArchiveKept:
				return fail(fmt.Sprintf("holds more than %d bytes of config files, the limit for an archive", MaxArchiveKept), nil)
			default:
				data, err := io.ReadAll(io.LimitReader(tr, MaxArchiveMember+1))
				if err != nil {
					return fail(fmt.Sprintf("member %s: %v", hdr.Name, err), err)
				}
				if int64(len(data)) > MaxArchiveMember {
					return fail(fmt.Sprintf("member %s is larger than its header says", hdr.Name), nil)
				}
				n.data, n.kept = data, true
				kept += int64(len(data))
			}
		case tar.TypeDir:
			n.kids = map[string]bool{}
		case tar.TypeSymlink:
			n.target = hdr.Linkname
		case tar.TypeLink:
			// A hard link names another member; it shares its content,
			// filled in once every member has been seen.
			t, err := memberName(hdr.Linkname)
			if err != nil {
				return fail(err.Error(), nil)
			}
			n.typ, n.target = tar.TypeReg, t
			hardlinks = append(hardlinks, name)
		case tar.TypeXGlobalHeader:
			continue
		}
		a.add(name, n)
	}
	for _, name := range hardlinks {
		n := a.nodes[name]
		t := a.nodes[n.target]
		switch {
		case t == nil || t.typ != tar.TypeReg:
			n.why = "hard link to " + n.target + ", which the archive does not hold as a file before it"
		default:
			n.size, n.data, n.kept, n.why = t.size, t.data, t.kept, t.why
		}
		n.target = ""
	}
	return nil
}

// memberName cleans a member name into a path from the archive's top. A
// name that climbs out with ".." is refused: no tool that made the
// archive writes one, and unpacking it would write outside the target.
func memberName(raw string) (string, error) {
	p := strings.TrimPrefix(raw, "./")
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", fmt.Errorf("member %q climbs out of the archive with \"..\"; refused", raw)
		}
	}
	return path.Clean("/" + p), nil
}

func dropFirst(p string) string {
	rest := strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[i:]
	}
	return "/"
}

// add records a member and its parent directories (tar need not list
// them); a later member of the same name replaces an earlier one, as
// tar -x would.
func (a *Archive) add(name string, n *node) {
	if old := a.nodes[name]; old != nil && old.typ == tar.TypeDir && n.typ == tar.TypeDir {
		n.kids = old.kids
	}
	a.nodes[name] = n
	for child := name; child != "/"; {
		parent := path.Dir(child)
		p := a.nodes[parent]
		if p == nil || p.typ != tar.TypeDir {
			p = &node{typ: tar.TypeDir, mode: fs.ModeDir | 0o755, kids: map[string]bool{}}
			a.nodes[parent] = p
		} else if p.kids[path.Base(child)] {
			break
		}
		p.kids[path.Base(child)] = true
		child = parent
	}
}

// findTop finds the host root inside the archive: its top when that holds
// etc/ (a packed root), else the one directory at the top that does (a
// sosreport's sosreport-HOST-.../).
func (a *Archive) findTop() error {
	isRoot := func(dir string) bool {
		for _, d := range []string{"etc", "var/spool/cron", "sos_commands"} {
			if n := a.nodes[path.Join(dir, d)]; n != nil && n.typ == tar.TypeDir {
				return true
			}
		}
		return false
	}
	if isRoot("/") {
		a.top = "/"
		return nil
	}
	var cands []string
	for k := range a.nodes["/"].kids {
		if d := "/" + k; a.nodes[d].typ == tar.TypeDir && isRoot(d) {
			cands = append(cands, d)
		}
	}
	sort.Strings(cands)
	switch len(cands) {
	case 1:
		a.top = cands[0]
		return nil
	case 0:
		return &Error{Path: a.file, Kind: Missing, Msg: "neither a packed host root (etc/ at its top) nor a sosreport (one directory at its top with etc/ or sos_commands/)"}
	}
	return &Error{Path: a.file, Kind: Unreadable, Msg: fmt.Sprintf("%d directories at its top hold a host (%s); pack one host per archive", len(cands), strings.Join(cands, ", "))}
}

// Top is the host root's directory inside the archive ("/" or
// "/sosreport-...").
func (a *Archive) Top() string { return a.top }

// Dir is the archive file as named.
func (a *Archive) Dir() string { return a.file }

// Disk names a member: ARCHIVE!/path-in-archive (NAME:/path in memory).
func (a *Archive) Disk(hostPath string) string {
	return a.file + a.sep + path.Join(a.top, path.Clean("/"+hostPath))
}

// ReadOnly is true: archives are never written.
func (a *Archive) ReadOnly() bool { return true }

// Close drops nothing: the archive was read when opened.
func (a *Archive) Close() error { return nil }

// Sub is the host rooted at hostPath inside this archive.
func (a *Archive) Sub(hostPath string) (FS, error) {
	real, err := a.Resolve(hostPath)
	if err != nil {
		return nil, err
	}
	if n := a.nodes[a.full(real)]; n == nil || n.typ != tar.TypeDir {
		return nil, &Error{Path: a.Disk(real), Kind: Missing, Msg: "not a directory"}
	}
	return &Archive{file: a.file, nodes: a.nodes, top: a.full(real), sep: a.sep, seen: a.seen}, nil
}

func (a *Archive) full(hostPath string) string { return path.Join(a.top, path.Clean("/"+hostPath)) }

// walk resolves hostPath inside the host root; follow says whether a
// final symlink is followed. It returns the symlink-free host path.
func (a *Archive) walk(hostPath string, follow bool) (string, *node, error) {
	return a.walkAt(hostPath, follow, true)
}

// walkAt is walk; explain blames a broken link for a missing path (off
// when checking that link itself).
func (a *Archive) walkAt(hostPath string, follow, explain bool) (string, *node, error) {
	todo := splitPath(hostPath)
	cur := "/"
	links := 0
	var firstLink, firstTarget, lastLink, lastTarget string
	fail := func(kind Kind, msg string) (string, *node, error) {
		e := &Error{Path: a.Disk(hostPath), Kind: kind, Msg: msg}
		switch {
		case kind == BadLink:
			e.Target = firstTarget
			e.Msg = fmt.Sprintf("symlink %s -> %s: symlink loop (too many levels of symbolic links)", firstLink, firstTarget)
		case explain && lastLink != "" && a.brokenLink(lastLink):
			// Missing after a link whose target is not there: the link
			// is to blame, as with Root.
			e.Kind, e.Target = BadLink, lastTarget
			e.Msg = fmt.Sprintf("symlink %s -> %s does not resolve inside the host root %s (%s); it is not followed outside", lastLink, lastTarget, a.Disk("/"), msg)
		}
		if kind == Missing {
			e.Err = fs.ErrNotExist
		}
		return "", nil, e
	}
	n := a.nodes[a.top]
	for len(todo) > 0 {
		part := todo[0]
		todo = todo[1:]
		if part == ".." {
			cur = path.Dir(cur) // "/" stays "/"
			n = a.nodes[a.full(cur)]
			continue
		}
		if n.typ != tar.TypeDir {
			return fail(Missing, "not a directory")
		}
		next := path.Join(cur, part)
		m := a.nodes[a.full(next)]
		if m == nil {
			return fail(Missing, "no such file or directory")
		}
		if m.typ == tar.TypeSymlink && (len(todo) > 0 || follow) {
			links++
			if firstLink == "" {
				firstLink, firstTarget = next, m.target
			}
			lastLink, lastTarget = next, m.target
			if links > maxLinks {
				return fail(BadLink, "")
			}
			if strings.HasPrefix(m.target, "/") {
				cur, n = "/", a.nodes[a.top]
			}
			todo = append(splitPath(m.target), todo...)
			continue
		}
		cur, n = next, m
	}
	return cur, n, nil
}

// brokenLink: the symlink at link does not resolve.
func (a *Archive) brokenLink(link string) bool {
	_, _, err := a.walkAt(link, true, false)
	return err != nil
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// Resolve returns the symlink-free host path hostPath names.
func (a *Archive) Resolve(hostPath string) (string, error) {
	p, _, err := a.walk(hostPath, true)
	return p, err
}

// Stat follows symlinks inside the root.
func (a *Archive) Stat(hostPath string) (fs.FileInfo, error) {
	p, n, err := a.walk(hostPath, true)
	if err != nil {
		return nil, err
	}
	a.saw(p)
	return &memberInfo{name: path.Base(p), n: n}, nil
}

// Lstat does not follow a final symlink.
func (a *Archive) Lstat(hostPath string) (fs.FileInfo, error) {
	p, n, err := a.walk(hostPath, false)
	if err != nil {
		return nil, err
	}
	a.saw(p)
	return &memberInfo{name: path.Base(p), n: n}, nil
}

// Readlink is a symlink member's target as stored (not resolved).
func (a *Archive) Readlink(hostPath string) (string, error) {
	p, n, err := a.walk(hostPath, false)
	if err != nil {
		return "", err
	}
	if n.typ != tar.TypeSymlink {
		return "", &Error{Path: a.Disk(p), Kind: Unreadable, Msg: "not a symbolic link"}
	}
	return n.target, nil
}

// ReadDir lists a directory, sorted by name; a symlink is a symlink.
func (a *Archive) ReadDir(hostPath string) ([]fs.DirEntry, error) {
	p, n, err := a.walk(hostPath, true)
	if err != nil {
		return nil, err
	}
	if n.typ != tar.TypeDir {
		return nil, &Error{Path: a.Disk(p), Kind: Missing, Msg: "not a directory", Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(n.kids))
	for k := range n.kids {
		out = append(out, fs.FileInfoToDirEntry(&memberInfo{name: k, n: a.nodes[a.full(path.Join(p, k))]}))
	}
	sortEntries(out)
	return out, nil
}

// ReadFile reads a kept member.
func (a *Archive) ReadFile(hostPath string, limit int64) ([]byte, string, error) {
	p, n, err := a.walk(hostPath, true)
	if err != nil {
		return nil, "", err
	}
	name := a.Disk(p)
	switch {
	case n.typ != tar.TypeReg:
		return nil, "", &Error{Path: name, Kind: Unreadable, Msg: "is " + (&memberInfo{n: n}).kind() + ", not a regular file; a config file was expected here"}
	case n.size > limit:
		return nil, "", &Error{Path: name, Kind: Unreadable, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a config file", n.size, limit)}
	case !n.kept:
		return nil, "", &Error{Path: name, Kind: Unreadable, Msg: "not read from the archive: " + n.why}
	}
	a.saw(p)
	return n.data, p, nil
}

// memberInfo is an fs.FileInfo of a member.
type memberInfo struct {
	name string
	n    *node
}

func (m *memberInfo) Name() string       { return m.name }
func (m *memberInfo) Size() int64        { return m.n.size }
func (m *memberInfo) ModTime() time.Time { return m.n.mtime }
func (m *memberInfo) IsDir() bool        { return m.n.typ == tar.TypeDir }
func (m *memberInfo) Sys() any           { return nil }
func (m *memberInfo) Mode() fs.FileMode {
	perm := m.n.mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	switch m.n.typ {
	case tar.TypeReg:
		return perm
	case tar.TypeDir:
		return perm | fs.ModeDir
	case tar.TypeSymlink:
		return perm | fs.ModeSymlink
	case tar.TypeFifo:
		return perm | fs.ModeNamedPipe
	case tar.TypeChar:
		return perm | fs.ModeDevice | fs.ModeCharDevice
	case tar.TypeBlock:
		return perm | fs.ModeDevice
	}
	return perm | fs.ModeIrregular
}

func (m *memberInfo) kind() string {
	switch m.n.typ {
	case tar.TypeDir:
		return "a directory"
	case tar.TypeFifo:
		return "a FIFO (named pipe)"
	case tar.TypeChar:
		return "a character device"
	case tar.TypeBlock:
		return "a block device"
	}
	return "a special file"
}

// SplitArchiveSource splits a member's Disk name (ARCHIVE!/path) into the
// archive and the member path in it (no leading "/"); ok is false for a
// path on disk.
func SplitArchiveSource(source string) (archive, member string, ok bool) {
	for i := strings.Index(source, "!/"); i >= 0; {
		if IsArchiveName(source[:i]) {
			return source[:i], strings.TrimPrefix(source[i+1:], "/"), true
		}
		j := strings.Index(source[i+2:], "!/")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return "", "", false
}
