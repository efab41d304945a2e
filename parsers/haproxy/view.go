package haproxy

import (
	"strings"

	"github.com/oscfg/oscfg/redact"
)

// View is the per-file view of docs/model.md: the sections in order with
// their directives, secrets masked. It also returns the secrets it masked,
// each both as haproxy reads it and as the file writes it (quoted,
// escaped), so the scrub finds it in diffs of the raw file too.
func (d *Doc) View() (map[string]any, []string) {
	var secrets []string
	var src []byte // read only when a directive has a secret
	raw := func(w Word) string {
		if src == nil {
			src = d.Bytes()
		}
		if w.Start < 0 || w.End > len(src) || w.Start > w.End {
			return ""
		}
		return string(src[w.Start:w.End])
	}
	sections := []any{}
	for _, s := range d.Sections {
		dirs := []any{}
		for _, dir := range s.Directives {
			args, sec := maskArgs(s.Type, dir, raw)
			secrets = append(secrets, sec...)
			dv := directiveView(dir, args)
			if env := envArgs(dir); len(env) > 0 {
				dv["env_args"] = env
			}
			dirs = append(dirs, dv)
		}
		sections = append(sections, map[string]any{
			"type": s.Type, "name": s.Name, "from": s.From, "line": s.Line,
			"directives": dirs,
		})
	}
	return map[string]any{"sections": sections}, secrets
}

// envArgs lists the indexes of the arguments whose $NAME / ${NAME} haproxy
// expands (inside double quotes only, configuration.txt 2.3); a reference
// elsewhere stays literal text.
func envArgs(d *Directive) []any {
	words := d.Words[len(d.Words)-len(d.Args):]
	var out []any
	for i, w := range words {
		if w.Env {
			out = append(out, i)
		}
	}
	return out
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

// authSchemes are the HTTP authentication schemes whose name stays visible
// before a masked credential.
var authSchemes = []string{"basic ", "bearer ", "digest ", "negotiate ", "token "}

// maskHeaderValue masks an Authorization header value ("Basic XXXX" keeps
// "Basic ").
func maskHeaderValue(v string) (string, string) {
	lv := strings.ToLower(v)
	for _, s := range authSchemes {
		if strings.HasPrefix(lv, s) {
			cred := strings.TrimLeft(v[len(s):], " ")
			if cred == "" || cred == redact.Mask {
				return v, ""
			}
			return v[:len(v)-len(cred)] + redact.Mask, cred
		}
	}
	if v == redact.Mask {
		return v, ""
	}
	return redact.Mask, v
}

// maskArgs returns the directive's args with secrets replaced by
// redact.Mask, and the secrets: the password of "stats auth user:pass",
// userlist passwords (a crypt hash is still worth cracking), the value
// after an "Authorization" header name (http-check send hdr, set-header,
// add-header) and an Authorization header inside a word (the request
// line of option httpchk with "\r\n" headers). raw gives a word as
// written in the file.
func maskArgs(sectionType string, d *Directive, raw func(Word) string) ([]string, []string) {
	args := append([]string(nil), d.Args...)
	words := d.Words[len(d.Words)-len(d.Args):]
	var secrets []string
	// secret records the masked part of arg i (decoded) and of its raw
	// word: after the first ':' for stats auth, else the whole word.
	secret := func(i int, v string, afterColon bool) {
		secrets = append(secrets, v)
		r := raw(words[i])
		if afterColon {
			if c := strings.IndexByte(r, ':'); c >= 0 {
				r = r[c+1:]
			}
		}
		if r != "" && r != v {
			secrets = append(secrets, r)
			if len(r) > 1 && (r[0] == '"' || r[0] == '\'') && r[len(r)-1] == r[0] {
				secrets = append(secrets, r[1:len(r)-1])
			}
		}
	}
	mask := func(i int, keep string) {
		if i < len(args) && len(args[i]) > len(keep) && args[i][len(keep):] != redact.Mask {
			secret(i, args[i][len(keep):], keep != "")
			args[i] = keep + redact.Mask
		}
	}
	switch {
	case d.Keyword == "stats" && len(args) > 1 && args[0] == "auth":
		if user, _, ok := strings.Cut(args[1], ":"); ok {
			mask(1, user+":")
		}
	case (d.Keyword == "setenv" || d.Keyword == "presetenv") && len(args) > 1 && redact.IsSecretEnv(args[0]):
		// global setenv DB_PASS X: the value of a variable whose name
		// says secret, as in a crontab.
		mask(1, "")
	case sectionType == "userlist" && d.Keyword == "user":
		for i := 1; i+1 < len(args); i++ {
			if args[i] == "password" || args[i] == "insecure-password" {
				mask(i+1, "")
			}
		}
	}
	for i := 0; i < len(args); i++ {
		if isAuthHeader(args[i]) && i+1 < len(args) {
			if m, cred := maskHeaderValue(args[i+1]); cred != "" {
				args[i+1] = m
				secret(i+1, cred, false)
				secrets = append(secrets, rawCred(raw(words[i+1]))...)
			}
			continue
		}
		if m, creds := maskInlineHeaders(args[i]); creds != nil {
			args[i] = m
			secrets = append(secrets, creds...)
			secrets = append(secrets, rawCred(raw(words[i]))...)
		}
	}
	return args, secrets
}

// isAuthHeader: header names whose value is a credential (OpenStack
// sends tokens in X-Auth-Token and friends).
func isAuthHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "x-auth-token", "x-subject-token", "x-service-token":
		return true
	}
	return false
}

// maskInlineHeaders masks "Authorization: <value>" inside one word, up to
// the CR or LF that ends the header (option httpchk's request line).
func maskInlineHeaders(w string) (string, []string) {
	lw := strings.ToLower(w)
	var creds []string
	from := 0
	for {
		i := strings.Index(lw[from:], "authorization:")
		if i < 0 {
			break
		}
		vs := from + i + len("authorization:")
		for vs < len(w) && (w[vs] == ' ' || w[vs] == '\t') {
			vs++
		}
		ve := vs
		for ve < len(w) && w[ve] != '\r' && w[ve] != '\n' {
			ve++
		}
		m, cred := maskHeaderValue(w[vs:ve])
		if cred != "" {
			creds = append(creds, cred)
			w = w[:vs] + m + w[ve:]
			lw = strings.ToLower(w)
		}
		from = vs
	}
	return w, creds
}

// rawCred is the credential of an Authorization header as the file writes
// it: the word after the scheme, with "\ " escapes and quotes.
func rawCred(r string) []string {
	var out []string
	lr := strings.ToLower(r)
	for _, s := range []string{"basic", "bearer", "digest", "negotiate", "token"} {
		for from := 0; ; {
			i := strings.Index(lr[from:], s)
			if i < 0 {
				break
			}
			j := from + i + len(s)
			for {
				if strings.HasPrefix(r[j:], `\ `) {
					j += 2
				} else if strings.HasPrefix(r[j:], " ") {
					j++
				} else {
					break
				}
			}
			k := j
			for k < len(r) && r[k] != '"' && r[k] != '\'' && r[k] != ' ' && !strings.HasPrefix(r[k:], `\r`) && !strings.HasPrefix(r[k:], `\n`) {
				k++
			}
			if k > j {
				out = append(out, r[j:k])
			}
			from = k
			if from >= len(r) {
				break
			}
		}
	}
	return out
}

// noRaw is for callers that want only the masked args.
func noRaw(Word) string { return "" }
