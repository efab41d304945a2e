// Package engine compiles the Rego policies once, in a sandbox, and
// evaluates them over the input document. Rule metadata (id, title,
// severity, fix class, references) is read from each rule package's
// METADATA annotation: nothing else defines a rule.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/oscfg/oscfg/internal/ruledoc"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/policies"
)

// Engine holds the compiled policies. It is safe for concurrent Eval.
type Engine struct {
	pq      rego.PreparedEvalQuery
	rules   map[string]*model.Rule // by namespace/name ("rules/hap_001", "user/site")
	list    []*model.Rule
	enabled int // rules the query evaluates; 0: no query
}

// Options for New.
type Options struct {
	// PolicyDirs are user policy directories (--policy, oscfg.ini policy =):
	// every *.rego below them except *_test.rego, each in package
	// oscfg.user.<name>, compiled in the same sandbox as the built-ins.
	PolicyDirs []string
	// Enabled says which rules Eval evaluates (nil: all). Every rule is
	// still compiled, checked and listed by Rules; a disabled one is never
	// evaluated, so it costs nothing at evaluation time.
	Enabled func(*model.Rule) bool

	typeCheck bool // type-check the built-in policies too (tests)
}

// Namespaces. The built-in rules own oscfg.rules.* and oscfg.lib; user
// policies live in oscfg.user.<name>, so that a user module can never add
// rules to a built-in package (Rego merges packages of the same name).
const (
	nsBuiltin = "rules"
	nsUser    = "user"
)

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

// sandboxReason says why a builtin is missing from Capabilities, or ""
// when it is not a builtin this OPA knows.
func sandboxReason(name string) string {
	switch name {
	case "http.send", "net.lookup_ip_addr":
		return "no network access"
	case "opa.runtime":
		return "no runtime or environment access"
	case "trace":
		return "no tracing; use print() in tests, shown by oscfg test --verbose"
	}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if b.Name == name {
			if b.Nondeterministic {
				return "nondeterministic: two runs could give different findings"
			}
			return "not in the sandbox"
		}
	}
	return ""
}

// PolicyError is a problem with a policy (built-in or user): parse and
// compile errors, sandbox violations, namespace and METADATA errors. Each
// line starts with file:line.
type PolicyError struct{ Lines []string }

func (e *PolicyError) Error() string { return strings.Join(e.Lines, "\n") }

// CompileErrors turns OPA parse or compile errors into a PolicyError whose
// lines read "file:line: message", naming the builtin a policy may not
// call. Other errors are returned unchanged.
func CompileErrors(err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		var one *ast.Error
		if !errors.As(err, &one) {
			return err
		}
		errs = ast.Errors{one}
	}
	pe := &PolicyError{}
	sandbox := map[string]bool{}
	for _, b := range Capabilities().Builtins {
		sandbox[b.Name] = true
	}
	for _, e := range errs {
		where := ""
		if e.Location != nil {
			where = fmt.Sprintf("%s:%d: ", e.Location.File, e.Location.Row)
		}
		if e.Code == ast.TypeErr && strings.HasPrefix(e.Message, "undefined function ") {
			name := strings.TrimPrefix(e.Message, "undefined function ")
			if why := sandboxReason(name); why != "" && !sandbox[name] {
				pe.Lines = append(pe.Lines, fmt.Sprintf("%s%s is not allowed in oscfg policies (%s)", where, name, why))
				continue
			}
		}
		pe.Lines = append(pe.Lines, e.Error())
	}
	if len(pe.Lines) == 0 {
		return err
	}
	return pe
}

// rulePackage splits a package path data.oscfg.<ns>.<name> into its
// namespace and name; ok is false for any other path.
func rulePackage(path ast.Ref) (ns, name string, ok bool) {
	if len(path) != 4 || !path[0].Equal(ast.DefaultRootDocument) {
		return "", "", false
	}
	var parts [3]string
	for i, t := range path[1:] {
		s, isStr := t.Value.(ast.String)
		if !isStr {
			return "", "", false
		}
		parts[i] = string(s)
	}
	if parts[0] != "oscfg" || (parts[1] != nsBuiltin && parts[1] != nsUser) {
		return "", "", false
	}
	return parts[1], parts[2], true
}

