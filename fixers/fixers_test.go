package fixers

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.patch")

// file parses content as the dialect of kind, like the loader would.
func file(t *testing.T, kind, hostPath, content string) *model.File {
	t.Helper()
	var doc model.Document
	var err error
	switch kind {
	case model.KindOslo:
		doc, err = oslo.Parse(hostPath, []byte(content))
	case model.KindMyCnf:
		doc, err = mycnf.Parse(hostPath, []byte(content))
	case model.KindHAProxy:
		doc, err = haproxy.Parse(hostPath, []byte(content))
	case model.KindCrontab:
		ty, user, _ := crontab.TypeForPath(hostPath)
		doc, err = crontab.Parse(hostPath, []byte(content), ty, user, "")
	}
	if err != nil {
		t.Fatalf("parse %s: %v", hostPath, err)
	}
	return &model.File{HostPath: hostPath, Source: hostPath, Kind: kind, Doc: doc}
}

// fix applies one op to content through Plan, the same path `oscfg fix`
// takes, and returns the new content.
func fix(t *testing.T, f *model.File, op map[string]any) string {
	t.Helper()
	op["host"], op["file"] = "h1", f.HostPath
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}}
	changes, skipped := Plan(fleet, []model.Finding{{Rule: "OSC-TEST-001", Host: "h1", File: f.HostPath, FixClass: "safe", Fix: op}}, Options{})
	for _, s := range skipped {
		t.Fatalf("skipped: %s", s.Reason)
	}
	if len(changes) == 0 {
		return string(f.Doc.Bytes())
	}
	return string(changes[0].New)
}

type golden struct {
	name, kind, path, in string
	op                   map[string]any
	want                 string
}

