// Package loader turns user-named paths into a parsed fleet and the input
// document the policies read: discover -> parse (in parallel) -> model.
package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/oscfg/oscfg/dialect"
	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/discover"
)

// Options for Load.
type Options struct {
	Discover discover.Options
	// Release: from --release (source "flag") or oscfg.ini ("config");
	// empty means infer.
	Release       string
	ReleaseSource string
	// Releases, when set, are the hosts' releases decided by an earlier
	// load of the same fleet (by host name): a fix pass keeps what the
	// first pass found, since editing a config changes no installed
	// package (a renamed Juno option must not make the host look newer).
	Releases map[string]model.Release
	// Overlay, when set, gives the bytes of a file by its disk path
	// (model.File.Source) instead of reading it: the fixers pass their
	// edits, to re-evaluate a fleet before anything is written. Files it
	// does not hold are read from disk, confined to their host root.
	Overlay func(source string) ([]byte, bool)
	// SkipUnreadable turns files and directories that exist but cannot be
	// read (permission, I/O error, a FIFO or device where a config is
	// expected) into warnings (Fleet.Unread) instead of errors.
	SkipUnreadable bool
	// Progress, when set, is called once as each discovered file has been
	// parsed, with how many are done of how many in all. Calls come one at
	// a time (never concurrently) and done only grows.
	Progress func(done, total int)
	// Service, when set (--service), is the service of every oslo file
	// named directly, over what its name or sections say.
	Service string
}

// Errors is every input error of a run, each with file:line.
type Errors []error

