package redact

import (
	"regexp"
	"strings"
)

// haproxyWord is one raw haproxy word: quoted pieces, backslash escapes
// and plain bytes up to a blank or a '#'.
const haproxyWord = `(?:"(?:[^"\\]|\\.)*"|'[^']*'|\\.|[^\s"'\\#])+`

// lineShapes are secrets recognisable in one raw line of any dialect
// without its parser: haproxy's stats auth, userlist passwords and
// Authorization headers. Group 1 is kept, group 2 masked.
var lineShapes = []*regexp.Regexp{
	regexp.MustCompile(`(\bstats\s+auth\s+(?:[^:\s"'\\]|\\.)+:)(` + haproxyWord + `)`),
	regexp.MustCompile(`(^[\s+\-]*#?\s*user\s+\S+\s+(?:insecure-)?password\s+)(` + haproxyWord + `)`),
	regexp.MustCompile(`(?i)((?:authorization|x-auth-token|x-subject-token|x-service-token)(?::|\\?\s|")(?:\\\s|\s|")*(?:(?:basic|bearer|digest|negotiate|token)(?:\\\s|\s)+)?)((?:\\[^rn\s]|[^\s"'\\#])+)`),
}

// keyLine is `key = value`, `key: value` (oslo, my.cnf, crontab
// environment) or `key value` (what oslo.config refuses, shown in a parse
// error), commented out or as a diff line.
var keyLine = regexp.MustCompile(`^([\s+\-]*[#;]*\s*(?:loose[-_])?)([A-Za-z0-9_.\-]+)(\s*[=:]\s*|\s+)(\S.*)$`)

// Line masks one raw configuration line by its shape, for text no parser
// has vouched for: parse errors that quote a line, diffs, file excerpts.
// It masks the value of a secret key (IsSecretKey, IsSecretEnv), the
// haproxy shapes above, command-line secrets (Command) and URL passwords.
func Line(s string) string {
	if m := keyLine.FindStringSubmatchIndex(s); m != nil {
		key, sep := s[m[4]:m[5]], s[m[6]:m[7]]
		val := s[m[8]:m[9]]
		secret := IsSecretKey(key) || strings.TrimSpace(sep) == "=" && IsSecretEnv(key)
		if secret && val != Mask && !isLiteral(strings.TrimSpace(val)) {
			return s[:m[8]] + Mask
		}
	}
	for _, p := range lineShapes {
		s = p.ReplaceAllStringFunc(s, func(m string) string {
			sub := p.FindStringSubmatch(m)
			if sub[2] == Mask {
				return m
			}
			return sub[1] + Mask
		})
	}
	s, _ = Command(s)
	return s
}
