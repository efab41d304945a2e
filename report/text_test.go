package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/oscfg/oscfg/model"
)

func TestHeadline(t *testing.T) {
	cases := []struct {
		msg   string
		width int
		want  string
	}{
		// The first clause, when it fits.
		{"balance source on backend \"x\": a server leaving remaps clients; use roundrobin", 100, "balance source on backend \"x\""},
		// A ": " inside brackets or quotes does not end the clause.
		{"key (a: b) in \"q: r\" is wrong: because", 100, "key (a: b) in \"q: r\" is wrong"},
		// Asides go, the last first, until the clause fits.
		{"timeout 1m on proxy \"g\" (mysql, inherited) is below the lifetime (the longest is 3600s): why", 65, "timeout 1m on proxy \"g\" (mysql, inherited) is below the lifetime"},
		{"timeout 1m on proxy \"g\" (mysql, inherited) is below the lifetime (the longest is 3600s): why", 50, "timeout 1m on proxy \"g\" is below the lifetime"},
		// "file(s)" and a term like "(10+1)" are not asides.
		{"window (10+1) x 10s (compute) is below 180 s in 3 file(s) (see below): why", 55, "window (10+1) x 10s is below 180 s in 3 file(s)"},
		// Still too long: cut at a word, marked.
		{strings.Repeat("word ", 30) + ": why", 50, strings.TrimSpace(strings.Repeat("word ", 9)) + "…"},
		// No clause mark: the whole message, cut if need be.
		{"short message", 50, "short message"},
	}
	for _, c := range cases {
		got := Headline(c.msg, c.width)
		if got != c.want {
			t.Errorf("Headline(%q, %d)\n got %q\nwant %q", c.msg, c.width, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > max(c.width, minHeadline) {
			t.Errorf("Headline(%q, %d) is %d runes", c.msg, c.width, n)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n         int
		one, many string
		want      string
	}{{0, "finding", "", "0 findings"}, {1, "finding", "", "1 finding"}, {2, "host", "", "2 hosts"},
		{1, "baseline entry", "baseline entries", "1 baseline entry"}, {3, "baseline entry", "baseline entries", "3 baseline entries"}} {
		if got := Plural(c.n, c.one, c.many); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.one, got, c.want)
		}
	}
	s := Summary{Findings: 1, Hosts: 1, Files: 1, BySeverity: map[string]int{"high": 1}, Release: "zed",
		Unused: []model.SuppressionNote{{Rule: "X"}}, BaselineUnmatched: 1}
	if got, want := SummaryLine(s), "1 finding (1 high), 1 baseline entry fixed, 1 unused suppression in 1 host, 1 file; release zed"; got != want {
		t.Errorf("SummaryLine:\n got %q\nwant %q", got, want)
	}
	s = Summary{Findings: 2, Hosts: 3, Files: 0, BySeverity: map[string]int{"low": 2}, Release: "zed"}
	if got, want := SummaryLine(s), "2 findings (2 low) in 3 hosts, 0 files; release zed"; got != want {
		t.Errorf("SummaryLine:\n got %q\nwant %q", got, want)
	}
}

func fx() map[string]any {
	return map[string]any{"op": "set", "section": "s", "key": "k", "value": "v"}
}

// Text groups by file, the worst file first, worst first in a file, and
// closes with the counts and what fix --write would fix: safe fixes only,
// unsafe and manual ones said apart.
func TestTextOrderAndClosingLines(t *testing.T) {
	fs := []model.Finding{
		{Rule: "OSC-A-001", Severity: "info", Host: "a", File: "/etc/a.conf", Line: 1, Message: "a info"},
		{Rule: "OSC-A-002", Severity: "medium", Host: "a", File: "/etc/a.conf", Line: 9, Message: "a medium", Fix: fx(), FixClass: "safe"},
		{Rule: "OSC-B-001", Severity: "low", Host: "b", File: "/etc/b.conf", Line: 3, Message: "b low", Fix: fx(), FixClass: "unsafe"},
		{Rule: "OSC-B-002", Severity: "high", Host: "b", File: "/etc/b.conf", Line: 5, Message: "b high", Fix: fx(), FixClass: "safe"},
		{Rule: "OSC-C-001", Severity: "medium", Host: "c", File: "/etc/c.conf", Line: 2, Message: "c medium", Fix: fx(), FixClass: "manual"},
		{Rule: "OSC-C-002", Severity: "low", Host: "c", File: "/etc/c.conf", Line: 1, Message: "c low"},
	}
	r := &Report{Findings: fs, Summary: Summary{Findings: len(fs), Hosts: 3, Files: 3, Release: "zed",
		BySeverity: map[string]int{"high": 1, "medium": 2, "low": 2, "info": 1}}}
	var b bytes.Buffer
	if err := Text(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, " OSC-") && !strings.HasPrefix(l, " ") {
			order = append(order, strings.Fields(l)[3]+" "+strings.Fields(l)[4])
		}
	}
	want := []string{"b high", "b low", "a medium", "a info", "c medium", "c low"}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Errorf("order %v, want %v\n%s", order, want, b.String())
	}
	if !strings.Contains(b.String(), "fix (unsafe): set [s] k = v\n\na:/etc/a.conf:9:") {
		t.Errorf("no blank line between file groups:\n%s", b.String())
	}
	if !strings.HasSuffix(b.String(), "6 findings (1 high, 2 medium, 2 low, 1 info) in 3 hosts, 3 files; release zed\n"+
		"2 fixable with `oscfg fix --write` (1 more with --unsafe-fixes; 1 manual fix to make by hand)\n") {
		t.Errorf("closing lines:\n%s", b.String())
	}
	// Nothing fixable: no fixable line.
	if l := FixableLine(fs[:1]); l != "" {
		t.Errorf("FixableLine without fixes = %q", l)
	}
}

