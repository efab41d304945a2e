package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/oscfg/oscfg/report"
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

// notes is where lint may write notes and progress: nowhere when quiet.
func (rf *reportFlags) notes(stderr io.Writer) io.Writer {
	if rf.quiet {
		return nil
	}
	return stderr
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
