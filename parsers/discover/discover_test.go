package discover

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

func touch(t *testing.T, root string, rels ...string) {
	t.Helper()
	for _, rel := range rels {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func kinds(h *Host) string {
	var out []string
	for _, f := range h.Files {
		out = append(out, f.HostPath+"="+f.Kind+"/"+f.Service)
	}
	return strings.Join(out, " ")
}

func TestFleetLayouts(t *testing.T) {
	fleet := t.TempDir()
	touch(t, fleet,
		"ctl1/etc/nova/nova.conf", "ctl1/etc/keystone/keystone.conf", "ctl1/etc/haproxy/haproxy.cfg",
		"ctl1/etc/haproxy/services.d/b.cfg", "ctl1/etc/haproxy/services.d/a.cfg", "ctl1/etc/haproxy/services.d/README",
		"ctl1/etc/cron.d/keystone", "ctl1/etc/cron.d/old.dpkg-dist", "ctl1/var/spool/cron/crontabs/keystone",
		"ctl1/etc/cron.hourly/keystone", "ctl1/etc/my.cnf", "ctl1/etc/my.cnf.d/galera.cnf",
		"sosreport-ctl2-0123-2026-01-01-abc/etc/nova/nova.conf",
		"kolla1/etc/kolla/haproxy/haproxy.cfg", "kolla1/etc/kolla/haproxy/services.d/nova.cfg",
		"kolla1/etc/kolla/nova-api/nova.conf", "kolla1/etc/kolla/mariadb/galera.cnf",
		"notahost/readme.txt")
	var skipped []string
	hosts, err := Discover([]string{fleet}, Options{Skipped: func(p, why string) { skipped = append(skipped, p) }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Host{}
	for _, h := range hosts {
		got[h.Name] = h
	}
	if len(hosts) != 3 || got["ctl1"] == nil || got["ctl2"] == nil || got["kolla1"] == nil {
		t.Fatalf("hosts: %v", got)
	}
	want := "/etc/keystone/keystone.conf=oslo/keystone /etc/nova/nova.conf=oslo/nova /etc/haproxy/haproxy.cfg=haproxy/haproxy " +
		"/etc/haproxy/services.d/a.cfg=haproxy/haproxy /etc/haproxy/services.d/b.cfg=haproxy/haproxy " +
		"/etc/cron.d/keystone=crontab/cron /var/spool/cron/crontabs/keystone=crontab/cron /etc/cron.hourly/keystone=crontab/cron"
	if k := kinds(got["ctl1"]); k != want {
		t.Errorf("ctl1:\n got %s\nwant %s", k, want)
	}
	if e := strings.Join(got["ctl1"].MyCnfEntries, " "); e != "/etc/my.cnf /etc/my.cnf.d/galera.cnf" {
		t.Errorf("mycnf entries %q", e)
	}
	if k := kinds(got["kolla1"]); !strings.Contains(k, "/etc/kolla/haproxy/services.d/nova.cfg=haproxy") || !strings.Contains(k, "/etc/kolla/nova-api/nova.conf=oslo/nova") {
		t.Errorf("kolla1: %s", k)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "old.dpkg-dist") {
		t.Errorf("skipped %v", skipped)
	}
}

func TestLooseFilesAndErrors(t *testing.T) {
	dir := t.TempDir()
	touch(t, dir, "rendered/haproxy.cfg", "rendered/thing.txt", "plain/readme")
	hosts, err := Discover([]string{filepath.Join(dir, "rendered/haproxy.cfg")}, Options{HostName: "lb1"})
	if err != nil || len(hosts) != 1 || hosts[0].Name != "lb1" || hosts[0].Files[0].Kind != model.KindHAProxy {
		t.Fatalf("%v %+v", err, hosts)
	}
	if _, err := Discover([]string{filepath.Join(dir, "rendered/thing.txt")}, Options{}); err == nil || !strings.Contains(err.Error(), "--kind") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := Discover([]string{filepath.Join(dir, "plain")}, Options{}); err == nil || !strings.Contains(err.Error(), "neither a host root") {
		t.Errorf("plain dir: %v", err)
	}
	if _, err := Discover([]string{filepath.Join(dir, "missing")}, Options{}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
}

// A fleet member that is a symlink is resolved inside the fleet: one to
// "/" (or anywhere outside) names no host, so the machine oscfg runs on is
// never read as part of a fleet.
func TestFleetMemberLinksStayInFleet(t *testing.T) {
	fleet := t.TempDir()
	touch(t, fleet, "ctl1/etc/nova/nova.conf", "shared/etc/keystone/keystone.conf")
	for name, target := range map[string]string{"live": "/", "escape": "../../../../../..", "alias": "/shared"} {
		if err := os.Symlink(target, filepath.Join(fleet, name)); err != nil {
			t.Fatal(err)
		}
	}
	hosts, err := Discover([]string{fleet}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hosts {
		got = append(got, h.Name+"="+h.Root)
		h.FS.Close()
	}
	want := "alias=" + filepath.Join(fleet, "shared") + " ctl1=" + filepath.Join(fleet, "ctl1") + " shared=" + filepath.Join(fleet, "shared")
	if strings.Join(got, " ") != want {
		t.Errorf("hosts\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

// Backups and temporaries in listed directories are skipped and said so;
// names cron itself ignores too.
func TestBackupsSkipped(t *testing.T) {
	root := filepath.Join(t.TempDir(), "h1")
	touch(t, root, "etc/nova/nova.conf.d/a.conf", "etc/nova/nova.conf.d/a.conf.orig", "etc/nova/nova.conf.d/b.conf~",
		"etc/haproxy/conf.d/x.cfg", "etc/haproxy/conf.d/x.cfg.rpmnew", "etc/haproxy/conf.d/.x.cfg.oscfg-123",
		"var/spool/cron/crontabs/nova", "var/spool/cron/crontabs/nova.SFX", "var/spool/cron/crontabs/#nova",
		"etc/cron.daily/job", "etc/cron.daily/job.dpkg-dist", "etc/my.cnf.d/g.cnf", "etc/my.cnf.d/g.cnf.bak")
	skipped := map[string]string{}
	hosts, err := Discover([]string{root}, Options{BackupSuffixes: []string{".SFX"}, Skipped: func(p, why string) { skipped[p] = why }})
	if err != nil {
		t.Fatal(err)
	}
	defer hosts[0].FS.Close()
	want := "/etc/nova/nova.conf.d/a.conf=oslo/nova /etc/haproxy/conf.d/x.cfg=haproxy/haproxy /var/spool/cron/crontabs/nova=crontab/cron /etc/cron.daily/job=crontab/cron"
	if k := kinds(hosts[0]); k != want {
		t.Errorf("files\n got %s\nwant %s", k, want)
	}
	if e := strings.Join(hosts[0].MyCnfEntries, " "); e != "/etc/my.cnf.d/g.cnf" {
		t.Errorf("mycnf entries %q", e)
	}
	for _, p := range []string{"/etc/nova/nova.conf.d/a.conf.orig", "/etc/nova/nova.conf.d/b.conf~", "/etc/haproxy/conf.d/x.cfg.rpmnew",
		"/etc/haproxy/conf.d/.x.cfg.oscfg-123", "/var/spool/cron/crontabs/nova.SFX", "/var/spool/cron/crontabs/#nova",
		"/etc/cron.daily/job.dpkg-dist", "/etc/my.cnf.d/g.cnf.bak"} {
		if skipped[p] == "" {
			t.Errorf("%s not reported as skipped (%v)", p, skipped)
		}
	}
}

// TripleO: each service's puppet-generated tree is read at its path on the
// host; the host's package default and config-data's copy of the same
// service are superseded (and said).
func TestTripleOLayout(t *testing.T) {
	root := t.TempDir()
	pg := "var/lib/config-data/puppet-generated/"
	touch(t, root, "etc/nova/nova.conf", "etc/my.cnf", "etc/cron.d/sysstat",
		pg+"nova/etc/nova/nova.conf", pg+"nova_libvirt/etc/nova/nova.conf",
		pg+"keystone/etc/keystone/keystone.conf", pg+"keystone/var/spool/cron/keystone",
		pg+"haproxy/etc/haproxy/haproxy.cfg", pg+"mysql/etc/my.cnf", pg+"mysql/etc/my.cnf.d/galera.cnf",
		"var/lib/config-data/nova/etc/nova/nova.conf", "var/lib/config-data/heat/etc/heat/heat.conf")
	skipped := map[string]string{}
	hosts, err := Discover([]string{root}, Options{Skipped: func(p, why string) { skipped[p] = why }})
	if err != nil || len(hosts) != 1 {
		t.Fatal(err, hosts)
	}
	h := hosts[0]
	k := kinds(h)
	for _, want := range []string{
		"/" + pg + "nova/etc/nova/nova.conf=oslo/nova", "/" + pg + "nova_libvirt/etc/nova/nova.conf=oslo/nova",
		"/" + pg + "keystone/etc/keystone/keystone.conf=oslo/keystone", "/" + pg + "haproxy/etc/haproxy/haproxy.cfg=haproxy/haproxy",
		"/" + pg + "keystone/var/spool/cron/keystone=crontab/cron", "/etc/cron.d/sysstat=crontab/cron",
		// Only config-data holds heat: it is the one there is.
		"/var/lib/config-data/heat/etc/heat/heat.conf=oslo/heat",
	} {
		if !strings.Contains(k, want) {
			t.Errorf("lacks %s:\n%s", want, k)
		}
	}
	for _, f := range h.Files {
		if f.HostPath == "/etc/nova/nova.conf" || f.HostPath == "/var/lib/config-data/nova/etc/nova/nova.conf" {
			t.Errorf("superseded %s still read", f.HostPath)
		}
	}
	if !strings.Contains(skipped["/etc/nova/nova.conf"], "superseded by /"+pg+"nova/etc/nova/nova.conf") ||
		!strings.Contains(skipped["/var/lib/config-data/nova/etc/nova/nova.conf"], "puppet-generated") ||
		!strings.Contains(skipped["/etc/my.cnf"], "superseded") {
		t.Errorf("skipped: %v", skipped)
	}
	for _, f := range h.Files {
		if f.HostPath == "/"+pg+"keystone/var/spool/cron/keystone" && f.StandsFor != "/var/spool/cron/keystone" {
			t.Errorf("container crontab stands for %q", f.StandsFor)
		}
	}
	if len(h.MyCnfEntries) != 0 || len(h.MyCnfRoots) != 1 || h.MyCnfRoots[0].Prefix != "/"+pg+"mysql" ||
		strings.Join(h.MyCnfRoots[0].Entries, " ") != "/etc/my.cnf /etc/my.cnf.d/galera.cnf" {
		t.Errorf("mycnf: %v %+v", h.MyCnfEntries, h.MyCnfRoots)
	}
}

// sos_commands/cron/root_crontab stands for root's crontab when the spool
// was not copied, and gives way to the spool's own copy.
func TestSosCommandsCrontab(t *testing.T) {
	root := t.TempDir()
	touch(t, root, "etc/nova/nova.conf", "sos_commands/cron/root_crontab")
	hosts, err := Discover([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var f *FileRef
	for i := range hosts[0].Files {
		if hosts[0].Files[i].HostPath == "/sos_commands/cron/root_crontab" {
			f = &hosts[0].Files[i]
		}
	}
	if f == nil || f.StandsFor != "/var/spool/cron/crontabs/root" || f.Kind != model.KindCrontab || f.Layout != LayoutSos {
		t.Fatalf("%+v", f)
	}
	touch(t, root, "var/spool/cron/root")
	hosts, _ = Discover([]string{root}, Options{})
	if k := kinds(hosts[0]); strings.Contains(k, "root_crontab") || !strings.Contains(k, "/var/spool/cron/root=") {
		t.Errorf("with the spool: %s", k)
	}
}

func TestWanted(t *testing.T) {
	for p, want := range map[string]bool{
		"/etc/nova/nova.conf": true, "/installed-rpms": true, "/sos_commands/dpkg/dpkg_-l": true,
		"/sos_commands/rpm/sh_-c_rpm_--nodigest_-qa": true, "/hostname": true, "/sos_commands/host/hostname": true,
		"/var/lib/config-data/puppet-generated/nova/etc/nova/nova.conf": true,
		"/var/lib/config-data/nova/etc/nova/nova.conf":                  true,
		"/var/lib/lxc/c1/rootfs/etc/keystone/keystone.conf":             true,
		"/var/lib/lxc/c1/config":                                        false,
		"/var/log/messages":                                             false, "/sos_commands/logs/journalctl_--no-pager": false,
		"/proc/cpuinfo": false, "/var/lib/config-data/puppet-generated": false,
	} {
		if got := Wanted(p); got != want {
			t.Errorf("%s: %v", p, got)
		}
	}
}

// A fleet may be a directory of archives; the host is named after the
// sosreport (or the archive), and a broken archive is that host's error.
func TestFleetOfArchives(t *testing.T) {
	fleet := t.TempDir()
	if err := os.WriteFile(filepath.Join(fleet, "sosreport-ctl1-1234-2024-01-01-abc.tar"), tarOf(t, "sosreport-ctl1-1234-2024-01-01-abc/etc/nova/nova.conf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fleet, "db1.tar"), tarOf(t, "./etc/my.cnf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fleet, "broken.tar.gz"), []byte("not gzip at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	hosts, err := Discover([]string{fleet}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Host{}
	for _, h := range hosts {
		got[h.Name] = h
	}
	if got["ctl1"] == nil || !got["ctl1"].Archive || kinds(got["ctl1"]) != "/etc/nova/nova.conf=oslo/nova" {
		t.Errorf("ctl1: %+v", got["ctl1"])
	}
	if got["db1"] == nil || strings.Join(got["db1"].MyCnfEntries, " ") != "/etc/my.cnf" {
		t.Errorf("db1: %+v", got["db1"])
	}
	if b := got["broken"]; b == nil || len(b.Errs) != 1 || !strings.Contains(b.Errs[0].Error(), "not a tar archive") {
		t.Errorf("broken: %+v", b)
	}
}

func tarOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: 2, Typeflag: tar.TypeReg})
		tw.Write([]byte("x\n"))
	}
	tw.Close()
	return buf.Bytes()
}
