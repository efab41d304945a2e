package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/spf13/pflag"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/internal/ruledoc"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/redact"
	"github.com/oscfg/oscfg/report"
	"github.com/oscfg/oscfg/settings"
	"github.com/oscfg/oscfg/topology"
)

var errHelp = errors.New("help shown")

// common flags of commands that load a fleet.
type loadFlags struct {
	release, config, kind, host string
	inventory, clusterGroup     string
	verbose                     bool
	skipUnreadable, allowEmpty  bool
	policies                    []string // --policy, added to oscfg.ini's policy =
	backup                      string   // fix --backup: its files are never configs
	// releases: the hosts' releases of an earlier load (fix passes after
	// the first), not a flag.
	releases map[string]model.Release
}

func (lf *loadFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&lf.release, "release", "", "OpenStack release the rules assume (e.g. queens, zed, 2024.1); default: oscfg.ini, else inferred")
	fs.StringVar(&lf.config, "config", "", "settings file (default: the oscfg.ini nearest to the first PATH, walking up; else ./oscfg.ini)")
	fs.StringVar(&lf.kind, "kind", "", "kind of files named directly: oslo, haproxy, mycnf or crontab")
	fs.StringVar(&lf.host, "host", "", "host name for files named directly or a single host root")
	fs.BoolVarP(&lf.verbose, "verbose", "v", false, "say which files were skipped and why")
	fs.BoolVar(&lf.skipUnreadable, "skip-unreadable", false, "warn about files and directories that cannot be read (permission, I/O error, FIFO or device) instead of stopping; the summary lists them and the exit status is still not 0")
	fs.BoolVar(&lf.allowEmpty, "allow-empty", false, "accept a PATH that holds no configuration oscfg knows (for pipelines over optional directories)")
	fs.StringArrayVar(&lf.policies, "policy", nil, policyFlagUsage)
	fs.StringVar(&lf.inventory, "inventory", "", "Ansible inventory (INI or YAML) stating the clusters; overrides [clusters] and inference")
	fs.StringVar(&lf.clusterGroup, "cluster-group", "", "with --inventory: glob of the inventory groups that are clusters (default: the top-level groups when they do not overlap, else the whole file)")
}

func newFlagSet(name, usage string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return usageError{flagHint(fs, err)}
	}
	return nil
}

// loaded is a fleet with its settings and input document.
type loaded struct {
	fleet    *model.Fleet
	settings *settings.Settings
	input    map[string]any
	topo     *topology.Topology         // the topology input.topology was made from
	rules    map[string]report.RuleInfo // filled by evaluate
	engine   *engine.Engine
}

func load(lf *loadFlags, paths []string, stderr io.Writer) (*loaded, error) {
	return loadWith(lf, paths, stderr, nil)
}

// loadWith loads with overlay's bytes over the files on disk (nil: none);
// it says the assumed release only when stderr is not nil.
func loadWith(lf *loadFlags, paths []string, stderr io.Writer, overlay func(string) ([]byte, bool)) (*loaded, error) {
	if len(paths) == 0 {
		return nil, usageError{"no PATH given (a host root, a fleet directory, / or config files)"}
	}
	var notes io.Writer
	if lf.verbose {
		notes = stderr
	}
	st, err := findSettings(lf.config, paths, notes)
	if err != nil {
		return nil, err
	}
	st.PolicyDirs = append(st.PolicyDirs, lf.policies...)
	opt := loader.Options{Discover: discover.Options{Kind: lf.kind, HostName: lf.host, Exclude: st.ExcludePaths, AllowEmpty: lf.allowEmpty},
		Overlay: overlay, SkipUnreadable: lf.skipUnreadable, Releases: lf.releases}
	if lf.backup != "" {
		opt.Discover.BackupSuffixes = []string{lf.backup}
	}
	opt.Progress = progressBar(stderr)
	if lf.verbose && stderr != nil {
		opt.Discover.Skipped = func(p, why string) { fmt.Fprintf(stderr, "oscfg: skipped %s: %s\n", p, why) }
	}
	switch {
	case lf.release != "":
		opt.Release, opt.ReleaseSource = lf.release, "flag"
	case st.Release != "":
		opt.Release, opt.ReleaseSource = st.Release, "config"
	}
	if opt.Release != "" {
		if _, err := model.ParseRelease(opt.Release, ""); err != nil {
			return nil, usageError{err.Error()}
		}
	}
	fleet, err := loader.Load(paths, opt)
	if err != nil {
		return nil, err
	}
	if err := checkHostFlag(lf.host, fleet); err != nil {
		return nil, err
	}
	if stderr != nil {
		for _, u := range fleet.Unread {
			fmt.Fprintf(stderr, "oscfg: warning: not read: %s\n", u)
		}
	}
	if stderr != nil {
		sayRelease(stderr, fleet)
		for _, h := range fleet.Hosts {
			for _, n := range h.Notes {
				fmt.Fprintf(stderr, "oscfg: %s: assumed: %s\n", h.Name, n)
			}
		}
	}
	clusters, err := statedClusters(lf, st, fleet)
	if err != nil {
		return nil, err
	}
	in, topo := loader.InputTopology(fleet, loader.Settings{BlockDeviceWindowTarget: st.BlockDeviceWindowTarget, FileModes: st.FileModes, MySQLServer: st.MySQLServer, Clusters: clusters})
	if stderr != nil && len(fleet.Hosts) > 1 {
		fmt.Fprintln(stderr, topo.Summary())
	}
	return &loaded{fleet: fleet, settings: st, input: in, topo: topo}, nil
}

