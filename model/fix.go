package model

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Fix is a finding's fix resolved once against the fleet
// (fixers.Resolve): the rule's op, its class, and the change `oscfg fix`
// would make for this finding alone (unsafe and manual fixes included,
// as the advice they print). Renderers read it; none plans a fix itself.
type Fix struct {
	Op    string // the op's name (FixOps)
	Class string // safe, unsafe or manual: the finding's FixClass
	// Host, HostPath and Source name the file the fix changes, Old and
	// New its content before and after; all empty when the op cannot be
	// planned on the files loaded (a file not loaded, no such setting or
	// line, a result that would not parse) or changes nothing.
	Host, HostPath, Source string
	Old, New               []byte
	// Patch is the unified diff of Old to New with the fleet's secrets
	// masked; PatchMasked says the mask changed it (its context shrinks
	// first, so that a neighbouring secret line stays out when it can).
	Patch       string
	PatchMasked bool
}

// Changes reports whether the fix has a change to show.
func (x *Fix) Changes() bool { return x != nil && x.HostPath != "" }

// FixOps are the fix ops a rule may return (docs/policies.md), each
// with the fields it requires besides op, host and file.
var FixOps = map[string][]string{
	"set":            {"key", "value"},
	"delete":         {"key"},
	"rename":         {"key", "to_key"},
	"comment_out":    {"line"},
	"haproxy_set":    {"section", "keyword"},
	"haproxy_append": {"line", "words"},
	"cron_minute":    {"line", "minute"},
}

// FixOpText is field k of a fix op as text ("" when absent): the one
// reading of an op's scalar fields for the dialects and the fixers.
func FixOpText(op map[string]any, k string) string {
	v, ok := op[k]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// CheckFixOp checks a fix op's shape as a rule returned it: a known op
// with its required fields, each of the type the fixers read.
func CheckFixOp(op map[string]any) error {
	name, ok := op["op"].(string)
	if !ok || name == "" {
		return fmt.Errorf("fix without an op (one of %s)", fixOpNames())
	}
	required, known := FixOps[name]
	if !known {
		return fmt.Errorf("fix op %q is not one of %s", name, fixOpNames())
	}
	for _, k := range required {
		if _, ok := op[k]; !ok {
			return fmt.Errorf("fix op %q without %s", name, k)
		}
	}
	keys := make([]string, 0, len(op))
	for k := range op {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := op[k]
		var bad string
		switch k {
		case "op":
		case "host", "file", "section", "to_section", "then":
			if _, ok := v.(string); !ok {
				bad = "a string"
			}
		case "key", "to_key", "keyword":
			if s, ok := v.(string); !ok || strings.TrimSpace(s) == "" {
				bad = "a non-empty string"
			}
		case "value":
			if !scalar(v) {
				bad = "a string, number or boolean"
			}
		case "line":
			if n, ok := fixInt(v); !ok || n < 1 {
				bad = "a line number (1 or more)"
			}
		case "minute":
			if n, ok := fixInt(v); !ok || n < 0 || n > 59 {
				bad = "a minute (0 to 59)"
			}
		case "args", "words":
			a, ok := v.([]any)
			for _, x := range a {
				ok = ok && scalar(x)
			}
			if !ok || (k == "words" && len(a) == 0) {
				bad = "a list of strings or numbers"
				if k == "words" {
					bad = "a non-empty list of strings or numbers"
				}
			}
		}
		if bad != "" {
			return fmt.Errorf("fix op %q: %s must be %s, got %s", name, k, bad, describeValue(v))
		}
	}
	return nil
}

func fixOpNames() string {
	names := make([]string, 0, len(FixOps))
	for n := range FixOps {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// scalar: a string, number or boolean as decoded from Rego or JSON.
func scalar(v any) bool {
	switch v.(type) {
	case string, bool, int, int64, float64:
		return true
	case interface{ Int64() (int64, error) }: // json.Number
		return true
	}
	return false
}

// fixInt is AsInt for a value that must be an integer: ok is false for
// anything AsInt would read as 0 without it being 0.
func fixInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), n == math.Trunc(n)
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return int(i), err == nil
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(n))
		return i, err == nil
	}
	return 0, false
}

func describeValue(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}