var goldens = []golden{
	{"oslo-set-existing", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\n# retries\nblock_device_allocate_retries = 10\nblock_device_allocate_retries_interval=10\n",
		map[string]any{"op": "set", "section": "DEFAULT", "key": "block_device_allocate_retries", "value": "199"},
		"[DEFAULT]\n# retries\nblock_device_allocate_retries = 199\nblock_device_allocate_retries_interval=10\n"},
	{"oslo-set-repeated-last-wins", model.KindOslo, "/etc/nova/nova.conf",
		"[neutron]\nhttp_retries = 0\nurl = http://x\nhttp_retries = 0\n",
		map[string]any{"op": "set", "section": "neutron", "key": "http_retries", "value": "3"},
		"[neutron]\nhttp_retries = 0\nurl = http://x\nhttp_retries = 3\n"},
	{"oslo-insert-keeps-style", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\ndebug=false\n\n[neutron]\nurl=http://x\n\n# end\n",
		map[string]any{"op": "set", "section": "neutron", "key": "http_retries", "value": "3"},
		"[DEFAULT]\ndebug=false\n\n[neutron]\nurl=http://x\nhttp_retries=3\n\n# end\n"},
	{"oslo-insert-last-section-no-final-newline", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\ndebug = false\n[neutron]\nurl = http://x",
		map[string]any{"op": "set", "section": "neutron", "key": "http_retries", "value": "3"},
		"[DEFAULT]\ndebug = false\n[neutron]\nurl = http://x\nhttp_retries = 3"},
	{"oslo-crlf-new-section", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\r\ndebug = false\r\n",
		map[string]any{"op": "set", "section": "cinder", "key": "http_retries", "value": "3"},
		"[DEFAULT]\r\ndebug = false\r\n\r\n[cinder]\r\nhttp_retries = 3\r\n"},
	{"oslo-delete-with-continuation", model.KindOslo, "/etc/keystone/keystone.conf",
		"[token]\n# comment stays\ndriver = sql\n  continued\nprovider = fernet\n",
		map[string]any{"op": "delete", "section": "token", "key": "driver"},
		"[token]\n# comment stays\nprovider = fernet\n"},
	{"oslo-rename-moves-section", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\nsql_connection = mysql+pymysql://nova:pw@db/nova\ndebug = false\n\n[database]\nmax_pool_size = 5\n",
		map[string]any{"op": "rename", "section": "DEFAULT", "key": "sql_connection", "to_section": "database", "to_key": "connection"},
		"[DEFAULT]\ndebug = false\n\n[database]\nmax_pool_size = 5\nconnection = mysql+pymysql://nova:pw@db/nova\n"},
	{"oslo-rename-same-section", model.KindOslo, "/etc/nova/nova.conf",
		"[database]\nidle_timeout = 600 \n",
		map[string]any{"op": "rename", "section": "database", "key": "idle_timeout", "to_section": "database", "to_key": "connection_recycle_time"},
		"[database]\nconnection_recycle_time = 600 \n"},
	{"mycnf-set-existing-dash", model.KindMyCnf, "/etc/my.cnf.d/galera.cnf",
		"[mysqld]\nwait-timeout = 600 # short\nbinlog_format=ROW\n",
		map[string]any{"op": "set", "section": "mysqld", "key": "wait_timeout", "value": "28800"},
		"[mysqld]\nwait-timeout = 28800 # short\nbinlog_format=ROW\n"},
	{"mycnf-insert", model.KindMyCnf, "/etc/my.cnf.d/galera.cnf",
		"[mysqld]\nbinlog_format=ROW\n\n[galera]\nwsrep_on=ON\n",
		map[string]any{"op": "set", "section": "mysqld", "key": "innodb_autoinc_lock_mode", "value": "2"},
		"[mysqld]\nbinlog_format=ROW\ninnodb_autoinc_lock_mode=2\n\n[galera]\nwsrep_on=ON\n"},
	{"mycnf-set-in-other-server-group", model.KindMyCnf, "/etc/my.cnf.d/galera.cnf",
		"[mysqld]\nbinlog_format=ROW\n\n[galera]\nwsrep_sst_method = rsync\n",
		map[string]any{"op": "set", "section": "mysqld", "key": "wsrep_sst_method", "value": "mariabackup"},
		"[mysqld]\nbinlog_format=ROW\n\n[galera]\nwsrep_sst_method = mariabackup\n"},
	{"haproxy-replace-own", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"defaults\n    timeout client 1m\n\nlisten cinder_api\n    bind :8776\n    balance  source   # sticky\n    server c1 10.0.0.1:8776 check\n",
		map[string]any{"op": "haproxy_set", "section": "cinder_api", "keyword": "balance", "args": []any{"roundrobin"}},
		"defaults\n    timeout client 1m\n\nlisten cinder_api\n    bind :8776\n    balance  roundrobin   # sticky\n    server c1 10.0.0.1:8776 check\n"},
	{"haproxy-inherited-goes-to-proxy", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"defaults\n  timeout client 1m\n  timeout server 1m\n\nlisten galera\n  bind :3306\n  server db1 10.0.0.1:3306 check\n\nlisten nova_api\n  bind :8774\n",
		map[string]any{"op": "haproxy_set", "section": "galera", "keyword": "timeout client", "args": []any{"4200s"}},
		"defaults\n  timeout client 1m\n  timeout server 1m\n\nlisten galera\n  bind :3306\n  server db1 10.0.0.1:3306 check\n  timeout client 4200s\n\nlisten nova_api\n  bind :8774\n"},
	{"haproxy-crlf-replace-multiword", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"backend nova\r\n\ttimeout server 30s\r\n\tserver a 10.0.0.1:8774\r\n",
		map[string]any{"op": "haproxy_set", "section": "nova", "keyword": "timeout server", "args": []any{"1m"}},
		"backend nova\r\n\ttimeout server 1m\r\n\tserver a 10.0.0.1:8774\r\n"},
	{"haproxy-append-check-keeps-comment", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"backend nova\n    server a 10.0.0.1:8774 inter 2000 # primary\n    server b 10.0.0.2:8774 check\n",
		map[string]any{"op": "haproxy_append", "line": 2, "words": []any{"check"}},
		"backend nova\n    server a 10.0.0.1:8774 inter 2000 check # primary\n    server b 10.0.0.2:8774 check\n"},
	{"mycnf-delete-keeps-comment-line", model.KindMyCnf, "/etc/my.cnf.d/galera.cnf",
		"[galera]\n# bootstrap once, never persist\nwsrep_provider_options = \"pc.bootstrap=yes\"\nwsrep_on = ON\n",
		map[string]any{"op": "delete", "section": "galera", "key": "wsrep_provider_options"},
		"[galera]\n# bootstrap once, never persist\nwsrep_on = ON\n"},
	{"haproxy-comment-out", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"defaults\n    mode http\n    option forceclose\n    timeout client 1m\n",
		map[string]any{"op": "comment_out", "line": 3},
		"defaults\n    mode http\n#     option forceclose\n    timeout client 1m\n"},
	{"haproxy-comment-out-then", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"defaults\n    mode http\n    option forceclose\n    timeout client 1m\n",
		map[string]any{"op": "comment_out", "line": 3, "then": "option httpclose"},
		"defaults\n    mode http\n#     option forceclose\n    option httpclose\n    timeout client 1m\n"},
	{"oslo-comment-out-then-after-continuation", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\ndebug = true\n    more\nverbose = true",
		map[string]any{"op": "comment_out", "line": 2, "then": "debug = false"},
		"[DEFAULT]\n# debug = true\n#     more\ndebug = false\nverbose = true"},
	{"cron-comment-out", model.KindCrontab, "/var/spool/cron/crontabs/keystone",
		"# m h dom mon dow command\n30 1 * * * keystone-manage token_flush\n",
		map[string]any{"op": "comment_out", "line": 2},
		"# m h dom mon dow command\n# 30 1 * * * keystone-manage token_flush\n"},
	{"cron-minute-special", model.KindCrontab, "/etc/cron.d/keystone",
		"@hourly keystone keystone-manage token_flush\n",
		map[string]any{"op": "cron_minute", "line": 1, "minute": 20},
		"20 * * * * keystone keystone-manage token_flush\n"},
}

