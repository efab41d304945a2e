// Package redact decides which configuration values are secrets and masks
// them. Parsers mask while building the input document, so no rule can put
// a secret in a message; renderers scrub once more with the values parsers
// reported, so nothing printed can carry one.
package redact

import (
	"regexp"
	"sort"
	"strings"
)

// Mask is what a secret value is replaced with (oslo.config prints the same).
const Mask = "****"

// Options whose whole value is secret, by exact (lower-case) name. Names are
// those oslo.config declares secret=True in nova, keystone and their
// libraries, plus MariaDB client passwords.
var secretNames = map[string]bool{
	"password": true, "admin_token": true, "admin_password": true,
	"connection":          false, // URL: only the password part is masked
	"memcache_secret_key": true, "metadata_proxy_shared_secret": true,
	"fixed_key": true, "backend_argument": true, "wsrep_sst_auth": true,
	"rabbit_password": true, "sql_connection": false, "transport_url": false,
	"ssl_key_password": true, "memcache_password": true, "secret": true,
}

// IsSecretKey reports whether an option of that name holds a secret as a
// whole (not only inside a URL).
func IsSecretKey(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	if v, ok := secretNames[n]; ok {
		return v
	}
	return strings.HasSuffix(n, "_password") || strings.HasSuffix(n, "_secret") ||
		strings.HasSuffix(n, "_secret_key") || strings.HasPrefix(n, "password")
}

// urlCreds matches the password in scheme://user:PASSWORD@ (several of them
// in rabbit://a:p@h1,b:q@h2 lists).
var urlCreds = regexp.MustCompile(`((?:://|,)[^:/@\s,]*:)([^@\s]+)(@)`)

// URL masks passwords inside URL userinfo, keeping scheme, user and host.
func URL(v string) string {
	if !strings.Contains(v, "@") {
		return v
	}
	return urlCreds.ReplaceAllString(v, "${1}"+Mask+"${3}")
}

// Value masks v given the option name: the whole value for secret options,
// the URL passwords otherwise. It returns the masked value and the secret
// substrings it removed (for the final scrub of rendered output).
func Value(name, v string) (string, []string) {
	if v == "" {
		return v, nil
	}
	if IsSecretKey(name) {
		return Mask, []string{v}
	}
	var found []string
	for _, m := range urlCreds.FindAllStringSubmatch(v, -1) {
		if m[2] != Mask {
			found = append(found, m[2])
		}
	}
	if found == nil {
		return v, nil
	}
	return URL(v), found
}

// Scrubber replaces every known secret string in text. Build one per run
// from the secrets every parsed file reported.
type Scrubber struct {
	r *strings.Replacer
}

// NewScrubber builds a scrubber. Very short secrets (under 4 bytes) are left
// out: replacing "a" everywhere would mangle every message, and such values
// are masked at their source anyway.
func NewScrubber(secrets []string) *Scrubber {
	uniq := map[string]bool{}
	for _, s := range secrets {
		if len(s) >= 4 && s != Mask {
			uniq[s] = true
		}
	}
	list := make([]string, 0, len(uniq))
	for s := range uniq {
		list = append(list, s)
	}
	// Longest first so a secret that contains another is replaced whole.
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, s := range list {
		pairs = append(pairs, s, Mask)
	}
	return &Scrubber{r: strings.NewReplacer(pairs...)}
}

// String scrubs s.
func (s *Scrubber) String(v string) string {
	if s == nil || s.r == nil {
		return v
	}
	return s.r.Replace(v)
}
