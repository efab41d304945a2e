package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckFixOp(t *testing.T) {
	num := json.Number("12")
	for _, op := range []map[string]any{
		{"op": "set", "host": "h", "file": "/f", "section": "DEFAULT", "key": "debug", "value": "false"},
		{"op": "set", "section": "mysqld", "key": "max_connections", "value": json.Number("4096")},
		{"op": "delete", "section": "DEFAULT", "key": "debug"},
		{"op": "rename", "section": "DEFAULT", "key": "a", "to_section": "x", "to_key": "b"},
		{"op": "comment_out", "line": num, "then": "# replaced"},
		{"op": "comment_out", "line": 3.0},
		{"op": "haproxy_set", "section": "nova_api", "keyword": "timeout client", "args": []any{"5m"}},
		{"op": "haproxy_append", "line": 7, "words": []any{"check", "inter", json.Number("2000")}},
		{"op": "cron_minute", "line": "4", "minute": json.Number("0")},
	} {
		if err := CheckFixOp(op); err != nil {
			t.Errorf("%v: %v", op, err)
		}
	}
	for want, op := range map[string]map[string]any{
		"fix without an op": {"section": "s", "key": "k"},
		`fix op "patch" is not one of comment_out, cron_minute, delete, haproxy_append, haproxy_set, rename, set`: {"op": "patch"},
		`fix op "set" without value`:                                                                {"op": "set", "section": "s", "key": "k"},
		`fix op "set": key must be a non-empty string`:                                              {"op": "set", "key": " ", "value": "v"},
		`fix op "set": value must be a string, number or boolean, got an object`:                    {"op": "set", "key": "k", "value": map[string]any{}},
		`fix op "delete": host must be a string, got a list`:                                        {"op": "delete", "key": "k", "host": []any{"h"}},
		`fix op "comment_out": line must be a line number (1 or more), got "0"`:                     {"op": "comment_out", "line": 0},
		`fix op "comment_out": line must be a line number (1 or more), got "x"`:                     {"op": "comment_out", "line": "x"},
		`fix op "comment_out": line must be a line number (1 or more), got "2.5"`:                   {"op": "comment_out", "line": 2.5},
		`fix op "haproxy_set": args must be a list of strings or numbers, got "5m"`:                 {"op": "haproxy_set", "section": "p", "keyword": "timeout client", "args": "5m"},
		`fix op "haproxy_append": words must be a non-empty list of strings or numbers, got a list`: {"op": "haproxy_append", "line": 3, "words": []any{}},
		`fix op "cron_minute": minute must be a minute (0 to 59), got "60"`:                         {"op": "cron_minute", "line": 3, "minute": 60},
		`fix op "rename" without to_key`:                                                            {"op": "rename", "key": "a", "to_section": "x"},
	} {
		err := CheckFixOp(op)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: got %v, want %q", op, err, want)
		}
	}
}
