package biggen

import (
	"bytes"
	"testing"
)

// Bytes fills a size exactly, in whole lines. (That a million lines fit
// under the read cap is checked where it matters: BenchmarkLargeFile fails
// when the loader refuses its file.)
func TestSizes(t *testing.T) {
	for _, name := range Names() {
		k := Kinds[name]
		b := k.Bytes(1 << 16)
		if len(b) > 1<<16 || len(b) < 1<<16-200 || !bytes.HasSuffix(b, []byte("\n")) {
			t.Errorf("%s: Bytes(64k) gave %d bytes", name, len(b))
		}
	}
}
