// Package discover finds hosts and their configuration files under the
// paths a user names, and says which dialect each file is. It reads
// directory listings only; parsing is the loader's job.
package discover

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/model"
)

// FileRef is a file found on a host, not yet parsed. Source is the disk
// path of a loose file; files under a host root are read through the
// host's Root, and the loader records the path they resolve to.
type FileRef struct {
	HostPath string
	Source   string
	Kind     string
	Service  string
	// ServiceBy says how Service was decided: "name" (the file's name or
	// place says it), "kind" (haproxy, mysql, cron), or "" when the name
	// does not say: the loader then reads it from the sections.
	ServiceBy string
	// Layout is where a distribution keeps the file (LayoutHost, ...).
	Layout string
	// StandsFor is the host file a command's output stands for (a
	// sosreport's sos_commands/cron/root_crontab is root's crontab); ""
	// for a file that is itself the config.
	StandsFor string
}

// Layouts: where OpenStack distributions keep a service's config on the
// host (docs/model.md lists them with their paths).
const (
	LayoutHost    = "host"    // /etc/<service>/, as the packages install it
	LayoutKolla   = "kolla"   // /etc/kolla/<container>/
	LayoutTripleO = "tripleo" // /var/lib/config-data/puppet-generated/<service>/
	// LayoutConfigData is TripleO's puppet output before it is copied for
	// the containers: /var/lib/config-data/<service>/.
	LayoutConfigData = "tripleo-config-data"
	LayoutLXC        = "lxc"          // openstack-ansible: /var/lib/lxc/<container>/rootfs/
	LayoutSos        = "sos_commands" // a sosreport's command output standing for a file
)

// MyCnfRoot is a container root inside a host whose option files MariaDB
// reads as its own /etc (TripleO's puppet-generated/mysql): its entry
// files' includes resolve inside Prefix.
type MyCnfRoot struct {
	Prefix  string
	Entries []string // host paths inside Prefix ("/etc/my.cnf")
}

// MyCnfIncludeDirs are the include directories of the distributions'
// default my.cnf, in the order it reads them: RHEL's /etc/my.cnf reads
// /etc/my.cnf.d; Debian's /etc/mysql/my.cnf (mariadb.cnf or mysql.cnf)
// reads conf.d, then mariadb.conf.d or mysql.conf.d.
var MyCnfIncludeDirs = []string{"/etc/my.cnf.d", "/etc/mysql/conf.d", "/etc/mysql/mariadb.conf.d", "/etc/mysql/mysql.conf.d"}

// Host is a discovered host root (or a set of loose files).
type Host struct {
	Name string
	Root string
	// FS reads inside Root with chroot semantics (nil for loose files):
	// a directory or, when Root is an archive, the archive in memory.
	// The loader closes it.
	FS hostfs.FS
	// Archive: Root is an archive file (read-only).
	Archive bool
	// Container: the host is a container root inside another host
	// (openstack-ansible's LXC), named here.
	Container string
	// Cluster is the directory of a nested fleet, FLEET/<cluster>/<host>;
	// the host is then named <cluster>/<host>.
	Cluster string
	Files   []FileRef
	// MyCnfEntries are the option files MariaDB starts reading from;
	// includes are followed by the mycnf loader, inside Root.
	MyCnfEntries []string
	// MyCnfRoots are container roots with their own option files.
	MyCnfRoots []MyCnfRoot
	// Superseded says, per host path, which file of another layout the
	// running service reads instead (for -v).
	Superseded map[string]string
	// Errs are what could not be looked at: unreadable directories and
	// files (hostfs.IsUnreadable) and symlinks that leave the root. The
	// loader reports them (or, for unreadable ones, warns with
	// --skip-unreadable); none is ever taken as "absent".
	Errs []error
}

// Options steer discovery.
type Options struct {
	Kind     string   // force the kind of loose files
	HostName string   // name for loose files and a single host root
	Exclude  []string // host-path globs to skip
	// BackupSuffixes are suffixes of backup files besides the usual ones
	// (fix --backup's suffix): never configs.
	BackupSuffixes []string
	// AllowEmpty accepts a PATH holding no configuration oscfg knows.
	AllowEmpty bool
	Skipped    func(path, why string)
}

// MaxDirEntries bounds the entries of one config directory (conf.d,
// cron.d, ...) oscfg reads; real ones hold tens.
const MaxDirEntries = 1000

