package policies_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
)

// lintTree loads a fleet written from files (host-relative paths) and
// evaluates every built-in rule on it.
func lintTree(t *testing.T, release string, files map[string]string) ([]model.Finding, *engine.Engine) {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	fleet, err := loader.Load([]string{root}, loader.Options{Release: release, ReleaseSource: "flag"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := engine.Input(loader.Input(fleet, loader.DefaultSettings))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return fs, eng
}

// A compute host left at the upstream defaults of the options these rules
// read. Rules that fire on an upstream default say why it is wrong in HA
// and stay low or info (no incident oscfg knows shows harm at the
// default), and the value their remedy names is the value their fix
// writes.
func TestRulesOnUpstreamDefaults(t *testing.T) {
	compute := map[string]string{
		"cmp1/etc/nova/nova.conf": "[DEFAULT]\ntransport_url = rabbit://nova:NOVA_PASS@10.0.0.11:5672/\ncompute_driver = libvirt.LibvirtDriver\n\n[libvirt]\nvirt_type = kvm\n",
	}
	for _, c := range []struct {
		release, rule, key, value string
	}{
		{"zed", "OSC-NOVA-001", "block_device_allocate_retries", "199"},
		{"zed", "OSC-MQ-001", "heartbeat_rate", "3"},
		{"ussuri", "OSC-NOVA-002", "num_retries", "3"},
	} {
		fs, eng := lintTree(t, c.release, compute)
		var got *model.Finding
		for i, f := range fs {
			if f.Rule == c.rule && f.Fix != nil && f.Fix["key"] == c.key {
				got = &fs[i]
			}
		}
		if got == nil {
			t.Errorf("%s on %s: no finding with a fix of %s", c.rule, c.release, c.key)
			continue
		}
		if model.SeverityRank(got.Severity) > model.SeverityRank("low") {
			t.Errorf("%s on the upstream default (%s): severity %s, want low or info: %s", c.rule, c.release, got.Severity, got.Message)
		}
		if got.Fix["value"] != c.value {
			t.Errorf("%s: fix writes %v, want %s", c.rule, got.Fix["value"], c.value)
		}
		r := eng.Rule(c.rule)
		if !strings.Contains(got.Message, c.value) {
			t.Errorf("%s: the message does not name the value the fix writes (%s): %s", c.rule, c.value, got.Message)
		}
		if !strings.Contains(r.Remedy, c.key) || !strings.Contains(r.Remedy, c.value) {
			t.Errorf("%s: remedy does not name %s = %s, the value the fix writes:\n%s", c.rule, c.key, c.value, r.Remedy)
		}
		if !strings.Contains(r.Description, "HA") && !strings.Contains(r.Description, "high availability") {
			t.Errorf("%s: description does not say why the default is wrong in HA", c.rule)
		}
	}
}
