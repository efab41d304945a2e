package dialect

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// corpusKinds maps the corpus folders (testdata/corpus/SOURCES.tsv) to the
// dialect their files are read in.
var corpusKinds = map[string]string{
	"nova": model.KindOslo, "keystone": model.KindOslo,
	"haproxy": model.KindHAProxy, "galera": model.KindMyCnf, "cron": model.KindCrontab,
}

// apply applies edits to src, failing on edits outside it or overlapping.
func apply(t *testing.T, src []byte, edits []Edit) []byte {
	t.Helper()
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b bytes.Buffer
	last := 0
	for _, e := range es {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			t.Fatalf("edit [%d,%d) outside the %d-byte file or overlapping the one before", e.Start, e.End, len(src))
		}
		b.Write(src[last:e.Start])
		b.WriteString(e.New)
		last = e.End
	}
	b.Write(src[last:])
	return b.Bytes()
}

// identity is one op that must leave its entry as it is: when its edits
// land at `at` (the entry it was made from is the one the op edits), each
// edit must write the bytes already there.
type identity struct {
	op map[string]any
	at int
}

// identityOps are, for each entry of doc, the op that sets it to the
// value it has, and comment_out of each line that is already a comment.
func identityOps(doc model.Document, src []byte) []identity {
	var ops []identity
	switch d := doc.(type) {
	case *oslo.Doc:
		for _, e := range d.Entries {
			ops = append(ops, identity{map[string]any{"op": "set", "section": e.Section, "key": e.Key, "value": string(src[e.ValStart:e.ValEnd])}, e.ValStart})
		}
	case *mycnf.Doc:
		for _, o := range d.Options {
			if o.HasValue {
				ops = append(ops, identity{map[string]any{"op": "set", "section": o.Group, "key": o.RawName, "value": string(src[o.ValStart:o.ValEnd])}, o.ValStart})
			}
		}
	case *haproxy.Doc:
		for _, s := range d.Sections {
			if s.Type != "frontend" && s.Type != "backend" && s.Type != "listen" {
				continue
			}
			for _, dir := range s.Directives {
				if dir.Prefix != "" || len(dir.Cond) > 0 || len(dir.Words) < 2 {
					continue
				}
				raw := string(src[dir.Words[1].Start:dir.Words[len(dir.Words)-1].End])
				ops = append(ops, identity{map[string]any{"op": "haproxy_set", "section": s.Name, "keyword": dir.Keyword, "args": []any{raw}}, dir.Words[1].Start})
				var own []any
				for _, w := range dir.Words {
					own = append(own, w.Text)
				}
				ops = append(ops, identity{map[string]any{"op": "haproxy_append", "line": dir.Line, "words": own}, -1})
			}
		}
	case *crontab.Doc:
		for _, j := range d.Jobs {
			if j.Special != "" || j.Via != "" || j.FieldSpans[0] == [2]int{} {
				continue
			}
			text := string(src[j.FieldSpans[0][0]:j.FieldSpans[0][1]])
			if n, err := strconv.Atoi(text); err == nil && strconv.Itoa(n) == text && n <= 59 {
				ops = append(ops, identity{map[string]any{"op": "cron_minute", "line": j.Line, "minute": n}, j.FieldSpans[0][0]})
			}
		}
	}
	for _, l := range Of(doc).Lines(doc) {
		if strings.HasPrefix(strings.TrimLeft(l.Text, " \t"), "#") {
			ops = append(ops, identity{map[string]any{"op": "comment_out", "line": l.No}, -1})
		}
	}
	return ops
}

// corpusSource is a corpus file as the loader would pass it: crontabs
// need a host path for their type (SOURCES.tsv: spool files and crontab -l
// output are user tables, the Debian package's file an /etc/cron.hourly
// script, which the loader reads under a host root and gives the schedule
// /etc/crontab runs it at; Reparse finds the directory's default from
// that disk path).
func corpusSource(folder, file string, data []byte) Source {
	src := Source{Path: file, As: "/etc/" + folder + "/" + filepath.Base(file), Data: data}
	switch {
	case folder != "cron":
	case strings.Contains(file, "cron.hourly"):
		src.As, src.RunParts = "/etc/cron.hourly/keystone", "17 * * * *"
		src.Path = "fleet/ctl1" + src.As
	default:
		src.As = "/var/spool/cron/crontabs/" + filepath.Base(file)
	}
	return src
}

