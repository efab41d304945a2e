package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplitJoinLines(t *testing.T) {
	for _, in := range []string{"", "a", "a\n", "a\r\nb", "\n\n", "x\r\n\r\ny\n", "a\rb\n"} {
		ls := SplitLines([]byte(in))
		if got := string(JoinLines(ls)); got != in {
			t.Errorf("%q round-trips to %q", in, got)
		}
		for i, l := range ls {
			if l.No != i+1 || in[l.Start:l.End()] != l.Text {
				t.Errorf("%q line %d: %+v", in, i, l)
			}
		}
	}
	if ls := SplitLines([]byte("a\r\nb")); ls[0].EOL != "\r\n" || ls[1].EOL != "" {
		t.Errorf("%+v", ls)
	}
}

func TestCheckText(t *testing.T) {
	cases := map[string]string{
		"ok\n":          "",
		"a\nb\x00\n":    "f:2: binary data",
		"a\n\xff\xfe\n": "f:2: invalid UTF-8",
		"a\n" + strings.Repeat("x", MaxLineLen+1): "f:2: line is",
	}
	for in, want := range cases {
		err := CheckText("f", []byte(in))
		if (err == nil) != (want == "") || (err != nil && !strings.HasPrefix(err.Error(), want)) {
			t.Errorf("%.20q: got %v, want %q", in, err, want)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("dir: %v", err)
	}
	loop := filepath.Join(dir, "loop")
	os.Symlink(loop, loop)
	if _, err := ReadFile(loop); err == nil || !strings.Contains(err.Error(), "symbolic links") {
		t.Errorf("symlink loop: %v", err)
	}
}
