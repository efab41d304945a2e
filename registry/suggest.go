package registry

import (
	"sort"
	"strings"
)

// Suggestion is a known option (or group, Name empty) close to an unknown
// one.
type Suggestion struct {
	Group    string `json:"group"`
	Name     string `json:"key,omitempty"`
	Distance int    `json:"distance"`
}

// Distance is the optimal string alignment distance between a and b
// (Levenshtein plus transposition of two adjacent characters, the usual
// typo: "retires" for "retries" is 1). A difference of case only counts
// 1: oslo.config matches names exactly, so "Debug" is not "debug".
func Distance(a, b string) int {
	if a == b {
		return 0
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la == lb {
		return 1
	}
	x, y := []rune(la), []rune(lb)
	// Three rolling rows: i-2, i-1, i.
	pp, p, c := make([]int, len(y)+1), make([]int, len(y)+1), make([]int, len(y)+1)
	for j := range p {
		p[j] = j
	}
	for i := 1; i <= len(x); i++ {
		c[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			c[j] = min(p[j]+1, c[j-1]+1, p[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				c[j] = min(c[j], pp[j-2]+1)
			}
		}
		pp, p, c = p, c, pp
	}
	return p[len(y)]
}

// near is Distance when it can be at most limit, else limit+1 (names
// whose lengths differ by more are not compared).
func near(a, b string, limit int) int {
	la, lb := len([]rune(a)), len([]rune(b))
	if la-lb > limit || lb-la > limit {
		return limit + 1
	}
	return Distance(a, b)
}

// maxDistance is how far a name may be from a suggestion: 1 for short
// names, 2 up to 8 characters, 3 beyond (a third of the name at most).
func maxDistance(name string) int {
	n := len([]rune(name))
	switch {
	case n <= 4:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// closest keeps the candidates at the smallest distance within limit.
func closest(name string, cands []Suggestion) []Suggestion {
	limit := maxDistance(name)
	best := limit + 1
	var out []Suggestion
	for _, c := range cands {
		switch {
		case c.Distance < best:
			best, out = c.Distance, []Suggestion{c}
		case c.Distance == best:
			out = append(out, c)
		}
	}
	if best > limit {
		return nil
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Suggest returns the known options closest to name (unknown in group),
// nearest first and all of them when several are as near: those of group
// itself when any is close enough, else options of that name (or close to
// it) in other groups, which says the option is set in the wrong section.
// extra are more names group takes (plugin and dynamic options Annotate
// resolved for the file).
func (s *Service) Suggest(group, name string, extra ...string) []Suggestion {
	limit := maxDistance(name)
	var in []Suggestion
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			if d := near(name, n, limit); d <= limit {
				in = append(in, Suggestion{Group: group, Name: n, Distance: d})
			}
		}
	}
	for n := range s.groups[group] {
		add(n)
	}
	for _, n := range extra {
		add(n)
	}
	if out := closest(name, in); out != nil {
		return out
	}
	var other []Suggestion
	for g, opts := range s.groups {
		if g == group {
			continue
		}
		for n := range opts {
			if d := near(name, n, limit); d <= limit {
				other = append(other, Suggestion{Group: g, Name: n, Distance: d})
			}
		}
	}
	return closest(name, other)
}

// SuggestGroup returns the known groups closest to an unknown group name.
func (s *Service) SuggestGroup(group string) []Suggestion {
	limit := maxDistance(group)
	var cands []Suggestion
	for g := range s.groups {
		if d := near(group, g, limit); d <= limit {
			cands = append(cands, Suggestion{Group: g, Distance: d})
		}
	}
	return closest(group, cands)
}
