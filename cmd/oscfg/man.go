package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/oscfg/oscfg/internal/buildinfo"
)

const manUsage = `Usage: oscfg man > oscfg.1

Prints oscfg's manual page in roff (man -l oscfg.1 shows it). It is made
from the same help texts 'oscfg <command> --help' prints, so it cannot
describe flags this binary does not have. 'make man' writes docs/oscfg.1.
`

func cmdMan(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("man", manUsage, stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{"man takes no arguments (see 'oscfg man --help')"}
	}
	writeMan(stdout, cliCommands())
	return nil
}

// roffEscape keeps text literal in roff: backslashes doubled, and a line
// starting with . or ' guarded so it is not read as a request.
func roffEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			l = `\&` + l
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func writeMan(w io.Writer, cmds []cliCommand) {
	// The page's date is the build's, so a release's page does not change
	// from one 'make man' to the next.
	date := buildinfo.Get().Date
	if len(date) >= 10 {
		date = date[:10]
	}
	fmt.Fprintf(w, ".TH OSCFG 1 %q %q \"User Commands\"\n", date, "oscfg "+buildinfo.Version())
	fmt.Fprintf(w, ".SH NAME\noscfg \\- lint and repair OpenStack HA control\\-plane configuration\n")
	fmt.Fprintf(w, ".SH SYNOPSIS\n.B oscfg\n.I command\n[\\fIflags\\fR] [\\fIPATH\\fR...]\n")
	intro, _, _ := strings.Cut(mainUsage, "\nUsage:")
	fmt.Fprintf(w, ".SH DESCRIPTION\n%s\n", roffEscape(strings.TrimSpace(intro)))
	if _, after, ok := strings.Cut(mainUsage, "\nPATH is"); ok {
		para, _, _ := strings.Cut(after, "\n\n")
		fmt.Fprintf(w, ".PP\nPATH is%s\n", roffEscape(para))
	}
	fmt.Fprintf(w, ".SH COMMANDS\n")
	for _, c := range cmds {
		fmt.Fprintf(w, ".SS %s\n%s\n", c.name, roffEscape(c.summary))
		help := strings.TrimSpace(commandHelp(c.name))
		if c.name == "version" || help == "" || strings.HasPrefix(help, "oscfg ") {
			continue // version prints itself, not a help text
		}
		fmt.Fprintf(w, ".PP\n.nf\n%s\n.fi\n", roffEscape(help))
	}
	fmt.Fprintf(w, `.SH EXIT STATUS
.TP
.B 0
nothing at or above \-\-fail\-on (default medium)
.TP
.B 1
findings at or above \-\-fail\-on
.TP
.B 2
usage error, or input that cannot be read or parsed (the message names file and line)
.SH FILES
.TP
.I oscfg.ini
settings: release, fail_on, [rules], [severity], [exclude], [ignore], [settings], policy
.SH ENVIRONMENT
.TP
.B NO_COLOR
never colour the text output
.SH SEE ALSO
.BR haproxy (1),
.BR my_print_defaults (1),
.BR oslo\-config\-validator (1)
`)
}
