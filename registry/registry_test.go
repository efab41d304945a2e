package registry

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestProvenance(t *testing.T) {
	if Release() != "zed" {
		t.Fatalf("release %q", Release())
	}
	v := Versions()
	for p, prefix := range map[string]string{"python3-nova": "2:26.", "python3-keystone": "2:22.", "python3-oslo.config": "1:9."} {
		if !strings.HasPrefix(v[p], prefix) {
			t.Errorf("versions[%s] = %q, want %s*", p, v[p], prefix)
		}
	}
	if got := strings.Join(Services(), ","); got != "keystone,nova" {
		t.Errorf("services %s", got)
	}
	if For("cinder") != nil {
		t.Error("cinder has no registry")
	}
	// Size sanity: nova reads about 1200 options on Zed, keystone about 450.
	for svc, lo := range map[string]int{"nova": 1000, "keystone": 350} {
		n := 0
		for _, g := range For(svc).Groups() {
			n += len(For(svc).Options(g))
		}
		if n < lo {
			t.Errorf("%s: only %d options", svc, n)
		}
	}
}

func TestKnown(t *testing.T) {
	for _, c := range []struct {
		svc, group, name string
		want             bool
	}{
		{"nova", "DEFAULT", "block_device_allocate_retries", true},
		{"nova", "DEFAULT", "block_device_allocate_retires", false},
		{"nova", "DEFAULT", "block-device-allocate-retries", true}, // '-' is '_'
		{"nova", "database", "connection", true},
		{"nova", "api_database", "connection", true},
		{"nova", "DEFAULT", "sql_connection", true}, // a deprecated alias is still read
		{"nova", "DATABASE", "connection", true},    // groups are lower-cased (not DEFAULT)
		{"nova", "default", "debug", false},         // [default] is not [DEFAULT]
		{"nova", "DEFAULT", "Debug", false},         // names are case-sensitive
		{"nova", "keystone_authtoken", "memcached_servers", true},
		{"nova", "keystone_authtoken", "auth_host", true}, // keystonemiddleware's legacy options
		{"nova", "database", "idle_timeout", false},       // removed in oslo.db 10.0.0
		{"nova", "oslo_concurrency", "lock_path", true},
		{"nova", "DEFAULT", "lock_path", true}, // alias of [oslo_concurrency] lock_path
		{"nova", "vault", "root_token_id", true},
		{"keystone", "token", "expiration", true},
		{"keystone", "token", "driver", false}, // gone in Rocky
		{"keystone", "keystone_authtoken", "auth_url", false},
		{"keystone", "fernet_tokens", "max_active_keys", true},
		{"cinder", "DEFAULT", "debug", false},
	} {
		if got := Known(c.svc, c.group, c.name); got != c.want {
			t.Errorf("Known(%s, %s, %s) = %v, want %v", c.svc, c.group, c.name, got, c.want)
		}
	}
}

func TestOptionFacts(t *testing.T) {
	nova := For("nova")
	o := nova.Option("DEFAULT", "block_device_allocate_retries")
	if o == nil || o.Kind != "integer" || o.Default != float64(60) || o.Min == nil || o.Min.String() != "0" {
		t.Fatalf("block_device_allocate_retries: %+v", o)
	}
	if o := nova.Option("database", "connection"); o == nil || !o.Secret {
		t.Errorf("[database] connection must be secret: %+v", o)
	}
	if o := nova.Option("libvirt", "virt_type"); o == nil || len(o.Choices) == 0 {
		t.Errorf("[libvirt] virt_type has choices: %+v", o)
	}
	if o := nova.Option("DEFAULT", "my_ip"); o == nil || o.Default != "<host_ipv4>" {
		t.Errorf("host-dependent defaults are the sample placeholders: %+v", o)
	}
	if o := nova.Option("vnc", "auth_schemes"); o == nil || o.Kind != "list" || o.Item == nil || len(o.Item.Choices) != 2 {
		t.Errorf("[vnc] auth_schemes is a list of choices: %+v", o)
	}
}

