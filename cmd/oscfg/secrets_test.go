package main

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/report"
)

// The secrets matrix: a fleet built at test time plants secrets in every
// syntactic position README's "Secrets" section lists, in all five kinds
// of file, beside text that looks like a secret but is not. Every output
// oscfg has is run through the real CLI and must show none of the secrets
// and all of the look-alikes.

// planted is one secret and where it sits.
type planted struct {
	value, where string
	// token: the secret is an ordinary word that occurs inside longer
	// words of the fleet (keystone_admin_cluster), so only a whole-token
	// occurrence is a leak.
	token bool
}

var secretsMatrix = []planted{
	// nova.conf (ctl1)
	{value: "Rab@bit:Pw-01", where: "oslo transport_url, password with '@' and ':' (last '@' of the authority)"},
	{value: "Rabbit Pw-02", where: "oslo transport_url, second host of the list, password with a space"},
	{value: "NovaApi@Db-03", where: "oslo [api_database] connection, '@' in the password"},
	{value: "Nova Db:Pw-04", where: "oslo [database] connection, space and ':' in the password, query string"},
	{value: "KsAuth-Quoted-05", where: "oslo password in double quotes"},
	{value: "MemKey-06", where: "oslo memcache_secret_key"},
	{value: "Neutron-Cont-07a", where: "oslo password, first line of a continued value"},
	{value: "Neutron-Cont-07b", where: "oslo password, indented continuation line"},
	{value: "Meta-08", where: "oslo metadata_proxy_shared_secret"},
	{value: "Placement#Hash-09", where: "oslo password with '#' (no inline comments in oslo)"},
	{value: "Service Single-10", where: "oslo password in single quotes with a space"},
	// keystone.conf (ctl1)
	{value: "AdminTok-11", where: "keystone [DEFAULT] admin_token (a finding names the option)"},
	{value: "Ks@Db@Pw-12", where: "keystone connection, two '@' in the password"},
	{value: "Ldap-13", where: "keystone [ldap] password"},
	// haproxy.cfg (ctl1)
	{value: "$6$Salted$Hash-14", where: "haproxy userlist password (crypt hash)"},
	{value: "Insecure-15", where: "haproxy userlist insecure-password"},
	{value: "Single Ulist-56", where: "haproxy userlist insecure-password, single-quoted with a space"},
	{value: `Quoted"Stats-16`, where: `haproxy stats auth, double-quoted with \" (decoded)`},
	{value: `Quoted\"Stats-16`, where: `haproxy stats auth, double-quoted with \" (as written)`},
	{value: "Esc Stats-17", where: `haproxy stats auth, "\ " escape (decoded)`},
	{value: `Esc\ Stats-17`, where: `haproxy stats auth, "\ " escape (as written)`},
	{value: "Single Stats-18", where: "haproxy stats auth, single-quoted"},
	{value: "QmFzaWNIY2hrLTE5", where: `haproxy option httpchk request line, Authorization:\ Basic\ XXXX`},
	{value: "SetHdrTok-20", where: "haproxy http-request set-header Authorization \"Bearer X\""},
	{value: "SendHdr-21", where: "haproxy http-check send hdr Authorization \"Basic X\""},
	{value: "AddHdr-22", where: `haproxy http-request add-header Authorization Basic\ X`},
	{value: "admin", where: "haproxy stats auth password that is a common word", token: true},
	// my.cnf (db1)
	{value: `Client"Quoted-23`, where: `my.cnf [client] password = "a\"b" (decoded)`},
	{value: `Client\"Quoted-23`, where: `my.cnf [client] password = "a\"b" (as written)`},
	{value: "Dump Single-24", where: "my.cnf [mysqldump] password in single quotes"},
	{value: "sst:Sst-Pw-25", where: "my.cnf wsrep_sst_auth"},
	{value: "ProvKey-26", where: "my.cnf wsrep_provider_options socket.ssl_key_password"},
	{value: "Backup Esc-27", where: `my.cnf [mariabackup] password with \s escape (decoded)`},
	{value: `Backup\sEsc-27`, where: `my.cnf [mariabackup] password with \s escape (as written)`},
	{value: "Commented-28", where: "my.cnf password followed by a # comment"},
	// crontab /etc/cron.d/openstack (ctl1)
	{value: "EnvLine-29", where: "crontab environment line OS_PASSWORD=X"},
	{value: "EnvQuoted-30", where: "crontab environment line MYSQL_PWD=\"X\""},
	{value: "OsSep-31", where: "cron command openstack --os-password X"},
	{value: "OsEq-32", where: "cron command openstack --os-password=X"},
	{value: "BootPw-33", where: "cron command keystone-manage bootstrap --bootstrap-password X"},
	{value: "MariaB-34", where: "cron command mariabackup -pX"},
	{value: "MysqlP-35", where: "cron command mysql -pX"},
	{value: "DumpEq-36", where: "cron command mysqldump --password=X"},
	{value: "EnvCmd-37", where: "cron command MYSQL_PWD=X mysqldump"},
	{value: "CurlU-38", where: "cron command curl -u user:X"},
	{value: "SshP-39", where: "cron command sshpass -p X"},
	{value: "Quoted P-40", where: "cron command mysql -p'X'"},
	{value: "UrlCron-41", where: "cron command URL userinfo"},
	{value: "ExportPw-42", where: "cron command export OS_PASSWORD=\"X\"; ..."},
	// ctl2
	{value: "TfPw-43", where: "user crontab token_flush --password=X (a fix comments the line out)"},
	{value: "Notif Space@Pw-44", where: "oslo notifications transport_url, space and '@'"},
	{value: "Colon-Sep-45", where: "oslo password with ':' as the separator"},
	{value: "FixedKey-46", where: "oslo [key_manager] fixed_key"},
	{value: "Ldap2 Quoted-47", where: "keystone [ldap] password, double-quoted with a space"},
	{value: "AdminTok2-48", where: "keystone admin_token, single-quoted"},
	{value: "Plain-50", where: "haproxy stats auth in defaults"},
	{value: "Sst Q-51", where: "my.cnf [galera] wsrep_sst_auth, double-quoted with a space (galera.cnf)"},
	{value: "RabbitEnv-52", where: "crontab environment line RABBIT_PASS=X"},
	{value: "NoEq-55", where: "oslo 'connection mysql+pymysql://...' split at the first ':': the value is a network-path reference //user:X@host"},
	{value: "CurlUser-53", where: "cron command curl --user=user:X"},
	{value: "SshAtt-54", where: "cron command sshpass -pX"},
	// ctl3: found by the review of the merged work
	{value: "SuffixPass-65", where: "oslo option ending in _pass (rabbit_pass)"},
	{value: "HeatEnc-66", where: "oslo option nova does not know, ending in _encryption_key (heat's auth_encryption_key)"},
	{value: "EnvSet-68", where: "haproxy global setenv DB_PASS X"},
	{value: "PreEnv-69", where: "haproxy global presetenv API_TOKEN X"},
	{value: "XAuth-70", where: "haproxy http-check send hdr X-Auth-Token X"},
	{value: "NoEqMy-71", where: "my.cnf 'password X' without '=' (one option name with a blank)"},
	{value: "Redis-72", where: "cron command redis-cli -a X"},
	{value: "CurlHdr-73", where: `cron command curl -H "Authorization: Bearer X"`},
}

