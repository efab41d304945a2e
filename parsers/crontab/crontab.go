// Package crontab parses cron tables the way Debian cron 3.0pl1 (Vixie
// cron) and cronie read them, and the run-parts scripts under
// /etc/cron.{hourly,daily,weekly,monthly}, into jobs with expanded time sets.
//
// Semantics (crontab(5), LIBRARIES.md §4):
//   - Blank lines and lines whose first non-blank byte is '#' are comments.
//     There are no trailing comments: a '#' later on a line is command text.
//   - An environment line is NAME=value (blanks around '=' allowed; one pair
//     of matching quotes around the value is removed). Like Vixie's
//     load_env, a line is an environment line when its first word (up to a
//     blank or '=') is followed, after optional blanks, by '='.
//   - A job is five time fields or an @nickname, then the user (system
//     tables only), then the command: the rest of the line, raw.
//   - Fields are separated by spaces and tabs only.
//
// Any syntax error is an error for the whole file, because Debian cron
// ignores the whole file then ("this crontab file will be ignored").
package crontab

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

// Type says which crontab format a file has; it comes from the file's path.
type Type string

const (
	// System tables (/etc/crontab, /etc/cron.d/*) have a user column.
	System Type = "system"
	// User tables (/var/spool/cron/crontabs/USER on Debian,
	// /var/spool/cron/USER on RHEL) have none: the file name is the user.
	User Type = "user"
	// Script is an executable in /etc/cron.{hourly,daily,weekly,monthly},
	// run by run-parts from a line of /etc/crontab.
	Script Type = "script"
)

// Doc is a parsed crontab or cron script.
type Doc struct {
	Path  string
	Type  Type
	User  string // the file's user for User tables, "root" for scripts
	Lines []parsers.Line
	Env   []Env
	Jobs  []*Job
}

// Env is an environment line (MAILTO=root, SHELL=/bin/sh, CRON_TZ=...).
type Env struct {
	Name, Value string
	Line        int
}

// Job is one cron entry, or one command line of a run-parts script.
// All byte offsets are offsets into the whole file (like parsers.Line.Start).
type Job struct {
	Line     int
	User     string // user column (System), file user (User), "root" (Script)
	Schedule string // the five fields joined by single spaces, or "@hourly"
	Special  string // "@hourly" etc., or ""
	// Command is the rest of the line, raw. cron turns an unescaped '%'
	// into a newline and feeds what follows to the command's stdin; that
	// is left to rules, the text here is exactly what the file says.
	Command string
	// Expanded time sets: sorted, unique. Weekday 7 is folded into 0.
	// All empty for @reboot.
	Minutes, Hours, Days, Months, Weekdays []int
	// DomRestricted/DowRestricted follow Vixie's DOM_STAR/DOW_STAR flags:
	// a field is unrestricted when it starts with '*' (so "*/2" counts as
	// unrestricted, as in cron). Only when both are restricted does a day
	// match if either field matches (OR); otherwise both must match.
	DomRestricted, DowRestricted bool
	Reboot                       bool // @reboot: no time sets
	Via                          string
	// Dialect is the cron whose reading of the schedule was used: "vixie"
	// when Debian's Vixie cron and cronie agree, "cronie" when only
	// cronie accepts the line (DialectNote says what it read).
	Dialect, DialectNote string
	// CronTZ is the CRON_TZ value in effect for this job (the last
	// CRON_TZ line above it; cronie copies the environment read so far
	// into each entry, src/entry.c load_entry, and schedules the entry in
	// that zone, src/cron.c find_jobs), and CronTZLine its line; "" and 0
	// when none.
	CronTZ     string
	CronTZLine int
	Start, End int // the line's text, without EOL
	// FieldSpans are the byte spans of the five time fields; for an
	// @nickname all five are the nickname's span. Zero for scripts, whose
	// schedule is not in the file.
	FieldSpans               [5][2]int
	CommandStart, CommandEnd int
}

