package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
)

// Env is what a renderer may need beyond the report itself.
type Env struct {
	Fleet *model.Fleet
	Color bool
	// Verbose and ShowSource are the text format's -v and --show-source.
	Verbose, ShowSource bool
	// Root is the first PATH scanned, Paths all of them (the HTML report
	// says what was scanned; for report --from, the results merged).
	Root  string
	Paths []string
	// Merged: Paths are JSON results merged by report --from.
	Merged bool
	// MaxBytes caps the markdown format's size (0: no cap).
	MaxBytes int
	// Rules is the metadata of every rule, by id (SARIF and HTML list them).
	Rules map[string]RuleInfo
}

// RuleInfo is the rule metadata renderers show.
type RuleInfo struct {
	ID, Title, Severity, Fix, Description, Remedy string
	References                                    []string
	Doc                                           string // URL of the rule's page (docs/rules/), "" for user rules
	// SeverityRange is "low..high" when the rule's findings take several
	// severities (Severity is then the default), else Severity; Tiers say
	// when each other severity applies ("high: when ...").
	SeverityRange string
	Tiers         []string
}

// Range is SeverityRange, or Severity when that is unset.
func (ri RuleInfo) Range() string {
	if ri.SeverityRange != "" {
		return ri.SeverityRange
	}
	return ri.Severity
}

// TiersText is the tiers on one line, for tooltips and lists.
func (ri RuleInfo) TiersText() string {
	if len(ri.Tiers) == 0 {
		return ri.Severity
	}
	return ri.Severity + " by default; " + strings.Join(ri.Tiers, "; ")
}

// Renderer writes a report in one format.
type Renderer func(w io.Writer, r *Report, env Env) error

var renderers = map[string]Renderer{
	"text": func(w io.Writer, r *Report, env Env) error { return Text(w, r, env.textOptions()) },
	"json": func(w io.Writer, r *Report, _ Env) error { return JSON(w, r) },
}

// Register adds a format; each format's file registers itself in init.
func Register(name string, fn Renderer) { renderers[name] = fn }

// Formats lists the registered format names.
func Formats() []string {
	var out []string
	for k := range renderers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Render writes r in the named format.
func Render(w io.Writer, format string, r *Report, env Env) error {
	fn, ok := renderers[format]
	if !ok {
		return fmt.Errorf("unknown format %q", format)
	}
	return fn(w, r, env)
}

func (env Env) textOptions() TextOptions {
	return TextOptions{Color: env.Color, Verbose: env.Verbose, ShowSource: env.ShowSource}
}
