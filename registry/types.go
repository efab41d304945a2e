package registry

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Type is an oslo.config type (oslo_config/types.py) with the parameters
// that decide whether a value is valid.
type Type struct {
	// Kind: string, multistring, integer, port, float, boolean, list, dict,
	// range, ipaddress, hostaddress, hostdomain, hostname, uri, unknown (a
	// project's own type: never checked).
	Kind       string       `json:"type"`
	Min        *json.Number `json:"min,omitempty"`
	Max        *json.Number `json:"max,omitempty"`
	Choices    []any        `json:"choices,omitempty"`
	Regex      string       `json:"regex,omitempty"`
	IgnoreCase bool         `json:"ignore_case,omitempty"`
	MaxLength  int          `json:"max_length,omitempty"`
	Quotes     bool         `json:"quotes,omitempty"`
	Item       *Type        `json:"item,omitempty"`  // list items
	Value      *Type        `json:"value,omitempty"` // dict values
	Bounds     bool         `json:"bounds,omitempty"`
	Inclusive  *bool        `json:"inclusive,omitempty"`
	Version    int          `json:"version,omitempty"`
	Schemes    []string     `json:"schemes,omitempty"`
	TypeName   string       `json:"name,omitempty"`
}

// Describe names the type the way messages do: "integer (min 1)".
func (t *Type) Describe() string {
	var parts []string
	if t.Min != nil {
		parts = append(parts, "min "+t.Min.String())
	}
	if t.Max != nil {
		parts = append(parts, "max "+t.Max.String())
	}
	name := t.Kind
	switch t.Kind {
	case "list":
		if t.Item != nil && t.Item.Kind != "string" {
			name = "list of " + t.Item.Describe()
		}
	case "multistring":
		name = "string (multi-valued)"
	}
	if len(parts) > 0 {
		return name + " (" + strings.Join(parts, ", ") + ")"
	}
	return name
}

// Base is the type without the parameters a project gives it (min, max,
// choices, pattern, length): what a value must be whatever the release.
// Those parameters change between releases (a choice added or dropped, a
// range widened); the base kind of an option rarely does.
func (t *Type) Base() *Type {
	b := *t
	b.Min, b.Max, b.Choices, b.Regex, b.MaxLength = nil, nil, nil, "", 0
	if t.Item != nil {
		b.Item = t.Item.Base()
	}
	if t.Value != nil {
		b.Value = t.Value.Base()
	}
	return &b
}

// Check validates one value as read from a file (quotes already stripped,
// continuation lines joined) the way oslo.config converts it, and returns
// why it is refused, or "" when oslo.config accepts it. Values with a
// '$' are not checked: oslo.config substitutes other options into them
// first.
func (t *Type) Check(v string) string {
	if strings.Contains(v, "$") {
		return ""
	}
	return t.check(v)
}

func (t *Type) check(v string) string {
	switch t.Kind {
	case "string":
		return t.checkString(v)
	case "multistring", "unknown", "":
		return ""
	case "boolean":
		// types.Boolean: lower-cased, no stripping; "" is refused.
		switch strings.ToLower(v) {
		case "true", "1", "on", "yes", "false", "0", "off", "no":
			return ""
		}
		return fmt.Sprintf("%q is not a boolean (true/false, yes/no, on/off, 1/0)", v)
	case "integer", "port":
		return t.checkInteger(v)
	case "float":
		return t.checkFloat(v)
	case "list":
		return t.checkList(v)
	case "dict":
		return t.checkDict(v)
	case "range":
		return t.checkRange(v)
	case "ipaddress":
		return checkIP(v, t.Version)
	case "hostaddress", "hostdomain":
		if v != "" && checkIP(v, t.Version) == "" {
			return ""
		}
		if checkHostname(v, false) == "" || (t.Kind == "hostdomain" && checkHostname(v, true) == "") {
			return ""
		}
		return fmt.Sprintf("%q is not a valid host address", v)
	case "hostname":
		return checkHostname(v, false)
	case "uri":
		return t.checkURI(v)
	}
	return ""
}

// regexps caches compiled Regex patterns (nil: a Python-only construct
// RE2 cannot express; such a value is not checked).
var regexps sync.Map

func (t *Type) regexp() *regexp.Regexp {
	if t.Regex == "" {
		return nil
	}
	p := t.Regex
	if t.IgnoreCase {
		p = "(?i)" + p
	}
	if re, ok := regexps.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	regexps.Store(p, re)
	return re
}

