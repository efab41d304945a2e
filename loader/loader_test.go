package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func hostView(t *testing.T, in map[string]any, host string) map[string]any {
	t.Helper()
	h, ok := in["hosts"].(map[string]any)[host].(map[string]any)
	if !ok {
		t.Fatalf("no host %s in input", host)
	}
	return h
}

func option(t *testing.T, in map[string]any, host, file, group, key string) map[string]any {
	t.Helper()
	f := hostView(t, in, host)["files"].(map[string]any)[file].(map[string]any)
	return f["options"].(map[string]any)[group].(map[string]any)[key].(map[string]any)
}

func TestEffectiveOptionsAndAliases(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ctl1/etc/nova/nova.conf": "[DEFAULT]\ndebug = True\n\n[database]\nconnection = mysql+pymysql://nova:SECRETPW@db/nova\nidle_timeout = 500\n\n[neutron]\nhttp_retries = x\n",
	})
	for _, c := range []struct {
		release string
		want    any
		key     string
		set     bool
	}{
		{"wallaby", 500, "idle_timeout", true}, // the alias still works before Xena
		{"zed", 3600, "connection_recycle_time", false},
	} {
		fleet, err := Load([]string{root}, Options{Release: c.release})
		if err != nil {
			t.Fatal(err)
		}
		in := Input(fleet, DefaultSettings)
		o := option(t, in, "ctl1", "/etc/nova/nova.conf", "database", "connection_recycle_time")
		if o["value"] != c.want || o["key"] != c.key || o["set"] != c.set {
			t.Errorf("%s: recycle %v", c.release, o)
		}
		if d := option(t, in, "ctl1", "/etc/nova/nova.conf", "DEFAULT", "debug"); d["value"] != true || d["line"] != 2 {
			t.Errorf("debug %v", d)
		}
		if r := option(t, in, "ctl1", "/etc/nova/nova.conf", "neutron", "http_retries"); r["invalid"] != true || r["raw"] != "x" {
			t.Errorf("invalid int not flagged: %v", r)
		}
		conn := option(t, in, "ctl1", "/etc/nova/nova.conf", "database", "connection")
		if conn["value"] != "mysql+pymysql://nova:****@db/nova" {
			t.Errorf("connection not masked: %v", conn)
		}
		if !strings.Contains(strings.Join(fleet.Secrets, " "), "SECRETPW") {
			t.Errorf("secret not collected: %v", fleet.Secrets)
		}
	}
}

func TestReleaseInference(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a/etc/nova/nova.conf":         "[neutron]\nhttp_retries = 3\n",
		"a/etc/keystone/keystone.conf": "[token]\nprovider = uuid\n",
	})
	fleet, err := Load([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := fleet.Release
	if r.Name != "zed" || r.Source != "default" || !strings.Contains(r.Reason, "provider") {
		t.Errorf("%+v", r)
	}
	root2 := writeTree(t, map[string]string{"a/etc/keystone/keystone.conf": "[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\n", "a/etc/nova/nova.conf": "[database]\nmysql_wsrep_sync_wait = 1\n"})
	fleet, err = Load([]string{root2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fleet.Release.Name != "2023.1" || fleet.Release.Source != "inferred" {
		t.Errorf("%+v", fleet.Release)
	}
	if _, err := Load([]string{root2}, Options{Release: "banana"}); err == nil {
		t.Error("bad release accepted")
	}
}

func TestHostViews(t *testing.T) {
	root := writeTree(t, map[string]string{
		"db1/etc/my.cnf":                      "[client-server]\n!includedir /etc/my.cnf.d\n",
		"db1/etc/my.cnf.d/galera.cnf":         "[mysqld]\nwait_timeout = 600\n[galera]\nwsrep_provider_options = \"gcache.size=2G; pc.recovery=TRUE\"\n",
		"db1/etc/crontab":                     "SHELL=/bin/sh\n42 * * * * root cd / && run-parts --report /etc/cron.hourly\n",
		"db1/etc/cron.hourly/keystone":        "#!/bin/sh\nkeystone-manage token_flush\n",
		"db1/etc/cron.d/x.dpkg-old":           "* * * * * root true\n",
		"db1/etc/haproxy/haproxy.cfg":         "defaults\n    timeout client 1m\n\nlisten galera\n    bind :3306\n    server a 10.0.0.1:3306 check\n",
		"db1/etc/haproxy/services.d/nova.cfg": "listen nova_api\n    bind :8774\n",
	})
	fleet, err := Load([]string{filepath.Join(root, "db1")}, Options{Release: "zed"})
	if err != nil {
		t.Fatal(err)
	}
	in := Input(fleet, DefaultSettings)
	h := hostView(t, in, "db1")
	my := h["mysql"].(map[string]any)
	wt := my["server"].(map[string]any)["wait_timeout"].(map[string]any)
	if wt["value"] != "600" || wt["file"] != "/etc/my.cnf.d/galera.cnf" || wt["line"] != 2 {
		t.Errorf("wait_timeout %v", wt)
	}
	jobs := h["cron"].(map[string]any)["jobs"].([]any)
	if len(jobs) != 2 {
		t.Fatalf("jobs %v", jobs)
	}
	for _, j := range jobs {
		jm := j.(map[string]any)
		if jm["via"] == "/etc/cron.hourly" {
			if jm["file"] != "/etc/cron.hourly/keystone" || jm["schedule"] != "42 * * * *" {
				t.Errorf("run-parts job %v", jm)
			}
		}
	}
	px := h["haproxy"].(map[string]any)["proxies"].(map[string]any)
	nova := px["nova_api"].(map[string]any)
	client := nova["timeouts"].(map[string]any)["client"].(map[string]any)
	if client["file"] != "/etc/haproxy/haproxy.cfg" || client["inherited"] != true {
		t.Errorf("services.d fragment does not inherit haproxy.cfg defaults by host path: %v", client)
	}
	f := fleet.Hosts[0].File("/etc/my.cnf.d/galera.cnf")
	if f == nil || f.Mode != 0o640 || f.Kind != model.KindMyCnf {
		t.Errorf("galera.cnf: %+v", f)
	}
}

func TestAllErrorsReported(t *testing.T) {
	root := writeTree(t, map[string]string{
		"h/etc/nova/nova.conf":         "debug = true\n",
		"h/etc/keystone/keystone.conf": "[DEFAULT]\nnokey\n",
	})
	_, err := Load([]string{root}, Options{})
	es, ok := err.(Errors)
	if !ok || len(es) != 2 || !IsInputError(err) {
		t.Fatalf("want both errors, got %v", err)
	}
	if !strings.Contains(es.Error(), "nova.conf:1") || !strings.Contains(es.Error(), "keystone.conf:2") {
		t.Errorf("%v", es)
	}
}

func TestAPIDatabaseReadsLegacyNames(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ctl1/etc/nova/nova.conf": "[api_database]\nconnection = mysql+pymysql://nova:pw@db/nova_api\nidle_timeout = 540\n",
	})
	fleet, err := Load([]string{root}, Options{Release: "mitaka"})
	if err != nil {
		t.Fatal(err)
	}
	o := option(t, Input(fleet, DefaultSettings), "ctl1", "/etc/nova/nova.conf", "api_database", "connection_recycle_time")
	if o["value"] != 540 || o["key"] != "idle_timeout" {
		t.Errorf("[api_database] idle_timeout not read as the recycle time on mitaka: %v", o)
	}
}
