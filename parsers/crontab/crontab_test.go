package crontab

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/oscfg/oscfg/internal/corpus"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/parsers"
)

func TestCorpus(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "cron")
	// Host paths from SOURCES.tsv: crontab -l output and spool files are
	// user tables; the Debian package file is an /etc/cron.hourly script.
	cases := map[string]struct {
		host    string
		typ     Type
		jobs    int
		env     int
		errLine int // 0: must parse
	}{
		"citellus-spool-keystone-daily":              {"/var/spool/cron/crontabs/keystone", User, 1, 0, 0},
		"debian-keystone.cron.hourly-script":         {"/etc/cron.hourly/keystone", Script, 7, 0, 0},
		"insights-crontab-bad":                       {"/var/spool/cron/root", User, 0, 0, 6},
		"install-guide-juno-spool-crontabs-keystone": {"/var/spool/cron/crontabs/keystone", User, 1, 0, 0},
		"puppet-fixture-crontab_user1":               {"/var/spool/cron/crontabs/user1", User, 4, 3, 0},
		"puppet-fixture-parsed-managed":              {"/var/spool/cron/crontabs/root", User, 2, 2, 0},
		"puppet-fixture-parsed-simple":               {"/var/spool/cron/crontabs/paul", User, 2, 2, 0},
		"puppet-fixture-vixie_header":                {"/var/spool/cron/crontabs/root", User, 0, 0, 0},
		"puppet-keystone-acceptance-daily":           {"/var/spool/cron/keystone", User, 1, 0, 0},
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) == 0 {
		t.Fatal("empty corpus")
	}
	for _, e := range ents {
		c, ok := cases[e.Name()]
		if !ok {
			t.Errorf("%s: corpus file without a test case", e.Name())
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		typ, user, ok := TypeForPath(c.host)
		if !ok || typ != c.typ {
			t.Errorf("%s: TypeForPath(%s) = %s, %v; want %s", e.Name(), c.host, typ, ok, c.typ)
		}
		doc, err := Parse(c.host, src, typ, user, "17 * * * *")
		if c.errLine != 0 {
			var pe *parsers.Error
			if !errors.As(err, &pe) || pe.Line != c.errLine {
				t.Errorf("%s: err = %v, want a *parsers.Error on line %d", e.Name(), err, c.errLine)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(doc.Bytes(), src) {
			t.Errorf("%s: Bytes() differs from the input", e.Name())
		}
		if len(doc.Jobs) != c.jobs || len(doc.Env) != c.env {
			t.Errorf("%s: %d jobs, %d env; want %d, %d", e.Name(), len(doc.Jobs), len(doc.Env), c.jobs, c.env)
		}
		for _, j := range doc.Jobs {
			if got := string(src[j.CommandStart:j.CommandEnd]); got != j.Command {
				t.Errorf("%s:%d: command span %q != command %q", e.Name(), j.Line, got, j.Command)
			}
			if j.User == "" {
				t.Errorf("%s:%d: job without user", e.Name(), j.Line)
			}
		}
	}
}

// The hourly script's token_flush line must come out as an hh:17 job.
func TestScript(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus.Dir(t), "cron", "debian-keystone.cron.hourly-script"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("fleet/ctl1/etc/cron.hourly/keystone", src, Script, "root", "")
	if err != nil {
		t.Fatal(err)
	}
	var flush *Job
	for _, j := range doc.Jobs {
		if strings.Contains(j.Command, "token_flush") {
			flush = j
		}
		if j.Command == "fi" || j.Command == "set -e" || strings.HasPrefix(j.Command, "#") {
			t.Errorf("noise line %d became a job: %q", j.Line, j.Command)
		}
	}
	if flush == nil {
		t.Fatal("no token_flush job")
	}
	want := Job{Line: 14, User: "root", Schedule: "17 * * * *", Via: "/etc/cron.hourly",
		Minutes: []int{17}, Hours: seq(0, 23)}
	if flush.Line != want.Line || flush.User != want.User || flush.Schedule != want.Schedule ||
		flush.Via != want.Via || !reflect.DeepEqual(flush.Minutes, want.Minutes) || !reflect.DeepEqual(flush.Hours, want.Hours) {
		t.Errorf("token_flush job = %+v", flush)
	}
	if !strings.HasPrefix(flush.Command, "su -c '/usr/bin/keystone-manage token_flush") {
		t.Errorf("command = %q", flush.Command)
	}
	if got := string(src[flush.CommandStart:flush.CommandEnd]); got != flush.Command {
		t.Errorf("command span %q", got)
	}
	// An explicit schedule (from the host's /etc/crontab) wins.
	doc, err = Parse("/etc/cron.hourly/keystone", src, Script, "", "@hourly")
	if err != nil || doc.Jobs[0].Special != "@hourly" || doc.Jobs[0].Minutes[0] != 0 {
		t.Fatalf("@hourly run-parts: %v %+v", err, doc)
	}
	if _, err := Parse("/opt/x/script", src, Script, "", ""); err == nil {
		t.Error("script with no known schedule parsed")
	}
}

// A system table, written like Debian's stock /etc/crontab plus a cron.d job.
func TestSystem(t *testing.T) {
	src := "SHELL=/bin/sh\r\n" +
		"PATH = \"/usr/local/sbin:/usr/bin\"\r\n" +
		"# m h dom mon dow user\tcommand\r\n" +
		"17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\r\n" +
		"  @hourly keystone keystone-manage token_flush # not a comment %x\n" +
		"47 6 * * 7 root test -x /usr/sbin/anacron || run-parts /etc/cron.weekly"
	doc, err := Parse("/etc/crontab", []byte(src), System, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if string(doc.Bytes()) != src {
		t.Error("round trip")
	}
	wantEnv := []Env{{"SHELL", "/bin/sh", 1}, {"PATH", "/usr/local/sbin:/usr/bin", 2}}
	if !reflect.DeepEqual(doc.Env, wantEnv) {
		t.Errorf("env = %+v", doc.Env)
	}
	if len(doc.Jobs) != 3 {
		t.Fatalf("%d jobs", len(doc.Jobs))
	}
	j := doc.Jobs[0]
	if j.User != "root" || j.Command != "cd / && run-parts --report /etc/cron.hourly" || j.Schedule != "17 * * * *" {
		t.Errorf("job 1 = %+v", j)
	}
	// Spans are file offsets: the minute field "17" starts line 4.
	if got := src[j.FieldSpans[0][0]:j.FieldSpans[0][1]]; got != "17" {
		t.Errorf("minute span = %q", got)
	}
	if got := src[j.FieldSpans[4][0]:j.FieldSpans[4][1]]; got != "*" {
		t.Errorf("weekday span = %q", got)
	}
	if got := src[j.Start:j.End]; !strings.HasPrefix(got, "17 *") || strings.HasSuffix(got, "\r") {
		t.Errorf("line span = %q", got)
	}
	j = doc.Jobs[1]
	if j.User != "keystone" || j.Special != "@hourly" || j.Command != "keystone-manage token_flush # not a comment %x" {
		t.Errorf("job 2 = %+v", j)
	}
	for _, sp := range j.FieldSpans {
		if src[sp[0]:sp[1]] != "@hourly" {
			t.Errorf("nickname span = %q", src[sp[0]:sp[1]])
		}
	}
	if doc.Jobs[2].Weekdays[0] != 0 || doc.Jobs[2].Line != 6 {
		t.Errorf("job 3 = %+v", doc.Jobs[2])
	}
}

func seq(a, b int) []int {
	var s []int
	for i := a; i <= b; i++ {
		s = append(s, i)
	}
	return s
}

func TestExpand(t *testing.T) {
	cases := []struct {
		sched                    string
		min, hour, dom, mon, dow []int
		domR, dowR, reboot       bool
	}{
		{"*/15 * * * *", []int{0, 15, 30, 45}, seq(0, 23), seq(1, 31), seq(1, 12), seq(0, 6), false, false, false},
		{"1-9/2 0-23/6 * * *", []int{1, 3, 5, 7, 9}, []int{0, 6, 12, 18}, seq(1, 31), seq(1, 12), seq(0, 6), false, false, false},
		{"0 3 * * 7", []int{0}, []int{3}, seq(1, 31), seq(1, 12), []int{0}, false, true, false},
		{"0 3 * * 5-7", []int{0}, []int{3}, seq(1, 31), seq(1, 12), []int{0, 5, 6}, false, true, false},
		{"0 3 * * mon-fri", []int{0}, []int{3}, seq(1, 31), seq(1, 12), seq(1, 5), false, true, false},
		{"0 3 * JAN,jun-Aug SUN", []int{0}, []int{3}, seq(1, 31), []int{1, 6, 7, 8}, []int{0}, false, true, false},
		{"17-19,22 0-23/2 * * 2", []int{17, 18, 19, 22}, []int{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22}, seq(1, 31), seq(1, 12), []int{2}, false, true, false},
		{"50/5 * 1,15 * *", []int{50, 55}, seq(0, 23), []int{1, 15}, seq(1, 12), seq(0, 6), true, false, false},
		// "*/2" in day-of-month: odd days, and (Vixie) it still counts as '*'.
		{"5,5,1 * */2 * 1", []int{1, 5}, seq(0, 23), []int{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31}, seq(1, 12), []int{1}, false, true, false},
		{"@hourly", []int{0}, seq(0, 23), seq(1, 31), seq(1, 12), seq(0, 6), false, false, false},
		{"@daily", []int{0}, []int{0}, seq(1, 31), seq(1, 12), seq(0, 6), false, false, false},
		{"@midnight", []int{0}, []int{0}, seq(1, 31), seq(1, 12), seq(0, 6), false, false, false},
		{"@weekly", []int{0}, []int{0}, seq(1, 31), seq(1, 12), []int{0}, false, true, false},
		{"@monthly", []int{0}, []int{0}, []int{1}, seq(1, 12), seq(0, 6), true, false, false},
		{"@yearly", []int{0}, []int{0}, []int{1}, []int{1}, seq(0, 6), true, false, false},
		{"@reboot", []int{}, []int{}, []int{}, []int{}, []int{}, false, false, true},
	}
	for _, c := range cases {
		doc, err := Parse("/var/spool/cron/crontabs/u", []byte(c.sched+" cmd\n"), User, "u", "")
		if err != nil {
			t.Errorf("%s: %v", c.sched, err)
			continue
		}
		j := doc.Jobs[0]
		got := [][]int{j.Minutes, j.Hours, j.Days, j.Months, j.Weekdays}
		want := [][]int{c.min, c.hour, c.dom, c.mon, c.dow}
		if !reflect.DeepEqual(got, want) || j.DomRestricted != c.domR || j.DowRestricted != c.dowR || j.Reboot != c.reboot {
			t.Errorf("%s:\n got %v dom=%v dow=%v reboot=%v\nwant %v dom=%v dow=%v reboot=%v",
				c.sched, got, j.DomRestricted, j.DowRestricted, j.Reboot, want, c.domR, c.dowR, c.reboot)
		}
		if j.Command != "cmd" || j.User != "u" {
			t.Errorf("%s: command %q user %q", c.sched, j.Command, j.User)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		typ  Type
		src  string
		line int
		msg  string // must appear in the message
	}{
		{User, "# c\n\n60 * * * * x\n", 3, `bad minute field "60": 60 out of range 0-59`},
		{User, "* 24 * * * x\n", 1, `bad hour field "24"`},
		{User, "* * 0 * * x\n", 1, `bad day-of-month field "0"`},
		{User, "* * * 13 * x\n", 1, `bad month field "13"`},
		{User, "* * * * 8 x\n", 1, `bad day-of-week field "8"`},
		{User, "MAILTO=x\n*/0 * * * * x\n", 2, `bad minute field "*/0": step 0`},
		{User, "1-/2 * * * * x\n", 1, `bad minute field "1-/2"`},
		{User, "5-1 * * * * x\n", 1, `range 5-1 starts after it ends`},
		{User, "1,,2 * * * * x\n", 1, `empty element`},
		{User, "* * * * monday x\n", 1, `"monday" is not a number or a name`},
		{User, "* * * foo * x\n", 1, `bad month field "foo"`},
		{User, "*/x * * * * x\n", 1, `bad step "x"`},
		{User, "* * * *\n", 1, `missing day-of-week field`},
		{User, "0 1 * * *   \n", 1, `missing command`},
		{User, "@hourly\n", 1, `missing command`},
		{User, "@every 1h x\n", 1, `unknown nickname "@every"`},
		{User, "@HOURLY x\n", 1, `unknown nickname`},
		{System, "0 1 * * *\n", 1, `missing user and command`},
		{System, "0 1 * * * root\n", 1, `missing command`},
		{System, "\n0 1 * * * /usr/bin/keystone-manage token_flush\n", 2, `missing user column: "/usr/bin/keystone-manage"`},
		{System, "@daily $HOME/bin/x\n", 1, `missing user column`},
		{Type("bogus"), "", 0, `unknown crontab type`},
		{User, "ok\x00\n", 1, `NUL`},
	}
	for _, c := range cases {
		_, err := Parse("f", []byte(c.src), c.typ, "", "")
		var pe *parsers.Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want *parsers.Error", c.src, err)
			continue
		}
		if pe.Line != c.line || pe.File != "f" || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: got line %d %q; want line %d containing %q", c.src, pe.Line, pe.Msg, c.line, c.msg)
		}
	}
}

func TestEnvLines(t *testing.T) {
	src := "A=1\n B = 'two words' \nC=\"\"\nD==x\nE='unbalanced\"\n  # F=commented\n"
	doc, err := Parse("f", []byte(src), User, "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Env{{"A", "1", 1}, {"B", "two words", 2}, {"C", "", 3}, {"D", "=x", 4}, {"E", "'unbalanced\"", 5}}
	if !reflect.DeepEqual(doc.Env, want) || len(doc.Jobs) != 0 {
		t.Errorf("env = %+v, jobs %d", doc.Env, len(doc.Jobs))
	}
	// '=' in the command does not make a job line an environment line.
	doc, err = Parse("f", []byte("* * * * * A=1 cmd\n"), User, "", "")
	if err != nil || len(doc.Jobs) != 1 || doc.Jobs[0].Command != "A=1 cmd" {
		t.Errorf("job with assignment: %v %+v", err, doc)
	}
}

func TestTypeForPath(t *testing.T) {
	cases := []struct {
		path string
		typ  Type
		user string
		ok   bool
	}{
		{"/etc/crontab", System, "", true},
		{"/etc/cron.d/keystone", System, "", true},
		{"/etc/cron.d/keystone.dpkg-old", System, "", true},
		{"/var/spool/cron/crontabs/keystone", User, "keystone", true},
		{"/var/spool/cron/keystone", User, "keystone", true},
		{"/var/spool/cron/tabs/nova", User, "nova", true},
		{"/etc/cron.hourly/keystone", Script, "root", true},
		{"/etc/cron.daily/logrotate", Script, "root", true},
		{"/etc/cron.weekly/x", Script, "root", true},
		{"/etc/cron.monthly/x", Script, "root", true},
		{"/etc/cron.yearly/x", User, "", false},
		{"/etc/cron.d", User, "", false},
		{"/var/spool/cron/crontabs", User, "", false},
		{"/var/spool/cron/crontabs/sub/x", User, "", false},
		{"/etc/nova/nova.conf", User, "", false},
		{"/home/op/crontab", User, "", false},
	}
	for _, c := range cases {
		typ, user, ok := TypeForPath(c.path)
		if typ != c.typ || user != c.user || ok != c.ok {
			t.Errorf("TypeForPath(%s) = %s, %q, %v; want %s, %q, %v", c.path, typ, user, ok, c.typ, c.user, c.ok)
		}
	}
}

func job(t *testing.T, sched string) *Job {
	t.Helper()
	doc, err := Parse("f", []byte(sched+" cmd"), User, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return doc.Jobs[0]
}

func TestOverlap(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"30 1 * * *", "30 2 * * *", false}, // same minute, other hour
		{"@hourly", "0 1 * * *", true},
		{"30 1 * * *", "30 1 * * *", true},
		{"@hourly", "17 * * * *", false},
		{"*/15 * * * *", "45 3 * * *", true},
		{"0 0 1 * *", "0 0 * * 1", true},   // the 1st is a Monday some month
		{"0 0 1 * *", "0 0 2 * *", false},  // dom-only vs dom-only
		{"0 0 * * 1", "0 0 * * 2", false},  // dow-only vs dow-only
		{"0 0 * * 7", "0 0 * * sun", true}, // 7 folds to 0
		{"0 0 1 * 2", "0 0 * * 2", true},   // both restricted: OR, so any Tuesday
		{"0 0 1 * 2", "0 0 15 * 3", true},  // 1st or Tue vs 15th or Wed: a Wednesday the 1st
		{"0 0 1 * *", "0 0 15 * 3", true},  // the 1st can be a Wednesday
		{"0 0 1 * *", "0 0 15 * *", false}, // dom-only, disjoint
		{"0 0 31 2 *", "0 0 * * *", false}, // never fires
		{"0 0 29 2 *", "0 0 * * *", true},  // leap years
		{"0 0 */2 * 1", "0 0 2 * *", false},
		{"0 0 1 1 *", "0 0 1 2 *", false}, // months disjoint
		{"@reboot", "@reboot", false},
		{"@reboot", "* * * * *", false},
		{"@weekly", "0 0 * * 0", true},
		{"@monthly", "0 0 * * 3", true},
	}
	for _, c := range cases {
		a, b := job(t, c.a), job(t, c.b)
		if got := Overlap(a, b); got != c.want {
			t.Errorf("Overlap(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Overlap(b, a); got != c.want {
			t.Errorf("Overlap(%q, %q) = %v, want %v (not symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestViewMasksSecrets(t *testing.T) {
	src := "OS_PASSWORD=s3cretpw\nMYSQL_PWD='pwd4db'\nMAILTO=root\n" +
		"DB_URL=mysql+pymysql://keystone:urlpass99@db/keystone\n" +
		"0 2 * * * root mysqldump -u root -pDumpPass1 --all-databases | gzip > /b.gz\n" +
		"0 3 * * * root /usr/bin/mysql --password=\"Opt Pass2\" -e 'x'\n" +
		"0 4 * * * root openstack --os-password x --password SpacePass3 server list\n" +
		"0 5 * * * root OS_PASSWORD=Inline4 nova-manage db archive_deleted_rows\n" +
		"0 6 * * * root mkdir -pnotasecret /x; mysql -p$PW\n"
	doc, err := Parse("/etc/cron.d/backup", []byte(src), System, "", "")
	if err != nil {
		t.Fatal(err)
	}
	view, secrets := doc.View()
	out, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"s3cretpw", "pwd4db", "urlpass99", "DumpPass1", "Opt Pass2", "SpacePass3", "Inline4"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("secret %q in view", s)
		}
		found := false
		for _, r := range secrets {
			found = found || r == s
		}
		if !found {
			t.Errorf("secret %q not reported (got %q)", s, secrets)
		}
	}
	for _, s := range []string{"notasecret", "$PW", "MAILTO", `"value":"root"`, "-p**** --all-databases", `--password=\"****\"`} {
		if !bytes.Contains(out, []byte(s)) {
			t.Errorf("%q missing from view: %s", s, out)
		}
	}
	// The contract's shape (docs/model.md, crontab view).
	if view["type"] != "system" || len(view["jobs"].([]any)) != 5 || len(view["env"].([]any)) != 4 {
		t.Errorf("view = %s", out)
	}
	j := view["jobs"].([]any)[0].(map[string]any)
	for _, k := range []string{"line", "file", "user", "command", "schedule", "minutes", "hours", "days", "months", "weekdays", "dom_restricted", "dow_restricted", "reboot", "via"} {
		if _, ok := j[k]; !ok {
			t.Errorf("job view lacks %q", k)
		}
	}
	if j["file"] != "/etc/cron.d/backup" || j["line"] != 5 || j["user"] != "root" || j["schedule"] != "0 2 * * *" {
		t.Errorf("job view = %v", j)
	}
	// The parsed job itself keeps the raw command.
	if !strings.Contains(doc.Jobs[0].Command, "DumpPass1") {
		t.Error("Job.Command was masked in place")
	}
}

// Empty sets must come out as JSON [] (rules iterate them), not null.
func TestViewRebootJSON(t *testing.T) {
	doc, err := Parse("f", []byte("@reboot x\n"), User, "u", "")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := doc.View()
	out, _ := json.Marshal(v)
	if !bytes.Contains(out, []byte(`"minutes":[]`)) || !bytes.Contains(out, []byte(`"reboot":true`)) || !bytes.Contains(out, []byte(`"user":"u"`)) {
		t.Errorf("view = %s", out)
	}
	doc, err = Parse("f", nil, User, "u", "")
	if err != nil || len(doc.Bytes()) != 0 {
		t.Fatalf("empty file: %v", err)
	}
	v, _ = doc.View()
	out, _ = json.Marshal(v)
	if !bytes.Contains(out, []byte(`"jobs":[]`)) || !bytes.Contains(out, []byte(`"env":[]`)) {
		t.Errorf("empty view = %s", out)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("MAILTO=x\n*/5 1-3,7 * jan-mar mon-fri cmd %x\n@hourly y\n"), 0)
	f.Add([]byte("17 * * * * root cd / && run-parts /etc/cron.hourly\r\n# c\n"), 1)
	f.Add([]byte("#!/bin/sh\nset -e\nif x; then\n\tkeystone-manage token_flush\nfi\n"), 2)
	f.Add([]byte("1-5/9223372036854775807 * * * * x"), 0)
	types := []Type{User, System, Script}
	f.Fuzz(func(t *testing.T, src []byte, ti int) {
		typ := types[(ti%3+3)%3]
		doc, err := Parse("/etc/cron.hourly/f", src, typ, "u", "")
		if err != nil {
			var pe *parsers.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if !bytes.Equal(doc.Bytes(), src) {
			t.Fatalf("Bytes() != input")
		}
		for i, j := range doc.Jobs {
			if string(src[j.CommandStart:j.CommandEnd]) != j.Command {
				t.Fatalf("command span")
			}
			if i > 8 {
				continue // pairwise checks are quadratic; a few jobs suffice
			}
			for _, o := range doc.Jobs[:min(len(doc.Jobs), 8)] {
				if Overlap(j, o) != Overlap(o, j) {
					t.Fatalf("Overlap not symmetric")
				}
			}
		}
		doc.View()
	})
}

// A weekday range ending at Sunday written as 0 or "Sun" ("4-Sun",
// "fri-0"): Vixie cron refuses a range whose end is below its start, cronie
// (since PR #200, 2025) reads the end as 7. RHEL hosts run cronie, so the
// line parses, the job says which dialect gave its meaning, and the file
// stays valid.
func TestCronieSundayRangeEnd(t *testing.T) {
	cases := []struct {
		sched string
		dow   []int
	}{
		{"0 1 * * Tue,4-Sun", []int{0, 2, 4, 5, 6}},
		{"0 1 * * fri-0", []int{0, 5, 6}},
		{"0 1 * * 6-SUN", []int{0, 6}},
	}
	for _, c := range cases {
		doc, err := Parse("/var/spool/cron/keystone", []byte(c.sched+" keystone-manage token_flush\n"), User, "keystone", "")
		if err != nil {
			t.Errorf("%s: %v", c.sched, err)
			continue
		}
		j := doc.Jobs[0]
		if !reflect.DeepEqual(j.Weekdays, c.dow) || !j.DowRestricted {
			t.Errorf("%s: weekdays %v (restricted %v), want %v", c.sched, j.Weekdays, j.DowRestricted, c.dow)
		}
		if j.Dialect != "cronie" || !strings.Contains(j.DialectNote, "cronie") || !strings.Contains(j.DialectNote, "Vixie") {
			t.Errorf("%s: dialect %q note %q", c.sched, j.Dialect, j.DialectNote)
		}
		v, _ := doc.View()
		jv := v["jobs"].([]any)[0].(map[string]any)
		if jv["dialect"] != "cronie" || jv["dialect_note"] == "" {
			t.Errorf("%s: view dialect %v %v", c.sched, jv["dialect"], jv["dialect_note"])
		}
	}
	// Plain Vixie lines say so.
	doc, err := Parse("/var/spool/cron/keystone", []byte("0 1 * * 4-7 x\n"), User, "keystone", "")
	if err != nil || doc.Jobs[0].Dialect != "vixie" || doc.Jobs[0].DialectNote != "" {
		t.Errorf("4-7: %v %+v", err, doc)
	}
	// Other reversed ranges stay errors in both dialects' spirit: cronie
	// sets no day for them, the job would never run on those days.
	for _, s := range []string{"0 1 * * 5-1 x\n", "0 1 * * 4-0/2 x\n", "5-0 * * * * x\n"} {
		if _, err := Parse("f", []byte(s), User, "", ""); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}
