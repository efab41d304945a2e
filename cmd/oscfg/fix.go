package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/lint"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
	"github.com/oscfg/oscfg/report"
)

const fixUsage = `Usage: oscfg fix [flags] PATH...

Computes the fixes for what 'oscfg lint' finds and prints them as one unified
diff on stdout that 'git apply' and 'patch -p1' accept from the current
directory. Nothing is changed unless --write is given.

Secrets are masked on stdout; a hunk whose context had to mask one says so in
its @@ line and will not apply as is. -o FILE also writes the exact patch,
secrets unmasked, to FILE with mode 0600, for 'git apply' on the host itself.

Fix classes come from each rule (see 'oscfg rules'):
  safe    applied by --write
  unsafe  applied only with --unsafe-fixes (any fix that would delete a comment is unsafe)
  manual  never applied

Each pass first collects every applicable fix, then solves the values that
bound one another across files and hosts against the state after all of them
(oslo.db connection_recycle_time below every DB node's wait_timeout and the
haproxy DB listener timeouts above the recycle times behind them; timeout
client and timeout server of a TCP listen equal): -v lists each value chosen
instead of the rule's own. Fixes of different settings of one file all apply;
two fixes of one setting never do in one pass. The fleet is then
re-evaluated and fixed again until nothing changes (at most 10 passes), so
running fix twice changes nothing the second time. A fix whose result would
not parse is rejected.

stderr has one line per finding left after the fixes and why it is left
(-v adds its message and, for unsafe and manual fixes, the patch they would
make), one line per changed host naming the files and what to reload or
restart, and a summary: "N fixed in M files; K remaining (J need
--unsafe-fixes, L manual)".

--write replaces each file atomically (temporary file beside it, fsync,
rename), keeping its owner, mode (setuid, setgid and sticky bits included) and
extended attributes (SELinux label, POSIX ACLs, user.*). The path is resolved
inside its host root, as chroot would: a symlink on the path never leads the
write outside the root (on the live / the root is /, so links are written
through). A file with several hard links is refused unless
--in-place-hardlinks; a file that changed on disk since oscfg read it is
refused and left as it is. Temporary files an earlier killed run left beside
a fixed file (.NAME.oscfg-DIGITS) are removed, and said.

Exit status: without --write, 0 nothing to fix, 1 a diff was printed; with
--write, 0 when no finding at or above --fail-on remains, 1 when one does;
2 usage or input error, or a file could not be written.

Examples:
  oscfg fix -o fixes.patch fleet/ && git apply --check fixes.patch
  oscfg fix --write --backup .orig /
  oscfg fix --rule OSC-HAP-005 --write fleet/lb1
`