// Debian's /etc/crontab runs the run-parts directories at these times
// (cron-daemon-common 3.0pl1-162). Used when Parse gets no schedule.
var debianRunParts = map[string]string{
	"cron.hourly":  "17 * * * *",
	"cron.daily":   "25 6 * * *",
	"cron.weekly":  "47 6 * * 7",
	"cron.monthly": "52 6 1 * *",
}

// TypeForPath tells a crontab's type and user from its path on the host,
// never from its content: the same line means different things with and
// without a user column. ok is false for paths cron never reads as a
// table; t is then User (the shape of `crontab -l` output, the usual loose
// file) and user is "".
//
// Files in /etc/cron.d whose names contain a dot are ignored by Debian cron;
// they still get ok=true here because discovery already skips (and
// reports) them, and a file named on the command line should be checked.
func TypeForPath(hostPath string) (t Type, user string, ok bool) {
	p := path.Clean(hostPath)
	dir, base := path.Dir(p), path.Base(p)
	switch {
	case p == "/etc/crontab", dir == "/etc/cron.d":
		return System, "", true
	case dir == "/var/spool/cron/crontabs", // Debian
		dir == "/var/spool/cron/tabs",                                    // SUSE
		dir == "/var/spool/cron" && base != "crontabs" && base != "tabs": // RHEL cronie
		return User, base, true
	case strings.HasPrefix(dir, "/etc/cron.") && debianRunParts[path.Base(dir)] != "":
		return Script, "root", true
	}
	return User, "", false
}

// Parse reads a crontab of the given type. user is the table's owner for
// User tables ("" if unknown). scriptSchedule is the run-parts schedule for
// Script files (e.g. "17 * * * *"); when empty, Debian's default for the
// script's directory is used.
func Parse(path string, src []byte, t Type, user string, scriptSchedule string) (*Doc, error) {
	if err := parsers.CheckText(path, src); err != nil {
		return nil, err
	}
	d := &Doc{Path: path, Type: t, User: user, Lines: parsers.SplitLines(src)}
	switch t {
	case System, User:
		for _, l := range d.Lines {
			if err := d.parseLine(l); err != nil {
				return nil, err
			}
		}
	case Script:
		if d.User == "" {
			d.User = "root"
		}
		if err := d.parseScript(scriptSchedule); err != nil {
			return nil, err
		}
	default:
		return nil, parsers.Errorf(path, 0, "unknown crontab type %q", t)
	}
	return d, nil
}

// Bytes gives back the file exactly as read.
func (d *Doc) Bytes() []byte { return parsers.JoinLines(d.Lines) }

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// word returns the next blank-delimited word of s at or after i, with its
// span; start == end == len(s) when there is none.
func word(s string, i int) (w string, start, end int) {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	start = i
	for i < len(s) && !isBlank(s[i]) {
		i++
	}
	return s[start:i], start, i
}

// envLine splits an environment line, as Vixie's load_env does: the name
// runs to a blank or '=', then optional blanks, then '='. ok is false when
// the line is not one.
func envLine(s string) (name, value string, ok bool) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t=")
	if i <= 0 {
		return "", "", false
	}
	name, rest := s[:i], strings.TrimLeft(s[i:], " \t")
	if !strings.HasPrefix(rest, "=") {
		return "", "", false
	}
	value = strings.Trim(rest[1:], " \t")
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
		value = value[1 : len(value)-1]
	}
	return name, value, true
}

