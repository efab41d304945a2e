package lint

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/report"
	"github.com/oscfg/oscfg/settings"
	"github.com/oscfg/oscfg/suppress"
	"github.com/oscfg/oscfg/topology"
)

// Options are one run's inputs: the command line's flags and what fix
// carries from one pass to the next.
type Options struct {
	Paths []string // host roots, fleets, / or config files
	// Hosts are host roots already open, instead of Paths: hosts held in
	// memory (lint/regotest's fleets). Settings are then the defaults
	// unless Config names a file.
	Hosts []discover.Open

	// Loading.
	Release, Config, Kind, Host string
	Inventory, ClusterGroup     string
	SkipUnreadable, AllowEmpty  bool
	Policies                    []string // --policy, added to oscfg.ini's policy =
	Backup                      string   // fix --backup: its files are never configs
	// Service (--service) is the service of the oslo files named
	// directly, over what their name or sections say; "": decided so.
	Service string
	// Releases are the hosts' releases of an earlier load (fix passes
	// after the first); nil: found anew.
	Releases map[string]model.Release
	// Overlay supplies bytes over the files on disk (fix's earlier
	// passes); nil: none.
	Overlay  func(string) ([]byte, bool)
	Progress func(done, total int) // the loader's progress; nil: none

	// Evaluation.
	Only   map[string]bool // fix --rule: only these rules (none: all enabled)
	Engine *engine.Engine  // compiled policies to reuse; nil compiles them
	// Document, when set, sees the input document and its topology just
	// before evaluation drops the document (fix indexes its facts).
	Document func(input map[string]any, topo *topology.Topology)

	// Reporting.
	FailOn                  string // --fail-on; "": oscfg.ini's, else medium
	Baseline, WriteBaseline string
	// --select, --ignore (rule ids or globs) and --severity (the lowest
	// shown).
	Select, Ignore []string
	MinSeverity    string
	// KeepSecrets leaves findings unredacted (fix plans with the real
	// values and masks what it prints).
	KeepSecrets bool

	// Notes is where notes go (release assumed, topology, warnings,
	// baseline written); nil: nowhere. Verbose adds the settings file
	// used and skipped files; NameSuppressed each suppressed finding.
	Notes          io.Writer
	Verbose        bool
	NameSuppressed bool
}

// Result is what a run found.
type Result struct {
	*report.Report                        // findings and summary, as rendered
	Rules          map[string]*model.Rule // the evaluated rules, by id
	Fleet          *model.Fleet
	Settings       *settings.Settings
	Engine         *engine.Engine // the compiled policies, for the next pass
	// Unread counts the files --skip-unreadable skipped.
	Unread int
}

// UsageError marks errors that are the caller's (a flag or a name in
// oscfg.ini), which the command line prints with a hint.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

func usage(format string, a ...any) error { return UsageError{fmt.Sprintf(format, a...)} }

// state is one run as its steps fill it in.
type state struct {
	o        Options
	st       *settings.Settings
	fleet    *model.Fleet
	input    map[string]any
	topo     *topology.Topology
	failOn   string
	eng      *engine.Engine
	rules    map[string]*model.Rule
	findings []model.Finding
	dropped  int // by [rules], [severity] and [exclude]
	sel      selection
	res      *suppress.Result
	rep      *report.Report
}

// step is one stage of the pipeline.
type step struct {
	name string
	run  func(context.Context, *state) error
}

// loadSteps make the input document; steps are the whole pipeline, in
// the order the package doc lists them.
var (
	loadSteps = []step{
		{"settings", findSettingsStep},
		{"load", loadFleet},
		{"topology", buildInput},
	}
	steps = append(loadSteps[:len(loadSteps):len(loadSteps)], []step{
		{"fail-on", resolveFailOn},
		{"rules", compileRules},
		{"evaluate", evaluate},
		{"apply-settings", applySettings},
		{"selection", checkSelection},
		{"suppress", suppressFindings},
		{"select", selectFindings},
		{"redact", redactFindings},
		{"fixes", resolveFixes},
		{"summary", summarize},
	}...)
	// passSteps are what each pass of Fix runs: every step but fixes,
	// since fixers.Converge plans a pass's fixes together.
	passSteps = slices.DeleteFunc(slices.Clone(steps), func(st step) bool { return st.name == "fixes" })
)

// loading says whether the step named name is one of loadSteps.
func loading(name string) bool {
	for _, st := range loadSteps {
		if st.name == name {
			return true
		}
	}
	return false
}

// run runs steps over a new state; on error it names the failing step.
func run(ctx context.Context, o Options, steps []step) (*state, string, error) {
	if len(o.Paths) == 0 && len(o.Hosts) == 0 {
		return nil, "", usage("no PATH given (a host root, a fleet directory, / or config files)")
	}
	s := &state{o: o}
	for _, st := range steps {
		if err := st.run(ctx, s); err != nil {
			return s, st.name, err
		}
	}
	return s, "", nil
}

// Run lints: every step, in order.
func Run(ctx context.Context, o Options) (Result, error) {
	s, _, err := run(ctx, o, steps)
	if err != nil {
		return Result{}, err
	}
	return s.result(), nil
}

func (s *state) result() Result {
	return Result{Report: s.rep, Rules: s.rules, Fleet: s.fleet, Settings: s.st, Engine: s.eng, Unread: len(s.fleet.Unread)}
}

// Loaded is a fleet with its settings and the input document the rules
// read.
type Loaded struct {
	Fleet    *model.Fleet
	Settings *settings.Settings
	Input    map[string]any
	Topology *topology.Topology // the topology Input's topology was made from
}

// Load runs the steps that make the input document: settings, load and
// topology.
func Load(ctx context.Context, o Options) (*Loaded, error) {
	s, _, err := run(ctx, o, loadSteps)
	if err != nil {
		return nil, err
	}
	return &Loaded{Fleet: s.fleet, Settings: s.st, Input: s.input, Topology: s.topo}, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
