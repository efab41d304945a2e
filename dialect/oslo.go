package dialect

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// osloDialect: oslo.config INI files (nova.conf, keystone.conf).
type osloDialect struct{}

func init() { register(osloDialect{}) }

func (osloDialect) Kind() string { return model.KindOslo }
func (osloDialect) Name() string { return "oslo.config" }

func (osloDialect) Reads(doc model.Document) bool {
	_, ok := doc.(*oslo.Doc)
	return ok
}

func (osloDialect) Parse(src Source) (model.Document, error) {
	d, err := oslo.Parse(src.Path, src.Data)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (o osloDialect) Reparse(_ model.Document, path string, data []byte) (model.Document, error) {
	return o.Parse(Source{Path: path, Data: data})
}

func (osloDialect) Lines(doc model.Document) []parsers.Line {
	if d, ok := doc.(*oslo.Doc); ok {
		return d.Lines
	}
	return nil
}

func (osloDialect) EntryEnd(doc model.Document, line int) int {
	last := line
	if d, ok := doc.(*oslo.Doc); ok {
		for _, e := range d.Entries {
			if e.Line == line && e.LastLine > last {
				last = e.LastLine
			}
		}
	}
	return last
}

// IsCommentLine: oslo.config comments start in column 0 with '#' or ';';
// an indented '#' continues a value.
func (osloDialect) IsCommentLine(l string) bool { return l != "" && (l[0] == '#' || l[0] == ';') }

// TrailingComments: a '#' after a value is part of the value.
func (osloDialect) TrailingComments() bool     { return false }
func (osloDialect) TrailingComment(string) int { return -1 }
func (osloDialect) ValueWord() string          { return "value" }
func (osloDialect) Ops() []string              { return []string{"comment_out", "set", "delete", "rename"} }
func (osloDialect) Checker() string            { return "oslo-config-validator" }
func (osloDialect) Normalize(s, k string) (string, string) {
	return oslo.NormalizeGroup(s), oslo.NormalizeName(k)
}

func (osloDialect) Reload(service, hostPath string) string {
	switch service {
	case "nova":
		return "restart the nova services that read " + hostPath + " (options are read at start)"
	case "keystone":
		return "restart keystone (its WSGI server)"
	}
	return "restart " + service
}

// Edits performs comment_out, set, delete and rename.
func (o osloDialect) Edits(doc model.Document, src []byte, op map[string]any) ([]Edit, error) {
	d, ok := doc.(*oslo.Doc)
	if !ok {
		return nil, fmt.Errorf("not an oslo.config file")
	}
	if err := oneLine(op); err != nil {
		return nil, err
	}
	if str(op, "op") == "comment_out" {
		return commentOut(o, doc, src, op)
	}
	section := oslo.NormalizeGroup(str(op, "section"))
	key := str(op, "key")
	eol := eolOf(d.Lines)
	set := func(section, key, value string) []Edit {
		if es := d.Lookup(section, key); len(es) > 0 {
			e := es[len(es)-1] // the effective occurrence
			return []Edit{{Start: e.ValStart, End: e.ValEnd, New: value}}
		}
		line := key + osloSep(d, section) + value
		if s := osloLast(d, section); s != nil {
			return []Edit{insertLine(src, s.End, line, eol)}
		}
		return []Edit{appendSection(src, "["+section+"]", line, eol)}
	}
	switch str(op, "op") {
	case "set":
		return set(section, key, str(op, "value")), nil
	case "delete":
		es := d.Lookup(section, key)
		if len(es) == 0 {
			return nil, nil
		}
		var out []Edit
		for _, e := range es {
			out = append(out, Edit{Start: e.Start, End: e.End})
		}
		return out, nil
	case "rename":
		toSec, toKey := oslo.NormalizeGroup(str(op, "to_section")), str(op, "to_key")
		es := d.Lookup(section, key)
		if len(es) == 0 {
			return nil, nil
		}
		if toSec == section {
			var out []Edit
			for _, e := range es {
				out = append(out, Edit{Start: e.KeyStart, End: e.KeyEnd, New: toKey})
			}
			return out, nil
		}
		if len(d.Lookup(toSec, toKey)) > 0 {
			return nil, fmt.Errorf("[%s] %s is already set; renaming [%s] %s would shadow it", toSec, toKey, section, key)
		}
		last := es[len(es)-1]
		var out []Edit
		for _, e := range es {
			out = append(out, Edit{Start: e.Start, End: e.End})
		}
		return append(out, set(toSec, toKey, string(src[last.ValStart:last.ValEnd]))...), nil
	}
	return nil, fmt.Errorf("op %q does not apply to oslo.config files", str(op, "op"))
}

// osloSep picks the key/value separator to copy: the section's last entry,
// else the file's first, else " = ".
func osloSep(d *oslo.Doc, section string) string {
	sep := ""
	for _, e := range d.Entries {
		if sep == "" {
			sep = e.Sep
		}
		if e.Section == section {
			sep = e.Sep
		}
	}
	if sep == "" || strings.ContainsAny(sep, "\r\n") {
		return " = "
	}
	return sep
}

func osloLast(d *oslo.Doc, section string) *oslo.Section {
	var last *oslo.Section
	for _, s := range d.Sections {
		if s.Name == section {
			last = s
		}
	}
	return last
}
