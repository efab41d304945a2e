package mycnf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

// refused lists galera corpus files MariaDB rejects. None is: every one
// reads cleanly with my_print_defaults 10.11 (the "negative cases" in
// SOURCES.tsv are about content, e.g. no wsrep, not syntax). A new invalid
// file goes here with its line and message.
var refused = map[string]struct {
	line int
	msg  string
}{}

func galeraFiles(t *testing.T) (string, []string) {
	c := filepath.Join(corpus.Dir(t), "galera")
	ents, err := os.ReadDir(c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		t.Fatal("no galera corpus files")
	}
	return c, names
}

func TestCorpusRoundTrip(t *testing.T) {
	dir, names := galeraFiles(t)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			d, err := Parse(n, src)
			if r, ok := refused[n]; ok {
				var pe *parsers.Error
				if !errors.As(err, &pe) || pe.Line != r.line || !strings.Contains(pe.Msg, r.msg) {
					t.Fatalf("got %v, want line %d %q", err, r.line, r.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(d.Bytes(), src) {
				t.Fatal("round trip differs")
			}
			if len(d.Groups) == 0 {
				t.Fatal("no groups")
			}
		})
	}
}

func TestCorpusPositions(t *testing.T) {
	dir, _ := galeraFiles(t)
	cases := []struct {
		file, name string
		line       int
		raw, value string
		hasValue   bool
	}{
		{"osha-guide-2016-galera-my.cnf", "wsrep_provider_options", 16, `"pc.recovery=TRUE;gcache.size=300M"`, "pc.recovery=TRUE;gcache.size=300M", true},
		{"insights-galera.cnf", "key_buffer_size", 7, "16M", "16M", true},
		{"ubuntu-ocata-99-openstack.cnf", "innodb_file_per_table", 5, "", "", false},
		{"codership-doc-aws-galera-section.cnf", "wsrep_node_name", 5, "'galera1'", "galera1", true},
		{"codership-galera-debian-my.cnf", "skip_external_locking", 49, "", "", false},
		{"codership-galera-debian-my.cnf", "key_buffer", 60, "16M", "16M", true},
	}
	for _, tc := range cases {
		src, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(tc.file, src)
		if err != nil {
			t.Fatal(err)
		}
		var o *Option
		for _, x := range d.Options {
			if x.Name == tc.name && o == nil {
				o = x // the first occurrence
			}
		}
		if o == nil {
			t.Fatalf("%s: %s not found", tc.file, tc.name)
		}
		if o.Line != tc.line || string(src[o.ValStart:o.ValEnd]) != tc.raw || o.Value != tc.value || o.HasValue != tc.hasValue ||
			string(src[o.NameStart:o.NameEnd]) != o.RawName {
			t.Errorf("%s: %s: line %d raw %q value %q has %v", tc.file, tc.name, o.Line, src[o.ValStart:o.ValEnd], o.Value, o.HasValue)
		}
	}
	src, _ := os.ReadFile(filepath.Join(dir, "codership-galera-debian-my.cnf"))
	d, err := Parse("x", src)
	if err != nil {
		t.Fatal(err)
	}
	if want := []*Include{{Directive: "!includedir", Path: "/etc/mysql/conf.d/", Line: 138}}; !reflect.DeepEqual(d.Includes, want) {
		t.Errorf("includes %+v", d.Includes[0])
	}
}

type opt struct {
	group, name, raw, value string
	has, loose              bool
	line                    int
}

func options(d *Doc) []opt {
	var out []opt
	for _, o := range d.Options {
		out = append(out, opt{o.Group, o.Name, o.RawName, o.Value, o.HasValue, o.Loose, o.Line})
	}
	return out
}

