package loader_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/loader"
)

// BenchmarkPipeline measures the whole lint path (discover, parse, build
// the input document, convert it, evaluate every rule) on synthetic fleets
// made from the demo fleet: its controllers and DB node, then computes. Reported per fleet, with allocations; compile
// once outside the loop, as the CLI does.
func BenchmarkPipeline(b *testing.B) {
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, hosts := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("hosts=%d", hosts), func(b *testing.B) {
			dir := b.TempDir()
			files, err := fleetgen.Write("../testdata/demo-fleet", dir, hosts)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				fleet, err := loader.Load([]string{dir}, loader.Options{Release: "mitaka", ReleaseSource: "config"})
				if err != nil {
					b.Fatal(err)
				}
				in, err := engine.Input(loader.Input(fleet, loader.DefaultSettings))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := eng.Eval(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(files), "files")
		})
	}
}

// BenchmarkLoad isolates discovery and parsing.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	if _, err := fleetgen.Write("../testdata/demo-fleet", dir, 100); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := loader.Load([]string{dir}, loader.Options{Release: "mitaka", ReleaseSource: "config"}); err != nil {
			b.Fatal(err)
		}
	}
}
