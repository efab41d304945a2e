package hostfs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxXZDict bounds the LZMA2 dictionary an .xz archive may ask for. The
// decoder allocates the dictionary a block header claims before reading a
// byte of data, and a header may claim 4 GiB; xz's largest preset (-9)
// uses 64 MiB.
var MaxXZDict int64 = 64 << 20

// checkXZDicts walks the framing of an xz file (stream headers, block
// headers, LZMA2 chunk headers, indexes, footers; the compressed data is
// skipped, not decoded) and refuses a block whose dictionary is larger
// than MaxXZDict. The decoder library takes the header's value as a
// minimum, so the bound has to be checked before decoding.
func checkXZDicts(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for stream := 0; ; stream++ {
		if stream > 0 {
			// Stream padding: groups of four zero bytes, then EOF or the
			// next stream.
			for {
				b, err := br.Peek(4)
				if len(b) == 0 && err == io.EOF {
					return nil
				}
				if err != nil {
					return fmt.Errorf("xz: truncated stream padding")
				}
				if !bytes.Equal(b, []byte{0, 0, 0, 0}) {
					break
				}
				br.Discard(4)
			}
		}
		if err := checkXZStream(br); err != nil {
			return err
		}
	}
}

var xzMagic = []byte{0xfd, '7', 'z', 'X', 'Z', 0}

func checkXZStream(br *bufio.Reader) error {
	var hdr [12]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return errors.New("xz: truncated stream header")
	}
	if !bytes.Equal(hdr[:6], xzMagic) {
		return errors.New("xz: bad stream header")
	}
	checkSize := xzCheckSize(hdr[7] & 0x0f)
	for {
		size, err := br.ReadByte()
		if err != nil {
			return errors.New("xz: truncated block header")
		}
		if size == 0 {
			return skipXZIndexAndFooter(br)
		}
		if err := checkXZBlock(br, int(size)*4+4, checkSize); err != nil {
			return err
		}
	}
}

// xzCheckSize is the size of a block's check field for a check ID (the
// xz format, section 2.1.1.2: IDs come in groups of three per size).
func xzCheckSize(id byte) int {
	switch {
	case id == 0:
		return 0
	case id <= 3:
		return 4
	case id <= 6:
		return 8
	case id <= 9:
		return 16
	case id <= 12:
		return 32
	}
	return 64
}

// checkXZBlock reads one block whose header (headerSize bytes, the size
// byte already read) starts the reader.
func checkXZBlock(br *bufio.Reader, headerSize, checkSize int) error {
	h := make([]byte, headerSize-1)
	if _, err := io.ReadFull(br, h); err != nil {
		return errors.New("xz: truncated block header")
	}
	p := bytes.NewReader(h[:len(h)-4]) // the CRC32 ends it
	flags, _ := p.ReadByte()
	filters := int(flags&0x03) + 1
	hasCompressed := flags&0x40 != 0
	if hasCompressed {
		if _, err := readXZVarint(p); err != nil {
			return err
		}
	}
	if flags&0x80 != 0 {
		if _, err := readXZVarint(p); err != nil {
			return err
		}
	}
	for i := 0; i < filters; i++ {
		id, err := readXZVarint(p)
		if err != nil {
			return err
		}
		n, err := readXZVarint(p)
		if err != nil {
			return err
		}
		if n > uint64(p.Len()) {
			return errors.New("xz: bad filter properties")
		}
		props := make([]byte, n)
		p.Read(props)
		if id == 0x21 { // LZMA2
			if len(props) != 1 {
				return errors.New("xz: bad LZMA2 properties")
			}
			if err := checkLZMA2Dict(props[0]); err != nil {
				return err
			}
		}
	}
	// The compressed data: walk LZMA2's chunk headers to its end.
	var data int64
	for {
		c, err := br.ReadByte()
		if err != nil {
			return errors.New("xz: truncated block")
		}
		data++
		var skip int
		switch {
		case c == 0:
		case c == 1 || c == 2:
			var s [2]byte
			if _, err := io.ReadFull(br, s[:]); err != nil {
				return errors.New("xz: truncated block")
			}
			skip = (int(s[0])<<8 | int(s[1])) + 1
			data += 2
		case c >= 0x80:
			var s [4]byte
			if _, err := io.ReadFull(br, s[:]); err != nil {
				return errors.New("xz: truncated block")
			}
			skip = (int(s[2])<<8 | int(s[3])) + 1
			data += 4
			if (c>>5)&3 >= 2 { // a properties byte follows
				skip++
			}
		default:
			return errors.New("xz: bad LZMA2 chunk")
		}
		if c == 0 {
			break
		}
		if n, _ := br.Discard(skip); n != skip {
			return errors.New("xz: truncated block")
		}
		data += int64(skip)
	}
	pad := int((4 - (int64(headerSize)+data)%4) % 4)
	if n, _ := br.Discard(pad + checkSize); n != pad+checkSize {
		return errors.New("xz: truncated block")
	}
	return nil
}

func checkLZMA2Dict(code byte) error {
	if code > 40 {
		return errors.New("xz: bad LZMA2 dictionary size")
	}
	size := int64(1<<32 - 1)
	if code < 40 {
		size = int64(2|code&1) << (code/2 + 11)
	}
	if size > MaxXZDict {
		return fmt.Errorf("xz: a block asks for a %d MiB dictionary, more than the %d MiB oscfg accepts (xz -9 uses 64 MiB); recompress it, or unpack it and name the directory", size>>20, MaxXZDict>>20)
	}
	return nil
}

func skipXZIndexAndFooter(br *bufio.Reader) error {
	n, err := readXZVarint(br)
	if err != nil {
		return err
	}
	size := int64(1) + int64(varintLen(n))
	for i := uint64(0); i < n; i++ {
		for j := 0; j < 2; j++ {
			v, err := readXZVarint(br)
			if err != nil {
				return err
			}
			size += int64(varintLen(v))
		}
	}
	pad := int((4 - size%4) % 4)
	if k, _ := br.Discard(pad + 4 + 12); k != pad+4+12 { // padding, CRC32, footer
		return errors.New("xz: truncated index")
	}
	return nil
}

func readXZVarint(r io.ByteReader) (uint64, error) {
	var v uint64
	for i := 0; i < 9; i++ {
		b, err := r.ReadByte()
		if err != nil {
			return 0, errors.New("xz: truncated number")
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("xz: bad number")
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
