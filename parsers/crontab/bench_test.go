package crontab

import (
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
)

// BenchmarkParse: throughput on the shared corpus's cron files.
func BenchmarkParse(b *testing.B) {
	corpus.Bench(b, "cron", func(name string, src []byte) { _, _ = Parse(name, src, User, "keystone", "17 * * * *") })
}