func TestSemantics(t *testing.T) {
	cases := []struct {
		name, src string
		want      []opt
	}{
		{"dash and underscore", "[mysqld]\nwait-timeout = 600\nwait_timeout=700\n",
			[]opt{{"mysqld", "wait_timeout", "wait-timeout", "600", true, false, 2}, {"mysqld", "wait_timeout", "wait_timeout", "700", true, false, 3}}},
		{"loose prefix", "[mysqld]\nloose-wsrep-on=ON\nloose_x\n",
			[]opt{{"mysqld", "wsrep_on", "loose-wsrep-on", "ON", true, true, 2}, {"mysqld", "x", "loose_x", "", false, true, 3}}},
		{"boolean option", "[mysqld]\n  skip-name-resolve  \nquick # c\n",
			[]opt{{"mysqld", "skip_name_resolve", "skip-name-resolve", "", false, false, 2}, {"mysqld", "quick", "quick", "", false, false, 3}}},
		{"# comment after value, ; kept", "[mysqld]\nmax_connections = 4096 # raised\nh = x ; y\npassword = pa#ss\n",
			[]opt{{"mysqld", "max_connections", "max_connections", "4096", true, false, 2},
				{"mysqld", "h", "h", "x ; y", true, false, 3}, {"mysqld", "password", "password", "pa", true, false, 4}}},
		// Each expected value below was checked with my_print_defaults 10.11.
		{"quotes and escapes", "[mysqld]\nb = \"x\" # c\nc='y'\nd=\"a\\\"b\"\ne=a\\sb\\qc\\\nf=\"\nj = \"a\"b\"\nk=\\\"abc # d\nauth = \"sst:pa#ss\"\nn=\\n\\t\\\\\n",
			[]opt{{"mysqld", "b", "b", "x", true, false, 2}, {"mysqld", "c", "c", "y", true, false, 3},
				{"mysqld", "d", "d", `a"b`, true, false, 4}, {"mysqld", "e", "e", `a b\qc\`, true, false, 5},
				{"mysqld", "f", "f", `"`, true, false, 6}, {"mysqld", "j", "j", `a"b`, true, false, 7},
				{"mysqld", "k", "k", `"abc # d`, true, false, 8}, {"mysqld", "auth", "auth", "sst:pa#ss", true, false, 9},
				{"mysqld", "n", "n", "\n\t\\", true, false, 10}}},
		// An unterminated quote is accepted by MariaDB: the quote stays and
		// a '#' after it is no comment.
		{"unterminated quote", "[mysqld]\na=\"foo # bar\n", []opt{{"mysqld", "a", "a", `"foo # bar`, true, false, 2}}},
		{"group names", "[MYSQLD]\na=1\n[mysqld ] junk\nb=2\n[ galera]\nc=3\n[]\nd=\n",
			[]opt{{"MYSQLD", "a", "a", "1", true, false, 2}, {"mysqld", "b", "b", "2", true, false, 4},
				{" galera", "c", "c", "3", true, false, 6}, {"", "d", "d", "", true, false, 8}}},
		{"comments and blanks", "# c\n; c\n\n  # c\n[client]\n\tport = 3306\r\n", []opt{{"client", "port", "port", "3306", true, false, 6}}},
		{"no final newline", "[mysqld]\na = 1", []opt{{"mysqld", "a", "a", "1", true, false, 2}}},
		{"directives need no group", "!include /x.cnf\n[mysqld]\n!foo bar\na=1\n", []opt{{"mysqld", "a", "a", "1", true, false, 4}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse("t.cnf", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := options(d); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if !bytes.Equal(d.Bytes(), []byte(tc.src)) {
				t.Error("round trip differs")
			}
		})
	}
}

func TestDirectives(t *testing.T) {
	cases := []struct {
		src  string
		want []*Include
	}{
		{"!include /etc/a.cnf\n!includedir\t/etc/my.cnf.d/  \r\n", []*Include{{"!include", "/etc/a.cnf", 1, nil}, {"!includedir", "/etc/my.cnf.d/", 2, nil}}},
		{"  ! include x\n!includex y\n!foo\n", []*Include{{"!include", "x", 1, nil}}},
		// get_argument() drops the last byte read, assuming it is '\n': on
		// a last line without newline the path loses its last character.
		{"!includedir /etc/my.cnf.d", []*Include{{"!includedir", "/etc/my.cnf.", 1, nil}}},
		{"!includedir /etc/my.cnf.d ", []*Include{{"!includedir", "/etc/my.cnf.d", 1, nil}}},
	}
	for _, tc := range cases {
		d, err := Parse("t", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.Includes, tc.want) {
			t.Errorf("%q: got %+v", tc.src, d.Includes)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"option before group", "# c\na=1\n[mysqld]\n", 2, "without preceding group"},
		{"no closing ]", "[mysqld]\na=1\n[mysqld\n", 3, "Wrong group definition"},
		{"include without path", "[mysqld]\n!include  \n", 2, "Wrong '!include' directive"},
		{"include at EOF with one-letter path", "[mysqld]\n!include x", 2, "Wrong '!include' directive"},
		{"overlong line", "[mysqld]\na=" + strings.Repeat("x", 5000) + "\n", 2, "longer than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.cnf", []byte(tc.src))
			var pe *parsers.Error
			if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("got %v, want line %d %q", err, tc.line, tc.msg)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "[mysqld]\r\nmax_connections = 4096 # raised\r\nskip-name-resolve\r\nempty =  # c\r\n\tx\t=\t'q' \n[galera]"
	d, err := Parse("p", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ name, sep, raw, whole string }{
		{"max_connections", " = ", "4096", "max_connections = 4096 # raised\r\n"},
		{"skip-name-resolve", "", "", "skip-name-resolve\r\n"},
		{"empty", " =", "", "empty =  # c\r\n"},
		{"x", "\t=\t", "'q'", "\tx\t=\t'q' \n"},
	}
	for i, w := range want {
		o := d.Options[i]
		if src[o.NameStart:o.NameEnd] != w.name || o.Sep != w.sep || src[o.NameEnd:o.ValStart] != w.sep ||
			src[o.ValStart:o.ValEnd] != w.raw || src[o.Start:o.End] != w.whole {
			t.Errorf("%s: name %q sep %q raw %q whole %q", w.name, src[o.NameStart:o.NameEnd], o.Sep, src[o.ValStart:o.ValEnd], src[o.Start:o.End])
		}
	}
	g := d.Groups
	if len(g) != 2 || src[g[0].Start:g[0].HeaderEnd] != "[mysqld]" || src[g[0].Start:g[0].End] != src[:len(src)-len("[galera]")] ||
		src[g[1].Start:g[1].End] != "[galera]" {
		t.Errorf("groups %+v", g)
	}
}

func TestViewAndSecrets(t *testing.T) {
	src := "[client]\npassword = x\n[mysqld]\nwsrep_sst_auth = \"sst:S3cret\"\nloose-wait-timeout=600\n" +
		"wsrep_provider_options=\"gcache.size=1G; socket.ssl_key_password=K3y\"\n!includedir /etc/my.cnf.d\n"
	d, err := Parse("v", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	view, secrets := d.View()
	want := map[string]any{
		"groups": []any{
			map[string]any{"name": "client", "line": 1, "server": false, "options": []any{
				map[string]any{"name": "password", "raw_name": "password", "value": "****", "has_value": true, "loose": false, "line": 2, "secret": true}}},
			map[string]any{"name": "mysqld", "line": 3, "server": true, "options": []any{
				map[string]any{"name": "wsrep_sst_auth", "raw_name": "wsrep_sst_auth", "value": "****", "has_value": true, "loose": false, "line": 4, "secret": true},
				map[string]any{"name": "wait_timeout", "raw_name": "loose-wait-timeout", "value": "600", "has_value": true, "loose": true, "line": 5},
				map[string]any{"name": "wsrep_provider_options", "raw_name": "wsrep_provider_options", "value": "gcache.size=1G; socket.ssl_key_password=****", "has_value": true, "loose": false, "line": 6, "secret": true},
			}},
		},
		"includes": []any{map[string]any{"directive": "!includedir", "path": "/etc/my.cnf.d", "line": 7}},
	}
	if !reflect.DeepEqual(view, want) {
		t.Errorf("view\n got %#v\nwant %#v", view, want)
	}
	slices.Sort(secrets)
	secrets = slices.Compact(secrets)
	// The raw form (quotes kept) is reported too, for diffs of the file.
	if !slices.Equal(secrets, []string{`"sst:S3cret"`, "K3y", "sst:S3cret", "x"}) {
		t.Errorf("secrets %q", secrets)
	}
}

// tree writes files under a fresh root; a value starting with "->" makes
// a symlink to the rest.
func tree(t testing.TB, files map[string]string) string {
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(content, "->"); ok {
			err = os.Symlink(target, full)
		} else if strings.HasSuffix(p, "/") {
			err = os.MkdirAll(full, 0o755)
		} else {
			err = os.WriteFile(full, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func paths(docs []*Doc) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.Path)
	}
	return out
}

func TestLoad(t *testing.T) {
	root := tree(t, map[string]string{
		"etc/my.cnf": "[mysqld]\nmax_connections=100\nwait_timeout=1\n!includedir /etc/my.cnf.d\n" +
			"!include /etc/missing.cnf\n!include extra/rel.cnf\nwait_timeout=3\n",
		"etc/my.cnf.d/b.cnf":         "[galera]\nmax_connections=300\nwsrep_provider_options=\"gcache.size=1G;pc.recovery = TRUE;;evs.x\"\n",
		"etc/my.cnf.d/a.cnf":         "[mysqld]\nmax_connections=200\nwait_timeout=2\n[client]\nport=1\n",
		"etc/my.cnf.d/c.conf":        "[mysqld]\nignored=1\n",
		"etc/my.cnf.d/d.cnf.bak":     "[mysqld]\nignored=1\n",
		"etc/my.cnf.d/dir.cnf/":      "",
		"etc/my.cnf.d/link.cnf":      "->/etc/alt/real.cnf", // absolute: inside the root
		"etc/alt/real.cnf":           "[server]\nlinked=1\n",
		"extra/rel.cnf":              "[mariadb-10.6]\nrel=1\n", // relative include: from "/"
		"etc/unrelated/ignored.cnf":  "[mysqld]\nignored=1\n",
		"etc/my.cnf.d/.hidden.cnf.x": "[mysqld]\nignored=1\n",
	})
	docs, err := Load(root, "/etc/my.cnf")
	if err != nil {
		t.Fatal(err)
	}
	wantPaths := []string{"/etc/my.cnf", "/etc/my.cnf.d/a.cnf", "/etc/my.cnf.d/b.cnf", "/etc/my.cnf.d/link.cnf", "/extra/rel.cnf"}
	if got := paths(docs); !slices.Equal(got, wantPaths) {
		t.Fatalf("paths %q", got)
	}
	if docs[3].Source != filepath.Join(root, "etc/alt/real.cnf") {
		t.Errorf("symlink source %s", docs[3].Source)
	}
	m := Merge(docs)
	// Merge must not depend on the order of the list: links decide.
	rev := slices.Clone(docs)
	slices.Reverse(rev)
	if m2 := Merge(rev); !reflect.DeepEqual(m["server"], m2["server"]) {
		t.Errorf("Merge depends on list order")
	}
	wantFiles := []any{"/etc/my.cnf", "/etc/my.cnf.d/a.cnf", "/etc/my.cnf.d/b.cnf", "/etc/my.cnf.d/link.cnf", "/extra/rel.cnf"}
	if !reflect.DeepEqual(m["files"], wantFiles) {
		t.Errorf("files %v", m["files"])
	}
	server := m["server"].(map[string]any)
	want := map[string]any{
		// b.cnf [galera] comes after a.cnf [mysqld]: last one wins across groups and files.
		// Each merged option lists the occurrences it replaced, in read order.
		"max_connections": map[string]any{"value": "300", "has_value": true, "file": "/etc/my.cnf.d/b.cnf", "line": 2, "group": "galera", "earlier": []any{
			map[string]any{"value": "100", "file": "/etc/my.cnf", "line": 2, "group": "mysqld"},
			map[string]any{"value": "200", "file": "/etc/my.cnf.d/a.cnf", "line": 2, "group": "mysqld"},
		}},
		// The line after the includes wins over what they set.
		"wait_timeout": map[string]any{"value": "3", "has_value": true, "file": "/etc/my.cnf", "line": 7, "group": "mysqld", "earlier": []any{
			map[string]any{"value": "1", "file": "/etc/my.cnf", "line": 3, "group": "mysqld"},
			map[string]any{"value": "2", "file": "/etc/my.cnf.d/a.cnf", "line": 3, "group": "mysqld"},
		}},
		"wsrep_provider_options": map[string]any{"value": "gcache.size=1G;pc.recovery = TRUE;;evs.x", "has_value": true,
			"file": "/etc/my.cnf.d/b.cnf", "line": 3, "group": "galera"},
		"linked": map[string]any{"value": "1", "has_value": true, "file": "/etc/my.cnf.d/link.cnf", "line": 2, "group": "server"},
		"rel":    map[string]any{"value": "1", "has_value": true, "file": "/extra/rel.cnf", "line": 2, "group": "mariadb-10.6"},
	}
	if !reflect.DeepEqual(server, want) {
		t.Errorf("server\n got %v\nwant %v", server, want)
	}
	wantWPO := map[string]any{
		"gcache.size": map[string]any{"value": "1G", "file": "/etc/my.cnf.d/b.cnf", "line": 3},
		"pc.recovery": map[string]any{"value": "TRUE", "file": "/etc/my.cnf.d/b.cnf", "line": 3},
		"evs.x":       map[string]any{"value": "", "file": "/etc/my.cnf.d/b.cnf", "line": 3, "invalid": true},
	}
	if !reflect.DeepEqual(m["wsrep_provider_options"], wantWPO) {
		t.Errorf("wsrep_provider_options %v", m["wsrep_provider_options"])
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		line  int
		msg   string
	}{
		{"relative symlink out of root", map[string]string{"etc/my.cnf": "!include /etc/x.cnf\n", "etc/x.cnf": "->../../../../../../../../../../../etc/hostname"}, 1, "does not resolve inside the host root"},
		{"absolute symlink to a file the host lacks", map[string]string{"etc/my.cnf": "!include /etc/x.cnf\n", "etc/x.cnf": "->/etc/hostname"}, 1, "-> /etc/hostname does not resolve inside the host root"},
		{"include depth over MariaDB's limit", depthChain(12), 2, "levels deep"},
		{"includedir fan-out", fanOut(), 2, "more than 500 option files"},
		{"symlink loop", map[string]string{"etc/my.cnf": "!include /etc/a.cnf\n", "etc/a.cnf": "->b.cnf", "etc/b.cnf": "->/etc/a.cnf"}, 1, "symlink loop"},
		{"symlink loop in includedir", map[string]string{"etc/my.cnf": "!includedir /etc/d\n", "etc/d": "->/etc/d"}, 1, "symlink loop"},
		{"include cycle", map[string]string{"etc/my.cnf": "[mysqld]\n!include /etc/a.cnf\n", "etc/a.cnf": "!include /etc/my.cnf\n"}, 1, "include cycle"},
		{"missing includedir is fatal", map[string]string{"etc/my.cnf": "[mysqld]\n\n!includedir /etc/my.cnf.d\n"}, 3, "Fatal error in defaults handling"},
		{"parse error in included file", map[string]string{"etc/my.cnf": "!include /etc/a.cnf\n", "etc/a.cnf": "\n\noops=1\n"}, 3, "without preceding group"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := tree(t, tc.files)
			_, err := Load(root, "/etc/my.cnf")
			var pe *parsers.Error
			if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("got %v, want line %d %q", err, tc.line, tc.msg)
			}
		})
	}
	root := tree(t, map[string]string{"etc/other.cnf": "[mysqld]\n"})
	var he *hostfs.Error
	if _, err := Load(root, "/etc/my.cnf"); !errors.As(err, &he) || he.Kind != hostfs.Missing || !strings.Contains(he.Msg, "no such file") {
		t.Errorf("missing entry file: %v", err)
	}
}

// depthChain is fa.cnf including fb.cnf ... n files deep, the last one
// with no include; as /etc/my.cnf first.
func depthChain(n int) map[string]string {
	files := map[string]string{}
	name := func(i int) string {
		if i == 0 {
			return "my.cnf"
		}
		return fmt.Sprintf("f%02d.cnf", i)
	}
	for i := 0; i < n; i++ {
		body := "[mysqld]\n"
		if i < n-1 {
			body += "!include /etc/" + name(i+1) + "\n"
		}
		files["etc/"+name(i)] = body
	}
	return files
}

// fanOut is six directories of four files, each file including the next
// directory: 4^6 reads if nothing stopped it, within the depth limit.
func fanOut() map[string]string {
	files := map[string]string{"etc/my.cnf": "[mysqld]\n!includedir /etc/d1\n"}
	for lvl := 1; lvl <= 6; lvl++ {
		for i := 0; i < 4; i++ {
			body := "[mysqld]\nx=1\n"
			if lvl < 6 {
				body = fmt.Sprintf("[mysqld]\n!includedir /etc/d%d\n", lvl+1)
			}
			files[fmt.Sprintf("etc/d%d/%d.cnf", lvl, i)] = body
		}
	}
	return files
}

// Chroot semantics: ".." stops at the root and absolute symlink targets
// are the host's own, so both read the copy's etc/passwd, never the
// machine's.
func TestLoadStaysInRoot(t *testing.T) {
	root := tree(t, map[string]string{
		"etc/my.cnf":         "[mysqld]\n!include /../../etc/passwd\n!include /etc/l.cnf\n",
		"etc/l.cnf":          "->/etc/mysql/real.cnf",
		"etc/passwd":         "[mysqld]\nfrom_root=1\n",
		"etc/mysql/real.cnf": "[mysqld]\nlinked=1\n",
	})
	docs, err := Load(root, "/etc/my.cnf")
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(docs); !slices.Equal(got, []string{"/etc/my.cnf", "/etc/passwd", "/etc/l.cnf"}) {
		t.Fatalf("paths %q", got)
	}
	if docs[1].Source != filepath.Join(root, "etc/passwd") || docs[2].Source != filepath.Join(root, "etc/mysql/real.cnf") {
		t.Errorf("sources %s %s", docs[1].Source, docs[2].Source)
	}
}

// The depth cap: the entry file is depth 0; a file at depth 10 may be read
// (MariaDB reads it) but not include more (TestLoadErrors).
func TestLoadDepthCap(t *testing.T) {
	docs, err := Load(tree(t, depthChain(11)), "/etc/my.cnf")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 11 {
		t.Errorf("read %d files, want 11: %q", len(docs), paths(docs))
	}
}

func TestIsServerGroup(t *testing.T) {
	for g, want := range map[string]bool{
		"mysqld": true, "MYSQLD": true, "server": true, "mariadb": true, "mariadbd": true, "galera": true,
		"client-server": true, "mysqld-10.1": true, "mariadb-10.6": true, "mariadbd-11.4": true, "mysqld-8.0": true,
		"client": false, "mysqld_safe": false, "mysql": false, "mariadb-client": false, "server-10.6": false,
		"mysql_safe": false, "embedded": false, " mysqld": false, "mariadb-": false,
	} {
		if IsServerGroup(g) != want {
			t.Errorf("IsServerGroup(%q) != %v", g, want)
		}
	}
}

func TestProviderOptions(t *testing.T) {
	got := ProviderOptions(` gcache.size = 300M ; pc.recovery=TRUE;; a=b\;c;x=y=z;novalue;`)
	want := []KV{{"gcache.size", "300M", true}, {"pc.recovery", "TRUE", true}, {"a", "b;c", true}, {"x", "y=z", true}, {"novalue", "", false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
}

// TestMyPrintDefaults compares what we read with MariaDB's own reader on
// every galera corpus file (includes commented out: they would read this
// machine's /etc).
func TestMyPrintDefaults(t *testing.T) {
	mpd, err := exec.LookPath("my_print_defaults")
	if err != nil {
		t.Skip("my_print_defaults not installed (Debian mariadb-client-core); .ci/run installs it")
	}
	dir, names := galeraFiles(t)
	tmp := t.TempDir()
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitAfter(string(src), "\n")
			for i, l := range lines {
				if strings.HasPrefix(strings.TrimLeft(l, " \t"), "!") {
					lines[i] = "#" + l
				}
			}
			src = []byte(strings.Join(lines, ""))
			f := filepath.Join(tmp, n)
			if err := os.WriteFile(f, src, 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := Parse(f, src)
			if err != nil {
				t.Fatal(err)
			}
			groups := []string{"mysqld", "galera", "server", "mariadb", "mariadbd", "client-server", "client", "mysqld_safe"}
			for _, g := range d.Groups {
				if IsServerGroup(g.Name) && !slices.Contains(groups, strings.ToLower(g.Name)) {
					groups = append(groups, strings.ToLower(g.Name))
				}
			}
			out, err := exec.Command(mpd, append([]string{"--defaults-file=" + f}, groups...)...).Output()
			if err != nil {
				t.Fatalf("my_print_defaults: %v", err)
			}
			var want, got []string
			for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
				if l != "" {
					want = append(want, l)
				}
			}
			wantServer := map[string]string{}
			for _, o := range d.Options {
				if !slices.Contains(groups, strings.ToLower(o.Group)) {
					continue
				}
				s := "--" + o.RawName
				if o.HasValue {
					s += "=" + o.Value
				}
				got = append(got, s)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("options differ\n got %q\nwant %q", got, want)
			}
			// Merge: last occurrence over the server groups only.
			out, err = exec.Command(mpd, "--defaults-file="+f, "--mysqld").Output()
			if err != nil {
				t.Fatalf("my_print_defaults: %v", err)
			}
			for _, l := range strings.Split(string(out), "\n") {
				if l == "" {
					continue
				}
				name, val, _ := strings.Cut(strings.TrimPrefix(l, "--"), "=")
				n, _ := normalize(name)
				wantServer[n], _ = redact.Value(n, val)
			}
			gotServer := map[string]string{}
			for k, v := range Merge([]*Doc{d})["server"].(map[string]any) {
				gotServer[k] = v.(map[string]any)["value"].(string)
			}
			if !reflect.DeepEqual(gotServer, wantServer) {
				t.Fatalf("merged server options differ\n got %v\nwant %v", gotServer, wantServer)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[mysqld]\na = \"b # c\" # d\nskip-x\n!includedir /etc/my.cnf.d\n",
		"[client]\r\npassword='p\\'w'\r\n",
		"a=1\n",
		"[x\n",
		"!include",
		"[galera]\nwsrep_provider_options=\"a=b;c\"",
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
		for _, o := range d.Options {
			if o.NameStart > o.NameEnd || o.NameEnd > o.ValStart || o.ValStart > o.ValEnd || o.ValEnd > o.End || o.End > len(src) {
				t.Fatalf("bad spans %+v", o)
			}
		}
		d.View()
		Merge([]*Doc{d})
	})
}