// Discover turns user-named paths into hosts. A path is a host root (has
// etc/), a fleet (children are host roots or sosreports), the live root /,
// or a single file.
func Discover(paths []string, opt Options) ([]*Host, error) {
	var hosts []*Host
	var loose *Host
	seen := map[string]bool{}
	fail := func(err error) ([]*Host, error) {
		for _, h := range hosts {
			if h.FS != nil {
				h.FS.Close()
			}
		}
		return nil, err
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return fail(fmt.Errorf("%s: %s", p, fsReason(err)))
		}
		var roots []root
		switch {
		case !st.IsDir() && hostfs.IsArchiveName(p) && st.Mode().IsRegular():
			roots = []root{{name: hostName(hostfs.ArchiveStem(filepath.Base(p))), dir: p, archive: true}}
		case !st.IsDir():
			ref, err := looseFile(p, opt.Kind)
			if err != nil {
				return fail(err)
			}
			if loose == nil {
				name := opt.HostName
				if name == "" {
					name = "local"
				}
				loose = &Host{Name: name}
				hosts = append(hosts, loose)
			}
			loose.Files = append(loose.Files, ref)
			if ref.Kind == model.KindMyCnf {
				loose.MyCnfEntries = append(loose.MyCnfEntries, ref.HostPath)
			}
			continue
		default:
			if roots, err = hostRoots(p); err != nil {
				return fail(err)
			}
		}
		if len(roots) == 0 {
			return fail(fmt.Errorf("%s: neither a host root (a directory with etc/), a host archive (%s) nor a fleet of them; name config files directly (with --kind if their names do not tell)", p, strings.Join(hostfs.ArchiveSuffixes, ", ")))
		}
		found := 0
		var problems int
		for _, r := range roots {
			var fsys hostfs.FS
			if r.err == nil {
				if r.archive {
					fsys, err = hostfs.OpenArchive(r.dir, Wanted)
				} else {
					fsys, err = hostfs.Open(r.dir)
				}
				if err != nil {
					if len(roots) == 1 || !r.archive {
						return fail(err)
					}
					// One bad archive of a fleet is that host's error.
					r.err, fsys = err, nil
				}
			}
			name := r.name
			switch {
			case opt.HostName != "" && len(roots) == 1:
				name = opt.HostName
			case r.archive && fsys != nil:
				// A sosreport says its host's name.
				if n := archiveHostName(fsys); n != "" {
					name = qualify(r.cluster, n)
				}
			}
			if seen[name] {
				return fail(fmt.Errorf("%s: host %q named twice", r.dir, name))
			}
			seen[name] = true
			if r.err != nil {
				h := &Host{Name: name, Root: r.dir, Errs: []error{r.err}, Archive: r.archive}
				hosts = append(hosts, h)
				problems++
				continue
			}
			h := &Host{Name: name, Root: r.dir, FS: fsys, Cluster: r.cluster, Archive: r.archive}
			hs, err := scanWithContainers(h, opt, seen)
			hosts = append(hosts, hs...)
			if err != nil {
				return fail(err)
			}
			for _, h := range hs {
				found += len(h.Files) + len(h.MyCnfEntries) + len(h.MyCnfRoots)
				problems += len(h.Errs)
			}
		}
		if found == 0 && problems == 0 && !opt.AllowEmpty {
			return fail(fmt.Errorf("%s: no configuration found; looked for %s under each of %d host root(s) (%s); pass --allow-empty to accept a PATH with nothing to lint",
				p, strings.Join(lookedFor(), ", "), len(roots), rootNames(roots)))
		}
	}
	return hosts, nil
}

// scanWithContainers scans a host root and returns it with its
// openstack-ansible LXC containers, each rootfs a host of its own.
func scanWithContainers(h *Host, opt Options, seen map[string]bool) ([]*Host, error) {
	scanHost(h, opt)
	out := []*Host{h}
	for _, c := range containers(h, opt) {
		if seen[c.Name] {
			return out, fmt.Errorf("%s: host %q named twice (a container of %s)", c.Root, c.Name, h.Name)
		}
		seen[c.Name] = true
		out = append(out, c)
	}
	return out, nil
}

// Open is a host root already open: a host held in memory
// (hostfs.Memory), as Rego tests build them.
type Open struct {
	Name    string // <host>, or <cluster>/<host> in a nested fleet
	Cluster string // the cluster of a nested fleet's host, or ""
	FS      hostfs.FS
}

// DiscoverOpen is Discover over host roots already open: each is scanned
// exactly as Discover scans a host root it found. The hosts' FS are the
// loader's to close, as Discover's are; on error every one is closed.
func DiscoverOpen(roots []Open, opt Options) ([]*Host, error) {
	var hosts []*Host
	seen := map[string]bool{}
	fail := func(rest []Open, err error) ([]*Host, error) {
		for _, h := range hosts {
			h.FS.Close()
		}
		for _, r := range rest {
			r.FS.Close()
		}
		return nil, err
	}
	for i, r := range roots {
		if seen[r.Name] {
			return fail(roots[i:], fmt.Errorf("%s: host %q named twice", r.FS.Dir(), r.Name))
		}
		seen[r.Name] = true
		hs, err := scanWithContainers(&Host{Name: r.Name, Root: r.FS.Dir(), FS: r.FS, Cluster: r.Cluster, Archive: r.FS.ReadOnly()}, opt, seen)
		hosts = append(hosts, hs...)
		if err != nil {
			return fail(roots[i+1:], err)
		}
	}
	return hosts, nil
}

