package discover

import (
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
