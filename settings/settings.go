// Package settings reads oscfg's own settings file, oscfg.ini. It is the
// one place a general INI library fits: the file is ours, we never write
// it back, and its semantics are plain key = value.
package settings

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/model"
)

// Settings is what oscfg.ini may say.
//
//	release = zed                 ; OpenStack release the rules assume
//	fail_on = medium              ; lowest severity that fails lint
//	policy = site-policies        ; user Rego policy dirs, relative to this file
//	[rules]
//	disable = OSC-HAP-004, OSC-GEN-001
//	[severity]
//	OSC-HAP-001 = high            ; override a rule's default severity
//	[exclude]
//	paths = /etc/cron.daily/*     ; host-path globs never read
//	hosts = lab-*                 ; host-name globs whose findings are dropped
//	[settings]
//	block_device_window_target = 600
//	file_modes = auto             ; trust file modes: auto (on the live /), true, false
//	mysql_server = mariadb-10.6   ; Galera nodes' server (mariadb-X.Y, mariadb-galera-5.5, mysql-wsrep-5.6, percona-xtradb-cluster-5.7)
//	[clusters]                    ; state the clusters (else inferred; --inventory wins)
//	region1 = r1-*, 10.1.*        ; cluster = host-name globs
//	[ignore]                      ; suppressions, one per line (see Ignore)
//	OSC-HAP-001 = host=ctl1 path=/etc/haproxy/haproxy.cfg until=2027-03-31 -- reason
//	OSC-HAP-001 = host=lab-*
type Settings struct {
	File                    string
	Release                 string
	FailOn                  string
	Disabled                map[string]bool
	Severity                map[string]string
	ExcludePaths            []string
	ExcludeHosts            []string
	BlockDeviceWindowTarget int
	// MySQLServer is the Galera nodes' server and version
	// ("mariadb-10.6", "mysql-wsrep-5.6"); "" lets oscfg infer it.
	MySQLServer string
	// FileModes says whether the files' permission bits are the hosts'
	// own: "auto" (yes when linting the live /), "true" or "false".
	FileModes string
	// PolicyDirs are directories of user Rego policies (--policy).
	PolicyDirs []string
	// Clusters are the [clusters] entries in file order: a cluster name
	// and the globs of its host names (topology.GlobAssignment).
	Clusters [][2]string
	// Ignores are the lines of [ignore], in file order.
	Ignores []Ignore
}

// Default is used when there is no oscfg.ini.
func Default() *Settings {
	return &Settings{Disabled: map[string]bool{}, Severity: map[string]string{}, BlockDeviceWindowTarget: 600}
}

// maxSettingsSize bounds an oscfg.ini; real ones are a few hundred bytes.
const maxSettingsSize = 1 << 20

// Load reads an oscfg.ini. Unknown sections or keys are errors: a typo in
// a linter's own settings must not be silently ignored.
func Load(file string) (*Settings, error) {
	s := Default()
	s.File = file
	// Not os.ReadFile: a FIFO or device named oscfg.ini (in the current
	// directory, or given by --config) would block oscfg forever.
	data, err := hostfs.ReadPath(file, maxSettingsSize)
	if err != nil {
		return nil, err
	}
	f, err := ini.LoadSources(ini.LoadOptions{Insensitive: false, IgnoreInlineComment: false, SpaceBeforeInlineComment: true}, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	bad := func(sec, key, msg string) error {
		return fmt.Errorf("%s: [%s] %s: %s", file, sec, key, msg)
	}
	for _, sec := range f.Sections() {
		for _, k := range sec.Keys() {
			v := strings.TrimSpace(k.Value())
			switch sec.Name() + "/" + k.Name() {
			case ini.DefaultSection + "/release":
				if _, err := model.ParseRelease(v, "config"); err != nil {
					return nil, bad(sec.Name(), k.Name(), err.Error())
				}
				s.Release = v
			case ini.DefaultSection + "/fail_on":
				if _, err := model.ParseSeverity(v); err != nil {
					return nil, bad(sec.Name(), k.Name(), err.Error())
				}
				s.FailOn = v
			case ini.DefaultSection + "/policy":
				// Directories of user policies, comma-separated, relative
				// to the directory of this file.
				for _, d := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' }) {
					if d = strings.TrimSpace(d); d == "" {
						continue
					}
					if !filepath.IsAbs(d) {
						d = filepath.Join(filepath.Dir(file), d)
					}
					s.PolicyDirs = append(s.PolicyDirs, d)
				}
			case "rules/disable":
				for _, id := range splitList(v) {
					s.Disabled[strings.ToUpper(id)] = true
				}
			case "exclude/paths":
				s.ExcludePaths = splitList(v)
			case "exclude/hosts":
				s.ExcludeHosts = splitList(v)
			case "settings/file_modes":
				switch v {
				case "auto", "true", "false":
					s.FileModes = v
				default:
					return nil, bad(sec.Name(), k.Name(), "want auto, true or false")
				}
			case "settings/mysql_server":
				if _, err := model.ParseDBServer(v); err != nil {
					return nil, bad(sec.Name(), k.Name(), err.Error())
				}
				s.MySQLServer = v
			case "settings/block_device_window_target":
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 {
					return nil, bad(sec.Name(), k.Name(), "want a number of seconds")
				}
				s.BlockDeviceWindowTarget = n
			default:
				if sec.Name() == "ignore" {
					continue // read with line numbers by parseIgnores
				}
				if sec.Name() == "clusters" {
					// cluster = host-name globs, comma-separated.
					if v == "" {
						return nil, bad(sec.Name(), k.Name(), "want host-name globs, e.g. region1 = r1-*, 10.1.*")
					}
					s.Clusters = append(s.Clusters, [2]string{k.Name(), v})
					continue
				}
				if sec.Name() == "severity" {
					if _, err := model.ParseSeverity(v); err != nil {
						return nil, bad(sec.Name(), k.Name(), err.Error())
					}
					s.Severity[strings.ToUpper(k.Name())] = v
					continue
				}
				return nil, bad(sec.Name(), k.Name(), "unknown setting (see `oscfg lint --help`)")
			}
		}
	}
	if s.Ignores, err = parseIgnores(file, data); err != nil {
		return nil, err
	}
	return s, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// HostExcluded reports whether findings of a host are to be dropped.
func (s *Settings) HostExcluded(host string) bool {
	for _, g := range s.ExcludeHosts {
		if ok, _ := path.Match(g, host); ok {
			return true
		}
	}
	return false
}

// Apply drops disabled rules and excluded hosts and applies severity
// overrides. It returns the kept findings and how many it dropped.
func (s *Settings) Apply(fs []model.Finding) ([]model.Finding, int) {
	out := fs[:0:0]
	dropped := 0
	for _, f := range fs {
		if s.Disabled[f.Rule] || s.HostExcluded(f.Host) {
			dropped++
			continue
		}
		if sev, ok := s.Severity[f.Rule]; ok {
			f.Severity = sev
		}
		out = append(out, f)
	}
	return out, dropped
}
