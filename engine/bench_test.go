package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/topology"
)

// regionsInput loads a multi-region fleet of about n hosts.
func regionsInput(b *testing.B, n int) map[string]any {
	b.Helper()
	dir := b.TempDir()
	if _, err := fleetgen.Regions("../testdata/scenarios/good-fleet/fleet", dir, fleetgen.RegionsFor(n)); err != nil {
		b.Fatal(err)
	}
	fleet, err := loader.Load([]string{dir}, loader.Options{Release: "zed", ReleaseSource: "config"})
	if err != nil {
		b.Fatal(err)
	}
	return loader.Input(fleet, loader.DefaultSettings)
}

// BenchmarkRule evaluates each rule alone over a multi-region fleet, one
// document per cluster as lint does, to see which rules the evaluation
// time goes to (docs/performance.md):
//
//	go test -run '^$' -bench 'Rule/hosts=1000' -benchtime 1x ./engine
func BenchmarkRule(b *testing.B) {
	ctx := context.Background()
	all, err := engine.New(ctx, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			doc := regionsInput(b, n)
			var docs []ast.Value
			for _, c := range topology.ClusterNames(doc) {
				v, err := engine.Value(topology.Partition(doc, c))
				if err != nil {
					b.Fatal(err)
				}
				docs = append(docs, v)
			}
			for _, r := range all.Rules() {
				id := r.ID
				e, err := engine.New(ctx, engine.Options{Enabled: func(r *model.Rule) bool { return r.ID == id }})
				if err != nil {
					b.Fatal(err)
				}
				b.Run(id, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if _, err := e.EvalAll(ctx, docs); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkInput measures converting the input document to OPA values.
func BenchmarkInput(b *testing.B) {
	doc := regionsInput(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := engine.Input(doc); err != nil {
			b.Fatal(err)
		}
	}
}
