package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

const reportUsage = `Usage: oscfg report [flags] PATH...

Writes an audit report of what 'oscfg lint' finds. It takes lint's flags,
but the format defaults to html (one self-contained page: summary charts,
a rule-by-host matrix, every finding with its evidence lines, related
settings, fix and references; secrets masked) and findings do not make the
exit status non-zero: the report is the result.

Exit status: 0 when the report was written, 2 on a usage error or input
that cannot be read or parsed.

Examples:
  oscfg report -o audit.html fleet/
  oscfg report --format markdown fleet/ >> "$GITHUB_STEP_SUMMARY"
  oscfg report --format sarif fleet/ > oscfg.sarif
`

// cmdReport runs lint with another default format and exit policy, so the
// two commands always share flags, filters and redaction.
func cmdReport(args []string, stdout, stderr io.Writer) (int, error) {
	var out string
	var rest []string
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
		default:
			rest = append(rest, a)
		}
	}
	w := stdout
	var buf bytes.Buffer
	if out != "" {
		w = &buf
	}
	// A later --format in the user's arguments overrides this default.
	code, unread, err := lintRun(append([]string{"--format", "html"}, rest...), w, stderr)
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
	fmt.Fprintln(stderr, "  -o, --output string     write the report to this file (only when complete) instead of stdout")
	fmt.Fprint(stderr, flags)
	return errHelp
}