// lookedFor names what scanHost looks for, for the empty-PATH message.
func lookedFor() []string {
	out := sortedKeys(osloFiles)
	return append(out, "/etc/kolla/*/", "/etc/haproxy/haproxy.cfg", "/etc/haproxy/{conf,services}.d/*.cfg",
		"/etc/my.cnf", "/etc/mysql/my.cnf", "/etc/my.cnf.d/*.cnf", "/etc/mysql/{conf,mariadb.conf}.d/*.cnf",
		"/etc/crontab", "/etc/cron.{d,hourly,daily,weekly,monthly}/*", "/var/spool/cron/")
}

func rootNames(roots []root) string {
	var out []string
	for i, r := range roots {
		if i == 3 {
			out = append(out, fmt.Sprintf("and %d more", len(roots)-3))
			break
		}
		out = append(out, r.dir)
	}
	return strings.Join(out, ", ")
}

// root is a host root found under a PATH; err, if set, is why a fleet
// member could not be looked at (it becomes the host's error); cluster is
// the directory of a nested fleet holding it.
type root struct {
	name, dir, cluster string
	archive            bool
	err                error
}

func qualify(cluster, name string) string {
	if cluster == "" {
		return name
	}
	return cluster + "/" + name
}

// archiveHostName is the short host name in a sosreport's hostname file
// (the output of hostname, often a FQDN), or "".
func archiveHostName(fsys hostfs.FS) string {
	b, _, err := fsys.ReadFile("/hostname", 4096)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	name := strings.TrimSpace(line)
	if net.ParseIP(name) == nil {
		name, _, _ = strings.Cut(name, ".")
	}
	if name == "" || strings.ContainsAny(name, "/ \t") || name == "localhost" {
		return ""
	}
	return name
}

// isHostRoot: a directory with etc/ or var/spool/cron, looked at inside
// the directory itself (an etc symlink pointing out is not followed out).
func isHostRoot(dir string) bool {
	ok, _ := hostRootCheck(dir)
	return ok
}

// hostRootCheck is isHostRoot, and the error that kept it from looking
// (a directory it may not search).
func hostRootCheck(dir string) (bool, error) {
	r, err := hostfs.Open(dir)
	if err != nil {
		return false, err
	}
	defer r.Close()
	var denied error
	for _, d := range []string{"/etc", "/var/spool/cron"} {
		st, err := r.Stat(d)
		if err == nil && st.IsDir() {
			return true, nil
		}
		if hostfs.IsUnreadable(err) && denied == nil {
			denied = err
		}
	}
	return false, denied
}

func hostRoots(dir string) ([]root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if isHostRoot(dir) {
		name := filepath.Base(abs)
		if name == "rootfs" && filepath.Base(filepath.Dir(filepath.Dir(abs))) == "lxc" {
			// One LXC container named directly: var/lib/lxc/<name>/rootfs.
			name = filepath.Base(filepath.Dir(abs))
		}
		if abs == "/" {
			name, _ = os.Hostname()
			if name == "" {
				name = "localhost"
			}
		}
		return []root{{name: hostName(name), dir: dir}}, nil
	}
	// A fleet: its children are resolved inside the fleet directory, so a
	// child that is a symlink to / or elsewhere does not make oscfg read
	// the machine it runs on.
	fleet, err := hostfs.Open(dir)
	if err != nil {
		return nil, err
	}
	defer fleet.Close()
	ents, err := fleet.ReadDir("/")
	if err != nil {
		return nil, err
	}
	var out []root
	for _, e := range ents {
		real, err := fleet.Resolve("/" + e.Name())
		if err != nil {
			// A member linked out of the fleet (ctl1 -> /srv/sos/ctl1)
			// or one that cannot be looked up is not dropped silently:
			// the run would report on fewer hosts than it was given.
			// oscfg.ini is the settings lookup's (it reports its link).
			if e.Name() != "oscfg.ini" && (!missing(err) || e.Type()&fs.ModeSymlink != 0) {
				out = append(out, root{name: hostName(e.Name()), dir: fleet.Disk("/" + e.Name()), err: err})
			}
			continue
		}
		if real == "/" {
			continue
		}
		sub := fleet.Disk(real)
		st, err := fleet.Stat(real)
		if err == nil && st.Mode().IsRegular() && hostfs.IsArchiveName(e.Name()) {
			out = append(out, root{name: hostName(hostfs.ArchiveStem(e.Name())), dir: sub, archive: true})
			continue
		}
		if err != nil || !st.IsDir() {
			continue
		}
		ok, err := hostRootCheck(sub)
		switch {
		case ok:
			out = append(out, root{name: hostName(e.Name()), dir: sub})
			continue
		case err != nil:
			// A member it may not look inside (chmod 700 as another
			// user) may well be a host: not a silent "0 files" for it.
			out = append(out, root{name: hostName(e.Name()), dir: sub, err: err})
			continue
		}
		// A nested fleet: FLEET/<cluster>/<host>/etc. The cluster's name
		// qualifies its hosts' (regions often reuse ctl1, ctl2, ...). Its
		// children resolve inside the cluster directory, as above.
		out = append(out, nestedRoots(e.Name(), sub)...)
	}
	return out, nil
}

