package loader_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/biggen"
	"github.com/oscfg/oscfg/loader"
)

// BenchmarkLargeFile measures the whole lint path (parse, effective values,
// input document, every rule) on one generated file per kind of 1k to 1M
// lines. Cost must grow linearly with the line count: ns/op and B/op per
// line should stay flat from row to row (docs/hardening.md, "Large inputs").
// OSCFG_BENCH_MAXLINES lowers the top size for a quick run.
func BenchmarkLargeFile(b *testing.B) {
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	max := 1_000_000
	if s := os.Getenv("OSCFG_BENCH_MAXLINES"); s != "" {
		if _, err := fmt.Sscan(s, &max); err != nil {
			b.Fatalf("OSCFG_BENCH_MAXLINES=%q: %v", s, err)
		}
	}
	for _, name := range biggen.Names() {
		k := biggen.Kinds[name]
		for lines := 1000; lines <= max; lines *= 10 {
			b.Run(fmt.Sprintf("%s/lines=%d", name, lines), func(b *testing.B) {
				src := k.Lines(lines)
				root, err := k.WriteHost(b.TempDir(), "host", src)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					fleet, err := loader.Load([]string{root}, loader.Options{Release: "zed", ReleaseSource: "config"})
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
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(lines), "ns/line")
			})
		}
	}
}
