// Package ruledoc renders a rule's METADATA for people: the page of
// docs/rules/<family>/<ID>.md and the text `oscfg explain` prints come from
// the same sections, so they cannot say different things.
package ruledoc

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/policies"
)

// RepoURL is where the rule pages are published (the repository's main
// branch); SARIF's helpUri must be an absolute URI.
const RepoURL = "https://github.com/oscfg/oscfg/blob/main/"

// Family is the directory of a built-in rule (policies/<family>/...), or
// "" for a user rule or one outside a family directory.
func Family(r *model.Rule) string {
	if r.User {
		return ""
	}
	src := strings.TrimPrefix(r.Source, "policies/")
	if src == r.Source {
		return ""
	}
	dir, _, ok := strings.Cut(src, "/")
	if _, known := policies.Families[dir]; !ok || !known {
		return ""
	}
	return dir
}

// Path is the page of a built-in rule, relative to the repository root
// (docs/rules/haproxy/OSC-HAP-001.md), or "".
func Path(r *model.Rule) string {
	f := Family(r)
	if f == "" {
		return ""
	}
	return path.Join("docs", "rules", f, r.ID+".md")
}

// URL is the page's address, or "" for a rule without one.
func URL(r *model.Rule) string {
	if p := Path(r); p != "" {
		return RepoURL + p
	}
	return ""
}

// SourceFile is the rule's .rego file, without the METADATA line.
func SourceFile(r *model.Rule) string {
	file, _, _ := strings.Cut(r.Source, ":")
	return file
}

// paragraphs splits METADATA text into paragraphs, each one line: YAML
// block text keeps the author's line breaks, which mean nothing. A line
// starting "- " starts a list item of its own.
func paragraphs(s string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			flush()
		case strings.HasPrefix(l, "- "):
			flush()
			cur = []string{l}
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return out
}

// Text is what `oscfg explain` prints, folded at 78 columns.
func Text(r *model.Rule) string {
	var b strings.Builder
	if len(r.Severities) == 0 {
		fmt.Fprintf(&b, "%s: %s\n\nSeverity: %s    Fix: %s\n\n", r.ID, r.Title, r.Severity, fixOrNone(r.Fix))
	} else {
		fmt.Fprintf(&b, "%s: %s\n\nSeverity: %s (%s by default)    Fix: %s\n", r.ID, r.Title, r.SeverityRange(), r.Severity, fixOrNone(r.Fix))
		for _, t := range r.Severities {
			fmt.Fprintf(&b, "  %-8s %s\n", t.Severity+":", t.When)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s\n", wrap(paragraphs(r.Description)))
	if r.Remedy != "" {
		fmt.Fprintf(&b, "\nFix:\n%s\n", wrap(paragraphs(r.Remedy)))
	}
	if len(r.References) > 0 {
		b.WriteString("\nReferences:\n")
		for _, ref := range r.References {
			b.WriteString("  - " + ref + "\n")
		}
	}
	if u := URL(r); u != "" {
		fmt.Fprintf(&b, "\nDocumentation: %s\n", u)
	}
	fmt.Fprintf(&b, "\nDefined in %s\n", r.Source)
	return b.String()
}

// Markdown is the rule's page, generated: docs/rules/<family>/<ID>.md.
func Markdown(r *model.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Generated from the METADATA of %s by `make docs`; do not edit. -->\n", SourceFile(r))
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, escape(r.Title))
	fmt.Fprintf(&b, "| Severity | Fix | Rule |\n|---|---|---|\n| %s | %s | [`%s`](%s) |\n\n", r.SeverityRange(), fixWords(r.Fix), SourceFile(r), relToRoot(r)+SourceFile(r))
	if len(r.Severities) > 0 {
		fmt.Fprintf(&b, "Severity %s by default;\n\n", r.Severity)
		for _, t := range r.Severities {
			fmt.Fprintf(&b, "- %s: %s\n", t.Severity, escape(t.When))
		}
		b.WriteString("\n")
	}
	b.WriteString("## What it checks\n\n")
	for _, p := range paragraphs(r.Description) {
		b.WriteString(escape(p) + "\n\n")
	}
	if r.Remedy != "" {
		b.WriteString("## How to fix\n\n")
		for _, p := range paragraphs(r.Remedy) {
			b.WriteString(escape(p) + "\n\n")
		}
	}
	if len(r.References) > 0 {
		b.WriteString("## References\n\n")
		for _, ref := range r.References {
			if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
				url, note, _ := strings.Cut(ref, " ")
				fmt.Fprintf(&b, "- <%s>", url)
				if note != "" {
					b.WriteString(" " + escape(note))
				}
				b.WriteString("\n")
			} else {
				b.WriteString("- " + escape(ref) + "\n")
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "`oscfg explain %s` prints this page; `oscfg lint --format sarif` links to it.\n", r.ID)
	return b.String()
}

// Index is docs/rules/README.md: every built-in rule by family.
func Index(rules []*model.Rule) string {
	byFamily := map[string][]*model.Rule{}
	for _, r := range rules {
		if f := Family(r); f != "" {
			byFamily[f] = append(byFamily[f], r)
		}
	}
	fams := make([]string, 0, len(byFamily))
	for f := range byFamily {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	var b strings.Builder
	b.WriteString("<!-- Generated from the rules' METADATA by `make docs`; do not edit. -->\n# Rules\n\n")
	b.WriteString("One page per built-in rule, generated from its METADATA (the same text `oscfg explain ID` prints).\n")
	for _, f := range fams {
		fmt.Fprintf(&b, "\n## %s (%s)\n\n| Rule | Severity | Fix | Title |\n|---|---|---|---|\n", f, policies.Families[f])
		for _, r := range byFamily[f] {
			fmt.Fprintf(&b, "| [%s](%s/%s.md) | %s | %s | %s |\n", r.ID, f, r.ID, r.SeverityRange(), r.Fix, escape(r.Title))
		}
	}
	return b.String()
}

// relToRoot climbs from docs/rules/<family>/ to the repository root.
func relToRoot(*model.Rule) string { return "../../../" }

func fixWords(fix string) string {
	switch fix {
	case "safe":
		return "safe (`oscfg fix --write`)"
	case "unsafe":
		return "unsafe (`oscfg fix --write --unsafe-fixes`)"
	}
	return "manual (advice only)"
}

// escape keeps Markdown from reading METADATA text as markup outside code
// spans: a <placeholder> as an HTML tag, a cron "* * *" as emphasis, a
// "|" as a table cell.
func escape(s string) string {
	var b strings.Builder
	code := false
	for _, c := range s {
		if c == '`' {
			code = !code
		}
		if !code {
			switch c {
			case '<':
				b.WriteString("&lt;")
				continue
			case '>':
				b.WriteString("&gt;")
				continue
			case '*', '|':
				b.WriteRune('\\')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// wrap folds paragraphs at 78 columns, a blank line between them.
func wrap(paras []string) string {
	var out []string
	for _, para := range paras {
		line := ""
		var lines []string
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case len(line)+1+len(w) > 78:
				lines = append(lines, line)
				line = w
			default:
				line += " " + w
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

// fixOrNone: a rule that returns no fix declares none.
func fixOrNone(fix string) string {
	if fix == "" {
		return "none"
	}
	return fix
}