var (
	identRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	ruleIDRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)
)

// pkgName prints a package path the way it is declared (oscfg.user.site).
func pkgName(path ast.Ref) string {
	return strings.TrimPrefix(path.String(), "data.")
}

// checkUserPackage enforces the user namespace on one user module: rules
// and helpers in package oscfg.user.<name>; tests (test true) anywhere
// but in the built-in namespaces.
func checkUserPackage(m *ast.Module, test bool) error {
	path := m.Package.Path
	where := "?"
	if m.Package.Location != nil {
		where = fmt.Sprintf("%s:%d", m.Package.Location.File, m.Package.Location.Row)
	}
	builtinNS := ast.MustParseRef("data.oscfg." + nsBuiltin)
	libNS := ast.MustParseRef("data.oscfg.lib")
	if path.HasPrefix(builtinNS) || path.HasPrefix(libNS) {
		return &PolicyError{[]string{fmt.Sprintf("%s: package %s is reserved for oscfg's built-in rules (it would merge into them); a user policy is \"package oscfg.user.<name>\"", where, pkgName(path))}}
	}
	if test {
		return nil
	}
	if ns, name, ok := rulePackage(path); !ok || ns != nsUser || !identRE.MatchString(name) {
		return &PolicyError{[]string{fmt.Sprintf("%s: package %s: a user policy must be \"package oscfg.user.<name>\" (one name of letters, digits and _; see docs/policies.md)", where, pkgName(path))}}
	}
	return nil
}

// privateNS holds the built-in rules' own helpers: they change with the
// rules, so user policies and their tests use data.oscfg.lib only.
var privateNS = ast.MustParseRef("data.oscfg.lib.internal")

// checkPrivateRefs refuses a user module that reads privateNS, through an
// import or a reference, also one made through an alias (import
// data.oscfg.lib, then lib.internal.x).
func checkPrivateRefs(m *ast.Module) error {
	aliases := map[ast.Var]ast.Ref{}
	for _, imp := range m.Imports {
		ref, ok := imp.Path.Value.(ast.Ref)
		if !ok || len(ref) < 2 {
			continue
		}
		name := imp.Alias
		if name == "" {
			last, ok := ref[len(ref)-1].Value.(ast.String)
			if !ok {
				continue
			}
			name = ast.Var(last)
		}
		aliases[name] = ref
	}
	var bad *ast.Term
	var badRef ast.Ref
	ast.WalkRefs(m, func(r ast.Ref) bool {
		full := r
		if v, ok := r[0].Value.(ast.Var); ok {
			if base, ok := aliases[v]; ok {
				full = base.Concat(r[1:])
			}
		}
		if bad == nil && full.HasPrefix(privateNS) {
			bad, badRef = r[0], full
		}
		return bad != nil
	})
	if bad == nil {
		return nil
	}
	where := "?"
	if bad.Location != nil {
		where = fmt.Sprintf("%s:%d", bad.Location.File, bad.Location.Row)
	}
	return &PolicyError{[]string{fmt.Sprintf("%s: %s is private to oscfg's built-in rules and changes with them; use the helpers of data.oscfg.lib (docs/policies.md, Helpers)", where, badRef)}}
}

// definesDeny reports whether a module has a deny rule.
func definesDeny(m *ast.Module) bool {
	for _, r := range m.Rules {
		if ref := r.Head.Ref(); len(ref) > 0 && ref[0].Equal(ast.VarTerm("deny")) {
			return true
		}
	}
	return false
}

