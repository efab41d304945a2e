package lint

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/internal/hint"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
	"github.com/oscfg/oscfg/report"
	"github.com/oscfg/oscfg/suppress"
)

// applySettings applies oscfg.ini [rules] disable, [severity] and
// [exclude] hosts to the findings.
func applySettings(_ context.Context, s *state) error {
	s.findings, s.dropped = s.st.Apply(s.findings)
	return nil
}

// selection is --select/--ignore/--severity, checked against the rules
// the run has: a pattern that names no rule is a typo, not a filter.
type selection struct {
	sel, ign []string
	minRank  int
	on       bool
}

// checkSelection checks --select, --ignore and --severity against the
// evaluated rules.
func checkSelection(_ context.Context, st *state) error {
	rf, rules := st.o, st.rules
	s := selection{sel: rf.Select, ign: rf.Ignore}
	var ids []string
	for id := range rules {
		ids = append(ids, id)
	}
	for _, pats := range [][]string{rf.Select, rf.Ignore} {
		for _, p := range pats {
			if _, err := path.Match(p, ""); err != nil {
				return UsageError{fmt.Sprintf("bad rule pattern %q: %v", p, err)}
			}
			n := 0
			for _, id := range ids {
				if ok, _ := path.Match(strings.ToUpper(p), id); ok {
					n++
				}
			}
			if n == 0 {
				return UsageError{fmt.Sprintf("no rule matches %q%s ('oscfg rules' lists them)", p, hint.DidYouMean(p, ids))}
			}
		}
	}
	if rf.MinSeverity != "" {
		if _, err := model.ParseSeverity(rf.MinSeverity); err != nil {
			return UsageError{"--severity: " + err.Error()}
		}
		s.minRank = model.SeverityRank(rf.MinSeverity)
	}
	s.on = len(s.sel) > 0 || len(s.ign) > 0 || rf.MinSeverity != ""
	st.sel = s
	return nil
}

func matchAny(pats []string, id string) bool {
	for _, p := range pats {
		if ok, _ := path.Match(strings.ToUpper(p), id); ok {
			return true
		}
	}
	return false
}

// apply keeps the findings the selection shows.
func (s selection) apply(fs []model.Finding) []model.Finding {
	if !s.on {
		return fs
	}
	var out []model.Finding
	for _, f := range fs {
		if len(s.sel) > 0 && !matchAny(s.sel, f.Rule) || matchAny(s.ign, f.Rule) {
			continue
		}
		if s.minRank > 0 && model.SeverityRank(f.Severity) < s.minRank {
			continue
		}
		out = append(out, f)
	}
	return out
}

// selectFindings keeps the findings the selection shows.
func selectFindings(_ context.Context, s *state) error {
	s.findings = s.sel.apply(s.findings)
	return nil
}

// suppressFindings applies suppressions and baselines: inline "oscfg:
// ignore" comments, oscfg.ini [ignore] lines, then --baseline (or the
// baseline --write-baseline has just written). Suppressed findings are
// counted in the summary, never silently dropped; with
// Options.NameSuppressed each one is named on the notes.
func suppressFindings(_ context.Context, s *state) error {
	rf, notes := s.o, s.o.Notes
	scrub := redact.NewScrubber(s.fleet.Secrets).String
	st := s.st
	opt := suppress.Options{Ignores: st.Ignores, SettingsFile: st.File, Scrub: scrub,
		Dropped: func(rule, host string) bool { return st.Disabled[rule] || host != "" && st.HostExcluded(host) }}
	if rf.Baseline != "" && rf.WriteBaseline == "" {
		b, err := suppress.ReadBaseline(rf.Baseline)
		if err != nil {
			return UsageError{err.Error()}
		}
		opt.Baseline = b
	}
	res, err := suppress.Apply(s.fleet, s.findings, opt)
	if err != nil {
		return err
	}
	if rf.WriteBaseline != "" {
		b := suppress.NewBaseline(res.Kept, scrub)
		if err := b.Write(rf.WriteBaseline); err != nil {
			return err
		}
		if notes != nil {
			fmt.Fprintf(notes, "oscfg: wrote %s: %s (%s)\n", rf.WriteBaseline, report.Plural(len(res.Kept), "finding", ""), report.Plural(len(b.Findings), "fingerprint", ""))
		}
		var hidden []model.Finding
		res.Kept, hidden, res.BaselineUnmatched = b.Filter(res.Kept, scrub)
		res.Baselined = len(hidden)
		for _, f := range hidden {
			res.Hidden = append(res.Hidden, suppress.Hidden{Finding: f, By: "baseline"})
		}
	}
	if rf.NameSuppressed && notes != nil {
		for _, h := range res.Hidden {
			f := h.Finding
			fmt.Fprintf(notes, "oscfg: suppressed %s:%s:%d: %s (by %s)\n", f.Host, f.File, f.Line, f.Rule, h.By)
		}
	}
	s.findings, s.res = res.Kept, res
	return nil
}

// redactFindings scrubs every finding's strings of the fleet's secrets
// (report.Redact, the one redaction step before any renderer).
func redactFindings(_ context.Context, s *state) error {
	if !s.o.KeepSecrets {
		s.findings = report.Redact(s.findings, redact.NewScrubber(s.fleet.Secrets))
	}
	return nil
}

// resolveFixes attaches to each finding with a fix op its resolved fix
// (fixers.Resolve): the change and the masked patch the renderers show.
func resolveFixes(_ context.Context, s *state) error {
	fixers.Resolve(s.fleet, s.findings)
	return nil
}

// summarize builds the report: findings, counts and the suppression
// notes (baseline counts, expired and unused suppressions).
func summarize(_ context.Context, s *state) error {
	s.rep = report.New(s.fleet, s.findings, s.dropped+s.res.Suppressed+s.res.Baselined, s.failOn)
	sum := &s.rep.Summary
	sum.Baselined = s.res.Baselined
	sum.BaselineUnmatched = s.res.BaselineUnmatched
	sum.Expired = s.res.Expired
	sum.Unused = s.res.Unused
	return nil
}
