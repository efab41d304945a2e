// Package dialect is what oscfg knows about the syntax of each config
// dialect it reads (oslo.config INI, haproxy, MariaDB option files,
// crontabs): how a file is parsed and parsed again after a fix, its
// physical lines and where an entry ends, which lines and trailing texts
// are comments, the byte edits that perform a fix op, how names compare,
// and which checker and reload the daemon reading it has. Each dialect
// registers itself from its own file; the loader, the fixers and the
// suppressions ask For(kind) or Of(doc) instead of switching on kinds.
package dialect

import (
	"fmt"
	"sort"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
)

// Edit replaces src[Start:End] with New (an insertion when Start == End).
// It is fixers.Edit.
type Edit = udiff.Edit

// Source is one file to parse.
type Source struct {
	Path string // the disk path read, named in errors
	// As is the host path the content stands for (the file's own, or the
	// crontab a command's output stands for): a crontab's type and user
	// follow from it. Other dialects ignore it.
	As   string
	Data []byte
	// RunParts is the schedule /etc/crontab runs the directory of a
	// run-parts script at ("": Debian's default). Other dialects ignore it.
	RunParts string
}

// Dialect is one config dialect's syntax.
type Dialect interface {
	// Kind is the model.Kind* the dialect is registered under.
	Kind() string
	// Name is how messages name the dialect ("oslo.config").
	Name() string
	// Reads says whether doc is a parse of this dialect.
	Reads(doc model.Document) bool

	// Parse reads one file; errors carry file:line (*parsers.Error).
	Parse(src Source) (model.Document, error)
	// Reparse parses data as new content of the file old is a parse of,
	// in the same context (a crontab keeps its type and user): a fixed
	// file must still parse, and a later op is computed on the result.
	Reparse(old model.Document, path string, data []byte) (model.Document, error)

	// Lines are doc's physical lines (nil for a foreign doc).
	Lines(doc model.Document) []parsers.Line
	// EntryEnd is the last line of the entry that starts on line: its
	// last continuation line in oslo.config, else line itself.
	EntryEnd(doc model.Document, line int) int

	// IsCommentLine says whether a line (without EOL) is a whole-line
	// comment.
	IsCommentLine(line string) bool
	// TrailingComments says whether a comment may follow other text on a
	// line; where it may not, a '#' there is part of a ValueWord.
	TrailingComments() bool
	// TrailingComment is the offset of the '#' that starts a comment
	// after other text on line, or -1.
	TrailingComment(line string) int
	// ValueWord names what a line's text after its key is ("value",
	// "command"), for messages.
	ValueWord() string

	// Ops are the fix ops Edits performs (comment_out in every dialect).
	Ops() []string
	// Edits are the byte edits of src (doc's bytes) that perform op, a
	// rule's fix op; an op already in effect gives edits that change no
	// byte, or none.
	Edits(doc model.Document, src []byte, op map[string]any) ([]Edit, error)
	// Normalize is how the dialect compares section and key names: two
	// ops of one normalized setting touch the same setting.
	Normalize(section, key string) (string, string)

	// Checker names the check the daemon's own tool makes of the file
	// before a write ("haproxy -c"), "" when it has none.
	Checker() string
	// Reload says what must reload or restart for a changed file to take
	// effect.
	Reload(service, hostPath string) string
}

var (
	registry = map[string]Dialect{}
	kinds    []string // registry's keys, sorted
)

// register adds a dialect; each dialect's file calls it from init.
func register(d Dialect) {
	if _, dup := registry[d.Kind()]; dup {
		panic("dialect " + d.Kind() + " registered twice")
	}
	registry[d.Kind()] = d
	kinds = append(kinds, d.Kind())
	sort.Strings(kinds)
}

// For is the dialect of a kind, nil when oscfg has none.
func For(kind string) Dialect { return registry[kind] }

// Of is the dialect doc is a parse of, nil when none.
func Of(doc model.Document) Dialect {
	for _, k := range kinds {
		if d := registry[k]; d.Reads(doc) {
			return d
		}
	}
	return nil
}

// Kinds are the registered kinds, sorted.
func Kinds() []string { return append([]string(nil), kinds...) }