// New parses and compiles the built-in policies and the user ones, checks
// namespaces and every rule's metadata, and prepares the one query that
// evaluates them all. Every policy problem is a *PolicyError naming the file
// and line.
func New(ctx context.Context, opt Options) (*Engine, error) {
	// Compiling allocates a lot of short-lived AST and little that lives
	// on: collecting less often while compiling takes a quarter off
	// start-up (BenchmarkEngineNew) for a few MB more heap.
	defer lessGC()()
	mods, err := builtinModules(false, false)
	if err != nil {
		return nil, err
	}
	for _, dir := range uniqueDirs(opt.PolicyDirs) {
		n := len(mods)
		if err := loadUserDir(dir, mods, false); err != nil {
			return nil, err
		}
		if len(mods) == n {
			return nil, &PolicyError{[]string{fmt.Sprintf("policy directory %s: no policies (*.rego other than *_test.rego)", dir)}}
		}
	}
	caps := Capabilities()
	comp := ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(false)
	if len(opt.PolicyDirs) == 0 && !opt.typeCheck {
		// Type checking is a fifth of compiling and only reports errors;
		// the built-in policies are type-checked by the tests
		// (TestBuiltinsTypeCheck), so a run without user policies skips
		// it. User policies are always checked: they may call anything.
		comp = comp.WithSkipStages(ast.StageCheckTypes)
	}
	comp.Compile(mods)
	if comp.Failed() {
		return nil, CompileErrors(comp.Errors)
	}
	e := &Engine{rules: map[string]*model.Rule{}}
	for _, ref := range comp.GetAnnotationSet().Flatten() {
		a := ref.Annotations
		ns, name, ok := rulePackage(ref.Path)
		if a.Scope != "package" || !ok {
			continue
		}
		r, err := ruleFromAnnotations(ref.Path.String(), a)
		if err != nil {
			return nil, err
		}
		r.User = ns == nsUser
		r.Doc = ruledoc.URL(r)
		key := ns + "/" + name
		if _, dup := e.rules[key]; dup {
			return nil, &PolicyError{[]string{fmt.Sprintf("%s: rule package %s annotated twice", r.Source, pkgName(ref.Path))}}
		}
		e.rules[key] = r
		e.list = append(e.list, r)
	}
	// Every rule package must carry metadata, or its findings would have
	// no id; and ids must be unique. A user package without deny is a
	// helper library and needs none.
	ids := map[string]*model.Rule{}
	for _, r := range e.list {
		if r.User && strings.HasPrefix(strings.ToUpper(r.ID), "OSC-") {
			return nil, &PolicyError{[]string{fmt.Sprintf("%s: rule id %s: ids starting with OSC- are reserved for oscfg's built-in rules; give site rules a prefix of their own, e.g. SITE-", r.Source, r.ID)}}
		}
		if other, dup := ids[strings.ToUpper(r.ID)]; dup {
			return nil, &PolicyError{[]string{fmt.Sprintf("%s: rule id %s is already used by %s (%s)", r.Source, r.ID, strings.TrimPrefix(other.Package, "data."), other.Source)}}
		}
		ids[strings.ToUpper(r.ID)] = r
	}
	names := make([]string, 0, len(comp.Modules))
	for name := range comp.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, file := range names {
		m := comp.Modules[file]
		ns, name, ok := rulePackage(m.Package.Path)
		if !ok || (ns == nsUser && !definesDeny(m)) {
			continue
		}
		if _, ok := e.rules[ns+"/"+name]; !ok {
			return nil, &PolicyError{[]string{fmt.Sprintf("%s:%d: rule package %s has no METADATA with custom.id (see docs/policies.md)", file, m.Package.Location.Row, pkgName(m.Package.Path))}}
		}
	}
	sort.Slice(e.list, func(i, j int) bool { return e.list[i].ID < e.list[j].ID })
	// One query over the enabled packages: ns and pkg are bound from a
	// constant list before data.oscfg[ns][pkg] is walked, so only those
	// packages are evaluated and oscfg.lib is never enumerated.
	pkgs := ast.NewArray()
	for key, r := range e.rules {
		if opt.Enabled == nil || opt.Enabled(r) {
			ns, name, _ := strings.Cut(key, "/")
			pkgs = pkgs.Append(ast.ArrayTerm(ast.StringTerm(ns), ast.StringTerm(name)))
			e.enabled++
		}
	}
	if e.enabled == 0 {
		return e, nil
	}
	pkgs = sortedArray(pkgs)
	e.pq, err = rego.New(
		rego.Query(`[ns, pkg] := `+pkgs.String()+`[_]; f := data.oscfg[ns][pkg].deny[_]`),
		rego.Compiler(comp),
		rego.Capabilities(caps),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// sortedArray sorts an array of terms, so that the query text (and the
// order OPA evaluates packages in) does not depend on map order.
func sortedArray(a *ast.Array) *ast.Array {
	ts := make([]*ast.Term, 0, a.Len())
	a.Foreach(func(t *ast.Term) { ts = append(ts, t) })
	sort.Slice(ts, func(i, j int) bool { return ts[i].Value.Compare(ts[j].Value) < 0 })
	return ast.NewArray(ts...)
}

// lessGC raises GOGC to 400 until the returned func is called, for
// concurrent callers too (the first raises it, the last restores it), and
// never lowers it (GOGC=off or above 400 stays as it is).
func lessGC() func() {
	gcMu.Lock()
	defer gcMu.Unlock()
	if gcUsers == 0 {
		gcSaved = debug.SetGCPercent(400)
		if gcSaved < 0 || gcSaved > 400 {
			debug.SetGCPercent(gcSaved)
		}
	}
	gcUsers++
	return func() {
		gcMu.Lock()
		defer gcMu.Unlock()
		if gcUsers--; gcUsers == 0 {
			debug.SetGCPercent(gcSaved)
		}
	}
}

var (
	gcMu    sync.Mutex
	gcUsers int
	gcSaved int
)

// builtinPrefix names the embedded modules ("policies/nova/nova_001.rego").
const builtinPrefix = "policies/"

// builtinModules parses the embedded policies: only lib/ when libOnly,
// *_test.rego too when tests.
func builtinModules(libOnly, tests bool) (map[string]*ast.Module, error) {
	var paths []string
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		if (!tests && strings.HasSuffix(p, "_test.rego")) || (libOnly && !strings.HasPrefix(p, "lib/")) {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Parsing is a fifth of start-up; the modules are independent, so
	// they are parsed on all cores. Errors are reported in path order.
	parsed := make([]*ast.Module, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(paths))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(paths); i += workers {
				src, err := policies.FS.ReadFile(paths[i])
				if err != nil {
					errs[i] = err
					continue
				}
				parsed[i], errs[i] = ast.ParseModuleWithOpts(builtinPrefix+paths[i], string(src), parserOptions)
			}
		}()
	}
	wg.Wait()
	mods := make(map[string]*ast.Module, len(paths))
	for i, p := range paths {
		if errs[i] != nil {
			return nil, CompileErrors(errs[i])
		}
		mods[builtinPrefix+p] = parsed[i]
	}
	return mods, nil
}

var parserOptions = ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}

