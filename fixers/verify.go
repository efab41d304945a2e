package fixers

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/dialect"
)

// The real checkers: before fix --write replaces a file, the tool its
// daemon ships reads the old and the new version. A write is refused only
// when the checker accepts the old file and rejects the new one (or, for
// oslo-config-validator, reports an error the old file did not have), so a
// checker that fails on this machine for reasons of its own (a missing
// certificate, a user that does not exist here) never blocks a fix.

// CheckSet is the files a daemon reads together, in its order, with the
// planned new content of those that change (New nil: unchanged).
type CheckSet struct {
	Host    string
	Kind    string // model.KindHAProxy, KindMyCnf or KindOslo
	Service string // for oslo files: nova or keystone
	// Release is the OpenStack release the files are for: the installed
	// oslo-config-validator knows one release's options (ValidatorRelease).
	Release string
	Files   []CheckFile
}

// ValidatorRelease is the release of the nova and keystone packages whose
// registries oslo-config-validator reads here (Debian 12: Zed, as CI
// installs them); files of another release are not judged by it.
const ValidatorRelease = "zed"

// CheckFile is one file of a CheckSet.
type CheckFile struct {
	HostPath string // as on the host, for messages
	Real     string // on disk: relative paths inside it resolve from its directory
	Old, New []byte
}

// CheckResult says what ran and what it found.
type CheckResult struct {
	Checker string // the command that ran, "" when none did
	Skipped string // why none ran
	Refused string // the checker's complaint about the new version; "" when accepted
}

// OsloNamespaces are the oslo.config namespaces nova and keystone register
// (their oslo-config-generator configs plus the libraries nova loads at run
// time), as oslo-config-validator needs them.
var OsloNamespaces = map[string][]string{
	"nova": {"nova.conf", "oslo.log", "oslo.messaging", "oslo.policy", "oslo.privsep", "oslo.service.periodic_task",
		"oslo.service.service", "oslo.db", "oslo.db.concurrency", "oslo.middleware", "oslo.concurrency",
		"keystonemiddleware.auth_token", "osprofiler", "os_vif", "oslo.cache", "oslo.limit", "oslo.reports",
		"oslo.versionedobjects", "castellan.config"},
	"keystone": {"keystone", "oslo.cache", "oslo.log", "oslo.messaging", "oslo.policy", "oslo.db", "oslo.middleware", "osprofiler"},
}

// lookTool finds a checker on PATH or in the sbin directories Debian puts
// daemons in (not on a normal user's PATH).
func lookTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range []string{"/usr/sbin", "/sbin", "/usr/bin"} {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// Check runs the real checker of a set on its old and new versions.
func Check(ctx context.Context, s CheckSet) (CheckResult, error) {
	changed := false
	for _, f := range s.Files {
		if f.New != nil && !bytes.Equal(f.New, f.Old) {
			changed = true
		}
	}
	if !changed {
		return CheckResult{Skipped: "nothing changes"}, nil
	}
	if d := dialect.For(s.Kind); d != nil {
		if run := checkers[d.Checker()]; run != nil {
			return run(ctx, s)
		}
	}
	return CheckResult{Skipped: "no checker for " + s.Kind + " files"}, nil
}

// checkers run the checks the dialects name (dialect.Dialect.Checker).
var checkers = map[string]func(context.Context, CheckSet) (CheckResult, error){
	"haproxy -c":            checkHAProxy,
	"my_print_defaults":     checkMyCnf,
	"oslo-config-validator": checkOslo,
}

// versions writes the old and the new version of every file of s into two
// temporary directories, keeping each file's base name (haproxy and MariaDB
// name files in their messages) and returns the paths in order.
func versions(s CheckSet) (dir string, old, new []string, err error) {
	dir, err = os.MkdirTemp("", "oscfg-check-")
	if err != nil {
		return "", nil, nil, err
	}
	for i, f := range s.Files {
		base := fmt.Sprintf("%02d-%s", i, filepath.Base(f.HostPath))
		o := filepath.Join(dir, "old", base)
		n := filepath.Join(dir, "new", base)
		content := f.New
		if content == nil {
			content = f.Old
		}
		for _, w := range []struct {
			p string
			b []byte
		}{{o, f.Old}, {n, content}} {
			if err := os.MkdirAll(filepath.Dir(w.p), 0o700); err != nil {
				return dir, nil, nil, err
			}
			if err := os.WriteFile(w.p, w.b, 0o600); err != nil {
				return dir, nil, nil, err
			}
		}
		old, new = append(old, o), append(new, n)
	}
	return dir, old, new, nil
}

// runTool runs a checker from dir (where the set's relative paths resolve)
// and returns its combined output and whether it accepted.
func runTool(ctx context.Context, dir, bin string, args ...string) (string, bool) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err == nil
}

