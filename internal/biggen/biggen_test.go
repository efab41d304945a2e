package biggen

import (
	"bytes"
	"testing"

	"github.com/oscfg/oscfg/parsers"
)

// The benchmarks' largest files (a million lines) must be files oscfg
// reads: under the read cap. Bytes fills the cap exactly, in whole lines.
func TestSizes(t *testing.T) {
	for _, name := range Names() {
		k := Kinds[name]
		if n := len(k.Lines(1_000_000)); n > parsers.MaxFileSize {
			t.Errorf("%s: 1M lines are %d bytes, over the %d-byte read cap", name, n, parsers.MaxFileSize)
		}
		b := k.Bytes(1 << 16)
		if len(b) > 1<<16 || len(b) < 1<<16-200 || !bytes.HasSuffix(b, []byte("\n")) {
			t.Errorf("%s: Bytes(64k) gave %d bytes", name, len(b))
		}
	}
}
