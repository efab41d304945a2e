package dialect

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// opCases: one or more edits per op per dialect, each checked against the
// text it must give.
var opCases = []struct {
	name, kind, as, in string
	op                 map[string]any
	want               string
}{
	{"oslo set existing, last wins", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\ndebug = true\ndebug=true\n",
		map[string]any{"op": "set", "section": "DEFAULT", "key": "debug", "value": "false"},
		"[DEFAULT]\ndebug = true\ndebug=false\n"},
	{"oslo set new key keeps the section's separator", model.KindOslo, "/etc/nova/nova.conf",
		"[database]\nconnection=x\n\n[api]\nauth_strategy = keystone\n",
		map[string]any{"op": "set", "section": "database", "key": "max_retries", "value": "-1"},
		"[database]\nconnection=x\nmax_retries=-1\n\n[api]\nauth_strategy = keystone\n"},
	{"oslo set new section, CRLF, no final EOL", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\r\ndebug = false",
		map[string]any{"op": "set", "section": "oslo_messaging_rabbit", "key": "heartbeat_timeout_threshold", "value": "60"},
		"[DEFAULT]\r\ndebug = false\r\n\r\n[oslo_messaging_rabbit]\r\nheartbeat_timeout_threshold = 60\r\n"},
	{"oslo delete with continuation", model.KindOslo, "/etc/keystone/keystone.conf",
		"[token]\nexpiration = 3600\nprovider = fernet\n  more\n",
		map[string]any{"op": "delete", "section": "token", "key": "provider"},
		"[token]\nexpiration = 3600\n"},
	{"oslo rename in the section", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\nvncserver_listen = 0.0.0.0\n",
		map[string]any{"op": "rename", "section": "DEFAULT", "key": "vncserver_listen", "to_section": "DEFAULT", "to_key": "server_listen"},
		"[DEFAULT]\nserver_listen = 0.0.0.0\n"},
	{"oslo rename to another section", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\nvncserver_listen = 0.0.0.0\n[vnc]\nenabled = true\n",
		map[string]any{"op": "rename", "section": "DEFAULT", "key": "vncserver_listen", "to_section": "vnc", "to_key": "server_listen"},
		"[DEFAULT]\n[vnc]\nenabled = true\nserver_listen = 0.0.0.0\n"},
	{"oslo comment_out with continuation and then", model.KindOslo, "/etc/nova/nova.conf",
		"[DEFAULT]\nkey = a\n  b\nother = 1\n",
		map[string]any{"op": "comment_out", "line": 2, "then": "key = c"},
		"[DEFAULT]\n# key = a\n#   b\nkey = c\nother = 1\n"},
	{"mycnf set existing in another server group", model.KindMyCnf, "/etc/mysql/my.cnf",
		"[mysqld]\n[galera]\nwait-timeout = 600 # short\n",
		map[string]any{"op": "set", "section": "mysqld", "key": "wait_timeout", "value": "28800"},
		"[mysqld]\n[galera]\nwait-timeout = 28800 # short\n"},
	{"mycnf set a bare option", model.KindMyCnf, "/etc/mysql/my.cnf",
		"[mysqld]\nskip-name-resolve\n",
		map[string]any{"op": "set", "section": "mysqld", "key": "skip_name_resolve", "value": "1"},
		"[mysqld]\nskip-name-resolve=1\n"},
	{"mycnf set new group", model.KindMyCnf, "/etc/mysql/my.cnf",
		"[client]\nport = 3306\n",
		map[string]any{"op": "set", "section": "mysqld", "key": "max_connections", "value": "4096"},
		"[client]\nport = 3306\n\n[mysqld]\nmax_connections = 4096\n"},
	{"mycnf delete every occurrence", model.KindMyCnf, "/etc/mysql/my.cnf",
		"[mysqld]\nquery_cache_size=0\nport=3306\nquery-cache-size=1\n",
		map[string]any{"op": "delete", "section": "mysqld", "key": "query_cache_size"},
		"[mysqld]\nport=3306\n"},
	{"mycnf comment_out", model.KindMyCnf, "/etc/mysql/my.cnf",
		"[mysqld]\n  bind-address = 0.0.0.0\n",
		map[string]any{"op": "comment_out", "line": 2},
		"[mysqld]\n#   bind-address = 0.0.0.0\n"},
	{"haproxy_set replaces the proxy's arguments", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"defaults\n  timeout client 1m\nlisten db\n  timeout  client   30s # why\n",
		map[string]any{"op": "haproxy_set", "section": "db", "keyword": "timeout client", "args": []any{"90m"}},
		"defaults\n  timeout client 1m\nlisten db\n  timeout  client   90m # why\n"},
	{"haproxy_set adds to the proxy, not to defaults", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"defaults\n\ttimeout server 1m\nbackend b\n\tbalance roundrobin\n",
		map[string]any{"op": "haproxy_set", "section": "b", "keyword": "timeout server", "args": []any{"90m"}},
		"defaults\n\ttimeout server 1m\nbackend b\n\tbalance roundrobin\n\ttimeout server 90m\n"},
	{"haproxy_append adds only missing words", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"listen db\n  server s1 10.0.0.1:3306 check # primary\n",
		map[string]any{"op": "haproxy_append", "line": 2, "words": []any{"check", "inter", "2s"}},
		"listen db\n  server s1 10.0.0.1:3306 check inter 2s # primary\n"},
	{"haproxy comment_out", model.KindHAProxy, "/etc/haproxy/haproxy.cfg",
		"global\n  daemon\n",
		map[string]any{"op": "comment_out", "line": 2},
		"global\n#   daemon\n"},
	{"cron_minute on fields", model.KindCrontab, "/etc/cron.d/keystone",
		"5 * * * * keystone keystone-manage token_flush\n",
		map[string]any{"op": "cron_minute", "line": 1, "minute": 37},
		"37 * * * * keystone keystone-manage token_flush\n"},
	{"cron_minute spells out a nickname", model.KindCrontab, "/var/spool/cron/crontabs/keystone",
		"@daily keystone-manage token_flush\n",
		map[string]any{"op": "cron_minute", "line": 1, "minute": 12},
		"12 0 * * * keystone-manage token_flush\n"},
	{"crontab comment_out", model.KindCrontab, "/etc/cron.d/keystone",
		"MAILTO=root\n1 * * * * root true\n",
		map[string]any{"op": "comment_out", "line": 2},
		"MAILTO=root\n# 1 * * * * root true\n"},
}

