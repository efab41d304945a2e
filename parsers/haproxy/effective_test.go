package haproxy

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/redact"
)

const mainCfg = `global
    maxconn 4096

defaults tcpbase
    mode tcp
    timeout client 3600s

defaults
    mode http
    balance source
    option httpclose
    option redispatch
    timeout client 1m
    timeout server 90
    timeout connect 5s

listen nova_api
    bind 10.0.0.10:8774
    balance roundrobin
    no option redispatch
    timeout server 2m
    server ctl1 10.0.0.1:8774 check inter 2000
    server ctl2 10.0.0.2:8774 check backup

listen galera from tcpbase
    bind [::1]:3306,10.0.0.10:3306
    option mysql-check user haproxy
    stick-table type ip size 1000
    stick on dst
    server db1 10.0.0.1:3306 check
    server db2 10.0.0.2:3306 backup

frontend public
    bind ipv6@:::443 ssl crt /etc/x.pem
    bind *:8774-8780
    option http-keep-alive
    timeout http-request 10s
    use_backend nova_be if { path_beg /compute }
    default_backend nova_be

backend nova_be
    hash-type consistent
    server a ctl1:8774

defaults last
    mode http
    timeout client 5m
`

// A services.d fragment: no defaults of its own, so it inherits the last
// defaults section of haproxy.cfg (the named "last").
const fragCfg = `listen cinder_api
    bind :8776
    timeout server ${T}
    server c1 10.0.0.1:8776 check
`

func effective(t *testing.T) map[string]any {
	t.Helper()
	d1, err := Parse("/etc/haproxy/haproxy.cfg", []byte(mainCfg))
	if err != nil {
		t.Fatal(err)
	}
	d2, err := Parse("/etc/haproxy/services.d/cinder.cfg", []byte(fragCfg))
	if err != nil {
		t.Fatal(err)
	}
	eff := Effective([]*Doc{d1, d2})
	// The view must survive JSON (it goes to OPA and `oscfg model`).
	b, err := json.Marshal(eff)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return back["proxies"].(map[string]any)
}

// get walks a JSON path like "nova_api.timeouts.client.ms".
func get(t *testing.T, m map[string]any, path string) any {
	t.Helper()
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not an object", path, k)
		}
		if cur, ok = obj[k]; !ok {
			return nil
		}
	}
	return cur
}

// lineOf is the 1-based line of the first occurrence of sub, as JSON gives it.
func lineOf(src, sub string) float64 {
	return float64(strings.Count(src[:strings.Index(src, sub)], "\n") + 1)
}