// nestedRoots are the host roots of one cluster directory.
func nestedRoots(cluster, dir string) []root {
	c, err := hostfs.Open(dir)
	if err != nil {
		return nil
	}
	defer c.Close()
	ents, err := c.ReadDir("/")
	if err != nil {
		return nil
	}
	var out []root
	for _, e := range ents {
		real, err := c.Resolve("/" + e.Name())
		if err != nil || real == "/" {
			continue
		}
		st, err := c.Stat(real)
		if err == nil && st.Mode().IsRegular() && hostfs.IsArchiveName(e.Name()) {
			out = append(out, root{name: cluster + "/" + hostName(hostfs.ArchiveStem(e.Name())), dir: c.Disk(real), cluster: cluster, archive: true})
			continue
		}
		if err != nil || !st.IsDir() {
			continue
		}
		if hd := c.Disk(real); isHostRoot(hd) {
			out = append(out, root{name: cluster + "/" + hostName(e.Name()), dir: hd, cluster: cluster})
		}
	}
	return out
}

// hostName takes the host out of a sosreport directory name
// (sosreport-HOST-CASE-DATE-RAND); other names are the host.
func hostName(dir string) string {
	if rest, ok := strings.CutPrefix(dir, "sosreport-"); ok {
		if i := strings.IndexByte(rest, '-'); i > 0 {
			return rest[:i]
		}
		return rest
	}
	return dir
}

func fsReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// oslo service files: /etc/<svc>/<name>.conf and <name>.conf.d/*.conf.
var osloFiles = map[string]string{
	"/etc/nova/nova.conf":           "nova",
	"/etc/keystone/keystone.conf":   "keystone",
	"/etc/cinder/cinder.conf":       "cinder",
	"/etc/neutron/neutron.conf":     "neutron",
	"/etc/glance/glance-api.conf":   "glance",
	"/etc/placement/placement.conf": "placement",
	"/etc/heat/heat.conf":           "heat",
}

// scanHost lists the known config locations of one host root, through
// its confined view: the host's own /etc and spool, kolla's /etc/kolla,
// TripleO's /var/lib/config-data and a sosreport's sos_commands. When a
// service's config is at two layouts, the one its running process reads
// is kept and the other named in h.Superseded (and to opt.Skipped). What
// cannot be looked at goes to h.Errs.
func scanHost(h *Host, opt Options) {
	s := &scanner{h: h, opt: opt, said: map[string]bool{}}
	s.scanRoot("", LayoutHost)
	// TripleO: each service's tree as its containers see it; config-data
	// holds puppet's output before it is copied there.
	for _, d := range s.list("/var/lib/config-data/puppet-generated") {
		if s.isDir(d) {
			s.scanRoot(d, LayoutTripleO)
		}
	}
	for _, d := range s.list("/var/lib/config-data") {
		if base := path.Base(d); base != "puppet-generated" && s.isDir(d) {
			s.scanRoot(d, LayoutConfigData)
		}
	}
	s.sosCommands()
	s.supersede()
}

type scanner struct {
	h    *Host
	opt  Options
	said map[string]bool
}

func (s *scanner) skipped(hp, why string) {
	if s.opt.Skipped != nil {
		s.opt.Skipped(hp, why)
	}
}

func (s *scanner) problem(err error) {
	// One denied directory stops many lookups; say it once.
	if !s.said[err.Error()] {
		s.said[err.Error()] = true
		s.h.Errs = append(s.h.Errs, err)
	}
}

