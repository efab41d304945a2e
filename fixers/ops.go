package fixers

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// editsFor turns one fix op into edits of one parsed file.
func editsFor(f *model.File, src []byte, op map[string]any) ([]Edit, error) {
	if str(op, "op") == "comment_out" {
		line := model.AsInt(op["line"])
		edits, err := commentOut(linesOf(f.Doc), src, line)
		if d, ok := f.Doc.(*oslo.Doc); ok && err == nil && len(edits) > 0 {
			// An oslo value's continuation lines go too, or they would
			// continue nothing and the file would no longer parse.
			for _, e := range d.Entries {
				for l := line + 1; e.Line == line && l <= e.LastLine; l++ {
					more, _ := commentOut(d.Lines, src, l)
					edits = append(edits, more...)
				}
			}
		}
		if then := str(op, "then"); err == nil && len(edits) > 0 && then != "" {
			edits = append(edits, thenLine(f, src, line, then))
		}
		return edits, err
	}
	switch d := f.Doc.(type) {
	case *oslo.Doc:
		return osloEdits(d, src, op)
	case *mycnf.Doc:
		return mycnfEdits(d, src, op)
	case *haproxy.Doc:
		return haproxyEdits(d, src, op)
	case *crontab.Doc:
		return cronEdits(d, op)
	}
	return nil, fmt.Errorf("no fixer for %s files", f.Kind)
}

// thenLine is the edit that adds comment_out's "then" text as a line of
// its own after the commented-out one (after an oslo value's continuation
// lines), indented like it: a replacement that keeps the old line visible.
func thenLine(f *model.File, src []byte, line int, text string) Edit {
	lines := linesOf(f.Doc)
	last := line
	if d, ok := f.Doc.(*oslo.Doc); ok {
		for _, e := range d.Entries {
			if e.Line == line && e.LastLine > last {
				last = e.LastLine
			}
		}
	}
	l := lines[line-1]
	indent := l.Text[:len(l.Text)-len(strings.TrimLeft(l.Text, " \t"))]
	end := lines[last-1].Next()
	return insertLine(src, end, indent+text, eolOf(lines))
}

func linesOf(doc model.Document) []parsers.Line {
	switch d := doc.(type) {
	case *oslo.Doc:
		return d.Lines
	case *mycnf.Doc:
		return d.Lines
	case *haproxy.Doc:
		return d.Lines
	case *crontab.Doc:
		return d.Lines
	}
	return nil
}

// commentOut disables a line by prefixing "# ": every dialect oscfg edits
// reads a line starting with '#' as a comment.
func commentOut(lines []parsers.Line, src []byte, line int) ([]Edit, error) {
	if line < 1 || line > len(lines) {
		return nil, fmt.Errorf("no line %d", line)
	}
	l := lines[line-1]
	if strings.HasPrefix(strings.TrimLeft(l.Text, " \t"), "#") {
		return nil, nil // already a comment
	}
	return []Edit{{Start: l.Start, End: l.Start, New: "# "}}, nil
}

// haproxyEdits performs haproxy_set: set a directive (keyword may be
// several words, "timeout client") in the named proxy's own section,
// replacing its arguments where the proxy sets it, else adding a line at
// the end of the section with the section's indentation. A value the proxy
// inherits from defaults is overridden in the proxy, never changed in the
// defaults that other proxies share.
func haproxyEdits(d *haproxy.Doc, src []byte, op map[string]any) ([]Edit, error) {
	if str(op, "op") == "haproxy_append" {
		return haproxyAppend(d, op)
	}
	if str(op, "op") != "haproxy_set" {
		return nil, fmt.Errorf("op %q does not apply to haproxy files", str(op, "op"))
	}
	name, kw := str(op, "section"), strings.Fields(str(op, "keyword"))
	if len(kw) == 0 {
		return nil, fmt.Errorf("haproxy_set without keyword")
	}
	var args []string
	if a, ok := op["args"].([]any); ok {
		for _, x := range a {
			args = append(args, fmt.Sprint(x))
		}
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
	var words []string
	if a, ok := op["words"].([]any); ok {
		for _, x := range a {
			words = append(words, fmt.Sprint(x))
		}
	}
	if len(words) == 0 {
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
			var add []string
			for _, w := range words {
				if !have[w] {
					add = append(add, w)
				}
			}
			if len(add) == 0 {
				return nil, nil
			}
			end := dir.Words[len(dir.Words)-1].End
			return []Edit{{Start: end, End: end, New: " " + strings.Join(add, " ")}}, nil
		}
	}
	return nil, fmt.Errorf("no directive on line %d", line)
}

// cronEdits performs cron_minute: move a job to another minute, keeping
// its hours and days (how CRON-001 staggers token_flush across hosts).
func cronEdits(d *crontab.Doc, op map[string]any) ([]Edit, error) {
	if str(op, "op") != "cron_minute" {
		return nil, fmt.Errorf("op %q does not apply to crontabs", str(op, "op"))
	}
	line, minute := model.AsInt(op["line"]), model.AsInt(op["minute"])
	if minute < 0 || minute > 59 {
		return nil, fmt.Errorf("minute %d out of range", minute)
	}
	for _, j := range d.Jobs {
		if j.Line != line || j.Via != "" {
			continue
		}
		span := j.FieldSpans[0]
		if j.Special == "" {
			return []Edit{{Start: span[0], End: span[1], New: fmt.Sprint(minute)}}, nil
		}
		rest, ok := map[string]string{"@hourly": "* * * *", "@daily": "0 * * *", "@midnight": "0 * * *",
			"@weekly": "0 * * 0", "@monthly": "0 1 * *", "@yearly": "0 1 1 *", "@annually": "0 1 1 *"}[j.Special]
		if !ok {
			return nil, fmt.Errorf("cannot move a %s job to a minute", j.Special)
		}
		return []Edit{{Start: span[0], End: span[1], New: fmt.Sprintf("%d %s", minute, rest)}}, nil
	}
	return nil, fmt.Errorf("no crontab job on line %d", line)
}
