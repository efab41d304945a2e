package haproxy

import (
	"fmt"
	"strings"
)

// maxWords is haproxy's MAX_LINE_ARGS: the 64th unquoted separator on a line
// makes it alert "too many words" and refuse the file.
const maxWords = 64

// Word is one word of a statement after haproxy's quoting and escaping
// (environment variables are left as written).
type Word struct {
	Text  string // unquoted, unescaped
	Start int    // byte span of the raw word in the file, quotes included
	End   int
	Env   bool // has a $NAME / ${NAME} reference inside double quotes
}

// wordError is a tokenizer error at a byte offset within the line.
type wordError struct {
	col int // 0-based offset in the line text
	msg string
}

// isSpace is C isspace() without '\n' (lines never contain it).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isAlpha(c) || '0' <= c && c <= '9' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// splitWords splits one line (without its EOL) the way parse_line() in
// haproxy's src/tools.c does with the options cfgparse.c passes: '#' outside
// quotes ends the statement, a CR ends it too (unless it is part of a run of
// blanks, which isspace() swallows), '...' protects everything, "..."
// protects blanks, quotes and '#', and is the only place parse_line()
// expands "$VAR" (addresses are expanded again later, by str2sa_range,
// however they were quoted). base is the line's offset in the file, for the
// word spans.
func splitWords(s string, base int) ([]Word, *wordError) {
	var (
		words    []Word
		buf      strings.Builder
		sq, dq   bool
		quoteAt  = -1
		env      bool
		seps     int
		tooMany  = -1
		i        int
		start    int
		emitWord = func(end int) {
			words = append(words, Word{Text: buf.String(), Start: base + start, End: base + end, Env: env})
			buf.Reset()
			env = false
		}
	)
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	start = i
loop:
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\r':
			break loop // parse_line stops at CR, even inside quotes
		case c == '#' && !sq && !dq:
			break loop
		case c == '"' && !sq:
			dq = !dq
			quoteAt = i
			i++
		case c == '\'' && !dq:
			sq = !sq
			quoteAt = i
			i++
		case c == '\\' && !sq:
			n, adv, err := unescape(s, i, dq)
			if err != nil {
				return nil, err
			}
			buf.WriteByte(n)
			i += adv
		case isSpace(c) && !sq && !dq:
			emitWord(i)
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			start = i
			// haproxy counts the separator even when nothing follows it.
			if seps++; seps >= maxWords && tooMany < 0 {
				tooMany = i
			}
		case c == '$' && dq:
			end, err := envRef(s, i)
			if err != nil {
				return nil, err
			}
			buf.WriteString(s[i:end])
			env = true
			i = end
		default:
			buf.WriteByte(c)
			i++
		}
	}
	if sq || dq {
		return nil, &wordError{quoteAt, fmt.Sprintf("unmatched quote at column %d", quoteAt+1)}
	}
	if tooMany >= 0 {
		return nil, &wordError{tooMany, fmt.Sprintf("too many words (haproxy reads at most %d per line)", maxWords)}
	}
	// Like haproxy, a trailing empty word (after blanks, or a lone "") is
	// not a word.
	if buf.Len() > 0 {
		emitWord(i)
	}
	return words, nil
}

// unescape decodes the backslash sequence at s[i] (outside single quotes)
// and returns the byte it stands for and how many input bytes it used.
// Sequences haproxy does not know keep their backslash (regexes need it).
func unescape(s string, i int, dq bool) (byte, int, *wordError) {
	var next byte
	if i+1 < len(s) {
		next = s[i+1]
	}
	switch next {
	case ' ', '\\', '#', '\'', '"':
		return next, 2, nil
	case 't':
		return '\t', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case '$':
		if dq { // \$ is an escape only where $ would be a variable
			return '$', 2, nil
		}
	case 'x':
		if i+3 >= len(s) || !isHex(s[i+2]) || !isHex(s[i+3]) {
			return 0, 0, &wordError{i, fmt.Sprintf("truncated or invalid hexadecimal sequence at column %d", i+1)}
		}
		return unhex(s[i+2])<<4 | unhex(s[i+3]), 4, nil
	}
	return '\\', 1, nil
}

// pseudoVars are the internal variables newer haproxy versions define.
var pseudoVars = map[string]bool{".LINE": true, ".FILE": true, ".SECTION": true}

// envRef checks the variable reference at s[i] == '$' inside double quotes
// and returns where it ends. haproxy rejects these forms whatever the
// environment holds, so they are syntax errors here too.
func envRef(s string, i int) (int, *wordError) {
	j := i + 1
	brace := -1
	if j < len(s) && s[j] == '{' {
		brace = j
		j++
	}
	if j >= len(s) || !(isAlpha(s[j]) || s[j] == '_' || s[j] == '.') {
		return 0, &wordError{j, fmt.Sprintf("forbidden first character in environment variable name at column %d", j+1)}
	}
	name := j
	if s[j] == '.' {
		j++
	}
	for j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
		j++
	}
	if s[name] == '.' && !pseudoVars[s[name:j]] {
		return 0, &wordError{name, fmt.Sprintf("unknown pseudo-variable %q at column %d", s[name:j], name+1)}
	}
	if brace < 0 {
		return j, nil
	}
	if j < len(s) && s[j] == '[' {
		if !strings.HasPrefix(s[j:], "[*]") {
			return 0, &wordError{j, fmt.Sprintf("invalid word expansion (only [*]) at column %d", j+1)}
		}
		j += 3
	}
	if j < len(s) && s[j] == '-' {
		// The default value runs to the next '}', quotes and all.
		k := strings.IndexByte(s[j:], '}')
		if k < 0 {
			return 0, &wordError{brace, fmt.Sprintf("unmatched brace in environment variable at column %d", brace+1)}
		}
		return j + k + 1, nil
	}
	if j >= len(s) || s[j] != '}' {
		return 0, &wordError{brace, fmt.Sprintf("unmatched brace in environment variable at column %d", brace+1)}
	}
	return j + 1, nil
}
