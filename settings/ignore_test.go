package settings

import (
	"strings"
	"testing"
	"time"
)

func TestIgnoreSection(t *testing.T) {
	s, err := load(t, `release = zed
[ignore]
; two suppressions of one rule, on separate lines
OSC-HAP-001 = host=ctl1 path=/etc/haproxy/haproxy.cfg until=2027-03-31 -- pinned by pacemaker -- see #12
OSC-HAP-001 = host=lab-* key=horizon/balance reason="lab only"
osc-cron-* =
[severity]
OSC-HAP-001 = high
[ignore]
OSC-DB-001 = path=/etc/nova/* ; trailing comment
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ignores) != 4 || s.Severity["OSC-HAP-001"] != "high" {
		t.Fatalf("%+v", s)
	}
	a, b, c, d := s.Ignores[0], s.Ignores[1], s.Ignores[2], s.Ignores[3]
	if a.Rule != "OSC-HAP-001" || a.Host != "ctl1" || a.Path != "/etc/haproxy/haproxy.cfg" || a.Line != 4 ||
		a.Until.Format(DateLayout) != "2027-03-31" || a.Reason != "pinned by pacemaker -- see #12" {
		t.Errorf("first: %+v", a)
	}
	if b.Host != "lab-*" || b.Key != "horizon/balance" || b.Reason != "lab only" || b.Line != 5 || !b.Until.IsZero() {
		t.Errorf("second: %+v", b)
	}
	if c.Rule != "OSC-CRON-*" || c.Host != "" || c.Line != 6 {
		t.Errorf("third: %+v", c)
	}
	if d.Rule != "OSC-DB-001" || d.Path != "/etc/nova/*" || d.Line != 10 {
		t.Errorf("fourth: %+v", d)
	}
	if !a.Matches("OSC-HAP-001", "ctl1", "/etc/haproxy/haproxy.cfg", "x") || a.Matches("OSC-HAP-001", "ctl2", "/etc/haproxy/haproxy.cfg", "x") ||
		a.Matches("OSC-HAP-002", "ctl1", "/etc/haproxy/haproxy.cfg", "x") || a.Matches("OSC-HAP-001", "ctl1", "/etc/haproxy/services.d/a.cfg", "x") {
		t.Error("host/path/rule matching")
	}
	if !b.Matches("osc-hap-001", "lab-3", "/any", "horizon/balance") || b.Matches("OSC-HAP-001", "lab-3", "/any", "nova_api/balance") {
		t.Error("key matching")
	}
	if !c.Matches("OSC-CRON-002", "h", "/f", "") || c.Matches("OSC-HAP-001", "h", "/f", "") {
		t.Error("rule glob")
	}
	if got := a.String(); got != "OSC-HAP-001 host=ctl1 path=/etc/haproxy/haproxy.cfg until=2027-03-31" {
		t.Errorf("String() = %q", got)
	}
}

func TestIgnoreErrors(t *testing.T) {
	for in, want := range map[string]string{
		"[ignore]\nOSC-HAP-001 = hots=ctl1\n":                    `oscfg.ini:2: [ignore] OSC-HAP-001: unknown option "hots"`,
		"[ignore]\nOSC-HAP-001 = until=31.03.2027\n":             "oscfg.ini:2: [ignore] OSC-HAP-001: until=31.03.2027: want a date as YYYY-MM-DD",
		"\n[ignore]\nOSC-HAP-001 = host=a host=b\n":              "oscfg.ini:3: [ignore] OSC-HAP-001: host= given twice",
		"[ignore]\nOSC-HAP-001 = ctl1\n":                         `"ctl1": want host=`,
		"[ignore]\nOSC-HAP-001 = reason=\"unterminated\n":        "unterminated quote",
		"[ignore]\nOSC-HAP-001 = path=[\n":                       "path=[: bad glob",
		"[ignore]\nOSC-HAP-001 = host=a\n[rules]\ndisabel = x\n": "unknown setting",
	} {
		_, err := load(t, in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}

func TestExpired(t *testing.T) {
	until, err := ParseUntil("2027-03-31")
	if err != nil {
		t.Fatal(err)
	}
	for now, want := range map[time.Time]bool{
		time.Date(2027, 3, 30, 23, 0, 0, 0, time.Local):  false,
		time.Date(2027, 3, 31, 23, 59, 0, 0, time.Local): false, // applies all of its last day
		time.Date(2027, 4, 1, 0, 0, 0, 0, time.Local):    true,
	} {
		if got := Expired(until, now); got != want {
			t.Errorf("Expired(%v) = %v, want %v", now, got, want)
		}
	}
	if Expired(time.Time{}, time.Now()) {
		t.Error("no until= expired")
	}
}
