package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/spf13/pflag"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
	"github.com/oscfg/oscfg/report"
	"github.com/oscfg/oscfg/suppress"
)

// reportFlags are lint's flags about what is reported: baselines and
// --quiet. Inline "oscfg: ignore" comments and oscfg.ini [ignore] need no
// flag.
type reportFlags struct {
	baseline, writeBaseline string
	quiet                   bool
	// --select, --ignore (rule ids or globs) and --severity (the lowest
	// shown), as ruff and trivy have them.
	selectRules, ignoreRules []string
	minSeverity              string
}

func (rf *reportFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&rf.baseline, "baseline", "", "report only findings not in this baseline file (CI then fails only on new findings)")
	fs.StringVar(&rf.writeBaseline, "write-baseline", "", "write every finding that is not otherwise suppressed to this baseline file, then lint with it")
	fs.BoolVarP(&rf.quiet, "quiet", "q", false, "print only the findings: no summary line, no notes (text format), nothing on stderr but errors")
	fs.StringSliceVar(&rf.selectRules, "select", nil, "report only these rules: ids or globs, comma-separated or repeated (OSC-HAP-*,OSC-DB-001)")
	fs.StringSliceVar(&rf.ignoreRules, "ignore", nil, "do not report these rules: ids or globs, comma-separated or repeated")
	fs.StringVar(&rf.minSeverity, "severity", "", "lowest severity shown (critical, high, medium, low, info; default: all)")
}

// ruleSelection is --select/--ignore/--severity, checked against the rules
// the run has: a pattern that names no rule is a typo, not a filter.
type ruleSelection struct {
	sel, ign []string
	minRank  int
	on       bool
}

func (rf *reportFlags) selection(rules map[string]report.RuleInfo) (ruleSelection, error) {
	s := ruleSelection{sel: rf.selectRules, ign: rf.ignoreRules}
	var ids []string
	for id := range rules {
		ids = append(ids, id)
	}
	for _, pats := range [][]string{rf.selectRules, rf.ignoreRules} {
		for _, p := range pats {
			if _, err := path.Match(p, ""); err != nil {
				return s, usageError{fmt.Sprintf("bad rule pattern %q: %v", p, err)}
			}
			n := 0
			for _, id := range ids {
				if ok, _ := path.Match(strings.ToUpper(p), id); ok {
					n++
				}
			}
			if n == 0 {
				return s, usageError{fmt.Sprintf("no rule matches %q%s ('oscfg rules' lists them)", p, didYouMean(p, ids))}
			}
		}
	}
	if rf.minSeverity != "" {
		if _, err := model.ParseSeverity(rf.minSeverity); err != nil {
			return s, usageError{"--severity: " + err.Error()}
		}
		s.minRank = model.SeverityRank(rf.minSeverity)
	}
	s.on = len(s.sel) > 0 || len(s.ign) > 0 || rf.minSeverity != ""
	return s, nil
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
func (s ruleSelection) apply(fs []model.Finding) []model.Finding {
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

// notes is where lint may write notes and progress: nowhere when quiet.
func (rf *reportFlags) notes(stderr io.Writer) io.Writer {
	if rf.quiet {
		return nil
	}
	return stderr
}

// filtered is what filterFindings did, for the summary.
type filtered struct {
	suppressed int // inline, [ignore] and baseline together
	res        *suppress.Result
}

// annotate adds the baseline count and the expired and unused
// suppressions to a summary.
func (fd *filtered) annotate(s *report.Summary) {
	if fd == nil || fd.res == nil {
		return
	}
	s.Baselined = fd.res.Baselined
	s.BaselineUnmatched = fd.res.BaselineUnmatched
	s.Expired = fd.res.Expired
	s.Unused = fd.res.Unused
}

// filterFindings applies suppressions and baselines to the findings of a
// lint run: inline "oscfg: ignore" comments, oscfg.ini [ignore] lines,
// then --baseline (or the baseline --write-baseline has just written).
// Suppressed findings are counted in the summary, never silently dropped;
// with -v (notes not nil) each one is named on notes.
func filterFindings(ld *loaded, fs []model.Finding, rf *reportFlags, verbose bool, notes io.Writer) ([]model.Finding, *filtered, error) {
	scrub := redact.NewScrubber(ld.fleet.Secrets).String
	st := ld.settings
	opt := suppress.Options{Ignores: st.Ignores, SettingsFile: st.File, Scrub: scrub,
		Dropped: func(rule, host string) bool { return st.Disabled[rule] || host != "" && st.HostExcluded(host) }}
	if rf.baseline != "" && rf.writeBaseline == "" {
		b, err := suppress.ReadBaseline(rf.baseline)
		if err != nil {
			return nil, nil, usageError{err.Error()}
		}
		opt.Baseline = b
	}
	res, err := suppress.Apply(ld.fleet, fs, opt)
	if err != nil {
		return nil, nil, err
	}
	if rf.writeBaseline != "" {
		b := suppress.NewBaseline(res.Kept, scrub)
		if err := b.Write(rf.writeBaseline); err != nil {
			return nil, nil, err
		}
		if notes != nil {
			fmt.Fprintf(notes, "oscfg: wrote %s: %s (%s)\n", rf.writeBaseline, report.Plural(len(res.Kept), "finding", ""), report.Plural(len(b.Findings), "fingerprint", ""))
		}
		var hidden []model.Finding
		res.Kept, hidden, res.BaselineUnmatched = b.Filter(res.Kept, scrub)
		res.Baselined = len(hidden)
		for _, f := range hidden {
			res.Hidden = append(res.Hidden, suppress.Hidden{Finding: f, By: "baseline"})
		}
	}
	if verbose && notes != nil {
		for _, h := range res.Hidden {
			f := h.Finding
			fmt.Fprintf(notes, "oscfg: suppressed %s:%s:%d: %s (by %s)\n", f.Host, f.File, f.Line, f.Rule, h.By)
		}
	}
	return res.Kept, &filtered{suppressed: res.Suppressed + res.Baselined, res: res}, nil
}

// renderReport renders like report.Render; --quiet keeps only the finding
// lines of the text format (the other formats are documents and keep their
// summary).
func renderReport(w io.Writer, format string, rep *report.Report, env report.Env, quiet bool) error {
	if quiet && format == "text" {
		return report.TextFindings(w, rep, report.TextOptions{Color: env.Color, Verbose: env.Verbose, ShowSource: env.ShowSource, Quiet: true})
	}
	return report.Render(w, format, rep, env)
}

// progressMin is the fleet size (files) from which lint draws a progress
// bar: smaller fleets parse faster than a bar is worth.
const progressMin = 300

// progressBar returns a loader progress callback drawing a bar on w when
// w is a terminal, or nil.
func progressBar(w io.Writer) func(done, total int) {
	if w == nil || !isTerminal(w) {
		return nil
	}
	return newBar(w, progressMin)
}

// newBar draws "\r[#####     ] done/total" on w for fleets of at least min
// files and clears the line when all are done.
func newBar(w io.Writer, min int) func(done, total int) {
	const width = 30
	last := -1
	return func(done, total int) {
		if total < min || total == 0 {
			return
		}
		if done >= total {
			fmt.Fprintf(w, "\r%s\r", strings.Repeat(" ", width+40))
			return
		}
		n := done * width / total
		if n == last {
			return
		}
		last = n
		fmt.Fprintf(w, "\roscfg: parsing [%s%s] %d/%d files", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
	}
}

// isTerminal: w is a character device (a TTY).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
