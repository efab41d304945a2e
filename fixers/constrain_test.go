package fixers

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
)

// demoFacts loads the demo fleet (two controllers, each with the galera
// listener at timeout client/server 1m inherited, nova and keystone
// connections through it, db1 with wait_timeout 600).
func demoFacts(t *testing.T) (*model.Fleet, *Facts) {
	t.Helper()
	fleet, err := loader.Load([]string{"../testdata/demo-fleet"}, loader.Options{Release: "mitaka", ReleaseSource: "flag"})
	if err != nil {
		t.Fatal(err)
	}
	in, topo := loader.InputTopology(fleet, loader.DefaultSettings)
	return fleet, NewFacts(in, topo)
}

func recycleFix(host, file, group, value string) model.Finding {
	return model.Finding{Rule: "OSC-DB-001", Host: host, File: file, FixClass: "safe", Fix: map[string]any{
		"op": "set", "host": host, "file": file, "section": group, "key": "idle_timeout", "value": value}}
}

func listenerFix(host, side, value string) model.Finding {
	return model.Finding{Rule: "OSC-HAP-005", Host: host, File: "/etc/haproxy/haproxy.cfg", FixClass: "safe", Fix: map[string]any{
		"op": "haproxy_set", "host": host, "file": "/etc/haproxy/haproxy.cfg", "section": "galera_cluster",
		"keyword": "timeout " + side, "args": []any{value}}}
}

func changed(t *testing.T, changes []*Change, host, path string) string {
	t.Helper()
	for _, c := range changes {
		if c.Host == host && c.HostPath == path {
			return string(c.New)
		}
	}
	t.Fatalf("no change of %s:%s", host, path)
	return ""
}

// The demo's contradiction: the rules alone ask for recycle 54 (90% of the
// listener's current 1m) and listener timeouts 4200s (the current recycle
// 3600 + 600). Solved together: recycle 540 (90% of wait_timeout 600, the
// listener being raised), both listener timeouts 3600s (540 + 600, at
// least 3600), on every host.
func TestDBTimeoutsSolvedTogether(t *testing.T) {
	fleet, fc := demoFacts(t)
	var fs []model.Finding
	for _, h := range []string{"ctl1", "ctl2"} {
		fs = append(fs, recycleFix(h, "/etc/nova/nova.conf", "database", "54"), recycleFix(h, "/etc/nova/nova.conf", "api_database", "54"),
			recycleFix(h, "/etc/keystone/keystone.conf", "database", "54"),
			listenerFix(h, "client", "4200s"), listenerFix(h, "server", "4200s"))
	}
	changes, skipped := Plan(fleet, fs, Options{Facts: fc})
	if len(skipped) != 0 {
		t.Fatalf("skipped: %+v", skipped)
	}
	for _, h := range []string{"ctl1", "ctl2"} {
		nova := changed(t, changes, h, "/etc/nova/nova.conf")
		if strings.Count(nova, "idle_timeout = 540\n") != 2 {
			t.Errorf("%s nova.conf:\n%s", h, nova)
		}
		if ks := changed(t, changes, h, "/etc/keystone/keystone.conf"); !strings.Contains(ks, "idle_timeout = 540\n") {
			t.Errorf("%s keystone.conf:\n%s", h, ks)
		}
		hap := changed(t, changes, h, "/etc/haproxy/haproxy.cfg")
		if !strings.Contains(hap, "    timeout client 3600s\n    timeout server 3600s\n") {
			t.Errorf("%s haproxy.cfg: both timeouts in one pass, 3600s:\n%s", h, hap)
		}
	}
	var solved int
	for _, c := range changes {
		solved += len(c.Solved)
	}
	if solved != 10 {
		t.Errorf("%d solved notes, want 10 (6 recycle, 4 listener)", solved)
	}
	// Without the facts each rule's value stands (the old behaviour).
	changes, _ = Plan(fleet, fs, Options{})
	if nova := changed(t, changes, "ctl1", "/etc/nova/nova.conf"); !strings.Contains(nova, "idle_timeout = 54\n") {
		t.Errorf("without facts:\n%s", nova)
	}
}

// A listener no fix changes bounds the recycle time: with only the
// recycle fixes selected (fix --rule OSC-DB-001) the value stays under
// the listener's current 1m.
func TestRecycleBoundedByUnchangedListener(t *testing.T) {
	fleet, fc := demoFacts(t)
	changes, _ := Plan(fleet, []model.Finding{recycleFix("ctl1", "/etc/nova/nova.conf", "database", "9999")}, Options{Facts: fc})
	if nova := changed(t, changes, "ctl1", "/etc/nova/nova.conf"); !strings.Contains(nova, "idle_timeout = 54\n") {
		t.Errorf("nova.conf:\n%s", nova)
	}
}

// One side of a TCP listen fixed: the other joins the same fix at the
// same value, and a longer current value of the other side wins.
func TestTCPPairKeptEqual(t *testing.T) {
	fleet, fc := demoFacts(t)
	changes, _ := Plan(fleet, []model.Finding{listenerFix("ctl1", "client", "4200s")}, Options{Facts: fc})
	hap := changed(t, changes, "ctl1", "/etc/haproxy/haproxy.cfg")
	// No recycle fix planned: the current 3600 behind it gives 4200s.
	if !strings.Contains(hap, "    timeout client 4200s\n    timeout server 4200s\n") {
		t.Errorf("haproxy.cfg:\n%s", hap)
	}
	if len(changes[0].Fixed) != 1 {
		t.Errorf("fixed %d findings, want the one", len(changes[0].Fixed))
	}

	// neutron_api (HTTP mode) is not a TCP pair: its other side stays.
	f := model.Finding{Rule: "OSC-HAP-002", Host: "ctl1", File: "/etc/haproxy/haproxy.cfg", FixClass: "safe", Fix: map[string]any{
		"op": "haproxy_set", "host": "ctl1", "file": "/etc/haproxy/haproxy.cfg", "section": "neutron_api",
		"keyword": "timeout server", "args": []any{"300s"}}}
	changes, _ = Plan(fleet, []model.Finding{f}, Options{Facts: fc})
	hap = changed(t, changes, "ctl1", "/etc/haproxy/haproxy.cfg")
	if !strings.Contains(hap, "timeout client 120s\n    timeout server 300s\n") {
		t.Errorf("haproxy.cfg:\n%s", hap)
	}
}

// Ops on different settings that insert at one point all apply in one
// pass, each computed on the file as the earlier ones leave it: two keys
// into one missing section give one section.
func TestInsertionsAtOnePointFolded(t *testing.T) {
	f := file(t, model.KindOslo, "/etc/nova/nova.conf", "[DEFAULT]\ndebug = false\n")
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}}
	set := func(k, v string) model.Finding {
		return model.Finding{Rule: "OSC-MQ-001", FixClass: "safe", Fix: map[string]any{"op": "set", "host": "h1", "file": f.HostPath,
			"section": "oslo_messaging_rabbit", "key": k, "value": v}}
	}
	changes, skipped := Plan(fleet, []model.Finding{set("heartbeat_rate", "3"), set("heartbeat_timeout_threshold", "60")}, Options{})
	if len(skipped) != 0 || len(changes) != 1 {
		t.Fatalf("changes %v skipped %+v", changes, skipped)
	}
	want := "[DEFAULT]\ndebug = false\n\n[oslo_messaging_rabbit]\nheartbeat_rate = 3\nheartbeat_timeout_threshold = 60\n"
	if got := string(changes[0].New); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
