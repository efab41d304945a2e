// Package rulecheck runs the built-in rules over real files the way `oscfg
// lint` loads them, for the tests that keep rules honest: the golden run
// over testdata/corpus (testdata/corpus/FINDINGS.golden) and each rule's
// fixtures (testdata/rules/<ID>/fires and quiet).
package rulecheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/topology"
)

// Result is one lint of one directory: the release assumed and the
// findings, sorted (engine.SortFindings), or the input error.
type Result struct {
	Release  model.Release
	Findings []model.Finding
	Err      error
}

// Lint loads dir (a host root or a fleet directory) with the loader
// lint uses and evaluates every rule over it, each cluster as its own
// document as lint does. release "" lets the loader infer it. host names
// a single host root.
func Lint(ctx context.Context, eng *engine.Engine, dir, host, release string) Result {
	opt := loader.Options{Discover: discover.Options{HostName: host}}
	if release != "" {
		opt.Release, opt.ReleaseSource = release, "flag"
	}
	fleet, err := loader.Load([]string{dir}, opt)
	if err != nil {
		return Result{Err: err}
	}
	doc := loader.Input(fleet, loader.DefaultSettings)
	var docs []ast.Value
	for _, part := range topology.Partitions(doc) {
		val, err := engine.Input(part)
		if err != nil {
			return Result{Release: fleet.Release, Err: err}
		}
		docs = append(docs, val)
	}
	fs, err := eng.EvalAll(ctx, docs)
	if err != nil {
		return Result{Release: fleet.Release, Err: fmt.Errorf("evaluating %s: %w", dir, err)}
	}
	engine.SortFindings(fs)
	return Result{Release: fleet.Release, Findings: fs}
}

// Line is one finding as the goldens print it: severity, rule, message,
// and the fix when there is one.
func Line(f model.Finding) string {
	s := fmt.Sprintf("%s %s %s", f.Severity, f.Rule, f.Message)
	if f.Fix != nil {
		s += fmt.Sprintf(" [fix: %s]", f.FixClass)
	}
	return strings.ReplaceAll(s, "\n", `\n`)
}