func cmdFix(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("fix", fixUsage, stderr)
	var lf loadFlags
	lf.register(fs)
	write := fs.Bool("write", false, "apply the safe fixes to the files")
	unsafe := fs.Bool("unsafe-fixes", false, "also apply unsafe fixes")
	rules := fs.StringSlice("rule", nil, "fix only these rules (repeatable, or comma-separated)")
	backup := fs.String("backup", "", "with --write, keep each original as FILE+SUFFIX")
	inPlaceHardlinks := fs.Bool("in-place-hardlinks", false, "with --write, rewrite a file that has several hard links in place (not atomic) instead of refusing it")
	showSecrets := fs.Bool("show-secrets", false, "print secret values in the patch as they are (so it applies on this host); never use in CI logs")
	outFile := fs.StringP("output", "o", "", "also write the exact patch, secrets unmasked, to FILE (mode 0600), for use on the host itself")
	noVerify := fs.Bool("no-verify", false, "with --write, skip the real checkers (haproxy -c, my_print_defaults, oslo-config-validator) that otherwise read each fixed file before it replaces the old one")
	failOn := fs.String("fail-on", "", "with --write, exit 1 when a finding at or above this severity remains (critical, high, medium, low, info; default medium)")
	if err := parseFlags(fs, args); err != nil {
		return exitError, err
	}
	if *outFile != "" && *write {
		return exitError, usageError{"-o writes the patch instead of applying it; drop --write or -o"}
	}
	if err := fixers.CheckBackupSuffix(*backup); err != nil {
		return exitError, usageError{"--backup: " + err.Error()}
	}
	opt := fixers.Options{Unsafe: *unsafe, Rules: map[string]bool{}}
	for _, r := range *rules {
		opt.Rules[strings.ToUpper(strings.TrimSpace(r))] = true
	}

	if *failOn != "" {
		if _, err := model.ParseSeverity(*failOn); err != nil {
			return exitError, usageError{"--fail-on: " + err.Error()}
		}
	}
	lf.backup = *backup
	// Each pass is a lint run through the earlier passes' edits; only the
	// first has notes.
	run, err := lint.Fix(context.Background(), lf.options(fs.Args(), stderr), opt)
	if err != nil {
		return exitError, err
	}
	if *write {
		// An archive is read in memory; there is no file to replace.
		// Without --write the patch is still printed.
		for _, h := range run.First.Hosts {
			if h.Archive {
				return exitError, fmt.Errorf("%s: archives are read-only; unpack it to fix (oscfg fix without --write prints the patch)", h.Root)
			}
		}
	}
	fail := firstNonEmpty(*failOn, run.Settings.FailOn, "medium")
	if _, err := model.ParseSeverity(fail); err != nil {
		return exitError, usageError{"--fail-on: " + err.Error()}
	}
	first, files, remaining, finalSkipped, unread := run.First, run.Files, run.Remaining, run.Skipped, run.Unread
	sc := redact.NewScrubber(run.Secrets)
	if *outFile != "" {
		if err := writePatchFile(*outFile, files); err != nil {
			return exitError, err
		}
		fmt.Fprintf(stderr, "oscfg: wrote the exact patch, secrets unmasked, to %s (mode 0600): for `git apply` on the host itself, never for logs or tickets\n", *outFile)
	}
	rem := classify(remaining, finalSkipped, opt)
	if !*write {
		var masked []string
		for _, c := range files {
			label := patchLabel(c.Source)
			if *showSecrets {
				d, err := fixers.Diff(label, c.Old, c.New)
				if err != nil {
					return exitError, err
				}
				fmt.Fprint(stdout, d)
				continue
			}
			// A hunk's context may hold a neighbouring line's secret.
			d, m, err := fixers.RedactedDiff(label, c.Old, c.New, sc.Text)
			if err != nil {
				return exitError, err
			}
			if m {
				masked = append(masked, c.Source)
				if exact, err := fixers.Diff(label, c.Old, c.New); err == nil {
					d = markMaskedHunks(d, exact)
				}
			}
			fmt.Fprint(stdout, d)
		}
		if len(masked) > 0 && *outFile == "" {
			fmt.Fprintf(stderr, "oscfg: secrets are masked in the patch for %s, so the hunks marked \"%s\" will not apply as they are; run `oscfg fix --write` on the host, or `oscfg fix -o FILE` there for an exact patch\n", strings.Join(masked, ", "), maskedHunkNote)
		}
		printRemaining(stderr, rem, lf.verbose, sc)
		printSolved(stderr, files, lf.verbose, sc)
		printRestarts(stderr, files, nil)
		n := 0
		for _, c := range files {
			n += len(c.Fixed)
		}
		if len(files) == 0 {
			fmt.Fprintf(stderr, "oscfg: nothing to fix; %s\n", rem.summary())
			if unread > 0 {
				return exitFindings, nil // files were skipped: not a clean run
			}
			return exitClean, nil
		}
		fmt.Fprintf(stderr, "oscfg: %d fixable in %s (the patch on stdout, --write applies it); %s\n", n, report.Plural(len(files), "file", ""), rem.summary())
		return exitFindings, nil
	}
	code := exitClean
	refused := map[string]bool{}
	if !*noVerify {
		var err error
		refused, err = verifyChanges(first, files, stderr)
		if err != nil {
			return exitError, err
		}
		if len(refused) > 0 {
			code = exitError
		}
	}
	var written []*fixers.Change
	n := 0
	for _, c := range files {
		if refused[c.Source] {
			continue
		}
		wo := fixers.WriteOptions{
			Backup:           *backup,
			InPlaceHardlinks: *inPlaceHardlinks,
			Notice:           func(msg string) { fmt.Fprintf(stderr, "oscfg: %s\n", msg) },
		}
		if err := fixers.WriteAtomic(c.Root, c.Source, c.Old, c.New, wo); err != nil {
			code = exitError
			fmt.Fprintf(stderr, "oscfg: not written: %v\n", err)
			continue
		}
		written = append(written, c)
		n += len(c.Fixed)
	}
	printRemaining(stderr, rem, lf.verbose, sc)
	printSolved(stderr, written, lf.verbose, sc)
	printRestarts(stderr, written, func(c *fixers.Change) string { return fmt.Sprintf(" (%d)", len(c.Fixed)) })
	sum := rem.summary()
	if failed := len(files) - len(written); failed > 0 {
		// The plan was made for every file; the unwritten ones keep
		// their findings on top of these.
		sum += fmt.Sprintf("; %s not written still have the findings the fixes were for", report.Plural(failed, "file", ""))
	}
	fmt.Fprintf(stderr, "oscfg: %d fixed in %s; %s\n", n, report.Plural(len(written), "file", ""), sum)
	if code == exitClean && (rem.failing(fail) || unread > 0) {
		code = exitFindings // findings remain, or files were skipped unread
	}
	return code, nil
}

