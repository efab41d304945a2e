package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/oscfg/oscfg/model"
)

// Eval runs the enabled rules over one input document (an ast.Value built
// by Input) and returns the findings, sorted.
func (e *Engine) Eval(ctx context.Context, input ast.Value) ([]model.Finding, error) {
	out, err := e.eval(ctx, input)
	if err != nil {
		return nil, err
	}
	SortFindings(out)
	return out, nil
}

func (e *Engine) eval(ctx context.Context, input ast.Value) ([]model.Finding, error) {
	if e.enabled == 0 {
		return nil, nil
	}
	rs, err := e.pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, err
	}
	out := make([]model.Finding, 0, len(rs))
	for _, res := range rs {
		ns, _ := res.Bindings["ns"].(string)
		pkg, _ := res.Bindings["pkg"].(string)
		r := e.rules[ns+"/"+pkg]
		if r == nil {
			return nil, fmt.Errorf("finding from rule package oscfg.%s.%s without metadata", ns, pkg)
		}
		f, err := decodeFinding(r, res.Bindings["f"])
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %v", r.ID, r.Source, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// Partition splits the hosts of an input document (docs/model.md) into
// groups that the rules may judge independently of each other: no rule
// compares a host with a host of another group. Each host is in exactly
// one group.
type Partition func(doc map[string]any) [][]string

// WholeFleet is the partition that is always right: every host in one
// group, so cross-host rules see the whole fleet.
func WholeFleet(doc map[string]any) [][]string {
	hosts, _ := doc["hosts"].(map[string]any)
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	return [][]string{names}
}

// EvalPartitions evaluates the enabled rules once per partition, over the
// input document with input.hosts cut down to that partition's hosts (the
// rest of the document is shared), in parallel on all cores. The findings
// are merged in partition order and then sorted, so the result does not
// depend on scheduling. Every host of input must be in exactly one
// partition.
func (e *Engine) EvalPartitions(ctx context.Context, input ast.Value, parts [][]string) ([]model.Finding, error) {
	docs, err := partitionDocs(input, parts)
	if err != nil {
		return nil, err
	}
	return e.EvalAll(ctx, docs)
}

// EvalAll evaluates the enabled rules over independent input documents (a
// fleet's clusters) in parallel on all cores and merges the findings in a
// deterministic order.
func (e *Engine) EvalAll(ctx context.Context, docs []ast.Value) ([]model.Finding, error) {
	if len(docs) == 1 {
		return e.Eval(ctx, docs[0])
	}
	return e.EvalEach(ctx, len(docs), func(i int) (ast.Value, error) { return docs[i], nil })
}

// EvalEach evaluates n independent input documents, each made by doc(i)
// just before it is evaluated, on all cores, and merges the findings in
// document order, then sorted. Only one document per core is alive at a
// time, so memory follows the largest cluster rather than the fleet (400
// clusters converted up front held 4 GB). doc is called from several
// goroutines, each i once.
func (e *Engine) EvalEach(ctx context.Context, n int, doc func(i int) (ast.Value, error)) ([]model.Finding, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]model.Finding, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				v, err := doc(i)
				if err == nil {
					results[i], err = e.eval(ctx, v)
				}
				if errs[i] = err; err != nil {
					cancel()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	// A document that failed cancelled the others: report its error
	// rather than theirs.
	var first error
	total := 0
	for i, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled)) {
			first = err
		}
		total += len(results[i])
	}
	if first != nil {
		return nil, first
	}
	out := make([]model.Finding, 0, total)
	for _, r := range results {
		out = append(out, r...)
	}
	SortFindings(out)
	return out, nil
}

// partitionDocs builds one input document per partition, sharing every
// value but the hosts object.
func partitionDocs(input ast.Value, parts [][]string) ([]ast.Value, error) {
	doc, ok := input.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("input document is a %s, not an object", ast.ValueName(input))
	}
	var hosts ast.Object = ast.NewObject()
	if t := doc.Get(ast.InternedTerm("hosts")); t != nil {
		if hosts, ok = t.Value.(ast.Object); !ok {
			return nil, fmt.Errorf("input.hosts is a %s, not an object", ast.ValueName(t.Value))
		}
	}
	if len(parts) == 0 {
		parts = [][]string{nil}
	}
	owner := map[string]int{}
	docs := make([]ast.Value, len(parts))
	for i, part := range parts {
		sub := ast.NewObject()
		for _, h := range part {
			if j, dup := owner[h]; dup {
				return nil, fmt.Errorf("partitions: host %s is in partition %d and %d", h, j+1, i+1)
			}
			owner[h] = i
			t := hosts.Get(ast.StringTerm(h))
			if t == nil {
				return nil, fmt.Errorf("partitions: host %s (partition %d) is not in the input", h, i+1)
			}
			sub.Insert(ast.StringTerm(h), t)
		}
		d := ast.NewObject()
		doc.Foreach(func(k, v *ast.Term) {
			if k.Value.Compare(ast.String("hosts")) == 0 {
				v = ast.NewTerm(sub)
			}
			d.Insert(k, v)
		})
		if d.Get(ast.InternedTerm("hosts")) == nil {
			d.Insert(ast.InternedTerm("hosts"), ast.NewTerm(sub))
		}
		docs[i] = d
	}
	var missing []string
	hosts.Foreach(func(k, _ *ast.Term) {
		if s, ok := k.Value.(ast.String); ok {
			if _, ok := owner[string(s)]; !ok {
				missing = append(missing, string(s))
			}
		}
	})
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("partitions: %d hosts in no partition (%s); every host must be in one", len(missing), strings.Join(missing[:min(3, len(missing))], ", "))
	}
	return docs, nil
}

// Input converts the input document (a tree of maps, slices and scalars)
// to the OPA value every evaluation reads, so no evaluation converts or
// JSON-encodes it again. Hosts are converted in parallel: the document of
// a large fleet is mostly hosts.
func Input(doc map[string]any) (ast.Value, error) {
	hosts, ok := doc["hosts"].(map[string]any)
	if !ok || len(hosts) < 2 {
		return toValue(doc)
	}
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	vals := make([]ast.Value, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(names))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(names); i += workers {
				vals[i], errs[i] = newConverter().value(hosts[names[i]])
			}
		}()
	}
	wg.Wait()
	hv := ast.NewObject()
	for i, h := range names {
		if errs[i] != nil {
			return nil, fmt.Errorf("input.hosts[%q]: %w", h, errs[i])
		}
		hv.Insert(ast.StringTerm(h), ast.NewTerm(vals[i]))
	}
	out := ast.NewObject()
	for k, v := range doc {
		if k == "hosts" {
			out.Insert(ast.StringTerm(k), ast.NewTerm(hv))
			continue
		}
		x, err := newConverter().value(v)
		if err != nil {
			return nil, fmt.Errorf("input.%s: %w", k, err)
		}
		out.Insert(ast.StringTerm(k), ast.NewTerm(x))
	}
	return out, nil
}
