// Command newrule scaffolds a built-in rule (make rule FAMILY=haproxy
// [ID=OSC-HAP-010]): the rule with its METADATA, its Rego test, its
// fixtures and, through make, its page. The scaffold compiles but finds
// nothing, so its test and the fixture test fail until the rule is
// written: nothing it creates can pass by accident.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/policies"
)

var idRE = regexp.MustCompile(`^OSC-([A-Z]+)-([0-9]{3})$`)

// fixtureFile is the file a family's fixtures start with.
var fixtureFile = map[string]string{
	"cron":     "etc/cron.d/keystone",
	"galera":   "etc/my.cnf",
	"haproxy":  "etc/haproxy/haproxy.cfg",
	"keystone": "etc/keystone/keystone.conf",
}

func main() {
	family := flag.String("family", "", "rule directory under policies/ ("+strings.Join(families(), ", ")+")")
	id := flag.String("id", "", "rule id, OSC-<FAMILY>-NNN (default: the next free number)")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := scaffold(*root, *family, *id); err != nil {
		fmt.Fprintln(os.Stderr, "newrule:", err)
		os.Exit(2)
	}
}

func families() []string {
	var out []string
	for f := range policies.Families {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func scaffold(root, family, id string) error {
	fam, ok := policies.Families[family]
	if !ok {
		return fmt.Errorf("FAMILY=%q is not a rule directory (%s); a new family needs a line in policies/families.go", family, strings.Join(families(), ", "))
	}
	dir := filepath.Join(root, "policies", family)
	if id == "" {
		next, err := nextID(dir, fam)
		if err != nil {
			return err
		}
		id = next
	}
	m := idRE.FindStringSubmatch(id)
	if m == nil || m[1] != fam {
		return fmt.Errorf("ID=%q: rules in policies/%s/ are OSC-%s-NNN", id, family, fam)
	}
	base := strings.ToLower(fam) + "_" + m[2]
	fixture := fixtureFile[family]
	if fixture == "" {
		fixture = "etc/nova/nova.conf"
	}
	files := map[string]string{
		filepath.Join(dir, base+".rego"):      ruleText(id, base),
		filepath.Join(dir, base+"_test.rego"): testText(id, base, fixture),
		filepath.Join(root, "testdata", "rules", id, "fires", "ctl1", filepath.FromSlash(fixture)): "# A real file on which " + id + " must fire: replace this comment with it.\n",
		filepath.Join(root, "testdata", "rules", id, "quiet", "ctl1", filepath.FromSlash(fixture)): "# A real file on which " + id + " must stay quiet: replace this comment with it.\n",
	}
	for p := range files {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: not overwritten", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(files[p]), 0o644); err != nil {
			return err
		}
		fmt.Println("created", p)
	}
	fmt.Printf("next: write the rule and its test until go test ./policies ./internal/rulecheck passes (both fail now), put real files in testdata/rules/%s/{fires,quiet}/, then make docs (its page) and make golden (its effect on the corpus)\n", id)
	return nil
}

// nextID is one above the highest number of the family.
func nextID(dir, fam string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	re := regexp.MustCompile(`^` + strings.ToLower(fam) + `_([0-9]{3})\.rego$`)
	n := 0
	for _, e := range ents {
		if m := re.FindStringSubmatch(e.Name()); m != nil {
			var k int
			fmt.Sscanf(m[1], "%d", &k)
			n = max(n, k)
		}
	}
	return fmt.Sprintf("OSC-%s-%03d", fam, n+1), nil
}

func ruleText(id, base string) string {
	return `# METADATA
# title: TODO one line saying what is wrong
# description: |
#   TODO what the rule checks, why it matters in an HA control plane, and
#   each version or default it relies on, with where that fact comes from.
# custom:
#   id: ` + id + `
#   severity: medium
#   fix: manual
#   remedy: |
#     TODO how to fix it.
#   references:
#     - TODO repository + path, or the release note, of each fact
package oscfg.rules.` + base + `

import data.oscfg.lib

# TODO: the condition. Until it is written the rule finds nothing, and its
# test and testdata/rules/` + id + `/fires fail.
deny contains f if {
	some [h, p, file] in lib.oslo_files
	false
	f := {"host": h, "file": p, "line": 1, "message": sprintf("TODO in %s", [file.path])}
}
`
}

func testText(id, base, fixture string) string {
	return `package oscfg.rules.` + base + `_test

import data.oscfg.rules.` + base + `

# Inputs from real config text (oscfg.fleet): the loader builds the
# document the rule reads in a lint run, so a test cannot drift from it.
# Keys are HOST:/PATH; a file that does not parse fails the test.
_firing := oscfg.fleet({"ctl1:/` + fixture + `": concat("\n", [
	"# TODO: the text of a file on which ` + id + ` fires",
	"",
])})

test_fires if {
	count(` + base + `.deny) > 0 with input as _firing
}

# TODO: one test per severity tier, per fix and per quiet case.
`
}
