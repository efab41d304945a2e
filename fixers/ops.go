package fixers

import (
	"fmt"

	"github.com/oscfg/oscfg/dialect"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
)

// editsFor turns one fix op into edits of one parsed file: the dialect
// the file was parsed in performs it (dialect.Dialect.Edits).
func editsFor(f *model.File, src []byte, op map[string]any) ([]Edit, error) {
	d := dialect.Of(f.Doc)
	if d == nil {
		return nil, fmt.Errorf("no fixer for %s files", f.Kind)
	}
	return d.Edits(f.Doc, src, op)
}

// linesOf are a parsed file's physical lines (FuzzFix checks comment_out
// with them).
func linesOf(doc model.Document) []parsers.Line {
	if d := dialect.Of(doc); d != nil {
		return d.Lines(doc)
	}
	return nil
}

// str is an op's field as text.
var str = model.FixOpText
