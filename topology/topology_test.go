package topology

import (
	"reflect"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// Views as the loader builds them, reduced to what topology reads.

func oslo(service string, keys map[string]map[string]string, opts map[string]map[string]string) map[string]any {
	secs := map[string]any{}
	line := 1
	for g, ks := range keys {
		m := map[string]any{}
		for k, v := range ks {
			line++
			m[k] = map[string]any{"value": v, "line": line}
		}
		secs[g] = map[string]any{"line": 1, "keys": m}
	}
	options := map[string]any{}
	for g, ks := range opts {
		m := map[string]any{}
		for k, v := range ks {
			line++
			m[k] = map[string]any{"value": v, "set": true, "line": line}
		}
		options[g] = m
	}
	return map[string]any{"kind": "oslo", "service": service, "path": "/etc/" + service + "/" + service + ".conf", "sections": secs, "options": options}
}

func host(files ...map[string]any) map[string]any {
	fs := map[string]any{}
	for _, f := range files {
		fs[f["path"].(string)] = f
	}
	return map[string]any{"files": fs}
}

func withMySQL(h map[string]any, opts map[string]string) map[string]any {
	srv := map[string]any{}
	for k, v := range opts {
		srv[k] = map[string]any{"value": v, "file": "/etc/my.cnf", "line": 3, "group": "mysqld"}
	}
	h["mysql"] = map[string]any{"files": []any{"/etc/my.cnf"}, "server": srv}
	return h
}

func withHAProxy(h map[string]any, vip string, servers ...string) map[string]any {
	ss := []any{}
	for i, s := range servers {
		ss = append(ss, map[string]any{"name": "db" + string(rune('1'+i)), "addr": s, "port": 3306, "line": 10 + i, "file": "/etc/haproxy/haproxy.cfg"})
	}
	h["haproxy"] = map[string]any{"proxies": map[string]any{"galera": map[string]any{
		"name": "galera", "type": "listen", "role": "db", "file": "/etc/haproxy/haproxy.cfg", "line": 8,
		"binds":   []any{map[string]any{"addr": vip, "port": 3306, "line": 9, "file": "/etc/haproxy/haproxy.cfg"}},
		"servers": ss,
	}}}
	return h
}

func controller(vip, rabbit string) map[string]any {
	return host(oslo("nova",
		map[string]map[string]string{"DEFAULT": {"transport_url": "rabbit://u:****@" + rabbit + ":5672/", "enabled_apis": "osapi_compute"}},
		map[string]map[string]string{"database": {"connection": "mysql+pymysql://nova:****@" + vip + "/nova"}}))
}

func compute(rabbit string) map[string]any {
	return host(oslo("nova",
		map[string]map[string]string{"DEFAULT": {"transport_url": "rabbit://u:****@" + rabbit + ":5672/"}, "libvirt": {"virt_type": "kvm"}}, nil))
}

func dbnode(addr string, members string) map[string]any {
	return withMySQL(host(), map[string]string{"bind_address": addr, "wsrep_cluster_address": "gcomm://" + members, "wsrep_provider": "/usr/lib/galera/libgalera_smm.so"})
}

// region is a small deployment: one controller with haproxy, two DB
// nodes, one compute; the prefix makes names and addresses unique.
func region(hosts map[string]map[string]any, p string) {
	r := "r" + strings.Split(p, ".")[1]
	vip, d1, d2 := p+".10", p+".21", p+".22"
	hosts[r+"-ctl"] = withHAProxy(controller(vip, p+".11"), vip, d1, d2)
	hosts[r+"-db1"] = dbnode(d1, d1+","+d2)
	hosts[r+"-db2"] = dbnode(d2, d1+","+d2)
	hosts[r+"-cmp"] = compute(p + ".11")
	// The compute's rabbit broker is the controller's address.
	hosts[r+"-ctl"]["files"].(map[string]any)["/etc/nova/nova.conf"].(map[string]any)["sections"].(map[string]any)["DEFAULT"].(map[string]any)["keys"].(map[string]any)["my_ip"] = map[string]any{"value": p + ".11", "line": 2}
}

func clustersOf(t *Topology) map[string][]string {
	out := map[string][]string{}
	for _, c := range t.Clusters {
		out[c.Name] = c.Hosts
	}
	return out
}

func TestTwoRegionsTwoClusters(t *testing.T) {
	hosts := map[string]map[string]any{}
	region(hosts, "10.1.0")
	region(hosts, "10.2.0")
	topo := Compute(hosts, Options{})
	want := map[string][]string{
		"10.1.0.10": {"r1-cmp", "r1-ctl", "r1-db1", "r1-db2"},
		"10.2.0.10": {"r2-cmp", "r2-ctl", "r2-db1", "r2-db2"},
	}
	if got := clustersOf(topo); !reflect.DeepEqual(got, want) {
		t.Fatalf("clusters %v, want %v (notes %v)", got, want, topo.Notes)
	}
	if len(topo.Notes) != 0 {
		t.Errorf("nothing was guessed, yet notes say %v", topo.Notes)
	}
	h := topo.Hosts["r1-ctl"]
	if _, ok := h.Roles[RoleController]; !ok {
		t.Errorf("ctl roles %v", h.Roles)
	}
	if _, ok := h.Roles[RoleLB]; !ok {
		t.Errorf("ctl roles %v", h.Roles)
	}
	if _, ok := topo.Hosts["r1-cmp"].Roles[RoleCompute]; !ok || len(topo.Hosts["r1-cmp"].Roles) != 1 {
		t.Errorf("compute roles %v", topo.Hosts["r1-cmp"].Roles)
	}
	if topo.Hosts["r2-db1"].Galera == nil {
		t.Error("db1 is a Galera node")
	}
	if len(topo.Hosts["r1-db1"].Placed) == 0 {
		t.Error("db1 placed without evidence")
	}
	// The controller's connection reaches its own region's DB nodes
	// through its own listener.
	var p *DBPath
	for _, x := range topo.DBPaths {
		if x.Host == "r2-ctl" {
			p = x
		}
	}
	if p == nil || p.Via != "listener" || !reflect.DeepEqual(p.Nodes, []string{"r2-db1", "r2-db2"}) || !reflect.DeepEqual(p.Listeners, []string{"10.2.0.10:3306"}) {
		t.Fatalf("path %+v", p)
	}
}

// wsrep_node_name is a label each Galera cluster chooses (db1, db2, ...):
// two regions' "db1" are different hosts, so a node name links nothing.
// (Before, 40 regions' Galera nodes became one 120-host cluster.)
func TestGaleraNodeNamesDoNotLinkRegions(t *testing.T) {
	hosts := map[string]map[string]any{}
	region(hosts, "10.1.0")
	region(hosts, "10.2.0")
	for _, n := range []string{"r1-db1", "r2-db1"} {
		srv := hosts[n]["mysql"].(map[string]any)["server"].(map[string]any)
		srv["wsrep_node_name"] = map[string]any{"value": "db1", "file": "/etc/my.cnf", "line": 5}
	}
	topo := Compute(hosts, Options{})
	if got := len(topo.Clusters); got != 2 {
		t.Fatalf("%d clusters %v, want 2", got, clustersOf(topo))
	}
	if topo.Hosts["r1-db1"].Cluster == topo.Hosts["r2-db1"].Cluster {
		t.Fatalf("both db1 nodes in %s", topo.Hosts["r1-db1"].Cluster)
	}
}

// Loopback and wildcard addresses are on every host: they never link.
func TestLocalAddressesDoNotLink(t *testing.T) {
	hosts := map[string]map[string]any{}
	region(hosts, "10.1.0")
	region(hosts, "10.2.0")
	for _, n := range []string{"r1-db1", "r2-db1"} {
		srv := hosts[n]["mysql"].(map[string]any)["server"].(map[string]any)
		srv["wsrep_node_address"] = map[string]any{"value": "127.0.0.1", "file": "/etc/my.cnf", "line": 4}
	}
	for _, n := range []string{"r1-ctl", "r2-ctl"} {
		f := hosts[n]["files"].(map[string]any)["/etc/nova/nova.conf"].(map[string]any)
		f["options"].(map[string]any)["api_database"] = map[string]any{"connection": map[string]any{"value": "mysql://nova:****@localhost/nova_api", "set": true, "line": 30}}
		px := hosts[n]["haproxy"].(map[string]any)["proxies"].(map[string]any)["galera"].(map[string]any)
		px["binds"] = append(px["binds"].([]any), map[string]any{"addr": "*", "port": 9200, "line": 11, "file": "/etc/haproxy/haproxy.cfg"})
	}
	if got := len(Compute(hosts, Options{}).Clusters); got != 2 {
		t.Fatalf("%d clusters, want 2", got)
	}
}

// A host known by its name in one file and by its address in another is
// one host: a haproxy server line naming db1 links to db1's bind address.
func TestNameAndAddressLink(t *testing.T) {
	hosts := map[string]map[string]any{
		"ctl": withHAProxy(controller("vip.example", "rabbit.example"), "vip.example", "db1"),
		"db1": withMySQL(host(), map[string]string{"bind_address": "10.9.0.21"}),
		// Another linked pair, so that the fleet is not one cluster by default.
		"x1": controller("10.5.0.10", "10.5.0.11"),
		"x2": controller("10.5.0.10", "10.5.0.11"),
	}
	topo := Compute(hosts, Options{})
	if topo.Hosts["ctl"].Cluster != topo.Hosts["db1"].Cluster || topo.Hosts["ctl"].Cluster == topo.Hosts["x1"].Cluster {
		t.Fatalf("clusters %v", clustersOf(topo))
	}
	var p *DBPath
	for _, x := range topo.DBPaths {
		if x.Host == "ctl" {
			p = x
		}
	}
	if p == nil || !reflect.DeepEqual(p.Nodes, []string{"db1"}) || p.Via != "listener" {
		t.Fatalf("path %+v", p)
	}
}

// Nothing links: the hosts are one deployment, and the note says it was a guess.
func TestUnlinkedHostsAreOneClusterWithANote(t *testing.T) {
	hosts := map[string]map[string]any{
		"ctl1": controller("10.0.0.10", "10.0.0.11"),
		"db1":  withMySQL(host(), map[string]string{"bind_address": "10.0.0.21"}),
	}
	topo := Compute(hosts, Options{})
	if len(topo.Clusters) != 1 || !topo.Clusters[0].Guessed || len(topo.Notes) != 1 {
		t.Fatalf("clusters %v notes %v", clustersOf(topo), topo.Notes)
	}
	if !strings.Contains(topo.Summary(), "1 cluster (inferred)") || !strings.Contains(topo.Summary(), "share no endpoint") {
		t.Errorf("summary %q", topo.Summary())
	}
	// The DB path falls back to the cluster's DB nodes, and says so.
	if p := topo.DBPaths[0]; p.Via != "cluster" || !reflect.DeepEqual(p.Nodes, []string{"db1"}) {
		t.Errorf("path %+v", p)
	}
}

// A shared keystone does not merge regions: keystone endpoints only place
// hosts nothing else placed.
func TestSharedKeystoneDoesNotMerge(t *testing.T) {
	hosts := map[string]map[string]any{}
	region(hosts, "10.1.0")
	region(hosts, "10.2.0")
	for n, h := range hosts {
		if f, ok := h["files"].(map[string]any)["/etc/nova/nova.conf"].(map[string]any); ok {
			f["sections"].(map[string]any)["keystone_authtoken"] = map[string]any{"line": 40, "keys": map[string]any{
				"www_authenticate_uri": map[string]any{"value": "https://keystone.example:5000/", "line": 41}}}
		}
		_ = n
	}
	if got := len(Compute(hosts, Options{}).Clusters); got != 2 {
		t.Fatalf("%d clusters, want 2", got)
	}
}

func TestAssignmentOverridesInference(t *testing.T) {
	hosts := map[string]map[string]any{}
	region(hosts, "10.1.0")
	region(hosts, "10.2.0")
	a := &Assignment{Source: SourceInventory, Origin: "inv.ini", Hosts: map[string]string{}, Where: map[string]Evidence{}}
	for n := range hosts {
		a.Hosts[n] = "all-in-one"
		a.Where[n] = Evidence{File: "inv.ini", Line: 2, Why: "group all-in-one"}
	}
	topo := Compute(hosts, Options{Assign: a})
	if len(topo.Clusters) != 1 || topo.Clusters[0].Name != "all-in-one" || topo.Clusters[0].Source != SourceInventory {
		t.Fatalf("clusters %v", clustersOf(topo))
	}
	if ev := topo.Hosts["r1-db1"].Placed; len(ev) != 1 || ev[0].File != "inv.ini" {
		t.Errorf("placed %v", ev)
	}
}

func TestURLHosts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want [][2]string
	}{
		{"mysql+pymysql://nova:****@10.0.0.10/nova", [][2]string{{"10.0.0.10", "3306"}}},
		{"mysql://nova:p@[fd00::10]:3307/nova?charset=utf8", [][2]string{{"fd00::10", "3307"}}},
		{"rabbit://a:b@h1:5672,a:b@H2:5673/", [][2]string{{"h1", "5672"}, {"h2", "5673"}}},
		{"sqlite:///var/lib/nova.db", nil},
		{"not a url", nil},
	} {
		if got := URLHosts(c.in, 3306); !reflect.DeepEqual(got, c.want) {
			t.Errorf("URLHosts(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := GcommMembers("gcomm://10.0.0.1:4567,[fd00::2],db3?pc.wait_prim=no"); !reflect.DeepEqual(got, []string{"10.0.0.1", "fd00::2", "db3"}) {
		t.Errorf("GcommMembers = %v", got)
	}
	for _, a := range []string{"", "*", "0.0.0.0", "::", "[::1]", "127.0.1.1", "localhost", "{{ vip }}"} {
		if !Unspecified(a) {
			t.Errorf("%q should not link hosts", a)
		}
	}
	if Unspecified("10.0.0.1") || Unspecified("db1") {
		t.Error("real addresses are specified")
	}
}

// Keystone federation is a cluster fact: an haproxy host's keystone
// listener is judged by the keystone.conf files of its cluster, wherever
// they are. Only an explicitly set [auth] methods list counts (keystone's
// default list names mapped), and a [federation] section only with a key
// set (a sample-derived file has the header with everything commented).
func TestKeystoneFederation(t *testing.T) {
	ks := func(keys map[string]map[string]string) map[string]any { return oslo("keystone", keys, nil) }
	dbKeys := map[string]string{"connection": "mysql+pymysql://keystone:****@10.0.0.10/keystone"}
	for _, tc := range []struct {
		name string
		keys map[string]map[string]string
		why  string // "" when not federated
	}{
		{"openid", map[string]map[string]string{"auth": {"methods": "password, token,OpenID"}}, "[auth] methods includes openid"},
		{"saml2", map[string]map[string]string{"auth": {"methods": "password,token,saml2"}}, "[auth] methods includes saml2"},
		{"mapped", map[string]map[string]string{"auth": {"methods": "password,token,mapped"}}, "[auth] methods includes mapped"},
		{"federation", map[string]map[string]string{"federation": {"trusted_dashboard": "https://h/auth/websso/"}}, "[federation] trusted_dashboard"},
		{"plain", map[string]map[string]string{"auth": {"methods": "password,token,application_credential"}}, ""},
		{"empty header", map[string]map[string]string{"federation": {}}, ""},
	} {
		keys := map[string]map[string]string{"database": dbKeys}
		for g, kv := range tc.keys {
			keys[g] = kv
		}
		lb := withHAProxy(host(), "10.0.0.10", "10.0.0.21")
		hosts := map[string]map[string]any{"lb1": lb, "ctl1": host(ks(keys))}
		topo := Compute(hosts, Options{})
		v := topo.View()
		c := obj(v, "clusters")[topo.Hosts["lb1"].Cluster].(map[string]any)
		if topo.Hosts["lb1"].Cluster != topo.Hosts["ctl1"].Cluster {
			t.Fatalf("%s: lb1 and ctl1 in different clusters", tc.name)
		}
		got := list(c["keystone_federation"])
		if tc.why == "" {
			if len(got) != 0 {
				t.Errorf("%s: federation %v, want none", tc.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0]["host"] != "ctl1" || got[0]["file"] != "/etc/keystone/keystone.conf" || got[0]["why"] != tc.why || model.AsInt(got[0]["line"]) == 0 {
			t.Errorf("%s: federation %v, want one from ctl1 with why %q", tc.name, got, tc.why)
		}
		ff := obj(v, "hosts", "ctl1", "files", "/etc/keystone/keystone.conf", "federation")
		if ff == nil || ff["why"] != tc.why {
			t.Errorf("%s: file fact %v", tc.name, ff)
		}
	}
}
