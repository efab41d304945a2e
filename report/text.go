package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/oscfg/oscfg/model"
)

// LineWidth is what a finding's line fits in the text format; the rest
// of a long message is shown with -v.
const LineWidth = 140

// minHeadline is the least of a message kept on the line however long its
// location is.
const minHeadline = 50

// TextOptions steer the text format.
type TextOptions struct {
	Color bool
	// Verbose shows each finding's whole message, its file on disk and
	// every related note in full, indented below the line.
	Verbose bool
	// ShowSource starts each line with the file on disk (as the github
	// format and JSON source name it) instead of host:path, so editors and
	// terminals can jump to it.
	ShowSource bool
	// Quiet (lint --quiet) prints the finding lines only: no blank line
	// between files either.
	Quiet bool
	// Warnings prints the run's warnings (what it could not check) after
	// the summary. lint leaves it off: it said them on stderr while
	// loading. report --from sets it: the merged runs' stderr is gone.
	Warnings bool
}

// Text writes one compiler-style line per finding, grouped by file (the
// file with the worst finding first) and worst first within a file:
//
//	ctl1:/etc/haproxy/haproxy.cfg:24: high OSC-HAP-005 short headline
//	    ctl2:/etc/my.cnf.d/galera.cnf:7: related setting
//	    fix (safe): in galera_cluster set timeout client 4200s
//
// then the summary, what `oscfg fix` would fix, and the expired and unused
// suppressions.
func Text(w io.Writer, r *Report, opt TextOptions) error {
	if err := TextFindings(w, r, opt); err != nil {
		return err
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
	}
	if _, err := fmt.Fprintln(w, SummaryLine(r.Summary)); err != nil {
		return err
	}
	if l := FixableLine(r.Findings); l != "" {
		fmt.Fprintln(w, l)
	}
	if err := TextNotes(w, r.Summary); err != nil {
		return err
	}
	if opt.Warnings {
		for _, m := range r.Summary.Warnings {
			if _, err := fmt.Fprintf(w, "warning: not checked: %s\n", m); err != nil {
				return err
			}
		}
	}
	return nil
}

