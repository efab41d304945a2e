package fixers

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// TestResolveAttachesFix: after Resolve a finding carries its op, class,
// the change Plan makes for it alone and the masked patch; a fix that
// cannot be planned keeps its op and class without a change, and a
// finding without a fix gets none.
func TestResolveAttachesFix(t *testing.T) {
	f := file(t, model.KindOslo, "/etc/nova/nova.conf", "[database]\nconnection = mysql://nova:S3cr3tPw@db/nova\nmax_pool_size = 5\n")
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}, Secrets: []string{"S3cr3tPw"}}
	set := map[string]any{"op": "set", "host": "h1", "file": f.HostPath, "section": "database", "key": "max_pool_size", "value": "20"}
	missing := map[string]any{"op": "delete", "host": "h1", "file": "/etc/keystone/keystone.conf", "section": "DEFAULT", "key": "debug"}
	fs := []model.Finding{
		{Rule: "OSC-T-001", Host: "h1", File: f.HostPath, FixClass: "manual", Fix: set},
		{Rule: "OSC-T-002", Host: "h1", File: f.HostPath, FixClass: "safe", Fix: missing},
		{Rule: "OSC-T-003", Host: "h1", File: f.HostPath},
	}
	Resolve(fleet, fs)

	x := fs[0].Resolved
	if x == nil || x.Op != "set" || x.Class != "manual" || !x.Changes() {
		t.Fatalf("manual set: %+v", x)
	}
	if x.Host != "h1" || x.HostPath != f.HostPath || string(x.Old) != string(f.Doc.Bytes()) || !strings.Contains(string(x.New), "max_pool_size = 20\n") {
		t.Errorf("change: %s:%s\n%s", x.Host, x.HostPath, x.New)
	}
	if !strings.Contains(x.Patch, "+max_pool_size = 20") || strings.Contains(x.Patch, "S3cr3tPw") || !x.PatchMasked {
		t.Errorf("patch (masked %v):\n%s", x.PatchMasked, x.Patch)
	}
	if y := fs[1].Resolved; y == nil || y.Op != "delete" || y.Class != "safe" || y.Changes() || y.Patch != "" {
		t.Errorf("fix of a file not loaded: %+v", y)
	}
	if fs[2].Resolved != nil {
		t.Errorf("finding without a fix: %+v", fs[2].Resolved)
	}

	// Without a fleet (results read back from JSON) only op and class.
	again := []model.Finding{{Rule: "OSC-T-001", Host: "h1", File: f.HostPath, FixClass: "manual", Fix: set}}
	Resolve(nil, again)
	if z := again[0].Resolved; z == nil || z.Op != "set" || z.Changes() {
		t.Errorf("no fleet: %+v", z)
	}
}

// TestGoldenOpsWellFormed: every op the fixers' goldens apply passes the
// shape check findings are decoded with (model.CheckFixOp), so the two
// agree on the op vocabulary.
func TestGoldenOpsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range goldens {
		op := map[string]any{"host": "h1", "file": g.path}
		for k, v := range g.op {
			op[k] = v
		}
		if err := model.CheckFixOp(op); err != nil {
			t.Errorf("%s: %v", g.name, err)
		}
		seen[op["op"].(string)] = true
	}
	for name := range model.FixOps {
		if !seen[name] {
			t.Errorf("no golden applies op %s", name)
		}
	}
}