// TestOpEdits performs each case's op through its dialect and checks the
// text; every op a dialect lists (Ops) has a case, and the result parses
// again in the dialect.
func TestOpEdits(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range opCases {
		d := For(c.kind)
		doc, err := d.Parse(Source{Path: c.as, As: c.as, Data: []byte(c.in)})
		if err != nil {
			t.Fatalf("%s: parse: %v", c.name, err)
		}
		src := doc.Bytes()
		edits, err := d.Edits(doc, src, c.op)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := apply(t, src, edits)
		if string(got) != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if _, err := d.Reparse(doc, c.as, got); err != nil {
			t.Errorf("%s: result does not parse: %v", c.name, err)
		}
		covered[c.kind+" "+c.op["op"].(string)] = true
	}
	for _, k := range Kinds() {
		for _, op := range For(k).Ops() {
			if !covered[k+" "+op] {
				t.Errorf("%s: op %s has no case in opCases", k, op)
			}
		}
	}
}

// TestOpRefused: an op of another dialect, a line that does not exist and
// a rename onto a set key are errors saying so; comment_out of a comment
// and an op already in effect change nothing.
func TestOpRefused(t *testing.T) {
	for _, c := range []struct {
		kind, in string
		op       map[string]any
		err      string // "" : no edit
	}{
		{model.KindHAProxy, "listen a\n", map[string]any{"op": "set", "section": "a", "key": "k", "value": "v"}, `op "set" does not apply to haproxy files`},
		{model.KindCrontab, "", map[string]any{"op": "delete"}, `op "delete" does not apply to crontabs`},
		{model.KindMyCnf, "", map[string]any{"op": "rename"}, `op "rename" does not apply to MariaDB option files`},
		{model.KindOslo, "", map[string]any{"op": "cron_minute"}, `op "cron_minute" does not apply to oslo.config files`},
		{model.KindOslo, "[DEFAULT]\n", map[string]any{"op": "comment_out", "line": 2}, "no line 2"},
		{model.KindOslo, "[a]\nx = 1\n[b]\ny = 2\n", map[string]any{"op": "rename", "section": "a", "key": "x", "to_section": "b", "to_key": "y"}, "[b] y is already set"},
		{model.KindCrontab, "@reboot true\n", map[string]any{"op": "cron_minute", "line": 1, "minute": 3}, "cannot move a @reboot job"},
		{model.KindCrontab, "1 * * * * true\n", map[string]any{"op": "cron_minute", "line": 1, "minute": 60}, "minute 60 out of range"},
		{model.KindHAProxy, "# c\nlisten a\n", map[string]any{"op": "comment_out", "line": 1}, ""},
		{model.KindHAProxy, "listen a\n  server s 1.2.3.4:80 check\n", map[string]any{"op": "haproxy_append", "line": 2, "words": []any{"check"}}, ""},
		{model.KindOslo, "[a]\n", map[string]any{"op": "delete", "section": "a", "key": "gone"}, ""},
		// A line break in an op's text would write lines the op does not
		// name: "false\nadmin_token = x" would add a setting.
		{model.KindOslo, "[DEFAULT]\ndebug = true\n", map[string]any{"op": "set", "section": "DEFAULT", "key": "debug", "value": "false\nadmin_token = x"}, "value \"false\\nadmin_token = x\" holds a line break"},
		{model.KindOslo, "[DEFAULT]\n", map[string]any{"op": "set", "section": "DEFAULT", "key": "a\rb", "value": "1"}, "key \"a\\rb\" holds a line break"},
		{model.KindOslo, "[a]\nx = 1\n", map[string]any{"op": "rename", "section": "a", "key": "x", "to_section": "a]\n[b", "to_key": "y"}, "to_section"},
		{model.KindOslo, "[DEFAULT]\nx = 1\n", map[string]any{"op": "comment_out", "line": 2, "then": "x = 2\ny = 3"}, "then"},
		{model.KindMyCnf, "[mysqld]\n", map[string]any{"op": "set", "section": "mysqld", "key": "max_connections", "value": "10\n!include /tmp/x"}, "holds a line break"},
		{model.KindHAProxy, "listen a\n", map[string]any{"op": "haproxy_set", "section": "a", "keyword": "option httpchk", "args": []any{"GET", "/\n  server evil 6.6.6.6:80"}}, "args"},
		{model.KindHAProxy, "listen a\n  server s 1.2.3.4:80\n", map[string]any{"op": "haproxy_append", "line": 2, "words": []any{"check\n  server evil 6.6.6.6:80"}}, "words"},
	} {
		d := For(c.kind)
		doc, err := d.Parse(Source{Path: "f", As: "/var/spool/cron/crontabs/root", Data: []byte(c.in)})
		if err != nil {
			t.Fatalf("%s %q: parse: %v", c.kind, c.in, err)
		}
		edits, err := d.Edits(doc, doc.Bytes(), c.op)
		switch {
		case c.err == "" && (err != nil || len(edits) > 0):
			t.Errorf("%s %v: %v, %v; want no edit", c.kind, c.op, edits, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s %v: error %v, want %q", c.kind, c.op, err, c.err)
		}
	}
}

// TestComments: which lines are whole-line comments and where a trailing
// comment starts, per dialect (suppress asks for a trailing comment only
// on lines that are not whole-line comments).
func TestComments(t *testing.T) {
	for _, c := range []struct {
		kind, line string
		whole      bool
		trailing   int
	}{
		{model.KindOslo, "# c", true, -1},
		{model.KindOslo, "; c", true, -1},
		{model.KindOslo, "  # continues a value", false, -1},
		{model.KindOslo, "k = v # part of the value", false, -1},
		{model.KindHAProxy, "  # c", true, 2},
		{model.KindHAProxy, "  ; not a comment", false, -1},
		{model.KindHAProxy, `  bind :80 # c`, false, 11},
		{model.KindHAProxy, `  http-request set-header X '#' # c`, false, 32},
		{model.KindHAProxy, `  acl a path_beg \# "#"`, false, -1},
		{model.KindMyCnf, "  ; c", true, -1},
		{model.KindMyCnf, `password = "a#b" # c`, false, 17},
		{model.KindCrontab, " # c", true, -1},
		{model.KindCrontab, "1 * * * * echo a # b", false, -1},
		{model.KindCrontab, "", false, -1},
	} {
		d := For(c.kind)
		if got := d.IsCommentLine(c.line); got != c.whole {
			t.Errorf("%s IsCommentLine(%q) = %v", c.kind, c.line, got)
		}
		if got := d.TrailingComment(c.line); got != c.trailing {
			t.Errorf("%s TrailingComment(%q) = %d, want %d", c.kind, c.line, got, c.trailing)
		}
		if !d.TrailingComments() && c.trailing >= 0 {
			t.Errorf("%s: a trailing comment in a dialect without them", c.kind)
		}
	}
}
