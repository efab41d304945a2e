package suppress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

func TestStableKey(t *testing.T) {
	cases := []struct {
		f    model.Finding
		want string
	}{
		{model.Finding{Key: "cinder_api/balance", Message: "x 1"}, "cinder_api/balance"},
		{model.Finding{Fix: map[string]any{"op": "set", "section": "database", "key": "connection_recycle_time", "value": "540"}}, "database/connection_recycle_time"},
		{model.Finding{Fix: map[string]any{"op": "haproxy_set", "section": "nova_api", "keyword": "timeout client"}}, "nova_api/timeout client"},
		{model.Finding{Fix: map[string]any{"op": "comment_out", "line": 7}, Message: "job at 17 * * * *  runs 3 times"}, "message:job at * * * * runs times"},
	}
	for _, c := range cases {
		if got := StableKey(c.f); got != c.want {
			t.Errorf("StableKey(%+v) = %q, want %q", c.f, got, c.want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	base := model.Finding{Rule: "OSC-HAP-001", Host: "ctl1", File: hapCfg, Line: 24, Key: "cinder_api/balance", Message: "balance source on 3 servers"}
	moved := base
	moved.Line, moved.Message = 31, "balance source on 4 servers"
	if Fingerprint(base, nil) != Fingerprint(moved, nil) {
		t.Error("fingerprint depends on the line or the message")
	}
	for name, mod := range map[string]func(*model.Finding){
		"host": func(f *model.Finding) { f.Host = "ctl2" },
		"file": func(f *model.Finding) { f.File = "/etc/haproxy/services.d/cinder.cfg" },
		"rule": func(f *model.Finding) { f.Rule = "OSC-HAP-002" },
		"key":  func(f *model.Finding) { f.Key = "nova_api/balance" },
	} {
		other := base
		mod(&other)
		if Fingerprint(base, nil) == Fingerprint(other, nil) {
			t.Errorf("fingerprint ignores the %s", name)
		}
	}
	// Secrets are masked before hashing (a message-derived key).
	leak := model.Finding{Rule: "OSC-X", Host: "h", File: "/f", Message: "password hunter"}
	masked := leak
	masked.Message = "password ****"
	scrub := func(s string) string { return strings.ReplaceAll(s, "hunter", "****") }
	if Fingerprint(leak, scrub) != Fingerprint(masked, nil) {
		t.Error("scrub not applied before hashing")
	}
}

func TestBaselineCountsAndRoundTrip(t *testing.T) {
	f := func(host, key string, line int) model.Finding {
		return model.Finding{Rule: "OSC-CRON-001", Host: host, File: "/etc/cron.d/keystone", Line: line, Key: key}
	}
	old := []model.Finding{f("ctl1", "cron/token_flush", 3), f("ctl2", "cron/token_flush", 3), f("ctl2", "cron/token_flush", 9)}
	b := NewBaseline(old, nil)
	if len(b.Findings) != 2 || b.Findings[0].Host != "ctl1" || b.Findings[1].Count != 2 {
		t.Fatalf("%+v", b.Findings)
	}
	p := filepath.Join(t.TempDir(), "baseline.json")
	if err := b.Write(p); err != nil {
		t.Fatal(err)
	}
	rb, err := ReadBaseline(p)
	if err != nil {
		t.Fatal(err)
	}
	// Lines moved; ctl1 gained a second job with the same print (one is
	// new); ctl3 is new; ctl2 lost one job (one entry unmatched).
	now := []model.Finding{f("ctl1", "cron/token_flush", 5), f("ctl1", "cron/token_flush", 6), f("ctl2", "cron/token_flush", 12), f("ctl3", "cron/token_flush", 3)}
	kept, hidden, unmatched := rb.Filter(now, nil)
	if len(hidden) != 2 || len(kept) != 2 || unmatched != 1 {
		t.Fatalf("kept %+v hidden %+v unmatched %d", kept, hidden, unmatched)
	}
	if kept[0].Host != "ctl1" || kept[0].Line != 6 || kept[1].Host != "ctl3" {
		t.Errorf("kept %+v", kept)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"version": `{"version": 2, "findings": []}`,
		"json":    `findings:`,
	} {
		p := filepath.Join(dir, name+".json")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadBaseline(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if _, err := ReadBaseline(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
	// An entry written by hand without a fingerprint is computed from its fields.
	p := filepath.Join(dir, "hand.json")
	if err := os.WriteFile(p, []byte(`{"version":1,"findings":[{"rule":"OSC-HAP-001","host":"ctl1","file":"/etc/haproxy/haproxy.cfg","key":"a/balance"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(p)
	if err != nil {
		t.Fatal(err)
	}
	kept, _, _ := b.Filter([]model.Finding{{Rule: "OSC-HAP-001", Host: "ctl1", File: hapCfg, Key: "a/balance"}}, nil)
	if len(kept) != 0 {
		t.Error("hand-written entry did not match")
	}
}

// A cluster fact is reported at its first host; adding a host that sorts
// first moves it, and the baseline must still cover it.
func TestClusterFingerprintStableWhenHostsAreAdded(t *testing.T) {
	f := model.Finding{Rule: "OSC-CRON-001", Cluster: "r1", Host: "ctl2", File: "/var/spool/cron/crontabs/keystone", Line: 5, Key: "cron/token_flush/10.1.0.10",
		Related: []model.Related{{Host: "ctl3"}}}
	grown := f
	grown.Host, grown.Related = "ctl1", []model.Related{{Host: "ctl2"}, {Host: "ctl3"}}
	if Fingerprint(f, nil) != Fingerprint(grown, nil) {
		t.Error("a cluster finding's fingerprint depends on its host")
	}
	other := grown
	other.Cluster = "r2"
	if Fingerprint(other, nil) == Fingerprint(grown, nil) {
		t.Error("the same fact in another cluster has the same fingerprint")
	}
	kept, hidden, _ := NewBaseline([]model.Finding{f}, nil).Filter([]model.Finding{grown}, nil)
	if len(kept) != 0 || len(hidden) != 1 {
		t.Errorf("baseline of the 2-host fact does not cover the 3-host one: kept %d", len(kept))
	}
	// A host finding keeps its host in the fingerprint.
	h := f
	h.Cluster = ""
	if Fingerprint(h, nil) == Fingerprint(f, nil) {
		t.Error("host finding and cluster finding share a fingerprint")
	}
}
