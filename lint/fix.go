package lint

import (
	"context"
	"fmt"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/settings"
	"github.com/oscfg/oscfg/topology"
)

// Fixed is a fix run planned in memory by Fix.
type Fixed struct {
	*fixers.Converged
	First    *model.Fleet       // the files as they are on disk, for the checkers
	Settings *settings.Settings // of the first pass
	Engine   *engine.Engine
	Unread   int // files --skip-unreadable skipped
}

// Fix plans a fix run with fixers.Converge, one Run per pass through the
// earlier passes' edits: only the rules fo.Rules names (all when none),
// findings unredacted, no baseline or selection. Only the first pass has
// notes and progress; later passes judge each host by the release the
// first found (a renamed option must not make a fixed file look like
// another release). The policies compile once (o.Engine, else in the
// first pass).
func Fix(ctx context.Context, o Options, fo fixers.Options) (*Fixed, error) {
	fx := &Fixed{Engine: o.Engine}
	conv, err := fixers.Converge(fo, func(pass int, read func(string) ([]byte, bool)) (*fixers.Pass, error) {
		po := o
		po.Overlay, po.Only, po.Engine, po.KeepSecrets = read, fo.Rules, fx.Engine, true
		po.Baseline, po.WriteBaseline, po.Select, po.Ignore, po.MinSeverity, po.NameSuppressed = "", "", nil, nil, "", false
		if pass > 1 {
			po.Notes, po.Progress = nil, nil
			po.Releases = map[string]model.Release{}
			for _, h := range fx.First.Hosts {
				po.Releases[h.Name] = h.Release
			}
		}
		var facts *fixers.Facts
		po.Document = func(in map[string]any, topo *topology.Topology) { facts = fixers.NewFacts(in, topo) }
		s, step, err := run(ctx, po, passSteps)
		if err != nil {
			if pass > 1 && loading(step) {
				return nil, fmt.Errorf("internal error: a fixed file no longer loads: %w", err)
			}
			return nil, err
		}
		fx.Engine = s.eng
		if pass == 1 {
			fx.First, fx.Settings, fx.Unread = s.fleet, s.st, len(s.fleet.Unread)
		}
		return &fixers.Pass{Fleet: s.fleet, Findings: s.findings, Facts: facts}, nil
	})
	if err != nil {
		return nil, err
	}
	fx.Converged = conv
	return fx, nil
}
