// Package regotest is the Rego builtin that builds a rule test's input
// from real config text: oscfg.fleet(files) loads in-memory files through
// lint's own load steps (discover, parse, release, topology, the input
// document) and returns the document the rules would read, so a test's
// input has the loader's shape and cannot drift from it. The built-in
// rule tests (policies) and 'oscfg test' both register it; lint does not,
// so a policy that calls it is refused when it loads.
package regotest

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/lint"
	"github.com/oscfg/oscfg/parsers/discover"
)

// FleetDecl declares oscfg.fleet(files): files is {"HOST:/PATH": text},
// the result the input document.
var FleetDecl = &ast.Builtin{
	Name:        "oscfg.fleet",
	Description: `The input document oscfg lint builds for config files given as text, keyed "HOST:/PATH" (or "CLUSTER/HOST:/PATH" in a nested fleet). Tests only.`,
	Decl: types.NewFunction(
		types.Args(types.Named("files", types.NewObject(nil, types.NewDynamicProperty(types.S, types.S))).Description(`{"HOST:/PATH": "config text"}`)),
		types.Named("input", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))).Description("the input document, as oscfg model prints it"),
	),
}

// Capabilities is c with the declarations of the test builtins, for the
// compiler of a test run.
func Capabilities(c *ast.Capabilities) *ast.Capabilities {
	out := *c
	out.Builtins = append(slices.Clone(c.Builtins), FleetDecl)
	return &out
}

// Builtins are the test builtins, for tester.Runner.AddCustomBuiltins.
func Builtins() []*tester.Builtin {
	return []*tester.Builtin{{Decl: FleetDecl, Func: rego.Function1(
		&rego.Function{Name: FleetDecl.Name, Decl: FleetDecl.Decl, Memoize: true},
		func(bctx rego.BuiltinContext, a *ast.Term) (*ast.Term, error) {
			obj, ok := a.Value.(ast.Object)
			if !ok {
				return nil, fmt.Errorf(`files must be an object {"HOST:/PATH": "config text"}, not %s`, ast.ValueName(a.Value))
			}
			files := make(map[string]string, obj.Len())
			err := obj.Iter(func(k, v *ast.Term) error {
				ks, ok := k.Value.(ast.String)
				if !ok {
					return fmt.Errorf("key %v is not a string", k)
				}
				vs, ok := v.Value.(ast.String)
				if !ok {
					return fmt.Errorf("%s: the file's text must be a string, not %s", ks, ast.ValueName(v.Value))
				}
				files[string(ks)] = string(vs)
				return nil
			})
			if err != nil {
				return nil, err
			}
			doc, err := Fleet(bctx.Context, files)
			if err != nil {
				return nil, err
			}
			// The conversion lint's evaluation makes.
			v, err := engine.Input(doc)
			if err != nil {
				return nil, err
			}
			return ast.NewTerm(v), nil
		})}}
}

var hostRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$`)

// Fleet is the input document lint gives the rules for files, keyed
// "HOST:/PATH" (the path on that host) or "CLUSTER/HOST:/PATH" (a host of
// a nested fleet, FLEET/CLUSTER/HOST): the hosts are held in memory and
// loaded by lint.Load, settings the defaults. A file that does not load
// is an error naming HOST:/PATH:LINE; so is one oscfg never looks at (not
// a place it reads configuration or release evidence from), which would
// otherwise leave a test passing over nothing. A file looked at and left
// (another layout's copy wins) is no error.
func Fleet(ctx context.Context, files map[string]string) (map[string]any, error) {
	if len(files) == 0 {
		return nil, errors.New(`no files: give {"HOST:/PATH": "config text"}, such as {"ctl1:/etc/nova/nova.conf": "[DEFAULT]\ndebug = true\n"}`)
	}
	byHost := map[string]map[string][]byte{}
	for k, text := range files {
		host, p, ok := strings.Cut(k, ":")
		if !ok || !hostRE.MatchString(host) || !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("%q: a key is HOST:/PATH (or CLUSTER/HOST:/PATH), such as ctl1:/etc/nova/nova.conf", k)
		}
		if path.Clean(p) != p || p == "/" {
			return nil, fmt.Errorf("%q: %s is not a clean path of a file (write %s)", k, p, path.Clean(p))
		}
		if byHost[host] == nil {
			byHost[host] = map[string][]byte{}
		}
		byHost[host][p] = []byte(text)
	}
	hosts := make([]string, 0, len(byHost))
	for h := range byHost {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	// A host named as another's cluster is no fleet on disk: FLEET/CLUSTER/
	// would be that host's root, and the hosts under it never looked at.
	for _, h := range hosts {
		if cluster, _, nested := strings.Cut(h, "/"); nested && byHost[cluster] != nil {
			return nil, fmt.Errorf("%q is both a host and the cluster of %s: give a nested fleet's hosts all as CLUSTER/HOST", cluster, h)
		}
	}
	var roots []discover.Open
	var mem []*hostfs.Archive
	for _, h := range hosts {
		fsys, err := hostfs.Memory(h, byHost[h])
		if err != nil {
			return nil, err
		}
		cluster, _, _ := strings.Cut(h, "/")
		if cluster == h {
			cluster = ""
		}
		roots = append(roots, discover.Open{Name: h, Cluster: cluster, FS: fsys})
		mem = append(mem, fsys)
	}
	ld, err := lint.Load(ctx, lint.Options{Hosts: roots})
	if err != nil {
		return nil, err
	}
	var unseen []string
	for i, fsys := range mem {
		for _, p := range fsys.Unseen() {
			unseen = append(unseen, hosts[i]+":"+p)
		}
	}
	if len(unseen) > 0 {
		return nil, fmt.Errorf("%s: oscfg does not read this: no configuration or release evidence is looked for there (oscfg files -v HOST-ROOT shows which files of a host root are read and why others are skipped)", strings.Join(unseen, ", "))
	}
	return ld.Input, nil
}
