package haproxy

import (
	"bytes"
	"errors"
	"github.com/oscfg/oscfg/internal/corpus"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/parsers"
)

func corpusFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join(corpus.Dir(t), "haproxy", "*.cfg"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .cfg files in the haproxy corpus (%v)", err)
	}
	return files
}

func mustParse(t *testing.T, src string) *Doc {
	t.Helper()
	d, err := Parse("test.cfg", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return d
}

// parseErr asserts Parse fails with a *parsers.Error on the given line.
func parseErr(t *testing.T, src string, line int, msgPart string) {
	t.Helper()
	_, err := Parse("test.cfg", []byte(src))
	var pe *parsers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *parsers.Error on line %d, got %v\n%q", line, err, src)
	}
	if pe.Line != line || pe.File != "test.cfg" || !strings.Contains(pe.Msg, msgPart) {
		t.Errorf("got %v; want line %d with %q\n%q", pe, line, msgPart, src)
	}
}

// Every corpus file parses (none has a grammar error: what haproxy 2.6
// rejects in them is keyword-level, see haproxy_test.go), gives back its
// exact bytes, and every position points at what it claims.
func TestCorpusRoundTrip(t *testing.T) {
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(f, src)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if !bytes.Equal(d.Bytes(), src) {
			t.Errorf("%s: Bytes() differs from the input", filepath.Base(f))
		}
		checkPositions(t, filepath.Base(f), d, src)
	}
}

