package dialect

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const mod = "github.com/oscfg/oscfg/"

// dialectParsers are the parsers dialect/ stands in front of.
var dialectParsers = []string{mod + "parsers/oslo", mod + "parsers/haproxy", mod + "parsers/mycnf", mod + "parsers/crontab"}

// loaderParserFiles are the loader's files that still read a parser's own
// types, and why: what they need is each dialect's meaning (or, for
// includes, reading more files), not its syntax.
var loaderParserFiles = map[string]string{
	"input.go":        "the input document's per-dialect parts: haproxy.Effective, mycnf.Merge, oslo options",
	"oslo_options.go": "typed oslo options of the input document, with the entries' positions",
	"release.go":      "release evidence from oslo options",
	"service.go":      "the service an oslo file's sections say",
	"dbserver.go":     "the MariaDB server version from the merged option files",
	"mycnf.go":        "MariaDB's include loader (!include, !includedir), which reads files",
	"runparts.go":     "which /etc/crontab job runs which run-parts directory",
}

func goList(t *testing.T, format, pkg string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-f", format, mod+pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return string(out)
}

// TestLayers: the fixers and the suppressions reach the parsers of the
// four dialects only through dialect/ (go list's direct imports, as a
// reader would check them); in the loader only the files of
// loaderParserFiles read a parser's own types, and the parse step goes
// through dialect/.
func TestLayers(t *testing.T) {
	for _, pkg := range []string{"fixers", "suppress", "loader"} {
		imports := strings.Fields(goList(t, `{{join .Imports " "}}`, pkg))
		if !slices.Contains(imports, mod+"dialect") {
			t.Errorf("%s does not import dialect", pkg)
		}
		if pkg == "loader" {
			continue // by file, below
		}
		for _, p := range dialectParsers {
			if slices.Contains(imports, p) {
				t.Errorf("%s imports %s; it should ask dialect", pkg, p)
			}
		}
	}
	for _, p := range dialectParsers {
		if !slices.Contains(strings.Fields(goList(t, `{{join .Imports " "}}`, "dialect")), p) {
			t.Errorf("dialect does not import %s", p)
		}
	}

	listed := strings.Fields(goList(t, `{{.Dir}} {{join .GoFiles " "}}`, "loader"))
	dir, files := listed[0], listed[1:]
	var readers []string
	for _, f := range files {
		ast, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, f), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range ast.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if slices.Contains(dialectParsers, p) {
				readers = append(readers, f)
				if _, ok := loaderParserFiles[f]; !ok {
					t.Errorf("loader/%s imports %s; parse through dialect, or say why in loaderParserFiles", f, p)
				}
				break
			}
		}
	}
	if !slices.Contains(files, "loader.go") || slices.Contains(readers, "loader.go") {
		t.Errorf("loader/loader.go (the parse step) missing or importing a dialect's parser; files reading parsers: %v", readers)
	}
	var stale []string
	for f := range loaderParserFiles {
		if !slices.Contains(readers, f) {
			stale = append(stale, f)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("loaderParserFiles lists %v, which no longer import a dialect's parser: drop them", stale)
	}
}