func (s *scanner) add(hp, kind, svc, layout string) {
	for _, g := range s.opt.Exclude {
		if ok, _ := path.Match(g, hp); ok {
			s.skipped(hp, "excluded by "+g)
			return
		}
	}
	// A directory where a file is expected is not a config; anything
	// else (a FIFO, a link that leaves the root) is left for the read
	// to report.
	if st, err := s.h.FS.Stat(hp); err == nil && st.IsDir() {
		s.skipped(hp, "a directory")
		return
	}
	by := "name"
	if kind != model.KindOslo {
		by = "kind"
	}
	s.h.Files = append(s.h.Files, FileRef{HostPath: hp, Kind: kind, Service: svc, ServiceBy: by, Layout: layout})
}

func (s *scanner) exists(hp string) bool {
	_, err := s.h.FS.Lstat(hp)
	if err != nil && !missing(err) {
		s.problem(err)
	}
	return err == nil
}

func (s *scanner) isDir(hp string) bool {
	st, err := s.h.FS.Stat(hp)
	if err != nil && !missing(err) {
		s.problem(err)
	}
	return err == nil && st.IsDir()
}

func (s *scanner) list(dir string) []string {
	ents, err := s.h.FS.ReadDir(dir)
	if err != nil {
		if !missing(err) {
			s.problem(err)
		}
		return nil
	}
	if len(ents) > MaxDirEntries {
		s.problem(fmt.Errorf("%s: %d entries, more than the %d oscfg reads from one config directory (not a config directory?)", s.h.FS.Disk(dir), len(ents), MaxDirEntries))
		return nil
	}
	var out []string
	for _, e := range ents {
		hp := path.Join(dir, e.Name())
		if why := backupFile(e.Name(), s.opt.BackupSuffixes); why != "" {
			s.skipped(hp, why)
			continue
		}
		out = append(out, hp)
	}
	return out
}

// scanRoot lists the config locations of the tree at pre ("" for the host
// itself; a TripleO service directory holds the same etc/ and var/spool/
// its containers see as their own).
func (s *scanner) scanRoot(pre, layout string) {
	for _, hp := range sortedKeys(osloFiles) {
		svc := osloFiles[hp]
		if s.exists(pre + hp) {
			s.add(pre+hp, model.KindOslo, svc, layout)
		}
		for _, f := range s.list(pre + hp + ".d") {
			if strings.HasSuffix(f, ".conf") {
				s.add(f, model.KindOslo, svc, layout)
			}
		}
	}
	if pre == "" {
		s.kolla()
	}
	// haproxy: the main file, then fragment directories in name order (the
	// order haproxy -f reads a directory in).
	if s.exists(pre + "/etc/haproxy/haproxy.cfg") {
		s.add(pre+"/etc/haproxy/haproxy.cfg", model.KindHAProxy, "haproxy", layout)
	}
	for _, d := range []string{"/etc/haproxy/conf.d", "/etc/haproxy/services.d"} {
		for _, f := range s.list(pre + d) {
			if strings.HasSuffix(f, ".cfg") {
				s.add(f, model.KindHAProxy, "haproxy", layout)
			}
		}
	}
	// MariaDB: entry files; the loader follows their includes. Option files
	// in the distributions' include directories that no entry file reaches
	// are read on their own, in the order the default my.cnf would read
	// them (rendered configs and fetched trees often lack my.cnf).
	var entries []string
	for _, hp := range []string{"/etc/my.cnf", "/etc/mysql/my.cnf"} {
		if s.exists(pre + hp) {
			entries = append(entries, hp)
		}
	}
	for _, d := range MyCnfIncludeDirs {
		for _, f := range s.list(pre + d) {
			if strings.HasSuffix(f, ".cnf") {
				entries = append(entries, strings.TrimPrefix(f, pre))
			}
		}
	}
	switch {
	case pre == "":
		s.h.MyCnfEntries = append(s.h.MyCnfEntries, entries...)
	case len(entries) > 0:
		s.h.MyCnfRoots = append(s.h.MyCnfRoots, MyCnfRoot{Prefix: pre, Entries: entries})
	}
	// cron.
	if s.exists(pre + "/etc/crontab") {
		s.add(pre+"/etc/crontab", model.KindCrontab, "cron", layout)
	}
	for _, d := range []string{"/etc/cron.d", "/var/spool/cron/crontabs", "/var/spool/cron",
		"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"} {
		for _, f := range s.list(pre + d) {
			base := path.Base(f)
			if base == "crontabs" || base == "0anacron" {
				continue
			}
			if why := cronSkips(d, base); why != "" {
				s.skipped(f, why)
				continue
			}
			s.add(f, model.KindCrontab, "cron", layout)
			if pre != "" {
				last := &s.h.Files[len(s.h.Files)-1]
				last.StandsFor = strings.TrimPrefix(f, pre)
			}
		}
	}
}

