package lint

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/hint"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/settings"
	"github.com/oscfg/oscfg/topology"
)

// resolveFailOn is the lowest severity that fails the run: --fail-on,
// else oscfg.ini's fail_on, else medium.
func resolveFailOn(_ context.Context, s *state) error {
	s.failOn = firstNonEmpty(s.o.FailOn, s.st.FailOn, "medium")
	if _, err := model.ParseSeverity(s.failOn); err != nil {
		return UsageError{"--fail-on: " + err.Error()}
	}
	return nil
}

// compileRules compiles the enabled rules: every rule but those oscfg.ini
// [rules] disable names and, when Options.Only is not empty, only those in
// it (fix --rule). Disabled rules are never evaluated. Options.Engine is a
// compiled engine to reuse (fix evaluates several passes with the same
// policies and selection); nil compiles one.
func compileRules(ctx context.Context, s *state) error {
	eng, only := s.o.Engine, s.o.Only
	if eng == nil {
		var err error
		eng, err = engine.New(ctx, engine.Options{PolicyDirs: s.st.PolicyDirs, Enabled: func(r *model.Rule) bool {
			id := strings.ToUpper(r.ID)
			return !s.st.Disabled[id] && (len(only) == 0 || only[id])
		}})
		if err != nil {
			return err
		}
		if err := checkRuleIDs(s.st, only, eng); err != nil {
			return err
		}
	}
	s.eng = eng
	s.rules = map[string]*model.Rule{}
	for _, r := range eng.Rules() {
		s.rules[r.ID] = r
	}
	return nil
}

// evaluate runs the compiled rules over the input document.
func evaluate(ctx context.Context, s *state) error {
	// Every cross-host rule compares hosts inside one cluster only
	// (topology's partition contract, tested there), so each cluster is
	// its own input document, converted to OPA values just before it is
	// evaluated, in parallel with the others. The Go document is dropped
	// here and each cluster's part of it once converted, so memory follows
	// the largest cluster, not the fleet.
	if s.o.Document != nil {
		s.o.Document(s.input, s.topo)
	}
	parts := topology.Partitions(s.input)
	s.input = nil
	var fs []model.Finding
	var err error
	if len(parts) == 1 {
		var val ast.Value
		if val, err = engine.Input(parts[0]); err != nil {
			return err
		}
		parts = nil
		fs, err = s.eng.Eval(ctx, val)
	} else {
		fs, err = s.eng.EvalEach(ctx, len(parts), func(i int) (ast.Value, error) {
			// Input converts a cluster's hosts on all cores: a fleet of
			// one big cluster and a few small ones is not converted on one.
			v, err := engine.Input(parts[i])
			parts[i] = nil
			return v, err
		})
	}
	if err != nil {
		return err
	}
	for i := range fs {
		fs[i].Source = loader.SourceOf(s.fleet, fs[i].Host, fs[i].File)
	}
	s.findings = fs
	return nil
}

// checkRuleIDs refuses rule ids that name no rule in oscfg.ini's [rules]
// disable and [severity] and in fix --rule: a typo there would silently
// leave the rule on, at its severity, or fix nothing.
func checkRuleIDs(st *settings.Settings, only map[string]bool, eng *engine.Engine) error {
	var ids []string
	known := map[string]bool{}
	for _, r := range eng.Rules() {
		ids = append(ids, r.ID)
		known[strings.ToUpper(r.ID)] = true
	}
	bad := func(set map[string]bool) []string {
		var out []string
		for id := range set {
			if !known[id] {
				out = append(out, id)
			}
		}
		sort.Strings(out)
		return out
	}
	sev := map[string]bool{}
	for id := range st.Severity {
		sev[id] = true
	}
	file := firstNonEmpty(st.File, "oscfg.ini")
	for _, c := range []struct {
		where string
		ids   []string
	}{{file + ": [rules] disable", bad(st.Disabled)}, {file + ": [severity]", bad(sev)}} {
		if len(c.ids) > 0 {
			return fmt.Errorf("%s: no rule %s%s ('oscfg rules' lists them)", c.where, c.ids[0], hint.DidYouMean(c.ids[0], ids))
		}
	}
	if b := bad(only); len(b) > 0 {
		return UsageError{fmt.Sprintf("--rule: no rule %s%s ('oscfg rules' lists them)", b[0], hint.DidYouMean(b[0], ids))}
	}
	return nil
}
