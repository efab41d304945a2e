// Package fixers turns the fix ops rules attach to findings into byte-range
// edits of the files they name, applies them, renders a unified diff and
// writes files atomically. Fixes are data: each op is performed by one
// generic mechanism per dialect, never by rule-specific code.
package fixers

import (
	"fmt"
	"sort"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/oscfg/oscfg/dialect"
)

// Edit replaces src[Start:End] with New (an insertion when Start == End);
// the dialects compute them (dialect.Edit).
type Edit = dialect.Edit

// ApplyEdits applies non-overlapping edits to src. Overlapping edits are an
// error: two fixes touching the same bytes never both apply.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Start != es[j].Start {
			return es[i].Start < es[j].Start
		}
		return es[i].End < es[j].End
	})
	for i := range es {
		if es[i].Start < 0 || es[i].End > len(src) || es[i].Start > es[i].End {
			return nil, fmt.Errorf("edit [%d,%d) outside the file (%d bytes)", es[i].Start, es[i].End, len(src))
		}
		if i > 0 && es[i].Start < es[i-1].End {
			return nil, fmt.Errorf("edits overlap at byte %d", es[i].Start)
		}
		if i > 0 && es[i].Start == es[i-1].Start && es[i].Start == es[i].End && es[i-1].Start == es[i-1].End {
			// Two insertions at the same point: keep both, in order.
			continue
		}
	}
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range es {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// Diff renders one file's change as a unified diff with a/ and b/ labels,
// which `git apply` and `patch -p1` accept from the directory label is
// relative to.
func Diff(label string, old, new []byte) (string, error) {
	return diffContext(label, old, new, 3)
}

func diffContext(label string, old, new []byte, context int) (string, error) {
	// Line-level edits: a byte-level diff may attach an inserted line to
	// the end of the line before it, which shows that line as changed.
	edits := udiff.Lines(string(old), string(new))
	if len(edits) == 0 {
		return "", nil
	}
	return unified("a/"+label, "b/"+label, string(old), edits, context)
}

// lineEdit replaces old lines [from, to) with the lines add.
type lineEdit struct {
	from, to int
	add      []string
}

// unified renders line edits as a unified diff in GNU diff's form. The
// new-file start of every hunk counts the lines all earlier edits added
// and removed, including those merged into one hunk (go-udiff's own
// renderer loses the context lines between merged edits, which shifts
// the +start of every later hunk).
func unified(from, to, old string, edits []Edit, context int) (string, error) {
	lines := splitLines(old)
	starts := make([]int, len(lines)+1) // byte offset of each line; len(old) at the end
	off := 0
	for i, l := range lines {
		starts[i] = off
		off += len(l)
	}
	starts[len(lines)] = len(old)
	lineAt := func(b int) (int, error) {
		i := sort.SearchInts(starts, b)
		if i > len(lines) || starts[i] != b {
			return 0, fmt.Errorf("diff edit at byte %d is not at a line boundary", b)
		}
		return i, nil
	}
	les := make([]lineEdit, 0, len(edits))
	for _, e := range edits {
		a, err := lineAt(e.Start)
		if err != nil {
			return "", err
		}
		z, err := lineAt(e.End)
		if err != nil {
			return "", err
		}
		les = append(les, lineEdit{a, z, splitLines(e.New)})
	}
	sort.SliceStable(les, func(i, j int) bool { return les[i].from < les[j].from })

	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", from, to)
	delta := 0 // new line number minus old line number before the hunk
	for i := 0; i < len(les); {
		// A hunk takes every following edit whose context would touch.
		j := i + 1
		for j < len(les) && les[j].from-les[j-1].to <= 2*context {
			j++
		}
		hs := max(0, les[i].from-context)
		he := min(len(lines), les[j-1].to+context)
		var body strings.Builder
		added := 0
		at := hs
		for _, e := range les[i:j] {
			for ; at < e.from; at++ {
				writeLine(&body, ' ', lines[at])
			}
			for ; at < e.to; at++ {
				writeLine(&body, '-', lines[at])
			}
			for _, l := range e.add {
				writeLine(&body, '+', l)
			}
			added += len(e.add) - (e.to - e.from)
		}
		for ; at < he; at++ {
			writeLine(&body, ' ', lines[at])
		}
		oldCount := he - hs
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", hunkRange(hs, oldCount), hunkRange(hs+delta, oldCount+added))
		b.WriteString(body.String())
		delta += added
		i = j
	}
	return b.String(), nil
}

// hunkRange is one side of a hunk header: "start,count", the count left
// out when it is 1, and an empty range named by the line before it.
func hunkRange(start0, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start0)
	case 1:
		return fmt.Sprintf("%d", start0+1)
	}
	return fmt.Sprintf("%d,%d", start0+1, count)
}

func writeLine(b *strings.Builder, mark byte, line string) {
	b.WriteByte(mark)
	b.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		b.WriteString("\n\\ No newline at end of file\n")
	}
}

// splitLines splits s after each newline; a last line without one is kept.
func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// RedactedDiff is Diff with secrets masked by scrub. It first tries
// smaller contexts (3, 2, 1 lines) so that neighbouring secret lines stay
// out of the hunks; masked reports whether some line still had to be
// masked, in which case the patch no longer applies as is.
func RedactedDiff(label string, old, new []byte, scrub func(string) string) (patch string, masked bool, err error) {
	for ctx := 3; ctx >= 1; ctx-- {
		d, err := diffContext(label, old, new, ctx)
		if err != nil {
			return "", false, err
		}
		if r := scrub(d); r == d {
			return d, false, nil
		}
	}
	d, err := Diff(label, old, new)
	return scrub(d), true, err
}