// kolla: /etc/kolla/<service>/... per container.
func (s *scanner) kolla() {
	for _, svcDir := range s.list("/etc/kolla") {
		if !s.isDir(svcDir) {
			continue
		}
		svc := path.Base(svcDir)
		for _, f := range s.list(svcDir) {
			base := path.Base(f)
			switch {
			case svc == "haproxy" && base == "haproxy.cfg":
				s.add(f, model.KindHAProxy, "haproxy", LayoutKolla)
			case svc == "haproxy" && base == "services.d":
				for _, frag := range s.list(f) {
					if strings.HasSuffix(frag, ".cfg") {
						s.add(frag, model.KindHAProxy, "haproxy", LayoutKolla)
					}
				}
			case base == "galera.cnf" || base == "my.cnf":
				s.h.MyCnfEntries = append(s.h.MyCnfEntries, f)
			case strings.HasSuffix(base, ".conf") && osloService(base) != "":
				s.add(f, model.KindOslo, osloService(base), LayoutKolla)
			}
		}
	}
}

// sosCommands: a sosreport's command output that stands for a file the
// copy lacks. sos's cron plugin saves `crontab -l -u root` as
// sos_commands/cron/root_crontab (sos/report/plugins/cron.py); it is
// root's crontab when the spool itself was not copied.
func (s *scanner) sosCommands() {
	const rootTab = "/sos_commands/cron/root_crontab"
	if !s.exists(rootTab) {
		return
	}
	for _, f := range s.h.Files {
		if f.HostPath == "/var/spool/cron/root" || f.HostPath == "/var/spool/cron/crontabs/root" {
			s.skipped(rootTab, "the spool's own "+f.HostPath+" is read instead")
			return
		}
	}
	s.add(rootTab, model.KindCrontab, "cron", LayoutSos)
	if n := len(s.h.Files); n > 0 && s.h.Files[n-1].HostPath == rootTab {
		s.h.Files[n-1].StandsFor = "/var/spool/cron/crontabs/root"
	}
}

// supersede keeps, of a service's config found at several layouts, the
// one its running process reads. Containers (kolla, TripleO) read their
// own copies, not the host's /etc/<service>/ that a package left; TripleO
// containers read puppet-generated/<service>, of which config-data/
// <service> is only the source.
func (s *scanner) supersede() {
	contained := map[string]string{} // service -> a file a container reads
	generated := map[string]bool{}   // TripleO service directories under puppet-generated
	for _, f := range s.h.Files {
		if f.Layout == LayoutKolla || f.Layout == LayoutTripleO {
			if _, ok := contained[f.Service]; !ok {
				contained[f.Service] = f.HostPath
			}
		}
		if f.Layout == LayoutTripleO {
			generated[tripleoDir(f.HostPath)] = true
		}
	}
	for _, r := range s.h.MyCnfRoots {
		if strings.HasPrefix(r.Prefix, "/var/lib/config-data/puppet-generated/") {
			generated[path.Base(r.Prefix)] = true
			if _, ok := contained["mysql"]; !ok {
				contained["mysql"] = r.Prefix + r.Entries[0]
			}
		}
	}
	for _, e := range s.h.MyCnfEntries {
		if strings.HasPrefix(e, "/etc/kolla/") {
			if _, ok := contained["mysql"]; !ok {
				contained["mysql"] = e
			}
		}
	}
	drop := func(hp, by, layout string) {
		if s.h.Superseded == nil {
			s.h.Superseded = map[string]string{}
		}
		s.h.Superseded[hp] = by
		s.skipped(hp, fmt.Sprintf("superseded by %s (%s), which the running service reads", by, layout))
	}
	var keep []FileRef
	for _, f := range s.h.Files {
		switch {
		case f.Layout == LayoutHost && f.Kind != model.KindCrontab && contained[f.Service] != "":
			drop(f.HostPath, contained[f.Service], "containers")
			continue
		case f.Layout == LayoutConfigData && generated[tripleoDir(f.HostPath)]:
			drop(f.HostPath, "/var/lib/config-data/puppet-generated/"+tripleoDir(f.HostPath), "TripleO puppet-generated")
			continue
		}
		keep = append(keep, f)
	}
	s.h.Files = keep
	if by := contained["mysql"]; by != "" {
		var entries []string
		for _, e := range s.h.MyCnfEntries {
			if strings.HasPrefix(e, "/etc/kolla/") {
				entries = append(entries, e)
				continue
			}
			drop(e, by, "containers")
		}
		s.h.MyCnfEntries = entries
	}
	var roots []MyCnfRoot
	for _, r := range s.h.MyCnfRoots {
		if strings.HasPrefix(r.Prefix, "/var/lib/config-data/") && !strings.HasPrefix(r.Prefix, "/var/lib/config-data/puppet-generated/") && generated[path.Base(r.Prefix)] {
			for _, e := range r.Entries {
				drop(r.Prefix+e, "/var/lib/config-data/puppet-generated/"+path.Base(r.Prefix), "TripleO puppet-generated")
			}
			continue
		}
		roots = append(roots, r)
	}
	s.h.MyCnfRoots = roots
}