// remainingFindings is what is left after all planned fixes, by why.
type remainingFindings struct {
	all                         []remainingFinding
	unsafe, manual, notSelected int
}

type remainingFinding struct {
	f       model.Finding
	reason  string
	skipped *fixers.Skipped // its fix op and why it did not apply, if it has one
}

// classify sorts the findings of the state after all fixes by why they
// were not fixed: an unsafe fix not asked for, or manual (no fix, a manual
// fix, or a fix that could not apply). Findings of rules --rule left out
// are only counted.
func classify(fs []model.Finding, skipped map[string]fixers.Skipped, opt fixers.Options) remainingFindings {
	var r remainingFindings
	for _, f := range fs {
		rf := remainingFinding{f: f}
		if s, ok := skipped[fixers.FindingKey(f)]; ok {
			rf.skipped = &s
		}
		switch {
		case len(opt.Rules) > 0 && !opt.Rules[f.Rule]:
			// Not this run's business: neither listed nor in the exit status.
			r.notSelected++
			continue
		case f.Fix != nil && f.FixClass == "unsafe" && !opt.Unsafe:
			rf.reason = "needs --unsafe-fixes"
			r.unsafe++
		case f.Fix == nil:
			rf.reason = "no automatic fix"
			r.manual++
		case f.FixClass == "manual":
			rf.reason = "manual fix"
			r.manual++
		default:
			rf.reason = "fix not applied"
			if rf.skipped != nil {
				rf.reason = rf.skipped.Reason
			}
			r.manual++
		}
		r.all = append(r.all, rf)
	}
	return r
}

func (r remainingFindings) summary() string {
	s := fmt.Sprintf("%d remaining (%d need --unsafe-fixes, %d manual)", len(r.all), r.unsafe, r.manual)
	if r.notSelected > 0 {
		s += fmt.Sprintf("; %s of rules --rule did not select", report.Plural(r.notSelected, "finding", ""))
	}
	return s
}

// failing: some remaining finding is at or above the --fail-on severity.
func (r remainingFindings) failing(failOn string) bool {
	min := model.SeverityRank(failOn)
	for _, rf := range r.all {
		if model.SeverityRank(rf.f.Severity) >= min {
			return true
		}
	}
	return false
}

// printRemaining prints one line per finding left; with -v its message
// follows, and for a finding with an unapplied fix op the advice with the
// patch it would make (against the files as fixed).
func printRemaining(w io.Writer, r remainingFindings, verbose bool, sc *redact.Scrubber) {
	for _, rf := range r.all {
		f := rf.f
		fmt.Fprintf(w, "oscfg: remaining: %s:%s:%d: %s (%s) %s: %s\n", f.Host, f.File, f.Line, f.Rule, f.Severity, sc.String(f.Title), rf.reason)
		if !verbose {
			continue
		}
		if rf.skipped != nil {
			printAdvice(w, []fixers.Skipped{*rf.skipped}, sc)
		} else {
			fmt.Fprintf(w, "    %s\n", sc.String(f.Message))
		}
	}
}

