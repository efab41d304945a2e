package registry

import (
	"math/bits"
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
	ix := s.index()
	q := newProbe(name)
	var in []Suggestion
	seen := map[string]bool{}
	try := func(c cand) {
		if !seen[c.name] {
			seen[c.name] = true
			if d, ok := q.near(c); ok {
				in = append(in, Suggestion{Group: group, Name: c.name, Distance: d})
			}
		}
	}
	for _, c := range ix.byGroup[group] {
		try(c)
	}
	for _, n := range extra {
		try(newCand("", n))
	}
	if out := closest(name, in); out != nil {
		return out
	}
	var other []Suggestion
	for l := max(q.runes-q.limit, 0); l <= q.runes+q.limit && l < len(ix.byLen); l++ {
		for _, c := range ix.byLen[l] {
			if c.group == group {
				continue
			}
			if d, ok := q.near(c); ok {
				other = append(other, Suggestion{Group: c.group, Name: c.name, Distance: d})
			}
		}
	}
	return closest(name, other)
}

// SuggestGroup returns the known groups closest to an unknown group name.
func (s *Service) SuggestGroup(group string) []Suggestion {
	q := newProbe(group)
	var cands []Suggestion
	for _, c := range s.index().groups {
		if d, ok := q.near(c); ok {
			cands = append(cands, Suggestion{Group: c.name, Distance: d})
		}
	}
	return closest(group, cands)
}

// A file can hold hundreds of thousands of unknown names, and each is
// compared with every option of the service: the comparisons must be
// cheap. Candidates carry their length and character set, so most are
// ruled out by two lower bounds on the distance before Distance runs.
type cand struct {
	group, name string
	runes       int
	chars       uint64 // charBits of the lower-cased name
}

func newCand(group, name string) cand {
	return cand{group, name, len([]rune(name)), charBits(name)}
}

// charBits maps each character of the lower-cased s to a bit (letters,
// digits and '_', '-', '.' to bits of their own, the rest shared). Every
// edit removes at most one distinct character, so the characters of one
// name missing from the other bound Distance from below; a shared bit only
// weakens the bound.
func charBits(s string) uint64 {
	var m uint64
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			m |= 1 << (r - 'a')
		case r >= '0' && r <= '9':
			m |= 1 << (26 + r - '0')
		case r == '_':
			m |= 1 << 36
		case r == '-':
			m |= 1 << 37
		case r == '.':
			m |= 1 << 38
		default:
			m |= 1 << (39 + uint(r)%25)
		}
	}
	return m
}

// probe is a name being looked up, with its distance limit.
type probe struct {
	cand
	limit int
}

func newProbe(name string) probe { return probe{newCand("", name), maxDistance(name)} }

// near returns Distance to c when it is at most the limit.
func (q probe) near(c cand) (int, bool) {
	if q.runes-c.runes > q.limit || c.runes-q.runes > q.limit ||
		bits.OnesCount64(q.chars&^c.chars) > q.limit || bits.OnesCount64(c.chars&^q.chars) > q.limit {
		return 0, false
	}
	d := Distance(q.name, c.name)
	return d, d <= q.limit
}

// suggestIndex holds a service's names as candidates: per group, all
// options by length, and the group names.
type suggestIndex struct {
	byGroup map[string][]cand
	byLen   [][]cand
	groups  []cand
}

func (s *Service) index() *suggestIndex {
	s.ixOnce.Do(func() {
		ix := &suggestIndex{byGroup: map[string][]cand{}}
		for g, opts := range s.groups {
			ix.groups = append(ix.groups, newCand("", g))
			for n := range opts {
				c := newCand(g, n)
				ix.byGroup[g] = append(ix.byGroup[g], c)
				for len(ix.byLen) <= c.runes {
					ix.byLen = append(ix.byLen, nil)
				}
				ix.byLen[c.runes] = append(ix.byLen[c.runes], c)
			}
		}
		s.ix = ix
	})
	return s.ix
}
