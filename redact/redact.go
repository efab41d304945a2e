// Package redact decides which configuration values are secrets and masks
// them. Parsers mask while building the input document, where they know
// the syntax (URL userinfo, quoting, continuation lines, command-line
// flags, HTTP auth headers), so no rule can put a secret in a message;
// renderers scrub once more, by whole token, with the values parsers
// reported, so nothing printed can carry one.
package redact

import (
	"strings"
)

// Mask is what a secret value is replaced with (oslo.config prints the same).
const Mask = "****"

// Options whose whole value is secret, by exact (lower-case) name. Names are
// those oslo.config declares secret=True in nova, keystone and their
// libraries, plus MariaDB client passwords. false: the value is a URL whose
// userinfo password alone is masked.
var secretNames = map[string]bool{
	"password": true, "admin_token": true, "admin_password": true,
	"connection":          false,
	"memcache_secret_key": true, "metadata_proxy_shared_secret": true,
	"fixed_key": true, "backend_argument": true, "wsrep_sst_auth": true,
	"rabbit_password": true, "sql_connection": false, "transport_url": false,
	"ssl_key_password": true, "memcache_password": true, "secret": true,
	"pass": true, "passwd": true,
	// castellan's [vault] tokens, which the registry has no flag for.
	"root_token_id": true, "approle_secret_id": true,
}

// notSecret are names the suffix heuristic would catch that hold no
// secret: nova's [libvirt] inject_password and config_drive_inject_password
// are booleans, socket.ssl_password_file a path.
var notSecret = map[string]bool{
	"inject_password": true, "config_drive_inject_password": true,
	"ssl_password_file": true, "password_file": true,
}

// IsSecretKey reports whether an option of that name holds a secret as a
// whole (not only inside a URL).
func IsSecretKey(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	if v, ok := secretNames[n]; ok {
		return v
	}
	if notSecret[n] || strings.HasSuffix(n, "_file") || strings.HasSuffix(n, "_path") {
		return false
	}
	// _pass, _token, _encryption_key: rabbit_pass, heat's
	// auth_encryption_key, tokens of options no registry knows.
	return strings.HasSuffix(n, "_password") || strings.HasSuffix(n, "_secret") ||
		strings.HasSuffix(n, "_secret_key") || strings.HasSuffix(n, "_passwd") ||
		strings.HasSuffix(n, "_pass") || strings.HasSuffix(n, "_token") ||
		strings.HasSuffix(n, "_encryption_key")
}

// isLiteral reports values no one uses as a password but a mis-named
// boolean option holds; treating them as secrets would make the scrub
// mask every "false" in every message.
func isLiteral(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "none", "null":
		return true
	}
	return false
}

// URL masks passwords inside URL userinfo, keeping scheme, user and host.
func URL(v string) string {
	out, _ := maskURLs(v, false)
	return out
}

// maskURLs masks the password of every scheme://user:pass@host in s, and
// returns the passwords. Userinfo ends at the last '@' of the authority
// (RFC 3986 §3.2; urllib and oslo.messaging split there), so a password
// may hold '@', ':', '/', '#' and blanks; a first-'@' reader would see
// part of it as host, which is masked too. The host then ends at '/', '?'
// or '#'. The authority may be a comma-separated host list
// (oslo.messaging's transport_url). In free text (text true) a URL stops
// at a blank unless an '@' follows in the next word.
func maskURLs(s string, text bool) (string, []string) {
	if !strings.Contains(s, "@") || !strings.Contains(s, "//") {
		return s, nil
	}
	var b strings.Builder
	var secrets []string
	rest := s
	// A network-path reference (RFC 3986 §4.2) has an authority too: it is
	// what "key mysql://u:p@h" leaves when oslo splits at the ':'.
	netPath := !text && strings.HasPrefix(s, "//")
	for {
		i := strings.Index(rest, "://")
		if netPath {
			i, netPath = -1, false
		} else if i < 0 {
			break
		}
		b.WriteString(rest[:i+3])
		rest = rest[i+3:]
		auth, _ := authority(rest, text)
		m, sec := maskAuthority(auth)
		b.WriteString(m)
		secrets = append(secrets, sec...)
		rest = rest[len(auth):]
	}
	b.WriteString(rest)
	return b.String(), secrets
}

// authority is the authority at the start of rest (after "//"), and
// where its host part starts.
func authority(rest string, text bool) (string, int) {
	seg := rest
	if text {
		// In free text a blank ends the URL, unless an '@' follows it
		// before the next blank (a password with a space).
		seg = textSegment(rest)
	}
	// Userinfo ends at the last '@' (a password may hold '/', '?', '#');
	// the host after it ends at '/', '?' or '#'.
	from := strings.LastIndexByte(seg, '@')
	if from < 0 {
		from = 0
	}
	end := strings.IndexAny(seg[from:], "/?#")
	if end < 0 {
		end = len(seg)
	} else {
		end += from
	}
	auth := seg[:end]
	if text {
		// A quote after the host closes a quoted URL.
		if q := strings.IndexAny(auth[from:], `"'`); q >= 0 {
			auth = auth[:from+q]
		}
	}
	return auth, from
}

// textSegment is the part of free text a URL may span: up to a blank,
// or past it when the next word still holds an '@' before a '/'.
func textSegment(s string) string {
	end := 0
	for {
		sp := strings.IndexAny(s[end:], " \t")
		if sp < 0 {
			return s
		}
		sp += end
		next := s[sp:]
		next = strings.TrimLeft(next, " \t")
		w := next
		if i := strings.IndexAny(w, " \t"); i >= 0 {
			w = w[:i]
		}
		if at := strings.IndexByte(w, '@'); at < 0 || strings.ContainsAny(w[:at], "/=") || strings.IndexAny(s[:sp], "/") >= 0 {
			return s[:sp]
		}
		end = len(s) - len(next) + len(w)
	}
}

// maskAuthority masks the passwords of one authority, a host list
// "u:p@h1,v:q@h2" included. An item without '@' is glued to the next one:
// it is a password containing ',' rather than a host.
func maskAuthority(auth string) (string, []string) {
	items := strings.Split(auth, ",")
	var out []string
	var secrets []string
	pending := ""
	for k, it := range items {
		if pending != "" {
			it = pending + "," + it
			pending = ""
		}
		at := strings.LastIndexByte(it, '@')
		if at < 0 {
			if k < len(items)-1 && strings.Contains(strings.Join(items[k+1:], ","), "@") && strings.Contains(it, ":") {
				pending = it
				continue
			}
			out = append(out, it)
			continue
		}
		user, pass, ok := strings.Cut(it[:at], ":")
		if ok && pass != "" && pass != Mask {
			secrets = append(secrets, pass)
			it = user + ":" + Mask + it[at:]
		}
		out = append(out, it)
	}
	if pending != "" {
		out = append(out, pending)
	}
	return strings.Join(out, ","), secrets
}

// Value masks v given the option name: the whole value for secret options,
// the URL passwords otherwise. It returns the masked value and the secret
// substrings it removed (for the final scrub of rendered output).
func Value(name, v string) (string, []string) {
	if v == "" || v == Mask {
		return v, nil
	}
	if IsSecretKey(name) {
		n := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
		if _, exact := secretNames[n]; exact || !isLiteral(v) {
			return Mask, []string{v}
		}
		return v, nil
	}
	return maskURLs(v, false)
}