// printSolved says how many fix values the constraint steps chose instead
// of the rules' own (planned together across files and hosts, so one fix
// does not undo another); -v lists them.
func printSolved(w io.Writer, files []*fixers.Change, verbose bool, sc *redact.Scrubber) {
	n := 0
	for _, c := range files {
		n += len(c.Solved)
	}
	if n == 0 {
		return
	}
	if !verbose {
		fmt.Fprintf(w, "oscfg: %d fix values solved together across files and hosts, not as each rule computed them alone (-v lists them)\n", n)
		return
	}
	for _, c := range files {
		for _, s := range c.Solved {
			fmt.Fprintf(w, "oscfg: solved: %s:%s: %s\n", c.Host, c.HostPath, sc.String(s))
		}
	}
}

// printRestarts names, once per host, the changed files and what must
// reload or restart for them to take effect.
func printRestarts(w io.Writer, files []*fixers.Change, suffix func(*fixers.Change) string) {
	type hostChanges struct {
		files, actions []string
	}
	byHost := map[string]*hostChanges{}
	var hosts []string
	for _, c := range files {
		h := byHost[c.Host]
		if h == nil {
			h = &hostChanges{}
			byHost[c.Host] = h
			hosts = append(hosts, c.Host)
		}
		name := c.HostPath
		if suffix != nil {
			name += suffix(c)
		}
		h.files = append(h.files, name)
		if a := fixers.Restart(c.Kind, c.Service, c.HostPath); !slices.Contains(h.actions, a) {
			h.actions = append(h.actions, a)
		}
	}
	sort.Strings(hosts)
	for _, host := range hosts {
		h := byHost[host]
		fmt.Fprintf(w, "oscfg: %s: %s changed; then %s\n", host, strings.Join(h.files, ", "), strings.Join(h.actions, "; "))
	}
}

// maskedHunkNote marks, in the hunk header's free text (which git apply and
// patch ignore), a hunk whose context had to mask a secret.
const maskedHunkNote = "oscfg: secret masked, this hunk will not apply as is"

// markMaskedHunks notes on each hunk of the masked patch that differs from
// the same hunk of the exact one that it will not apply.
func markMaskedHunks(masked, exact string) string {
	ex := map[string]string{}
	for _, h := range splitHunks(exact) {
		ex[h.header] = h.body
	}
	var b strings.Builder
	for _, h := range splitHunks(masked) {
		b.WriteString(h.header)
		if e, ok := ex[h.header]; ok && e != h.body && strings.HasPrefix(h.header, "@@ ") {
			b.WriteString(" " + maskedHunkNote)
		}
		b.WriteString("\n")
		b.WriteString(h.body)
	}
	return b.String()
}

type hunk struct{ header, body string }

// splitHunks cuts a patch at its hunk headers; the file header comes first
// as a pseudo-hunk whose header is its first line.
func splitHunks(patch string) []hunk {
	var out []hunk
	lines := strings.SplitAfter(patch, "\n")
	for _, l := range lines {
		if l == "" {
			continue
		}
		if len(out) == 0 || strings.HasPrefix(l, "@@ ") {
			out = append(out, hunk{header: strings.TrimSuffix(l, "\n")})
			continue
		}
		out[len(out)-1].body += l
	}
	return out
}

