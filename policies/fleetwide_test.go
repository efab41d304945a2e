package policies_test

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/oscfg/oscfg/policies"
)

// A rule judges each host by that host's release (lib.host_release(h) and
// the host_release_* helpers). The fleet's one release (input.release, the
// oldest of the hosts') is read only where a `# fleet-wide: <why>` comment
// says why: above or inside a lib helper that reads it, and at every use
// of such a helper, or of input.release, in a rule.

const fleetMarker = "fleet-wide:"

// fleetModule is one parsed policy file and the rows of its comments that
// carry the marker.
type fleetModule struct {
	path   string
	mod    *ast.Module
	marked map[int]bool // rows of `# fleet-wide:` comments
	rows   map[int]bool // rows holding any comment
}

func parseFleetModule(path, src string) (*fleetModule, error) {
	m, err := ast.ParseModuleWithOpts(path, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, err
	}
	fm := &fleetModule{path: path, mod: m, marked: map[int]bool{}, rows: map[int]bool{}}
	for _, c := range m.Comments {
		fm.rows[c.Location.Row] = true
		if strings.HasPrefix(strings.TrimSpace(string(c.Text)), fleetMarker) {
			fm.marked[c.Location.Row] = true
		}
	}
	return fm, nil
}

// markedAbove: a marker in the block of comment lines that ends just above
// row (a marker in the middle of a comment paragraph counts).
func (fm *fleetModule) markedAbove(row int) bool {
	for r := row - 1; r > 0 && fm.rows[r]; r-- {
		if fm.marked[r] {
			return true
		}
	}
	return false
}

// markedIn: a marker on the rows first..last (inside a rule's body).
func (fm *fleetModule) markedIn(first, last int) bool {
	for r := first; r <= last; r++ {
		if fm.marked[r] {
			return true
		}
	}
	return false
}

// ruleRows is the first and last row of a rule, else branches included.
func ruleRows(r *ast.Rule) (int, int) {
	first := r.Location.Row
	last := first + strings.Count(string(r.Location.Text), "\n")
	for e := r.Else; e != nil; e = e.Else {
		if l := e.Location.Row + strings.Count(string(e.Location.Text), "\n"); l > last {
			last = l
		}
	}
	return first, last
}

// refName is a ref with the module's import aliases resolved:
// lib.release_note -> data.oscfg.lib.release_note.
func refName(m *ast.Module, ref ast.Ref) string {
	s := ref.String()
	if v, ok := ref[0].Value.(ast.Var); ok {
		for _, imp := range m.Imports {
			path, ok := imp.Path.Value.(ast.Ref)
			if !ok {
				continue
			}
			alias := string(imp.Alias)
			if alias == "" {
				alias = fmt.Sprint(path[len(path)-1].Value)
				if str, ok := path[len(path)-1].Value.(ast.String); ok {
					alias = string(str)
				}
			}
			if alias == string(v) {
				return path.String() + strings.TrimPrefix(s, string(v))
			}
		}
	}
	return s
}

// readsFleet: a ref to input.release or below it.
func readsFleet(name string) bool {
	return name == "input.release" || strings.HasPrefix(name, "input.release.") || strings.HasPrefix(name, "input.release[")
}

// fleetHelpers returns the lib helpers marked fleet-wide (a marker above
// the rule), and a problem for each lib rule that reads input.release with
// no marker above or inside it.
func fleetHelpers(lib []*fleetModule) (map[string]bool, []string) {
	helpers := map[string]bool{}
	var problems []string
	for _, fm := range lib {
		pkg := fm.mod.Package.Path.String()
		for _, r := range fm.mod.Rules {
			name := pkg + "." + r.Head.Name.String()
			if r.Head.Name == "" {
				name = pkg + "." + r.Head.Ref().String()
			}
			first, last := ruleRows(r)
			if fm.markedAbove(first) {
				helpers[name] = true
			}
			reads := false
			ast.WalkRefs(r, func(ref ast.Ref) bool {
				if readsFleet(refName(fm.mod, ref)) {
					reads = true
				}
				return false
			})
			if reads && !fm.markedAbove(first) && !fm.markedIn(first, last) {
				problems = append(problems, fmt.Sprintf("%s:%d: %s reads input.release (the fleet's release) without a `# %s <why>` comment", fm.path, first, name, fleetMarker))
			}
		}
	}
	return helpers, problems
}

