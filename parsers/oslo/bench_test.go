package oslo

import (
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
)

// BenchmarkParse: throughput on the shared corpus's nova files.
func BenchmarkParse(b *testing.B) {
	corpus.Bench(b, "nova", func(name string, src []byte) { _, _ = Parse(name, src) })
}