func (t *Type) checkString(v string) string {
	if t.Quotes && v != "" && (v[0] == '"' || v[0] == '\'') {
		if len(v) == 1 || v[len(v)-1] != v[0] {
			return fmt.Sprintf("non-closed quote: %s", v)
		}
		v = v[1 : len(v)-1]
	}
	if t.MaxLength > 0 && utf8.RuneCountInString(v) > t.MaxLength {
		return fmt.Sprintf("longer than %d characters", t.MaxLength)
	}
	if re := t.regexp(); re != nil && !re.MatchString(v) {
		return fmt.Sprintf("%q does not match %s", v, t.Regex)
	}
	if t.Choices == nil {
		return ""
	}
	for _, c := range t.Choices {
		s, ok := c.(string)
		if ok && (s == v || (t.IgnoreCase && strings.EqualFold(s, v))) {
			return ""
		}
	}
	return fmt.Sprintf("%q is not one of %s", v, choiceList(t.Choices))
}

func choiceList(cs []any) string {
	var parts []string
	for _, c := range cs {
		if c == nil {
			continue
		}
		parts = append(parts, fmt.Sprint(c))
	}
	return strings.Join(parts, ", ")
}

// pyStrip is Python's str.strip() (whitespace as str.isspace).
func pyStrip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) })
}

// pyDigits removes PEP 515 underscores from a run of decimal digits: one
// underscore between two digits only. ok is false for anything else;
// ascii is false when some digit is another script's (Python accepts
// those too; their value is not worked out here).
func pyDigits(s string) (digits string, ascii, ok bool) {
	if s == "" {
		return "", false, false
	}
	var b strings.Builder
	prevDigit, ascii := false, true
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			ascii = ascii && r <= '9'
			b.WriteRune(r)
			prevDigit = true
		case r == '_' && prevDigit:
			prevDigit = false
		default:
			return "", false, false
		}
	}
	return b.String(), ascii, prevDigit
}

// pyInt parses like Python's int(str): surrounding whitespace, a sign,
// decimal digits with single underscores between them. n is nil for a
// valid integer written with non-ASCII digits.
func pyInt(s string) (n *big.Int, ok bool) {
	s = pyStrip(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	d, ascii, ok := pyDigits(s)
	if !ok {
		return nil, false
	}
	if !ascii {
		return nil, true
	}
	n, _ = new(big.Int).SetString(d, 10)
	if neg {
		n.Neg(n)
	}
	return n, true
}

var pyFloatRE = regexp.MustCompile(`^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$`)

// pyFloat parses like Python's float(str).
func pyFloat(s string) (float64, bool) {
	s = pyStrip(s)
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	if !pyFloatRE.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, false
	}
	return f, true
}

func (t *Type) checkInteger(v string) string {
	if pyStrip(v) == "" {
		return "" // types.Number: an empty value is None
	}
	n, ok := pyInt(v)
	if !ok {
		return fmt.Sprintf("%q is not an integer", v)
	}
	if n == nil {
		return ""
	}
	if t.Choices != nil {
		for _, c := range t.Choices {
			if cn, ok := c.(float64); ok && new(big.Float).SetInt(n).Cmp(big.NewFloat(cn)) == 0 {
				return ""
			}
		}
		return fmt.Sprintf("%s is not one of %s", n, choiceList(t.Choices))
	}
	if t.Min != nil {
		if m, ok := new(big.Int).SetString(t.Min.String(), 10); ok && n.Cmp(m) < 0 {
			return fmt.Sprintf("%s is less than the minimum %s", n, m)
		}
	}
	if t.Max != nil {
		if m, ok := new(big.Int).SetString(t.Max.String(), 10); ok && n.Cmp(m) > 0 {
			return fmt.Sprintf("%s is more than the maximum %s", n, m)
		}
	}
	return ""
}

func (t *Type) checkFloat(v string) string {
	if pyStrip(v) == "" {
		return ""
	}
	f, ok := pyFloat(v)
	if !ok {
		return fmt.Sprintf("%q is not a number", v)
	}
	if t.Min != nil {
		if m, err := t.Min.Float64(); err == nil && f < m {
			return fmt.Sprintf("%s is less than the minimum %s", pyStrip(v), t.Min)
		}
	}
	if t.Max != nil {
		if m, err := t.Max.Float64(); err == nil && f > m {
			return fmt.Sprintf("%s is more than the maximum %s", pyStrip(v), t.Max)
		}
	}
	return ""
}

// splitJoined is types.List/Dict's parsing: split on ',' and, when a part
// is refused, join it with the next until it is accepted.
func splitJoined(s string, ok func(string) string) string {
	parts := strings.Split(s, ",")
	for len(parts) > 0 {
		cur := parts[0]
		parts = parts[1:]
		first := ""
		for {
			why := ok(cur)
			if why == "" {
				break
			}
			if first == "" {
				first = why
			}
			if len(parts) == 0 {
				return first
			}
			cur += "," + parts[0]
			parts = parts[1:]
		}
	}
	return ""
}

// unbracket removes the brackets a bounded list or dict must have, or says
// which one is missing.
func unbracket(s, kind, open, close string) (string, string) {
	if !strings.HasPrefix(s, open) {
		return s, fmt.Sprintf("a %s value must start with %q", kind, open)
	}
	if !strings.HasSuffix(s, close) || len(s) < 2 {
		return s, fmt.Sprintf("a %s value must end with %q", kind, close)
	}
	return s[1 : len(s)-1], ""
}

