package registry

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/parsers/oslo"
)

// annotate parses src as service's file and returns the view and secrets.
func annotate(t *testing.T, service, src string) (map[string]any, map[string][]map[string]any, []string) {
	t.Helper()
	doc, err := oslo.Parse("test.conf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	view, _ := doc.View()
	secrets := Annotate(view, doc, service)
	reg, ok := view["registry"].(map[string]any)
	if !ok {
		return view, nil, secrets
	}
	// Through JSON, as the rules see it.
	b, _ := json.Marshal(reg)
	var out map[string]any
	json.Unmarshal(b, &out)
	lists := map[string][]map[string]any{}
	for _, k := range []string{"unknown", "deprecated", "invalid"} {
		for _, x := range out[k].([]any) {
			lists[k] = append(lists[k], x.(map[string]any))
		}
	}
	return view, lists, secrets
}

func keys(es []map[string]any) string {
	var out []string
	for _, e := range es {
		out = append(out, e["group"].(string)+"/"+e["key"].(string))
	}
	return strings.Join(out, " ")
}

func TestAnnotateUnknown(t *testing.T) {
	_, r, _ := annotate(t, "nova", `[DEFAULT]
block_device_allocate_retires = 120
debug = true
Debug = true
memcache_servers = m1:11211

[keystone_auth_token]
auth_url = http://ks:5000
username = nova

[libvirt]
virt_type = kvm
`)
	if got := keys(r["unknown"]); got != "DEFAULT/block_device_allocate_retires DEFAULT/Debug DEFAULT/memcache_servers keystone_auth_token/" {
		t.Fatalf("unknown: %s", got)
	}
	typo := r["unknown"][0]
	if typo["confident"] != true || typo["line"] != 2.0 {
		t.Errorf("typo: %v", typo)
	}
	sug := typo["suggest"].([]any)[0].(map[string]any)
	if sug["group"] != "DEFAULT" || sug["key"] != "block_device_allocate_retries" || sug["distance"] != 1.0 {
		t.Errorf("suggestion %v", sug)
	}
	// debug is already set: renaming Debug would shadow it.
	if r["unknown"][1]["confident"] != false {
		t.Errorf("Debug: %v", r["unknown"][1])
	}
	// The right name in the wrong section.
	wrong := r["unknown"][2]
	if s := wrong["suggest"].([]any)[0].(map[string]any); s["group"] != "cache" || s["distance"] != 0.0 || wrong["confident"] != false {
		t.Errorf("memcache_servers: %v", wrong)
	}
	sec := r["unknown"][3]
	if sec["line"] != 7.0 || len(sec["keys"].([]any)) != 2 || sec["suggest"].([]any)[0].(map[string]any)["group"] != "keystone_authtoken" {
		t.Errorf("section: %v", sec)
	}
}

func TestAnnotateConfidence(t *testing.T) {
	// The value must be valid for the option the typo is renamed to.
	_, r, _ := annotate(t, "nova", "[DEFAULT]\nblock_device_allocate_retires = lots\n")
	if r["unknown"][0]["confident"] != false {
		t.Errorf("invalid value, still confident: %v", r["unknown"][0])
	}
	// Several equally close options: no confident fix.
	_, r, _ = annotate(t, "nova", "[DEFAULT]\nhots = x\n")
	for _, u := range r["unknown"] {
		if u["confident"] == true {
			t.Errorf("short name confident: %v", u)
		}
	}
}

func TestAnnotateDeprecated(t *testing.T) {
	_, r, _ := annotate(t, "nova", `[DEFAULT]
sql_connection = mysql+pymysql://nova:secretpw@db/nova
lock_path = /var/lib/nova/tmp

[api_database]
connection = mysql+pymysql://nova:secretpw@db/nova_api

[oslo_concurrency]
lock_path = /var/lib/nova/tmp

[sql]
connection = sqlite://
idle_timeout = 3600
`)
	if got := keys(r["deprecated"]); got != "DEFAULT/sql_connection DEFAULT/lock_path sql/connection" {
		t.Fatalf("deprecated: %s", got)
	}
	d := r["deprecated"][0]
	if d["to_group"] != "database" || d["to_key"] != "connection" || d["set_already"] != false {
		t.Errorf("sql_connection: %v", d)
	}
	if a := d["also"].([]any)[0].(map[string]any); a["group"] != "api_database" || a["set"] != true {
		t.Errorf("also: %v", d["also"])
	}
	if l := r["deprecated"][1]; l["set_already"] != true || l["same_value"] != true {
		t.Errorf("lock_path: %v", l)
	}
	// [sql] holds only old names: its other keys are unknown one by one.
	if got := keys(r["unknown"]); got != "sql/idle_timeout" {
		t.Errorf("unknown: %s", got)
	}
}

func TestAnnotateInvalidAndSecrets(t *testing.T) {
	view, r, secrets := annotate(t, "nova", `[DEFAULT]
instance_usage_audit_period = weekly

[scheduler]
discover_hosts_in_cells_interval = 5m

[key_manager]
token = tok-3f9a
fixed_key = abcdef0123

[libvirt]
virt_type = KVM
`)
	if got := keys(r["invalid"]); got != "DEFAULT/instance_usage_audit_period scheduler/discover_hosts_in_cells_interval libvirt/virt_type" {
		t.Fatalf("invalid: %s", got)
	}
	if v := r["invalid"][1]; v["value"] != "5m" || !strings.Contains(v["reason"].(string), "not an integer") || v["type"] != "integer (min -1)" {
		t.Errorf("interval: %v", v)
	}
	// Refused only by Zed's choices (a release may have had weekly or
	// KVM): limits; "5m" is no integer on any release.
	for i, want := range []bool{true, false, true} {
		if got := r["invalid"][i]["limits"] == true; got != want {
			t.Errorf("%s limits = %v, want %v", r["invalid"][i]["key"], got, want)
		}
	}
	// [key_manager] token is secret by the registry only (redact's name
	// rules do not know it): masked in the sections view, reported.
	k := view["sections"].(map[string]any)["key_manager"].(map[string]any)["keys"].(map[string]any)["token"].(map[string]any)
	if k["value"] != "****" || k["secret"] != true || k["all"].([]any)[0].(map[string]any)["value"] != "****" {
		t.Errorf("token not masked: %v", k)
	}
	if strings.Join(secrets, ",") != "tok-3f9a" {
		t.Errorf("secrets %q", secrets)
	}
}

func TestMaskValue(t *testing.T) {
	// Connection strings keep scheme, user and host (rules read them).
	if v, sec := maskValue("mysql+pymysql://nova:pw1234@db/nova"); v != "mysql+pymysql://nova:****@db/nova" || len(sec) != 1 || sec[0] != "pw1234" {
		t.Errorf("URL: %q %q", v, sec)
	}
	if v, sec := maskValue("tok-3f9a"); v != "****" || len(sec) != 1 {
		t.Errorf("whole: %q %q", v, sec)
	}
	if v, sec := maskValue(""); v != "" || sec != nil {
		t.Errorf("empty: %q %q", v, sec)
	}
}

func TestAnnotateAuthPlugins(t *testing.T) {
	_, r, _ := annotate(t, "nova", `[neutron]
auth_type = password
auth_url = http://ks:5000/v3
username = neutron
application_credential_id = abc
url = http://neutron:9696

[placement]
auth_type = v3applicationcredential
application_credential_id = abc
application_credential_secret = s3cr3t

[cinder]
auth_section = ks_auth

[ks_auth]
auth_type = password
username = nova

[keystone_authtoken]
auth_type = password
memcache_servers = m:11211
memcached_server = m:11211
tenant_name = service
`)
	if got := keys(r["unknown"]); got != "neutron/application_credential_id neutron/url keystone_authtoken/memcached_server" {
		t.Fatalf("unknown: %s", got)
	}
	if why := r["unknown"][0]["reason"]; why != "auth_type password does not read application_credential_id" {
		t.Errorf("reason %v", why)
	}
	if r["unknown"][2]["dynamic"] == nil || r["unknown"][2]["confident"] != true {
		t.Errorf("keystone_authtoken: %v", r["unknown"][2])
	}
	if got := keys(r["deprecated"]); got != "keystone_authtoken/memcache_servers keystone_authtoken/tenant_name" {
		t.Errorf("deprecated: %s", got)
	}
	// url is admin_token's old name for endpoint.
	_, r, _ = annotate(t, "nova", "[neutron]\nauth_type = admin_token\nurl = http://n:9696\n")
	if got := keys(r["deprecated"]); got != "neutron/url" || r["deprecated"][0]["to_key"] != "endpoint" {
		t.Errorf("admin_token url: %v", r["deprecated"])
	}
}

func TestAnnotateDynamicGroups(t *testing.T) {
	_, r, _ := annotate(t, "nova", `[devices]
enabled_mdev_types = nvidia-35, nvidia-36

[mdev_nvidia-35]
device_addresses = 0000:84:00.0
mdev_class = VGPU

[mdev_nvidia-99]
device_addresses = 0000:85:00.0

[vgpu_nvidia-36]
device_addresses = 0000:86:00.0

[neutron_tunnel]
numa_nodes = 0,1

[neutron_physnet_foo]
numa_nodes = x
`)
	if got := keys(r["unknown"]); got != "mdev_nvidia-99/" {
		t.Errorf("unknown: %s %v", got, r["unknown"])
	} else if !strings.Contains(r["unknown"][0]["reason"].(string), "enabled_mdev_types") {
		t.Errorf("reason: %v", r["unknown"][0])
	}
	if got := keys(r["deprecated"]); got != "vgpu_nvidia-36/device_addresses" || r["deprecated"][0]["to_group"] != "mdev_nvidia-36" {
		t.Errorf("deprecated: %v", r["deprecated"])
	}
	if got := keys(r["invalid"]); got != "neutron_physnet_foo/numa_nodes" {
		t.Errorf("invalid: %s", got)
	}
	_, r, _ = annotate(t, "keystone", "[auth]\nmethods = password,token,totp\ntotp = default\nkerberos = x\n")
	if got := keys(r["unknown"]); got != "auth/kerberos" {
		t.Errorf("keystone [auth]: %s", got)
	}
}

func TestAnnotateOtherServices(t *testing.T) {
	doc, _ := oslo.Parse("c.conf", []byte("[DEFAULT]\nfoo = 1\n"))
	view, _ := doc.View()
	if Annotate(view, doc, "cinder") != nil || view["registry"] != nil {
		t.Error("cinder annotated")
	}
}

// A file with more unknown names than MaxUnknown gets MaxUnknown entries
// and a count of the rest, with the line of the first one left out.
func TestAnnotateUnknownCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("[DEFAULT]\n")
	for i := 0; i < MaxUnknown+40; i++ {
		fmt.Fprintf(&b, "no_such_option_%d = 1\n", i)
	}
	b.WriteString("[no_such_section]\nx = 1\n")
	doc, err := oslo.Parse("nova.conf", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	view, _ := doc.View()
	Annotate(view, doc, "nova")
	reg := view["registry"].(map[string]any)
	if n := len(reg["unknown"].([]any)); n != MaxUnknown {
		t.Fatalf("%d unknown entries, want %d", n, MaxUnknown)
	}
	more, _ := reg["unknown_more"].(map[string]any)
	if more["count"] != 41 || more["line"] != MaxUnknown+2 {
		t.Fatalf("unknown_more = %v, want 41 from line %d", more, MaxUnknown+2)
	}
}

// keystone registers [PROTOCOL] remote_id_attribute at run time for a
// federation protocol (keystone/federation/utils.py
// get_remote_id_parameter): accepted in the usual protocol groups, in a
// group named by [auth] methods, or wherever it is the option set; an
// unknown section or a misspelt key is still unknown.
func TestAnnotateFederationRemoteID(t *testing.T) {
	_, r, _ := annotate(t, "keystone", `[auth]
methods = password,token,openid,myfed
[openid]
remote_id_attribute = HTTP_OIDC_ISS
[saml2]
remote_id_attribute = MELLON_IDP
[mapped]
remote_id_attribute = HTTP_X_IDP
[myfed]
remote_id_attribute = HTTP_OIDC_ISS
[sso]
remote_id_attribute = HTTP_OIDC_ISS
[federation]
remote_id_attribute = HTTP_OIDC_ISS
[foo]
bar = 1
[saml2]
remote_id_atribute = x
`)
	if got := keys(r["unknown"]); got != "saml2/remote_id_atribute foo/" {
		t.Errorf("unknown: %q", got)
	}
	// nova has no such run-time option.
	_, r, _ = annotate(t, "nova", "[openid]\nremote_id_attribute = x\n")
	if got := keys(r["unknown"]); got != "openid/" {
		t.Errorf("nova unknown: %q", got)
	}
}
