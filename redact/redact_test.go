package redact

import (
	"strings"
	"testing"
)

func TestValue(t *testing.T) {
	cases := []struct {
		name, in, want string
		secrets        []string
	}{
		{"connection", "mysql+pymysql://nova:S3cr#et@db.example/nova", "mysql+pymysql://nova:****@db.example/nova", []string{"S3cr#et"}},
		{"transport_url", "rabbit://openstack:pw1@ctl1:5672,openstack:pw2@ctl2:5672//", "rabbit://openstack:****@ctl1:5672,openstack:****@ctl2:5672//", []string{"pw1", "pw2"}},
		// RFC 3986: userinfo ends at the last '@' of the authority.
		{"connection", "mysql+pymysql://nova:ab@cd@db/nova", "mysql+pymysql://nova:****@db/nova", []string{"ab@cd"}},
		{"connection", "mysql+pymysql://nova:a b:c@db/nova?charset=utf8", "mysql+pymysql://nova:****@db/nova?charset=utf8", []string{"a b:c"}},
		{"connection", "mysql://nova:p/a?ss@db/nova", "mysql://nova:****@db/nova", []string{"p/a?ss"}},
		{"transport_url", "rabbit://u:p,q@h1:5672,v:r@h2//", "rabbit://u:****@h1:5672,v:****@h2//", []string{"p,q", "r"}},
		{"transport_url", "rabbit://h1:5672,h2:5672//", "rabbit://h1:5672,h2:5672//", nil},
		{"connection", "mysql://nova@db/nova", "mysql://nova@db/nova", nil},
		{"connection mysql+pymysql", "//nova:NoEq@db/nova", "//nova:****@db/nova", []string{"NoEq"}},
		{"password", "hunter22", Mask, []string{"hunter22"}},
		{"password", "false", Mask, []string{"false"}},
		{"admin_token", "ADMIN", Mask, []string{"ADMIN"}},
		{"metadata_proxy_shared_secret", "x1y2", Mask, []string{"x1y2"}},
		{"rabbit_password", "guestpw", Mask, []string{"guestpw"}},
		{"wsrep-sst-auth", "sst:pa#ss", Mask, []string{"sst:pa#ss"}},
		{"debug", "true", "true", nil},
		{"root_token_id", "s.Vault1", Mask, []string{"s.Vault1"}},
		{"rabbit_pass", "Pass1", Mask, []string{"Pass1"}},
		{"auth_encryption_key", "Enc1", Mask, []string{"Enc1"}},
		{"send_service_user_token", "true", "true", nil},
		{"auth_url", "http://ctl:5000/v3", "http://ctl:5000/v3", nil},
		// Names the suffix rule would catch that hold no secret.
		{"inject_password", "false", "false", nil},
		{"ssl_password_file", "/etc/pw", "/etc/pw", nil},
		{"password_regex", "^.{8,}$", "^.{8,}$", nil},
		{"password_hash_algorithm", "bcrypt", "bcrypt", nil},
	}
	for _, c := range cases {
		got, sec := Value(c.name, c.in)
		if got != c.want || strings.Join(sec, ",") != strings.Join(c.secrets, ",") {
			t.Errorf("Value(%q, %q) = %q %q, want %q %q", c.name, c.in, got, sec, c.want, c.secrets)
		}
	}
}

