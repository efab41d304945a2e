package rulecheck_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/corpus"
	"github.com/oscfg/oscfg/internal/rulecheck"
	"github.com/oscfg/oscfg/model"
)

var update = flag.Bool("update", false, "rewrite testdata/corpus/FINDINGS.golden and docs/rules")

// hostPath is where a corpus file sits on a deployment, so that discovery
// gives it the kind and service it has there (a keystone.conf sample is
// keystone's, a crontab under /var/spool/cron is the keystone user's).
func hostPath(folder, name string) string {
	switch folder {
	case "nova":
		return "/etc/nova/nova.conf"
	case "keystone":
		return "/etc/keystone/keystone.conf"
	case "haproxy":
		return "/etc/haproxy/haproxy.cfg"
	case "galera":
		return "/etc/my.cnf"
	case "cron":
		switch {
		case strings.Contains(name, "cron.hourly"):
			return "/etc/cron.hourly/keystone"
		case strings.Contains(name, "keystone"):
			return "/var/spool/cron/crontabs/keystone"
		}
		return "/var/spool/cron/crontabs/root"
	}
	return ""
}

// releaseOf is the release a file's name states (keystone-kilo-2015.1.0,
// ussuri-rdo-...), or "" to let oscfg decide as it would for a user.
func releaseOf(name string) string {
	for _, word := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if _, err := model.ParseRelease(word, ""); err == nil && len(word) > 3 {
			return word
		}
	}
	return ""
}

// corpusRun lints every corpus file alone, as host "corpus" at its
// deployment path, and prints the findings per file: what every rule says
// about real configurations. Deterministic: files, then findings, sorted.
func corpusRun(t *testing.T) string {
	t.Helper()
	dir := corpus.Dir(t)
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, folder := range []string{"cron", "galera", "haproxy", "keystone", "nova"} {
		for _, f := range corpus.Files(t, folder) {
			names = append(names, folder+"/"+filepath.Base(f))
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# Every built-in rule over every file of testdata/corpus. Each file is linted alone, as\n" +
		"# host \"corpus\" with the file at the path it has on a deployment; the release is the one\n" +
		"# its name states, else what oscfg assumes. Regenerate with `make golden` and read the diff:\n" +
		"# it is what a rule change does to real configurations.\n")
	perRule := map[string]map[string]int{}
	for _, name := range names {
		folder, base := path.Split(name)
		folder = strings.TrimSuffix(folder, "/")
		hp := hostPath(folder, base)
		root := filepath.Join(t.TempDir(), "corpus")
		disk := filepath.Join(root, filepath.FromSlash(hp))
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(disk), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(disk, src, 0o640); err != nil {
			t.Fatal(err)
		}
		if folder == "galera" {
			// The include directories a MariaDB package creates, so an
			// !includedir of one finds it (empty) as on the host.
			for _, d := range []string{"/etc/my.cnf.d", "/etc/mysql/conf.d", "/etc/mysql/mariadb.conf.d"} {
				if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
					t.Fatal(err)
				}
			}
		}
		named := releaseOf(base)
		res := rulecheck.Lint(context.Background(), eng, root, "corpus", named)
		rel := "input error"
		switch {
		case res.Release.Name != "" && named != "":
			rel = fmt.Sprintf("release %s (from the file name)", res.Release.Name)
		case res.Release.Name != "":
			rel = fmt.Sprintf("release %s (%s)", res.Release.Name, res.Release.Source)
		}
		fmt.Fprintf(&b, "\n== %s as %s, %s\n", name, hp, rel)
		if res.Err != nil {
			msg := strings.ReplaceAll(res.Err.Error(), disk, name)
			msg = strings.ReplaceAll(msg, root, "")
			fmt.Fprintf(&b, "error: %s\n", strings.ReplaceAll(msg, "\n", "\nerror: "))
			continue
		}
		if len(res.Findings) == 0 {
			b.WriteString("(no findings)\n")
		}
		for _, f := range res.Findings {
			where := name
			if f.File != hp {
				where = f.File // another file of the host (none today)
			}
			fmt.Fprintf(&b, "%s:%d: %s\n", where, f.Line, rulecheck.Line(f))
			if perRule[f.Rule] == nil {
				perRule[f.Rule] = map[string]int{}
			}
			perRule[f.Rule][name]++
		}
	}
	b.WriteString("\n== findings per rule (files)\n")
	for _, r := range eng.Rules() {
		n := 0
		for _, c := range perRule[r.ID] {
			n += c
		}
		fmt.Fprintf(&b, "%-13s %4d (%d)\n", r.ID, n, len(perRule[r.ID]))
	}
	return b.String()
}

// TestCorpusFindings compares the corpus run with
// testdata/corpus/FINDINGS.golden; -update (make golden) rewrites it.
func TestCorpusFindings(t *testing.T) {
	got := corpusRun(t)
	golden := filepath.Join(corpus.Dir(t), "FINDINGS.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run `make golden` to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the rules' findings over testdata/corpus differ from %s; after a deliberate change run `make golden` and read the diff\n%s", golden, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only one side has (enough to see what moved).
func lineDiff(want, got string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	w, g := count(want), count(got)
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if w[l] > g[l] {
			out = append(out, "- "+l)
			w[l]--
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if g[l] > count(want)[l] {
			out = append(out, "+ "+l)
			g[l]--
		}
	}
	return strings.Join(out, "\n")
}
