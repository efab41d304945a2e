package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/report"
)

const reportUsage = `Usage: oscfg report [flags] PATH...

Writes an audit report of what 'oscfg lint' finds. It takes lint's flags,
but the format defaults to html (one self-contained page: summary charts,
a rule-by-host matrix, every finding with its evidence lines, related
settings, fix and references; secrets masked) and findings do not make the
exit status non-zero: the report is the result.

Exit status: 0 when the report was written, 1 when it was written but a
file was not read (--skip-unreadable, or a merged result that did not read
one), 2 on a usage error or input that cannot be read or parsed.

With --from, the PATHs are JSON results of 'oscfg lint --format json' (or
'oscfg report --format json') over disjoint fleets, e.g. one per cluster
or per control node, merged into one report of any format: findings,
suppressions and summary merged, a host in two results refused.

Examples:
  oscfg report -o audit.html fleet/
  oscfg report --from -o audit.html region1.json region2.json
  oscfg report --format markdown fleet/ >> "$GITHUB_STEP_SUMMARY"
  oscfg report --format sarif fleet/ > oscfg.sarif
`

// cmdReport runs lint with another default format and exit policy, so the
// two commands always share flags, filters and redaction.
func cmdReport(args []string, stdout, stderr io.Writer) (int, error) {
	var out string
	var rest []string
	from := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case a == "-h" || a == "--help":
			return exitClean, reportHelp(stderr)
		case a == "-o" || a == "--output":
			if i+1 >= len(args) {
				return exitError, usageError{"flag needs an argument: " + a}
			}
			out = args[i+1]
			i++
		case strings.HasPrefix(a, "--output="):
			out = strings.TrimPrefix(a, "--output=")
		case a == "--from":
			from = true
		default:
			rest = append(rest, a)
		}
	}
	w := stdout
	var buf bytes.Buffer
	if out != "" {
		w = &buf
	}
	var code, unread int
	var err error
	if from {
		unread, err = reportFrom(rest, w, stderr)
	} else {
		// A later --format in the user's arguments overrides this default.
		code, unread, err = lintRun(append([]string{"--format", "html"}, rest...), w, stderr)
	}
	if err != nil || code == exitError {
		return exitError, err
	}
	if out != "" {
		// Written only once complete, so a failed run leaves no half report.
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			return exitError, err
		}
	}
	if unread > 0 {
		// The report is written, but it does not cover everything.
		return exitFindings, nil
	}
	return exitClean, nil
}

// reportHelp prints report's usage with lint's flag list, which report
// accepts unchanged, plus --output.
func reportHelp(stderr io.Writer) error {
	var lintHelp bytes.Buffer
	cmdLint([]string{"--help"}, io.Discard, &lintHelp)
	flags := lintHelp.String()
	if i := strings.Index(flags, "\nFlags:\n"); i >= 0 {
		flags = flags[i+len("\nFlags:\n"):]
	}
	flags = strings.Replace(flags, `(default "text")`, `(default "html")`, 1)
	fmt.Fprint(stderr, reportUsage)
	fmt.Fprintln(stderr, "\nFlags:")
	fmt.Fprintln(stderr, "      --from              the PATHs are JSON results (lint --format json) to merge into one report")
	fmt.Fprint(stderr, flags)
	return errHelp
}

// reportFrom merges JSON results into one report in the chosen format.
// reportFrom merges and renders; it returns how many files the merged
// results did not read, which keeps the exit status off 0 as for a fleet.
func reportFrom(args []string, w, stderr io.Writer) (int, error) {
	fs := newFlagSet("report", reportUsage, stderr)
	format := fs.StringP("format", "f", "html", "output format: "+strings.Join(report.Formats(), ", "))
	failOn := fs.String("fail-on", "medium", "lowest severity the merged verdict fails on")
	noColor := fs.Bool("no-color", false, "never colour the text output")
	policy := fs.StringArray("policy", nil, policyFlagUsage)
	maxBytes := fs.Int("max-bytes", report.DefaultMarkdownMaxBytes, maxBytesUsage)
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if *maxBytes < 0 {
		return 0, usageError{"--max-bytes: want a number of bytes, 0 for no cap"}
	}
	if fs.NArg() == 0 {
		return 0, usageError{"report --from needs the JSON results to merge (oscfg lint --format json > region1.json)"}
	}
	if !slices.Contains(report.Formats(), *format) {
		return 0, usageError{fmt.Sprintf("unknown --format %q (want one of %s)", *format, strings.Join(report.Formats(), ", "))}
	}
	if _, err := model.ParseSeverity(*failOn); err != nil {
		return 0, usageError{"--fail-on: " + err.Error()}
	}
	var parts []report.Named
	for _, p := range fs.Args() {
		b, err := os.ReadFile(p)
		if err != nil {
			return 0, err
		}
		r, err := report.Decode(p, b)
		if err != nil {
			return 0, err
		}
		parts = append(parts, report.Named{Name: p, Report: r})
	}
	rep, err := report.Merge(parts, *failOn)
	if err != nil {
		return 0, err
	}
	eng, err := rulesEngine(*policy)
	if err != nil {
		return 0, err
	}
	// The rules as lint renders them: severity tiers and page links
	// included, so a merged report reads like a single run's.
	rules := map[string]*model.Rule{}
	for _, r := range eng.Rules() {
		rules[r.ID] = r
	}
	// Results carry no files: renderers show findings and their related
	// settings, without evidence lines or fixes.
	fleet := &model.Fleet{Release: model.Release{Name: rep.Summary.Release}}
	for _, h := range rep.Summary.HostNames {
		fleet.Hosts = append(fleet.Hosts, &model.Host{Name: h})
	}
	env := report.Env{Fleet: fleet, Color: !*noColor && useColor(w), Rules: rules, Paths: fs.Args(), Merged: true, MaxBytes: *maxBytes}
	return len(rep.Summary.Unread), report.Render(w, *format, rep, env)
}
