package main

import (
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/report"
)

// TestReportCommand: html by default, exit 0 with findings, 2 on bad
// input, lint's flags and --output.
func TestReportCommand(t *testing.T) {
	fleet := "../../testdata/scenarios/api-timeouts-keepalive/fleet"
	out, errOut, code := runCLI("report", fleet)
	if code != exitClean || !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Fatalf("exit %d, want 0 and an HTML page; stderr: %s\n%.200s", code, errOut, out)
	}
	if out, _, code := runCLI("report", "--format", "junit", fleet); code != exitClean || !strings.Contains(out, "<testsuites") {
		t.Errorf("--format junit: exit %d\n%.200s", code, out)
	}
	if _, errOut, code := runCLI("report", filepath.Join(t.TempDir(), "missing")); code != exitError {
		t.Errorf("missing path: exit %d, want 2 (%s)", code, errOut)
	}
	if _, _, code := runCLI("report", "--format", "nope", fleet); code != exitError {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
	file := filepath.Join(t.TempDir(), "audit.html")
	out, errOut, code = runCLI("report", "-o", file, fleet)
	if code != exitClean || out != "" {
		t.Fatalf("-o: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), "oscfg audit report") {
		t.Errorf("-o wrote %d bytes: %v", len(b), err)
	}
	_, errOut, code = runCLI("report", "--help")
	if code != exitClean || !strings.Contains(errOut, "--output") || !strings.Contains(errOut, `(default "html")`) {
		t.Errorf("--help: exit %d\n%s", code, errOut)
	}
}

// reportSecretFleet is two controllers and a DB node whose files hold a
// distinct secret in every place oscfg knows one can be, each next to a
// setting that draws a finding, so evidence lines and patch contexts
// include them.
var reportSecretFleet = map[string]string{
	"ctl1/etc/nova/nova.conf": `[DEFAULT]
transport_url = rabbit://nova:RabbitSecret-7f3a@ctl1:5672,nova:RabbitSecret-b2b2@ctl2:5672/
block_device_allocate_retries = 10

[api_database]
connection = mysql+pymysql://nova:NovaApiDbSecret-19c2@db1/nova_api
connection_recycle_time = 3600

[database]
connection = mysql+pymysql://nova:NovaDbSecret-8d1e@db1/nova
connection_recycle_time = 3600
[keystone_authtoken]
password = Qz9
memcache_secret_key = MemcacheSecret-55aa

[neutron]
password = NeutronSecret-4b77
http_retries = 0
metadata_proxy_shared_secret = MetadataSecret-c0c0
`,
	"ctl1/etc/keystone/keystone.conf": `[DEFAULT]
log_dir = /var/log/keystone
admin_token = AdminTokenSecret-0c4d
[database]
connection = mysql+pymysql://keystone:KeystoneDbSecret-6e21@db1/keystone
connection_recycle_time = 3600

[token]
provider = uuid
`,
	"ctl1/etc/haproxy/haproxy.cfg": `global
    log /dev/log local0

userlist admins
    user admin insecure-password UserlistSecret-aa01

defaults
    mode http
    timeout connect 10s
    timeout client 20s
    timeout server 20s

listen stats
    bind 192.168.1.10:1984
    stats enable
    stats auth admin:HaproxyStatsSecret-3f90
    stats uri /

listen neutron_server
    bind 192.168.1.10:9696
    balance source
    server ctl1 192.168.1.11:9696 check
    server ctl2 192.168.1.12:9696 check

listen galera
    bind 192.168.1.10:3306
    mode tcp
    server db1 192.168.1.21:3306 check
`,
	"ctl1/var/spool/cron/crontabs/keystone": `# m h dom mon dow command
30 1 * * * mysql -ukeystone -pCronSecret-9e9e keystone -e 'select 1'; /usr/bin/keystone-manage token_flush
`,
	"ctl2/etc/keystone/keystone.conf": `[DEFAULT]
admin_token = AdminTokenSecret2-1d1d

[database]
connection = mysql+pymysql://keystone:KeystoneDbSecret2-7f7f@db1/keystone
connection_recycle_time = 3600

[token]
provider = uuid
`,
	"ctl2/var/spool/cron/crontabs/keystone": `30 1 * * * /usr/bin/keystone-manage token_flush --password=CronSecret2-8a8a
`,
	"db1/etc/my.cnf": `[client]
password = ClientDbSecret-7788

[mysqld]
wait_timeout = 600
wsrep_sst_auth = sst:SstSecret-2d2d
max_connections = 100
`,
}

var reportSecrets = []string{
	"RabbitSecret-7f3a", "RabbitSecret-b2b2", "NovaApiDbSecret-19c2", "NovaDbSecret-8d1e", "Qz9",
	"MemcacheSecret-55aa", "NeutronSecret-4b77", "MetadataSecret-c0c0", "AdminTokenSecret-0c4d",
	"KeystoneDbSecret-6e21", "UserlistSecret-aa01", "HaproxyStatsSecret-3f90", "CronSecret-9e9e",
	"AdminTokenSecret2-1d1d", "KeystoneDbSecret2-7f7f", "CronSecret2-8a8a", "ClientDbSecret-7788",
	"SstSecret-2d2d",
}

// TestNoSecretInAnyFormat renders the secret fleet in every registered
// format (and the report command's default) and looks for every secret,
// also after HTML unescaping.
func TestNoSecretInAnyFormat(t *testing.T) {
	dir := t.TempDir()
	for p, content := range reportSecretFleet {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	runs := map[string][]string{"report": {"report", "--release", "queens", dir}}
	for _, f := range report.Formats() {
		runs[f] = []string{"lint", "--release", "queens", "--fail-on", "info", "--format", f, dir}
	}
	for name, args := range runs {
		out, errOut, code := runCLI(args...)
		if code == exitError {
			t.Fatalf("%s: exit 2: %s", name, errOut)
		}
		for _, s := range reportSecrets {
			if strings.Contains(out, s) || strings.Contains(html.UnescapeString(out), s) || strings.Contains(errOut, s) {
				t.Errorf("%s: secret %q in the output", name, s)
			}
		}
	}
	// The test means something only if the findings sit next to the
	// secrets: the HTML evidence shows their lines, masked.
	out, _, _ := runCLI("report", "--release", "queens", dir)
	page := html.UnescapeString(out)
	for _, want := range []string{"password = ****", "connection = mysql+pymysql://nova:****@db1/nova", "wsrep_sst_auth = ****", "admin_token = ****"} {
		if !strings.Contains(page, "</span>"+want) {
			t.Errorf("no masked evidence line %q in the HTML report", want)
		}
	}
}

// --max-bytes caps the markdown report (default below GitHub's 65,536),
// on lint, report and report --from alike.
func TestMarkdownMaxBytesFlag(t *testing.T) {
	fleet := "../../testdata/demo-fleet"
	full, errOut, code := runCLI("report", "--format", "markdown", "--max-bytes", "0", fleet)
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	cap := len(full) / 2
	for _, args := range [][]string{
		{"report", "--format", "markdown", "--max-bytes", strconv.Itoa(cap), fleet},
		{"lint", "--format", "markdown", "--max-bytes", strconv.Itoa(cap), fleet},
	} {
		out, errOut, _ := runCLI(args...)
		if len(out) > cap || len(out) == 0 || !strings.Contains(out, " left out** to keep this under "+strconv.Itoa(cap)+" bytes") {
			t.Errorf("%v: %d bytes (cap %d)\n%s%s", args, len(out), cap, out, errOut)
		}
	}
	if def, _, _ := runCLI("report", "--format", "markdown", fleet); def != full {
		t.Error("the demo fleet's report, under the default cap, was cut")
	}
	if _, errOut, code := runCLI("lint", "--format", "markdown", "--max-bytes", "-1", fleet); code != exitError || !strings.Contains(errOut, "--max-bytes") {
		t.Errorf("--max-bytes -1: exit %d, %s", code, errOut)
	}
	dir := t.TempDir()
	js, _, _ := runCLI("lint", "--format", "json", fleet)
	p := dir + "/r.json"
	if err := os.WriteFile(p, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, _ := runCLI("report", "--from", "--format", "markdown", "--max-bytes", "2500", p); len(out) > 2500 || !strings.Contains(out, "left out") {
		t.Errorf("--from: %d bytes\n%s", len(out), errOut)
	}
}
