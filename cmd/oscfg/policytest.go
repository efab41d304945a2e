package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/lint"
	"github.com/oscfg/oscfg/lint/regotest"
	"github.com/oscfg/oscfg/settings"
)

const policyFlagUsage = "directory of user Rego policies, each in package oscfg.user.<name> (docs/policies.md); repeatable, adds to oscfg.ini's policy ="

// policyDirs is what 'oscfg rules' and 'oscfg explain' load besides the
// built-in rules: oscfg.ini's policy = (when ./oscfg.ini exists), then the
// --policy flags.
func policyDirs(flagDirs []string) ([]string, error) {
	var dirs []string
	// The settings lint would use from here: the nearest oscfg.ini.
	p, err := lint.NearestSettings(".")
	if err != nil {
		return nil, err
	}
	if p != "" {
		st, err := settings.Load(p)
		if err != nil {
			return nil, err
		}
		dirs = st.PolicyDirs
	}
	return append(dirs, flagDirs...), nil
}

const testUsage = `Usage: oscfg test [flags] DIR...

Runs the Rego unit tests (*_test.rego) of user policy directories, like
'opa test', with oscfg's helper library (data.oscfg.lib) available and in
the sandbox 'oscfg lint' uses. The policies are first loaded exactly as
'oscfg lint --policy DIR' loads them, so a namespace, METADATA or sandbox
problem fails here the same way.

A test is a rule whose name starts with test_ and which holds when the test
passes:

  test_fires if {
      some f in data.oscfg.user.site.deny with input as {"hosts": {...}}
      f.line == 12
  }

Tests (not policies) may build their input from real config text with
oscfg.fleet(files): files is {"HOST:/PATH": "text"} ("CLUSTER/HOST:/PATH"
for a host of a nested fleet), and the result is the input document 'oscfg
lint' would build for those files on those hosts (what 'oscfg model'
prints), made by the same loader with the default settings; nothing is
written to disk. A file that does not parse fails the test with an ERROR
naming HOST:/PATH:LINE, as does a file oscfg would not read:

  test_fires_on_real_text if {
      fs := data.oscfg.user.site.deny with input as oscfg.fleet({
          "lb1:/etc/haproxy/haproxy.cfg": "listen nova_api\n    bind 10.0.0.10:8774\n    server ctl1 10.0.0.11:8774 check\n",
      })
      count(fs) == 1
  }

Prints PASS, FAIL or ERROR for each test, then "N passed, M failed". The
print() output of a failing test follows it; --verbose shows it for every
test.

Exit status: 0 every test passed, 1 a test failed, 2 a usage error, no
tests, or a policy or test that does not load or compile.

Examples:
  oscfg test site-policies/
  oscfg test --verbose --run httpchk docs/examples/policies/site
`

func cmdTest(args []string, stdout, stderr io.Writer) (int, error) {
	fs := newFlagSet("test", testUsage, stderr)
	verbose := fs.BoolP("verbose", "v", false, "show the print() output of passing tests too")
	run := fs.String("run", "", "run only the tests whose full name (data.<package>.<test>) matches this regular expression")
	if err := parseFlags(fs, args); err != nil {
		return exitError, err
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		return exitError, usageError{"no DIR given (a directory of user policies and their *_test.rego files)"}
	}
	if *run != "" {
		if _, err := regexp.Compile(*run); err != nil {
			return exitError, usageError{"--run: " + err.Error()}
		}
	}
	ctx := context.Background()
	// The policies must load as lint loads them (namespace, METADATA,
	// sandbox); a test suite passing over a policy lint refuses helps no one.
	if _, err := engine.New(ctx, engine.Options{PolicyDirs: dirs}); err != nil {
		return exitError, err
	}
	mods, n, err := engine.TestModules(dirs)
	if err != nil {
		return exitError, err
	}
	if n == 0 {
		return exitError, fmt.Errorf("no tests: no *_test.rego file in %s (see docs/policies.md, Testing)", strings.Join(dirs, ", "))
	}
	// Tests may also call oscfg.fleet, which the rules themselves may not.
	comp := ast.NewCompiler().WithCapabilities(regotest.Capabilities(engine.Capabilities())).WithEnablePrintStatements(true)
	runner := tester.NewRunner().SetCompiler(comp).SetModules(mods).AddCustomBuiltins(regotest.Builtins()).
		CapturePrintOutput(true).RaiseBuiltinErrors(true)
	if *run != "" {
		runner = runner.Filter(*run)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return exitError, engine.CompileErrors(err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	sort.Slice(results, func(i, j int) bool {
		a, b := results[i].Location, results[j].Location
		if a == nil || b == nil {
			return a != nil
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Row < b.Row
	})
	passed, failed, skipped := 0, 0, 0
	for _, r := range results {
		name := r.Package + "." + r.Name
		where := ""
		if r.Location != nil {
			where = fmt.Sprintf(" (%s:%d)", r.Location.File, r.Location.Row)
		}
		switch {
		case r.Skip:
			skipped++
			fmt.Fprintf(stdout, "SKIP  %s%s\n", name, where)
			continue
		case r.Error != nil:
			failed++
			fmt.Fprintf(stdout, "ERROR %s%s\n", name, where)
			fmt.Fprintln(stdout, indent(r.Error.Error()))
		case r.Fail:
			failed++
			fmt.Fprintf(stdout, "FAIL  %s%s\n", name, where)
		default:
			passed++
			fmt.Fprintf(stdout, "PASS  %s\n", name)
		}
		for path, sr := range r.SubResults.Iter {
			if !sr.Fail && !*verbose {
				continue
			}
			outcome := "PASS"
			if sr.Fail {
				outcome = "FAIL"
			}
			fmt.Fprintf(stdout, "    %s %s\n", outcome, strings.Join(path, "/"))
		}
		if len(r.Output) > 0 && (*verbose || !r.Pass()) {
			fmt.Fprintln(stdout, indent(strings.TrimRight(string(r.Output), "\n")))
		}
	}
	if len(results) == 0 {
		return exitError, fmt.Errorf("no tests matched --run %q", *run)
	}
	summary := fmt.Sprintf("%d passed, %d failed", passed, failed)
	if skipped > 0 {
		summary += fmt.Sprintf(", %d skipped", skipped)
	}
	fmt.Fprintln(stdout, summary)
	if failed > 0 {
		return exitFindings, nil
	}
	return exitClean, nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
