package fixers

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

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

// osloEdits performs set, delete and rename on an oslo.config file.
func osloEdits(d *oslo.Doc, src []byte, op map[string]any) ([]Edit, error) {
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

// mycnfEdits performs set and delete on a MariaDB option file. The group
// is the op's section; an option set in another server group of the same
// file is edited where it is (last occurrence wins in MariaDB too).
func mycnfEdits(d *mycnf.Doc, src []byte, op map[string]any) ([]Edit, error) {
	group, key := str(op, "section"), strings.ReplaceAll(str(op, "key"), "-", "_")
	// The server reads all its groups as one, so a server option is edited
	// where it is set, whichever server group that is (else a new line in
	// [mysqld] would compete with one in [galera]).
	server := group == "" || mycnf.IsServerGroup(group)
	var found []*mycnf.Option
	for _, o := range d.Options {
		if o.Name == key && (strings.EqualFold(o.Group, group) || (server && mycnf.IsServerGroup(o.Group))) {
			found = append(found, o)
		}
	}
	eol := eolOf(d.Lines)
	switch str(op, "op") {
	case "set":
		value := str(op, "value")
		if len(found) > 0 {
			o := found[len(found)-1]
			if !o.HasValue {
				return []Edit{{Start: o.NameEnd, End: o.NameEnd, New: "=" + value}}, nil
			}
			return []Edit{{Start: o.ValStart, End: o.ValEnd, New: value}}, nil
		}
		if group == "" {
			group = "mysqld"
		}
		sep := "="
		for _, o := range d.Options {
			if o.HasValue && !strings.ContainsAny(o.Sep, "\r\n") {
				sep = o.Sep
			}
		}
		line := str(op, "key") + sep + value
		var last *mycnf.Group
		for _, g := range d.Groups {
			if strings.EqualFold(g.Name, group) {
				last = g
			}
		}
		if last != nil {
			return []Edit{insertLine(src, last.End, line, eol)}, nil
		}
		return []Edit{appendSection(src, "["+group+"]", line, eol)}, nil
	case "delete":
		var out []Edit
		for _, o := range found {
			out = append(out, Edit{Start: o.Start, End: o.End})
		}
		return out, nil
	}
	return nil, fmt.Errorf("op %q does not apply to MariaDB option files", str(op, "op"))
}

func str(op map[string]any, k string) string {
	v, ok := op[k]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
