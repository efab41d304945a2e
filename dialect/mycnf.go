package dialect

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/mycnf"
)

// mycnfDialect: MariaDB option files (my.cnf, galera.cnf).
type mycnfDialect struct{}

func init() { register(mycnfDialect{}) }

func (mycnfDialect) Kind() string { return model.KindMyCnf }
func (mycnfDialect) Name() string { return "my.cnf" }

func (mycnfDialect) Reads(doc model.Document) bool {
	_, ok := doc.(*mycnf.Doc)
	return ok
}

func (mycnfDialect) Parse(src Source) (model.Document, error) {
	d, err := mycnf.Parse(src.Path, src.Data)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (m mycnfDialect) Reparse(_ model.Document, path string, data []byte) (model.Document, error) {
	return m.Parse(Source{Path: path, Data: data})
}

func (mycnfDialect) Lines(doc model.Document) []parsers.Line {
	if d, ok := doc.(*mycnf.Doc); ok {
		return d.Lines
	}
	return nil
}

func (mycnfDialect) EntryEnd(_ model.Document, line int) int { return line }

// IsCommentLine: '#' or ';' after leading blanks.
func (mycnfDialect) IsCommentLine(l string) bool {
	t := strings.TrimLeft(l, " \t")
	return t != "" && (t[0] == '#' || t[0] == ';')
}

func (mycnfDialect) TrailingComments() bool { return true }

// TrailingComment is where MariaDB's reader starts a comment ('#' outside
// quotes).
func (mycnfDialect) TrailingComment(l string) int {
	if i := mycnf.CommentStart(l, 0); i < len(l) {
		return i
	}
	return -1
}

func (mycnfDialect) ValueWord() string                      { return "value" }
func (mycnfDialect) Ops() []string                          { return []string{"comment_out", "set", "delete"} }
func (mycnfDialect) Normalize(s, k string) (string, string) { return plainNormalize(s, k) }
func (mycnfDialect) Checker() string                        { return "my_print_defaults" }
func (mycnfDialect) Reload(string, string) string {
	return "rolling restart of mariadb, one node at a time"
}

// Edits performs comment_out, set and delete. The group is the op's
// section; an option set in another server group of the same file is
// edited where it is (last occurrence wins in MariaDB too).
func (m mycnfDialect) Edits(doc model.Document, src []byte, op map[string]any) ([]Edit, error) {
	d, ok := doc.(*mycnf.Doc)
	if !ok {
		return nil, fmt.Errorf("not a MariaDB option file")
	}
	if err := oneLine(op); err != nil {
		return nil, err
	}
	if str(op, "op") == "comment_out" {
		return commentOut(m, doc, src, op)
	}
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