// fleetUses lists the uses in a rule module of the fleet's release (input.release
// or a fleet-wide helper) that no `# fleet-wide:` comment explains: on the
// line, in the comment block above it, or in the one above its rule.
func fleetUses(fm *fleetModule, helpers map[string]bool) []string {
	var out []string
	for _, r := range fm.mod.Rules {
		first, _ := ruleRows(r)
		ruleMarked := fm.markedAbove(first)
		ast.WalkRefs(r, func(ref ast.Ref) bool {
			name := refName(fm.mod, ref)
			fleet := readsFleet(name)
			for h := range helpers {
				if name == h || strings.HasPrefix(name, h+".") || strings.HasPrefix(name, h+"[") {
					fleet = true
				}
			}
			if !fleet {
				return false
			}
			row := first
			if loc := ref[0].Location; loc != nil {
				row = loc.Row
			}
			if !ruleMarked && !fm.marked[row] && !fm.markedAbove(row) {
				out = append(out, fmt.Sprintf("%s:%d: %s judges by the fleet's release; use the host's (lib.host_release_at_least(h, name), lib.host_release_before(h, name), lib.host_release_note(h)) or say why with `# %s <why>`", fm.path, row, name, fleetMarker))
			}
			return false
		})
	}
	return out
}

func loadFleetModules(t *testing.T) (lib, rules []*fleetModule) {
	t.Helper()
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		src, err := policies.FS.ReadFile(p)
		if err != nil {
			return err
		}
		fm, err := parseFleetModule(p, string(src))
		if err != nil {
			return err
		}
		if strings.HasPrefix(p, "lib/") {
			lib = append(lib, fm)
		} else {
			rules = append(rules, fm)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lib, rules
}

// TestFleetWideRelease: no built-in rule judges a host by the fleet's
// release without a `# fleet-wide:` comment saying why.
func TestFleetWideRelease(t *testing.T) {
	lib, rules := loadFleetModules(t)
	helpers, problems := fleetHelpers(lib)
	for _, want := range []string{"data.oscfg.lib.release_at_least", "data.oscfg.lib.release_before", "data.oscfg.lib.release_note"} {
		if !helpers[want] {
			problems = append(problems, fmt.Sprintf("%s reads the fleet's release and is not marked `# %s`", want, fleetMarker))
		}
	}
	if helpers["data.oscfg.lib.host_release"] {
		problems = append(problems, "data.oscfg.lib.host_release is marked fleet-wide above the rule; only its fallback branch (no input.topology) reads the fleet's release")
	}
	for _, fm := range rules {
		problems = append(problems, fleetUses(fm, helpers)...)
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// The check itself: an unmarked use is reported, a marked one is not, and
// an unmarked lib reader of input.release is reported.
func TestFleetWideReleaseCheck(t *testing.T) {
	libSrc := `package oscfg.lib

# fleet-wide: the fleet's release, for facts of the whole run.
release_at_least(name) if input.release.index >= release_index[name]

release_index := {"rocky": 18}

# Reads the fleet without saying so.
quiet_fleet := input.release.name

host_release(h) := r if {
	r := input.topology.hosts[h].release
} else := r if {
	# fleet-wide: no topology in the document.
	r := input.release
}
`
	lib, err := parseFleetModule("lib/x.rego", libSrc)
	if err != nil {
		t.Fatal(err)
	}
	helpers, problems := fleetHelpers([]*fleetModule{lib})
	if !helpers["data.oscfg.lib.release_at_least"] || helpers["data.oscfg.lib.host_release"] {
		t.Errorf("fleet-wide helpers = %v, want release_at_least only (host_release's marker is inside its fallback)", helpers)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "quiet_fleet") {
		t.Errorf("lib problems = %q, want one for quiet_fleet", problems)
	}
	ruleSrc := `package oscfg.rules.x

import data.oscfg.lib

deny contains f if {
	lib.release_at_least("rocky")
	f := "unmarked helper"
}

deny contains f if {
	input.release.index > 3
	f := "unmarked input.release"
}

deny contains f if {
	# fleet-wide: a fact of the whole run.
	lib.release_at_least("rocky")
	f := "marked"
}

deny contains f if {
	some h, _ in input.hosts
	lib.host_release(h).index > 3
	f := "host-scoped"
}
`
	rule, err := parseFleetModule("x/x.rego", ruleSrc)
	if err != nil {
		t.Fatal(err)
	}
	uses := fleetUses(rule, helpers)
	if len(uses) != 2 || !strings.Contains(uses[0], "x/x.rego:6:") || !strings.Contains(uses[1], "x/x.rego:11:") {
		t.Errorf("uses = %q, want the unmarked helper (line 6) and input.release (line 11)", uses)
	}
}