// relabel puts host paths back into a checker's messages.
func relabel(msg string, tmp []string, s CheckSet) string {
	for i, p := range tmp {
		msg = strings.ReplaceAll(msg, p, s.Files[i].HostPath)
	}
	return msg
}

func checkHAProxy(ctx context.Context, s CheckSet) (CheckResult, error) {
	bin := lookTool("haproxy")
	if bin == "" {
		return CheckResult{Skipped: "haproxy not installed"}, nil
	}
	dir, old, new, err := versions(s)
	defer os.RemoveAll(dir)
	if err != nil {
		return CheckResult{}, err
	}
	args := func(files []string) []string {
		a := []string{"-c"}
		for _, f := range files {
			a = append(a, "-f", f)
		}
		return a
	}
	cwd := filepath.Dir(s.Files[0].Real)
	res := CheckResult{Checker: "haproxy -c"}
	if _, ok := runTool(ctx, cwd, bin, args(old)...); !ok {
		res.Skipped = "haproxy -c rejects the file as it is on this machine, so it cannot judge the fix"
		return res, nil
	}
	if out, ok := runTool(ctx, cwd, bin, args(new)...); !ok {
		res.Refused = relabel(out, new, s)
	}
	return res, nil
}

func checkMyCnf(ctx context.Context, s CheckSet) (CheckResult, error) {
	bin := lookTool("my_print_defaults")
	if bin == "" {
		return CheckResult{Skipped: "my_print_defaults not installed"}, nil
	}
	dir, old, new, err := versions(s)
	defer os.RemoveAll(dir)
	if err != nil {
		return CheckResult{}, err
	}
	res := CheckResult{Checker: "my_print_defaults"}
	// Each file on its own: includes name host paths, which a fetched copy
	// does not have; the syntax of the file that changed is what a fix can
	// break.
	for i, f := range s.Files {
		if f.New == nil || bytes.Equal(f.New, f.Old) {
			continue
		}
		cwd := filepath.Dir(f.Real)
		groups := []string{"mysqld", "server", "mariadb", "galera", "client", "mysql"}
		if _, ok := runTool(ctx, cwd, bin, append([]string{"--defaults-file=" + old[i]}, groups...)...); !ok {
			continue
		}
		if out, ok := runTool(ctx, cwd, bin, append([]string{"--defaults-file=" + new[i]}, groups...)...); !ok {
			res.Refused = relabel(out, new, s)
			return res, nil
		}
	}
	return res, nil
}

func checkOslo(ctx context.Context, s CheckSet) (CheckResult, error) {
	ns := OsloNamespaces[s.Service]
	if ns == nil {
		return CheckResult{Skipped: "no oslo-config-validator namespaces known for " + s.Service}, nil
	}
	if s.Release != "" && s.Release != ValidatorRelease {
		return CheckResult{Skipped: fmt.Sprintf("oslo-config-validator here knows %s's options, the files are for %s", ValidatorRelease, s.Release)}, nil
	}
	bin := lookTool("oslo-config-validator")
	if bin == "" {
		return CheckResult{Skipped: "oslo-config-validator not installed"}, nil
	}
	dir, old, new, err := versions(s)
	defer os.RemoveAll(dir)
	if err != nil {
		return CheckResult{}, err
	}
	res := CheckResult{Checker: "oslo-config-validator"}
	for i, f := range s.Files {
		if f.New == nil || bytes.Equal(f.New, f.Old) {
			continue
		}
		run := func(p string) (map[string]bool, bool) {
			args := []string{"--input-file", p}
			for _, n := range ns {
				args = append(args, "--namespace", n)
			}
			out, ok := runTool(ctx, filepath.Dir(f.Real), bin, args...)
			return validatorErrors(out), ok
		}
		before, okOld := run(old[i])
		if !okOld && len(before) == 0 {
			// Failed without naming an option: the validator itself
			// cannot run here (e.g. nova's registry does not import).
			res.Skipped = "oslo-config-validator fails on this machine without judging the file"
			return res, nil
		}
		after, _ := run(new[i])
		var added []string
		for e := range after {
			if !before[e] {
				added = append(added, e)
			}
		}
		if len(added) > 0 {
			sort.Strings(added)
			res.Refused = f.HostPath + ": " + strings.Join(added, "; ")
			return res, nil
		}
	}
	return res, nil
}

// validatorErrors are the option errors of oslo-config-validator's output
// ("ERROR:root:DEFAULT/foo is not part of the sample config"), without the
// logger prefix, so old and new can be compared.
func validatorErrors(out string) map[string]bool {
	errs := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "ERROR:") {
			continue
		}
		parts := strings.SplitN(l, ":", 3)
		if len(parts) == 3 {
			errs[strings.TrimSpace(parts[2])] = true
		}
	}
	return errs
}
