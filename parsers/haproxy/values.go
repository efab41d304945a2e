package haproxy

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxTimeMS is the largest time haproxy accepts ("timer overflow ...
// maximum value is 2147483647 ms or ~24.8 days").
const maxTimeMS = 1<<31 - 1

var timeUnits = map[string]struct{ mul, div int64 }{
	"": {1, 1}, "ms": {1, 1}, "us": {1, 1000}, "s": {1000, 1},
	"m": {60_000, 1}, "h": {3_600_000, 1}, "d": {86_400_000, 1},
}

// ParseTime converts a haproxy time ("1m", "50s", "90") to milliseconds. A
// bare number is milliseconds; microseconds round down. It is strict where
// haproxy 2.6 only warns ("1m30s", "10sec": the manual allows one integer
// and one unit) and rejects what haproxy rejects: decimals, signs,
// upper-case units, values past 2147483647 ms.
func ParseTime(s string) (ms int64, ok bool) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	u, known := timeUnits[s[i:]]
	if !known {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil || n > math.MaxInt64/u.mul {
		return 0, false
	}
	ms = n * u.mul / u.div
	if ms > maxTimeMS {
		return 0, false
	}
	return ms, true
}

// TimeRefused is why haproxy 2.6 refuses to start on time value s, "" when
// it accepts it. Its reading (src/tools.c parse_time_err, shown against the real
// haproxy -c by TestTimeRefusedAsHAProxy): digits first, then nothing or a
// unit (us, ms, s, m, h, d); what follows a unit only warns ("1m30s",
// "10sec"); another character, or a value past 2147483647 ms, is fatal.
// ParseTime is stricter: it reads only what haproxy reads without a warning.
func TimeRefused(s string) string {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 {
		if s == "" {
			return "no time value"
		}
		return fmt.Sprintf("unexpected character '%c'", s[0])
	}
	unit := ""
	switch rest := s[i:]; {
	case rest == "":
	case strings.HasPrefix(rest, "us"), strings.HasPrefix(rest, "ms"):
		unit = rest[:2]
	case strings.ContainsRune("smhd", rune(rest[0])):
		unit = rest[:1]
	default:
		return fmt.Sprintf("unexpected character '%c'", rest[0])
	}
	u := timeUnits[unit]
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil || n > math.MaxInt64/u.mul || n*u.mul/u.div > maxTimeMS {
		return "timer overflow (maximum value is 2147483647 ms or ~24.8 days)"
	}
	return ""
}

// splitAddr splits a bind or server address into host and port the way
// str2sa_range reads it: an optional "proto@" prefix, "[v6]:port", else the
// last colon separates the port (so ":::80" is "::" port 80). A port range
// gives its first port; no port, a "+N"/"-N" offset or a variable gives 0.
// Socket families without ports (unix@, abns@, fd@, paths) give port 0.
func splitAddr(a string) (host string, port int) {
	if proto, rest, ok := strings.Cut(a, "@"); ok && proto != "" && isWordOnly(proto) {
		switch proto {
		case "unix", "abns", "abnsz", "fd", "sockpair", "uxst", "uxdg":
			return rest, 0
		}
		a = rest
	}
	if strings.HasPrefix(a, "/") {
		return a, 0
	}
	var p string
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 {
			return a, 0
		}
		host, p = a[1:end], strings.TrimPrefix(a[end+1:], ":")
	} else if c := strings.LastIndexByte(a, ':'); c >= 0 {
		host, p = a[:c], a[c+1:]
	} else {
		return a, 0
	}
	if first, _, ok := strings.Cut(p, "-"); ok && first != "" {
		p = first // range "80-90"
	}
	if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 && p[0] != '+' {
		port = n
	}
	return host, port
}

func isWordOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}