// Long messages: the line stays within LineWidth; -v prints the whole
// message and every related note in full below it.
func TestTextLongMessageVerbose(t *testing.T) {
	long := "timeout client 1m on DB proxy \"galera_cluster\" (mysql, inherited from defaults) is not longer than the pooled-connection lifetime (the longest connection_recycle_time of the 6 connection(s) behind it is 3600s): haproxy silently cuts idle pooled connections; set timeout client to 4200s"
	note := "[neutron] http_retries does not exist before ussuri (release mitaka (config)): nova does not retry a reset connection, not ever, on any of the many hosts"
	f := model.Finding{Rule: "OSC-HAP-005", Severity: "high", Host: "ctl1", File: "/etc/haproxy/haproxy.cfg", Line: 20, Source: "fleet/ctl1/etc/haproxy/haproxy.cfg",
		Message: long, Related: []model.Related{{Host: "compute1", File: "/etc/nova/nova.conf", Line: 15, Note: note}}}
	r := &Report{Findings: []model.Finding{f}, Summary: Summary{Findings: 1}}
	var short, verbose, src bytes.Buffer
	Text(&short, r, TextOptions{})
	Text(&verbose, r, TextOptions{Verbose: true})
	Text(&src, r, TextOptions{ShowSource: true})
	for _, l := range strings.Split(short.String(), "\n") {
		if n := utf8.RuneCountInString(l); n > LineWidth {
			t.Errorf("%d runes: %s", n, l)
		}
	}
	if strings.Contains(short.String(), "4200s") || strings.Contains(short.String(), "not ever") {
		t.Errorf("without -v the details after the headline are shown:\n%s", short.String())
	}
	v := strings.Join(strings.Fields(verbose.String()), " ")
	for _, want := range []string{long, note, "on disk: fleet/ctl1/etc/haproxy/haproxy.cfg:20"} {
		if !strings.Contains(v, want) {
			t.Errorf("-v lacks %q:\n%s", want, verbose.String())
		}
	}
	if !strings.HasPrefix(src.String(), "fleet/ctl1/etc/haproxy/haproxy.cfg:20: high OSC-HAP-005 timeout client 1m") {
		t.Errorf("--show-source: %s", src.String())
	}
}