func (e Errors) Error() string {
	var b strings.Builder
	for i, err := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Load discovers and parses everything under paths. Input errors (missing,
// unreadable, unparsable files) are all collected and returned together as
// Errors so a user fixes them in one go.
func Load(paths []string, opt Options) (*model.Fleet, error) {
	dhosts, err := discover.Discover(paths, opt.Discover)
	if err != nil {
		return nil, err
	}
	return load(dhosts, opt)
}

// LoadOpen is Load over host roots already open (hosts in memory, as
// Rego tests build them) instead of paths.
func LoadOpen(roots []discover.Open, opt Options) (*model.Fleet, error) {
	dhosts, err := discover.DiscoverOpen(roots, opt.Discover)
	if err != nil {
		return nil, err
	}
	return load(dhosts, opt)
}

// load parses the discovered hosts into a fleet and decides its release.
func load(dhosts []*discover.Host, opt Options) (*model.Fleet, error) {
	var err error
	fleet := &model.Fleet{}
	var errs Errors
	tick := progress(dhosts, opt.Progress)
	evidence := map[*model.Host]model.Release{}
	var evidenceWarns []string
	for _, dh := range dhosts {
		// Release evidence is read before loadHost closes the root.
		rel, found, warns := hostEvidence(dh)
		for _, w := range warns {
			evidenceWarns = append(evidenceWarns, dh.Name+": "+w)
		}
		h, herrs := loadHost(dh, opt.Overlay, tick, opt.Service)
		if found {
			evidence[h] = rel
		}
		for _, err := range append(dh.Errs, herrs...) {
			if opt.SkipUnreadable && hostfs.IsUnreadable(err) {
				fleet.Unread = append(fleet.Unread, dh.Name+": "+err.Error())
				continue
			}
			errs = append(errs, err)
		}
		fleet.Hosts = append(fleet.Hosts, h)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	fleet.Warnings = append(serviceWarnings(fleet), evidenceWarns...)
	fleet.Release, err = decideRelease(fleet, opt, evidence)
	if err != nil {
		return nil, err
	}
	return fleet, nil
}

// view is the one way the loader reads a host: through its confined root
// (or, for loose files, the paths as named), with the fixers' overlay on
// top.
type view struct {
	root    hostfs.FS // nil: loose files
	overlay func(string) ([]byte, bool)
}

// read reads a host file (or a loose file's disk path when root is nil)
// and returns its bytes, its symlink-free host path and its disk path.
func (v view) read(hostPath, looseSource string) ([]byte, string, string, error) {
	if v.root == nil {
		if b, ok := v.lookup(looseSource); ok {
			return b, hostPath, looseSource, nil
		}
		b, err := parsers.ReadFile(looseSource)
		return b, hostPath, looseSource, err
	}
	real := hostPath
	if v.overlay != nil {
		// The overlay is keyed by the resolved disk path.
		var err error
		if real, err = v.root.Resolve(hostPath); err != nil {
			return nil, "", "", err
		}
		src := v.root.Disk(real)
		if b, ok := v.lookup(src); ok {
			return b, real, src, nil
		}
	}
	b, real, err := v.root.ReadFile(real, parsers.MaxFileSize)
	if err != nil {
		return nil, "", "", err
	}
	src := v.root.Disk(real)
	if err := parsers.CheckText(src, b); err != nil {
		return nil, "", "", err
	}
	return b, real, src, nil
}

func (v view) lookup(src string) ([]byte, bool) {
	if v.overlay == nil {
		return nil, false
	}
	return v.overlay(src)
}

// mode is the permission bits of a host file (0 when unknown).
func (v view) mode(real, looseSource string) uint32 {
	var st fs.FileInfo
	var err error
	if v.root == nil {
		st, err = os.Stat(looseSource)
	} else {
		st, err = v.root.Stat(real)
	}
	if err != nil {
		return 0
	}
	return uint32(st.Mode().Perm())
}

// progress returns the per-file callback of Load: it serialises calls to
// report (nil: none).
func progress(dhosts []*discover.Host, report func(done, total int)) func() {
	if report == nil {
		return func() {}
	}
	total := 0
	for _, dh := range dhosts {
		total += len(dh.Files)
	}
	var mu sync.Mutex
	done := 0
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		report(done, total)
	}
}

type parsed struct {
	ref  discover.FileRef
	real string // host path after symlinks
	src  string // disk path read
	doc  model.Document
	err  error
}

// loadHost parses one host's files. Independent files parse in parallel;
// the order of Files stays the discovery order (it is haproxy's load
// order, and output must not depend on scheduling).
func loadHost(dh *discover.Host, overlay func(string) ([]byte, bool), tick func(), service string) (*model.Host, Errors) {
	if dh.FS != nil {
		defer dh.FS.Close()
	}
	v := view{root: dh.FS, overlay: overlay}
	h := &model.Host{Name: dh.Name, Root: dh.Root, Cluster: dh.Cluster, Archive: dh.Archive}
	results := make([]parsed, len(dh.Files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	runParts := runPartsSchedules(dh, v)
	for i, ref := range dh.Files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = parseFile(ref, runParts, v)
			tick()
		}()
	}
	wg.Wait()
	var errs Errors
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		svc, by := fileService(r.ref, r.doc, service, dh.FS == nil)
		h.Files = append(h.Files, &model.File{HostPath: r.ref.HostPath, Source: r.src, Real: r.real, Kind: r.ref.Kind, Service: svc, ServiceBy: by, Mode: v.mode(r.real, r.src), Doc: r.doc})
	}
	errs = append(errs, loadMyCnf(h, dh, v)...)
	h.TimeZone = hostTimeZone(dh.FS)
	return h, errs
}

func parseFile(ref discover.FileRef, runParts map[string]string, v view) parsed {
	src, real, source, err := v.read(ref.HostPath, ref.Source)
	if err != nil {
		return parsed{ref: ref, err: err}
	}
	d := dialect.For(ref.Kind)
	if d == nil {
		return parsed{ref: ref, err: fmt.Errorf("%s: unknown kind %q", source, ref.Kind)}
	}
	as := ref.HostPath
	if ref.StandsFor != "" {
		as = ref.StandsFor // command output standing for a crontab
	}
	doc, err := d.Parse(dialect.Source{Path: source, As: as, Data: src, RunParts: runParts[path.Dir(ref.HostPath)]})
	if err != nil {
		return parsed{ref: ref, err: err}
	}
	return parsed{ref: ref, real: real, src: source, doc: doc}
}

// serviceWarnings are the oslo files no service was known for: the
// rules of a service (keystone's, nova's) could not apply to them.
func serviceWarnings(fleet *model.Fleet) []string {
	var out []string
	for _, h := range fleet.Hosts {
		for _, f := range h.Files {
			if f.Kind == model.KindOslo && f.Service == "" {
				why := strings.TrimPrefix(f.ServiceBy, "none: ")
				out = append(out, fmt.Sprintf("%s: %s: no service known (%s), so no service's rules (keystone, nova) could apply; name it with --service", h.Name, f.HostPath, why))
			}
		}
	}
	return out
}

// SourceOf maps a host file to the path it was read from on disk.
func SourceOf(fleet *model.Fleet, host, file string) string {
	if h := fleet.Host(host); h != nil {
		if f := h.File(file); f != nil {
			return f.Source
		}
	}
	return ""
}

// sortedHosts returns hosts by name (input documents are maps anyway; this
// keeps any ordered output stable).
func sortedHosts(fleet *model.Fleet) []*model.Host {
	hs := append([]*model.Host(nil), fleet.Hosts...)
	sort.Slice(hs, func(i, j int) bool { return hs[i].Name < hs[j].Name })
	return hs
}

// IsInputError tells input errors (exit 2) from internal ones.
func IsInputError(err error) bool {
	var pe *parsers.Error
	var he *hostfs.Error
	var es Errors
	return errors.As(err, &pe) || errors.As(err, &he) || errors.As(err, &es)
}
