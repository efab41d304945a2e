# METADATA
# title: Unit-less HAProxy time value (read as milliseconds)
# description: |
#   HAProxy reads a time value written without a unit as milliseconds.
#   Operators who think in seconds write `timeout client 90` and get a 90 ms
#   timeout that cuts nearly every request or connection, and `haproxy -c`
#   accepts it without a word (checked with 2.6.12). Tiers: a bare value
#   under 1000 on `timeout client|server|tunnel|http-keep-alive|connect` is
#   high; a bare value under 1000 anywhere else (`timeout check`,
#   `timeout http-request`, `timeout queue`, `inter`, `fastinter`,
#   `downinter`, `slowstart` on server and default-server lines) is medium:
#   it almost certainly meant seconds too, and breaks health checks or queued
#   requests; a bare `timeout` value of 1000 or more is low: the meaning is
#   probably right but the style invites the next mistake. Server
#   parameters of 1000 or more (`check inter 2000`, the idiom of kolla,
#   openstack-ansible and the HA guide) are not reported, and 0 (no
#   timeout) is unit-free. Read from each haproxy file as written, so
#   a value in `defaults` is reported once, where it is written.
# custom:
#   id: OSC-HAP-004
#   severity: high
#   severities:
#     medium: "a bare value under 1000 on check, queue, http-request or server check timings"
#     low: "other unit-less values"
#   fix: manual
#   remedy: |
#     Write every time value with a unit (us, ms, s, m, h, d). For a bare
#     value under 1000 the author almost certainly meant seconds: write
#     `<n>s`; write `<n>ms` only if milliseconds were really meant. For 1000
#     and above, `<n>ms` keeps today's meaning. Which was intended cannot be
#     known from the file, so oscfg does not change it. Reload haproxy.
#   references:
#     - https://docs.haproxy.org/2.6/configuration.html#2.5
#     - https://docs.haproxy.org/2.6/configuration.html#5.2-inter
package oscfg.rules.hap_004

import data.oscfg.lib

# The timeouts whose sub-second value breaks traffic outright.
_traffic_timeouts := {"client", "server", "tunnel", "http-keep-alive", "connect"}

# Time-valued parameters of server / default-server / server-template lines.
_server_time_params := {"inter", "fastinter", "downinter", "slowstart"}

# Index of the first parameter after a server line's fixed arguments.
_params_from := {"server": 2, "server-template": 3, "default-server": 0}

_traffic(name) if {
	name in _traffic_timeouts
} else := false

_bare(v) := to_number(v) if regex.match(`^[0-9]+$`, v)

_label(sec) := sec.name if sec.name != ""

_label(sec) := sec.type if sec.name == ""

_in(sec) := sprintf("%s %q", [sec.type, sec.name]) if {
	sec.name != ""
} else := sprintf("the %s section", [sec.type])

# Every bare time value: [host, path, section, directive, what, n, traffic].
_bare_values contains [h, p, sec, d, sprintf("timeout %s", [d.args[0]]), n, _traffic(d.args[0])] if {
	some h, p
	file := input.hosts[h].files[p]
	file.kind == "haproxy"
	some sec in file.sections
	some d in sec.directives
	d.keyword == "timeout"
	count(d.args) >= 2
	n := _bare(d.args[1])
}

# Server parameters only under 1000: `check inter 2000` is the idiom of
# kolla, openstack-ansible and the HA guide, and unambiguous.
_bare_values contains [h, p, sec, d, what, n, false] if {
	some h, p
	file := input.hosts[h].files[p]
	file.kind == "haproxy"
	some sec in file.sections
	some d in sec.directives
	start := _params_from[d.keyword]
	some i, param in d.args
	i >= start
	param in _server_time_params
	n := _bare(d.args[i + 1])
	n < 1000
	what := _what(d, param)
}

_what(d, param) := sprintf("server %s %s", [d.args[0], param]) if {
	d.keyword in {"server", "server-template"}
} else := sprintf("%s %s", [d.keyword, param])

_severity(n, true) := "high" if n < 1000

_severity(n, false) := "medium" if n < 1000

_severity(n, _) := "low" if n >= 1000

_effect(n, true) := "cuts nearly every connection" if n < 1000

_effect(n, false) := "fires (or checks) far more often than intended and can mark healthy servers down or fail queued requests" if n < 1000

_effect(n, _) := "is probably what was meant, but a bare number reads as seconds to most people" if n >= 1000

_reads(n) := sprintf("%d ms", [n]) if {
	n < 1000
} else := sprintf("%d ms (%s)", [n, lib.human_ms(n)])

_advice(n) := sprintf("write %ds if seconds were meant (almost certainly), or %dms to keep today's meaning", [n, n]) if {
	n < 1000
} else := sprintf("write %dms (or %s) to keep today's meaning, or %ds if seconds were meant", [n, lib.human_ms(n), n])

deny contains f if {
	some [h, p, sec, d, what, n, traffic] in _bare_values
	n > 0
	sev := _severity(n, traffic)
	f := {
		"host": h, "file": p, "line": d.line, "severity": sev,
		"key": sprintf("%s/%s", [_label(sec), what]),
		"message": sprintf("%s %d in %s has no unit, so haproxy reads %s, which %s; %s", [what, n, _in(sec), _reads(n), _effect(n, traffic), _advice(n)]),
		"fix_class": "manual",
	}
}
