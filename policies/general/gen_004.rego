# METADATA
# title: Unrendered template or placeholder left in a rendered configuration
# description: |
#   A value that still holds template syntax was never rendered: Jinja2
#   ({{ var }}, {% ... %}), ERB (<%= @var %>), Puppet/Hiera interpolation
#   (%{hiera('x')}, %{::fqdn}), a documentation placeholder (<Virtual IP>,
#   <None>), or an address with placeholder digits (192.168.1.22X,
#   10.0.0.x). None of the daemons reads these as anything but literal text:
#   the service fails to parse the value, or binds, connects or
#   authenticates to a name that does not exist. Shell-style variables are
#   judged as each daemon treats them. oslo.config substitutes $name and
#   ${name} with the value of the option of that name and raises
#   NoSuchOptError when there is none (its template id is case-insensitive,
#   option names are lower case), so an upper-case $VIP or ${DB_HOST} is
#   reported and $state_path is not; $$ and \$ are literal dollars. haproxy
#   expands $NAME and ${NAME} from the environment inside double quotes
#   (configuration.txt section 2.3) and, however they are quoted, in the
#   addresses of bind, server, source, log, peer, nameserver, mailer,
#   dispatch and stats socket (haproxy 2.6.12 resolves an unquoted
#   `server s1 ${SRV}:1` and `nameserver ns1 ${SRV}:53`); a reference
#   anywhere else stays literal (`user $USR` fails with "cannot find user
#   id for '$USR'"), and only those are reported. MariaDB option files expand
#   nothing (my_print_defaults prints ${VIP} unchanged), so ${NAME} and an
#   upper-case $NAME are reported. Values oscfg masks as secrets are not
#   inspected (only their masked form is).
# custom:
#   id: OSC-GEN-004
#   severity: high
#   fix: manual
#   remedy: |
#     Render the file with the deployment tool's variables (or fill the
#     placeholder in by hand) before deploying it; in CI, lint the rendered
#     output rather than the template.
#   references:
#     - openstack/oslo.config oslo_config/cfg.py (ConfigOpts._substitute, StrSubWrapper, Template.idpattern; checked on Debian 12 python3-oslo.config 9.0.0)
#     - haproxy/haproxy doc/configuration.txt section 2.3 (environment variables are interpreted only within double quotes)
#     - haproxy/haproxy doc/configuration.txt 3.1 log, 3.5 peer, 4.2 bind, log, server, source ("you may want to reference some environment variables in the address")
#     - MariaDB my_print_defaults 1.8 (Debian 12) prints bind-address = ${VIP} unchanged
package oscfg.rules.gen_004

import data.oscfg.lib

# Syntax no daemon here reads: [name, RE2 pattern].
_patterns := [
	["a Jinja2 expression", `\{\{.*?\}\}`],
	["a Jinja2 statement", `\{%.*?%\}`],
	["an ERB tag", `<%.*?%>`],
	["a Puppet/Hiera interpolation", `%\{[A-Za-z_:][^}]*\}`],
	["a placeholder", `<[A-Za-z][A-Za-z0-9 _./-]*[A-Za-z0-9]>`],
]

# An IPv4 address with placeholder characters in it: every octet one to
# three digits or x, at least one x.
_ip_octet := `([0-9]{1,3}[xX]{0,3}|[xX]{1,3})`

_ip_re := concat("", ["^", _ip_octet, `(\.`, _ip_octet, "){3}$"])

# One cheap test before the seven patterns: every one of them needs one
# of these characters (or an x next to a digit or dot), and nearly no
# value has them (a 1,000-controller fleet spent most of this rule's time
# in the patterns).
_suspect(s) if regex.match(`[{<%]|[0-9.][xX]|[xX]\.`, s)

_hits(s) := h if {
	_suspect(s)
	h := {sprintf("%s %s", [what, m]) |
		some [what, re] in _patterns
		some m in regex.find_n(re, s, -1)
	} | {sprintf("a placeholder address %s", [t]) |
		some t in regex.find_n(`[0-9A-Za-z.]+`, s, -1)
		regex.match(_ip_re, t)
		regex.match(`[xX]`, t)
	}
} else := set()

# Shell-style references: ${NAME} or $NAME, after dropping "$$" (an
# escaped dollar in oslo.config).
_refs(s) := regex.find_n(`\$(\{[A-Za-z_][A-Za-z0-9_.]*\}|[A-Za-z_][A-Za-z0-9_]*)`, replace(replace(s, `\$`, ""), "$$", ""), -1)

_upper(r) if regex.match(`[A-Z]`, r)

# oslo.config: only a name that cannot be an option fails.
_oslo_vars(s) := {sprintf("%s (no option of that name: oslo.config raises NoSuchOptError)", [r]) |
	some r in _refs(s)
	_upper(r)
}

# Option files expand nothing: a braced reference, or an upper-case one.
_cnf_vars(s) := {sprintf("%s (option files do not expand variables)", [r]) |
	some r in _refs(s)
	_cnf_var(r)
}

_cnf_var(r) if startswith(r, "${")

_cnf_var(r) if _upper(r)

# haproxy: what is not inside double quotes stays literal, except in an
# address, which haproxy expands itself however it is quoted (str2sa_range).
_hap_vars(d) := {sprintf("%s (outside double quotes haproxy does not expand it)", [r]) |
	some i, a in d.args
	not i in object.get(d, "env_args", [])
	not _hap_address(d, i)
	some r in _refs(a)
	_hap_var(r)
}

# The argument positions that are addresses.
_hap_addr_args := {"bind": {0}, "server": {1}, "server-template": {2}, "log": {0}, "peer": {1}, "nameserver": {1}, "mailer": {1}, "dispatch": {0}}

_hap_address(d, i) if i in _hap_addr_args[d.keyword]

_hap_address(d, _) if d.keyword == "source" # its address and usesrc's

_hap_address(d, 1) if {
	d.keyword == "stats"
	d.args[0] == "socket"
}

_hap_var(r) if startswith(r, "${")

_hap_var(r) if _upper(r)

# Every place a value is written: [host, path, line, where, hits].
_found contains [h, p, o.line, sprintf("[%s] %s", [g, k]), hits] if {
	some [h, p, f] in lib.oslo_files
	some g, sec in f.sections
	some k, key in sec.keys
	some o in key.all
	hits := (_hits(o.value) | _oslo_vars(o.value)) | _hits(k)
	count(hits) > 0
}

_found contains [h, p, d.line, sprintf("%s %s: %s", [s.type, s.name, d.keyword]), hits] if {
	some h, p
	f := input.hosts[h].files[p]
	f.kind == "haproxy"
	some s in f.sections
	some d in s.directives
	hits := _hits(concat(" ", array.concat([d.keyword], d.args))) | _hap_vars(d)
	count(hits) > 0
}

_found contains [h, p, o.line, sprintf("[%s] %s", [g.name, o.name]), hits] if {
	some h, p
	f := input.hosts[h].files[p]
	f.kind == "mycnf"
	some g in f.groups
	some o in g.options
	hits := (_hits(o.value) | _cnf_vars(o.value)) | _hits(o.name)
	count(hits) > 0
}

deny contains f if {
	some [h, p, line, where, hits] in _found
	f := {
		"host": h, "file": p, "line": line,
		"key": where,
		"message": sprintf("%s in %s still holds %s: the file was not rendered (or a placeholder was never filled in), and the daemon reads it as literal text; render it before deploying", [where, p, concat(", ", sort(hits))]),
	}
}
