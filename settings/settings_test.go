package settings

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oscfg/oscfg/model"
)

func load(t *testing.T, content string) (*Settings, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "oscfg.ini")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(p)
}

func TestLoad(t *testing.T) {
	s, err := load(t, `release = queens
fail_on = high
[rules]
disable = OSC-HAP-004, osc-gen-001
[severity]
OSC-HAP-001 = high
[exclude]
paths = /etc/cron.daily/*
hosts = lab-* test1
[settings]
block_device_window_target = 900
`)
	if err != nil {
		t.Fatal(err)
	}
	if s.Release != "queens" || s.FailOn != "high" || !s.Disabled["OSC-GEN-001"] || s.Severity["OSC-HAP-001"] != "high" ||
		len(s.ExcludePaths) != 1 || len(s.ExcludeHosts) != 2 || s.BlockDeviceWindowTarget != 900 {
		t.Errorf("%+v", s)
	}
	kept, dropped := s.Apply([]model.Finding{
		{Rule: "OSC-HAP-001", Severity: "medium", Host: "ctl1"},
		{Rule: "OSC-HAP-004", Severity: "low", Host: "ctl1"},
		{Rule: "OSC-DB-001", Severity: "high", Host: "lab-3"},
	})
	if dropped != 2 || len(kept) != 1 || kept[0].Severity != "high" {
		t.Errorf("Apply: %d dropped, kept %+v", dropped, kept)
	}
}

func TestLoadErrors(t *testing.T) {
	for in, want := range map[string]string{
		"release = banana\n":                              "unknown OpenStack release",
		"fail_on = urgent\n":                              "unknown severity",
		"[rules]\ndisabel = OSC-X\n":                      "unknown setting",
		"[severity]\nOSC-HAP-001 = hi\n":                  "unknown severity",
		"[settings]\nblock_device_window_target = soon\n": "seconds",
	} {
		_, err := load(t, in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "oscfg.ini") {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}

// policy = lists user policy directories; relative ones are relative to
// the directory of oscfg.ini, not to the current directory.
func TestLoadPolicyDirs(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "oscfg.ini")
	if err := os.WriteFile(p, []byte("policy = site, /srv/oscfg/policies ,, ../shared/policies\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "site"), "/srv/oscfg/policies", filepath.Join(filepath.Dir(dir), "shared", "policies")}
	if strings.Join(s.PolicyDirs, "|") != strings.Join(want, "|") {
		t.Errorf("PolicyDirs = %q, want %q", s.PolicyDirs, want)
	}
	if d := Default(); len(d.PolicyDirs) != 0 {
		t.Errorf("default PolicyDirs = %q", d.PolicyDirs)
	}
}

// A FIFO named oscfg.ini is refused at once, not read (which would block
// until something writes to it).
func TestLoadRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "oscfg.ini")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(p); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "FIFO") || !strings.Contains(err.Error(), p) {
			t.Errorf("err %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
}