// TextFindings writes the finding lines of Text, without the summary
// (lint --quiet).
func TextFindings(w io.Writer, r *Report, opt TextOptions) error {
	for i, g := range byFile(r.Findings) {
		if i > 0 && !opt.Quiet {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		for _, f := range g {
			if err := textFinding(w, f, opt); err != nil {
				return err
			}
		}
	}
	return nil
}

func textFinding(w io.Writer, f model.Finding, opt TextOptions) error {
	where := fmt.Sprintf("%s:%s:%d:", f.Host, f.File, f.Line)
	disk := ""
	if f.Source != "" {
		disk = fmt.Sprintf("%s:%d", WorkspacePath(f.Source), f.Line)
		if opt.ShowSource {
			where = disk + ":"
		}
	}
	prefix := fmt.Sprintf("%s %s %s ", where, f.Severity, f.Rule)
	head := Headline(f.Message, LineWidth-utf8.RuneCountInString(prefix))
	sev := f.Severity
	if opt.Color {
		sev = colorize(sev)
	}
	if _, err := fmt.Fprintf(w, "%s %s %s %s\n", where, sev, f.Rule, head); err != nil {
		return err
	}
	if opt.Verbose {
		if opt.ShowSource {
			fmt.Fprintf(w, "    on %s:%s:%d\n", f.Host, f.File, f.Line)
		} else if disk != "" {
			fmt.Fprintf(w, "    on disk: %s\n", disk)
		}
		if head != f.Message {
			for _, l := range wrapText(f.Message, 100) {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	shown, more := ShownRelated(f.Related)
	for _, rel := range shown {
		loc := fmt.Sprintf("    %s:%s:%d: ", rel.Host, rel.File, rel.Line)
		note := rel.Note
		if !opt.Verbose {
			note = Headline(note, LineWidth-utf8.RuneCountInString(loc))
		}
		fmt.Fprintf(w, "%s%s\n", loc, note)
	}
	if more > 0 {
		fmt.Fprintf(w, "    %s\n", MoreRelated(more))
	}
	if f.Fix != nil {
		_, err := fmt.Fprintf(w, "    fix (%s): %s\n", f.FixClass, DescribeFix(f.Fix))
		return err
	}
	return nil
}

// byFile groups findings by host and file, the group holding the worst
// finding first (then by host and path), and orders each group worst
// first, then by line.
func byFile(fs []model.Finding) [][]model.Finding {
	type key struct{ host, file string }
	idx := map[key]int{}
	var groups [][]model.Finding
	for _, f := range fs {
		k := key{f.Host, f.File}
		i, ok := idx[k]
		if !ok {
			i = len(groups)
			idx[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], f)
	}
	worst := func(g []model.Finding) int {
		w := -1
		for _, f := range g {
			w = max(w, model.SeverityRank(f.Severity))
		}
		return w
	}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool {
			a, b := g[i], g[j]
			if ra, rb := model.SeverityRank(a.Severity), model.SeverityRank(b.Severity); ra != rb {
				return ra > rb
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Rule < b.Rule
		})
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if wa, wb := worst(a), worst(b); wa != wb {
			return wa > wb
		}
		if a[0].Host != b[0].Host {
			return a[0].Host < b[0].Host
		}
		return a[0].File < b[0].File
	})
	return groups
}

// Headline is the part of a message that fits a line of width runes
// (never less than minHeadline): its first clause (messages read "what:
// why; how"), then without its parenthesised asides, last first, then
// cut at a word with "…".
func Headline(msg string, width int) string {
	width = max(width, minHeadline)
	head := msg
	if i := clauseEnd(msg); i > 0 {
		head = msg[:i]
	}
	for utf8.RuneCountInString(head) > width {
		shorter := dropLastAside(head)
		if shorter == head {
			break
		}
		head = shorter
	}
	if utf8.RuneCountInString(head) <= width {
		return head
	}
	cut := []rune(head)[:width-1]
	s := string(cut)
	if i := strings.LastIndexByte(s, ' '); i > width/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:(") + "…"
}

// clauseEnd is the index of the first ": " outside brackets and double
// quotes or backticks, or -1.
func clauseEnd(s string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		case c == ':' && depth == 0 && i+1 < len(s) && s[i+1] == ' ':
			return i
		}
	}
	return -1
}

// dropLastAside removes the last " (...)" of s at bracket depth zero that
// holds a word (an aside after a space: not "file(s)", and not a term
// like "(10+1) x 10s"), or returns s.
func dropLastAside(s string) string {
	end := -1
	depth := 0
	for i := len(s) - 1; i > 0; i-- {
		switch s[i] {
		case ')':
			if depth == 0 {
				end = i
			}
			depth++
		case '(':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 && end >= 0 {
				if s[i-1] == ' ' && strings.ContainsFunc(s[i:end], unicode.IsLetter) {
					return s[:i-1] + s[end+1:]
				}
				end = -1
			}
		}
	}
	return s
}

// wrapText folds s into lines of at most width runes at spaces.
func wrapText(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// Plural is "1 finding", "2 findings": n and the word in the number n
// asks for (many is the plural; "" adds an s).
func Plural(n int, one, many string) string {
	if many == "" {
		many = one + "s"
	}
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// SummaryLine is the one-line summary printed after text output.
func SummaryLine(s Summary) string {
	var parts []string
	for _, sev := range model.Severities {
		if n := s.BySeverity[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	sevs := ""
	if len(parts) > 0 {
		sevs = " (" + strings.Join(parts, ", ") + ")"
	}
	sup := ""
	if s.Suppressed > 0 {
		sup = fmt.Sprintf(", %d suppressed", s.Suppressed)
		if s.Baselined > 0 {
			sup += fmt.Sprintf(" (%d by baseline)", s.Baselined)
		}
	}
	if s.BaselineUnmatched > 0 {
		sup += ", " + Plural(s.BaselineUnmatched, "baseline entry", "baseline entries") + " fixed"
	}
	if n := len(s.Expired); n > 0 {
		sup += ", " + Plural(n, "expired suppression", "")
	}
	if n := len(s.Unused); n > 0 {
		sup += ", " + Plural(n, "unused suppression", "")
	}
	if n := len(s.Unread); n > 0 {
		sup += fmt.Sprintf(", %d not read (--skip-unreadable)", n)
	}
	return fmt.Sprintf("%s%s%s in %s, %s; release %s", Plural(s.Findings, "finding", ""), sevs, sup,
		Plural(s.Hosts, "host", ""), Plural(s.Files, "file", ""), s.Release)
}

// FixCounts counts the findings with a fix of each class: safe ones
// (applied by `oscfg fix --write`), unsafe ones (only with
// --unsafe-fixes) and manual ones (advice only).
func FixCounts(fs []model.Finding) (safe, unsafe, manual int) {
	for _, f := range fs {
		if f.Fix == nil {
			continue
		}
		switch f.FixClass {
		case "safe":
			safe++
		case "unsafe":
			unsafe++
		case "manual":
			manual++
		}
	}
	return safe, unsafe, manual
}

// FixableLine says how many findings `oscfg fix --write` would fix, as
// ruff does, and the unsafe and manual ones apart; "" when none has a fix.
func FixableLine(fs []model.Finding) string {
	safe, unsafe, manual := FixCounts(fs)
	if safe+unsafe+manual == 0 {
		return ""
	}
	s := fmt.Sprintf("%d fixable with `oscfg fix --write`", safe)
	var more []string
	if unsafe > 0 {
		more = append(more, fmt.Sprintf("%d more with --unsafe-fixes", unsafe))
	}
	if manual > 0 {
		more = append(more, Plural(manual, "manual fix", "manual fixes")+" to make by hand")
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, "; ") + ")"
	}
	return s
}

// TextNotes writes one line per expired and per unused suppression and
// per file not read.
func TextNotes(w io.Writer, s Summary) error {
	for _, n := range s.Expired {
		again := ""
		if n.Matched > 0 {
			again = ": no longer hides " + Plural(n.Matched, "finding", "")
		}
		if _, err := fmt.Fprintf(w, "%s: expired suppression of %s (until %s)%s\n", n.Where(), n.What(), n.Until, again); err != nil {
			return err
		}
	}
	for _, n := range s.Unused {
		if _, err := fmt.Fprintf(w, "%s: unused suppression of %s: matches no finding\n", n.Where(), n.What()); err != nil {
			return err
		}
	}
	for _, u := range s.Unread {
		if _, err := fmt.Fprintf(w, "warning: not read: %s\n", u); err != nil {
			return err
		}
	}
	return nil
}
