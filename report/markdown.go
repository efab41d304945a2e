package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
)

func init() { Register("markdown", Markdown) }

// DefaultMarkdownMaxBytes is the markdown format's default size cap:
// below the 65,536 characters GitHub accepts in a pull-request comment
// (a byte count is never below the character count), with room for what
// a workflow adds around it.
const DefaultMarkdownMaxBytes = 60000

// Markdown writes a report for a pull-request comment or a CI job summary
// ($GITHUB_STEP_SUMMARY): the summary as tables, then the findings grouped
// by rule, most severe first. Past env.MaxBytes (0: no cap) it keeps the
// worst findings that fit and says how many it left out.
func Markdown(w io.Writer, r *Report, env Env) error {
	out := markdown(r, env, r.Findings, env.MaxBytes, -1)
	if env.MaxBytes > 0 && len(out) > env.MaxBytes {
		// Thousands of files not read or not checked can pass the cap
		// alone: then list the first of each that fit in half of it, the
		// other half left to the worst findings.
		lists, half := -1, env.MaxBytes/2
		if len(markdown(r, env, nil, env.MaxBytes, -1)) > half {
			lo, hi := 0, max(len(r.Summary.Unread), len(r.Summary.Warnings))
			for lo < hi {
				mid := (lo + hi + 1) / 2
				if len(markdown(r, env, nil, env.MaxBytes, mid)) <= half {
					lo = mid
				} else {
					hi = mid - 1
				}
			}
			lists = lo
		}
		worst := worstFirst(r.Findings)
		// The longest prefix of the worst findings that fits (all of them
		// may, once the lists are cut); the page grows with every finding kept.
		lo, hi := 0, len(worst)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if len(markdown(r, env, worst[:mid], env.MaxBytes, lists)) <= env.MaxBytes {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		out = markdown(r, env, worst[:lo], env.MaxBytes, lists)
	}
	_, err := io.WriteString(w, out)
	return err
}

// worstFirst orders findings by severity, then rule, host, file and line.
func worstFirst(fs []model.Finding) []model.Finding {
	out := append([]model.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := model.SeverityRank(a.Severity), model.SeverityRank(b.Severity); ra != rb {
			return ra > rb
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return out
}

// markdown renders the summary of all of r and the sections of the
// findings shown (all of r's, or the worst that fit under maxBytes); the
// files not read and not checked are listed up to lists each (-1: all).
func markdown(r *Report, env Env, shown []model.Finding, maxBytes, lists int) string {
	var b strings.Builder
	s := r.Summary
	b.WriteString("# oscfg report\n\n")
	verdict := "passed"
	if s.Failed {
		verdict = "**failed**"
	}
	fmt.Fprintf(&b, "%s in %s, %s; release %s; fail-on %s: %s", Plural(s.Findings, "finding", ""), Plural(s.Hosts, "host", ""), Plural(s.Files, "file", ""), mdEscape(s.Release), s.FailOn, verdict)
	if s.Suppressed > 0 {
		fmt.Fprintf(&b, " (%d suppressed)", s.Suppressed)
	}
	more := func(all []string) []string {
		if lists < 0 || len(all) <= lists {
			return all
		}
		return all[:lists]
	}
	unlisted := func(all, listed []string) {
		if n := len(all) - len(listed); n > 0 {
			fmt.Fprintf(&b, "- %d more not listed, to keep this under %d bytes (`--max-bytes`); `--format text` or `json` lists all\n", n, maxBytes)
		}
	}
	if len(s.Unread) > 0 {
		fmt.Fprintf(&b, "\n\n**%d not read** (--skip-unreadable):\n\n", len(s.Unread))
		listed := more(s.Unread)
		for _, u := range listed {
			fmt.Fprintf(&b, "- %s\n", mdCode(u))
		}
		unlisted(s.Unread, listed)
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(&b, "\n\n**%d not checked** (the findings do not cover them):\n\n", len(s.Warnings))
		listed := more(s.Warnings)
		for _, m := range listed {
			fmt.Fprintf(&b, "- %s\n", mdEscape(m))
		}
		unlisted(s.Warnings, listed)
	}
	b.WriteString("\n\n| Severity | Findings |\n|---|---:|\n")
	for _, sev := range model.Severities {
		fmt.Fprintf(&b, "| %s | %d |\n", sev, s.BySeverity[sev])
	}
	groups := groupByRule(&Report{Findings: shown, Summary: r.Summary}, env)
	inPage := map[string]bool{}
	for _, g := range groups {
		inPage[g.Rule.ID] = true
	}
	if all := groupByRule(r, env); len(all) > 0 {
		b.WriteString("\n| Rule | Severity | Title | Findings |\n|---|---|---|---:|\n")
		for _, g := range all {
			id := g.Rule.ID
			if inPage[id] {
				id = fmt.Sprintf("[%s](#%s)", id, strings.ToLower(id))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", id, g.Rule.SeverityRange(), mdEscape(g.Rule.Title), len(g.Findings))
		}
	}
	if left := len(r.Findings) - len(shown); left > 0 {
		fmt.Fprintf(&b, "\n> **%s of %d left out** to keep this under %d bytes (`--max-bytes`); the worst %d are shown. "+
			"The full list: `oscfg report` (HTML), `--format sarif` or `json`, or `--max-bytes 0`.\n",
			Plural(left, "finding", ""), len(r.Findings), maxBytes, len(shown))
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** (%s, fix: %s)\n\n", g.Rule.ID, mdEscape(g.Rule.Title), g.Rule.SeverityRange(), firstNonBlank(g.Rule.Fix, "none"))
		if len(g.Rule.Severities) > 0 {
			fmt.Fprintf(&b, "Severity %s by default; %s.\n\n", g.Rule.Severity, mdEscape(strings.Join(g.Rule.TierLines(), "; ")))
		}
		for _, f := range g.Findings {
			fmt.Fprintf(&b, "- **%s** %s %s\n", f.Severity, mdCode(fmt.Sprintf("%s:%s:%d", f.Host, f.File, f.Line)), mdEscape(f.Message))
			rel, more := ShownRelated(f.Related)
			for _, rel := range rel {
				fmt.Fprintf(&b, "  - %s %s\n", mdCode(fmt.Sprintf("%s:%s:%d", rel.Host, rel.File, rel.Line)), mdEscape(rel.Note))
			}
			if more > 0 {
				fmt.Fprintf(&b, "  - %s\n", mdEscape(MoreRelated(more)))
			}
			if f.Fix != nil {
				fmt.Fprintf(&b, "  - fix (%s): %s\n", f.FixClass, mdCode(DescribeFix(f.Fix)))
			}
		}
		if g.Rule.Remedy != "" {
			// Rule prose is written as Markdown (`code` spans), so it goes
			// in as it is.
			fmt.Fprintf(&b, "\nHow to fix: %s\n", strings.Join(strings.Fields(g.Rule.Remedy), " "))
		}
		if len(g.Rule.References) > 0 {
			b.WriteString("\nReferences:\n")
			for _, ref := range g.Rule.References {
				fmt.Fprintf(&b, "- %s\n", mdRef(ref))
			}
		}
	}
	return b.String()
}

// ruleGroup is one rule's findings.
type ruleGroup struct {
	Rule     *model.Rule
	Findings []model.Finding
}

// groupByRule groups findings by rule, the most severe rules first.
func groupByRule(r *Report, env Env) []ruleGroup {
	meta := map[string]*model.Rule{}
	for _, ri := range ruleList(r, env) {
		meta[ri.ID] = ri
	}
	idx := map[string]int{}
	var gs []ruleGroup
	for _, f := range r.Findings {
		i, ok := idx[f.Rule]
		if !ok {
			i = len(gs)
			idx[f.Rule] = i
			gs = append(gs, ruleGroup{Rule: meta[f.Rule]})
		}
		gs[i].Findings = append(gs[i].Findings, f)
	}
	sort.SliceStable(gs, func(i, j int) bool {
		a, b := model.SeverityRank(worstSeverity(gs[i].Findings)), model.SeverityRank(worstSeverity(gs[j].Findings))
		if a != b {
			return a > b
		}
		return gs[i].Rule.ID < gs[j].Rule.ID
	})
	return gs
}

// mdEscape makes text literal in Markdown: no emphasis, links, HTML or
// table breaks from a message's own characters.
func mdEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~':
			b.WriteByte('\\')
		case '\n':
			b.WriteString(" ")
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mdCode puts s in a code span whose fence is longer than any run of
// backticks inside it.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdRef links URLs and escapes other references.
func mdRef(ref string) string {
	if (strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://")) && !strings.ContainsAny(ref, " <>") {
		return "<" + ref + ">"
	}
	return mdEscape(ref)
}
