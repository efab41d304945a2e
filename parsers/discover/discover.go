// Package discover finds hosts and their configuration files under the
// paths a user names, and says which dialect each file is. It reads
// directory listings only; parsing is the loader's job.
package discover

import (
	"errors"
	"fmt"
	"io/fs"
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
}

// Host is a discovered host root (or a set of loose files).
type Host struct {
	Name string
	Root string
	// FS reads inside Root with chroot semantics (nil for loose files).
	// The loader closes it.
	FS *hostfs.Root
	// Cluster is the directory of a nested fleet, FLEET/<cluster>/<host>;
	// the host is then named <cluster>/<host>.
	Cluster string
	Files   []FileRef
	// MyCnfEntries are the option files MariaDB starts reading from;
	// includes are followed by the mycnf loader, inside Root.
	MyCnfEntries []string
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
		if !st.IsDir() {
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
		}
		roots, err := hostRoots(p)
		if err != nil {
			return fail(err)
		}
		if len(roots) == 0 {
			return fail(fmt.Errorf("%s: neither a host root (a directory with etc/) nor a fleet of host roots; name config files directly (with --kind if their names do not tell)", p))
		}
		found := 0
		var problems int
		for _, r := range roots {
			name := r.name
			if opt.HostName != "" && len(roots) == 1 {
				name = opt.HostName
			}
			if seen[name] {
				return fail(fmt.Errorf("%s: host %q named twice", r.dir, name))
			}
			seen[name] = true
			if r.err != nil {
				h := &Host{Name: name, Root: r.dir, Errs: []error{r.err}}
				hosts = append(hosts, h)
				problems++
				continue
			}
			fsys, err := hostfs.Open(r.dir)
			if err != nil {
				return fail(err)
			}
			h := &Host{Name: name, Root: r.dir, FS: fsys, Cluster: r.cluster}
			hosts = append(hosts, h)
			scanHost(h, opt)
			found += len(h.Files) + len(h.MyCnfEntries)
			problems += len(h.Errs)
		}
		if found == 0 && problems == 0 && !opt.AllowEmpty {
			return fail(fmt.Errorf("%s: no configuration found; looked for %s under each of %d host root(s) (%s); pass --allow-empty to accept a PATH with nothing to lint",
				p, strings.Join(lookedFor(), ", "), len(roots), rootNames(roots)))
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
	err                error
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
		if st, err := fleet.Stat(real); err != nil || !st.IsDir() {
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
		if st, err := c.Stat(real); err != nil || !st.IsDir() {
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
// its confined view. What cannot be looked at goes to h.Errs.
func scanHost(h *Host, opt Options) {
	skipped := func(hp, why string) {
		if opt.Skipped != nil {
			opt.Skipped(hp, why)
		}
	}
	said := map[string]bool{}
	problem := func(err error) {
		// One denied directory stops many lookups; say it once.
		if !said[err.Error()] {
			said[err.Error()] = true
			h.Errs = append(h.Errs, err)
		}
	}
	add := func(hp, kind, svc string) {
		for _, g := range opt.Exclude {
			if ok, _ := path.Match(g, hp); ok {
				skipped(hp, "excluded by "+g)
				return
			}
		}
		// A directory where a file is expected is not a config; anything
		// else (a FIFO, a link that leaves the root) is left for the read
		// to report.
		if st, err := h.FS.Stat(hp); err == nil && st.IsDir() {
			skipped(hp, "a directory")
			return
		}
		h.Files = append(h.Files, FileRef{HostPath: hp, Kind: kind, Service: svc})
	}
	exists := func(hp string) bool {
		_, err := h.FS.Lstat(hp)
		if err != nil && !missing(err) {
			problem(err)
		}
		return err == nil
	}
	list := func(dir string) []string {
		ents, err := h.FS.ReadDir(dir)
		if err != nil {
			if !missing(err) {
				problem(err)
			}
			return nil
		}
		if len(ents) > MaxDirEntries {
			problem(fmt.Errorf("%s: %d entries, more than the %d oscfg reads from one config directory (not a config directory?)", h.FS.Disk(dir), len(ents), MaxDirEntries))
			return nil
		}
		var out []string
		for _, e := range ents {
			hp := path.Join(dir, e.Name())
			if why := backupFile(e.Name(), opt.BackupSuffixes); why != "" {
				skipped(hp, why)
				continue
			}
			out = append(out, hp)
		}
		return out
	}

	for _, hp := range sortedKeys(osloFiles) {
		svc := osloFiles[hp]
		if exists(hp) {
			add(hp, model.KindOslo, svc)
		}
		for _, f := range list(hp + ".d") {
			if strings.HasSuffix(f, ".conf") {
				add(f, model.KindOslo, svc)
			}
		}
	}
	// Kolla: /etc/kolla/<service>/... per container.
	for _, svcDir := range list("/etc/kolla") {
		if st, err := h.FS.Stat(svcDir); err != nil || !st.IsDir() {
			if err != nil && !missing(err) {
				problem(err)
			}
			continue
		}
		svc := path.Base(svcDir)
		for _, f := range list(svcDir) {
			base := path.Base(f)
			switch {
			case svc == "haproxy" && base == "haproxy.cfg":
				add(f, model.KindHAProxy, "haproxy")
			case svc == "haproxy" && base == "services.d":
				for _, frag := range list(f) {
					if strings.HasSuffix(frag, ".cfg") {
						add(frag, model.KindHAProxy, "haproxy")
					}
				}
			case base == "galera.cnf" || base == "my.cnf":
				h.MyCnfEntries = append(h.MyCnfEntries, f)
			case strings.HasSuffix(base, ".conf") && osloService(base) != "":
				add(f, model.KindOslo, osloService(base))
			}
		}
	}
	// haproxy: the main file, then fragment directories in name order (the
	// order haproxy -f reads a directory in).
	if exists("/etc/haproxy/haproxy.cfg") {
		add("/etc/haproxy/haproxy.cfg", model.KindHAProxy, "haproxy")
	}
	for _, d := range []string{"/etc/haproxy/conf.d", "/etc/haproxy/services.d"} {
		for _, f := range list(d) {
			if strings.HasSuffix(f, ".cfg") {
				add(f, model.KindHAProxy, "haproxy")
			}
		}
	}
	// MariaDB: entry files; the loader follows their includes. Option files
	// in the usual include directories that no entry file reaches are read
	// on their own (rendered configs often ship only galera.cnf).
	for _, hp := range []string{"/etc/my.cnf", "/etc/mysql/my.cnf"} {
		if exists(hp) {
			h.MyCnfEntries = append(h.MyCnfEntries, hp)
		}
	}
	for _, d := range []string{"/etc/my.cnf.d", "/etc/mysql/conf.d", "/etc/mysql/mariadb.conf.d"} {
		for _, f := range list(d) {
			if strings.HasSuffix(f, ".cnf") {
				h.MyCnfEntries = append(h.MyCnfEntries, f)
			}
		}
	}
	// cron.
	if exists("/etc/crontab") {
		add("/etc/crontab", model.KindCrontab, "cron")
	}
	for _, d := range []string{"/etc/cron.d", "/var/spool/cron/crontabs", "/var/spool/cron",
		"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"} {
		for _, f := range list(d) {
			base := path.Base(f)
			if base == "crontabs" || base == "0anacron" {
				continue
			}
			if why := cronSkips(d, base); why != "" {
				skipped(f, why)
				continue
			}
			add(f, model.KindCrontab, "cron")
		}
	}
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
	if kind == model.KindOslo {
		svc = osloService(path.Base(hp))
		if svc == "" {
			svc = strings.TrimSuffix(path.Base(hp), ".conf")
		}
	}
	return FileRef{HostPath: hp, Source: p, Kind: kind, Service: svc}, nil
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
