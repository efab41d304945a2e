// Package loader turns user-named paths into a parsed fleet and the input
// document the policies read: discover -> parse (in parallel) -> model.
package loader

import (
	"errors"
	"fmt"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// Options for Load.
type Options struct {
	Discover discover.Options
	// Release: from --release (source "flag") or oscfg.ini ("config");
	// empty means infer.
	Release       string
	ReleaseSource string
	// Read reads a file's bytes by disk path (default parsers.ReadFile).
	// The fixers pass one that sees their edits, to re-evaluate a fleet
	// before anything is written.
	Read func(string) ([]byte, error)
	// Progress, when set, is called once as each discovered file has been
	// parsed, with how many are done of how many in all. Calls come one at
	// a time (never concurrently) and done only grows.
	Progress func(done, total int)
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
	if opt.Read == nil {
		opt.Read = parsers.ReadFile
	}
	fleet := &model.Fleet{}
	var errs Errors
	tick := progress(dhosts, opt.Progress)
	for _, dh := range dhosts {
		h, herrs := loadHost(dh, opt.Read, tick)
		errs = append(errs, herrs...)
		fleet.Hosts = append(fleet.Hosts, h)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	fleet.Release, err = decideRelease(fleet, opt)
	if err != nil {
		return nil, err
	}
	return fleet, nil
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
	ref discover.FileRef
	doc model.Document
	err error
}

// loadHost parses one host's files. Independent files parse in parallel;
// the order of Files stays the discovery order (it is haproxy's load
// order, and output must not depend on scheduling).
func loadHost(dh *discover.Host, read func(string) ([]byte, error), tick func()) (*model.Host, Errors) {
	h := &model.Host{Name: dh.Name, Root: dh.Root, Cluster: dh.Cluster}
	results := make([]parsed, len(dh.Files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	runParts := runPartsSchedules(dh, read)
	for i, ref := range dh.Files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			doc, err := parseFile(ref, runParts, read)
			results[i] = parsed{ref, doc, err}
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
		h.Files = append(h.Files, &model.File{HostPath: r.ref.HostPath, Source: r.ref.Source, Kind: r.ref.Kind, Service: r.ref.Service, Mode: fileMode(r.ref.Source), Doc: r.doc})
	}
	errs = append(errs, loadMyCnf(h, dh, read)...)
	return h, errs
}

func parseFile(ref discover.FileRef, runParts map[string]string, read func(string) ([]byte, error)) (model.Document, error) {
	src, err := read(ref.Source)
	if err != nil {
		return nil, err
	}
	var doc model.Document
	switch ref.Kind {
	case model.KindOslo:
		doc, err = oslo.Parse(ref.Source, src)
	case model.KindHAProxy:
		doc, err = haproxy.Parse(ref.Source, src)
	case model.KindMyCnf:
		doc, err = mycnf.Parse(ref.Source, src)
	case model.KindCrontab:
		t, user, _ := crontab.TypeForPath(ref.HostPath)
		doc, err = crontab.Parse(ref.Source, src, t, user, runParts[path.Dir(ref.HostPath)])
	default:
		return nil, fmt.Errorf("%s: unknown kind %q", ref.Source, ref.Kind)
	}
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// Debian's /etc/crontab runs the run-parts directories at these times
// (cron-daemon-common 3.0pl1-162).
var debianRunParts = map[string]string{
	"/etc/cron.hourly":  "17 * * * *",
	"/etc/cron.daily":   "25 6 * * *",
	"/etc/cron.weekly":  "47 6 * * 7",
	"/etc/cron.monthly": "52 6 1 * *",
}

// runPartsSchedules reads the host's /etc/crontab run-parts lines, falling
// back to Debian's defaults, so scripts in cron.hourly get the time they
// really run at.
func runPartsSchedules(dh *discover.Host, read func(string) ([]byte, error)) map[string]string {
	out := map[string]string{}
	for k, v := range debianRunParts {
		out[k] = v
	}
	for _, ref := range dh.Files {
		if ref.HostPath != "/etc/crontab" {
			continue
		}
		src, err := read(ref.Source)
		if err != nil {
			return out
		}
		doc, err := crontab.Parse(ref.Source, src, crontab.System, "", "")
		if err != nil {
			return out
		}
		for _, j := range doc.Jobs {
			for dir := range debianRunParts {
				if strings.Contains(j.Command, "run-parts") && strings.Contains(j.Command, dir) {
					out[dir] = j.Schedule
				}
			}
		}
	}
	return out
}

// loadMyCnf reads MariaDB option files from each entry file, following
// includes inside the host root; a file reached twice is kept once.
func loadMyCnf(h *model.Host, dh *discover.Host, read func(string) ([]byte, error)) Errors {
	var errs Errors
	seen := map[string]bool{}
	for _, entry := range dh.MyCnfEntries {
		if seen[entry] {
			continue
		}
		var docs []*mycnf.Doc
		var err error
		if dh.Root == "" {
			// A loose file: read it alone; its includes would point into
			// the machine oscfg runs on, not the host the file is from.
			docs, err = loadLooseMyCnf(h, entry)
		} else {
			docs, err = mycnf.LoadWith(dh.Root, entry, read)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, d := range docs {
			if seen[d.Path] {
				continue
			}
			seen[d.Path] = true
			h.Files = append(h.Files, &model.File{HostPath: d.Path, Source: d.Source, Kind: model.KindMyCnf, Service: "mysql", Mode: fileMode(d.Source), Doc: d})
		}
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

// fileMode is the permission bits of a file (following symlinks), 0 when
// it cannot be read. Rules use it for world-readable secrets.
func fileMode(p string) uint32 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return uint32(st.Mode().Perm())
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
	var es Errors
	return errors.As(err, &pe) || errors.As(err, &es)
}