// checkHostFlag refuses a --host that named nothing: it names the host of
// files named directly or of a single host root, and a PATH of several
// hosts would otherwise lint them all under their own names, silently.
func checkHostFlag(name string, fleet *model.Fleet) error {
	if name == "" || len(fleet.Hosts) == 1 && fleet.Hosts[0].Name == name {
		return nil
	}
	var names []string
	for _, h := range fleet.Hosts {
		if h.Name == name && h.Root != "" {
			return usageError{fmt.Sprintf("--host %s: the PATHs hold %s and --host only names the host of files named directly or of a single host root; to lint %s alone, name its directory: %s",
				name, report.Plural(len(fleet.Hosts), "host", ""), name, h.Root)}
		}
		names = append(names, h.Name)
	}
	sort.Strings(names)
	list := strings.Join(names, ", ")
	if len(names) > 10 {
		list = strings.Join(names[:10], ", ") + ", ..."
	}
	return usageError{fmt.Sprintf("--host %s matches no host%s: the PATHs hold %s (%s), and --host only names the host of files named directly or of a single host root",
		name, didYouMean(name, names), report.Plural(len(fleet.Hosts), "host", ""), list)}
}

// checkRuleIDs refuses rule ids that name no rule in oscfg.ini's [rules]
// disable and [severity] and in fix --rule: a typo there would silently
// leave the rule on, at its severity, or fix nothing.
func checkRuleIDs(st *settings.Settings, only map[string]bool, eng *engine.Engine) error {
	var ids []string
	known := map[string]bool{}
	for _, r := range eng.Rules() {
		ids = append(ids, r.ID)
		known[strings.ToUpper(r.ID)] = true
	}
	bad := func(set map[string]bool) []string {
		var out []string
		for id := range set {
			if !known[id] {
				out = append(out, id)
			}
		}
		sort.Strings(out)
		return out
	}
	sev := map[string]bool{}
	for id := range st.Severity {
		sev[id] = true
	}
	file := firstNonEmpty(st.File, "oscfg.ini")
	for _, c := range []struct {
		where string
		ids   []string
	}{{file + ": [rules] disable", bad(st.Disabled)}, {file + ": [severity]", bad(sev)}} {
		if len(c.ids) > 0 {
			return fmt.Errorf("%s: no rule %s%s ('oscfg rules' lists them)", c.where, c.ids[0], didYouMean(c.ids[0], ids))
		}
	}
	if b := bad(only); len(b) > 0 {
		return usageError{fmt.Sprintf("--rule: no rule %s%s ('oscfg rules' lists them)", b[0], didYouMean(b[0], ids))}
	}
	return nil
}

// statedClusters is the placement the user states: --inventory, else
// [clusters] of oscfg.ini; nil leaves it to the layout and inference.
func statedClusters(lf *loadFlags, st *settings.Settings, fleet *model.Fleet) (*topology.Assignment, error) {
	var names []string
	for _, h := range fleet.Hosts {
		names = append(names, h.Name)
	}
	switch {
	case lf.inventory != "":
		inv, err := topology.ReadInventory(lf.inventory)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		a, err := inv.Assign(names, lf.clusterGroup)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		return a, nil
	case lf.clusterGroup != "":
		return nil, usageError{"--cluster-group needs --inventory"}
	case len(st.Clusters) > 0:
		a, err := topology.GlobAssignment(st.File, st.Clusters, names)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		return a, nil
	}
	return nil, nil
}