// TestModules returns what `oscfg test` compiles: the built-in helper
// library (data.oscfg.lib) and every *.rego under dirs, *_test.rego
// included, with the namespace rules of New. The second result counts the
// test files.
func TestModules(dirs []string) (map[string]*ast.Module, int, error) {
	mods, err := builtinModules(true, false)
	if err != nil {
		return nil, 0, err
	}
	tests := 0
	for _, dir := range uniqueDirs(dirs) {
		if err := loadUserDir(dir, mods, true); err != nil {
			return nil, 0, err
		}
	}
	for name := range mods {
		if !strings.HasPrefix(name, builtinPrefix) && strings.HasSuffix(name, "_test.rego") {
			tests++
		}
	}
	return mods, tests, nil
}

// uniqueDirs drops repeated directories (the same one from oscfg.ini and
// --policy would otherwise be loaded twice).
func uniqueDirs(dirs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range dirs {
		k := filepath.Clean(d)
		if abs, err := filepath.Abs(d); err == nil {
			k = abs
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// loadUserDir parses every *.rego below dir (skipping hidden directories
// and, unless tests, *_test.rego) into mods, keyed by its path.
func loadUserDir(dir string, mods map[string]*ast.Module, tests bool) error {
	if _, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &PolicyError{[]string{fmt.Sprintf("policy directory %s: no such file or directory", dir)}}
		}
		return &PolicyError{[]string{fmt.Sprintf("policy directory %s: %v", dir, err)}}
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		isTest := strings.HasSuffix(p, "_test.rego")
		if !strings.HasSuffix(p, ".rego") || (isTest && !tests) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), parserOptions)
		if err != nil {
			return CompileErrors(err)
		}
		if err := checkUserPackage(m, isTest); err != nil {
			return err
		}
		if err := checkPrivateRefs(m); err != nil {
			return err
		}
		mods[p] = m
		return nil
	})
}

