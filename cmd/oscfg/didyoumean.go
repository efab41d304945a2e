package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/oscfg/oscfg/internal/hint"
)

// didYouMean is " (did you mean X?)" or "".
func didYouMean(word string, cands []string) string { return hint.DidYouMean(word, cands) }

// flagHint adds a did-you-mean to pflag's "unknown flag: --fomat" and
// "unknown shorthand flag" errors, from the flags fs has.
func flagHint(fs *pflag.FlagSet, err error) string {
	msg := err.Error()
	const prefix = "unknown flag: --"
	if !strings.HasPrefix(msg, prefix) {
		return msg
	}
	name := strings.TrimPrefix(msg, prefix)
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, "--"+f.Name) })
	return msg + didYouMean("--"+name, names)
}

// commandNames are the subcommands, for did-you-mean.
func commandNames() []string {
	var n []string
	for _, c := range cliCommandTable() {
		n = append(n, c.name)
	}
	return n
}