func TestGoldenPatches(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			f := file(t, g.kind, g.path, g.in)
			got := fix(t, f, g.op)
			if got != g.want {
				t.Fatalf("fixed content:\n%q\nwant\n%q", got, g.want)
			}
			patch, err := Diff(strings.TrimPrefix(g.path, "/"), []byte(g.in), []byte(got))
			if err != nil {
				t.Fatal(err)
			}
			gp := filepath.Join("testdata", "golden", g.name+".patch")
			if *update {
				if err := os.WriteFile(gp, []byte(patch), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(gp); err != nil || string(want) != patch {
				t.Errorf("patch differs from %s (go test ./fixers -update after a deliberate change):\n%s", gp, patch)
			}
			// Idempotence: the same op on the fixed file changes nothing.
			again := fix(t, file(t, g.kind, g.path, got), cloneOp(g.op))
			if again != got {
				t.Errorf("second fix changed the file again:\n%q", again)
			}
		})
	}
}

func cloneOp(op map[string]any) map[string]any {
	c := map[string]any{}
	for k, v := range op {
		c[k] = v
	}
	return c
}

// The patches apply with the real tools users have: git apply and patch.
func TestPatchesApplyWithGitAndPatch(t *testing.T) {
	for _, tool := range [][]string{{"git", "apply"}, {"patch", "-p1", "--no-backup-if-mismatch", "-s", "-i"}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			t.Skipf("%s not installed", tool[0])
		}
	}
	for _, g := range goldens {
		for _, tool := range [][]string{{"git", "apply"}, {"patch", "-p1", "--no-backup-if-mismatch", "-s", "-i"}} {
			dir := t.TempDir()
			p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(g.path, "/")))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(g.in), 0o644)
			patch, _ := Diff(strings.TrimPrefix(g.path, "/"), []byte(g.in), []byte(g.want))
			pf := filepath.Join(dir, "fix.patch")
			os.WriteFile(pf, []byte(patch), 0o644)
			cmd := exec.Command(tool[0], append(tool[1:], pf)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: %s rejected the patch: %v\n%s\n%s", g.name, tool[0], err, out, patch)
				continue
			}
			if got, _ := os.ReadFile(p); string(got) != g.want {
				t.Errorf("%s: %s produced %q", g.name, tool[0], got)
			}
		}
	}
}

func TestOverlappingFixesDeferred(t *testing.T) {
	f := file(t, model.KindOslo, "/etc/nova/nova.conf", "[neutron]\nhttp_retries = 0\n")
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}}
	op := func(v string) map[string]any {
		return map[string]any{"op": "set", "host": "h1", "file": f.HostPath, "section": "neutron", "key": "http_retries", "value": v}
	}
	changes, skipped := Plan(fleet, []model.Finding{
		{Rule: "A", FixClass: "safe", Fix: op("3")}, {Rule: "B", FixClass: "safe", Fix: op("5")},
	}, Options{})
	if len(changes) != 1 || string(changes[0].New) != "[neutron]\nhttp_retries = 3\n" || len(skipped) != 1 || !skipped[0].Deferred {
		t.Fatalf("changes %v skipped %+v", changes, skipped)
	}
}

