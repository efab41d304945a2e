package dialect

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/haproxy"
)

// haproxyDialect: haproxy.cfg and the files of its -f list.
type haproxyDialect struct{}

func init() { register(haproxyDialect{}) }

func (haproxyDialect) Kind() string { return model.KindHAProxy }
func (haproxyDialect) Name() string { return "haproxy" }

func (haproxyDialect) Reads(doc model.Document) bool {
	_, ok := doc.(*haproxy.Doc)
	return ok
}

func (haproxyDialect) Parse(src Source) (model.Document, error) {
	d, err := haproxy.Parse(src.Path, src.Data)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (h haproxyDialect) Reparse(_ model.Document, path string, data []byte) (model.Document, error) {
	return h.Parse(Source{Path: path, Data: data})
}

func (haproxyDialect) Lines(doc model.Document) []parsers.Line {
	if d, ok := doc.(*haproxy.Doc); ok {
		return d.Lines
	}
	return nil
}

func (haproxyDialect) EntryEnd(_ model.Document, line int) int { return line }

// IsCommentLine: '#' after leading blanks.
func (haproxyDialect) IsCommentLine(l string) bool {
	t := strings.TrimLeft(l, " \t")
	return t != "" && t[0] == '#'
}

func (haproxyDialect) TrailingComments() bool { return true }

// TrailingComment: a '#' outside quotes and not escaped with a backslash
// (which has no effect inside single quotes).
func (haproxyDialect) TrailingComment(l string) int {
	sq, dq := false, false
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == '\\' && !sq:
			i++
		case c == '\'' && !dq:
			sq = !sq
		case c == '"' && !sq:
			dq = !dq
		case c == '#' && !sq && !dq:
			return i
		}
	}
	return -1
}

func (haproxyDialect) ValueWord() string { return "value" }
func (haproxyDialect) Ops() []string {
	return []string{"comment_out", "haproxy_set", "haproxy_append"}
}
func (haproxyDialect) Normalize(s, k string) (string, string) { return plainNormalize(s, k) }
func (haproxyDialect) Checker() string                        { return "haproxy -c" }
func (haproxyDialect) Reload(_, hostPath string) string {
	return "reload haproxy (after `haproxy -c -f " + hostPath + "`)"
}

// HAProxyTime reads a time in haproxy's syntax ("1m", "50s", "90": ms),
// as the fix ops setting timeouts carry them.
func HAProxyTime(s string) (ms int64, ok bool) { return haproxy.ParseTime(s) }

// Edits performs comment_out, haproxy_set and haproxy_append.
//
// haproxy_set sets a directive (keyword may be several words, "timeout
// client") in the named proxy's own section, replacing its arguments where
// the proxy sets it, else adding a line at the end of the section with the
// section's indentation. A value the proxy inherits from defaults is
// overridden in the proxy, never changed in the defaults that other
// proxies share.
func (h haproxyDialect) Edits(doc model.Document, src []byte, op map[string]any) ([]Edit, error) {
	d, ok := doc.(*haproxy.Doc)
	if !ok {
		return nil, fmt.Errorf("not a haproxy file")
	}
	if err := oneLine(op); err != nil {
		return nil, err
	}
	switch str(op, "op") {
	case "comment_out":
		return commentOut(h, doc, src, op)
	case "haproxy_append":
		return haproxyAppend(d, op)
	case "haproxy_set":
	default:
		return nil, fmt.Errorf("op %q does not apply to haproxy files", str(op, "op"))
	}
	name, kw := str(op, "section"), strings.Fields(str(op, "keyword"))
	if len(kw) == 0 {
		return nil, fmt.Errorf("haproxy_set without keyword")
	}
	args := words(op, "args")
	if err := lineBreak("args", args); err != nil {
		return nil, err
	}
	var sec *haproxy.Section
	for _, s := range d.Sections {
		if s.Name == name && (s.Type == "frontend" || s.Type == "backend" || s.Type == "listen") {
			sec = s
		}
	}
	if sec == nil {
		return nil, fmt.Errorf("no proxy %q in this file", name)
	}
	var hit *haproxy.Directive
	for _, dir := range sec.Directives {
		if dir.Negated || dir.Prefix != "" || dir.Keyword != kw[0] || len(dir.Args) < len(kw)-1 || len(dir.Cond) > 0 {
			continue
		}
		if strings.Join(dir.Args[:len(kw)-1], " ") == strings.Join(kw[1:], " ") {
			hit = dir
		}
	}
	value := strings.Join(args, " ")
	if hit != nil {
		first := len(kw) // index in Words of the first argument after the keyword words
		if first >= len(hit.Words) {
			end := hit.Words[len(hit.Words)-1].End
			return []Edit{{Start: end, End: end, New: " " + value}}, nil
		}
		return []Edit{{Start: hit.Words[first].Start, End: hit.Words[len(hit.Words)-1].End, New: value}}, nil
	}
	indent := sec.Indent
	if indent == "" {
		indent = "    "
	}
	return []Edit{insertLine(src, sec.End, indent+strings.Join(kw, " ")+" "+value, eolOf(d.Lines))}, nil
}

// haproxyAppend performs haproxy_append: add words at the end of the
// directive on a given line (before any trailing comment), e.g. `check` on
// a server line. Words the directive already has are not added again.
func haproxyAppend(d *haproxy.Doc, op map[string]any) ([]Edit, error) {
	line := model.AsInt(op["line"])
	add := words(op, "words")
	if len(add) == 0 {
		return nil, fmt.Errorf("haproxy_append without words")
	}
	for _, sec := range d.Sections {
		for _, dir := range sec.Directives {
			if dir.Line != line {
				continue
			}
			have := map[string]bool{}
			for _, w := range dir.Words {
				have[w.Text] = true
			}
			var missing []string
			for _, w := range add {
				if !have[w] {
					missing = append(missing, w)
				}
			}
			if len(missing) == 0 {
				return nil, nil
			}
			if err := lineBreak("words", missing); err != nil {
				return nil, err
			}
			end := dir.Words[len(dir.Words)-1].End
			return []Edit{{Start: end, End: end, New: " " + strings.Join(missing, " ")}}, nil
		}
	}
	return nil, fmt.Errorf("no directive on line %d", line)
}
