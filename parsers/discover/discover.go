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

	"github.com/oscfg/oscfg/model"
)

// FileRef is a file found on a host, not yet parsed.
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
	// Cluster is the directory of a nested fleet, FLEET/<cluster>/<host>;
	// the host is then named <cluster>/<host>.
	Cluster string
	Files   []FileRef
	// MyCnfEntries are the option files MariaDB starts reading from;
	// includes are followed by the mycnf loader, inside Root.
	MyCnfEntries []string
}

// Options steer discovery.
type Options struct {
	Kind     string   // force the kind of loose files
	HostName string   // name for loose files and a single host root
	Exclude  []string // host-path globs to skip
	Skipped  func(path, why string)
}

// Discover turns user-named paths into hosts. A path is a host root (has
// etc/), a fleet (children are host roots or sosreports), the live root /,
// or a single file.
func Discover(paths []string, opt Options) ([]*Host, error) {
	var hosts []*Host
	var loose *Host
	seen := map[string]bool{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", p, fsReason(err))
		}
		if !st.IsDir() {
			ref, err := looseFile(p, opt.Kind)
			if err != nil {
				return nil, err
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
			return nil, err
		}
		if len(roots) == 0 {
			return nil, fmt.Errorf("%s: neither a host root (a directory with etc/) nor a fleet of host roots; name config files directly (with --kind if their names do not tell)", p)
		}
		for _, r := range roots {
			name := r.name
			if opt.HostName != "" && len(roots) == 1 {
				name = opt.HostName
			}
			if seen[name] {
				return nil, fmt.Errorf("%s: host %q named twice", r.dir, name)
			}
			seen[name] = true
			h := &Host{Name: name, Root: r.dir, Cluster: r.cluster}
			if err := scanHost(h, opt); err != nil {
				return nil, err
			}
			hosts = append(hosts, h)
		}
	}
	return hosts, nil
}

type root struct{ name, dir, cluster string }

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func hostRoots(dir string) ([]root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if isDir(filepath.Join(dir, "etc")) || isDir(filepath.Join(dir, "var", "spool", "cron")) {
		name := filepath.Base(abs)
		if abs == "/" {
			name, _ = os.Hostname()
			if name == "" {
				name = "localhost"
			}
		}
		return []root{{name: hostName(name), dir: dir}}, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", dir, fsReason(err))
	}
	var out []root
	for _, e := range ents {
		sub := filepath.Join(dir, e.Name())
		if !isDir(sub) {
			continue
		}
		if isHostRoot(sub) {
			out = append(out, root{name: hostName(e.Name()), dir: sub})
			continue
		}
		// A nested fleet: FLEET/<cluster>/<host>/etc. The cluster's name
		// qualifies its hosts' (regions often reuse ctl1, ctl2, ...).
		inner, err := os.ReadDir(sub)
		if err != nil {
			continue
		}
		for _, ie := range inner {
			if hd := filepath.Join(sub, ie.Name()); isDir(hd) && isHostRoot(hd) {
				out = append(out, root{name: e.Name() + "/" + hostName(ie.Name()), dir: hd, cluster: e.Name()})
			}
		}
	}
	return out, nil
}

func isHostRoot(dir string) bool {
	return isDir(filepath.Join(dir, "etc")) || isDir(filepath.Join(dir, "var", "spool", "cron"))
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

// scanHost lists the known config locations of one host root.
func scanHost(h *Host, opt Options) error {
	add := func(hp, kind, svc string) {
		for _, g := range opt.Exclude {
			if ok, _ := path.Match(g, hp); ok {
				if opt.Skipped != nil {
					opt.Skipped(hp, "excluded by "+g)
				}
				return
			}
		}
		h.Files = append(h.Files, FileRef{HostPath: hp, Source: filepath.Join(h.Root, filepath.FromSlash(hp)), Kind: kind, Service: svc})
	}
	exists := func(hp string) bool {
		_, err := os.Lstat(filepath.Join(h.Root, filepath.FromSlash(hp)))
		return err == nil
	}
	list := func(dir string) []string { return listDir(h.Root, dir, opt.Skipped) }

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
			if base == "crontabs" || strings.HasPrefix(base, ".") || base == "0anacron" {
				continue
			}
			if d == "/etc/cron.d" && strings.ContainsAny(base, ".~") {
				// Debian cron ignores names with dots (dpkg leftovers).
				if opt.Skipped != nil {
					opt.Skipped(f, "cron ignores /etc/cron.d files whose names contain a dot")
				}
				continue
			}
			add(f, model.KindCrontab, "cron")
		}
	}
	return nil
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

// listDir lists regular files and directories directly under a host
// directory, sorted, as host paths. It does not recurse, so a symlink loop
// cannot trap it.
func listDir(root, dir string, skipped func(string, string)) []string {
	ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && skipped != nil {
			skipped(dir, fsReason(err))
		}
		return nil
	}
	var out []string
	for _, e := range ents {
		out = append(out, path.Join(dir, e.Name()))
	}
	sort.Strings(out)
	return out
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
