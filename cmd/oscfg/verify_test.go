package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixWriteVerifyRefuses: when the checker accepts a file as it is and
// rejects the fixed version, fix --write leaves that file untouched, says
// why, exits 2, and still writes the files the checkers accepted;
// --no-verify writes it. The checker here is a stand-in haproxy on PATH that
// refuses any configuration balancing roundrobin (what OSC-HAP-001's fix
// writes): real haproxy's judgement is tested in fixers (TestCheckHAProxy).
func TestFixWriteVerifyRefuses(t *testing.T) {
	bin := t.TempDir()
	fake := "#!/bin/sh\n# args: -c -f FILE [-f FILE...]\nfor a in \"$@\"; do case $a in -*) ;; *) if grep -q roundrobin \"$a\"; then echo \"[ALERT] $a: parsing [x]: stand-in refuses roundrobin\" >&2; exit 1; fi;; esac; done\nexit 0\n"
	if err := os.WriteFile(filepath.Join(bin, "haproxy"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	fleet := filepath.Join(t.TempDir(), "fleet")
	copyTree(t, "../../testdata/scenarios/balance-source/fleet", fleet)
	before := snapshot(t, fleet)
	_, errOut, code := runCLI("fix", "--write", "--rule", "OSC-HAP-001", fleet)
	if code != exitError {
		t.Fatalf("exit %d, want 2:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "not written:") || !strings.Contains(errOut, "haproxy -c accepts the file as it is and rejects the fixed one") || !strings.Contains(errOut, "stand-in refuses roundrobin") {
		t.Errorf("refusal not explained:\n%s", errOut)
	}
	if after := snapshot(t, fleet); fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("a refused file was written")
	}
	_, errOut, code = runCLI("fix", "--write", "--no-verify", "--rule", "OSC-HAP-001", fleet)
	if code == exitError {
		t.Fatalf("--no-verify: exit 2:\n%s", errOut)
	}
	if after := snapshot(t, fleet); fmt.Sprint(before) == fmt.Sprint(after) {
		t.Errorf("--no-verify did not write")
	}
}