// tripleoDir is the service directory of a config-data path
// (/var/lib/config-data/[puppet-generated/]<dir>/...).
func tripleoDir(hp string) string {
	rest := strings.TrimPrefix(hp, "/var/lib/config-data/")
	rest = strings.TrimPrefix(rest, "puppet-generated/")
	d, _, _ := strings.Cut(rest, "/")
	return d
}

// containers are openstack-ansible's LXC containers of a host, each a
// host of its own: /var/lib/lxc/<name>/rootfs is the container's "/".
func containers(h *Host, opt Options) []*Host {
	s := &scanner{h: h, opt: opt, said: map[string]bool{}}
	var out []*Host
	for _, d := range s.list("/var/lib/lxc") {
		rootfs := d + "/rootfs"
		if !s.isDir(rootfs) {
			continue
		}
		sub, err := h.FS.Sub(rootfs)
		if err != nil {
			h.Errs = append(h.Errs, err)
			continue
		}
		name := path.Base(d)
		dir := sub.Dir()
		if h.Archive {
			dir = h.Root
		}
		c := &Host{Name: qualify(h.Cluster, name), Root: dir, FS: sub, Cluster: h.Cluster, Archive: h.Archive, Container: name}
		scanHost(c, opt)
		if len(c.Files)+len(c.MyCnfEntries)+len(c.MyCnfRoots)+len(c.Errs) == 0 {
			sub.Close()
			continue
		}
		out = append(out, c)
	}
	return out
}

