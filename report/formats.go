package report

import (
	"fmt"
	"io"
	"sort"

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
	Rules map[string]*model.Rule
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
	return TextOptions{Color: env.Color, Verbose: env.Verbose, ShowSource: env.ShowSource, Warnings: env.Merged}
}