func TestClassesAndRuleFilter(t *testing.T) {
	f := file(t, model.KindOslo, "/etc/nova/nova.conf", "[DEFAULT]\n# keep me\ndebug = true\n")
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}}
	set := map[string]any{"op": "set", "host": "h1", "file": f.HostPath, "section": "DEFAULT", "key": "debug", "value": "false"}
	for _, c := range []struct {
		class string
		opt   Options
		apply bool
	}{
		{"safe", Options{}, true},
		{"unsafe", Options{}, false},
		{"unsafe", Options{Unsafe: true}, true},
		{"manual", Options{Unsafe: true}, false},
		{"safe", Options{Rules: map[string]bool{"OTHER": true}}, false},
	} {
		changes, skipped := Plan(fleet, []model.Finding{{Rule: "R", FixClass: c.class, Fix: set}}, c.opt)
		if (len(changes) == 1) != c.apply {
			t.Errorf("%s %+v: %d changes", c.class, c.opt, len(changes))
		}
		if c.class == "manual" && (len(skipped) != 1 || skipped[0].Suggested == nil) {
			t.Errorf("manual fix should be advice with a suggested patch: %+v", skipped)
		}
	}
	// Deleting a line that holds a comment demotes a safe fix to unsafe.
	g := file(t, model.KindOslo, "/etc/nova/nova.conf", "[DEFAULT]\ndebug = true\n  # indented comment is part of the value\n")
	fl := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{g}}}}
	changes, skipped := Plan(fl, []model.Finding{{Rule: "R", FixClass: "safe",
		Fix: map[string]any{"op": "delete", "host": "h1", "file": g.HostPath, "section": "DEFAULT", "key": "debug"}}}, Options{})
	if len(changes) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "unsafe") {
		t.Errorf("comment-deleting fix applied as safe: %v %+v", changes, skipped)
	}
}

func TestFixThatBreaksParseIsRejected(t *testing.T) {
	f := file(t, model.KindHAProxy, "/etc/haproxy/haproxy.cfg", "listen x\n    bind :80\n    balance source\n")
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}}
	changes, skipped := Plan(fleet, []model.Finding{{Rule: "R", FixClass: "safe",
		Fix: map[string]any{"op": "haproxy_set", "host": "h1", "file": f.HostPath, "section": "x", "keyword": "balance", "args": []any{`"unterminated`}}}}, Options{})
	if len(changes) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "would not parse") {
		t.Errorf("got %v %+v", changes, skipped)
	}
}

// Injected faults at every step of a write leave the old bytes whole and
// no temporary file behind.
func TestWriteAtomicFaults(t *testing.T) {
	defer func() { hook = func(string) error { return nil } }()
	for _, step := range []string{"write", "sync", "rename"} {
		dir := t.TempDir()
		p := filepath.Join(dir, "haproxy.cfg")
		old := []byte("global\n    daemon\n")
		os.WriteFile(p, old, 0o640)
		hook = func(s string) error {
			if s == step {
				return errors.New("injected fault at " + s)
			}
			return nil
		}
		err := WriteAtomic(dir, p, old, []byte("global\n    daemon\n    maxconn 4000\n"), WriteOptions{})
		if err == nil || !strings.Contains(err.Error(), "injected") {
			t.Errorf("%s: err %v", step, err)
		}
		if got, _ := os.ReadFile(p); string(got) != string(old) {
			t.Errorf("%s: file is %q, want the old bytes", step, got)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: leftover files %v", step, ents)
		}
	}
}

