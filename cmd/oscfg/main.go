// Command oscfg lints and repairs the configuration of OpenStack HA
// control planes: nova.conf, keystone.conf, haproxy.cfg, galera.cnf /
// my.cnf and crontabs, on one host or a whole fleet.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/oscfg/oscfg/internal/buildinfo"
	"github.com/oscfg/oscfg/lint"
)

// exit codes: 0 clean, 1 findings at or above --fail-on,
// 2 usage or input error.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

// usageError marks errors that are the caller's, printed with a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const mainUsage = `oscfg lints and repairs OpenStack HA control-plane configuration:
nova.conf, keystone.conf, haproxy.cfg, galera.cnf/my.cnf and crontabs, on one
host or a whole fleet, with rules written in Rego.

Usage:
  oscfg <command> [flags] [PATH...]

Commands:
  lint        check hosts or files and print findings (exit 1 when any is at or above --fail-on)
  report      write an audit report of the findings (default: one HTML page; exit 0 on findings)
  fix         print the fixes as a unified diff; --write applies the safe ones atomically
  rules       list every rule with its id, severity and fix class
  explain     print a rule's rationale, fix and references
  model       print the input document the rules read, as JSON
  files       list the configuration files oscfg reads under PATH
  test        run the Rego tests (*_test.rego) of user policy directories
  version     print the version, commit and build date
  completion  print a shell completion script (bash, zsh, fish)
  man         print the manual page (roff), made from this help

PATH is a host root (a directory holding etc/), a fleet (a directory of host
roots, as 'ansible -m fetch' or sosreports leave them), / on a live host, or
single config files.

Examples:
  oscfg lint fleet/                      # every host under fleet/
  oscfg lint --format json / > out.json  # this host, machine-readable
  oscfg lint --release queens fleet/     # rules as they apply to Queens
  oscfg explain OSC-HAP-001
  oscfg model fleet/ctl1 | jq '.hosts[].haproxy.proxies'

Run 'oscfg <command> --help' for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage)
		return exitError
	}
	cmd, rest := args[0], args[1:]
	var err error
	code := exitClean
	switch cmd {
	case "lint":
		code, err = cmdLint(rest, stdout, stderr)
	case "report":
		code, err = cmdReport(rest, stdout, stderr)
	case "fix":
		code, err = cmdFix(rest, stdout, stderr)
	case "rules":
		err = cmdRules(rest, stdout, stderr)
	case "explain":
		err = cmdExplain(rest, stdout, stderr)
	case "model":
		err = cmdModel(rest, stdout, stderr)
	case "test":
		code, err = cmdTest(rest, stdout, stderr)
	case "files":
		err = cmdFiles(rest, stdout, stderr)
	case "completion":
		err = cmdCompletion(rest, stdout, stderr)
	case "man":
		err = cmdMan(rest, stdout, stderr)
	case "version", "--version", "-V":
		printVersion(stdout)
	case "help", "-h", "--help":
		if len(rest) > 0 {
			return run([]string{rest[0], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, mainUsage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q%s", cmd, didYouMean(cmd, commandNames()))}
	}
	if err != nil {
		if errors.Is(err, errHelp) {
			return exitClean
		}
		fmt.Fprintln(stderr, "oscfg: "+strings.ReplaceAll(err.Error(), "\n", "\noscfg: "))
		var ue usageError
		var lue lint.UsageError
		if errors.As(err, &ue) || errors.As(err, &lue) {
			// The hint names the help that answers the question.
			help := "oscfg --help"
			if slices.Contains(commandNames(), cmd) {
				help = "oscfg " + cmd + " --help"
			}
			fmt.Fprintf(stderr, "Run '%s' for usage.\n", help)
		}
		return exitError
	}
	return code
}

// printVersion: the version, then commit and date when known, one per line
// as `key: value` so scripts can pick one.
func printVersion(w io.Writer) {
	in := buildinfo.Get()
	fmt.Fprintln(w, "oscfg", in.Version)
	if in.Commit != "" {
		fmt.Fprintln(w, "commit:", in.Commit)
	}
	if in.Date != "" {
		fmt.Fprintln(w, "date:", in.Date)
	}
	fmt.Fprintln(w, "go:", runtime.Version())
}