// TestCorpusRoundTrip: every corpus file parses (or fails with file:line)
// in its dialect and gives its bytes back through Bytes, Lines and
// Reparse; every op that sets an entry to the value it has, and every
// comment_out of a comment, changes no byte.
func TestCorpusRoundTrip(t *testing.T) {
	parsed := map[string]int{}
	checked := map[string]int{}
	for folder, kind := range corpusKinds {
		d := For(kind)
		for _, file := range corpus.Files(t, folder) {
			name := filepath.Base(file)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			in := corpusSource(folder, file, src)
			doc, err := d.Parse(in)
			if err != nil {
				var pe *parsers.Error
				if !errors.As(err, &pe) || pe.File != in.Path {
					t.Errorf("%s/%s: error %v does not name the file", folder, name, err)
				}
				continue // the corpus holds files the daemons refuse on purpose
			}
			parsed[kind]++
			if Of(doc) != d {
				t.Errorf("%s/%s: Of(doc) is not the %s dialect", folder, name, kind)
			}
			if !bytes.Equal(doc.Bytes(), src) {
				t.Errorf("%s/%s: Bytes differs from the input", folder, name)
			}
			if !bytes.Equal(parsers.JoinLines(d.Lines(doc)), src) {
				t.Errorf("%s/%s: Lines do not join to the input", folder, name)
			}
			re, err := d.Reparse(doc, in.Path, src)
			if err != nil || !bytes.Equal(re.Bytes(), src) {
				t.Errorf("%s/%s: Reparse of the same bytes: %v", folder, name, err)
			}
			for _, id := range identityOps(doc, src) {
				edits, err := d.Edits(doc, src, id.op)
				if err != nil {
					t.Errorf("%s/%s: %v: %v", folder, name, id.op, err)
					continue
				}
				if id.at >= 0 && (len(edits) == 0 || edits[0].Start != id.at) {
					continue // a later occurrence is the effective one
				}
				checked[kind]++
				for _, e := range edits {
					if e.End > len(src) || string(src[e.Start:e.End]) != e.New {
						t.Errorf("%s/%s: %v: edit [%d,%d) writes %q over %q", folder, name, id.op, e.Start, e.End, e.New, src[e.Start:min(e.End, len(src))])
					}
				}
				if len(edits) == 0 {
					continue
				}
				if out := apply(t, src, edits); !bytes.Equal(out, src) {
					t.Errorf("%s/%s: %v changed the file", folder, name, id.op)
				}
			}
		}
	}
	for _, kind := range Kinds() {
		if parsed[kind] == 0 || checked[kind] == 0 {
			t.Errorf("%s: %d corpus files parsed, %d identity edits checked; want some of each", kind, parsed[kind], checked[kind])
		}
	}
	t.Logf("files parsed %v, identity edits checked %v", parsed, checked)
}

// TestRegistry: every model kind has its dialect, named by its kind, and
// Of finds it from a parse.
func TestRegistry(t *testing.T) {
	want := []string{model.KindCrontab, model.KindHAProxy, model.KindMyCnf, model.KindOslo}
	if got := Kinds(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
	for _, k := range want {
		d := For(k)
		if d == nil || d.Kind() != k {
			t.Fatalf("For(%q) = %v", k, d)
		}
		doc, err := d.Parse(Source{Path: "x", As: "/etc/crontab", Data: []byte("")})
		if err != nil {
			t.Fatalf("%s: empty file: %v", k, err)
		}
		if Of(doc) != d {
			t.Errorf("Of(%T) is not the %s dialect", doc, k)
		}
		for _, o := range For(k).Ops() {
			if o == "" {
				t.Errorf("%s: empty op name", k)
			}
		}
	}
	if For("yaml") != nil || Of(nil) != nil {
		t.Error("an unknown kind or document has a dialect")
	}
}
