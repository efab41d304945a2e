// Package engine compiles the Rego policies once, in a sandbox, and
// evaluates them over the input document. Rule metadata (id, title,
// severity, fix class, references) is read from each rule package's
// METADATA annotation: nothing else defines a rule.
package engine

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/policies"
)

// Rule is one rule's metadata.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"severity"`
	Fix         string   `json:"fix"` // safe, unsafe or manual
	Description string   `json:"description"`
	Remedy      string   `json:"remedy,omitempty"`
	References  []string `json:"references,omitempty"`
	Package     string   `json:"package"` // data.oscfg.rules.<name>
	Source      string   `json:"source"`  // file it was defined in
}

// Engine holds the compiled policies. It is safe for concurrent Eval.
type Engine struct {
	pq    rego.PreparedEvalQuery
	rules map[string]*Rule // by package name (last path element)
	list  []*Rule
}

// Options for New.
type Options struct {
	// PolicyDirs are user policy directories (loaded in later issues; the
	// sandbox already applies to them).
	PolicyDirs []string
}

// Capabilities is the sandbox every policy compiles against: no network,
// no runtime or environment access, nothing nondeterministic, so a policy
// cannot leak a config file anywhere and two runs give the same findings.
func Capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	c.Builtins = slices.DeleteFunc(slices.Clone(c.Builtins), func(b *ast.Builtin) bool {
		switch b.Name {
		case "http.send", "net.lookup_ip_addr", "opa.runtime", "trace", "print":
			return true
		}
		return b.Nondeterministic
	})
	c.AllowNet = []string{}
	return c
}

const rulePrefix = "data.oscfg.rules."

// New parses and compiles the built-in policies (and user ones), checks
// every rule's metadata, and prepares the one query that evaluates them all.
func New(ctx context.Context, opt Options) (*Engine, error) {
	mods := map[string]*ast.Module{}
	popts := ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		src, err := policies.FS.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts("policies/"+p, string(src), popts)
		if err != nil {
			return err
		}
		mods["policies/"+p] = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, dir := range opt.PolicyDirs {
		if err := loadUserDir(dir, mods, popts); err != nil {
			return nil, err
		}
	}
	caps := Capabilities()
	comp := ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(false)
	comp.Compile(mods)
	if comp.Failed() {
		return nil, fmt.Errorf("compiling policies: %v", comp.Errors)
	}
	e := &Engine{rules: map[string]*Rule{}}
	for _, ref := range comp.GetAnnotationSet().Flatten() {
		a := ref.Annotations
		path := ref.Path.String()
		if a.Scope != "package" || !strings.HasPrefix(path, rulePrefix) {
			continue
		}
		r, err := ruleFromAnnotations(path, a)
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(path, rulePrefix)
		if _, dup := e.rules[name]; dup {
			return nil, fmt.Errorf("%s: rule package %s annotated twice", r.Source, path)
		}
		e.rules[name] = r
		e.list = append(e.list, r)
	}
	// Every rule package must carry metadata, or its findings would have
	// no id; and ids must be unique.
	ids := map[string]string{}
	for _, m := range comp.Modules {
		path := m.Package.Path.String()
		if !strings.HasPrefix(path, rulePrefix) {
			continue
		}
		name := strings.TrimPrefix(path, rulePrefix)
		r, ok := e.rules[name]
		if !ok {
			return nil, fmt.Errorf("%s: rule package %s has no METADATA with custom.id (see docs/policies.md)", m.Package.Location.File, path)
		}
		if other, dup := ids[r.ID]; dup && other != name {
			return nil, fmt.Errorf("%s: rule id %s is used by two packages (%s and %s)", r.Source, r.ID, other, name)
		}
		ids[r.ID] = name
	}
	sort.Slice(e.list, func(i, j int) bool { return e.list[i].ID < e.list[j].ID })
	e.pq, err = rego.New(
		rego.Query("f := data.oscfg.rules[pkg].deny[_]"),
		rego.Compiler(comp),
		rego.Capabilities(caps),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	return e, nil
}

func loadUserDir(dir string, mods map[string]*ast.Module, popts ast.ParserOptions) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), popts)
		if err != nil {
			return err
		}
		mods[p] = m
		return nil
	})
}