// lookAlikes must survive verbatim in `oscfg model` (JSON-escaped there)
// and wherever else they are printed.
var lookAlikes = []string{
	"keystone_admin_cluster", // a stats password "admin" must not eat it
	"admin_api_backend",
	"inject_password",
	`"false"`, // [libvirt] inject_password = false is a boolean
	"password_hash_algorithm",
	"bcrypt",
	"password_regex",
	"rabbit://guest@ctl2:5672/", // userinfo without a password
	"http://ctl1:5000/v3",
	"monitor:****", // the stats user stays
	"Bearer ****", "Basic ****",
	"auth_type",
	"/var/lib/mysql",
	"mkdir -p /var/backups",
	"$MYSQL_PW",
}

var secretsFleet = map[string]string{
	"ctl1/etc/nova/nova.conf": `[DEFAULT]
transport_url = rabbit://nova:Rab@bit:Pw-01@ctl1:5672,nova:Rabbit Pw-02@ctl2:5672/
debug = true
my_ip = 10.0.0.11

[api_database]
connection = mysql+pymysql://nova:NovaApi@Db-03@db1/nova_api

[database]
connection = mysql+pymysql://nova:Nova Db:Pw-04@db1/nova?charset=utf8

[keystone_authtoken]
www_authenticate_uri = http://ctl1:5000/v3
auth_type = password
password = "KsAuth-Quoted-05"
memcache_secret_key = MemKey-06

[libvirt]
inject_password = false

[neutron]
auth_type = password
password = Neutron-Cont-07a
    Neutron-Cont-07b
metadata_proxy_shared_secret = Meta-08

[placement]
password = Placement#Hash-09

[service_user]
password = 'Service Single-10'
`,
	"ctl1/etc/keystone/keystone.conf": `[DEFAULT]
admin_token = AdminTok-11
debug = true

[database]
connection = mysql+pymysql://keystone:Ks@Db@Pw-12@db1/keystone

[identity]
password_hash_algorithm = bcrypt

[security_compliance]
password_regex = ^.{8,}$

[ldap]
password = Ldap-13
`,
	"ctl1/etc/haproxy/haproxy.cfg": `global
    log /dev/log local0

defaults
    mode http
    timeout connect 5s
    timeout client 1m
    timeout server 1m

userlist ops
    user ops password $6$Salted$Hash-14
    user ro insecure-password Insecure-15
    user ro2 insecure-password 'Single Ulist-56'

listen stats
    bind 10.0.0.11:1993
    stats enable
    stats auth ops:"Quoted\"Stats-16"
    stats auth esc:Esc\ Stats-17
    stats auth ro:'Single Stats-18'
    stats auth monitor:admin

backend nova_api
    balance source
    option httpchk GET /healthcheck HTTP/1.1\r\nHost:\ ctl1\r\nAuthorization:\ Basic\ QmFzaWNIY2hrLTE5
    http-request set-header Authorization "Bearer SetHdrTok-20"
    http-check send meth GET uri / hdr Authorization "Basic SendHdr-21"
    server ctl1 10.0.0.11:8774 check

backend keystone_admin_cluster
    balance source
    http-request add-header Authorization Basic\ AddHdr-22
    server ctl1 10.0.0.11:35357 check

backend admin_api_backend
    balance source
    server ctl1 10.0.0.11:9292 check
`,
	"ctl1/etc/cron.d/openstack": `MAILTO=root
OS_PASSWORD=EnvLine-29
MYSQL_PWD="EnvQuoted-30"
RABBIT_PASS=RabbitEnv-52
0 * * * * keystone /usr/bin/keystone-manage token_flush
5 * * * * root openstack --os-password OsSep-31 server list
6 * * * * root openstack --os-password=OsEq-32 token issue
7 * * * * root keystone-manage bootstrap --bootstrap-password BootPw-33 --bootstrap-admin-url http://ctl1:5000/v3
8 * * * * root mkdir -p /var/backups && mariabackup --backup -uroot -pMariaB-34 --target-dir=/var/backups
9 * * * * root mysql -pMysqlP-35 -e 'select 1'
10 * * * * root mysqldump --password=DumpEq-36 nova > /tmp/nova.sql
11 * * * * root MYSQL_PWD=EnvCmd-37 mysqldump nova > /tmp/nova.sql
12 * * * * root curl -u ops:CurlU-38 http://ctl1:1993/stats
13 * * * * root sshpass -p SshP-39 ssh db1 true
14 * * * * root mysql -p'Quoted P-40' nova
15 * * * * root curl -s http://ops:UrlCron-41@ctl1:1993/
16 * * * * root export OS_PASSWORD="ExportPw-42"; openstack server list
17 * * * * root curl --user=ops:CurlUser-53 http://ctl1:1993/
18 * * * * root sshpass -pSshAtt-54 ssh db1 true
19 * * * * root MYSQL_PWD=$MYSQL_PW mysql -e 'select 1'
`,
	"ctl2/etc/nova/nova.conf": `[DEFAULT]
transport_url = rabbit://guest@ctl2:5672/
debug = true

[oslo_messaging_notifications]
transport_url = rabbit://nova:Notif Space@Pw-44@ctl1:5672/

[keystone_authtoken]
password: Colon-Sep-45

[key_manager]
fixed_key = FixedKey-46

[database]
connection mysql+pymysql://nova:NoEq-55@db1/nova
`,
	"ctl2/etc/keystone/keystone.conf": `[DEFAULT]
admin_token = 'AdminTok2-48'

[ldap]
password = "Ldap2 Quoted-47"
`,
	"ctl2/etc/haproxy/haproxy.cfg": `global
    log /dev/log local0

defaults
    mode http
    timeout client 1m
    timeout server 1m
    stats auth ops:Plain-50

backend nova_api
    balance source
    server ctl2 10.0.0.12:8774 check
`,
	"ctl2/var/spool/cron/crontabs/keystone": `0 * * * * /usr/bin/keystone-manage token_flush --password=TfPw-43
`,
	"db1/etc/my.cnf": `[client]
password = "Client\"Quoted-23"

[mysqldump]
password = 'Dump Single-24'

[mariabackup]
password = Backup\sEsc-27
user = backup

[mysql]
password = Commented-28 # the backup user's

[mysqld]
datadir = /var/lib/mysql
wait_timeout = 600
wsrep_sst_auth = sst:Sst-Pw-25
wsrep_provider_options = "gcache.size=128M; socket.ssl_key_password=ProvKey-26"

!includedir /etc/my.cnf.d
`,
	"ctl3/etc/nova/nova.conf": `[DEFAULT]
rabbit_pass = SuffixPass-65

[barbican]
auth_encryption_key = HeatEnc-66
`,
	"ctl3/etc/haproxy/haproxy.cfg": `global
    setenv DB_PASS EnvSet-68
    presetenv API_TOKEN PreEnv-69

defaults
    mode http
    timeout client 1m
    timeout server 1m

backend keystone_api
    option httpchk
    http-check send meth GET uri /v3 hdr X-Auth-Token XAuth-70
    server ctl3 10.0.0.13:5000 check
`,
	"ctl3/etc/cron.d/ops": `20 * * * * root redis-cli -a Redis-72 ping
21 * * * * root curl -H "Authorization: Bearer CurlHdr-73" http://ctl3:5000/v3
`,
	"ctl3/etc/my.cnf": `[mysqld]
datadir = /var/lib/mysql

[client]
password NoEqMy-71
`,
	"db1/etc/my.cnf.d/galera.cnf": `[galera]
wsrep_on = ON
wsrep_sst_auth = "sst:Sst Q-51"
`,
}

