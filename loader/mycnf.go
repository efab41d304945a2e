package loader

// The MariaDB include loader: option files follow !include and
// !includedir inside the host root. Following includes reads files, which
// dialect/ (syntax only) does not, so this file uses parsers/mycnf's
// loader directly.

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/parsers/mycnf"
)

// mycnf.FS over the view.
type cnfFS struct{ view }

func (c cnfFS) Resolve(hp string) (string, error)        { return c.root.Resolve(hp) }
func (c cnfFS) Stat(hp string) (fs.FileInfo, error)      { return c.root.Stat(hp) }
func (c cnfFS) ReadDir(hp string) ([]fs.DirEntry, error) { return c.root.ReadDir(hp) }
func (c cnfFS) Read(real string) ([]byte, string, error) {
	b, _, src, err := c.read(real, "")
	return b, src, err
}

// loadMyCnf reads MariaDB option files from each entry file, following
// includes inside the host root; a file reached twice is kept once. An
// option file of an include directory that no entry file reached is read
// on its own, in the order the distribution's default my.cnf would read
// it, and the host's Notes say so.
func loadMyCnf(h *model.Host, dh *discover.Host, v view) Errors {
	var errs Errors
	seen := map[string]bool{}
	var assumed []string
	load := func(l *mycnf.Loader, fsys hostfs.FS, prefix string, entries []string) {
		for _, entry := range entries {
			if seen[prefix+entry] {
				continue
			}
			var docs []*mycnf.Doc
			var err error
			if l == nil {
				// A loose file: read it alone; its includes would point into
				// the machine oscfg runs on, not the host the file is from.
				docs, err = loadLooseMyCnf(h, entry)
			} else {
				docs, err = l.Load(entry)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if len(docs) > 0 && fsys != nil && slices.Contains(discover.MyCnfIncludeDirs, path.Dir(entry)) {
				assumed = append(assumed, prefix+entry)
			}
			for _, d := range docs {
				hp := prefix + d.Path
				if seen[hp] {
					continue
				}
				seen[hp] = true
				real := ""
				if fsys != nil {
					if r, err := fsys.Resolve(d.Path); err == nil {
						real = prefix + r
					}
				}
				// Inside a container root the doc names the file as the
				// container does; the model names it as on the host.
				d.Path = hp
				h.Files = append(h.Files, &model.File{HostPath: hp, Source: d.Source, Real: real, Kind: model.KindMyCnf, Service: "mysql", ServiceBy: "kind", Mode: v.mode(real, d.Source), Doc: d})
			}
		}
	}
	var l *mycnf.Loader
	if dh.FS != nil {
		l = mycnf.NewLoader(cnfFS{v})
	}
	load(l, dh.FS, "", dh.MyCnfEntries)
	for _, r := range dh.MyCnfRoots {
		// A container's option files: its includes resolve in its root.
		realPrefix, err := dh.FS.Resolve(r.Prefix)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sub, err := dh.FS.Sub(realPrefix)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		load(mycnf.NewLoader(cnfFS{view{root: sub, overlay: v.overlay}}), sub, strings.TrimSuffix(realPrefix, "/"), r.Entries)
		sub.Close()
	}
	if len(assumed) > 0 {
		h.Notes = append(h.Notes, fmt.Sprintf("%s: no option file here includes them; read as the distribution's default my.cnf would (!includedir %s, in that order)",
			strings.Join(assumed, ", "), strings.Join(discover.MyCnfIncludeDirs, ", ")))
	}
	return errs
}

func loadLooseMyCnf(h *model.Host, entry string) ([]*mycnf.Doc, error) {
	for i, f := range h.Files {
		if f.HostPath == entry && f.Kind == model.KindMyCnf {
			h.Files = append(h.Files[:i], h.Files[i+1:]...)
			d := f.Doc.(*mycnf.Doc)
			d.Path, d.Source = f.HostPath, f.Source
			return []*mycnf.Doc{d}, nil
		}
	}
	return nil, nil
}