func (t *Type) checkList(v string) string {
	s := strings.TrimRight(pyStrip(v), ",")
	if t.Bounds {
		var why string
		if s, why = unbracket(s, "list", "[", "]"); why != "" {
			return why
		}
	}
	if s == "" {
		return ""
	}
	item := t.Item
	if item == nil {
		item = &Type{Kind: "string"}
	}
	why := splitJoined(s, func(p string) string { return item.check(pyStrip(p)) })
	if why != "" {
		return "list item " + why
	}
	return ""
}

func (t *Type) checkDict(v string) string {
	s := pyStrip(v)
	if t.Bounds {
		var why string
		if s, why = unbracket(s, "dict", "{", "}"); why != "" {
			return why
		}
	}
	if s == "" {
		return ""
	}
	val := t.Value
	if val == nil {
		val = &Type{Kind: "string"}
	}
	seen := map[string]bool{}
	var dup string
	why := splitJoined(s, func(p string) string {
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			return "must be NAME:VALUE pairs separated by \",\""
		}
		if why := val.check(pyStrip(v)); why != "" {
			return why
		}
		k = pyStrip(k)
		if k == "" {
			dup = "a key name is empty"
		} else if seen[k] && dup == "" {
			dup = "duplicate key " + k
		}
		seen[k] = true
		return ""
	})
	if why != "" {
		return why
	}
	return dup
}

var rangeRE = regexp.MustCompile(`^(0|-?[1-9][0-9]*)(?:-(0|-?[1-9][0-9]*))?$`)

func (t *Type) checkRange(v string) string {
	m := rangeRE.FindStringSubmatch(v)
	if m == nil {
		return fmt.Sprintf("%q is not a range (N or N-M)", v)
	}
	left, _ := strconv.ParseInt(m[1], 10, 64)
	right := left
	if m[2] != "" {
		right, _ = strconv.ParseInt(m[2], 10, 64)
	}
	lo, hi := left, right
	if left > right {
		lo, hi = right, left
	}
	if t.Min != nil {
		if mn, err := t.Min.Int64(); err == nil && lo < mn {
			return fmt.Sprintf("%d is less than the minimum %d", lo, mn)
		}
	}
	if t.Max != nil {
		if mx, err := t.Max.Int64(); err == nil && hi > mx {
			return fmt.Sprintf("%d is more than the maximum %d", hi, mx)
		}
	}
	return ""
}

// checkIP is netaddr.valid_ipv4/valid_ipv6 with INET_PTON: dotted quads
// without leading zeros, IPv6 without a zone.
func checkIP(v string, version int) string {
	if v == "" {
		return "an IP address cannot be empty"
	}
	a, err := netip.ParseAddr(v)
	ok := err == nil && a.Zone() == ""
	switch {
	case ok && version == 4 && !a.Is4():
		ok = false
	case ok && version == 6 && !a.Is6():
		ok = false
	}
	if ok {
		return ""
	}
	switch version {
	case 4:
		return fmt.Sprintf("%q is not an IPv4 address", v)
	case 6:
		return fmt.Sprintf("%q is not an IPv6 address", v)
	}
	return fmt.Sprintf("%q is not an IPv4 or IPv6 address", v)
}

// checkHostname is types.Hostname (HostDomain's variant also allows '_').
func checkHostname(v string, underscore bool) string {
	if v == "" {
		return "a host name cannot be empty"
	}
	if len([]rune(v)) > 253 {
		return "a host name is at most 253 characters"
	}
	v = strings.TrimSuffix(v, ".")
	labels := strings.Split(v, ".")
	last := labels[len(labels)-1]
	if !strings.ContainsAny(last, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") {
		return fmt.Sprintf("%q has an all-numeric top-level domain", v)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Sprintf("%q is not a valid host name", v)
		}
		for _, r := range l {
			if !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || (underscore && r == '_'))) {
				return fmt.Sprintf("%q is not a valid host name", v)
			}
		}
	}
	return ""
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// checkURI is a subset of types.URI (rfc3986 validation requiring a
// scheme and a host): only what is certainly wrong is reported.
func (t *Type) checkURI(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || !schemeRE.MatchString(u.Scheme) || u.Host == "" || u.Opaque != "" {
		return fmt.Sprintf("%q is not a URI with a scheme and a host", v)
	}
	if len(t.Schemes) > 0 {
		for _, s := range t.Schemes {
			if strings.EqualFold(s, u.Scheme) {
				return ""
			}
		}
		return fmt.Sprintf("scheme %q is not one of %s", u.Scheme, strings.Join(t.Schemes, ", "))
	}
	if t.MaxLength > 0 && len(v) > t.MaxLength {
		return fmt.Sprintf("longer than %d characters", t.MaxLength)
	}
	return ""
}