func TestEffective(t *testing.T) {
	px := effective(t)
	main, frag := "/etc/haproxy/haproxy.cfg", "/etc/haproxy/services.d/cinder.cfg"
	checks := []struct {
		path string
		want any
	}{
		// Anonymous defaults, overridden in the proxy.
		{"nova_api.type", "listen"},
		{"nova_api.defaults", ""},
		{"nova_api.service", "nova-api"},
		{"nova_api.role", "api"},
		{"nova_api.mode.value", "http"},
		{"nova_api.mode.inherited", true},
		{"nova_api.mode.line", lineOf(mainCfg, "mode http")},
		{"nova_api.mode.file", main},
		{"nova_api.balance.value", "roundrobin"},
		{"nova_api.balance.inherited", false},
		{"nova_api.timeouts.client.ms", 60000.0},
		{"nova_api.timeouts.client.raw", "1m"},
		{"nova_api.timeouts.client.inherited", true},
		{"nova_api.timeouts.server.ms", 120000.0},
		{"nova_api.timeouts.server.line", lineOf(mainCfg, "timeout server 2m")},
		{"nova_api.timeouts.connect.ms", 5000.0},
		{"nova_api.options.httpclose.enabled", true},
		{"nova_api.options.redispatch.enabled", false},
		{"nova_api.options.redispatch.inherited", false},
		{"nova_api.options.redispatch.line", lineOf(mainCfg, "no option redispatch")},
		// Named defaults with from: nothing from the anonymous one.
		{"galera.defaults", "tcpbase"},
		{"galera.service", "mysql"},
		{"galera.role", "db"},
		{"galera.mode.value", "tcp"},
		{"galera.timeouts.client.ms", 3600000.0},
		{"galera.timeouts.server", nil},
		{"galera.balance", nil},
		{"galera.options.httpclose", nil},
		{"galera.options.mysql-check.args", []any{"user", "haproxy"}},
		{"galera.stick_on", "dst"},
		// The last defaults before a proxy, here the anonymous one.
		{"public.defaults", ""},
		{"public.mode.value", "http"},
		{"public.timeouts.http-request.ms", 10000.0},
		{"public.use_backends", []any{"nova_be"}},
		{"public.default_backend", "nova_be"},
		{"public.ports", []any{443.0, 8774.0}},
		{"public.service", "nova-api"}, // 443 and 8774 both match: the specific port wins
		{"nova_be.hash_type.value", "consistent"},
		{"nova_be.service", "nova-api"},
		{"nova_be.servers", []any{map[string]any{"name": "a", "addr": "ctl1", "port": 8774.0, "check": false, "backup": false, "params": []any{}, "line": lineOf(mainCfg, "server a ctl1"), "file": main}}},
		// The services.d fragment inherits haproxy.cfg's last defaults.
		{"cinder_api.file", frag},
		{"cinder_api.defaults", "last"},
		{"cinder_api.timeouts.client.ms", 300000.0},
		{"cinder_api.timeouts.client.file", main},
		{"cinder_api.timeouts.client.line", lineOf(mainCfg, "timeout client 5m")},
		{"cinder_api.timeouts.connect", nil}, // each defaults section starts afresh
		{"cinder_api.options", map[string]any{}},
		{"cinder_api.timeouts.server.raw", "${T}"},
		{"cinder_api.timeouts.server.ms", nil},
		{"cinder_api.timeouts.server.file", frag},
		{"cinder_api.service", "cinder-api"},
		{"cinder_api.ports", []any{8776.0}},
	}
	for _, c := range checks {
		if got := get(t, px, c.path); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.path, got, c.want)
		}
	}
	if _, ok := px["nova_api"].(map[string]any)["timeouts"].(map[string]any)["server"]; !ok {
		t.Error("timeouts.server missing")
	}
	binds := get(t, px, "galera.binds").([]any)
	if len(binds) != 2 || get(t, binds[0].(map[string]any), "addr") != "::1" || get(t, binds[1].(map[string]any), "port") != 3306.0 {
		t.Errorf("galera binds %v", binds)
	}
	servers := get(t, px, "nova_api.servers").([]any)
	s2 := servers[1].(map[string]any)
	if s2["name"] != "ctl2" || s2["addr"] != "10.0.0.2" || s2["port"] != 8774.0 || s2["check"] != true || s2["backup"] != true || s2["line"] != lineOf(mainCfg, "server ctl2") {
		t.Errorf("server ctl2 %v", s2)
	}
	dirs := get(t, px, "nova_api.directives").([]any)
	if len(dirs) != 6 || get(t, dirs[2].(map[string]any), "negated") != true || get(t, dirs[0].(map[string]any), "file") != main {
		t.Errorf("directives %v", dirs)
	}
	if px["nova_api"].(map[string]any)["ports"].([]any)[0] != 8774.0 {
		t.Errorf("ports %v", get(t, px, "nova_api.ports"))
	}
}

