// Package parsers holds what every dialect parser shares: the positioned
// error type and the checks that refuse input no config daemon would read
// (binary data, absurd line lengths) before a dialect ever sees it.
package parsers

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/oscfg/oscfg/hostfs"
)

// Error is a parse or read error with a position. Line is 1-based; 0 means
// the error concerns the whole file (unreadable, missing).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errorf builds a positioned *Error.
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// MaxFileSize bounds what oscfg reads; real configs are kilobytes.
const MaxFileSize = 16 << 20

// MaxLineLen is the longest line any dialect accepts. haproxy grows its
// line buffer without a fixed cap since 2.3, but every real config line is
// far shorter; anything longer is almost certainly not a config file.
const MaxLineLen = 64 << 10

// ReadFile reads a config file named directly (not under a host root)
// and runs CheckText on it. FIFOs, devices and files over MaxFileSize are
// refused without blocking. Errors name the file; it never returns
// partial data.
func ReadFile(path string) ([]byte, error) {
	data, err := hostfs.ReadPath(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	if err := CheckText(path, data); err != nil {
		return nil, err
	}
	return data, nil
}

// CheckText refuses data that is not a text config: NUL bytes, invalid
// UTF-8, or a line longer than MaxLineLen. The error carries the line.
func CheckText(path string, data []byte) error {
	line, start := 1, 0
	for i := 0; i <= len(data); i++ {
		if i == len(data) || data[i] == '\n' {
			if i-start > MaxLineLen {
				return Errorf(path, line, "line is %d bytes long, over the %d-byte limit (not a config file?)", i-start, MaxLineLen)
			}
			if i < len(data) {
				line++
				start = i + 1
			}
			continue
		}
		if data[i] == 0 {
			return Errorf(path, line, "binary data (NUL byte) in a text config file")
		}
	}
	if !utf8.Valid(data) {
		// Find the line of the first invalid byte for the message.
		for off := 0; off < len(data); {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size == 1 {
				return Errorf(path, 1+bytes.Count(data[:off], []byte{'\n'}), "invalid UTF-8 (binary or mis-encoded file)")
			}
			off += size
		}
	}
	return nil
}

// Line is one physical line of a file: its text without the line ending,
// and the ending as it was ("\n", "\r\n", or "" on a last line without one).
// Concatenating Text+EOL over all lines gives back the file exactly.
type Line struct {
	No    int    // 1-based
	Start int    // byte offset of the first byte of the line
	Text  string // without EOL
	EOL   string
}

// End is the byte offset just past the line's text (before its EOL).
func (l Line) End() int { return l.Start + len(l.Text) }

// Next is the byte offset of the following line (after the EOL).
func (l Line) Next() int { return l.Start + len(l.Text) + len(l.EOL) }

// SplitLines splits data into physical lines, keeping every byte.
func SplitLines(data []byte) []Line {
	var out []Line
	start, no := 0, 1
	for start < len(data) {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			out = append(out, Line{No: no, Start: start, Text: string(data[start:])})
			break
		}
		end := start + i
		text, eol := data[start:end], "\n"
		if len(text) > 0 && text[len(text)-1] == '\r' {
			text, eol = text[:len(text)-1], "\r\n"
		}
		out = append(out, Line{No: no, Start: start, Text: string(text), EOL: eol})
		start = end + 1
		no++
	}
	return out
}

// JoinLines is the inverse of SplitLines.
func JoinLines(lines []Line) []byte {
	n := 0
	for _, l := range lines {
		n += len(l.Text) + len(l.EOL)
	}
	b := make([]byte, 0, n)
	for _, l := range lines {
		b = append(b, l.Text...)
		b = append(b, l.EOL...)
	}
	return b
}