// commentOut performs comment_out, the op every dialect has: disable a
// line by prefixing "# " (every dialect oscfg edits reads a line starting
// with '#' as a comment), and the rest of its entry with it (an oslo
// value's continuation lines, which would otherwise continue nothing and
// the file would no longer parse). Its "then" text becomes a line of its
// own after the entry, indented like it: a replacement that keeps the old
// line visible.
func commentOut(d Dialect, doc model.Document, src []byte, op map[string]any) ([]Edit, error) {
	lines := d.Lines(doc)
	line := model.AsInt(op["line"])
	edits, err := commentLine(lines, line)
	if err != nil || len(edits) == 0 {
		return edits, err
	}
	last := d.EntryEnd(doc, line)
	for l := line + 1; l <= last; l++ {
		more, _ := commentLine(lines, l)
		edits = append(edits, more...)
	}
	if then := str(op, "then"); then != "" {
		l := lines[line-1]
		indent := l.Text[:len(l.Text)-len(strings.TrimLeft(l.Text, " \t"))]
		edits = append(edits, insertLine(src, lines[last-1].Next(), indent+then, eolOf(lines)))
	}
	return edits, nil
}

func commentLine(lines []parsers.Line, line int) ([]Edit, error) {
	if line < 1 || line > len(lines) {
		return nil, fmt.Errorf("no line %d", line)
	}
	l := lines[line-1]
	if strings.HasPrefix(strings.TrimLeft(l.Text, " \t"), "#") {
		return nil, nil // already a comment
	}
	return []Edit{{Start: l.Start, End: l.Start, New: "# "}}, nil
}

// eolOf is the line ending a file uses (its first line's), so inserted
// lines match a CRLF file.
func eolOf(lines []parsers.Line) string {
	for _, l := range lines {
		if l.EOL != "" {
			return l.EOL
		}
	}
	return "\n"
}

// insertLine builds an edit that inserts one line of text at offset at,
// which is the start of a line or the end of the file. When the file's
// last line has no EOL and at is the end, the EOL goes before the text so
// the file keeps ending without one.
func insertLine(src []byte, at int, text, eol string) Edit {
	if at == len(src) && len(src) > 0 && src[len(src)-1] != '\n' {
		return Edit{Start: at, End: at, New: eol + text}
	}
	return Edit{Start: at, End: at, New: text + eol}
}

// appendSection adds "[name]" and one line at the end of the file, after a
// blank line.
func appendSection(src []byte, header, line, eol string) Edit {
	var b strings.Builder
	if len(src) > 0 {
		if src[len(src)-1] != '\n' {
			b.WriteString(eol)
		}
		b.WriteString(eol)
	}
	b.WriteString(header + eol + line + eol)
	return Edit{Start: len(src), End: len(src), New: b.String()}
}

// plainNormalize compares names case-insensitively with '-' read as '_'
// (MariaDB options; haproxy and crontabs have no keyed settings).
func plainNormalize(section, key string) (string, string) {
	return strings.ToLower(section), strings.ReplaceAll(strings.ToLower(key), "-", "_")
}

// oneLine refuses an op whose text holds a line break. Every op writes
// within a line or adds one; a break would write lines the op does not
// name (set value "false\nadmin_token = x" adds a setting that no check
// of the op sees). The words haproxy ops write are checked where they
// are written (lineBreak), as words a directive already has are not.
func oneLine(op map[string]any) error {
	for _, k := range []string{"section", "to_section", "key", "to_key", "keyword", "value", "then"} {
		if err := lineBreak(k, []string{str(op, k)}); err != nil {
			return err
		}
	}
	return nil
}

// lineBreak refuses the first of ws, text an op would write as field k,
// that holds a line break.
func lineBreak(k string, ws []string) error {
	for _, w := range ws {
		if strings.ContainsAny(w, "\r\n") {
			return fmt.Errorf("%s %q holds a line break; a fix op writes one line", k, w)
		}
	}
	return nil
}

// str is an op's field as text.
var str = model.FixOpText

// words is an op's list field as text.
func words(op map[string]any, k string) []string {
	var out []string
	if a, ok := op[k].([]any); ok {
		for _, x := range a {
			out = append(out, fmt.Sprint(x))
		}
	}
	return out
}
