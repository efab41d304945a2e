package hostfs

import (
	"archive/tar"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Memory is a host held in memory, read as an archive is read: files by
// host path (absolute), their directories implied, every file mode 0644.
// Disk names a file NAME:/path, the way findings name a host's file, so a
// parse error reads "ctl1:/etc/nova/nova.conf:3: ...". Rego tests build
// their fleets of these (lint/regotest); nothing is written to disk.
func Memory(name string, files map[string][]byte) (*Archive, error) {
	a := &Archive{file: name, top: "/", sep: ":", seen: &seenLog{seen: map[string]bool{}},
		nodes: map[string]*node{"/": {typ: tar.TypeDir, mode: fs.ModeDir | 0o755, kids: map[string]bool{}}}}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") || path.Clean(p) != p || p == "/" {
			return nil, fmt.Errorf("%s:%s: not a clean absolute path of a file", name, p)
		}
		// Sorted, a file comes before the files under it.
		for d := path.Dir(p); d != "/"; d = path.Dir(d) {
			if n := a.nodes[d]; n != nil && n.typ != tar.TypeDir {
				return nil, fmt.Errorf("%s:%s: both a file and a directory", name, d)
			}
		}
		data := files[p]
		a.add(p, &node{typ: tar.TypeReg, mode: 0o644, size: int64(len(data)), data: data, kept: true})
	}
	return a, nil
}

// Unseen lists the files of a Memory host that nothing read or stat'ed
// (through it or a Sub of it), sorted: files where discovery never looked.
// It is nil for an archive read from a file.
func (a *Archive) Unseen() []string {
	if a.seen == nil {
		return nil
	}
	a.seen.mu.Lock()
	defer a.seen.mu.Unlock()
	var out []string
	for p, n := range a.nodes {
		if n.typ == tar.TypeReg && !a.seen.seen[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
