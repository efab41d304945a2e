package redact

import (
	"regexp"
	"sort"
	"strings"
)

// CommandSecret is one way a shell command line carries a secret. The
// table below is what README's "Secrets" section lists; to mask another
// program's flag, add a row.
type CommandSecret struct {
	// Programs: the flag counts only after one of these commands on the
	// line (nil: after any).
	Programs []string
	// Flags are the option spellings. "--x" takes "--x=V" and "--x V";
	// "-x" takes "-xV" and "-x V" unless Attached is set ("-xV" only).
	Flags    []string
	Attached bool
	// AfterColon masks only what follows the first ':' of the value
	// (curl -u user:pass keeps the user).
	AfterColon bool
	// Example is how README shows the row.
	Example string
}

// CommandSecrets is the table of command-line secrets.
var CommandSecrets = []CommandSecret{
	{Flags: []string{"--password", "--os-password"}, Example: "openstack --os-password X, --os-password=X, mysqldump --password=X"},
	{Flags: []string{"--bootstrap-password"}, Example: "keystone-manage bootstrap --bootstrap-password X"},
	{Flags: []string{"--os-token", "--os-auth-token", "--token", "--admin-token"}, Example: "openstack --os-token X"},
	{Flags: []string{"--http-password", "--ftp-password", "--proxy-password"}, Example: "wget --http-password=X"},
	{Programs: mysqlClients, Flags: []string{"-p"}, Attached: true, Example: "mysql -pX, mariabackup -pX (a lone -p prompts)"},
	{Programs: []string{"sshpass"}, Flags: []string{"-p"}, Example: "sshpass -p X, sshpass -pX"},
	{Programs: []string{"curl"}, Flags: []string{"-u", "--user", "--proxy-user", "-U"}, AfterColon: true, Example: "curl -u user:X, curl --user=user:X"},
	{Programs: []string{"redis-cli"}, Flags: []string{"-a", "--pass"}, Example: "redis-cli -a X"},
	{Programs: []string{"rabbitmqctl"}, Flags: []string{"change_password", "add_user"}, Example: "rabbitmqctl add_user USER X (the word after the user)"},
}

var mysqlClients = []string{"mysql", "mysqldump", "mysqladmin", "mysqlcheck", "mysqlimport", "mysqlshow", "mysqlbinlog",
	"mariadb", "mariadb-dump", "mariadb-admin", "mariadb-check", "mariadb-import", "mariadb-backup", "mariabackup",
	"xtrabackup", "innobackupex", "mysqlpump", "mysqlsh"}

// shellWord is one shell word: quoted pieces, backslash escapes and plain
// bytes up to a blank or a shell operator.
const shellWord = `(?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\|;&<>()])+`

// secretEnvName matches environment variable names that hold a secret:
// OS_PASSWORD, MYSQL_PWD, RABBITMQ_DEFAULT_PASS, *_SECRET, *_TOKEN.
// (PWD and OLDPWD are directories.)
var secretEnvName = regexp.MustCompile(`(?i)(PASSW(OR)?D|_PWD$|_PASS$|SECRET|_TOKEN$|^TOKEN$)`)

// IsSecretEnv reports whether an environment variable of that name holds
// a secret.
func IsSecretEnv(name string) bool {
	n := strings.ToLower(name)
	return !strings.HasSuffix(n, "_file") && !notSecret[n] && secretEnvName.MatchString(name)
}

var (
	envAssign = regexp.MustCompile(`(?:^|[\s;&|(` + "`" + `])([A-Za-z_][A-Za-z0-9_]*)=(` + shellWord + `)`)
	cmdRes    []*regexp.Regexp // per CommandSecrets row
	progRes   []*regexp.Regexp
)

