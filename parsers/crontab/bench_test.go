package crontab

import (
	"os"
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
)

// BenchmarkParse parses every cron file of the shared corpus once per
// iteration; bytes/s is the parser's throughput on real configs.
func BenchmarkParse(b *testing.B) {
	var srcs [][]byte
	var names []string
	total := 0
	for _, f := range corpus.Files(b, "cron") {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs, names = append(srcs, src), append(names, f)
		total += len(src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			f := names[j]
			_, _ = Parse(f, src, User, "keystone", "17 * * * *")
		}
	}
}