func TestScrubberWholeTokens(t *testing.T) {
	s := NewScrubber([]string{"abc", "NOVA_DBPASS", "NOVA_DBPASS_LONG", Mask, "admin", "false", "first\nsecond", `a"bc`})
	cases := map[string]string{
		"x NOVA_DBPASS_LONG y NOVA_DBPASS z abc": "x **** y **** z abc",
		"backend keystone_admin_cluster":         "backend keystone_admin_cluster",
		"listen keystone-admin":                  "listen keystone-admin",
		"stats auth admin:admin":                 "stats auth ****:****",
		"pass=admin.":                            "pass=****.",
		"inject_password=false default false":    "inject_password=false default false",
		"  first\n    second\n":                  "  ****\n    ****\n",
		`password = "a"bc"`:                      `password = "****"`,
		"firstly":                                "firstly",
		"":                                       "",
	}
	for in, want := range cases {
		if got := s.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	var nilS *Scrubber
	if nilS.String("a") != "a" {
		t.Error("nil scrubber must pass through")
	}
}

func TestCommand(t *testing.T) {
	cases := []struct{ in, want, secret string }{
		{"openstack --os-password S3cret server list", "openstack --os-password **** server list", "S3cret"},
		{"openstack --os-password=S3cret server list", "openstack --os-password=**** server list", "S3cret"},
		{"keystone-manage bootstrap --bootstrap-password 'Boot pw' --bootstrap-admin-url http://k:5000", "keystone-manage bootstrap --bootstrap-password '****' --bootstrap-admin-url http://k:5000", "Boot pw"},
		{"mariabackup --backup -uroot -pMaria1 --target-dir=/b", "mariabackup --backup -uroot -p**** --target-dir=/b", "Maria1"},
		{"/usr/bin/mysql -pMy\\ pw -e 'select 1'", "/usr/bin/mysql -p**** -e 'select 1'", `My pw`},
		{"mysqldump --password=Dump1 nova", "mysqldump --password=**** nova", "Dump1"},
		{"MYSQL_PWD=Pwd1 mysqldump nova", "MYSQL_PWD=**** mysqldump nova", "Pwd1"},
		{"export OS_PASSWORD=\"Os pw\"; openstack token issue", "export OS_PASSWORD=\"****\"; openstack token issue", "Os pw"},
		{"curl -u ops:Curl1 http://x/", "curl -u ops:**** http://x/", "Curl1"},
		{"curl --user=ops:Curl2 -s http://x/", "curl --user=ops:**** -s http://x/", "Curl2"},
		{"sshpass -p Ssh1 ssh db1", "sshpass -p **** ssh db1", "Ssh1"},
		{"curl http://u:Url1@h/x", "curl http://u:****@h/x", "Url1"},
		{"redis-cli -a Redis1 ping", "redis-cli -a **** ping", "Redis1"},
		{`curl -H "Authorization: Bearer Hdr1" http://x/`, `curl -H "Authorization: Bearer ****" http://x/`, "Hdr1"},
		{`curl -H 'X-Auth-Token: Hdr2' http://x/`, `curl -H 'X-Auth-Token: ****' http://x/`, "Hdr2"},
		// Not secrets: variables, prompts, other programs' -p, PWD.
		{"mysql -p -e 'select 1'", "mysql -p -e 'select 1'", ""},
		{"MYSQL_PWD=$PW mysql", "MYSQL_PWD=$PW mysql", ""},
		{"mkdir -p /var/backups && cd $PWD", "mkdir -p /var/backups && cd $PWD", ""},
		{"PWD=/root ls", "PWD=/root ls", ""},
		{"curl -u ops http://x/", "curl -u ops http://x/", ""},
	}
	for _, c := range cases {
		got, sec := Command(c.in)
		if got != c.want {
			t.Errorf("Command(%q) = %q, want %q", c.in, got, c.want)
		}
		if c.secret != "" && !contains(sec, c.secret) {
			t.Errorf("Command(%q) secrets %q lack %q", c.in, sec, c.secret)
		}
		if c.secret == "" && len(sec) > 0 {
			t.Errorf("Command(%q) secrets %q, want none", c.in, sec)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestLine(t *testing.T) {
	cases := map[string]string{
		"password S3cret":                    "password ****",
		"+password = S3cret":                 "+password = ****",
		"#admin_password: S3cret":            "#admin_password: ****",
		"inject_password = false":            "inject_password = false",
		"auth_type = password":               "auth_type = password",
		`    stats auth ops:"a\"b c"`:        `    stats auth ops:****`,
		`    stats auth x:a\ b`:              `    stats auth x:****`,
		"    user ops password $6$salt$hash": "    user ops password ****",
		`    option httpchk GET / HTTP/1.1\r\nAuthorization:\ Basic\ QmFzZTY0\r\n`: `    option httpchk GET / HTTP/1.1\r\nAuthorization:\ Basic\ ****\r\n`,
		`    http-request set-header Authorization "Bearer tok.en"`:                `    http-request set-header Authorization "Bearer ****"`,
		`    http-check send hdr Authorization "Basic QmFz"`:                       `    http-check send hdr Authorization "Basic ****"`,
		"connection = mysql://nova:a b@db/nova":                                    "connection = mysql://nova:****@db/nova",
		"see http://ctl:5000/v3 and more":                                          "see http://ctl:5000/v3 and more",
		"MYSQL_PWD=Pwd1":                                                           "MYSQL_PWD=****",
		"15 3 * * * root mysql -pX1 nova":                                          "15 3 * * * root mysql -p**** nova",
		"backend keystone_admin_cluster":                                           "backend keystone_admin_cluster",
	}
	for in, want := range cases {
		if got := Line(in); got != want {
			t.Errorf("Line(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