// brokenFiles are files oscfg must refuse (exit 2) with a message that
// names file and line but not the secret on that line.
var brokenFiles = []struct {
	path, content, secret string
}{
	{"h/etc/keystone/keystone.conf", "[keystone_authtoken]\npassword ErrPw-60\n", "ErrPw-60"},
	{"h/etc/nova/nova.conf", "password = ErrPw-61\n[DEFAULT]\n", "ErrPw-61"},
	{"h/etc/haproxy/haproxy.cfg", "listen x\n    stats auth ops:\"ErrHap-62\n", "ErrHap-62"},
	{"h/etc/cron.d/backup", "* * * * * MYSQL_PWD=ErrCron-63 mysqldump nova\n", "ErrCron-63"},
	{"h/etc/nova/nova.conf", "[DEFAULT]\ndebug = true\n\n    ErrCont-64\n", "ErrCont-64"},
	{"h/etc/nova/nova.conf", "[keystone_authtoken]\n= ErrNoKey-65\n", "ErrNoKey-65"},
}

func writeFilesAt(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
}

// leakIn returns the planted secrets text shows. withDocs: the output
// embeds the rules' own documentation, whose prose may use a token secret
// ("admin") as a word; there only its planted neighbourhood counts.
func leakIn(text string, withDocs bool) []string {
	var out []string
	for _, s := range secretsMatrix {
		if s.token && withDocs {
			if strings.Contains(text, ":"+s.value) {
				out = append(out, s.value)
			}
			continue
		}
		if s.token {
			if regexp.MustCompile(`(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(s.value) + `($|[^A-Za-z0-9_-])`).MatchString(text) {
				out = append(out, s.value)
			}
			continue
		}
		if strings.Contains(text, s.value) {
			out = append(out, s.value)
		}
	}
	return out
}

// overMasked finds a mask glued inside a word ("keystone_****_cluster").
var overMasked = regexp.MustCompile(`[A-Za-z0-9_]\*\*\*\*[A-Za-z0-9_]|[A-Za-z0-9]_\*\*\*\*|\*\*\*\*_[A-Za-z0-9]`)

func TestSecretsMatrix(t *testing.T) {
	if len(secretsMatrix) < 50 {
		t.Fatalf("only %d planted secrets, want at least 50", len(secretsMatrix))
	}
	kinds := map[string]bool{}
	for p, content := range secretsFleet {
		for _, s := range secretsMatrix {
			if strings.Contains(content, s.value) {
				kinds[filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p)] = true
			}
		}
	}
	for _, s := range secretsMatrix {
		found := false
		for _, content := range secretsFleet {
			found = found || strings.Contains(content, s.value)
		}
		// Decoded forms (Quoted"Stats-16) need not be in the file.
		if !found && !strings.Contains(s.where, "decoded") {
			t.Errorf("planted secret %q (%s) is not in the fleet", s.value, s.where)
		}
	}

	dir := t.TempDir()
	fleet := filepath.Join(dir, "fleet")
	writeFilesAt(t, fleet, secretsFleet)
	baseline := filepath.Join(dir, "baseline.json")

	type run struct {
		name string
		args []string
	}
	runs := []run{
		{"model", []string{"model", "--release", "zed", fleet}},
		{"report", []string{"report", "--release", "zed", fleet}},
		{"fix", []string{"fix", "--release", "zed", fleet}},
		{"fix --unsafe-fixes", []string{"fix", "--release", "zed", "--unsafe-fixes", fleet}},
		{"write-baseline", []string{"lint", "--release", "zed", "--write-baseline", baseline, fleet}},
	}
	for _, f := range report.Formats() {
		runs = append(runs, run{"lint " + f, []string{"lint", "--release", "zed", "--fail-on", "info", "--format", f, fleet}})
		runs = append(runs, run{"report " + f, []string{"report", "--release", "zed", "--format", f, fleet}})
	}
	outputs := map[string]string{}
	for _, r := range runs {
		out, errOut, code := runCLI(r.args...)
		if code == exitError {
			t.Fatalf("%s: exit 2: %s", r.name, errOut)
		}
		outputs[r.name+" stdout"] = out
		outputs[r.name+" stderr"] = errOut
	}
	b, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatal(err)
	}
	outputs["baseline file"] = string(b)

	// fix --write -v on a copy: its stderr carries the manual-fix advice
	// and the patches unapplied fixes would make (only with -v).
	cp := filepath.Join(dir, "copy")
	writeFilesAt(t, cp, secretsFleet)
	out, errOut, code := runCLI("fix", "--release", "zed", "--write", "-v", cp)
	if code == exitError {
		t.Fatalf("fix --write: exit 2: %s", errOut)
	}
	outputs["fix --write stdout"], outputs["fix --write stderr"] = out, errOut

	// The outputs must reach the secrets' neighbourhood, or the test says
	// nothing: the patch touches every kind, the advice shows a diff.
	patch := outputs["fix stdout"]
	for _, f := range []string{"ctl1/etc/nova/nova.conf", "ctl1/etc/keystone/keystone.conf", "ctl1/etc/haproxy/haproxy.cfg", "ctl1/etc/cron.d/openstack", "ctl2/var/spool/cron/crontabs/keystone"} {
		if !strings.Contains(patch, f) {
			t.Errorf("fix patch does not touch %s; the matrix needs a hunk there\n%s", f, patch)
		}
	}
	if !strings.Contains(patch, "****") {
		t.Error("fix patch masks nothing: its hunks miss the secrets")
	}
	if !strings.Contains(outputs["fix --write stderr"], "not applied") {
		t.Errorf("fix --write printed no manual-fix advice:\n%s", outputs["fix --write stderr"])
	}

	names := make([]string, 0, len(outputs))
	for n := range outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	leaks, overs := 0, 0
	for _, n := range names {
		text := outputs[n]
		if strings.Contains(n, "html") || n == "report stdout" {
			text += "\n" + html.UnescapeString(text)
		}
		withDocs := strings.Contains(n, "html") || strings.Contains(n, "markdown") || strings.Contains(n, "sarif") || n == "report stdout"
		for _, s := range leakIn(text, withDocs) {
			leaks++
			t.Errorf("%s: secret %q leaked", n, s)
		}
		for _, m := range overMasked.FindAllString(text, -1) {
			overs++
			t.Errorf("%s: over-masked %q", n, m)
		}
	}
	model := outputs["model stdout"]
	for _, la := range lookAlikes {
		if !strings.Contains(model, la) {
			overs++
			t.Errorf("model: look-alike %q masked or missing", la)
		}
	}
	// Context lines of the patch keep their non-secret text verbatim.
	for _, la := range []string{"backend keystone_admin_cluster", "backend admin_api_backend", "stats auth monitor:****", "auth_type = password", "inject_password = false"} {
		if !strings.Contains(patch+outputs["fix --unsafe-fixes stdout"], la) && !strings.Contains(model, strings.Fields(la)[len(strings.Fields(la))-1]) {
			overs++
			t.Errorf("fix: %q masked or missing", la)
		}
	}
	t.Logf("%d planted secrets, %d outputs: %d leaks, %d over-masks", len(secretsMatrix), len(outputs), leaks, overs)

}

// TestSecretsInParseErrors: files oscfg refuses give exit 2 and an error
// that names file and line, never the secret on that line.
func TestSecretsInParseErrors(t *testing.T) {
	dir := t.TempDir()
	for i, bf := range brokenFiles {
		d := filepath.Join(dir, "broken", string(rune('a'+i)))
		writeFilesAt(t, d, map[string]string{bf.path: bf.content})
		for _, cmd := range []string{"lint", "model", "fix", "report"} {
			out, errOut, code := runCLI(cmd, filepath.Join(d, "h"))
			if code != exitError {
				t.Errorf("%s %s: exit %d, want 2\n%s%s", cmd, bf.path, code, out, errOut)
			}
			if !strings.Contains(errOut, filepath.Base(bf.path)+":") {
				t.Errorf("%s %s: error does not name the file: %s", cmd, bf.path, errOut)
			}
			if strings.Contains(out+errOut, bf.secret) {
				t.Errorf("%s %s: error prints the secret: %s", cmd, bf.path, errOut)
			}
		}
	}
}