func init() {
	for _, r := range CommandSecrets {
		var alts []string
		for _, f := range r.Flags {
			q := regexp.QuoteMeta(f)
			switch {
			case r.Attached:
				alts = append(alts, q+`(`+shellWord+`)`)
			case strings.HasPrefix(f, "--"):
				alts = append(alts, q+`(?:=|[ \t]+)(`+shellWord+`)`)
			case strings.HasPrefix(f, "-"):
				alts = append(alts, q+`[ \t]*(`+shellWord+`)`)
			default: // a subcommand: its second word
				alts = append(alts, q+`[ \t]+`+shellWord+`[ \t]+(`+shellWord+`)`)
			}
		}
		// Each alternative has one group; the outer regexp finds them all.
		cmdRes = append(cmdRes, regexp.MustCompile(`(?:^|[\s'"=])(?:`+strings.Join(alts, "|")+`)`))
		if r.Programs == nil {
			progRes = append(progRes, nil)
			continue
		}
		var ps []string
		for _, p := range r.Programs {
			ps = append(ps, regexp.QuoteMeta(p))
		}
		progRes = append(progRes, regexp.MustCompile(`(?:^|[\s/'"(;|&`+"`"+`])(?:`+strings.Join(ps, "|")+`)(?:$|[\s'";|&)])`))
	}
}

// Command masks the secrets of a shell command line by the table above,
// environment assignments whose name says secret (MYSQL_PWD=X cmd,
// export OS_PASSWORD=X) and URL passwords. Quotes around a value stay;
// a value that is a variable or command substitution ($PW, "$(cat f)")
// is no secret. It returns the masked line and the secrets, each as
// written and unquoted.
func Command(cmd string) (string, []string) {
	var spans [][2]int
	addSpan := func(s, e int) {
		v := cmd[s:e]
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
			s, e = s+1, e-1
		}
		if s < e && cmd[s] != '$' && cmd[s:e] != Mask && !isLiteral(cmd[s:e]) {
			spans = append(spans, [2]int{s, e})
		}
	}
	for k, r := range CommandSecrets {
		if !mentions(cmd, r.Flags) || r.Programs != nil && !mentions(cmd, r.Programs) {
			continue // cheap test first: most cron lines name none of them
		}
		after := 0
		if progRes[k] != nil {
			loc := progRes[k].FindStringIndex(cmd)
			if loc == nil {
				continue
			}
			after = loc[0]
		}
		for _, m := range cmdRes[k].FindAllStringSubmatchIndex(cmd, -1) {
			if m[0] < after {
				continue
			}
			for g := 2; g+1 < len(m); g += 2 {
				if m[g] < 0 {
					continue
				}
				s, e := m[g], m[g+1]
				if r.AfterColon {
					c := strings.IndexByte(cmd[s:e], ':')
					if c < 0 {
						continue // curl -u user: prompts for the password
					}
					s += c + 1
				}
				addSpan(s, e)
			}
		}
	}
	// curl -H "Authorization: Bearer X", wget --header=...: the header
	// shape of haproxy lines.
	if authHeaderCheap(cmd) {
		for _, m := range authHeader.FindAllStringSubmatchIndex(cmd, -1) {
			addSpan(m[4], m[5])
		}
	}
	if strings.IndexByte(cmd, '=') >= 0 {
		for _, m := range envAssign.FindAllStringSubmatchIndex(cmd, -1) {
			if IsSecretEnv(cmd[m[2]:m[3]]) {
				addSpan(m[4], m[5])
			}
		}
	}
	if spans == nil {
		return maskURLs(cmd, true)
	}
	sort.Slice(spans, func(i, k int) bool { return spans[i][0] < spans[k][0] })
	var b strings.Builder
	var secrets []string
	last := 0
	for _, sp := range spans {
		if sp[0] < last {
			continue // overlaps a span already masked
		}
		b.WriteString(cmd[last:sp[0]])
		b.WriteString(Mask)
		raw := cmd[sp[0]:sp[1]]
		secrets = append(secrets, raw)
		if u := shellUnquote(raw); u != raw {
			secrets = append(secrets, u)
		}
		last = sp[1]
	}
	b.WriteString(cmd[last:])
	out, urls := maskURLs(b.String(), true)
	return out, append(secrets, urls...)
}

var authHeader = lineShapes[2]

func authHeaderCheap(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "authorization") || strings.Contains(l, "-token")
}

func mentions(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// shellUnquote is what the shell passes for a word: quotes removed,
// backslash escapes decoded (roughly; enough to know the secret's value).
func shellUnquote(w string) string {
	if !strings.ContainsAny(w, `'"\`) {
		return w
	}
	var b strings.Builder
	var q byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case q == '\'' && c != '\'':
			b.WriteByte(c)
		case c == q:
			q = 0
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case c == '\\' && i+1 < len(w) && (q == 0 || strings.IndexByte("\"\\$`", w[i+1]) >= 0):
			i++
			b.WriteByte(w[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
