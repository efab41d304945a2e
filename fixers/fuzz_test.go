package fixers

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// fuzzKinds are the dialects FuzzFix parses its input as, by kind % 4.
var fuzzKinds = []string{model.KindOslo, model.KindMyCnf, model.KindHAProxy, model.KindCrontab}

func fuzzParse(kind string, src []byte) (model.Document, error) {
	switch kind {
	case model.KindOslo:
		return oslo.Parse("fuzz.conf", src)
	case model.KindMyCnf:
		return mycnf.Parse("fuzz.cnf", src)
	case model.KindHAProxy:
		return haproxy.Parse("fuzz.cfg", src)
	}
	return crontab.Parse("/etc/cron.d/fuzz", src, crontab.System, "", "")
}

// fuzzValue turns fuzz bytes into a value a rule could put in an op: one
// line of the characters rules use (numbers, words, URLs, lists).
func fuzzValue(s string) string {
	v := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:/=,-@", r) {
			return r
		}
		return -1
	}, s)
	if v == "" || v[0] == '=' || v[0] == ':' {
		v = "1" + v
	}
	return v
}

// fuzzOps lists every op the fixers perform that can target doc: comment
// out, and per dialect the set,
// delete, rename, haproxy_set, haproxy_append and cron_minute ops on what
// the file holds plus one new section or key.
func fuzzOps(doc model.Document, value string, minute int) []map[string]any {
	// comment_out targets the lines rules name (an option, a directive, a
	// job; never a section header), and two lines that do not exist.
	ops := []map[string]any{{"op": "comment_out", "line": 0}, {"op": "comment_out", "line": len(linesOf(doc)) + 1}}
	out := func(line int) { ops = append(ops, map[string]any{"op": "comment_out", "line": line}) }
	switch d := doc.(type) {
	case *oslo.Doc:
		for _, e := range d.Entries {
			out(e.Line)
			ops = append(ops,
				map[string]any{"op": "set", "section": e.Section, "key": e.Name, "value": value},
				map[string]any{"op": "delete", "section": e.Section, "key": e.Name},
				map[string]any{"op": "rename", "section": e.Section, "key": e.Name, "to_section": e.Section, "to_key": "fuzz_key"},
				map[string]any{"op": "rename", "section": e.Section, "key": e.Name, "to_section": "fuzz_group", "to_key": e.Name})
		}
		for _, s := range d.Sections {
			ops = append(ops, map[string]any{"op": "set", "section": s.Name, "key": "fuzz_key", "value": value})
		}
		ops = append(ops, map[string]any{"op": "set", "section": "fuzz_group", "key": "fuzz_key", "value": value})
	case *mycnf.Doc:
		for _, o := range d.Options {
			out(o.Line)
			ops = append(ops,
				map[string]any{"op": "set", "section": o.Group, "key": o.Name, "value": value},
				map[string]any{"op": "delete", "section": o.Group, "key": o.Name})
		}
		for _, g := range d.Groups {
			ops = append(ops, map[string]any{"op": "set", "section": g.Name, "key": "fuzz_key", "value": value})
		}
		ops = append(ops, map[string]any{"op": "set", "section": "mysqld", "key": "fuzz_key", "value": value})
	case *haproxy.Doc:
		for _, s := range d.Sections {
			for _, dir := range s.Directives {
				out(dir.Line)
				ops = append(ops,
					map[string]any{"op": "haproxy_set", "section": s.Name, "keyword": dir.Keyword, "args": []any{value}},
					map[string]any{"op": "haproxy_append", "line": dir.Line, "words": []any{"check", value}})
			}
			ops = append(ops, map[string]any{"op": "haproxy_set", "section": s.Name, "keyword": "timeout client", "args": []any{value}})
		}
	case *crontab.Doc:
		for _, j := range d.Jobs {
			out(j.Line)
			ops = append(ops, map[string]any{"op": "cron_minute", "line": j.Line, "minute": minute})
		}
	}
	return ops
}

// splice applies edits the plain way, to check ApplyEdits against: the
// bytes between edits are the input's, in order.
func splice(src []byte, edits []Edit) []byte {
	es := slices.Clone(edits)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b bytes.Buffer
	last := 0
	for _, e := range es {
		b.Write(src[last:e.Start])
		b.WriteString(e.New)
		last = e.End
	}
	b.Write(src[last:])
	return b.Bytes()
}