func checkPositions(t *testing.T, name string, d *Doc, src []byte) {
	t.Helper()
	for _, s := range d.Sections {
		hl := d.Lines[s.Line-1]
		if s.Start != hl.Start || s.HeaderEnd != hl.End() || !strings.Contains(hl.Text, s.Type) {
			t.Errorf("%s:%d: bad header span for %s %s", name, s.Line, s.Type, s.Name)
		}
		if s.End < hl.Next() || s.End > len(src) || (s.End > 0 && s.End < len(src) && src[s.End-1] != '\n') {
			t.Errorf("%s:%d: section End %d is not at a line start", name, s.Line, s.End)
		}
		for _, dir := range s.Directives {
			l := d.Lines[dir.Line-1]
			if dir.Start != l.Start || dir.End != l.End() {
				t.Errorf("%s:%d: directive span %d-%d, line is %d-%d", name, dir.Line, dir.Start, dir.End, l.Start, l.End())
			}
			if dir.End > s.End {
				t.Errorf("%s:%d: directive after its section's End", name, dir.Line)
			}
			for _, w := range dir.Words {
				if w.Start < l.Start || w.End > l.End() || w.Start > w.End {
					t.Errorf("%s:%d: word %q span %d-%d outside its line", name, dir.Line, w.Text, w.Start, w.End)
				}
				// A word without quotes or escapes is its raw text.
				raw := string(src[w.Start:w.End])
				if !strings.ContainsAny(raw, `"'\`) && raw != w.Text {
					t.Errorf("%s:%d: raw %q != text %q", name, dir.Line, raw, w.Text)
				}
			}
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
		env  []bool
	}{
		{"a b\tc", []string{"a", "b", "c"}, nil},
		{"   lead  trail   ", []string{"lead", "trail"}, nil},
		{`global#comment`, []string{"global"}, nil},
		{`a "b c" 'd e'`, []string{"a", "b c", "d e"}, nil},
		{`"%{+Q}o %t"' %s'\ %{-Q}r`, []string{"%{+Q}o %t %s %{-Q}r"}, nil},
		{`esc\x41\#x`, []string{"escA#x"}, nil},
		{`a\ b \\ \' \" \t\n\r`, []string{"a b", `\`, "'", `"`, "\t\n\r"}, nil},
		{`re\d+ trailing\`, []string{`re\d+`, `trailing\`}, nil},
		{`'single $HOME \n'`, []string{`single $HOME \n`}, []bool{false}},
		{`"A=${UNSET-dflt} B=$HOME" unq=$HOME`, []string{"A=${UNSET-dflt} B=$HOME", "unq=$HOME"}, []bool{true, false}},
		{`"\$x" unquoted\$dollar`, []string{"$x", `unquoted\$dollar`}, []bool{false, false}},
		{`"a#b" c#d`, []string{"a#b", "c"}, nil},
		{`"${X-a"b}" c`, []string{`${X-a"b}`, "c"}, []bool{true, false}},
		{`"${LIST[*]}"`, []string{"${LIST[*]}"}, []bool{true}},
		{`a "" b ""`, []string{"a", "", "b"}, nil}, // haproxy drops a trailing empty word
		{"a\rb c", []string{"a"}, nil},             // CR ends the statement
		{"a \rb c", []string{"a", "b", "c"}, nil},  // unless blanks swallow it
		{"a\fb", []string{"a", "b"}, nil},          // isspace() separators
	}
	for _, tc := range tests {
		ws, err := splitWords(tc.line, 100)
		if err != nil {
			t.Errorf("%q: %s", tc.line, err.msg)
			continue
		}
		if got := texts(ws); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q want %q", tc.line, got, tc.want)
		}
		for i, e := range tc.env {
			if i < len(ws) && ws[i].Env != e {
				t.Errorf("%q word %d: Env=%v", tc.line, i, ws[i].Env)
			}
		}
	}
}

func TestWordErrors(t *testing.T) {
	for _, tc := range []struct{ line, msg string }{
		{`a "b`, "unmatched quote at column 3"},
		{`a 'b "c" d`, "unmatched quote"},
		{`a "b\"`, "unmatched quote"},
		{`a "b` + "\r" + `"`, "unmatched quote"}, // CR ends even quoted text
		{`a\xZZ`, "hexadecimal"},
		{`a\x4`, "hexadecimal"},
		{`"$5"`, "environment variable"},
		{`"${X"`, "unmatched brace"},
		{`"${X-abc"`, "unmatched brace"},
		{`"${X[a]}"`, "word expansion"},
		{`"$.FOO"`, "pseudo-variable"},
		{strings.Repeat("w ", 64), "too many words"},
	} {
		_, err := splitWords(tc.line, 0)
		if err == nil || !strings.Contains(err.msg, tc.msg) {
			t.Errorf("%q: got %v, want %q", tc.line, err, tc.msg)
		}
	}
	// 64 words are fine, even with a comment glued to the last one.
	if _, err := splitWords(strings.TrimSpace(strings.Repeat("w ", 64))+"#c", 0); err != nil {
		t.Errorf("64 words: %s", err.msg)
	}
}

func TestWordSpans(t *testing.T) {
	src := "global\n  log \"${SYSLOG-127.0.0.1}:514\" local0 # c\nlisten x\n  acl bad path_reg ^/(foo|bar)\\d+$\n\tbind 'a b':80\n"
	d := mustParse(t, src)
	var got []string
	for _, s := range d.Sections {
		for _, dir := range s.Directives {
			for _, w := range dir.Words {
				got = append(got, src[w.Start:w.End])
			}
		}
	}
	want := []string{"log", `"${SYSLOG-127.0.0.1}:514"`, "local0", "acl", "bad", "path_reg", `^/(foo|bar)\d+$`, "bind", "'a b':80"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("raw words %q\nwant %q", got, want)
	}
	log := d.Sections[0].Directives[0]
	if !log.Words[1].Env || log.Args[0] != "${SYSLOG-127.0.0.1}:514" {
		t.Errorf("log word: %+v", log.Words[1])
	}
	if b := d.Sections[1].Directives[1]; b.Args[0] != "a b:80" || b.Words[1].Start != strings.Index(src, "'a b'") {
		t.Errorf("bind: %+v", b)
	}
}

func TestSections(t *testing.T) {
	src := `# leading comment
global
	maxconn 100

defaults base
  mode http
defaults from base
  timeout client 1m
frontend fe from base
  bind :80
  no option httpclose
  default option http-keep-alive
backend be
  server s1 10.0.0.1:80 check
userlist users
  user a insecure-password x
listen old 0.0.0.0:3306
  mode tcp
`
	d := mustParse(t, src)
	type sec struct{ typ, name, from string }
	var got []sec
	for _, s := range d.Sections {
		got = append(got, sec{s.Type, s.Name, s.From})
	}
	want := []sec{{"global", "", ""}, {"defaults", "base", ""}, {"defaults", "", "base"}, {"frontend", "fe", "base"},
		{"backend", "be", ""}, {"userlist", "users", ""}, {"listen", "old", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sections %v", got)
	}
	fe := d.Sections[3]
	no, def := fe.Directives[1], fe.Directives[2]
	if no.Prefix != "no" || !no.Negated || no.Keyword != "option" || !reflect.DeepEqual(no.Args, []string{"httpclose"}) {
		t.Errorf("no option: %+v", no)
	}
	if def.Prefix != "default" || def.Negated || def.Keyword != "option" {
		t.Errorf("default option: %+v", def)
	}
	if d.Sections[0].Indent != "\t" || fe.Indent != "  " {
		t.Errorf("indent %q %q", d.Sections[0].Indent, fe.Indent)
	}
	// A blank line and comments after a section's last directive stay
	// outside it: End is right after "maxconn 100".
	if g := d.Sections[0]; src[g.End:g.End+len("\ndefaults")] != "\ndefaults" {
		t.Errorf("global End at %q", src[g.End:])
	}
}

// A line inserted at Section.End belongs to that section, outside any
// .if block the last directive sat in, and the file stays valid.
func TestSectionEndInsert(t *testing.T) {
	src := `global
    maxconn 10
listen a   # trailing comment
    bind :80
.if feature(THREAD)
    timeout client 1m
.endif

    # comment after

listen empty
.if defined(X)
listen inside
    bind :81
.endif
`
	d := mustParse(t, src)
	a, empty, inside := d.Sections[1], d.Sections[2], d.Sections[3]
	if !strings.HasPrefix(src[a.End:], "\n    # comment after") {
		t.Errorf("listen a End at %q", src[a.End:])
	}
	if a.HeaderEnd != strings.Index(src, "comment\n")+len("comment") {
		t.Errorf("HeaderEnd %d", a.HeaderEnd)
	}
	if !strings.HasPrefix(src[empty.End:], ".if defined(X)") || empty.Indent != "    " {
		t.Errorf("empty section End at %q indent %q", src[empty.End:], empty.Indent)
	}
	if !strings.HasPrefix(src[inside.End:], ".endif") {
		t.Errorf("section inside .if: End at %q", src[inside.End:])
	}
	ins := src[:a.End] + a.Indent + "timeout server 1m\n" + src[a.End:]
	d2 := mustParse(t, ins)
	last := d2.Sections[1].Directives[len(d2.Sections[1].Directives)-1]
	if last.Keyword != "timeout" || last.Args[0] != "server" || len(last.Cond) != 0 {
		t.Errorf("inserted directive: %+v", last)
	}
	if c := d2.Sections[1].Directives[1].Cond; !reflect.DeepEqual(c, []string{".if feature(THREAD)"}) {
		t.Errorf("cond %q", c)
	}
}

func TestConditions(t *testing.T) {
	src := `global
.if version_atleast(2.4)
  .if  defined( HOME )
    maxconn 1
  .elif 1
    maxconn 2
  .else # comment
    maxconn 3
  .endif
.else
    maxconn 4
.endif
    maxconn 5
.diag "x"
.notice hello
`
	d := mustParse(t, src)
	var got [][]string
	for _, dir := range d.Sections[0].Directives {
		got = append(got, dir.Cond)
	}
	want := [][]string{
		{".if version_atleast(2.4)", ".if defined( HOME )"},
		{".if version_atleast(2.4)", ".elif 1"},
		{".if version_atleast(2.4)", ".else"},
		{".else"},
		nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("conds %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	base := "global\n  maxconn 1\n"
	parseErr(t, base+"  log \"abc\n", 3, "unmatched quote")
	parseErr(t, base+".if 1\n  maxconn 2\n", 3, ".endif missing")
	parseErr(t, base+".endif\n", 3, "lone '.endif'")
	parseErr(t, base+".else\n", 3, "lone '.else'")
	parseErr(t, base+".elif 1\n", 3, "lone '.elif'")
	parseErr(t, base+".if 1\n.else\n.else\n.endif\n", 5, "after '.else'")
	parseErr(t, base+".if 1\n.else\n.elif 0\n.endif\n", 5, "after '.else'")
	parseErr(t, base+".if 1\n.endif x\n", 4, "unexpected argument")
	parseErr(t, "\n# c\n  maxconn 1\n"+base, 3, "out of section")
	parseErr(t, "Global\n", 1, "unknown keyword 'Global' out of section")
	parseErr(t, base+"  acl x path "+strings.Repeat("a ", 62)+"\n", 3, "too many words")
	parseErr(t, base+".alert \"stop\"\n", 3, ".alert")
	parseErr(t, base+".notice two words\n", 3, "unexpected argument")
	parseErr(t, base+".foo\n", 3, "unknown directive")
	parseErr(t, base+"[]\n", 3, "empty scope")
	parseErr(t, base+"[a b]\n", 3, "scope name")
	parseErr(t, base+"[a] x\n", 3, "after scope")
	parseErr(t, base+"  maxconn 2", 3, "missing newline")
	parseErr(t, base+"  maxconn 2\x00\n", 3, "NUL")

	// Accepted: what haproxy accepts too.
	mustParse(t, "")
	mustParse(t, "# only comments\n\n")
	mustParse(t, base+".if 0\n.alert \"only if taken\"\n.foo\n.endif\n")
	mustParse(t, base+"[scope]   # c\n  maxconn 2\n")
	mustParse(t, "\"\" ignored line\n"+base)
	mustParse(t, strings.ReplaceAll(base, "\n", "\r\n"))
}

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		in string
		ms int64
		ok bool
	}{
		{"1m", 60000, true}, {"90", 90, true}, {"50s", 50000, true}, {"2h", 7200000, true},
		{"3d", 259200000, true}, {"100us", 0, true}, {"1500us", 1, true}, {"0", 0, true},
		{"5000ms", 5000, true}, {"24d", 2073600000, true}, {"2147483647", 2147483647, true},
		{"25d", 0, false}, {"2147483648", 0, false}, {"1.5s", 0, false}, {"", 0, false},
		{"s", 0, false}, {"-1", 0, false}, {"10S", 0, false}, {"1m30s", 0, false},
		{"10sec", 0, false}, {"99999999999999999999", 0, false}, {"${T}", 0, false},
	} {
		ms, ok := ParseTime(tc.in)
		if ms != tc.ms || ok != tc.ok {
			t.Errorf("ParseTime(%q) = %d, %v; want %d, %v", tc.in, ms, ok, tc.ms, tc.ok)
		}
	}
}

func TestSplitAddr(t *testing.T) {
	for _, tc := range []struct {
		in   string
		host string
		port int
	}{
		{":8774", "", 8774}, {"*:80", "*", 80}, {"1.2.3.4:5000", "1.2.3.4", 5000},
		{"[::1]:80", "::1", 80}, {":::14000", "::", 14000}, {"ipv6@:::443", "::", 443},
		{"ipv4@10.0.0.1:3306", "10.0.0.1", 3306}, {":12000-12009", "", 12000},
		{"10.0.0.1", "10.0.0.1", 0}, {"ctl1:+1", "ctl1", 0}, {"ctl1:-1", "ctl1", 0},
		{"unix@/run/h.sock", "/run/h.sock", 0}, {"/run/h.sock", "/run/h.sock", 0},
		{"fd@${feh1}", "${feh1}", 0}, {"${VIP}:8776", "${VIP}", 8776}, {"<Virtual", "<Virtual", 0},
		{"[::1]", "::1", 0}, {"10.0.0.1:99999", "10.0.0.1", 0},
	} {
		h, p := splitAddr(tc.in)
		if h != tc.host || p != tc.port {
			t.Errorf("splitAddr(%q) = %q, %d; want %q, %d", tc.in, h, p, tc.host, tc.port)
		}
	}
}

func TestClassifyService(t *testing.T) {
	for _, tc := range []struct {
		name          string
		ports         []int
		service, role string
	}{
		{"keystone_admin", nil, "keystone", "api"},
		{"nova_api", nil, "nova-api", "api"},
		{"nova_osapi_cluster", nil, "nova-api", "api"},
		{"nova_metadata_api_cluster", nil, "nova-metadata", "api"},
		{"placement_api", nil, "placement", "api"},
		{"cinder_api_cluster", nil, "cinder-api", "api"},
		{"Glance_API", nil, "glance-api", "api"},
		{"neutron_server", nil, "neutron-server", "api"},
		{"heat_api_cfn", nil, "heat-api-cfn", "api"},
		{"heat_api", nil, "heat-api", "api"},
		{"dashboard_cluster", nil, "horizon", "dashboard"},
		{"nova_novncproxy", nil, "nova-novncproxy", "console"},
		{"nova_spicehtml5proxy", nil, "nova-spicehtml5proxy", "console"},
		{"nova_serialconsole", nil, "nova-serialproxy", "console"},
		{"galera_cluster", nil, "mysql", "db"},
		{"db_vip", nil, "mysql", "db"},
		{"mongodb", nil, "", "other"},
		{"rabbitmq", nil, "rabbitmq", "mq"},
		{"swift_proxy", nil, "swift-proxy", "api"},
		{"radosgw", nil, "swift-proxy", "api"},
		{"manila_api", nil, "manila-api", "api"},
		{"ceilometer_api", nil, "ceilometer-api", "api"},
		{"nova_ec2_api", nil, "ec2-api", "api"},
		{"octavia_api", nil, "octavia-api", "api"},
		{"vip1", []int{5000}, "keystone", "api"},
		{"vip2", []int{443, 8774}, "nova-api", "api"},
		{"vip3", []int{443}, "horizon", "dashboard"},
		{"vip4", []int{8000}, "heat-api-cfn", "api"},
		{"vip5", []int{8004}, "heat-api", "api"},
		{"vip6", []int{6080}, "nova-novncproxy", "console"},
		{"vip7", []int{6082}, "nova-spicehtml5proxy", "console"},
		{"vip8", []int{6083}, "nova-serialproxy", "console"},
		{"vip9", []int{3306, 9200}, "mysql", "db"},
		{"vip10", []int{5672}, "rabbitmq", "mq"},
		{"vip11", []int{8775}, "nova-metadata", "api"},
		{"vip12", []int{8778}, "placement", "api"},
		{"vip13", []int{8776}, "cinder-api", "api"},
		{"vip14", []int{9292}, "glance-api", "api"},
		{"vip15", []int{9696}, "neutron-server", "api"},
		{"vip16", []int{35357}, "keystone", "api"},
		{"vip17", []int{9191}, "glance-registry", "api"},
		{"vip18", []int{8080}, "swift-proxy", "api"},
		{"vip19", []int{8786}, "manila-api", "api"},
		{"vip20", []int{8777}, "ceilometer-api", "api"},
		{"vip21", []int{8041}, "gnocchi-api", "api"},
		{"vip22", []int{8042}, "aodh-api", "api"},
		{"vip23", []int{9876}, "octavia-api", "api"},
		{"vip24", []int{9311}, "barbican-api", "api"},
		{"vip25", []int{9001}, "designate-api", "api"},
		{"vip26", []int{9511}, "magnum-api", "api"},
		{"vip27", []int{4567}, "galera-replication", "other"},
		{"vip28", []int{15672}, "rabbitmq-management", "dashboard"},
		{"vip29", []int{8773}, "ec2-api", "api"},
		{"vip30", []int{8788}, "ec2-api", "api"},
		{"stats", []int{1936}, "", "other"},
	} {
		c := Classify(tc.name, tc.ports, nil, false)
		if c.Service != tc.service || c.Role != tc.role {
			t.Errorf("Classify(%q, %v) = %q, %q; want %q, %q", tc.name, tc.ports, c.Service, c.Role, tc.service, tc.role)
		}
	}
}

// Ports decide before names, server ports before bind ports, and 80/443
// (any TLS frontend) only after the name; a name that says otherwise is
// kept so messages can say both.
func TestClassifyPortsBeforeNames(t *testing.T) {
	for _, tc := range []struct {
		name           string
		binds, servers []int
		stats          bool
		want           Classification
	}{
		// The swap: the name says glance-api, the ports glance-registry.
		{"vip-glance-api", []int{9191}, []int{9191}, false,
			Classification{Service: "glance-registry", Role: "api", By: "port", Port: 9191, NameService: "glance-api"}},
		{"vip-glance-registry", []int{9292}, []int{9292}, false,
			Classification{Service: "glance-api", Role: "api", By: "port", Port: 9292, NameService: "glance-registry"}},
		// Agreeing name: no note.
		{"glance_api", []int{9292}, []int{9292}, false,
			Classification{Service: "glance-api", Role: "api", By: "port", Port: 9292}},
		// Server ports are where the service listens: they beat a remapped bind.
		{"vip", []int{9191}, []int{9292}, false,
			Classification{Service: "glance-api", Role: "api", By: "port", Port: 9292}},
		// 443 is any TLS frontend: the name decides before it.
		{"keystone_public", []int{443}, []int{443}, false,
			Classification{Service: "keystone", Role: "api", By: "name"}},
		{"public_tls", []int{443}, nil, false,
			Classification{Service: "horizon", Role: "dashboard", By: "port", Port: 443}},
		{"mongodb", []int{27017}, []int{27017}, false,
			Classification{Service: "", Role: "other"}},
		// haproxy's own statistics page on 8080 is not swift.
		{"stats", []int{8080}, nil, true,
			Classification{Service: "haproxy-stats", Role: "other", By: "stats"}},
		{"swift", []int{8080}, []int{8080}, false,
			Classification{Service: "swift-proxy", Role: "api", By: "port", Port: 8080}},
		// A galera-named listener on the replication port is not a client DB listener.
		{"galera_repl", []int{4567}, []int{4567}, false,
			Classification{Service: "galera-replication", Role: "other", By: "port", Port: 4567, NameService: "mysql"}},
	} {
		if got := Classify(tc.name, tc.binds, tc.servers, tc.stats); got != tc.want {
			t.Errorf("Classify(%q, %v, %v) = %+v; want %+v", tc.name, tc.binds, tc.servers, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range corpusFiles(f) {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{"", "global\n", "listen a\n .if 1\n bind \"${X-a\"b}\":80\n.endif\n", "defaults\n\t'x\n", "[s]\nglobal#\n\\x4"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("fuzz.cfg", src)
		if err != nil {
			var pe *parsers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *parsers.Error", err)
			}
			return
		}
		if !bytes.Equal(d.Bytes(), src) {
			t.Fatal("Bytes() differs from the input")
		}
		d.View()
		Effective([]*Doc{d, d})
	})
}

// TestViewEnvArgs: the view marks the args whose $VAR haproxy's line parser
// expands (inside double quotes), and only those.
func TestViewEnvArgs(t *testing.T) {
	d, err := Parse("h.cfg", []byte("global\n    user $U\n    log \"${LOG}:514\" local0\n    setenv X '${Y}'\n"))
	if err != nil {
		t.Fatal(err)
	}
	view, _ := d.View()
	dirs := view["sections"].([]any)[0].(map[string]any)["directives"].([]any)
	got := []any{}
	for _, x := range dirs {
		got = append(got, x.(map[string]any)["env_args"])
	}
	want := []any{nil, []any{0}, nil}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("env_args %v, want %v", got, want)
	}
}