func TestWriteAtomicKeepsModeFollowsSymlinkRefusesChanged(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.cfg")
	link := filepath.Join(dir, "haproxy.cfg")
	old := []byte("a\n")
	os.WriteFile(target, old, 0o640)
	os.Symlink("real.cfg", link)
	if err := WriteAtomic(dir, link, old, []byte("b\n"), WriteOptions{Backup: ".orig"}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("symlink replaced by a file")
	}
	if got, _ := os.ReadFile(target); string(got) != "b\n" {
		t.Errorf("target %q", got)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(target + ".orig"); string(got) != "a\n" {
		t.Errorf("backup %q", got)
	}
	// Changed since read: refused, untouched.
	err := WriteAtomic(dir, link, old, []byte("c\n"), WriteOptions{})
	if !errors.Is(err, ErrChanged) {
		t.Errorf("err %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "b\n" {
		t.Errorf("changed file was overwritten: %q", got)
	}
}

func TestApplyEditsRejectsOverlap(t *testing.T) {
	if _, err := ApplyEdits([]byte("abcdef"), []Edit{{Start: 1, End: 4, New: "x"}, {Start: 3, End: 5, New: "y"}}); err == nil {
		t.Error("overlap accepted")
	}
	got, err := ApplyEdits([]byte("abcdef"), []Edit{{Start: 4, End: 5, New: "E"}, {Start: 0, End: 1, New: "A"}})
	if err != nil || string(got) != "AbcdEf" {
		t.Errorf("%q %v", got, err)
	}
}

// MariaDB's own reader sees the values the my.cnf fixes meant to set.
func TestFixedMyCnfReadByMyPrintDefaults(t *testing.T) {
	bin, err := exec.LookPath("my_print_defaults")
	if err != nil {
		t.Skip("my_print_defaults not installed (Debian mariadb-client-core; .ci/run installs it)")
	}
	ran := 0
	for _, g := range goldens {
		if g.kind != model.KindMyCnf {
			continue
		}
		ran++
		p := filepath.Join(t.TempDir(), "my.cnf")
		os.WriteFile(p, []byte(g.want), 0o644)
		groups := str(g.op, "section")
		if mycnf.IsServerGroup(groups) {
			groups = "--mysqld" // every group the server reads
		}
		out, err := exec.Command(bin, "--defaults-file="+p, groups).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", g.name, err, out)
		}
		// my_print_defaults prints --name=value with the name as written.
		key, value := str(g.op, "key"), str(g.op, "value")
		found := false
		for _, line := range strings.Split(string(out), "\n") {
			name, v, ok := strings.Cut(strings.TrimPrefix(line, "--"), "=")
			if ok && strings.ReplaceAll(name, "-", "_") == key {
				found = v == value // the last one wins
			}
		}
		present := false
		for _, line := range strings.Split(string(out), "\n") {
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "--"), "=")
			present = present || strings.ReplaceAll(name, "-", "_") == key
		}
		switch {
		case str(g.op, "op") == "delete" && present:
			t.Errorf("%s: my_print_defaults still reads %s:\n%s", g.name, key, out)
		case str(g.op, "op") == "set" && !found:
			t.Errorf("%s: my_print_defaults does not read %s=%s:\n%s", g.name, key, value, out)
		}
	}
	if ran == 0 {
		t.Fatal("no my.cnf goldens")
	}
}

// A rename onto a key and a set of the same key are one setting: only the
// first applies this pass, the other is deferred and re-evaluated.
func TestSameSettingDeferred(t *testing.T) {
	f := file(t, model.KindOslo, "/etc/nova/nova.conf", "[DEFAULT]\nblock_device_allocate_retires = 100\n")
	fleet := &model.Fleet{Hosts: []*model.Host{{Name: "h1", Files: []*model.File{f}}}}
	changes, skipped := Plan(fleet, []model.Finding{
		{Rule: "OSC-OPT-001", FixClass: "safe", Fix: map[string]any{"op": "rename", "host": "h1", "file": f.HostPath,
			"section": "DEFAULT", "key": "block_device_allocate_retires", "to_section": "DEFAULT", "to_key": "block_device_allocate_retries"}},
		{Rule: "OSC-NOVA-001", FixClass: "safe", Fix: map[string]any{"op": "set", "host": "h1", "file": f.HostPath,
			"section": "DEFAULT", "key": "block_device_allocate_retries", "value": "199"}},
	}, Options{})
	if len(changes) != 1 || string(changes[0].New) != "[DEFAULT]\nblock_device_allocate_retries = 100\n" {
		t.Fatalf("changes: %+v", changes)
	}
	if len(skipped) != 1 || !skipped[0].Deferred || skipped[0].Finding.Rule != "OSC-NOVA-001" {
		t.Fatalf("skipped: %+v", skipped)
	}
}
