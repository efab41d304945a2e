// Package oslo reads oslo.config INI files (nova.conf, keystone.conf, ...)
// exactly the way oslo_config/iniparser.py BaseParser.parse and
// cfg.ConfigParser do, while keeping every byte and the position of every
// section, key and value so fixers can edit single values in place.
package oslo

import (
	"strings"
	"unicode"

	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

// Doc is one parsed oslo.config file.
type Doc struct {
	Path     string // path as on the host, used in errors
	Lines    []parsers.Line
	Sections []*Section // in file order; a repeated header gives another *Section with the same Name
	Entries  []*Entry   // every assignment in file order
}

// Section is one `[name]` header and the block of lines it opens.
type Section struct {
	Name string // normalized group name (see NormalizeGroup)
	Raw  string // between the brackets, as written
	Line int
	// Start and HeaderEnd delimit the header line's text (without EOL).
	Start, HeaderEnd int
	// End is just after the EOL of the block's last entry, or after the
	// header's EOL when the block has no entry: where a new key goes.
	End int
}

// Entry is one assignment `key = value`, with its continuation lines.
type Entry struct {
	Section          string // normalized group (NormalizeGroup)
	Key              string // as written
	Name             string // dest: '-' read as '_'
	Value            string // quotes stripped, continuation lines joined with "\n"
	Line             int    // line of the key
	LastLine         int    // last continuation line (== Line without continuation)
	KeyStart, KeyEnd int
	Sep              string // src[KeyEnd:ValStart], e.g. " = ", "=", ": "
	// ValStart..ValEnd is the raw value text: from the first non-blank byte
	// after the separator to the end of the (right-trimmed) last line.
	ValStart, ValEnd int
	Start, End       int    // key line start .. after the EOL of the last line
	Indent           string // whitespace before the key (never space or tab: those make a continuation)
}

// NormalizeGroup is oslo's _normalize_group_name: the exact string DEFAULT
// stays, every other group name is lower-cased.
func NormalizeGroup(g string) string {
	if g == "DEFAULT" {
		return g
	}
	return strings.ToLower(g)
}

// NormalizeName is how oslo.config looks a key up: by the option's dest,
// where '-' is '_'.
func NormalizeName(k string) string { return strings.ReplaceAll(k, "-", "_") }

// isPySpace is Python's str.isspace for one rune; Go's unicode.IsSpace
// misses only the ASCII separators U+001C..U+001F.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

func pyRstrip(s string) string { return strings.TrimRightFunc(s, isPySpace) }
func pyLstrip(s string) string { return strings.TrimLeftFunc(s, isPySpace) }

// Parse parses src. Every error is a *parsers.Error with the 1-based line
// oslo.config would complain about; such a file makes the service refuse
// to start.
func Parse(path string, src []byte) (*Doc, error) {
	if err := parsers.CheckText(path, src); err != nil {
		return nil, err
	}
	d := &Doc{Path: path, Lines: parsers.SplitLines(src)}
	var sec *Section // section in effect
	var open *Entry  // assignment that may still take continuation lines
	var vals []string
	flush := func() {
		if open != nil {
			open.Value = strings.Join(vals, "\n")
			open, vals = nil, nil
		}
	}
	for _, l := range d.Lines {
		// Python reads the file with universal newlines: a lone CR is a
		// line break there, so line numbers and continuations would differ
		// from ours. Refuse rather than guess.
		if strings.IndexByte(l.Text, '\r') >= 0 {
			return nil, parsers.Errorf(path, l.No, "carriage return (CR) inside a line: oslo.config reads it as a line break")
		}
		text := pyRstrip(l.Text)
		switch {
		case text == "":
			flush() // a blank line ends a multi-line value
			continue
		case text[0] == ' ' || text[0] == '\t':
			// Checked before comments: an indented '#' is value text.
			if open == nil {
				// Its text is not quoted: it may be the rest of a secret
				// cut off by a blank line, with no key to tell.
				return nil, parsers.Errorf(path, l.No, "Unexpected continuation line (an indented line that continues no option; oslo.config refuses it)")
			}
			vals = append(vals, pyLstrip(text))
			open.LastLine, open.ValEnd, open.End = l.No, l.Start+len(text), l.Next()
			if sec != nil {
				sec.End = open.End
			}
			continue
		}
		flush()
		switch {
		case text[0] == '[':
			if !strings.HasSuffix(text, "]") {
				return nil, parsers.Errorf(path, l.No, "Invalid section (must end with ]): %q", redact.Line(text))
			}
			if len(text) <= 2 {
				return nil, parsers.Errorf(path, l.No, "Empty section name: %q", redact.Line(text))
			}
			raw := text[1 : len(text)-1] // not trimmed: oslo keeps "[ x ]" as " x "
			sec = &Section{Name: NormalizeGroup(raw), Raw: raw, Line: l.No, Start: l.Start, HeaderEnd: l.End(), End: l.Next()}
			d.Sections = append(d.Sections, sec)
		case text[0] == '#' || text[0] == ';':
			// comment: only at column 0
		default:
			e, v, err := splitKeyValue(path, l, text)
			if err != nil {
				return nil, err
			}
			if sec == nil {
				return nil, parsers.Errorf(path, l.No, "Section must be started before assignment: %q", redact.Line(text))
			}
			e.Section = sec.Name
			d.Entries = append(d.Entries, e)
			sec.End = e.End
			open, vals = e, []string{v}
		}
	}
	flush()
	return d, nil
}

// splitKeyValue is iniparser._split_key_value: the first ':' or '='
// splits; key and value are stripped; matching surrounding quotes go.
func splitKeyValue(path string, l parsers.Line, text string) (*Entry, string, error) {
	i := strings.IndexAny(text, ":=")
	if i < 0 {
		return nil, "", parsers.Errorf(path, l.No, "No ':' or '=' found in assignment: %q", redact.Line(text))
	}
	rawKey := text[:i]
	key := strings.TrimFunc(rawKey, isPySpace)
	if key == "" {
		// No key says whether the value is a secret (a deleted
		// "password"): the line is quoted up to its separator only.
		return nil, "", parsers.Errorf(path, l.No, "Key cannot be empty: %q (value not shown)", text[:i+1])
	}
	indent := len(rawKey) - len(pyLstrip(rawKey))
	rest := text[i+1:]
	val := strings.TrimFunc(rest, isPySpace)
	valOff := i + 1 + len(rest) - len(pyLstrip(rest))
	if val == "" {
		valOff = i + 1 // nothing after the separator: a new value goes right after it
	}
	e := &Entry{
		Key: key, Name: NormalizeName(key), Line: l.No, LastLine: l.No,
		KeyStart: l.Start + indent, KeyEnd: l.Start + indent + len(key),
		ValStart: l.Start + valOff, ValEnd: l.Start + len(text),
		Start: l.Start, End: l.Next(), Indent: text[:indent],
	}
	e.Sep = text[indent+len(key) : valOff]
	v := val
	if v != "" && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		// Python's value[1:-1]: a lone quote character becomes "".
		if len(v) == 1 {
			v = ""
		} else {
			v = v[1 : len(v)-1]
		}
	}
	return e, v, nil
}

