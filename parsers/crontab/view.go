package crontab

import (
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
		cmd, s := redact.Command(j.Command)
		secrets = append(secrets, s...)
		jv := map[string]any{
			"line": j.Line, "file": d.Path, "user": j.User, "command": cmd,
			"schedule": j.Schedule,
			"minutes":  j.Minutes, "hours": j.Hours, "days": j.Days,
			"months": j.Months, "weekdays": j.Weekdays,
			"dom_restricted": j.DomRestricted, "dow_restricted": j.DowRestricted,
			"reboot": j.Reboot, "via": j.Via,
			"dialect": j.Dialect, "dialect_note": j.DialectNote,
		}
		if j.CronTZ != "" {
			jv["cron_tz"] = map[string]any{"value": j.CronTZ, "line": j.CronTZLine}
		}
		jobs = append(jobs, jv)
	}
	return map[string]any{"type": string(d.Type), "user": d.User, "env": env, "jobs": jobs}, secrets
}

// maskEnv masks OS_PASSWORD=..., MYSQL_PWD=... (redact.IsSecretEnv) and
// whatever redact considers secret (…_SECRET names, URL passwords).
func maskEnv(name, value string) (string, []string) {
	if value != "" && value[0] != '$' && redact.IsSecretEnv(name) {
		return redact.Mask, []string{value}
	}
	return redact.Value(name, value)
}