// findSettings picks the settings file as ruff and golangci-lint do:
// --config when given; else the oscfg.ini nearest to the first PATH,
// walking up from it to the file-system root; else ./oscfg.ini; else the
// defaults. -v (notes not nil) names the file used.
func findSettings(explicit string, paths []string, notes io.Writer) (*settings.Settings, error) {
	say := func(p, why string) {
		if notes != nil {
			fmt.Fprintf(notes, "oscfg: settings from %s (%s)\n", p, why)
		}
	}
	if explicit != "" {
		say(explicit, "--config")
		return settings.Load(explicit)
	}
	p, err := nearestSettings(paths[0])
	if err != nil {
		return nil, err
	}
	if p != "" {
		say(p, "nearest to "+paths[0])
		return settings.Load(p)
	}
	if _, err := os.Stat("oscfg.ini"); err == nil {
		say("oscfg.ini", "current directory")
		return settings.Load("oscfg.ini")
	}
	if notes != nil {
		fmt.Fprintln(notes, "oscfg: no oscfg.ini found; built-in defaults")
	}
	return settings.Default(), nil
}

// inRootSettings is PATH/oscfg.ini when PATH is a directory holding one as
// a regular file, resolved inside PATH as a host root (a sosreport's
// oscfg.ini may be a link that means the host's own file), or "".
//
// An oscfg.ini there that is a link out of PATH, or that cannot be looked
// up, is an error: silently using the defaults instead would drop the
// operator's [ignore] and release.
func inRootSettings(dir string) (string, error) {
	r, err := hostfs.Open(dir)
	if err != nil {
		return "", nil
	}
	defer r.Close()
	real, err := r.Resolve("/oscfg.ini")
	if err != nil {
		var e *hostfs.Error
		if errors.As(err, &e) && e.Kind == hostfs.Missing {
			return "", nil
		}
		return "", fmt.Errorf("settings: %w", err)
	}
	if st, err := r.Stat(real); err == nil && st.Mode().IsRegular() {
		return r.Disk(real), nil
	}
	return "", nil
}

// nearestSettings is the oscfg.ini nearest to target: inside it when it
// is a directory (resolved in it as a host root, so a link there never
// leads out of it), else in the closest of its parents; "" when none.
func nearestSettings(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", nil
	}
	if st, err := os.Stat(abs); err == nil && st.IsDir() {
		if p, err := inRootSettings(abs); p != "" || err != nil {
			return p, err
		}
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "oscfg.ini")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			if rel, err := filepath.Rel(mustGetwd(), p); err == nil && !strings.HasPrefix(rel, "..") {
				return rel, nil
			}
			return p, nil
		}
		if filepath.Dir(dir) == dir {
			return "", nil
		}
	}
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}

const maxBytesUsage = "markdown format: the most bytes to write (GitHub takes 65,536 characters in a pull-request comment); past it the worst findings that fit are kept and the others counted; 0: no cap"

