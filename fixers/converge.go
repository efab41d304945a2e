package fixers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
)

// MaxPasses is the most evaluations a fix run makes before it gives up on
// fixes that keep changing files.
const MaxPasses = 10

// Pass is one evaluation of the fleet as the passes before it left the
// files: the findings lint would report (what lint would not report, fix
// does not touch) and the facts the constraint steps read.
type Pass struct {
	Fleet    *model.Fleet
	Findings []model.Finding
	Facts    *Facts
}

// Converged is a fix run planned in memory; nothing is written.
type Converged struct {
	Files     []*Change          // the changed files (first Old, latest New), by source
	Remaining []model.Finding    // the findings of the state after all fixes
	Skipped   map[string]Skipped // why those with a fix op were not fixed, by FindingKey
	Secrets   []string           // every pass's secrets
	Passes    int                // evaluations, the last of which planned nothing
}

// Converge plans a fix run: each pass evaluates the files through read
// (the earlier passes' edits over the files on disk), the fixes are
// planned and applied in memory, and the fleet is evaluated and fixed
// again until nothing changes (at most MaxPasses).
func Converge(opt Options, eval func(pass int, read func(string) ([]byte, bool)) (*Pass, error)) (*Converged, error) {
	run := &Converged{Skipped: map[string]Skipped{}}
	overlay := map[string][]byte{}
	orig := map[string]*Change{} // by disk path: first Old, latest New
	// The loader reads through the host root's confined view; the overlay
	// only supplies the earlier passes' edits.
	read := func(p string) ([]byte, bool) {
		b, ok := overlay[p]
		return b, ok
	}
	for pass := 1; ; pass++ {
		run.Passes = pass
		p, err := eval(pass, read)
		if err != nil {
			return nil, err
		}
		// The constraint steps read the views the rules read.
		opt.Facts = p.Facts
		findings := p.Findings
		run.Secrets = append(run.Secrets, p.Fleet.Secrets...)
		changes, skipped := Plan(p.Fleet, findings, opt)
		if len(changes) == 0 {
			run.Remaining = findings
			for _, sk := range skipped {
				run.Skipped[FindingKey(sk.Finding)] = sk
			}
			break
		}
		if pass == MaxPasses {
			var ids []string
			for _, c := range changes {
				for _, f := range c.Fixed {
					ids = append(ids, fmt.Sprintf("%s at %s:%s:%d", f.Rule, f.Host, f.File, f.Line))
				}
			}
			return nil, fmt.Errorf("fixes did not converge after %d passes; these keep changing files (rules undoing each other?): %s", MaxPasses, strings.Join(ids, "; "))
		}
		for _, c := range changes {
			if o, ok := orig[c.Source]; ok {
				o.New = c.New
				o.Fixed = append(o.Fixed, c.Fixed...)
				o.Solved = append(o.Solved, c.Solved...)
			} else {
				cc := *c
				orig[c.Source] = &cc
			}
			overlay[c.Source] = c.New
		}
	}
	for _, c := range orig {
		if string(c.Old) != string(c.New) {
			run.Files = append(run.Files, c)
		}
	}
	sort.Slice(run.Files, func(i, j int) bool { return run.Files[i].Source < run.Files[j].Source })
	return run, nil
}

// FindingKey is what makes a finding the same one in Converged.Skipped.
func FindingKey(f model.Finding) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%s\x00%s", f.Rule, f.Host, f.File, f.Line, f.Key, f.Message)
}
