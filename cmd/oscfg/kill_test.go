package main

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as the oscfg command, so tests can run
// it as a separate process (and kill it) without building it.
func TestMain(m *testing.M) {
	if os.Getenv("OSCFG_TEST_AS_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestKilledFixLeavesWholeFiles runs `oscfg fix --write` on the demo fleet
// and kills it with SIGKILL at random moments: every file must then hold
// either its old bytes or its fixed bytes, never a mix.
func TestKilledFixLeavesWholeFiles(t *testing.T) {
	fleet, _ := filepath.Abs("../../testdata/demo-fleet")
	// The fixed bytes, from one uninterrupted run of the same process
	// kind, timed so the kills below spread over its whole life (most of
	// it is loading and evaluating; the writes come last).
	done := t.TempDir()
	copyTree(t, fleet, done)
	ref := exec.Command(os.Args[0], "fix", "--write", "--no-verify", done)
	ref.Env = append(os.Environ(), "OSCFG_TEST_AS_MAIN=1")
	start := time.Now()
	// Exit 1 only says findings remain.
	if out, err := ref.CombinedOutput(); err != nil && ref.ProcessState.ExitCode() != exitFindings {
		t.Fatalf("reference fix: %v %s", err, out)
	}
	life := time.Since(start)
	want := snapshot(t, done)
	old := snapshot(t, fleet)
	rng := rand.New(rand.NewSource(1))
	killedMidway := 0
	const runs = 24
	for i := 0; i < runs; i++ {
		dir := t.TempDir()
		copyTree(t, fleet, dir)
		cmd := exec.Command(os.Args[0], "fix", "--write", "--no-verify", dir)
		cmd.Env = append(os.Environ(), "OSCFG_TEST_AS_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Later half of the life: that is where the writes are.
		time.Sleep(life/2 + time.Duration(rng.Int63n(int64(life/2)+1)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		changed := 0
		for rel, content := range snapshot(t, dir) {
			if strings.Contains(filepath.Base(rel), ".oscfg-") {
				continue // a temporary file the kill left behind; the target is whole
			}
			if content != old[rel] && content != want[rel] {
				t.Fatalf("run %d: %s is neither the old nor the fixed bytes:\n%s", i, rel, content)
			}
			if content != old[rel] {
				changed++
			}
		}
		if changed > 0 && changed < countDiff(old, want) {
			killedMidway++
		}
	}
	t.Logf("%d of %d runs were killed between two file writes (process life %v)", killedMidway, runs, life)
}

func countDiff(a, b map[string]string) int {
	n := 0
	for k := range b {
		if a[k] != b[k] {
			n++
		}
	}
	return n
}