const lintUsage = `Usage: oscfg lint [flags] PATH...

Checks every host and file under PATH against oscfg's rules and prints one
line per finding, like a compiler, grouped by file (the file with the worst
finding first) and worst first within a file:

  ctl1:/etc/haproxy/haproxy.cfg:50: medium OSC-HAP-001 balance source on ...
      fix (safe): in cinder_api set balance roundrobin

The line holds the start of the message; -v adds the whole message and the
file on disk, --show-source starts the line with the file on disk instead
(path:line, as editors jump to). Settings on other files or hosts that
contribute to a finding follow it, indented. The last lines count the
findings and say how many 'oscfg fix --write' would fix.

Exit status: 0 when no finding is at or above --fail-on, 1 when one is (or
when --skip-unreadable skipped anything), 2 on a usage error or input that
cannot be read or parsed, a symlink that leaves its host root, or a PATH
with no configuration oscfg knows (nothing else is reported then; the
message names file and line).

Settings (--config, else the oscfg.ini nearest to the first PATH walking up
from it, else ./oscfg.ini; -v names the file used):
  release = zed
  fail_on = medium
  [rules]     disable = OSC-HAP-004, ...
  [severity]  OSC-HAP-001 = high
  [exclude]   paths = /etc/cron.daily/*   hosts = lab-*
  [ignore]    OSC-HAP-001 = host=ctl1 path=/etc/haproxy/* until=2027-03-31 -- reason
  [settings]  block_device_window_target = 600
              mysql_server = mariadb-10.6 (the Galera nodes' server; else inferred)
  [clusters]  region1 = r1-*, 10.1.*   (else --inventory FILE, FLEET/<cluster>/<host>, or inferred)
  policy = site-policies    (user Rego policies, relative to oscfg.ini; also --policy DIR)

Examples:
  oscfg lint testdata/scenarios/balance-source/fleet
  oscfg lint --format json --fail-on high fleet/
  oscfg lint --kind haproxy --host lb1 rendered/haproxy.cfg
  oscfg lint --write-baseline baseline.json fleet/   # accept today's findings
  oscfg lint --baseline baseline.json fleet/         # CI: fail only on new ones

Suppress one finding in the config file itself, on the line above it (or,
in haproxy.cfg and my.cnf, at the end of the line):
  # oscfg: ignore OSC-HAP-001 until=2027-03-31 -- sticky sessions for horizon
  oscfg lint --policy site-policies/ fleet/     # your own rules too (docs/policies.md)
`

func cmdLint(args []string, stdout, stderr io.Writer) (int, error) {
	code, _, err := lintRun(args, stdout, stderr)
	return code, err
}

// lintRun is lint, also returning how many files --skip-unreadable
// skipped (report exits non-zero on those alone).
func lintRun(args []string, stdout, stderr io.Writer) (int, int, error) {
	fs := newFlagSet("lint", lintUsage, stderr)
	var lf loadFlags
	lf.register(fs)
	format := fs.StringP("format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	failOn := fs.String("fail-on", "", "lowest severity that makes the exit status 1 (critical, high, medium, low, info; default medium)")
	noColor := fs.Bool("no-color", false, "never colour the text output (same as --color never)")
	color := fs.String("color", "auto", "colour the text output: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never")
	output := fs.StringP("output", "o", "", "write the output to this file (only once complete) instead of stdout")
	maxBytes := fs.Int("max-bytes", report.DefaultMarkdownMaxBytes, maxBytesUsage)
	showSource := fs.Bool("show-source", false, "text format: start each finding with the file on disk (path:line, as editors jump to) instead of host:path")
	var rf reportFlags
	rf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return exitError, 0, err
	}
	switch *color {
	case "auto", "always", "never":
	default:
		return exitError, 0, usageError{fmt.Sprintf("--color %q: auto, always or never", *color)}
	}
	if *maxBytes < 0 {
		return exitError, 0, usageError{"--max-bytes: want a number of bytes, 0 for no cap"}
	}
	*format = strings.ToLower(*format)
	if !slices.Contains(report.Formats(), *format) {
		return exitError, 0, usageError{fmt.Sprintf("unknown --format %q%s (want one of %s)", *format, didYouMean(*format, report.Formats()), strings.Join(report.Formats(), ", "))}
	}
	ld, err := load(&lf, fs.Args(), rf.notes(stderr))
	if err != nil {
		return exitError, 0, err
	}
	fail := firstNonEmpty(*failOn, ld.settings.FailOn, "medium")
	if _, err := model.ParseSeverity(fail); err != nil {
		return exitError, 0, usageError{"--fail-on: " + err.Error()}
	}
	findings, err := evaluate(ld, nil, nil)
	if err != nil {
		return exitError, 0, err
	}
	kept, dropped := ld.settings.Apply(findings)
	sel, err := rf.selection(ld.rules)
	if err != nil {
		return exitError, 0, err
	}
	kept, fd, err := filterFindings(ld, kept, &rf, lf.verbose, rf.notes(stderr))
	if err != nil {
		return exitError, 0, err
	}
	kept = sel.apply(kept)
	kept = report.Redact(kept, redact.NewScrubber(ld.fleet.Secrets))
	rep := report.New(ld.fleet, kept, dropped+fd.suppressed, fail)
	unread := len(rep.Summary.Unread)
	fd.annotate(&rep.Summary)
	env := report.Env{Fleet: ld.fleet, Color: colorFor(*color, *noColor, stdout, *output != ""), Root: fs.Arg(0), Paths: fs.Args(), Rules: ld.rules,
		Verbose: lf.verbose, ShowSource: *showSource, MaxBytes: *maxBytes}
	var buf bytes.Buffer
	w := stdout
	if *output != "" {
		w = &buf
	}
	if err := renderReport(w, *format, rep, env, rf.quiet); err != nil {
		return exitError, 0, err
	}
	if *output != "" {
		// Written only once complete, so a failed run leaves no half file.
		if err := os.WriteFile(*output, buf.Bytes(), 0o644); err != nil {
			return exitError, 0, err
		}
	}
	if rep.Summary.Failed {
		return exitFindings, unread, nil
	}
	return exitClean, unread, nil
}