// Bytes gives back the file; unedited it equals the parsed input exactly.
func (d *Doc) Bytes() []byte { return parsers.JoinLines(d.Lines) }

// Lookup returns every assignment of name in section (both normalized the
// way oslo.config does), in file order. The last one is what a single-
// valued option gets; all of them are what a MultiStrOpt gets.
func (d *Doc) Lookup(section, name string) []*Entry {
	section, name = NormalizeGroup(section), NormalizeName(name)
	var out []*Entry
	for _, e := range d.Entries {
		if e.Section == section && e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// View is the "sections" part of the oslo view of docs/model.md, with
// secret values masked. secrets lists the unmasked secrets it hid.
func (d *Doc) View() (map[string]any, []string) {
	var secrets []string
	sections := map[string]any{}
	for _, s := range d.Sections {
		if _, ok := sections[s.Name]; !ok {
			sections[s.Name] = map[string]any{"line": s.Line, "keys": map[string]any{}}
		}
	}
	for _, e := range d.Entries {
		keys := sections[e.Section].(map[string]any)["keys"].(map[string]any)
		v, sec := redact.Value(e.Name, e.Value)
		secrets = append(secrets, sec...)
		k, _ := keys[e.Name].(map[string]any)
		if k == nil {
			k = map[string]any{"all": []any{}}
			keys[e.Name] = k
		}
		k["value"], k["line"] = v, e.Line
		if sec != nil {
			k["secret"] = true
		} else {
			delete(k, "secret") // a later, non-secret occurrence wins
		}
		occ := map[string]any{"value": v, "line": e.Line}
		// Indented lines after a value continue it (iniparser.py): the
		// last one is shown, so a rule can point at lines a secret's
		// masked value no longer reveals.
		delete(k, "last_line")
		if e.LastLine > e.Line {
			k["last_line"], occ["last_line"] = e.LastLine, e.LastLine
		}
		k["all"] = append(k["all"].([]any), occ)
	}
	return map[string]any{"sections": sections}, secrets
}