func ruleFromAnnotations(path string, a *ast.Annotations) (*model.Rule, error) {
	src := ""
	if a.Location != nil {
		src = fmt.Sprintf("%s:%d", a.Location.File, a.Location.Row)
	}
	str := func(k string) string {
		s, _ := a.Custom[k].(string)
		return s
	}
	r := &model.Rule{ID: str("id"), Title: a.Title, Severity: str("severity"), Fix: str("fix"),
		Description: strings.TrimSpace(a.Description), Remedy: strings.TrimSpace(str("remedy")),
		Package: path, Source: src}
	if tiers, ok := a.Custom["severities"].(map[string]any); ok {
		for sev, when := range tiers {
			w, _ := when.(string)
			if model.SeverityRank(sev) < 0 {
				return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s: custom.severities key %q is not one of critical, high, medium, low, info", src, path, sev)}}
			}
			r.Severities = append(r.Severities, model.Tier{Severity: sev, When: strings.TrimSpace(w)})
		}
		sort.Slice(r.Severities, func(i, j int) bool {
			return model.SeverityRank(r.Severities[i].Severity) > model.SeverityRank(r.Severities[j].Severity)
		})
	}
	if refs, ok := a.Custom["references"].([]any); ok {
		for i, x := range refs {
			s, ok := x.(string)
			if !ok {
				// YAML reads "a: b" as a mapping: the reference would
				// silently vanish from explain and the reports.
				return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s: custom.references[%d] is not a string (a \": \" inside it makes YAML read a mapping; quote the item)", src, path, i)}}
			}
			r.References = append(r.References, s)
		}
	}
	switch {
	case r.ID == "":
		return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s lacks custom.id", src, path)}}
	case !ruleIDRE.MatchString(r.ID):
		return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s: custom.id %q is not an id like SITE-NOVA-001 (a prefix, then dash-separated upper-case letters and digits)", src, path, r.ID)}}
	case r.Title == "":
		return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s lacks a title", src, path)}}
	case model.SeverityRank(r.Severity) < 0:
		return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s: custom.severity %q is not one of critical, high, medium, low, info", src, path, r.Severity)}}
	}
	// custom.fix is the class of the fixes a rule returns; a rule that
	// returns none need not declare one (decodeFinding refuses a fix
	// without a class).
	switch r.Fix {
	case "safe", "unsafe", "manual", "":
	default:
		return nil, &PolicyError{[]string{fmt.Sprintf("%s: METADATA of %s: custom.fix %q is not safe, unsafe or manual", src, path, r.Fix)}}
	}
	return r, nil
}

// Rules lists every rule, sorted by id.
func (e *Engine) Rules() []*model.Rule { return e.list }

// Rule finds a rule by id (case-insensitive), or nil.
func (e *Engine) Rule(id string) *model.Rule {
	for _, r := range e.list {
		if strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

func decodeFinding(r *model.Rule, v any) (model.Finding, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return model.Finding{}, fmt.Errorf("deny must produce objects, got %T", v)
	}
	f := model.Finding{Rule: r.ID, Title: r.Title, Severity: r.Severity, FixClass: r.Fix}
	f.Host, _ = m["host"].(string)
	f.File, _ = m["file"].(string)
	f.Message, _ = m["message"].(string)
	f.Key, _ = m["key"].(string)
	f.Cluster, _ = m["cluster"].(string)
	f.Line = model.AsInt(m["line"])
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
			rr.Line = model.AsInt(rm["line"])
			f.Related = append(f.Related, rr)
		}
	}
	if fx, ok := m["fix"].(map[string]any); ok && len(fx) > 0 {
		if f.FixClass == "" {
			// Unclassified, it would be neither skipped as unsafe nor
			// printed as manual advice.
			return f, fmt.Errorf("finding has a fix, but the rule's METADATA has no custom.fix (safe, unsafe or manual) and the finding no fix_class")
		}
		// A malformed op is the policy's error, said here with the rule's
		// name, not a "cannot apply fix" at fix time.
		if err := model.CheckFixOp(fx); err != nil {
			return f, err
		}
		f.Fix = fx
	}
	return f, nil
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