// evaluate runs the enabled rules over a loaded fleet: every rule but those
// oscfg.ini [rules] disable names and, when only is not empty, only those
// in it (fix --rule). Disabled rules are never evaluated. eng is a
// compiled engine to reuse (fix evaluates several passes with the same
// policies and selection); nil compiles one.
func evaluate(ld *loaded, eng *engine.Engine, only map[string]bool) ([]model.Finding, error) {
	ctx := context.Background()
	if eng == nil {
		var err error
		eng, err = engine.New(ctx, engine.Options{PolicyDirs: ld.settings.PolicyDirs, Enabled: func(r *engine.Rule) bool {
			id := strings.ToUpper(r.ID)
			return !ld.settings.Disabled[id] && (len(only) == 0 || only[id])
		}})
		if err != nil {
			return nil, err
		}
		if err := checkRuleIDs(ld.settings, only, eng); err != nil {
			return nil, err
		}
	}
	ld.engine = eng
	ld.rules = map[string]report.RuleInfo{}
	for _, r := range eng.Rules() {
		ld.rules[r.ID] = ruleInfo(r)
	}
	// Every cross-host rule compares hosts inside one cluster only
	// (topology's partition contract, tested there), so each cluster is
	// its own input document, converted to OPA values just before it is
	// evaluated, in parallel with the others. The Go document is dropped
	// here and each cluster's part of it once converted, so memory follows
	// the largest cluster, not the fleet.
	parts := topology.Partitions(ld.input)
	ld.input = nil
	var fs []model.Finding
	var err error
	if len(parts) == 1 {
		var val ast.Value
		if val, err = engine.Input(parts[0]); err != nil {
			return nil, err
		}
		parts = nil
		fs, err = eng.Eval(ctx, val)
	} else {
		fs, err = eng.EvalEach(ctx, len(parts), func(i int) (ast.Value, error) {
			// Input converts a cluster's hosts on all cores: a fleet of
			// one big cluster and a few small ones is not converted on one.
			v, err := engine.Input(parts[i])
			parts[i] = nil
			return v, err
		})
	}
	if err != nil {
		return nil, err
	}
	for i := range fs {
		fs[i].Source = loader.SourceOf(ld.fleet, fs[i].Host, fs[i].File)
	}
	return fs, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// colorFor decides colour: --no-color and --color never win, then
// --color always; auto means FORCE_COLOR (set, not empty and not 0) or a terminal
// without NO_COLOR (no-color.org, force-color.org). A file written with -o
// is never a terminal.
func colorFor(mode string, noColor bool, w io.Writer, toFile bool) bool {
	switch {
	case noColor || mode == "never":
		return false
	case mode == "always":
		return true
	}
	if v := os.Getenv("FORCE_COLOR"); v != "" && v != "0" {
		return true
	}
	return !toFile && useColor(w)
}

// useColor: only on a terminal, and never when NO_COLOR is set
// (no-color.org).
func useColor(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const modelUsage = `Usage: oscfg model [flags] PATH...

Prints the input document the rules read (docs/model.md) as JSON: every
host, every file's dialect view with line numbers, haproxy's effective
proxies, MariaDB's merged server options and all cron jobs. Secrets are
already masked. Use it to write and debug policies.

Example:
  oscfg model fleet/ | jq '.hosts.ctl1.haproxy.proxies.cinder_api'
`

func cmdModel(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model", modelUsage, stderr)
	var lf loadFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ld, err := load(&lf, fs.Args(), stderr)
	if err != nil {
		return err
	}
	// Views are masked already; the scrub is the last chance for a secret
	// some view carried elsewhere.
	redact.NewScrubber(ld.fleet.Secrets).Tree(ld.input)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ld.input)
}

const rulesUsage = `Usage: oscfg rules [--format text|json] [--policy DIR]...

Lists every rule: id, default severity, fix class (safe: applied by
'oscfg fix --write'; unsafe: needs --unsafe-fixes; manual: advice only;
none: the rule returns no fix) and title.
User policies (--policy, or policy = in ./oscfg.ini) are listed with the built-in ones.
`

// rulesEngine compiles the built-in rules and the user policies of
// --policy and ./oscfg.ini, for the commands that only list rules.
func rulesEngine(flagDirs []string) (*engine.Engine, error) {
	dirs, err := policyDirs(flagDirs)
	if err != nil {
		return nil, err
	}
	return engine.New(context.Background(), engine.Options{PolicyDirs: dirs})
}

// ruleInfo is a rule's metadata for the reports, with its severity range.
func ruleInfo(r *engine.Rule) report.RuleInfo {
	ri := report.RuleInfo{ID: r.ID, Title: r.Title, Severity: r.Severity, Fix: r.Fix,
		Description: r.Description, Remedy: r.Remedy, References: r.References, SeverityRange: r.SeverityRange(),
		Doc: ruledoc.URL(r)}
	for _, t := range r.Severities {
		ri.Tiers = append(ri.Tiers, t.Severity+": "+t.When)
	}
	return ri
}

func cmdRules(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("rules", rulesUsage, stderr)
	format := fs.StringP("format", "f", "text", "text or json")
	policy := fs.StringArray("policy", nil, policyFlagUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	*format = strings.ToLower(*format)
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("rules: unknown --format %q%s (text or json)", *format, didYouMean(*format, []string{"text", "json"}))}
	}
	eng, err := rulesEngine(*policy)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(eng.Rules())
	}
	// SEVERITY is the range a rule's findings take ("low..high"); explain
	// says when each applies.
	fmt.Fprintf(stdout, "%-13s %-16s %-7s %s\n", "ID", "SEVERITY", "FIX", "TITLE")
	for _, r := range eng.Rules() {
		fmt.Fprintf(stdout, "%-13s %-16s %-7s %s\n", r.ID, r.SeverityRange(), firstNonEmpty(r.Fix, "none"), r.Title)
	}
	return nil
}

