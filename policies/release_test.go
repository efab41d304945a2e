package policies_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

var update = flag.Bool("update", false, "rewrite the files generated from model/release.go")

// releaseRego is policies/lib/release_table.rego as model.Releases says.
func releaseRego() string {
	var b strings.Builder
	b.WriteString("# Generated from model/release.go by `go test ./policies -run TestReleaseTable -update`\n# (make golden); do not edit.\npackage oscfg.lib\n\n")
	b.WriteString("# Ordering of OpenStack releases (liberty = 12 = nova 12).\nrelease_index := {\n")
	for _, r := range model.Releases() {
		fmt.Fprintf(&b, "\t%q: %d,\n", r.Name, r.Index)
	}
	b.WriteString("}\n")
	return b.String()
}

// releaseDoc is the table of docs/model.md between its markers.
func releaseDoc() string {
	var parts []string
	for _, r := range model.Releases() {
		parts = append(parts, fmt.Sprintf("%s=%d", r.Name, r.Index))
	}
	return "<!-- release-table -->\n" + strings.Join(parts, ", ") + ".\n<!-- /release-table -->"
}

var docTable = regexp.MustCompile(`(?s)<!-- release-table -->.*<!-- /release-table -->`)

// The release table lives in model/release.go only; the Rego and doc
// copies are generated from it and must agree.
func TestReleaseTable(t *testing.T) {
	const regoFile, docFile = "lib/release_table.rego", "../docs/model.md"
	doc, err := os.ReadFile(docFile)
	if err != nil {
		t.Fatal(err)
	}
	if !docTable.Match(doc) {
		t.Fatalf("%s has no <!-- release-table --> markers", docFile)
	}
	wantDoc := docTable.ReplaceAllLiteral(doc, []byte(releaseDoc()))
	if *update {
		if err := os.WriteFile(regoFile, []byte(releaseRego()), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(docFile, wantDoc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(regoFile)
	if err != nil || string(got) != releaseRego() {
		t.Errorf("%s is stale or missing (run make golden): %v", regoFile, err)
	}
	if string(doc) != string(wantDoc) {
		t.Errorf("%s: the release table differs from model/release.go (run make golden)", docFile)
	}
}
