// Package corpus locates the corpus of real configuration files the
// repository keeps (testdata/corpus, provenance in its SOURCES.tsv) for the
// parsers', registry's and fixers' tests and benchmarks.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus directory, or fails the test: a missing corpus
// must not turn the corpus tests into silent passes.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's working directory: cannot locate testdata/corpus")
		}
		dir = parent
	}
	c := filepath.Join(dir, "testdata", "corpus")
	if st, err := os.Stat(c); err != nil || !st.IsDir() {
		tb.Fatalf("corpus not found at %s: it is part of the repository", c)
	}
	return c
}

// Files lists the files of one corpus folder (nova, keystone, haproxy,
// galera, cron), failing the test when there are none.
func Files(tb testing.TB, folder string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(Dir(tb), folder, "*"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no files in corpus folder %s (%v)", folder, err)
	}
	return files
}

// Bench benchmarks parse over every file of one corpus folder per
// iteration, reporting bytes/s and allocations. Parse errors are ignored:
// the corpus holds files the daemons refuse on purpose.
func Bench(b *testing.B, folder string, parse func(name string, src []byte)) {
	var names []string
	var srcs [][]byte
	total := 0
	for _, f := range Files(b, folder) {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		names, srcs = append(names, f), append(srcs, src)
		total += len(src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			parse(names[j], src)
		}
	}
}
