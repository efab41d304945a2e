// Package fixers turns the fix ops rules attach to findings into byte-range
// edits of the files they name, applies them, renders a unified diff and
// writes files atomically. Fixes are data: each op is performed by one
// generic mechanism per dialect, never by rule-specific code.
package fixers

import (
	"fmt"
	"sort"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Edit replaces src[Start:End] with New (an insertion when Start == End).
type Edit = udiff.Edit

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
	return udiff.ToUnified("a/"+label, "b/"+label, string(old), edits, context)
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
