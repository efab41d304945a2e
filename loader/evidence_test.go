package loader

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/parsers/discover"
)

func TestPackageLists(t *testing.T) {
	rpms := "kernel-4.18.0-305.el8.x86_64                                 Mon 01 Feb 2021\n" +
		"openstack-keystone-17.0.1-1.el8ost.noarch                   Tue 12 Jan 2021\n" +
		"openstack-nova-common-21.2.4-1.el8ost.noarch                Tue 12 Jan 2021\n"
	rel, ok := fromPackages([]byte(rpms), "installed-rpms")
	if !ok || rel.Name != "ussuri" || rel.Source != "packages" || rel.Reason != "openstack-nova-common 21.2.4 in installed-rpms" {
		t.Errorf("rpm: %+v %v", rel, ok)
	}
	// Only keystone: its major is four less than nova's.
	if rel, ok := fromPackages([]byte("openstack-keystone-17.0.1-1.el8ost.noarch\n"), "x"); !ok || rel.Name != "ussuri" {
		t.Errorf("keystone only: %+v", rel)
	}
	dpkg := "||/ Name           Version            Architecture Description\n" +
		"+++-==============-==================-============-=========\n" +
		"rc  nova-common    2:17.0.13-0ubuntu1 all          left config\n" +
		"ii  python3-nova:all 2:21.2.4-0ubuntu2 all         Python 3 libraries\n"
	if rel, ok := fromPackages([]byte(dpkg), "sos_commands/dpkg/dpkg_-l"); !ok || rel.Name != "ussuri" || !strings.Contains(rel.Reason, "python3-nova 2:21.2.4-0ubuntu2") {
		t.Errorf("dpkg: %+v %v", rel, ok)
	}
	// What deploy/ansible's audit stores from `rpm -qa` (no dates), and
	// nothing of OpenStack at all.
	if rel, ok := fromPackages([]byte("python3-nova-26.2.2-1.el9.noarch\nbash-5.1-6.el9.x86_64\n"), "installed-rpms"); !ok || rel.Name != "zed" {
		t.Errorf("rpm -qa: %+v", rel)
	}
	if _, ok := fromPackages([]byte("bash-5.1-6.el9.x86_64\n"), "installed-rpms"); ok {
		t.Error("a release from no OpenStack package")
	}
}

