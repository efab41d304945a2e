package dialect

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/crontab"
)

// crontabDialect: system and user crontabs and run-parts scripts.
type crontabDialect struct{}

func init() { register(crontabDialect{}) }

func (crontabDialect) Kind() string { return model.KindCrontab }
func (crontabDialect) Name() string { return "crontab" }

func (crontabDialect) Reads(doc model.Document) bool {
	_, ok := doc.(*crontab.Doc)
	return ok
}

// Parse reads a crontab as the table its host path (src.As) makes it: a
// system table with a user column, a user's table, or a run-parts script.
func (crontabDialect) Parse(src Source) (model.Document, error) {
	t, user, _ := crontab.TypeForPath(src.As)
	d, err := crontab.Parse(src.Path, src.Data, t, user, src.RunParts)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Reparse keeps the table's type and user (a fixed file is the same
// table).
func (crontabDialect) Reparse(old model.Document, path string, data []byte) (model.Document, error) {
	o, ok := old.(*crontab.Doc)
	if !ok {
		return nil, fmt.Errorf("not a crontab")
	}
	d, err := crontab.Parse(path, data, o.Type, o.User, "")
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (crontabDialect) Lines(doc model.Document) []parsers.Line {
	if d, ok := doc.(*crontab.Doc); ok {
		return d.Lines
	}
	return nil
}

func (crontabDialect) EntryEnd(_ model.Document, line int) int { return line }

// IsCommentLine: '#' after leading blanks.
func (crontabDialect) IsCommentLine(l string) bool {
	t := strings.TrimLeft(l, " \t")
	return t != "" && t[0] == '#'
}

// TrailingComments: cron hands the rest of a job line to the shell, '#'
// included.
func (crontabDialect) TrailingComments() bool                 { return false }
func (crontabDialect) TrailingComment(string) int             { return -1 }
func (crontabDialect) ValueWord() string                      { return "command" }
func (crontabDialect) Ops() []string                          { return []string{"comment_out", "cron_minute"} }
func (crontabDialect) Normalize(s, k string) (string, string) { return plainNormalize(s, k) }
func (crontabDialect) Checker() string                        { return "" }
func (crontabDialect) Reload(string, string) string           { return "nothing: cron re-reads crontabs" }

// cronRest is what follows the minute when a job's @nickname is spelled
// out as fields.
var cronRest = map[string]string{"@hourly": "* * * *", "@daily": "0 * * *", "@midnight": "0 * * *",
	"@weekly": "0 * * 0", "@monthly": "0 1 * *", "@yearly": "0 1 1 *", "@annually": "0 1 1 *"}

// Edits performs comment_out and cron_minute: move a job to another
// minute, keeping its hours and days (how CRON-001 staggers token_flush
// across hosts).
func (c crontabDialect) Edits(doc model.Document, src []byte, op map[string]any) ([]Edit, error) {
	d, ok := doc.(*crontab.Doc)
	if !ok {
		return nil, fmt.Errorf("not a crontab")
	}
	if err := oneLine(op); err != nil {
		return nil, err
	}
	switch str(op, "op") {
	case "comment_out":
		return commentOut(c, doc, src, op)
	case "cron_minute":
	default:
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
		rest, ok := cronRest[j.Special]
		if !ok {
			return nil, fmt.Errorf("cannot move a %s job to a minute", j.Special)
		}
		return []Edit{{Start: span[0], End: span[1], New: fmt.Sprintf("%d %s", minute, rest)}}, nil
	}
	return nil, fmt.Errorf("no crontab job on line %d", line)
}
