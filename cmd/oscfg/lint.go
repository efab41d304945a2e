package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/ruledoc"
	"github.com/oscfg/oscfg/lint"
	"github.com/oscfg/oscfg/redact"
	"github.com/oscfg/oscfg/report"
)

var errHelp = errors.New("help shown")

// common flags of commands that load a fleet.
type loadFlags struct {
	release, config, kind, host string
	service                     string
	inventory, clusterGroup     string
	verbose                     bool
	skipUnreadable, allowEmpty  bool
	policies                    []string // --policy, added to oscfg.ini's policy =
	backup                      string   // fix --backup: its files are never configs
}

func (lf *loadFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&lf.release, "release", "", "OpenStack release the rules assume (e.g. queens, zed, 2024.1); default: oscfg.ini, else inferred")
	fs.StringVar(&lf.config, "config", "", "settings file (default: the oscfg.ini nearest to the first PATH, walking up; else ./oscfg.ini)")
	fs.StringVar(&lf.kind, "kind", "", "kind of files named directly: oslo, haproxy, mycnf or crontab")
	fs.StringVar(&lf.service, "service", "", "service of oslo files named directly (e.g. keystone, nova), over what their name or sections say; default: the name (keystone.conf), else the sections only one service has ([token] is keystone's)")
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

// options are the lint options of these flags over paths, with notes
// (nil: none) and the progress bar there.
func (lf *loadFlags) options(paths []string, notes io.Writer) lint.Options {
	return lint.Options{Paths: paths, Release: lf.release, Config: lf.config, Kind: lf.kind, Host: lf.host, Service: lf.service,
		Inventory: lf.inventory, ClusterGroup: lf.clusterGroup, SkipUnreadable: lf.skipUnreadable, AllowEmpty: lf.allowEmpty,
		Policies: lf.policies, Backup: lf.backup, Progress: progressBar(notes), Notes: notes, Verbose: lf.verbose}
}

// load runs lint's loading steps; it says the assumed release only when
// stderr is not nil.
func load(lf *loadFlags, paths []string, stderr io.Writer) (*lint.Loaded, error) {
	return lint.Load(context.Background(), lf.options(paths, stderr))
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
	o := lf.options(fs.Args(), rf.notes(stderr))
	o.FailOn, o.Baseline, o.WriteBaseline = *failOn, rf.baseline, rf.writeBaseline
	o.Select, o.Ignore, o.MinSeverity, o.NameSuppressed = rf.selectRules, rf.ignoreRules, rf.minSeverity, lf.verbose
	res, err := lint.Run(context.Background(), o)
	if err != nil {
		return exitError, 0, err
	}
	rep := res.Report
	unread := res.Unread
	env := report.Env{Fleet: res.Fleet, Color: colorFor(*color, *noColor, stdout, *output != ""), Root: fs.Arg(0), Paths: fs.Args(), Rules: res.Rules,
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
	redact.NewScrubber(ld.Fleet.Secrets).Tree(ld.Input)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ld.Input)
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
