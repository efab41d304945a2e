package suppress

import (
	"strings"
	"testing"
	"time"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/settings"
)

// rawDoc is a document that only gives its bytes back, all scan reads.
type rawDoc []byte

func (d rawDoc) Bytes() []byte                    { return d }
func (d rawDoc) View() (map[string]any, []string) { return nil, nil }

type at struct {
	line, target int
	rule         string
}

func scanned(t *testing.T, kind, text string) ([]at, string) {
	t.Helper()
	ds, errs := scan(kind, "src/"+kind, []byte(text))
	var got []at
	for _, d := range ds {
		got = append(got, at{d.Line, d.Target, d.Rule})
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return got, strings.Join(msgs, "\n")
}

func TestScanDialects(t *testing.T) {
	cases := []struct {
		name, kind, text string
		want             []at
		err              string
	}{
		{"haproxy line before", model.KindHAProxy,
			"listen x\n  # oscfg: ignore OSC-HAP-001 -- horizon\n  balance source\n",
			[]at{{2, 3, "OSC-HAP-001"}}, ""},
		{"haproxy trailing", model.KindHAProxy,
			"listen x\n  balance source # oscfg: ignore osc-hap-001,OSC-HAP-002 until=2099-01-01\n",
			[]at{{2, 2, "OSC-HAP-001"}, {2, 2, "OSC-HAP-002"}}, ""},
		{"haproxy stacked above one line", model.KindHAProxy,
			"# oscfg: ignore OSC-HAP-006\n# why: pacemaker\n#oscfg:ignore OSC-HAP-005\nlisten galera\n",
			[]at{{1, 4, "OSC-HAP-006"}, {3, 4, "OSC-HAP-005"}}, ""},
		{"haproxy blank line ends the block", model.KindHAProxy,
			"# oscfg: ignore OSC-HAP-006\n\nlisten galera\n",
			[]at{{1, 2, "OSC-HAP-006"}}, ""},
		{"haproxy last line targets nothing", model.KindHAProxy,
			"listen x\n# oscfg: ignore OSC-HAP-006\n",
			[]at{{2, 0, "OSC-HAP-006"}}, ""},
		{"haproxy quoted and escaped # are not comments", model.KindHAProxy,
			"listen x\n  http-request set-header X \"a # oscfg: ignore OSC-A\"\n  acl y path '# oscfg: ignore OSC-B'\n  acl z path \\# oscfg: ignore OSC-C\n",
			nil, ""},
		{"haproxy CRLF", model.KindHAProxy,
			"listen x\r\n  # oscfg: ignore OSC-HAP-001\r\n  balance source\r\n",
			[]at{{2, 3, "OSC-HAP-001"}}, ""},
		{"mycnf trailing and ; comment", model.KindMyCnf,
			"[mysqld]\nwait_timeout = 600 # oscfg: ignore OSC-DB-001\n; oscfg: ignore OSC-DB-002\nmax_connections = 10\n",
			[]at{{2, 2, "OSC-DB-001"}, {3, 4, "OSC-DB-002"}}, ""},
		{"mycnf quoted #", model.KindMyCnf,
			"[mysqld]\nx = \"a # oscfg: ignore OSC-DB-001\"\n",
			nil, ""},
		{"oslo line before, # and ;", model.KindOslo,
			"[database]\n# oscfg: ignore OSC-DB-001 -- reason\nconnection_recycle_time = 3600\n; oscfg: ignore OSC-DB-002\nidle_timeout = 5\n",
			[]at{{2, 3, "OSC-DB-001"}, {4, 5, "OSC-DB-002"}}, ""},
		{"oslo trailing # is value text", model.KindOslo,
			"[database]\nconnection_recycle_time = 3600 # oscfg: ignore OSC-DB-001\n",
			nil, "src/oslo:2: oslo.config: a oslo.config file has no trailing comments"},
		{"oslo indented # continues a value", model.KindOslo,
			"[DEFAULT]\nx = a\n  # oscfg: ignore OSC-X\n",
			nil, "src/oslo:3:"},
		{"crontab whole line", model.KindCrontab,
			"# oscfg: ignore OSC-CRON-001 until=2099-12-31 -- moved in Q3\n0 * * * * keystone keystone-manage token_flush\n",
			[]at{{1, 2, "OSC-CRON-001"}}, ""},
		{"crontab trailing is command text", model.KindCrontab,
			"0 * * * * keystone keystone-manage token_flush # oscfg: ignore OSC-CRON-001\n",
			nil, "src/crontab:1: crontab: a crontab file has no trailing comments, this '#' is part of the command"},
		{"no rule", model.KindHAProxy, "# oscfg: ignore -- because\nlisten x\n", nil, "src/haproxy:1: oscfg: ignore: no rule id"},
		{"bad date", model.KindHAProxy, "# oscfg: ignore OSC-HAP-001 until=2027-13-01\nlisten x\n", nil, "src/haproxy:1: oscfg: ignore: until=2027-13-01: want a date"},
		{"host= inline", model.KindHAProxy, "# oscfg: ignore OSC-HAP-001 host=ctl1\nlisten x\n", nil, "host= belongs in oscfg.ini"},
		{"unknown option", model.KindHAProxy, "# oscfg: ignore OSC-HAP-001 till=2027-01-01\nlisten x\n", nil, `unknown option "till"`},
		{"other oscfg comments are prose", model.KindHAProxy, "# oscfg: managed by ansible\n# see oscfg: ignore docs\nlisten x\n", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := scanned(t, c.kind, c.text)
			if c.err == "" && err != "" || c.err != "" && !strings.Contains(err, c.err) {
				t.Errorf("errors %q, want %q", err, c.err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestDirectiveReason(t *testing.T) {
	ds, errs := scan(model.KindHAProxy, "x", []byte("# oscfg: ignore OSC-HAP-001 until=2027-03-31 -- pinned by pacemaker -- see #123\nlisten x\n# oscfg: ignore OSC-HAP-002 reason=\"two words\"\nlisten y\n"))
	if len(errs) > 0 || len(ds) != 2 {
		t.Fatalf("%v %v", ds, errs)
	}
	if ds[0].Reason != "pinned by pacemaker -- see #123" || ds[0].Until.Format("2006-01-02") != "2027-03-31" {
		t.Errorf("%+v", ds[0])
	}
	if ds[1].Reason != "two words" {
		t.Errorf("%+v", ds[1])
	}
}

func fleet(files map[string]map[string]string) *model.Fleet {
	fl := &model.Fleet{}
	for _, host := range []string{"ctl1", "ctl2"} {
		fs, ok := files[host]
		if !ok {
			continue
		}
		h := &model.Host{Name: host}
		for p, text := range fs {
			kind := model.KindOslo
			switch {
			case strings.Contains(p, "haproxy"):
				kind = model.KindHAProxy
			case strings.Contains(p, "my.cnf"):
				kind = model.KindMyCnf
			case strings.Contains(p, "cron"):
				kind = model.KindCrontab
			}
			h.Files = append(h.Files, &model.File{HostPath: p, Source: "fleet/" + host + p, Kind: kind, Doc: rawDoc(text)})
		}
		fl.Hosts = append(fl.Hosts, h)
	}
	return fl
}

const hapCfg = "/etc/haproxy/haproxy.cfg"

var day = time.Date(2027, 3, 31, 12, 0, 0, 0, time.Local)

func TestApplyInline(t *testing.T) {
	fl := fleet(map[string]map[string]string{
		"ctl1": {
			hapCfg: "listen a\n  # oscfg: ignore OSC-HAP-001 -- ok\n  balance source\n" + // 1-3
				"listen b\n  balance source # oscfg: ignore OSC-HAP-001 until=2027-03-30\n" + // 4-5
				"listen c\n  # oscfg: ignore OSC-HAP-002 until=2027-03-31\n  timeout client 1s\n" + // 6-8
				"# oscfg: ignore OSC-HAP-009\nlisten d\n", // 9-10: matches nothing
		},
		"ctl2": {hapCfg: "listen a\n  # comment, same lines as ctl1\n  balance source\n"},
	})
	fs := []model.Finding{
		{Rule: "OSC-HAP-001", Host: "ctl1", File: hapCfg, Line: 3},           // suppressed
		{Rule: "OSC-HAP-002", Host: "ctl1", File: hapCfg, Line: 3},           // another rule: kept
		{Rule: "OSC-HAP-001", Host: "ctl2", File: hapCfg, Line: 3},           // another host: kept
		{Rule: "OSC-HAP-001", Host: "ctl1", File: "/etc/other.cfg", Line: 3}, // another file: kept
		{Rule: "OSC-HAP-001", Host: "ctl1", File: hapCfg, Line: 5},           // expired yesterday: kept
		{Rule: "OSC-HAP-002", Host: "ctl1", File: hapCfg, Line: 8},           // until today: suppressed
		{Rule: "OSC-HAP-001", Host: "ctl1", File: hapCfg, Line: 2, Key: "x"}, // the comment line itself: kept
	}
	res, err := Apply(fl, fs, Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suppressed != 2 || len(res.Kept) != 5 {
		t.Fatalf("suppressed %d, kept %v", res.Suppressed, res.Kept)
	}
	for _, f := range res.Kept {
		if f.Host == "ctl1" && f.File == hapCfg && (f.Line == 3 && f.Rule == "OSC-HAP-001" || f.Line == 8) {
			t.Errorf("kept a suppressed finding: %+v", f)
		}
	}
	if len(res.Expired) != 1 || res.Expired[0].Line != 5 || res.Expired[0].Matched != 1 || res.Expired[0].Until != "2027-03-30" ||
		res.Expired[0].Where() != "ctl1:"+hapCfg+":5" {
		t.Errorf("expired: %+v", res.Expired)
	}
	if len(res.Unused) != 1 || res.Unused[0].Line != 9 || res.Unused[0].Rule != "OSC-HAP-009" {
		t.Errorf("unused: %+v", res.Unused)
	}
	if len(res.Hidden) != 2 || res.Hidden[0].By != "ctl1:"+hapCfg+":2" {
		t.Errorf("hidden: %+v", res.Hidden)
	}
	// A rule disabled in oscfg.ini (its findings dropped before) is not
	// reported unused.
	res, err = Apply(fl, fs, Options{Now: day, Dropped: func(rule, host string) bool { return rule == "OSC-HAP-009" && host == "ctl1" }})
	if err != nil || len(res.Unused) != 0 {
		t.Errorf("unused of a dropped rule: %+v %v", res.Unused, err)
	}
	// The next day the until=2027-03-31 line has expired too.
	res, err = Apply(fl, fs, Options{Now: day.Add(12 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suppressed != 1 || len(res.Expired) != 2 {
		t.Errorf("next day: suppressed %d, expired %+v", res.Suppressed, res.Expired)
	}
}

func TestApplyMalformedIsAnError(t *testing.T) {
	fl := fleet(map[string]map[string]string{"ctl1": {"/etc/nova/nova.conf": "[DEFAULT]\ndebug = true # oscfg: ignore OSC-X\n"}})
	_, err := Apply(fl, nil, Options{Now: day})
	if err == nil || !strings.Contains(err.Error(), "fleet/ctl1/etc/nova/nova.conf:2:") {
		t.Errorf("got %v", err)
	}
}

func TestApplySettingsIgnores(t *testing.T) {
	ig := func(rule, value string, line int) settings.Ignore {
		t.Helper()
		x, err := settings.ParseIgnore(rule, value)
		if err != nil {
			t.Fatal(err)
		}
		x.Line = line
		return x
	}
	opt := Options{Now: day, SettingsFile: "fleet/oscfg.ini", Ignores: []settings.Ignore{
		ig("OSC-HAP-001", "host=ctl1 path=/etc/haproxy/* -- pinned", 3),
		ig("OSC-DB-*", "key=api_database/*", 4),
		ig("OSC-CRON-001", "until=2027-01-01", 5),
		ig("OSC-HAP-002", "host=nowhere", 6),
	}}
	fs := []model.Finding{
		{Rule: "OSC-HAP-001", Host: "ctl1", File: hapCfg, Line: 1},                                  // 3
		{Rule: "OSC-HAP-001", Host: "ctl2", File: hapCfg, Line: 1},                                  // kept: host
		{Rule: "OSC-HAP-001", Host: "ctl1", File: "/etc/kolla/haproxy.cfg", Line: 1},                // kept: path
		{Rule: "OSC-DB-001", Host: "ctl2", File: "/etc/nova/nova.conf", Key: "api_database/x"},      // 4
		{Rule: "OSC-DB-001", Host: "ctl2", File: "/etc/nova/nova.conf", Key: "database/x"},          // kept: key
		{Rule: "OSC-CRON-001", Host: "ctl1", File: "/etc/cron.d/keystone", Key: "cron/token_flush"}, // expired
	}
	res, err := Apply(fleet(nil), fs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Suppressed != 2 || len(res.Kept) != 4 {
		t.Fatalf("suppressed %d kept %+v", res.Suppressed, res.Kept)
	}
	if len(res.Expired) != 1 || res.Expired[0].Where() != "fleet/oscfg.ini:5" || res.Expired[0].Matched != 1 {
		t.Errorf("expired %+v", res.Expired)
	}
	if len(res.Unused) != 1 || res.Unused[0].Line != 6 || res.Unused[0].Rule != "OSC-HAP-002" || res.Unused[0].Match != "host=nowhere" {
		t.Errorf("unused %+v", res.Unused)
	}
}
