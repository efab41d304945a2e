// Package hint suggests the name a typo most likely meant, for the
// command line and for oscfg.ini.
package hint

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/registry"
)

// Closest is the candidate nearest to word when it is close enough to be
// the likely typo (at most a third of its length, at least 1, at most 3
// edits), else "".
func Closest(word string, cands []string) string {
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

// DidYouMean is " (did you mean X?)" or "".
func DidYouMean(word string, cands []string) string {
	if c := Closest(word, cands); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", c)
	}
	return ""
}