func TestReleaseFilesAndLiveHost(t *testing.T) {
	for files, want := range map[string]string{
		"etc/rhosp-release":      "Red Hat OpenStack Platform release 16.2.4 (Train)\n",
		"etc/openstack-release":  "# OpenStack-Ansible Managed\n\nDISTRIB_ID=\"OSA\"\nDISTRIB_RELEASE=\"21.2.10\"\nDISTRIB_CODENAME=\"Ussuri\"\n",
		"etc/kolla/globals.yml":  "---\n#openstack_release: \"master\"\nopenstack_release: \"2023.1\"\n",
		"etc/kolla/globals.yml ": "openstack_release: antelope\n",
	} {
		root := writeTree(t, map[string]string{"h/" + strings.TrimSpace(files): want, "h/etc/nova/nova.conf": "[DEFAULT]\n"})
		fleet, err := Load([]string{root}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := fleet.Hosts[0].Release
		wantName := map[string]string{"etc/rhosp-release": "train", "etc/openstack-release": "ussuri", "etc/kolla/globals.yml": "2023.1", "etc/kolla/globals.yml ": "2023.1"}[files]
		if r.Name != wantName || r.Source != "release-file" || !strings.Contains(r.Reason, "/"+strings.TrimSpace(files)+":") {
			t.Errorf("%s: %+v", files, r)
		}
	}
	// The live host asks its package manager.
	defer func(q func() ([]byte, string)) { queryPackages = q }(queryPackages)
	queryPackages = func() ([]byte, string) { return []byte("ii  python3-nova 2:26.2.2-1~deb12u5\n"), "dpkg-query -W" }
	rel, ok, _ := hostEvidence(liveHostForTest(t))
	if !ok || rel.Name != "zed" || rel.Reason != "python3-nova 2:26.2.2-1~deb12u5 in dpkg-query -W on this host" {
		t.Errorf("live: %+v %v", rel, ok)
	}
}

// Juno-era files: options removed in Rocky and Xena bound the release
// from above; the newest release before both is taken, and why is said.
func TestReleaseFromRemovedOptions(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ctl1/etc/nova/nova.conf":         "[database]\nidle_timeout = 3000\n",
		"ctl1/etc/keystone/keystone.conf": "[token]\ndriver = sql\n",
	})
	fleet, err := Load([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := fleet.Release
	if r.Name != "queens" || r.Source != "inferred" || !strings.HasPrefix(r.Reason, "before rocky: [token] driver at ctl1:/etc/keystone/keystone.conf:2 (gone in rocky)") {
		t.Errorf("%+v", r)
	}
	// Only idle_timeout: before Xena, so Wallaby.
	root = writeTree(t, map[string]string{"ctl1/etc/nova/nova.conf": "[database]\nidle_timeout = 3000\n"})
	if fleet, err = Load([]string{root}, Options{}); err != nil || fleet.Release.Name != "wallaby" {
		t.Errorf("%+v %v", fleet.Release, err)
	}
}

// Hosts without evidence of their own take what the others' evidence
// agrees on; hosts that disagree keep their own, the fleet the oldest.
func TestReleasePerHost(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ctl1/etc/nova/nova.conf": "[DEFAULT]\n", "ctl1/installed-rpms": "openstack-nova-common-21.2.4-1.el8ost.noarch\n",
		"db1/etc/my.cnf": "[mysqld]\n",
	})
	fleet, err := Load([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db1 := fleet.Host("db1").Release
	if db1.Name != "ussuri" || db1.Source != "inferred" || !strings.Contains(db1.Reason, "ctl1's packages") {
		t.Errorf("db1: %+v", db1)
	}
	if fleet.Release.Source != "packages" || fleet.Release.Name != "ussuri" {
		t.Errorf("fleet: %+v", fleet.Release)
	}
	root = writeTree(t, map[string]string{
		"ctl1/etc/nova/nova.conf": "[DEFAULT]\n", "ctl1/installed-rpms": "openstack-nova-common-21.2.4-1.el8ost.noarch\n",
		"ctl2/etc/nova/nova.conf": "[DEFAULT]\n", "ctl2/installed-rpms": "openstack-nova-common-22.0.0-1.el8ost.noarch\n",
	})
	if fleet, err = Load([]string{root}, Options{}); err != nil {
		t.Fatal(err)
	}
	if fleet.Release.Name != "ussuri" || fleet.Release.Source != "hosts" || fleet.Host("ctl2").Release.Name != "victoria" {
		t.Errorf("mixed: %+v / %+v", fleet.Release, fleet.Host("ctl2").Release)
	}
	if s := strings.Join(ReleaseSummary(fleet), "; "); !strings.Contains(s, "ussuri for ctl1 (packages") || !strings.Contains(s, "victoria for ctl2 (packages") {
		t.Errorf("summary: %s", s)
	}
	// --release is every host's.
	if fleet, err = Load([]string{root}, Options{Release: "zed"}); err != nil || fleet.Host("ctl1").Release.Name != "zed" || fleet.Release.Source != "flag" {
		t.Errorf("flag: %+v %v", fleet.Release, err)
	}
}

// liveHostForTest is a discovered host whose Root is "/" but whose files
// are an empty tree (the query is what is tested).
func liveHostForTest(t *testing.T) *discover.Host {
	r, err := hostfs.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return &discover.Host{Name: "live", Root: "/", FS: r}
}

// TestReleaseEvidenceNotUsedWarns: a release file that is there but names
// no release oscfg knows, or is too large to read, is passed over with a
// warning naming it (the release is then assumed, and the report says
// why); absent release files warn nothing.
func TestReleaseEvidenceNotUsedWarns(t *testing.T) {
	big := "# padding\n" + strings.Repeat("#\n", 1<<20) + "openstack_release: \"zed\"\n"
	for name, c := range map[string]struct{ file, text, want string }{
		"unknown release": {"etc/kolla/globals.yml", "---\nopenstack_release: \"master\"\n", `ctl1: /etc/kolla/globals.yml:2: not used as release evidence: unknown OpenStack release "master"`},
		"too large":       {"etc/kolla/globals.yml", big, "ctl1: /etc/kolla/globals.yml: not read as release evidence: "},
		"absent":          {"etc/hostname", "ctl1\n", ""},
	} {
		t.Run(name, func(t *testing.T) {
			root := writeTree(t, map[string]string{"ctl1/" + c.file: c.text, "ctl1/etc/nova/nova.conf": "[DEFAULT]\n"})
			fleet, err := Load([]string{root}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(fleet.Warnings, "\n")
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("warnings %q, want %q", got, c.want)
			}
			if fleet.Hosts[0].Release.Source == "release-file" {
				t.Errorf("release from an unusable file: %+v", fleet.Hosts[0].Release)
			}
		})
	}
}