// Wanted says which members of an archive discovery may read: the config
// locations it scans and the release evidence (package lists, release
// files, a sosreport's hostname), by path from the host's root.
func Wanted(p string) bool {
	for strings.HasPrefix(p, "/var/lib/lxc/") {
		// A container's rootfs: the same locations inside it.
		rest := strings.TrimPrefix(p, "/var/lib/lxc/")
		_, after, ok := strings.Cut(rest, "/rootfs/")
		if !ok {
			return false
		}
		p = "/" + after
	}
	if strings.HasPrefix(p, "/var/lib/config-data/") {
		rest := strings.TrimPrefix(p, "/var/lib/config-data/")
		rest = strings.TrimPrefix(rest, "puppet-generated/")
		_, after, ok := strings.Cut(rest, "/")
		if !ok {
			return false
		}
		p = "/" + after
	}
	for _, pre := range []string{"/etc/", "/var/spool/cron/", "/sos_commands/cron/", "/sos_commands/rpm/", "/sos_commands/dpkg/", "/sos_commands/host/"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	switch p {
	case "/hostname", "/installed-rpms", "/installed-debs":
		return true
	}
	return false
}

// missing: nothing there, which is fine for an optional location.
func missing(err error) bool {
	var e *hostfs.Error
	return errors.As(err, &e) && e.Kind == hostfs.Missing
}

// backupSuffixes are names package managers, editors and admins leave
// beside a config; no daemon oscfg knows reads them as config here (the
// include rules of each dialect only take *.conf, *.cfg, *.cnf, and cron
// skips these too), so they are never linted or fixed.
var backupSuffixes = []string{".orig", ".bak", ".old", ".rpmnew", ".rpmsave", ".rpmorig", ".swp", "~"}

// backupFile says why a directory entry is a backup or temporary file
// (and so never a config), or "" when it is not.
func backupFile(name string, extra []string) string {
	switch {
	case strings.HasPrefix(name, "."):
		// Hidden files, among them oscfg's own .NAME.oscfg-* temporaries.
		if strings.Contains(name, ".oscfg-") {
			return "oscfg's temporary file of an interrupted write"
		}
		return "hidden file"
	case strings.Contains(name, ".dpkg-"):
		return "dpkg backup file (.dpkg-*)"
	case strings.Contains(name, ".ucf-"):
		return "ucf backup file (.ucf-*)"
	}
	for _, sfx := range extra {
		if sfx != "" && strings.HasSuffix(name, sfx) && name != sfx {
			return "backup file (--backup " + sfx + ")"
		}
	}
	for _, sfx := range backupSuffixes {
		if strings.HasSuffix(name, sfx) {
			return "backup file (" + sfx + ")"
		}
	}
	return ""
}

// cronSkips is cron's own rule for which names in a cron directory it
// reads. cronie skips names starting with '.' or '#', ending in '~', or
// ending in .rpmsave, .rpmorig or .rpmnew (not_a_crontab in
// src/database.c, for the spool and /etc/cron.d alike); the backups among
// them were already dropped by backupFile. Debian's cron goes further for
// /etc/cron.d: names must match run-parts' default rule, letters, digits,
// '_' and '-' only, so a name with a dot is never read (cron(8), Debian
// cron 3.0pl1). Debian's run-parts applies that rule to cron.hourly and the
// others too (run-parts(8)); cronie's run-parts does not, so for those
// only the backup rule holds.
func cronSkips(dir, base string) string {
	if strings.HasPrefix(base, "#") {
		return "cron ignores names starting with #"
	}
	if dir == "/etc/cron.d" && strings.ContainsAny(base, ".~") {
		return "cron ignores /etc/cron.d files whose names contain a dot"
	}
	return ""
}

func osloService(base string) string {
	for hp, svc := range osloFiles {
		if path.Base(hp) == base {
			return svc
		}
	}
	return ""
}

// Services are the OpenStack services whose oslo.config files a name can
// say (nova.conf, glance-api.conf, ironic.conf), sorted: the names
// --service takes.
var Services = []string{"aodh", "barbican", "ceilometer", "cinder", "cloudkitty", "designate", "glance", "gnocchi", "heat",
	"ironic", "keystone", "magnum", "manila", "masakari", "mistral", "neutron", "nova", "octavia", "placement",
	"senlin", "trove", "watcher", "zaqar", "zun"}

// templateSuffixes are what a template's name adds to the file it renders
// (kolla's keystone.conf.j2, puppet's nova.conf.erb).
var templateSuffixes = []string{".j2", ".jinja2", ".jinja", ".erb", ".tmpl", ".tpl", ".template", ".in", ".sample", ".example"}

// ServiceByName is the service an oslo file's name says, or "": a known
// file name (keystone.conf), or a service's name alone or before '-' or
// '_' (nova-compute.conf, glance-api.conf, ironic.conf), after dropping a
// template suffix (keystone.conf.j2). A name that merely contains a
// service (some-keystone-template.conf) says nothing.
func ServiceByName(base string) string {
	for _, sfx := range templateSuffixes {
		base = strings.TrimSuffix(base, sfx)
	}
	if svc := osloService(base); svc != "" {
		return svc
	}
	stem, ok := strings.CutSuffix(base, ".conf")
	if !ok {
		return ""
	}
	for _, svc := range Services {
		if stem == svc || strings.HasPrefix(stem, svc+"-") || strings.HasPrefix(stem, svc+"_") {
			return svc
		}
	}
	return ""
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// looseFile classifies a file named on the command line.
func looseFile(p, kind string) (FileRef, error) {
	abs, _ := filepath.Abs(p)
	hp := filepath.ToSlash(abs)
	if i := strings.Index(hp, "/etc/"); i >= 0 {
		hp = hp[i:]
	} else if i := strings.Index(hp, "/var/spool/cron/"); i >= 0 {
		hp = hp[i:]
	}
	if kind == "" {
		kind = KindByName(hp)
	}
	switch kind {
	case model.KindOslo, model.KindHAProxy, model.KindMyCnf, model.KindCrontab:
	case "":
		return FileRef{}, fmt.Errorf("%s: cannot tell what kind of config this is from its name; pass --kind oslo|haproxy|mycnf|crontab", p)
	default:
		return FileRef{}, fmt.Errorf("unknown --kind %q (want oslo, haproxy, mycnf or crontab)", kind)
	}
	svc := map[string]string{model.KindHAProxy: "haproxy", model.KindMyCnf: "mysql", model.KindCrontab: "cron"}[kind]
	by := "kind"
	if kind == model.KindOslo {
		// A name that does not say leaves it to the sections (loader).
		svc, by = ServiceByName(path.Base(hp)), ""
		if svc != "" {
			by = "name"
		}
	}
	return FileRef{HostPath: hp, Source: p, Kind: kind, Service: svc, ServiceBy: by}, nil
}

// KindByName guesses a file's dialect from its name alone.
func KindByName(hp string) string {
	base := path.Base(hp)
	switch {
	case strings.HasSuffix(base, ".cfg") && strings.Contains(hp, "haproxy"), base == "haproxy.cfg":
		return model.KindHAProxy
	case strings.HasSuffix(base, ".cnf"):
		return model.KindMyCnf
	case base == "crontab", strings.Contains(hp, "/cron.d/"), strings.Contains(hp, "/var/spool/cron/"),
		strings.Contains(hp, "/cron.hourly/"), strings.Contains(hp, "/cron.daily/"):
		return model.KindCrontab
	case strings.HasSuffix(base, ".conf"):
		return model.KindOslo
	}
	return ""
}
