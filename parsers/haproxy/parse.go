// Package haproxy reads haproxy.cfg files the way haproxy's own config
// reader does (src/cfgparse.c readcfgfile and src/tools.c parse_line):
// statements are single lines split into words, sections start at a
// section keyword, and .if/.elif/.else/.endif blocks nest. It keeps every
// byte and position so fixes can edit one word or insert a line, and it
// builds the per-file view and the per-host effective view of docs/model.md.
//
// It checks the grammar haproxy checks before it looks at any keyword
// (quotes, escapes, variable syntax, word count, conditional nesting,
// statements outside a section, the final newline); keyword semantics are
// left to the rules.
package haproxy

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/parsers"
)

// sectionKeywords are the words that open a section, over the haproxy
// versions oscfg meets (2.x to 3.x): "program" was removed in 3.3 and
// "traces", "crt-store", "log-profile", "acme", "healthcheck" are newer
// than 2.6, but a config written for either must still be read.
var sectionKeywords = map[string]bool{
	"global": true, "defaults": true, "frontend": true, "backend": true,
	"listen": true, "userlist": true, "peers": true, "resolvers": true,
	"mailers": true, "namespace_list": true, "program": true,
	"http-errors": true, "ring": true, "cache": true, "fcgi-app": true,
	"log-forward": true, "crt-store": true, "traces": true,
	"log-profile": true, "acme": true, "healthcheck": true,
}

// Doc is one parsed haproxy config file.
type Doc struct {
	Path     string
	Lines    []parsers.Line
	Sections []*Section
}

// Section is one section: its header line and its directives.
type Section struct {
	Type string // "global", "defaults", "frontend", "backend", "listen", ...
	Name string // "" for global and anonymous defaults
	From string // defaults section named by "from"
	Line int

	Start, HeaderEnd int // byte offsets of the header line (start, end of text)
	// End is where a new directive goes: after the EOL of the section's last
	// directive (or of the .endif closing the block it sits in), or after
	// the header's EOL when the section has no directive.
	End    int
	Indent string // leading blanks of the first directive ("    " if none)

	Header     *Directive // the header line itself (Keyword is Type)
	Directives []*Directive

	condDepth int // .if depth at the header
	lastDepth int // .if depth of the statement End follows
}

// Directive is one statement inside a section.
type Directive struct {
	Line    int
	Prefix  string // "no", "default" or ""
	Keyword string // first word after the prefix
	Args    []string
	Negated bool // Prefix == "no"
	Words   []Word
	Start   int // byte offsets of the line text (without EOL)
	End     int
	// Cond lists the enclosing conditional blocks, outermost first, as
	// ".if <cond>", ".elif <cond>" or ".else"; empty when unconditional.
	// oscfg cannot evaluate most predicates, so every branch is read.
	Cond []string
}

// condFrame is one open .if block.
type condFrame struct {
	text    string // what Directive.Cond shows for its current branch
	line    int    // line of the .if
	sawElse bool
}

// Parse reads one haproxy config file. Errors are *parsers.Error with the
// line haproxy would complain about.
func Parse(path string, src []byte) (*Doc, error) {
	if err := parsers.CheckText(path, src); err != nil {
		return nil, err
	}
	doc := &Doc{Path: path, Lines: parsers.SplitLines(src)}
	var (
		cur   *Section
		conds []condFrame
	)
	condTexts := func() []string {
		if len(conds) == 0 {
			return nil
		}
		out := make([]string, len(conds))
		for i, c := range conds {
			out[i] = c.text
		}
		return out
	}
	for _, ln := range doc.Lines {
		if t := strings.TrimLeft(ln.Text, " \t\v\f\r"); strings.HasPrefix(t, "[") {
			if msg := checkScope(t); msg != "" {
				return nil, parsers.Errorf(path, ln.No, "%s", msg)
			}
			continue
		}
		words, werr := splitWords(ln.Text, ln.Start)
		if werr != nil {
			return nil, parsers.Errorf(path, ln.No, "%s", werr.msg)
		}
		// haproxy skips a line whose first word is empty (blank, comment,
		// or a leading "").
		if len(words) == 0 || words[0].Text == "" {
			continue
		}
		if kw := words[0].Text; kw[0] == '.' {
			var err error
			conds, err = condLine(path, ln.No, words, conds)
			if err != nil {
				return nil, err
			}
			if kw == ".endif" && cur != nil {
				// A block closing after the section's last directive:
				// insert after it, so a new line is as unconditional as
				// the section.
				if d := len(conds); d >= cur.condDepth && d < cur.lastDepth {
					cur.End, cur.lastDepth = ln.Next(), d
				}
			}
			continue
		}
		d := &Directive{Line: ln.No, Words: words, Start: ln.Start, End: ln.End(), Cond: condTexts()}
		d.Keyword, d.Args = words[0].Text, texts(words[1:])
		if (d.Keyword == "no" || d.Keyword == "default") && len(words) > 1 {
			d.Prefix, d.Keyword, d.Args = d.Keyword, words[1].Text, texts(words[2:])
			d.Negated = d.Prefix == "no"
		}
		if d.Prefix == "" && sectionKeywords[d.Keyword] {
			cur = newSection(d, ln, len(conds))
			doc.Sections = append(doc.Sections, cur)
			continue
		}
		if cur == nil {
			return nil, parsers.Errorf(path, ln.No, "unknown keyword '%s' out of section (a file must start with a section such as global, defaults or listen)", d.Keyword)
		}
		// A time haproxy refuses to start on: the file is not a working
		// configuration, so nothing judged over it would hold. Lines in
		// an .if block may be the branch haproxy skips, and a variable's
		// value is unknown here: both are left to haproxy -c.
		if d.Keyword == "timeout" && d.Prefix == "" && len(words) > 2 && !words[2].Env && !strings.Contains(words[2].Text, "$") && len(conds) == 0 {
			if why := TimeRefused(words[2].Text); why != "" {
				return nil, parsers.Errorf(path, ln.No, "timeout %s %s: %s: haproxy refuses to start on it; a time is digits with an optional unit (us, ms, s, m, h or d)", words[1].Text, words[2].Text, why)
			}
		}
		if len(cur.Directives) == 0 {
			cur.Indent = ln.Text[:len(ln.Text)-len(strings.TrimLeft(ln.Text, " \t"))]
		}
		cur.Directives = append(cur.Directives, d)
		cur.End, cur.lastDepth = ln.Next(), len(conds)
	}
	if len(conds) > 0 {
		top := conds[len(conds)-1]
		return nil, parsers.Errorf(path, top.line, "'.if' block is never closed: .endif missing (haproxy reports it at the end of the file)")
	}
	if n := len(doc.Lines); n > 0 && doc.Lines[n-1].EOL == "" {
		return nil, parsers.Errorf(path, n, "missing newline at end of file: haproxy refuses a last line without LF (\"file might have been truncated\")")
	}
	return doc, nil
}