func TestReplacements(t *testing.T) {
	nova := For("nova")
	for _, c := range []struct {
		group, name string
		want        []string
	}{
		// nova's [api_database] copies oslo.db's options, aliases included.
		{"DEFAULT", "sql_connection", []string{"[database] connection", "[api_database] connection"}},
		{"database", "sql_connection", []string{"[database] connection", "[api_database] connection"}},
		{"sql", "connection", []string{"[database] connection", "[api_database] connection"}},
		{"DEFAULT", "lock_path", []string{"[oslo_concurrency] lock_path"}},
		{"DEFAULT", "log_config", []string{"[DEFAULT] log_config_append"}},
		{"DEFAULT", "rpc_conn_pool_size", nil}, // itself: not an alias
		{"neutron", "url", nil},                // only admin_token's endpoint: see Annotate
	} {
		var got []string
		for _, o := range nova.Replacements(c.group, c.name) {
			got = append(got, o.Ref().String())
		}
		if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
			t.Errorf("Replacements(%s, %s) = %q, want %q", c.group, c.name, got, c.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"retries", "retries", 0},
		{"retires", "retries", 1}, // transposition
		{"Debug", "debug", 1},     // case only
		{"memcache_servers", "memcached_servers", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
		{"ca", "abc", 3}, // OSA, not full Damerau
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	nova, ks := For("nova"), For("keystone")
	str := func(ss []Suggestion) string {
		var out []string
		for _, s := range ss {
			out = append(out, Name{s.Group, s.Name}.String())
		}
		return strings.Join(out, ", ")
	}
	for _, c := range []struct {
		s           *Service
		group, name string
		want        string
	}{
		{nova, "DEFAULT", "block_device_allocate_retires", "[DEFAULT] block_device_allocate_retries"},
		{nova, "keystone_authtoken", "memcache_servers", "[keystone_authtoken] memcached_servers"},
		{nova, "DEFAULT", "Debug", "[DEFAULT] debug"},
		// Not in the group: the same name elsewhere.
		{nova, "DEFAULT", "memcache_servers", "[cache] memcache_servers"},
		{nova, "DEFAULT", "virt_type", "[libvirt] virt_type"},
		{nova, "DEFAULT", "zzzz_nothing_like_it", ""},
		{ks, "token", "expiraton", "[token] expiration"},
	} {
		if got := str(c.s.Suggest(c.group, c.name)); got != c.want {
			t.Errorf("Suggest(%s, %s) = %q, want %q", c.group, c.name, got, c.want)
		}
	}
	if got := str(nova.SuggestGroup("keystone_auth_token")); got != "[keystone_authtoken] " {
		t.Errorf("SuggestGroup = %q", got)
	}
	if got := str(nova.SuggestGroup("default")); got != "[DEFAULT] " {
		t.Errorf("SuggestGroup(default) = %q", got)
	}
}

// bruteSuggest is Suggest without the index: every name compared.
func bruteSuggest(s *Service, group, name string) []Suggestion {
	limit := maxDistance(name)
	var in, other []Suggestion
	for g, opts := range s.groups {
		for n := range opts {
			if d := Distance(name, n); d <= limit {
				if g == group {
					in = append(in, Suggestion{Group: g, Name: n, Distance: d})
				} else {
					other = append(other, Suggestion{Group: g, Name: n, Distance: d})
				}
			}
		}
	}
	if out := closest(name, in); out != nil {
		return out
	}
	return closest(name, other)
}

// The length and character-set filters of the index must never drop a
// candidate Distance would keep: compare with the brute-force search on
// names one to three random edits away from real options.
func TestSuggestIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcdefghijklmnopqrstuvwxyz_0123456789-.ABZé"
	edit := func(s []rune) []rune {
		i := rng.IntN(len(s) + 1)
		c := []rune(alphabet)[rng.IntN(len([]rune(alphabet)))]
		switch rng.IntN(4) {
		case 0: // insert
			return slices.Insert(slices.Clone(s), i, c)
		case 1: // delete
			if i < len(s) {
				return slices.Delete(slices.Clone(s), i, i+1)
			}
		case 2: // substitute
			if i < len(s) {
				s = slices.Clone(s)
				s[i] = c
			}
		default: // transpose
			if i+1 < len(s) {
				s = slices.Clone(s)
				s[i], s[i+1] = s[i+1], s[i]
			}
		}
		return s
	}
	for _, svc := range []string{"nova", "keystone"} {
		s := For(svc)
		groups := sortedKeys(s.groups)
		n := 0
		for _, g := range groups {
			for _, name := range sortedKeys(s.groups[g]) {
				n++
				if n%7 != 0 {
					continue // a sample keeps the test quick
				}
				r := []rune(name)
				for k := rng.IntN(3) + 1; k > 0; k-- {
					r = edit(r)
				}
				probe, group := string(r), groups[rng.IntN(len(groups))]
				if rng.IntN(2) == 0 {
					group = g
				}
				got, want := s.Suggest(group, probe), bruteSuggest(s, group, probe)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: Suggest(%s, %q) = %v, brute force %v", svc, group, probe, got, want)
				}
			}
		}
		for _, g := range groups {
			r := edit(edit([]rune(g)))
			got := s.SuggestGroup(string(r))
			var want []Suggestion
			for _, g2 := range groups {
				if d := Distance(string(r), g2); d <= maxDistance(string(r)) {
					want = append(want, Suggestion{Group: g2, Distance: d})
				}
			}
			if want = closest(string(r), want); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: SuggestGroup(%q) = %v, brute force %v", svc, string(r), got, want)
			}
		}
	}
}
