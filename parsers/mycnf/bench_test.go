package mycnf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
)

// BenchmarkParse: throughput on the shared corpus's galera files.
func BenchmarkParse(b *testing.B) {
	corpus.Bench(b, "galera", func(name string, src []byte) { _, _ = Parse(name, src) })
}

// BenchmarkIncludeFanOut: ten levels of four-file !includedir directories
// (4^10 reads without a cap; issue 8 measured 77 s). The cap stops the
// load after MaxFiles reads with an error.
func BenchmarkIncludeFanOut(b *testing.B) {
	files := map[string]string{"etc/my.cnf": "[mysqld]\n!includedir /etc/d1\n"}
	for lvl := 1; lvl <= 10; lvl++ {
		for i := 0; i < 4; i++ {
			body := "[mysqld]\nx=1\n" // depth 10: MariaDB's limit, no more includes
			if lvl < 10 {
				body = fmt.Sprintf("[mysqld]\n!includedir /etc/d%d\n", lvl+1)
			}
			files[fmt.Sprintf("etc/d%d/%d.cnf", lvl, i)] = body
		}
	}
	root := tree(b, files)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Load(root, "/etc/my.cnf"); err == nil || !strings.Contains(err.Error(), "more than") {
			b.Fatalf("want the file cap's error, got %v", err)
		}
	}
}
