package fixers

import (
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
)

// Resolve attaches to every finding with a fix op its resolved fix
// (model.Fix): the change Plan makes for that finding alone, unsafe and
// manual fixes included, and its patch with the fleet's secrets masked.
// It runs once after evaluation and redaction, so that the renderers
// read the fix instead of planning it; a nil fleet resolves the op and
// class only. The fix command's passes call Plan themselves.
func Resolve(fleet *model.Fleet, fs []model.Finding) {
	var mask func(string) string
	if fleet != nil {
		mask = redact.NewScrubber(fleet.Secrets).Text
	}
	for i := range fs {
		f := &fs[i]
		if f.Fix == nil {
			f.Resolved = nil
			continue
		}
		op, _ := f.Fix["op"].(string)
		x := &model.Fix{Op: op, Class: f.FixClass}
		if c := aloneChange(fleet, *f); c != nil {
			x.Host, x.HostPath, x.Source, x.Old, x.New = c.Host, c.HostPath, c.Source, c.Old, c.New
			x.Patch, x.PatchMasked, _ = RedactedDiff(c.Host+c.HostPath, c.Old, c.New, mask)
		}
		f.Resolved = x
	}
}

// aloneChange is the change oscfg fix would make for f alone (unsafe and
// manual fixes included, as the advice they print), or nil.
func aloneChange(fleet *model.Fleet, f model.Finding) *Change {
	if fleet == nil {
		return nil
	}
	f.Resolved = nil
	changes, skipped := Plan(fleet, []model.Finding{f}, Options{Unsafe: true})
	if len(changes) > 0 {
		return changes[0]
	}
	for _, s := range skipped {
		if s.Suggested != nil {
			return s.Suggested
		}
	}
	return nil
}
