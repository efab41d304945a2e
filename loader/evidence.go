package loader

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/discover"
)

// Release evidence of one host, strongest first: its package list, then a
// release file. (The flag and oscfg.ini come before both, the files'
// options after; decideRelease puts them together.)

// packageLists are where a host copy keeps its package list: a
// sosreport's (sos/report/plugins/rpm.py links installed-rpms to
// `rpm -qa` output, dpkg.py saves `dpkg -l` as sos_commands/dpkg/dpkg_-l
// and links installed-debs to it) and what deploy/ansible's audit writes.
var packageLists = []string{"/installed-rpms", "/sos_commands/dpkg/dpkg_-l", "/installed-debs"}

// releasePackages are the packages whose version says the release, nova's
// before keystone's (every controller and compute has nova), in the names
// Debian, Ubuntu and RHEL/RDO give them.
var releasePackages = []string{
	"nova-common", "python3-nova", "python-nova", "openstack-nova-common",
	"keystone", "python3-keystone", "python-keystone", "openstack-keystone",
}

// PackageRelease maps a nova or keystone package version to its release
// (model.ReleaseForVersion), taking off a Debian epoch ("2:") first.
func PackageRelease(pkg, version string) (model.Release, bool) {
	if _, v, ok := strings.Cut(version, ":"); ok {
		version = v
	}
	project := "nova"
	if strings.Contains(pkg, "keystone") {
		project = "keystone"
	}
	return model.ReleaseForVersion(project, version)
}

// pkgLine is one package of a list.
type pkgLine struct{ name, version string }

// parsePackages reads `dpkg -l` (installed lines start "ii" or "hi") and
// `rpm -qa` output (N-V-R.A, sosreport's followed by the install date).
func parsePackages(data []byte) []pkgLine {
	var out []pkgLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 3 && (f[0] == "ii" || f[0] == "hi"):
			name, _, _ := strings.Cut(f[1], ":") // python3-nova:all
			out = append(out, pkgLine{name, f[2]})
		case len(f) >= 1 && !strings.Contains(f[0], "|") && strings.Count(f[0], "-") >= 2:
			nvra := f[0]
			i := strings.LastIndexByte(nvra, '-') // -RELEASE.ARCH
			j := strings.LastIndexByte(nvra[:i], '-')
			if j <= 0 {
				continue
			}
			out = append(out, pkgLine{nvra[:j], nvra[j+1 : i]})
		}
	}
	return out
}

// fromPackages is the release a package list says, if any.
func fromPackages(data []byte, where string) (model.Release, bool) {
	pkgs := parsePackages(data)
	for _, want := range releasePackages {
		for _, p := range pkgs {
			if p.name != want {
				continue
			}
			if rel, ok := PackageRelease(p.name, p.version); ok {
				rel.Source = "packages"
				rel.Reason = fmt.Sprintf("%s %s in %s", p.name, p.version, where)
				return rel, true
			}
		}
	}
	return model.Release{}, false
}

var (
	// Red Hat OpenStack Platform release 16.2.4 (Train)
	rhospRelease = regexp.MustCompile(`\(([A-Za-z]+)\)`)
	// openstack-ansible's openstack_hosts role: DISTRIB_CODENAME="Ussuri"
	osaRelease = regexp.MustCompile(`(?m)^DISTRIB_CODENAME=["']?([A-Za-z0-9.]+)`)
	// kolla-ansible's globals.yml: openstack_release: "zed"
	kollaRelease = regexp.MustCompile(`(?m)^openstack_release:\s*["']?([A-Za-z0-9.]+)`)
)

// releaseFiles name the release in a distribution's own words.
var releaseFiles = []struct {
	path string
	re   *regexp.Regexp
}{
	{"/etc/rhosp-release", rhospRelease},
	{"/etc/openstack-release", osaRelease},
	{"/etc/kolla/globals.yml", kollaRelease},
}

// fromReleaseFiles is the release the first release file naming one
// says. A release file that is there but cannot be read, or names a
// release oscfg does not know, is passed over with a warning: the run then
// assumes a release, and says which, but must not hide why.
func fromReleaseFiles(fsys hostfs.FS) (model.Release, bool, []string) {
	var warns []string
	for _, rf := range releaseFiles {
		data, _, err := fsys.ReadFile(rf.path, 1<<20)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				warns = append(warns, fmt.Sprintf("%s: not read as release evidence: %v", rf.path, err))
			}
			continue
		}
		m := rf.re.FindSubmatch(data)
		if m == nil {
			continue
		}
		line := 1 + bytes.Count(data[:bytes.Index(data, m[0])], []byte("\n"))
		rel, err := model.ParseRelease(string(m[1]), "release-file")
		if err != nil {
			warns = append(warns, fmt.Sprintf("%s:%d: not used as release evidence: %v; --release states it", rf.path, line, err))
			continue
		}
		rel.Reason = fmt.Sprintf("%q at %s:%d", strings.TrimSpace(string(m[0])), rf.path, line)
		return rel, true, warns
	}
	return model.Release{}, false, warns
}

// queryPackages asks the live host's package manager for the release
// packages' versions: dpkg-query on Debian and Ubuntu, rpm on RHEL. A
// variable so tests can stand in for it.
var queryPackages = func() ([]byte, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := exec.LookPath("dpkg-query"); err == nil {
		args := append([]string{"-W", "-f", "${db:Status-Abbrev} ${Package} ${Version}\n"}, releasePackages...)
		out, _ := exec.CommandContext(ctx, "dpkg-query", args...).Output()
		if len(out) > 0 {
			return out, "dpkg-query -W"
		}
	}
	if _, err := exec.LookPath("rpm"); err == nil {
		args := append([]string{"-q", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n"}, releasePackages...)
		out, _ := exec.CommandContext(ctx, "rpm", args...).Output()
		return out, "rpm -q"
	}
	return nil, ""
}

// hostEvidence is the release one host's package list or release file
// says, read through its root before the loader closes it, and warnings
// about evidence that is there but could not be used.
func hostEvidence(dh *discover.Host) (model.Release, bool, []string) {
	if dh.FS == nil {
		return model.Release{}, false, nil
	}
	if dh.Root == "/" {
		if out, how := queryPackages(); len(out) > 0 {
			if rel, ok := fromPackages(out, how+" on this host"); ok {
				return rel, true, nil
			}
		}
	}
	for _, p := range packageLists {
		data, _, err := dh.FS.ReadFile(p, parsers.MaxFileSize)
		if err != nil {
			continue
		}
		if rel, ok := fromPackages(data, strings.TrimPrefix(p, "/")); ok {
			return rel, true, nil
		}
	}
	return fromReleaseFiles(dh.FS)
}
