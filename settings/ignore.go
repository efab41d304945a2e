package settings

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
)

// Ignore is one line of the [ignore] section of oscfg.ini:
//
//	[ignore]
//	OSC-HAP-001 = host=ctl1 path=/etc/haproxy/haproxy.cfg until=2027-03-31 -- pinned by pacemaker
//	OSC-HAP-001 = host=lab-* key=horizon/balance
//	OSC-CRON-*  = path=/etc/cron.d/legacy -- decommissioned in Q3
//
// The key is a rule id or a glob of rule ids. A rule may appear on any
// number of lines; each line is one suppression. The value holds optional
// matchers, all of which must match a finding: host= (host-name glob),
// path= (glob of the file's path on the host), key= (glob of the finding's
// stable key, e.g. cinder_api/balance or database/connection_recycle_time,
// as `--format json` shows it). until=YYYY-MM-DD is the last day the line
// applies; after it the findings are reported again and the line is listed
// as expired. The reason follows " -- " (or reason="..."). Globs are
// path.Match patterns: '*' does not cross '/'.
type Ignore struct {
	Rule   string    // rule id or glob, upper-cased
	Host   string    // host-name glob; "" matches any host
	Path   string    // host-path glob; "" matches any file
	Key    string    // glob of the finding's key; "" matches any
	Until  time.Time // last day it applies (local date); zero: no expiry
	Reason string
	Line   int // line in the settings file
}

// Matches reports whether the line applies to a finding of rule on host in
// file with key (expiry aside).
func (ig Ignore) Matches(rule, host, file, key string) bool {
	return globMatch(ig.Rule, strings.ToUpper(rule)) && globMatch(ig.Host, host) &&
		globMatch(ig.Path, file) && globMatch(ig.Key, key)
}

// String is the line as written (normalised) without its reason.
func (ig Ignore) String() string {
	if m := ig.Matchers(); m != "" {
		return ig.Rule + " " + m
	}
	return ig.Rule
}

// Matchers is the line's host=, path=, key= and until= words.
func (ig Ignore) Matchers() string {
	var parts []string
	for _, kv := range [][2]string{{"host", ig.Host}, {"path", ig.Path}, {"key", ig.Key}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if !ig.Until.IsZero() {
		parts = append(parts, "until="+ig.Until.Format(DateLayout))
	}
	return strings.Join(parts, " ")
}

func globMatch(glob, s string) bool {
	if glob == "" {
		return true
	}
	ok, _ := path.Match(glob, s)
	return ok
}

// DateLayout is the format of until= dates.
const DateLayout = "2006-01-02"

// ParseUntil reads an until= date (YYYY-MM-DD) as a local date.
func ParseUntil(v string) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, v, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("until=%s: want a date as YYYY-MM-DD", v)
	}
	return t, nil
}

// Expired reports whether a suppression valid until the given day no
// longer applies at now: it applies through the whole of that day.
func Expired(until, now time.Time) bool {
	if until.IsZero() {
		return false
	}
	y, m, d := until.Date()
	return !now.Before(time.Date(y, m, d+1, 0, 0, 0, 0, now.Location()))
}

// SplitReason splits "words -- reason" at the first " -- " (or a leading
// "-- "); a reason="..." word is also accepted by the callers.
func SplitReason(s string) (words, reason string) {
	loc := reasonSep.FindStringIndex(s)
	if loc == nil {
		return strings.TrimSpace(s), ""
	}
	return strings.TrimSpace(s[:loc[0]]), strings.TrimSpace(s[loc[1]:])
}

var reasonSep = regexp.MustCompile(`(^|[ \t])--([ \t]|$)`)

// Fields splits on blanks; a double-quoted part ("a b") keeps its blanks
// and loses its quotes. A word starting with '#' or ';' starts a comment.
func Fields(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	in, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
			in = true
		case (c == ' ' || c == '\t') && !quoted:
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		case (c == '#' || c == ';') && !quoted && !in:
			return out, nil
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote")
	}
	if in {
		out = append(out, b.String())
	}
	return out, nil
}

// parseIgnores reads the [ignore] section(s) of an oscfg.ini from its
// bytes, keeping line numbers (which the INI library does not give) and
// every line of a repeated rule.
func parseIgnores(file string, data []byte) ([]Ignore, error) {
	var out []Ignore
	inIgnore := false
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for i, raw := range strings.Split(string(data), "\n") {
		no := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			if end := strings.IndexByte(line, ']'); end > 0 {
				inIgnore = strings.TrimSpace(line[1:end]) == "ignore"
			}
			continue
		}
		if !inIgnore {
			continue
		}
		eq := strings.IndexAny(line, "=:")
		if eq < 0 {
			return nil, fmt.Errorf("%s:%d: [ignore] %q: want RULE = [host=GLOB] [path=GLOB] [key=GLOB] [until=YYYY-MM-DD] [-- reason]", file, no, line)
		}
		ig, err := ParseIgnore(strings.TrimSpace(line[:eq]), line[eq+1:])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: [ignore] %s: %v", file, no, strings.TrimSpace(line[:eq]), err)
		}
		ig.Line = no
		out = append(out, ig)
	}
	return out, nil
}

// ParseIgnore reads one [ignore] line: the rule (key) and its value.
func ParseIgnore(rule, value string) (Ignore, error) {
	ig := Ignore{Rule: strings.ToUpper(strings.TrimSpace(rule))}
	if ig.Rule == "" {
		return ig, fmt.Errorf("no rule id")
	}
	if _, err := path.Match(ig.Rule, ""); err != nil {
		return ig, fmt.Errorf("bad rule glob %q", ig.Rule)
	}
	words, reason := SplitReason(value)
	ig.Reason = reason
	fields, err := Fields(words)
	if err != nil {
		return ig, err
	}
	seen := map[string]bool{}
	for _, w := range fields {
		name, v, ok := strings.Cut(w, "=")
		if !ok || v == "" {
			return ig, fmt.Errorf("%q: want host=, path=, key=, until= or reason= with a value", w)
		}
		if seen[name] {
			return ig, fmt.Errorf("%s= given twice (write one line per suppression)", name)
		}
		seen[name] = true
		switch name {
		case "host", "path", "key":
			if _, err := path.Match(v, ""); err != nil {
				return ig, fmt.Errorf("%s=%s: bad glob", name, v)
			}
			switch name {
			case "host":
				ig.Host = v
			case "path":
				ig.Path = v
			case "key":
				ig.Key = v
			}
		case "until":
			t, err := ParseUntil(v)
			if err != nil {
				return ig, err
			}
			ig.Until = t
		case "reason":
			if ig.Reason != "" {
				return ig, fmt.Errorf("reason given twice")
			}
			ig.Reason = v
		default:
			return ig, fmt.Errorf("unknown option %q (want host=, path=, key=, until= or reason=)", name)
		}
	}
	return ig, nil
}
