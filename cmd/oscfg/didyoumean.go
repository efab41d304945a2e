package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/oscfg/oscfg/registry"
)

// closest is the candidate nearest to word when it is close enough to be
// the likely typo (at most a third of its length, at least 1, at most 3
// edits), else "".
func closest(word string, cands []string) string {
	limit := len(word) / 3
	if limit < 1 {
		limit = 1
	}
	if limit > 3 {
		limit = 3
	}
	best, bestD := "", limit+1
	for _, c := range cands {
		if d := registry.Distance(strings.ToLower(word), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean is " (did you mean X?)" or "".
func didYouMean(word string, cands []string) string {
	if c := closest(word, cands); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", c)
	}
	return ""
}

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
