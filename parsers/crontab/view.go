package crontab

import (
	"regexp"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/redact"
)

// View is the crontab view of docs/model.md, with secrets in commands and
// environment lines masked. It also returns the secrets it masked.
func (d *Doc) View() (map[string]any, []string) {
	var secrets []string
	env := []any{}
	for _, e := range d.Env {
		v, s := maskEnv(e.Name, e.Value)
		secrets = append(secrets, s...)
		env = append(env, map[string]any{"name": e.Name, "value": v, "line": e.Line})
	}
	jobs := []any{}
	for _, j := range d.Jobs {
		cmd, s := maskCommand(j.Command)
		secrets = append(secrets, s...)
		jobs = append(jobs, map[string]any{
			"line": j.Line, "file": d.Path, "user": j.User, "command": cmd,
			"schedule": j.Schedule,
			"minutes":  j.Minutes, "hours": j.Hours, "days": j.Days,
			"months": j.Months, "weekdays": j.Weekdays,
			"dom_restricted": j.DomRestricted, "dow_restricted": j.DowRestricted,
			"reboot": j.Reboot, "via": j.Via,
		})
	}
	return map[string]any{"type": string(d.Type), "user": d.User, "env": env, "jobs": jobs}, secrets
}

// maskEnv masks OS_PASSWORD=..., MYSQL_PWD=... and whatever redact
// considers secret (…_SECRET names, URL passwords).
func maskEnv(name, value string) (string, []string) {
	if value != "" && secretEnvName.MatchString(name) {
		return redact.Mask, []string{value}
	}
	return redact.Value(name, value)
}

var secretEnvName = regexp.MustCompile(`(?i)PASSW(OR)?D|(^|_)PWD$`)

// A shell word that may hold a secret: quoted, or up to a blank or a shell
// operator.
const shellValue = `('[^']*'|"[^"]*"|[^\s'"|;&<>()]+)`

var (
	// --password=SECRET and --password SECRET (mysql, mysqldump, openstack
	// clients all take one of these forms).
	passwordOpt = regexp.MustCompile(`--password(?:=|[ \t]+)` + shellValue)
	// -pSECRET: only mysql-family clients use -p for an inline password.
	mysqlP      = regexp.MustCompile(`(?:^|[\s'"])-p` + shellValue)
	mysqlClient = regexp.MustCompile(`(?:^|[\s/'"(;|&])(?:mysql|mysqldump|mysqladmin|mysqlcheck|mysqlimport|mariadb|mariadb-dump|mariadb-admin|mariadb-check)(?:$|[\s'";|&)])`)
	// OS_PASSWORD=SECRET cmd, MYSQL_PWD=SECRET cmd.
	envAssign = regexp.MustCompile(`(?i)(?:^|[\s'"(;])[A-Za-z_][A-Za-z0-9_]*(?:PASSWORD|PASSWD|_PWD)[A-Za-z0-9_]*=` + shellValue)
)

// maskCommand masks inline passwords in a cron command: -pSECRET after a
// mysql-family client, --password=SECRET, --password SECRET, NAME=SECRET
// where NAME says password, and URL passwords. Quotes around a value stay.
// Values that are variable references ($PW, "$(cat f)") are not secrets.
func maskCommand(cmd string) (string, []string) {
	var spans [][2]int // value spans, quotes excluded
	add := func(re *regexp.Regexp, after int) {
		for _, m := range re.FindAllStringSubmatchIndex(cmd, -1) {
			s, e := m[2], m[3]
			if m[0] < after {
				continue
			}
			if v := cmd[s:e]; v[0] == '\'' || v[0] == '"' {
				s, e = s+1, e-1
			}
			if s < e && cmd[s] != '$' {
				spans = append(spans, [2]int{s, e})
			}
		}
	}
	add(passwordOpt, 0)
	add(envAssign, 0)
	if loc := mysqlClient.FindStringIndex(cmd); loc != nil {
		add(mysqlP, loc[0])
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
		b.WriteString(redact.Mask)
		secrets = append(secrets, cmd[sp[0]:sp[1]])
		last = sp[1]
	}
	b.WriteString(cmd[last:])
	out, urlSecrets := redact.Value("", b.String())
	return out, append(secrets, urlSecrets...)
}
