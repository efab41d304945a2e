package oslo

import (
	"bytes"
	"errors"
	"github.com/oscfg/oscfg/internal/corpus"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/parsers"
)

// refused lists the corpus files oslo.config itself rejects, with the line
// and the message it reports (SOURCES.tsv explains each file).
var refused = map[string]struct {
	line int
	msg  string
	why  string
}{
	"nova/diablo-flagfile-nova.conf": {1, "Section must be started before assignment",
		"Diablo gflags flagfile ('--key=value' lines, no sections): pre-INI format"},
}

func TestCorpusRoundTrip(t *testing.T) {
	c := corpus.Dir(t)
	seen := map[string]bool{}
	for _, sub := range []string{"nova", "keystone"} {
		files, err := os.ReadDir(filepath.Join(c, sub))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no files in %s", sub)
		}
		for _, f := range files {
			name := sub + "/" + f.Name()
			t.Run(name, func(t *testing.T) {
				src, err := os.ReadFile(filepath.Join(c, name))
				if err != nil {
					t.Fatal(err)
				}
				d, err := Parse(name, src)
				if r, ok := refused[name]; ok {
					seen[name] = true
					var pe *parsers.Error
					if !errors.As(err, &pe) {
						t.Fatalf("want *parsers.Error (%s), got %v", r.why, err)
					}
					if pe.Line != r.line || pe.File != name || !strings.Contains(pe.Msg, r.msg) {
						t.Fatalf("got %v, want %s:%d: %s", err, name, r.line, r.msg)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := d.Bytes(); !bytes.Equal(got, src) {
					t.Fatalf("round trip differs (%d vs %d bytes)", len(got), len(src))
				}
				if len(d.Sections) == 0 {
					t.Fatal("no sections found")
				}
			})
		}
	}
	for name := range refused {
		if !seen[name] {
			t.Errorf("refused file %s not in the corpus", name)
		}
	}
}

func TestCorpusPositions(t *testing.T) {
	c := corpus.Dir(t)
	cases := []struct {
		file, section, key string
		line               int
		raw, value         string
	}{
		{"nova/rdo-packstack-havana-nova.conf", "database", "idle_timeout", 62, "3600", "3600"},
		{"keystone/keystone-tests-backend_sql-master.conf", "database", "connection_recycle_time", 8, "200", "200"},
		{"nova/aafc-folsom-nova-network.conf", "DEFAULT", "fixed_range", 38, "''", ""},
		{"nova/aafc-folsom-nova-network.conf", "DEFAULT", "rpc_backend", 19, "nova.openstack.common.rpc.impl_kombu", "nova.openstack.common.rpc.impl_kombu"},
		{"keystone/insights-keystone-short.conf", "DEFAULT", "admin_token", 7, "ADMIN", "ADMIN"},
		{"nova/liangxp-liberty-prod-template-nova.conf", "DEFAULT", "dhcpbridge_flagfile", 76, "/etc/nova/nova.conf", "/etc/nova/nova.conf"},
	}
	for _, tc := range cases {
		src, err := os.ReadFile(filepath.Join(c, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(tc.file, src)
		if err != nil {
			t.Fatal(err)
		}
		es := d.Lookup(tc.section, tc.key)
		if len(es) == 0 {
			t.Fatalf("%s: [%s] %s not found", tc.file, tc.section, tc.key)
		}
		e := es[len(es)-1]
		if e.Line != tc.line || string(src[e.ValStart:e.ValEnd]) != tc.raw || e.Value != tc.value {
			t.Errorf("%s: [%s] %s: line %d raw %q value %q; want %d %q %q", tc.file, tc.section, tc.key, e.Line, src[e.ValStart:e.ValEnd], e.Value, tc.line, tc.raw, tc.value)
		}
		if got := string(src[e.KeyStart:e.KeyEnd]); got != tc.key {
			t.Errorf("key span %q", got)
		}
	}
	// Repeated keys are all kept (MultiStrOpt), in order.
	src, _ := os.ReadFile(filepath.Join(c, "nova/drbd-pacemaker-grizzly-nova.conf"))
	d, err := Parse("x", src)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, e := range d.Lookup("DEFAULT", "auth_strategy") {
		lines = append(lines, e.Line)
	}
	if !slices.Equal(lines, []int{6, 16}) {
		t.Errorf("auth_strategy lines %v", lines)
	}
}

type kv struct {
	sec, name, value string
	line, last       int
}

func entries(d *Doc) []kv {
	var out []kv
	for _, e := range d.Entries {
		out = append(out, kv{e.Section, e.Name, e.Value, e.Line, e.LastLine})
	}
	return out
}

func TestSemantics(t *testing.T) {
	cases := []struct {
		name, src string
		want      []kv
	}{
		{"continuation", "[DEFAULT]\nk = first\n  second\n\tthird\nj=1\n",
			[]kv{{"DEFAULT", "k", "first\nsecond\nthird", 2, 4}, {"DEFAULT", "j", "1", 5, 5}}},
		{"blank line ends continuation", "[a]\nk = v\n\nx = y\n",
			[]kv{{"a", "k", "v", 2, 2}, {"a", "x", "y", 4, 4}}},
		{"indented # is value text", "[a]\nk = v\n  # not a comment\n",
			[]kv{{"a", "k", "v\n# not a comment", 2, 3}}},
		{"comment at column 0 only", "[a]\n# c\n; c\nk=v\n", []kv{{"a", "k", "v", 4, 4}}},
		{"inline # kept (passwords)", "[database]\nconnection = mysql+pymysql://nova:NOVA#DB;PASS@db/nova # x\n",
			[]kv{{"database", "connection", "mysql+pymysql://nova:NOVA#DB;PASS@db/nova # x", 2, 2}}},
		{"first of : or =", "[a]\nauth_type: password\nurl = http://h:80/\nx:y=z\n",
			[]kv{{"a", "auth_type", "password", 2, 2}, {"a", "url", "http://h:80/", 3, 3}, {"a", "x", "y=z", 4, 4}}},
		{"DEFAULT case kept, others lowered", "[DEFAULT]\na=1\n[Default]\nb=2\n[Keystone_Authtoken]\nc=3\n",
			[]kv{{"DEFAULT", "a", "1", 2, 2}, {"default", "b", "2", 4, 4}, {"keystone_authtoken", "c", "3", 6, 6}}},
		{"dash is underscore", "[a]\nmax-pool-size = 5\n", []kv{{"a", "max_pool_size", "5", 2, 2}}},
		{"empty value", "[a]\nk =\nj=\n", []kv{{"a", "k", "", 2, 2}, {"a", "j", "", 3, 3}}},
		{"quotes", "[a]\nq = \"  padded  \"\ns='x'\nm = \"x'\nu = \"open\nl = \"\n",
			[]kv{{"a", "q", "  padded  ", 2, 2}, {"a", "s", "x", 3, 3}, {"a", "m", "\"x'", 4, 4},
				// An unterminated quote is no oslo error: the quote stays.
				{"a", "u", "\"open", 5, 5},
				// Python's '"'[1:-1] is "".
				{"a", "l", "", 6, 6}}},
		{"no backslash continuation", "[a]\nb = a \\\nc = d\n", []kv{{"a", "b", "a \\", 2, 2}, {"a", "c", "d", 3, 3}}},
		{"CRLF", "[a]\r\nk = v\r\n  w\r\n", []kv{{"a", "k", "v\nw", 2, 3}}},
		{"no final newline", "[a]\nk = v", []kv{{"a", "k", "v", 2, 2}}},
		{"header with trailing blanks", "[a]  \nk=v\n", []kv{{"a", "k", "v", 2, 2}}},
		{"empty value then continuation", "[a]\nk =\n  x\n", []kv{{"a", "k", "\nx", 2, 3}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse("t.conf", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := entries(d); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if !bytes.Equal(d.Bytes(), []byte(tc.src)) {
				t.Error("round trip differs")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"keyless line", "[DEFAULT]\ndebug=true\nuse_stderr\n", 3, "No ':' or '=' found in assignment"},
		{"assignment before section", "# c\nk = v\n[DEFAULT]\n", 2, "Section must be started before assignment"},
		{"continuation without key", "[a]\n  x\n", 2, "Unexpected continuation line"},
		{"continuation after comment", "[a]\nk=v\n# c\n  x\n", 4, "Unexpected continuation line"},
		{"header without ]", "[DEFAULT]\nk=v\n[database # x\n", 3, "Invalid section"},
		{"header with trailing comment", "[database] # x\n", 1, "Invalid section"},
		{"empty section name", "[]\n", 1, "Empty section name"},
		{"empty key", "[a]\n= v\n", 2, "Key cannot be empty"},
		{"empty key, value not quoted", "[a]\n= S3cret-v\n", 2, `Key cannot be empty: "=" (value not shown)`},
		{"lone CR", "[a]\nk = v\rw\n", 2, "carriage return"},
		{"NUL", "[a]\nk = \x00\n", 2, "NUL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.conf", []byte(tc.src))
			var pe *parsers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("want *parsers.Error, got %v", err)
			}
			if pe.Line != tc.line || pe.File != "t.conf" || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("got %v, want line %d %q", err, tc.line, tc.msg)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "[DEFAULT]\r\n#c\r\ndebug=true\r\n\r\n[database]\nconnection = mysql://u:p@h/db\ndescription: a\n  b\n\n[a]\nk =\n[empty]"
	d, err := Parse("p", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key, sep, raw, whole string
	}{
		{"debug", "=", "true", "debug=true\r\n"},
		{"connection", " = ", "mysql://u:p@h/db", "connection = mysql://u:p@h/db\n"},
		{"description", ": ", "a\n  b", "description: a\n  b\n"},
		{"k", " =", "", "k =\n"},
	}
	for i, w := range want {
		e := d.Entries[i]
		if src[e.KeyStart:e.KeyEnd] != w.key || e.Sep != w.sep || src[e.KeyEnd:e.ValStart] != w.sep ||
			src[e.ValStart:e.ValEnd] != w.raw || src[e.Start:e.End] != w.whole {
			t.Errorf("%s: key %q sep %q raw %q whole %q", w.key, src[e.KeyStart:e.KeyEnd], e.Sep, src[e.ValStart:e.ValEnd], src[e.Start:e.End])
		}
	}
	secs := []struct{ header, block string }{
		{"[DEFAULT]", "[DEFAULT]\r\n#c\r\ndebug=true\r\n"},
		{"[database]", "[database]\nconnection = mysql://u:p@h/db\ndescription: a\n  b\n"},
		{"[a]", "[a]\nk =\n"},
		{"[empty]", "[empty]"},
	}
	if len(d.Sections) != len(secs) {
		t.Fatalf("%d sections", len(d.Sections))
	}
	for i, w := range secs {
		s := d.Sections[i]
		if src[s.Start:s.HeaderEnd] != w.header || src[s.Start:s.End] != w.block {
			t.Errorf("section %d: header %q block %q", i, src[s.Start:s.HeaderEnd], src[s.Start:s.End])
		}
	}
}

func TestViewAndSecrets(t *testing.T) {
	src := "[DEFAULT]\ndebug = true\n[database]\nconnection = mysql+pymysql://nova:S3cret@db/nova\n" +
		"[keystone_authtoken]\npassword = x\n[DATABASE]\nmax-pool-size = 5\nmax_pool_size = 10\n[pci]\nalias = a\nalias = b\n"
	d, err := Parse("v", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	view, secrets := d.View()
	want := map[string]any{"sections": map[string]any{
		"DEFAULT": map[string]any{"line": 1, "keys": map[string]any{
			"debug": map[string]any{"value": "true", "line": 2, "all": []any{map[string]any{"value": "true", "line": 2}}}}},
		"database": map[string]any{"line": 3, "keys": map[string]any{
			"connection": map[string]any{"value": "mysql+pymysql://nova:****@db/nova", "line": 4, "secret": true,
				"all": []any{map[string]any{"value": "mysql+pymysql://nova:****@db/nova", "line": 4}}},
			"max_pool_size": map[string]any{"value": "10", "line": 9,
				"all": []any{map[string]any{"value": "5", "line": 8}, map[string]any{"value": "10", "line": 9}}}}},
		"keystone_authtoken": map[string]any{"line": 5, "keys": map[string]any{
			"password": map[string]any{"value": "****", "line": 6, "secret": true, "all": []any{map[string]any{"value": "****", "line": 6}}}}},
		"pci": map[string]any{"line": 10, "keys": map[string]any{
			"alias": map[string]any{"value": "b", "line": 12,
				"all": []any{map[string]any{"value": "a", "line": 11}, map[string]any{"value": "b", "line": 12}}}}},
	}}
	if !reflect.DeepEqual(view, want) {
		t.Errorf("view\n got %#v\nwant %#v", view, want)
	}
	slices.Sort(secrets)
	if !slices.Equal(secrets, []string{"S3cret", "x"}) {
		t.Errorf("secrets %q", secrets)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[DEFAULT]\nk = v\n  cont\n#c\n",
		"[a]\r\nk: 'q'\r\n\r\n[b]\nx=\"\n",
		"k=v\n",
		"[a]\n \n\t#x\n",
		"[a]\nk = v",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("fuzz", src)
		if err != nil {
			var pe *parsers.Error
			if !errors.As(err, &pe) || pe.Line <= 0 {
				t.Fatalf("error without line: %v", err)
			}
			return
		}
		if !bytes.Equal(d.Bytes(), src) {
			t.Fatal("round trip differs")
		}
		for _, e := range d.Entries {
			if e.KeyStart > e.KeyEnd || e.KeyEnd > e.ValStart || e.ValStart > e.ValEnd || e.ValEnd > e.End || e.End > len(src) {
				t.Fatalf("bad spans %+v", e)
			}
		}
		d.View()
	})
}

// TestViewLastLine: a value continued on indented lines says where it ends,
// in the key and in its occurrence; a later one-line occurrence drops it.
func TestViewLastLine(t *testing.T) {
	d, err := Parse("n.conf", []byte("[DEFAULT]\nstate_path = /var/lib/nova\n  report_interval = 10\npassword = a\n  b\n[x]\nk = 1\n  2\nk = 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	view, _ := d.View()
	keys := func(g string) map[string]any {
		return view["sections"].(map[string]any)[g].(map[string]any)["keys"].(map[string]any)
	}
	sp := keys("DEFAULT")["state_path"].(map[string]any)
	if sp["last_line"] != 3 || sp["all"].([]any)[0].(map[string]any)["last_line"] != 3 || sp["value"] != "/var/lib/nova\nreport_interval = 10" {
		t.Errorf("state_path %v", sp)
	}
	if pw := keys("DEFAULT")["password"].(map[string]any); pw["last_line"] != 5 || pw["value"] != "****" {
		t.Errorf("password %v", pw)
	}
	k := keys("x")["k"].(map[string]any)
	if _, ok := k["last_line"]; ok || k["all"].([]any)[0].(map[string]any)["last_line"] != 8 {
		t.Errorf("k %v", k)
	}
}
