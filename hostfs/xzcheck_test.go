package hostfs

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math/rand"
	"os/exec"
	"strings"
	"testing"
)

// xzFile compresses raw with the real xz utility and its arguments, so the
// framing walked is the one users' archives have (many blocks with -T,
// uncompressed chunks for random data, concatenated streams).
func xzFile(t *testing.T, raw []byte, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("xz")
	if err != nil {
		t.Skip("xz not installed (Debian's xz-utils) to make .xz files")
	}
	cmd := exec.Command(bin, append([]string{"-c"}, args...)...)
	cmd.Stdin = bytes.NewReader(raw)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sampleTar(t *testing.T) []byte {
	rnd := rand.New(rand.NewSource(1))
	noise := make([]byte, 300<<10) // incompressible: LZMA2 stores it uncompressed
	rnd.Read(noise)
	return tarball(t, dir("etc/"), file("etc/nova/nova.conf", "[DEFAULT]\ndebug = true\n"+strings.Repeat("# comment\n", 50000)), file("var/noise", string(noise)))
}

// The walk accepts every framing xz writes, and the archive then opens.
func TestXZFramingAccepted(t *testing.T) {
	raw := sampleTar(t)
	cases := map[string][]byte{
		"default":         xzFile(t, raw),
		"-9":              xzFile(t, raw, "-9"),
		"blocks":          xzFile(t, raw, "-T2", "--block-size=64KiB"),
		"sha256 check":    xzFile(t, raw, "--check=sha256"),
		"no check":        xzFile(t, raw, "--check=none"),
		"two streams":     append(xzFile(t, raw[:len(raw)/2]), append([]byte{0, 0, 0, 0}, xzFile(t, raw[len(raw)/2:])...)...),
		"bcj filter":      xzFile(t, raw, "--x86", "--lzma2=preset=1"),
		"sizes in header": xzFile(t, raw, "-T2", "--block-size=100KiB", "--check=crc64"),
	}
	for name, data := range cases {
		if err := checkXZDicts(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if name == "two streams" || name == "bcj filter" {
			continue // not one tar to open; the decoder has no BCJ filters
		}
		a, err := OpenArchive(writeArchive(t, "h.tar.xz", data), wantAll)
		if err != nil {
			t.Errorf("%s: open: %v", name, err)
			continue
		}
		if b, _, err := a.ReadFile("/etc/nova/nova.conf", 1<<20); err != nil || !bytes.HasPrefix(b, []byte("[DEFAULT]\ndebug = true\n")) {
			t.Errorf("%s: read back: %v", name, err)
		}
	}
}

// setDict rewrites the LZMA2 dictionary code of the first block's header
// (and the header's CRC32), as a hostile file would.
func setDict(t *testing.T, data []byte, code byte) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	h := out[12 : 12+int(out[12])*4+4]
	i := bytes.Index(h, []byte{0x21, 0x01}) // LZMA2, one byte of properties
	if i < 0 {
		t.Fatal("no LZMA2 filter in the first block header")
	}
	h[i+2] = code
	binary.LittleEndian.PutUint32(h[len(h)-4:], crc32.ChecksumIEEE(h[:len(h)-4]))
	return out
}

// A header asking for a 4 GiB (or 96 MiB) dictionary is refused before
// the decoder allocates it, with the bound named; 64 MiB is accepted.
func TestXZDictionaryBound(t *testing.T) {
	good := xzFile(t, sampleTar(t), "-6")
	for code, refused := range map[byte]bool{40: true, 29: true, 28: false, 22: false} {
		err := checkXZDicts(bytes.NewReader(setDict(t, good, code)))
		if (err != nil) != refused {
			t.Errorf("dictionary code %d: refused=%v, want %v (%v)", code, err != nil, refused, err)
		}
	}
	_, err := OpenArchive(writeArchive(t, "bomb.tar.xz", setDict(t, good, 40)), wantAll)
	if err == nil || !strings.Contains(err.Error(), "more than the 64 MiB oscfg accepts") || !strings.Contains(err.Error(), "bomb.tar.xz") {
		t.Fatalf("a 4 GiB dictionary: %v", err)
	}
}

// Truncated and garbled framing is an error, never a hang or a panic.
func TestXZFramingTruncated(t *testing.T) {
	good := xzFile(t, sampleTar(t), "-T2", "--block-size=64KiB")
	for _, n := range []int{5, 12, 13, 20, 100, len(good) / 2, len(good) - 13, len(good) - 1} {
		if err := checkXZDicts(bytes.NewReader(good[:n])); err == nil {
			t.Errorf("truncated at %d of %d: accepted", n, len(good))
		}
	}
}
