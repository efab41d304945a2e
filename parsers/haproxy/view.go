package haproxy

import (
	"strings"

	"github.com/oscfg/oscfg/redact"
)

// View is the per-file view of docs/model.md: the sections in order with
// their directives, secrets masked. It also returns the secrets it masked.
func (d *Doc) View() (map[string]any, []string) {
	var secrets []string
	sections := []any{}
	for _, s := range d.Sections {
		dirs := []any{}
		for _, dir := range s.Directives {
			args, sec := maskArgs(s.Type, dir)
			secrets = append(secrets, sec...)
			dirs = append(dirs, directiveView(dir, args))
		}
		sections = append(sections, map[string]any{
			"type": s.Type, "name": s.Name, "from": s.From, "line": s.Line,
			"directives": dirs,
		})
	}
	return map[string]any{"sections": sections}, secrets
}

// directiveView is one directive as the model shows it; prefix and cond
// appear only when set.
func directiveView(d *Directive, args []string) map[string]any {
	m := map[string]any{"keyword": d.Keyword, "args": args, "negated": d.Negated, "line": d.Line}
	if d.Prefix != "" {
		m["prefix"] = d.Prefix
	}
	if len(d.Cond) > 0 {
		m["cond"] = d.Cond
	}
	return m
}

// maskArgs returns the directive's args with secrets replaced by
// redact.Mask, and the secrets: the password of "stats auth user:pass",
// userlist passwords (a crypt hash is still worth cracking), and the value
// after an "Authorization" header name (http-check send hdr, set-header).
func maskArgs(sectionType string, d *Directive) ([]string, []string) {
	args := append([]string(nil), d.Args...)
	var secrets []string
	mask := func(i int, keep string) {
		if i < len(args) && len(args[i]) > len(keep) && args[i][len(keep):] != redact.Mask {
			secrets = append(secrets, args[i][len(keep):])
			args[i] = keep + redact.Mask
		}
	}
	switch {
	case d.Keyword == "stats" && len(args) > 1 && args[0] == "auth":
		if user, _, ok := strings.Cut(args[1], ":"); ok {
			mask(1, user+":")
		}
	case sectionType == "userlist" && d.Keyword == "user":
		for i := 1; i+1 < len(args); i++ {
			if args[i] == "password" || args[i] == "insecure-password" {
				mask(i+1, "")
			}
		}
	}
	for i := 0; i+1 < len(args); i++ {
		if strings.EqualFold(args[i], "authorization") {
			mask(i+1, "")
		}
	}
	return args, secrets
}
