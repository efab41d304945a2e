package mycnf

import (
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
)

// BenchmarkParse: throughput on the shared corpus's galera files.
func BenchmarkParse(b *testing.B) {
	corpus.Bench(b, "galera", func(name string, src []byte) { _, _ = Parse(name, src) })
}
