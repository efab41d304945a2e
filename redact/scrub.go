package redact

import (
	"strings"
)

// MinSecret is the shortest secret the scrub replaces: shorter ones ("ab")
// are too likely to be a whole word of some message; they are masked at
// their source anyway.
const MinSecret = 4

// Scrubber replaces every known secret in text, as whole tokens only: a
// match must not continue a word on either side, so the secret "admin"
// masks "admin" and "ops:admin@" but leaves "keystone_admin_cluster"
// alone. Build one per run from the secrets every parsed file reported.
type Scrubber struct {
	first  [256]*trieNode // by a secret's first byte: most bytes start none
	maxLen int
}

type trieNode struct {
	next map[byte]*trieNode
	end  bool // a secret ends here
}

// isWord is a byte that continues a token: letters, digits, '_', '-' and
// any byte of a non-ASCII rune. '.', ':', '@', quotes and blanks end one.
func isWord(c byte) bool {
	return c >= 0x80 || c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// NewScrubber builds a scrubber. A secret spanning lines (an oslo value
// continued on indented lines) is also scrubbed line by line, since a
// diff shows its lines apart. Secrets under MinSecret bytes, the mask
// itself and boolean-like literals are left out.
func NewScrubber(secrets []string) *Scrubber {
	s := &Scrubber{}
	add := func(v string) {
		v = strings.TrimSpace(v)
		if len(v) < MinSecret || strings.Contains(v, Mask) || isLiteral(v) {
			return
		}
		n := s.first[v[0]]
		if n == nil {
			n = &trieNode{}
			s.first[v[0]] = n
		}
		for i := 1; i < len(v); i++ {
			c := n.next[v[i]]
			if c == nil {
				if n.next == nil {
					n.next = map[byte]*trieNode{}
				}
				c = &trieNode{}
				n.next[v[i]] = c
			}
			n = c
		}
		n.end = true
		s.maxLen = max(s.maxLen, len(v))
	}
	for _, v := range secrets {
		add(v)
		if strings.Contains(v, "\n") {
			for _, part := range strings.Split(v, "\n") {
				add(part)
			}
		}
	}
	return s
}

// match returns the length of the longest secret at text[i:] that ends a
// token there, or 0.
func (s *Scrubber) match(text string, i int) int {
	best := 0
	n := s.first[text[i]]
	for j := i; n != nil; {
		if n.end && (j+1 == len(text) || !isWord(text[j+1]) || !isWord(text[j])) {
			best = j + 1 - i
		}
		if j++; j == len(text) {
			break
		}
		n = n.next[text[j]]
	}
	return best
}

// String scrubs v.
func (s *Scrubber) String(v string) string {
	if s == nil || s.maxLen == 0 {
		return v
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(v); i++ {
		// A token starts here only after a non-word byte, unless the
		// secret itself starts with one.
		if i > 0 && isWord(v[i-1]) && isWord(v[i]) {
			continue
		}
		if s.first[v[i]] == nil {
			continue
		}
		if n := s.match(v, i); n > 0 {
			if b.Len() == 0 {
				b.Grow(len(v))
			}
			b.WriteString(v[last:i])
			b.WriteString(Mask)
			i += n - 1
			last = i + 1
		}
	}
	if last == 0 {
		return v
	}
	b.WriteString(v[last:])
	return b.String()
}

// Text scrubs raw configuration text, such as a diff or a file excerpt:
// the known secrets by token, then, line by line, whatever Line recognises
// by its shape (which also catches secrets too short for the scrub).
func (s *Scrubber) Text(v string) string {
	v = s.String(v)
	lines := strings.SplitAfter(v, "\n")
	for i, l := range lines {
		body := strings.TrimRight(l, "\r\n")
		lines[i] = Line(body) + l[len(body):]
	}
	return strings.Join(lines, "")
}

// Tree scrubs, in place, every string of a JSON-like document (maps,
// slices, strings), map keys included, and returns it.
func (s *Scrubber) Tree(v any) any {
	switch x := v.(type) {
	case string:
		return s.String(x)
	case map[string]any:
		for k, e := range x {
			nk := s.String(k)
			if nk != k {
				delete(x, k)
			}
			x[nk] = s.Tree(e)
		}
	case []any:
		for i, e := range x {
			x[i] = s.Tree(e)
		}
	case []string:
		for i, e := range x {
			x[i] = s.String(e)
		}
	}
	return v
}
