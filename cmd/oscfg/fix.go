package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

const fixUsage = `Usage: oscfg fix [flags] PATH...

Computes the fixes for what 'oscfg lint' finds and prints them as one unified
diff on stdout that 'git apply' and 'patch -p1' accept from the current
directory. Nothing is changed unless --write is given.

Fix classes come from each rule (see 'oscfg rules'):
  safe    applied by --write
  unsafe  applied only with --unsafe-fixes (any fix that would delete a comment is unsafe)
  manual  never applied; printed on stderr as advice with the suggested patch

Fixes are applied, the fleet re-evaluated, and fixed again until nothing
changes (at most 10 passes), so fixes that touch the same bytes never both
apply and running fix twice changes nothing the second time. A fix whose
result would not parse is rejected.

--write replaces each file atomically (temporary file in the same directory,
fsync, rename), keeping its mode and owner and writing through symlinks. A
file that changed on disk since oscfg read it is refused (exit 2) and left
as it is. Each changed file says which service must reload or restart.

Exit status: 0 nothing to fix (or --write succeeded), 1 a diff was printed,
2 usage or input error, or a file could not be written.

Examples:
  oscfg fix fleet/ > fixes.patch && git apply --check fixes.patch
  oscfg fix --write --backup .orig /
  oscfg fix --rule OSC-HAP-005 --write fleet/lb1
`

const maxPasses = 10

func cmdFix(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("fix", fixUsage, stderr)
	var lf loadFlags
	lf.register(fs)
	write := fs.Bool("write", false, "apply the safe fixes to the files")
	unsafe := fs.Bool("unsafe-fixes", false, "also apply unsafe fixes")
	rules := fs.StringSlice("rule", nil, "fix only these rules (repeatable, or comma-separated)")
	backup := fs.String("backup", "", "with --write, keep each original as FILE+SUFFIX")
	showSecrets := fs.Bool("show-secrets", false, "print secret values in the patch as they are (so it applies on this host); never use in CI logs")
	if err := parseFlags(fs, args); err != nil {
		return exitError, err
	}
	opt := fixers.Options{Unsafe: *unsafe, Rules: map[string]bool{}}
	for _, r := range *rules {
		opt.Rules[strings.ToUpper(strings.TrimSpace(r))] = true
	}

	// Every pass reads through the overlay, so it sees the previous
	// passes' edits; nothing touches the disk until all passes are done.
	overlay := map[string][]byte{}
	orig := map[string]*fixers.Change{} // by disk path: first Old, latest New
	read := func(p string) ([]byte, error) {
		if b, ok := overlay[p]; ok {
			return b, nil
		}
		return parsers.ReadFile(p)
	}
	var advice []fixers.Skipped
	var eng *engine.Engine
	var secrets []string
	fixed := 0
	for pass := 1; ; pass++ {
		var errw io.Writer
		if pass == 1 {
			errw = stderr
		}
		ld, err := loadWith(&lf, fs.Args(), errw, read)
		if err != nil {
			if pass > 1 {
				return exitError, fmt.Errorf("internal error: a fixed file no longer loads: %w", err)
			}
			return exitError, err
		}
		// Policies compile once; every pass reuses them. Only the rules
		// --rule names (all when none) are evaluated.
		findings, err := evaluate(ld, eng, opt.Rules)
		eng = ld.engine
		if err != nil {
			return exitError, err
		}
		findings, _ = ld.settings.Apply(findings)
		// What lint would not report, fix does not touch: inline
		// "oscfg: ignore" comments and oscfg.ini [ignore] lines apply here too.
		findings, _, err = filterFindings(ld, findings, &reportFlags{}, false, nil)
		if err != nil {
			return exitError, err
		}
		secrets = append(secrets, ld.fleet.Secrets...)
		changes, skipped := fixers.Plan(ld.fleet, findings, opt)
		if pass == 1 {
			advice = skipped
		}
		if len(changes) == 0 {
			break
		}
		if pass == maxPasses {
			var ids []string
			for _, c := range changes {
				for _, f := range c.Fixed {
					ids = append(ids, fmt.Sprintf("%s at %s:%s:%d", f.Rule, f.Host, f.File, f.Line))
				}
			}
			return exitError, fmt.Errorf("fixes did not converge after %d passes; these keep changing files (rules undoing each other?): %s", maxPasses, strings.Join(ids, "; "))
		}
		for _, c := range changes {
			if o, ok := orig[c.Source]; ok {
				o.New = c.New
				o.Fixed = append(o.Fixed, c.Fixed...)
			} else {
				cc := *c
				orig[c.Source] = &cc
			}
			overlay[c.Source] = c.New
			fixed += len(c.Fixed)
		}
	}
	sc := redact.NewScrubber(secrets)
	printAdvice(stderr, advice, sc)

	var files []*fixers.Change
	for _, c := range orig {
		if string(c.Old) != string(c.New) {
			files = append(files, c)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Source < files[j].Source })
	if len(files) == 0 {
		fmt.Fprintln(stderr, "oscfg: nothing to fix")
		return exitClean, nil
	}
	if !*write {
		var masked []string
		for _, c := range files {
			scrub := sc.String
			if *showSecrets {
				scrub = func(s string) string { return s }
			}
			// A hunk's context may hold a neighbouring line's secret.
			d, m, err := fixers.RedactedDiff(patchLabel(c.Source), c.Old, c.New, scrub)
			if err != nil {
				return exitError, err
			}
			if m {
				masked = append(masked, c.Source)
			}
			fmt.Fprint(stdout, d)
		}
		if len(masked) > 0 {
			fmt.Fprintf(stderr, "oscfg: secrets are masked in the patch for %s, so it will not apply there as is; run `oscfg fix --write` on the host, or add --show-secrets to print an exact patch\n", strings.Join(masked, ", "))
		}
		for _, c := range files {
			fmt.Fprintf(stderr, "oscfg: %s:%s: then %s\n", c.Host, c.HostPath, fixers.Restart(c.Kind, c.Service, c.HostPath))
		}
		fmt.Fprintf(stderr, "oscfg: %d fixes in %d files; apply with --write, or `git apply` this patch\n", fixed, len(files))
		return exitFindings, nil
	}
	code := exitClean
	for _, c := range files {
		if err := fixers.WriteAtomic(c.Source, c.Old, c.New, *backup); err != nil {
			code = exitError
			if errors.Is(err, fixers.ErrChanged) {
				fmt.Fprintf(stderr, "oscfg: %v\n", err)
			} else {
				fmt.Fprintf(stderr, "oscfg: writing %s: %v\n", c.Source, err)
			}
			continue
		}
		fmt.Fprintf(stderr, "oscfg: fixed %s:%s (%d findings): %s\n", c.Host, c.HostPath, len(c.Fixed), fixers.Restart(c.Kind, c.Service, c.HostPath))
	}
	return code, nil
}

// patchLabel names a file in the patch relative to the current directory,
// so `git apply` and `patch -p1` run from here find it; a file outside it
// is named from / (apply from /).
func patchLabel(source string) string {
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
				for _, line := range strings.Split(strings.TrimRight(sc.String(d), "\n"), "\n") {
					fmt.Fprintln(w, "    "+line)
				}
			}
		}
	}
}