func newSection(h *Directive, ln parsers.Line, depth int) *Section {
	s := &Section{
		Type: h.Keyword, Line: ln.No, Start: ln.Start, HeaderEnd: ln.End(),
		End: ln.Next(), Indent: "    ", Header: h, condDepth: depth, lastDepth: depth,
	}
	a := h.Args
	if s.Type == "defaults" && len(a) > 0 && a[0] == "from" {
		a = append([]string{""}, a...) // "defaults from X": anonymous
	}
	if len(a) > 0 {
		s.Name = a[0]
	}
	if len(a) > 2 && a[1] == "from" {
		s.From = a[2]
	}
	return s
}

func texts(ws []Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}

// condLine handles a line whose first word starts with '.': conditional
// blocks and the .diag/.notice/.warning/.alert messages. It returns the new
// block stack. Errors haproxy raises only in a branch it takes are raised
// here only outside any block: oscfg cannot tell which branch is taken.
func condLine(path string, line int, w []Word, conds []condFrame) ([]condFrame, error) {
	kw := w[0].Text
	rest := strings.Join(texts(w[1:]), " ") // haproxy rejoins the words with single spaces
	extra := func(i int) bool { return len(w) > i && w[i].Text != "" }
	switch kw {
	case ".if":
		return append(conds, condFrame{text: strings.TrimSpace(".if " + rest), line: line}), nil
	case ".elif", ".else", ".endif":
		if kw != ".elif" && extra(1) {
			return nil, parsers.Errorf(path, line, "unexpected argument '%s' for '%s'", w[1].Text, kw)
		}
		if len(conds) == 0 {
			return nil, parsers.Errorf(path, line, "lone '%s' with no matching '.if'", kw)
		}
		top := &conds[len(conds)-1]
		if kw == ".endif" {
			return conds[:len(conds)-1], nil
		}
		if top.sawElse {
			return nil, parsers.Errorf(path, line, "'%s' after '.else' is not permitted", kw)
		}
		if kw == ".else" {
			top.sawElse, top.text = true, ".else"
		} else {
			top.text = strings.TrimSpace(".elif " + rest)
		}
		return conds, nil
	case ".diag", ".notice", ".warning", ".alert":
		if len(conds) > 0 {
			return conds, nil
		}
		if extra(2) {
			return nil, parsers.Errorf(path, line, "unexpected argument '%s' for '%s' (quote the message if it has spaces)", w[2].Text, kw)
		}
		if kw == ".alert" {
			msg := ""
			if len(w) > 1 {
				msg = w[1].Text
			}
			return nil, parsers.Errorf(path, line, ".alert outside any .if block stops haproxy: %q", msg)
		}
		return conds, nil
	}
	if len(conds) > 0 {
		return conds, nil
	}
	return nil, parsers.Errorf(path, line, "unknown directive '%s'", kw)
}

// checkScope validates a "[name]" scope line (cfg_parse_scope): a
// non-empty name of haproxy's identifier characters, then nothing but
// blanks or a comment.
func checkScope(t string) string {
	end := strings.IndexByte(t, ']')
	if end <= 1 {
		return "empty scope name is forbidden"
	}
	for i := 1; i < end; i++ {
		if c := t[i]; !isAlnum(c) && !strings.ContainsRune("-_.:", rune(c)) {
			return fmt.Sprintf("character '%c' is not permitted in a scope name", c)
		}
	}
	after := strings.TrimLeft(t[end+1:], " \t\v\f\r")
	if after != "" && after[0] != '#' {
		return fmt.Sprintf("character '%c' is not permitted after scope declaration", after[0])
	}
	return ""
}

// Bytes gives back the file exactly as read.
func (d *Doc) Bytes() []byte { return parsers.JoinLines(d.Lines) }