const explainUsage = `Usage: oscfg explain [--policy DIR]... RULE-ID

Prints what a rule checks, why it matters, how to fix it and where the facts
come from.

Example:
  oscfg explain OSC-DB-001
`

func cmdExplain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("explain", explainUsage, stderr)
	policy := fs.StringArray("policy", nil, policyFlagUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"explain takes one rule id, e.g. oscfg explain OSC-HAP-001"}
	}
	eng, err := rulesEngine(*policy)
	if err != nil {
		return err
	}
	r := eng.Rule(fs.Arg(0))
	if r == nil {
		var ids []string
		for _, x := range eng.Rules() {
			ids = append(ids, x.ID)
		}
		return usageError{fmt.Sprintf("no rule %q (rules: %s)", fs.Arg(0), strings.Join(ids, ", "))}
	}
	// The rule's page (docs/rules/) comes from the same renderer.
	_, err = io.WriteString(stdout, ruledoc.Text(r))
	return err
}

// sayRelease says once which release the rules assume and why, unless
// --release said it: one line for the fleet, or one per group of hosts
// when they disagree.
func sayRelease(w io.Writer, fleet *model.Fleet) {
	r := fleet.Release
	switch {
	case r.Source == "flag":
		return
	case r.Source == "hosts":
		fmt.Fprintf(w, "oscfg: the hosts run different OpenStack releases; each is judged by its own:\n")
		for _, line := range loader.ReleaseSummary(fleet) {
			fmt.Fprintf(w, "oscfg:   %s\n", line)
		}
		return
	case r.Source == "default" || r.Source == "inferred":
		fmt.Fprintf(w, "oscfg: assuming OpenStack release %s (%s)\n", r.Name, r.Reason)
	default:
		fmt.Fprintf(w, "oscfg: OpenStack release %s (%s: %s)\n", r.Name, r.Source, r.Reason)
	}
}
