package fixers

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// randomChange edits a numbered file at random places: insertions,
// deletions and replacements, near each other (merged into one hunk) and
// far apart (separate hunks), sometimes at the ends or dropping the final
// newline.
func randomChange(r *rand.Rand) (old, new string) {
	n := 5 + r.IntN(80)
	var o, w []string
	for i := 1; i <= n; i++ {
		o = append(o, fmt.Sprintf("line %d\n", i))
	}
	for i, l := range o {
		switch r.IntN(12) {
		case 0: // delete
		case 1: // replace
			w = append(w, "changed "+l)
		case 2: // insert before
			w = append(w, fmt.Sprintf("new before %d\n", i+1), l)
		default:
			w = append(w, l)
		}
	}
	if r.IntN(4) == 0 {
		w = append(w, "appended\n")
	}
	old, new = strings.Join(o, ""), strings.Join(w, "")
	if r.IntN(5) == 0 {
		new = strings.TrimSuffix(new, "\n")
	}
	if r.IntN(5) == 0 {
		old = strings.TrimSuffix(old, "\n")
	}
	return old, new
}

// Hunk headers are exact for any number of hunks: git apply and patch
// apply the patch with no offset and no fuzz, and produce the new file.
func TestMultiHunkHeadersExact(t *testing.T) {
	for _, tool := range []string{"git", "patch"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH: the patch is checked with both git apply and patch (.ci/run installs them)", tool)
		}
	}
	r := rand.New(rand.NewPCG(11, 3))
	multi := 0
	for i := 0; i < 60; i++ {
		old, new := randomChange(r)
		if old == new {
			continue
		}
		patch, err := Diff("etc/x.conf", []byte(old), []byte(new))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(patch, "\n@@ ") > 1 {
			multi++
		}
		for _, cmd := range [][]string{
			{"git", "apply", "--check", "-v"},
			{"git", "apply", "-v"},
		} {
			dir := setupTree(t, old, patch)
			out, err := run(dir, cmd[0], append(cmd[1:], "fix.patch")...)
			if err != nil || strings.Contains(out, "offset") || strings.Contains(out, "fuzz") || strings.Contains(out, "warning") {
				t.Fatalf("case %d: %v: %v\n%s\npatch:\n%s", i, cmd, err, out, patch)
			}
			if cmd[2] == "-v" && cmd[1] == "apply" && len(cmd) == 3 {
				if got, _ := os.ReadFile(filepath.Join(dir, "etc/x.conf")); string(got) != new {
					t.Fatalf("case %d: git apply gave %q, want %q", i, got, new)
				}
			}
		}
		dir := setupTree(t, old, patch)
		out, err := run(dir, "patch", "--dry-run", "-p1", "-i", "fix.patch")
		if err != nil || strings.Contains(out, "offset") || strings.Contains(out, "fuzz") {
			t.Fatalf("case %d: patch --dry-run: %v\n%s\npatch:\n%s", i, err, out, patch)
		}
		if _, err := run(dir, "patch", "-p1", "-s", "--no-backup-if-mismatch", "-i", "fix.patch"); err != nil {
			t.Fatalf("case %d: patch: %v", i, err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "etc/x.conf")); string(got) != new {
			t.Fatalf("case %d: patch gave %q, want %q", i, got, new)
		}
	}
	if multi < 20 {
		t.Fatalf("only %d patches had several hunks; the test does not exercise them", multi)
	}
}

// The case from issue 11: a later hunk's new start counts the lines the
// hunks before it added.
func TestHunkStartCountsEarlierHunks(t *testing.T) {
	var o []string
	for i := 1; i <= 40; i++ {
		o = append(o, fmt.Sprintf("l%d\n", i))
	}
	w := append([]string{}, o[:5]...)
	w = append(w, "a\n")               // +1 after line 5
	w = append(w, o[5:8]...)           // lines 6-8: merged into the same hunk
	w = append(w, "b\n")               // +1 after line 8
	w = append(w, o[8:33]...)          // far away
	w = append(w, "c\n", "d\n", "e\n") // +3 after line 33
	w = append(w, o[33:]...)
	patch, err := Diff("f", []byte(strings.Join(o, "")), []byte(strings.Join(w, "")))
	if err != nil {
		t.Fatal(err)
	}
	want := "--- a/f\n+++ b/f\n" +
		"@@ -3,9 +3,11 @@\n l3\n l4\n l5\n+a\n l6\n l7\n l8\n+b\n l9\n l10\n l11\n" +
		"@@ -31,6 +33,9 @@\n l31\n l32\n l33\n+c\n+d\n+e\n l34\n l35\n l36\n"
	if patch != want {
		t.Errorf("patch:\n%s\nwant:\n%s", patch, want)
	}
}

func setupTree(t *testing.T, old, patch string) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "etc"), 0o755)
	os.WriteFile(filepath.Join(dir, "etc/x.conf"), []byte(old), 0o644)
	os.WriteFile(filepath.Join(dir, "fix.patch"), []byte(patch), 0o644)
	return dir
}

func run(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// BenchmarkDiffManyHunks: a 100k-line file with an edit every 50 lines
// (2,000 hunks); the hunk renderer is linear in the file plus the edits.
func BenchmarkDiffManyHunks(b *testing.B) {
	var o, w strings.Builder
	for i := 0; i < 100_000; i++ {
		l := fmt.Sprintf("option_%d = value\n", i)
		o.WriteString(l)
		if i%50 == 0 {
			w.WriteString("changed " + l)
		} else {
			w.WriteString(l)
		}
	}
	old, new := []byte(o.String()), []byte(w.String())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Diff("f", old, new); err != nil {
			b.Fatal(err)
		}
	}
}