// writePatchFile writes the exact patch of files to name, mode 0600 (it
// holds secrets), never through a symlink; an empty patch when nothing is
// to fix, so a stale one is not applied by mistake.
func writePatchFile(name string, files []*fixers.Change) error {
	var b strings.Builder
	for _, c := range files {
		d, err := fixers.Diff(patchLabel(c.Source), c.Old, c.New)
		if err != nil {
			return err
		}
		b.WriteString(d)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	// An existing file keeps its mode through O_TRUNC: make it 0600 first.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("-o: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("-o: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	return nil
}

// patchLabel names a file in the patch relative to the current directory,
// so `git apply` and `patch -p1` run from here find it; a file outside it
// is named from / (apply from /).
func patchLabel(source string) string {
	if _, member, ok := hostfs.SplitArchiveSource(source); ok {
		// An archive member: the path it unpacks to, so the patch
		// applies from where the archive is unpacked.
		return member
	}
	abs, err := filepath.Abs(source)
	if err != nil {
		return filepath.ToSlash(source)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return strings.TrimPrefix(filepath.ToSlash(abs), "/")
}

func printAdvice(w io.Writer, advice []fixers.Skipped, sc *redact.Scrubber) {
	for _, s := range advice {
		if s.Deferred {
			continue
		}
		f := s.Finding
		fmt.Fprintf(w, "oscfg: not applied: %s:%s:%d: %s %s: %s\n", f.Host, f.File, f.Line, f.Rule, sc.String(f.Message), s.Reason)
		if s.Suggested != nil {
			if d, err := fixers.Diff(patchLabel(s.Suggested.Source), s.Suggested.Old, s.Suggested.New); err == nil {
				for _, line := range strings.Split(strings.TrimRight(sc.Text(d), "\n"), "\n") {
					fmt.Fprintln(w, "    "+line)
				}
			}
		}
	}
}

// verifyChanges has the real checkers read every changed file before it is
// written: a host's haproxy files together (fragments depend on each
// other), my.cnf and oslo files one by one. It names the checkers that ran
// and returns the sources a checker refused, each said on stderr.
func verifyChanges(fleet *model.Fleet, files []*fixers.Change, stderr io.Writer) (map[string]bool, error) {
	changed := map[string]*fixers.Change{}
	for _, c := range files {
		changed[c.Source] = c
	}
	var sets []fixers.CheckSet
	for _, h := range fleet.Hosts {
		hap := fixers.CheckSet{Host: h.Name, Kind: model.KindHAProxy}
		touched := false
		for _, f := range h.Files {
			c := changed[f.Source]
			cf := fixers.CheckFile{HostPath: f.HostPath, Real: f.Source, Old: f.Doc.Bytes()}
			if c != nil {
				cf.New = c.New
			}
			switch {
			case f.Kind == model.KindHAProxy:
				hap.Files = append(hap.Files, cf)
				touched = touched || c != nil
			case c != nil && (f.Kind == model.KindMyCnf || f.Kind == model.KindOslo):
				sets = append(sets, fixers.CheckSet{Host: h.Name, Kind: f.Kind, Service: f.Service, Release: fleet.Release.Name, Files: []fixers.CheckFile{cf}})
			}
		}
		if touched {
			sets = append(sets, hap)
		}
	}
	refused := map[string]bool{}
	ran := map[string]int{}
	var skipped []string
	for _, s := range sets {
		res, err := fixers.Check(context.Background(), s)
		if err != nil {
			return nil, fmt.Errorf("checking the fixed files of %s: %w", s.Host, err)
		}
		if res.Checker != "" && res.Skipped == "" {
			ran[res.Checker]++
		} else if res.Skipped != "" && res.Skipped != "nothing changes" {
			skipped = append(skipped, res.Skipped)
		}
		if res.Refused == "" {
			continue
		}
		var names []string
		for _, f := range s.Files {
			if f.New != nil {
				refused[f.Real] = true
				names = append(names, s.Host+":"+f.HostPath)
			}
		}
		fmt.Fprintf(stderr, "oscfg: not written: %s: %s accepts the file as it is and rejects the fixed one (--no-verify writes it anyway):\n", strings.Join(names, ", "), res.Checker)
		for _, l := range strings.Split(res.Refused, "\n") {
			fmt.Fprintf(stderr, "    %s\n", l)
		}
	}
	if len(ran) > 0 {
		var rs []string
		for c, n := range ran {
			rs = append(rs, fmt.Sprintf("%s (%d)", c, n))
		}
		sort.Strings(rs)
		fmt.Fprintf(stderr, "oscfg: checked the fixed files with %s\n", strings.Join(rs, ", "))
	}
	// Each reason once, with how many sets it kept from being checked.
	count := map[string]int{}
	var order []string
	for _, s := range skipped {
		if count[s] == 0 {
			order = append(order, s)
		}
		count[s]++
	}
	for _, s := range order {
		fmt.Fprintf(stderr, "oscfg: not checked (%d): %s\n", count[s], s)
	}
	return refused, nil
}