func (d *Doc) parseLine(l parsers.Line) error {
	s := l.Text
	first, _, _ := word(s, 0)
	if first == "" || first[0] == '#' {
		return nil
	}
	if name, value, ok := envLine(s); ok {
		d.Env = append(d.Env, Env{Name: name, Value: value, Line: l.No})
		return nil
	}
	j := &Job{Line: l.No, User: d.User, Start: l.Start, End: l.End(), Dialect: "vixie"}
	for i := len(d.Env) - 1; i >= 0; i-- {
		if d.Env[i].Name == "CRON_TZ" {
			j.CronTZ, j.CronTZLine = d.Env[i].Value, d.Env[i].Line
			break
		}
	}
	pos, err := j.parseSchedule(s, l.Start)
	if err != nil {
		return parsers.Errorf(d.Path, l.No, "%s", err.Error())
	}
	if d.Type == System {
		u, _, ue := word(s, pos)
		if u == "" {
			return parsers.Errorf(d.Path, l.No, "missing user and command after schedule %q (files in /etc/cron.d and /etc/crontab need a user column)", j.Schedule)
		}
		if !plausibleUser(u) {
			return parsers.Errorf(d.Path, l.No, "missing user column: %q is not a user name (files in /etc/cron.d and /etc/crontab need one before the command)", redact.Line(u))
		}
		j.User, pos = u, ue
	}
	for pos < len(s) && isBlank(s[pos]) {
		pos++
	}
	if pos == len(s) {
		return parsers.Errorf(d.Path, l.No, "missing command after schedule %q", j.Schedule)
	}
	j.Command = s[pos:]
	j.CommandStart, j.CommandEnd = l.Start+pos, l.End()
	d.Jobs = append(d.Jobs, j)
	return nil
}

// plausibleUser rejects words that cannot be login names but are typical
// command starts (paths, redirections, variables), which is what a user
// crontab line copied into /etc/cron.d looks like. A trailing '$' is allowed
// (Samba machine accounts). Whether the user exists is unknowable here.
func plausibleUser(u string) bool {
	body := strings.TrimSuffix(u, "$")
	return body != "" && !strings.ContainsAny(body, "/=<>|&;'\"`$(){}*?\\!")
}

// scriptNoise are shell lines that carry no command of their own.
var scriptNoise = map[string]bool{
	"then": true, "else": true, "fi": true, "do": true, "done": true, "esac": true,
	";;": true, "{": true, "}": true, "(": true, ")": true, "exit": true, ":": true, "true": true,
}

// parseScript makes a job of every line of a run-parts script that may run
// a command. It does not parse shell: it only needs to find command text
// such as "keystone-manage token_flush" and give it the time the script runs.
func (d *Doc) parseScript(schedule string) error {
	via := scriptDir(d.Path)
	if schedule == "" {
		schedule = debianRunParts[path.Base(via)]
	}
	if schedule == "" {
		return parsers.Errorf(d.Path, 0, "no run-parts schedule known for scripts in %s", via)
	}
	var tmpl Job
	if _, err := tmpl.parseSchedule(schedule, 0); err != nil {
		return parsers.Errorf(d.Path, 0, "run-parts schedule %q: %v", schedule, err)
	}
	tmpl.FieldSpans = [5][2]int{} // the schedule is not in this file
	if tmpl.Dialect == "" {
		tmpl.Dialect = "vixie"
	}
	for _, l := range d.Lines {
		cmd := strings.Trim(l.Text, " \t")
		if cmd == "" || cmd[0] == '#' {
			continue // also the shebang
		}
		bare := strings.TrimSuffix(cmd, ";")
		if scriptNoise[bare] || strings.HasPrefix(bare, "set ") || strings.HasPrefix(bare, "exit ") {
			continue
		}
		j := tmpl
		// Own copies, so editing one job's sets cannot change another's.
		j.Minutes, j.Hours, j.Days = slices.Clone(j.Minutes), slices.Clone(j.Hours), slices.Clone(j.Days)
		j.Months, j.Weekdays = slices.Clone(j.Months), slices.Clone(j.Weekdays)
		j.Line, j.User, j.Via = l.No, d.User, via
		j.Start, j.End = l.Start, l.End()
		j.CommandStart = l.Start + strings.Index(l.Text, cmd)
		j.CommandEnd = j.CommandStart + len(cmd)
		j.Command = cmd
		d.Jobs = append(d.Jobs, &j)
	}
	return nil
}

// scriptDir is the run-parts directory as on the host. The loader passes
// the path on disk (fleet/ctl1/etc/cron.hourly/x), so cut it at /etc/cron.
func scriptDir(p string) string {
	dir := path.Dir(filepath.ToSlash(p))
	if i := strings.Index(dir, "/etc/cron."); i >= 0 {
		return dir[i:]
	}
	if strings.HasPrefix(dir, "etc/cron.") {
		return "/" + dir
	}
	return dir
}