func ruleFromAnnotations(path string, a *ast.Annotations) (*Rule, error) {
	src := ""
	if a.Location != nil {
		src = fmt.Sprintf("%s:%d", a.Location.File, a.Location.Row)
	}
	str := func(k string) string {
		s, _ := a.Custom[k].(string)
		return s
	}
	r := &Rule{ID: str("id"), Title: a.Title, Severity: str("severity"), Fix: str("fix"),
		Description: strings.TrimSpace(a.Description), Remedy: strings.TrimSpace(str("remedy")),
		Package: path, Source: src}
	if refs, ok := a.Custom["references"].([]any); ok {
		for _, x := range refs {
			if s, ok := x.(string); ok {
				r.References = append(r.References, s)
			}
		}
	}
	switch {
	case r.ID == "":
		return nil, fmt.Errorf("%s: METADATA of %s lacks custom.id", src, path)
	case r.Title == "":
		return nil, fmt.Errorf("%s: METADATA of %s lacks a title", src, path)
	case model.SeverityRank(r.Severity) < 0:
		return nil, fmt.Errorf("%s: METADATA of %s: custom.severity %q is not one of critical, high, medium, low, info", src, path, r.Severity)
	}
	switch r.Fix {
	case "safe", "unsafe", "manual":
	default:
		return nil, fmt.Errorf("%s: METADATA of %s: custom.fix %q is not safe, unsafe or manual", src, path, r.Fix)
	}
	return r, nil
}

// Rules lists every rule, sorted by id.
func (e *Engine) Rules() []*Rule { return e.list }

// Rule finds a rule by id (case-insensitive), or nil.
func (e *Engine) Rule(id string) *Rule {
	for _, r := range e.list {
		if strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

// Eval runs every rule over one input document (an ast.Value built by
// Input) and returns the findings, sorted.
func (e *Engine) Eval(ctx context.Context, input ast.Value) ([]model.Finding, error) {
	rs, err := e.pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, err
	}
	var out []model.Finding
	for _, res := range rs {
		pkg, _ := res.Bindings["pkg"].(string)
		r := e.rules[pkg]
		if r == nil {
			return nil, fmt.Errorf("finding from rule package %q without metadata", pkg)
		}
		f, err := decodeFinding(r, res.Bindings["f"])
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %v", r.ID, r.Source, err)
		}
		out = append(out, f)
	}
	SortFindings(out)
	return out, nil
}

// Input converts the input document once for all evaluations.
func Input(doc map[string]any) (ast.Value, error) {
	return ast.InterfaceToValue(doc)
}

func decodeFinding(r *Rule, v any) (model.Finding, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return model.Finding{}, fmt.Errorf("deny must produce objects, got %T", v)
	}
	f := model.Finding{Rule: r.ID, Title: r.Title, Severity: r.Severity, FixClass: r.Fix}
	f.Host, _ = m["host"].(string)
	f.File, _ = m["file"].(string)
	f.Message, _ = m["message"].(string)
	f.Key, _ = m["key"].(string)
	f.Line = toInt(m["line"])
	if s, ok := m["severity"].(string); ok && s != "" {
		if model.SeverityRank(s) < 0 {
			return f, fmt.Errorf("finding severity %q is not a severity", s)
		}
		f.Severity = s
	}
	if c, ok := m["fix_class"].(string); ok && c != "" {
		switch c {
		case "safe", "unsafe", "manual":
			f.FixClass = c
		default:
			return f, fmt.Errorf("finding fix_class %q is not safe, unsafe or manual", c)
		}
	}
	if f.Message == "" {
		return f, fmt.Errorf("finding without message")
	}
	if rel, ok := m["related"].([]any); ok {
		for _, x := range rel {
			rm, _ := x.(map[string]any)
			var rr model.Related
			rr.Host, _ = rm["host"].(string)
			rr.File, _ = rm["file"].(string)
			rr.Note, _ = rm["note"].(string)
			rr.Line = toInt(rm["line"])
			f.Related = append(f.Related, rr)
		}
	}
	if fx, ok := m["fix"].(map[string]any); ok && len(fx) > 0 {
		f.Fix = fx
	}
	return f, nil
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	case interface{ Int64() (int64, error) }:
		i, _ := n.Int64()
		return int(i)
	}
	return 0
}

// SortFindings orders findings by host, file, line, rule, message so that
// output is stable run to run.
func SortFindings(fs []model.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
