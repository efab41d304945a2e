package haproxy

import (
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
)

// BenchmarkParse: throughput on the shared corpus's haproxy files.
func BenchmarkParse(b *testing.B) {
	corpus.Bench(b, "haproxy", func(name string, src []byte) { _, _ = Parse(name, src) })
}