// FuzzFix parses an input, performs every fix op the fixers offer on it,
// and checks each result: no panic, edits inside the file and apart, the
// bytes no edit touches unchanged, the result parses again in the same
// dialect, and the op did what it says (the value set, the key gone, the
// line commented out, the job moved).
func FuzzFix(f *testing.F) {
	for i, dir := range []string{"nova", "galera", "haproxy", "cron"} {
		files, _ := filepath.Glob(filepath.Join(corpus.Dir(f), dir, "*"))
		for _, file := range files[:min(len(files), 4)] {
			if src, err := os.ReadFile(file); err == nil && len(src) < 4096 {
				f.Add(src, uint8(i), "600", uint8(7))
			}
		}
	}
	f.Add([]byte("[DEFAULT]\nk = v\n  cont\n[a]\nx=1"), uint8(0), "http://h:5000/v3", uint8(0))
	f.Add([]byte("[mysqld]\r\nskip-name-resolve\r\nmax_connections = 10 # c\r\n"), uint8(1), "4096", uint8(0))
	f.Add([]byte("defaults\n timeout client 1s\nlisten a\n bind :80\n server s 1.2.3.4:80\n"), uint8(2), "30s", uint8(0))
	f.Add([]byte("MAILTO=x\n@hourly root keystone-manage token_flush\n5 * * * * root x\n"), uint8(3), "", uint8(42))
	f.Fuzz(func(t *testing.T, src []byte, kind uint8, value string, minute uint8) {
		k := fuzzKinds[int(kind)%len(fuzzKinds)]
		doc, err := fuzzParse(k, src)
		if err != nil {
			return
		}
		file := &model.File{Kind: k, Doc: doc}
		v := fuzzValue(value)
		ops := fuzzOps(doc, v, int(minute)%60)
		if len(ops) > 200 {
			ops = ops[:200] // large inputs: the first ops exercise every kind of edit
		}
		for _, op := range ops {
			edits, err := editsFor(file, src, op)
			if err != nil {
				continue // refused: the fixer says why, nothing is written
			}
			for _, e := range edits {
				if e.Start < 0 || e.Start > e.End || e.End > len(src) {
					t.Fatalf("%v: edit [%d,%d) outside the %d-byte file", op, e.Start, e.End, len(src))
				}
			}
			out, err := ApplyEdits(src, edits)
			if err != nil {
				t.Fatalf("%v: edits %v do not apply: %v", op, edits, err)
			}
			if !bytes.Equal(out, splice(src, edits)) {
				t.Fatalf("%v: ApplyEdits changed bytes outside the edits", op)
			}
			re, err := fuzzParse(k, out)
			if err != nil {
				t.Fatalf("%v: result does not parse: %v\n--- before\n%q\n--- after\n%q", op, err, src, out)
			}
			if why := checkEffect(re, op, v, len(edits) > 0); why != "" {
				t.Fatalf("%v: %s\n--- before\n%q\n--- after\n%q", op, why, src, out)
			}
		}
	})
}

// checkEffect says what is wrong with the re-parsed result of op, or "".
func checkEffect(doc model.Document, op map[string]any, value string, edited bool) string {
	name, section, key := str(op, "op"), str(op, "section"), str(op, "key")
	switch d := doc.(type) {
	case *oslo.Doc:
		switch name {
		case "set":
			es := d.Lookup(section, key)
			if len(es) == 0 || es[len(es)-1].Value != value {
				return fmt.Sprintf("[%s] %s is not %q after set", section, key, value)
			}
		case "delete":
			if len(d.Lookup(section, key)) > 0 {
				return fmt.Sprintf("[%s] %s still set after delete", section, key)
			}
		case "rename":
			if edited && len(d.Lookup(str(op, "to_section"), str(op, "to_key"))) == 0 {
				return "the new name is not set after rename"
			}
		}
	case *mycnf.Doc:
		var last *mycnf.Option
		server := section == "" || mycnf.IsServerGroup(section)
		for _, o := range d.Options {
			if o.Name == key && (strings.EqualFold(o.Group, section) || (server && mycnf.IsServerGroup(o.Group))) {
				last = o
			}
		}
		switch name {
		case "set":
			if last == nil || last.Value != value {
				return fmt.Sprintf("[%s] %s is not %q after set", section, key, value)
			}
		case "delete":
			if last != nil {
				return fmt.Sprintf("[%s] %s still set after delete", section, key)
			}
		}
	case *crontab.Doc:
		if name == "cron_minute" && edited {
			for _, j := range d.Jobs {
				if j.Line == model.AsInt(op["line"]) && !slices.Equal(j.Minutes, []int{model.AsInt(op["minute"])}) {
					return fmt.Sprintf("job on line %d runs at minutes %v after cron_minute", j.Line, j.Minutes)
				}
			}
		}
	}
	if name == "comment_out" && edited {
		l := linesOf(doc)[model.AsInt(op["line"])-1]
		if !strings.HasPrefix(strings.TrimLeft(l.Text, " \t"), "#") {
			return fmt.Sprintf("line %d is not a comment after comment_out", model.AsInt(op["line"]))
		}
	}
	return ""
}