func TestEffectiveModesAndClashes(t *testing.T) {
	src := `defaults
    option httpclose
    option forwardfor
frontend api
    bind :5000
    option http-server-close
    default option forwardfor
    default_backend api
backend api
    server k 10.0.0.1:5000 check
listen missing from nowhere
    bind :1
`
	d := mustParse(t, src)
	px := Effective([]*Doc{d})["proxies"].(map[string]any)
	fe, ok := px["frontend/api"].(map[string]any)
	if !ok || px["backend/api"] == nil {
		t.Fatalf("clashing names not keyed by type: %v", keys(px))
	}
	opts := fe["options"].(map[string]any)
	if _, ok := opts["httpclose"]; ok {
		t.Error("http-server-close should replace the inherited httpclose")
	}
	if _, ok := opts["forwardfor"]; ok {
		t.Error("default option should drop the inherited option")
	}
	if fe["service"] != "keystone" || fe["name"] != "api" {
		t.Errorf("frontend %v %v", fe["service"], fe["name"])
	}
	m := px["missing"].(map[string]any)
	if m["defaults"] != "nowhere" || m["defaults_missing"] != true || len(m["options"].(map[string]any)) != 0 {
		t.Errorf("missing defaults: %v", m)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOldStyleListenAddress(t *testing.T) {
	d := mustParse(t, "listen l35 :35000,10.0.0.1:5000\n    server s1 :80\n")
	px := Effective([]*Doc{d})["proxies"].(map[string]any)["l35"].(map[string]any)
	if !reflect.DeepEqual(px["ports"], []int{80, 5000, 35000}) || px["service"] != "keystone" {
		t.Errorf("ports %v service %v", px["ports"], px["service"])
	}
}

func TestSecretsMasked(t *testing.T) {
	src := `userlist admins
    user boss password $6$salt$hashhashhash groups adm
    user scott insecure-password catpass
listen stats
    bind :1936
    stats auth admin:S3cretPw
    http-check send hdr Authorization "Basic dXNlcjpwdw=="
`
	d := mustParse(t, src)
	view, secrets := d.View()
	b, _ := json.Marshal(view)
	eff, _ := json.Marshal(Effective([]*Doc{d}))
	for _, s := range []string{"$6$salt$hashhashhash", "catpass", "S3cretPw", "Basic dXNlcjpwdw=="} {
		if strings.Contains(string(b), s) || strings.Contains(string(eff), s) {
			t.Errorf("secret %q in a view", s)
		}
		found := false
		for _, x := range secrets {
			found = found || x == s
		}
		if !found {
			t.Errorf("secret %q not reported (%q)", s, secrets)
		}
	}
	if !strings.Contains(string(b), `"admin:`+redact.Mask+`"`) || !strings.Contains(string(b), `"groups","adm"`) {
		t.Errorf("masked view: %s", b)
	}
	// The document itself keeps the real text (fixers edit it).
	if !strings.Contains(string(d.Bytes()), "S3cretPw") {
		t.Error("Bytes lost the original text")
	}
	// View sections carry the model's fields.
	sec := view["sections"].([]any)[1].(map[string]any)
	if sec["type"] != "listen" || sec["name"] != "stats" || sec["line"] != 4 || sec["from"] != "" {
		t.Errorf("section view %v", sec)
	}
}

// The effective view says how each proxy was classified: by its ports
// (server ports, then binds), by its default backend (a frontend), or by
// its name; and what the name says when the ports disagree.
func TestEffectiveClassification(t *testing.T) {
	src := `frontend nova_api_front
    bind 10.0.0.10:443
    default_backend glance_be
backend glance_be
    server g1 10.0.0.1:9292 check
listen vip-glance-api
    bind 10.0.0.10:9191
    server r1 10.0.0.1:9191 check
listen keystone_public
    bind 10.0.0.10:443
    server k1 10.0.0.1:443 check
listen stats
    bind :8080
    stats enable
    stats uri /
`
	px := Effective([]*Doc{mustParse(t, src)})["proxies"].(map[string]any)
	want := map[string]map[string]any{
		"nova_api_front":  {"service": "glance-api", "role": "api", "service_by": "backend", "name_service": "nova-api"},
		"glance_be":       {"service": "glance-api", "role": "api", "service_by": "port", "service_port": 9292},
		"vip-glance-api":  {"service": "glance-registry", "role": "api", "service_by": "port", "service_port": 9191, "name_service": "glance-api"},
		"keystone_public": {"service": "keystone", "role": "api", "service_by": "name"},
		"stats":           {"service": "haproxy-stats", "role": "other", "service_by": "stats"},
	}
	for name, fields := range want {
		p := px[name].(map[string]any)
		for _, k := range []string{"service", "role", "service_by", "service_port", "name_service"} {
			if got, w := p[k], fields[k]; !reflect.DeepEqual(got, w) {
				t.Errorf("%s.%s = %#v, want %#v", name, k, got, w)
			}
		}
	}
}

// The web ports 80, 443, 8000 and 8080 name horizon, heat-api-cfn and
// swift-proxy only in a configuration that fronts OpenStack: one proxy
// OpenStack's by name or by a port of its own (keystone's 5000) is enough.
// Without one (haproxy's own examples) they are "other", with a note.
func TestEffectiveWebPortsNeedOpenStackContext(t *testing.T) {
	generic := `listen proxy1 0.0.0.0:8000
    server test 10.1.1.2:80 check
frontend www
    bind :80
    default_backend app
backend app
    server a1 10.0.0.1:8080 check
listen mysql_1
    bind :3306
    server db1 10.0.0.2:3306 check
`
	px := Effective([]*Doc{mustParse(t, generic)})["proxies"].(map[string]any)
	for _, name := range []string{"proxy1", "www", "app"} {
		p := px[name].(map[string]any)
		if p["service"] != "" || p["role"] != "other" || p["service_note"] == nil {
			t.Errorf("generic %s: service %q role %q note %v, want other with a note", name, p["service"], p["role"], p["service_note"])
		}
	}
	if p := px["mysql_1"].(map[string]any); p["service"] != "mysql" {
		t.Errorf("mysql_1: service %q, want mysql (3306 is no web port)", p["service"])
	}
	openstack := generic + `listen vip_public
    bind :5000
    server k1 10.0.0.3:5000 check
`
	px = Effective([]*Doc{mustParse(t, openstack)})["proxies"].(map[string]any)
	for name, want := range map[string]string{"proxy1": "heat-api-cfn", "www": "swift-proxy", "app": "swift-proxy", "vip_public": "keystone"} {
		p := px[name].(map[string]any)
		if p["service"] != want || p["service_note"] != nil {
			t.Errorf("with keystone, %s: service %q note %v, want %s", name, p["service"], p["service_note"], want)
		}
	}
}
