// Package mycnf reads MariaDB/MySQL option files (my.cnf, galera.cnf, the
// files of /etc/my.cnf.d) the way MariaDB's mysys/my_default.c
// (search_default_file_with_ext) does, keeping every byte and the position
// of every group, option and value.
package mycnf

import (
	"strings"

	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

// Doc is one parsed option file.
type Doc struct {
	Path     string // path as on the host (errors, views)
	Source   string // where it was read on disk ("" when not from Load)
	Lines    []parsers.Line
	Groups   []*Group // in file order; a repeated header gives another *Group
	Options  []*Option
	Includes []*Include
}

// Group is one `[name]` header and its block.
type Group struct {
	Name string // as MariaDB reads it: up to the first ']', trailing blanks removed
	Line int
	// Start and HeaderEnd delimit the header line's text (without EOL).
	Start, HeaderEnd int
	// End is just after the EOL of the block's last option, or after the
	// header's EOL when it has none: where a new option goes.
	End int
}

// Option is one `name[=value]` line.
type Option struct {
	Group    string // group name as in Group.Name
	Name     string // normalized: loose- prefix removed, '-' read as '_'
	RawName  string
	Value    string // quotes stripped, escapes decoded, trailing # comment removed
	HasValue bool   // false for a bare boolean option like skip-name-resolve
	Loose    bool
	Line     int
	// NameStart..NameEnd is the raw name; ValStart..ValEnd the raw value
	// (quotes included, comment and trailing blanks excluded). Without a
	// value, ValStart = ValEnd = NameEnd; with an empty value both are just
	// after the '='.
	NameStart, NameEnd, ValStart, ValEnd int
	Sep                                  string // src[NameEnd:ValStart], e.g. " = "
	Start, End                           int    // line start .. after its EOL
}

// Include is a `!include FILE` or `!includedir DIR` directive.
type Include struct {
	Directive string // "!include" or "!includedir"
	Path      string // the path MariaDB uses (see directiveArg)
	Line      int
	docs      []*Doc // what Load read for it, in order (nil outside Load)
}

// maxLine is what one fgets() in my_default.c reads (buff[4096], size-1,
// NUL): a longer line is read as several lines. Rather than mimic that, such
// a line is refused.
const maxLine = 4094

// isSpace is my_isspace on ASCII. (latin1 also counts 0xA0 as space, which
// would split a UTF-8 NBSP in two; not mimicked.)
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func trimLeft(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func trimRight(s string, from, end int) int {
	for end > from && isSpace(s[end-1]) {
		end--
	}
	return end
}

// Parse parses one option file without following its includes. Errors are
// *parsers.Error with the line MariaDB reports; they are fatal for mysqld.
func Parse(path string, src []byte) (*Doc, error) {
	if err := parsers.CheckText(path, src); err != nil {
		return nil, err
	}
	d := &Doc{Path: path, Lines: parsers.SplitLines(src)}
	var grp *Group
	for _, l := range d.Lines {
		if len(l.Text)+len(l.EOL) > maxLine+1 {
			return nil, parsers.Errorf(path, l.No, "line is longer than %d bytes: MariaDB would read it as several lines", maxLine)
		}
		t := l.Text
		p := trimLeft(t, 0)
		if p == len(t) || t[p] == '#' || t[p] == ';' {
			continue
		}
		switch t[p] {
		case '!':
			inc, err := directive(path, l, p)
			if err != nil {
				return nil, err
			}
			if inc != nil {
				d.Includes = append(d.Includes, inc)
			}
			continue
		case '[':
			end := strings.IndexByte(t[p+1:], ']')
			if end < 0 {
				return nil, parsers.Errorf(path, l.No, "Wrong group definition: no closing ']'")
			}
			// Leading blanks stay ("[ mysqld]" is not mysqld); text after
			// ']' is ignored.
			name := t[p+1 : trimRight(t, p+1, p+1+end)]
			grp = &Group{Name: name, Line: l.No, Start: l.Start, HeaderEnd: l.End(), End: l.Next()}
			d.Groups = append(d.Groups, grp)
			continue
		}
		if grp == nil {
			return nil, parsers.Errorf(path, l.No, "Found option without preceding group")
		}
		o := option(t, p)
		o.Group, o.Line = grp.Name, l.No
		o.NameStart += l.Start
		o.NameEnd += l.Start
		o.ValStart += l.Start
		o.ValEnd += l.Start
		o.Start, o.End = l.Start, l.Next()
		d.Options = append(d.Options, o)
		grp.End = o.End
	}
	return d, nil
}

// directive reads a `!` line starting at t[p]. Unknown directives are
// ignored, as MariaDB does.
func directive(path string, l parsers.Line, p int) (*Include, error) {
	t := l.Text
	q := trimLeft(t, p+1)
	word := ""
	for _, w := range []string{"includedir", "include"} {
		// The keyword must be followed by a blank; a bare "!include" at the
		// end of a line with EOL counts too (fgets keeps the '\n').
		if strings.HasPrefix(t[q:], w) && (q+len(w) < len(t) && isSpace(t[q+len(w)]) || q+len(w) == len(t) && l.EOL != "") {
			word = w
			break
		}
	}
	if word == "" {
		return nil, nil
	}
	arg := directiveArg(t[q+len(word):], l.EOL)
	if arg == "" {
		return nil, parsers.Errorf(path, l.No, "Wrong '!%s' directive: no path", word)
	}
	return &Include{Directive: "!" + word, Path: arg, Line: l.No}, nil
}

// directiveArg is get_argument(): it drops the last character of the line
// as read by fgets, assuming it is the '\n', then trailing blanks. On a last
// line without newline that eats the path's last character, so
// "!includedir /etc/my.cnf.d" at EOF reads /etc/my.cnf. (checked with
// my_print_defaults 10.11).
func directiveArg(rest, eol string) string {
	s := rest + eol
	i := trimLeft(s, 0)
	if i == len(s) {
		return ""
	}
	s = s[:len(s)-1]
	return s[i:trimRight(s, i, len(s))]
}

// option parses the option text of line t starting at p (non-blank).
// Offsets in the result are relative to t.
func option(t string, p int) *Option {
	end := CommentStart(t, p)
	o := &Option{}
	eq := strings.IndexByte(t[p:end], '=')
	nameEnd := end
	if eq >= 0 {
		nameEnd = p + eq
	}
	nameEnd = trimRight(t, p, nameEnd)
	o.RawName = t[p:nameEnd]
	o.NameStart, o.NameEnd = p, nameEnd
	o.Name, o.Loose = normalize(o.RawName)
	if eq < 0 {
		o.ValStart, o.ValEnd = nameEnd, nameEnd
		return o
	}
	o.HasValue = true
	vs := trimLeft(t[:end], p+eq+1)
	ve := trimRight(t, vs, end)
	if vs == ve {
		vs, ve = p+eq+1, p+eq+1 // empty: a value would go right after '='
	}
	o.ValStart, o.ValEnd = vs, ve
	o.Sep = t[nameEnd:vs]
	o.Value = unquote(t[vs:ve])
	return o
}

// CommentStart is remove_end_comment(): the offset of the first '#'
// outside quotes at or after p, or len(t). A backslash protects a quote only
// inside quotes; ';' is never a comment.
func CommentStart(t string, p int) int {
	var quote byte
	escape := false
	for i := p; i < len(t); i++ {
		c := t[i]
		if (c == '\'' || c == '"') && !escape {
			if quote == 0 {
				quote = c
			} else if quote == c {
				quote = 0
			}
		}
		if quote == 0 && c == '#' {
			return i
		}
		escape = quote != 0 && c == '\\' && !escape
	}
	return len(t)
}

// unquote strips one pair of matching quotes around a value longer than one
// byte and decodes \n \t \r \b \s \" \' \\ (an unknown escape and a final
// backslash stay as written). An unterminated quote is not an error for
// MariaDB: the quote character simply stays in the value.
func unquote(v string) string {
	if len(v) > 1 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i == len(v)-1 {
			b.WriteByte(v[i])
			continue
		}
		i++
		switch v[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 's':
			b.WriteByte(' ')
		case '"', '\'', '\\':
			b.WriteByte(v[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

// normalize is how my_getopt matches an option: a loose- (or loose_) prefix
// only turns errors into warnings, and '-' and '_' are the same.
func normalize(raw string) (string, bool) {
	n := strings.ReplaceAll(raw, "-", "_")
	if strings.HasPrefix(n, "loose_") {
		return n[len("loose_"):], true
	}
	return n, false
}

// Bytes gives back the file; unedited it equals the parsed input exactly.
func (d *Doc) Bytes() []byte { return parsers.JoinLines(d.Lines) }

// rawValue is an option's value as the file writes it (quotes and
// backslash escapes kept), and without its quotes: what a diff shows.
func (d *Doc) rawValue(o *Option) []string {
	if o.Line < 1 || o.Line > len(d.Lines) {
		return nil
	}
	l := d.Lines[o.Line-1]
	s, e := o.ValStart-l.Start, o.ValEnd-l.Start
	if s < 0 || e > len(l.Text) || s >= e {
		return nil
	}
	r := l.Text[s:e]
	out := []string{r}
	if len(r) > 1 && (r[0] == '"' || r[0] == '\'') && r[len(r)-1] == r[0] {
		out = append(out, r[1:len(r)-1])
	}
	return out
}

// maskBlankName masks what follows the first word of an option name
// without '=' when that word names a secret ("password S3cret"), and
// returns it.
func maskBlankName(raw string) (string, string) {
	i := strings.IndexAny(raw, " \t")
	if i < 0 || !redact.IsSecretKey(strings.TrimPrefix(strings.TrimPrefix(raw[:i], "loose-"), "loose_")) {
		return raw, ""
	}
	rest := strings.TrimLeft(raw[i:], " \t")
	return raw[:len(raw)-len(rest)] + redact.Mask, rest
}

// View is the per-file part of the mycnf view of docs/model.md ("groups",
// "includes"), secrets masked; it also returns the secrets it masked.
func (d *Doc) View() (map[string]any, []string) {
	var secrets []string
	groups := []any{}
	byGroup := map[*Group][]any{}
	gi := 0
	for _, o := range d.Options {
		for gi < len(d.Groups)-1 && d.Groups[gi+1].Line < o.Line {
			gi++
		}
		v, sec := maskValue(o.Name, o.Value)
		secrets = append(secrets, sec...)
		if sec != nil && o.Name != "wsrep_provider_options" {
			secrets = append(secrets, d.rawValue(o)...)
		}
		name, rawName := o.Name, o.RawName
		if !o.HasValue {
			// "password S3cret" (no '='): the server reads one option
			// name with a blank in it, but the second word is a password.
			if mn, ms := maskBlankName(o.RawName); ms != "" {
				rawName, name = mn, redact.Line(o.Name)
				secrets = append(secrets, ms)
			}
		}
		m := map[string]any{"name": name, "raw_name": rawName, "value": v,
			"has_value": o.HasValue, "loose": o.Loose, "line": o.Line}
		if sec != nil {
			m["secret"] = true
		}
		byGroup[d.Groups[gi]] = append(byGroup[d.Groups[gi]], m)
	}
	for _, g := range d.Groups {
		opts := byGroup[g]
		if opts == nil {
			opts = []any{}
		}
		groups = append(groups, map[string]any{"name": g.Name, "line": g.Line, "server": IsServerGroup(g.Name), "options": opts})
	}
	incs := []any{}
	for _, in := range d.Includes {
		incs = append(incs, map[string]any{"directive": in.Directive, "path": in.Path, "line": in.Line})
	}
	return map[string]any{"groups": groups, "includes": incs}, secrets
}
