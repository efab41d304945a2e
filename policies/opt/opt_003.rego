# METADATA
# title: oslo.config option value of the wrong type or out of range
# description: |
#   oslo.config converts a value when the service reads the option: a
#   non-integer in an integer option ("5m" for an interval in seconds), a
#   number outside the option's min/max, a word that is not one of the
#   option's choices (choices are case-sensitive), a string that misses the
#   option's pattern, or a boolean other than true/false, yes/no, on/off,
#   1/0 raises ConfigFileValueError there, and the service stops at start or
#   the operation that reads the option fails. Types, ranges, choices and
#   patterns are oslo.config's (oslo_config/types.py) with the parameters
#   nova and keystone give them on Zed (registry/zed.json); a value holding
#   a $ substitution is not checked. The registry is Zed's, and each host
#   is judged by its own release: on another release only a value the
#   option's base type refuses (not an integer, not a boolean) is reported,
#   low; one only Zed's choices, range or pattern refuse is not, since those
#   change between releases (nova took enabled_apis = ec2 until Mitaka).
# custom:
#   id: OSC-OPT-003
#   severity: high
#   severities:
#     low: "a release other than Zed (the registry is Zed's), for values the base type refuses"
#   fix: manual
#   remedy: |
#     Write the value the way the option's type reads it (seconds as a plain
#     integer, one of the listed choices exactly as spelt), or delete the
#     line to get the default. Check with
#     `oslo-config-validator --check-defaults` or by starting the service.
#   references:
#     - https://docs.openstack.org/oslo.config/latest/reference/types.html
#     - oslo.config oslo_config/types.py, cfg.py (ConfigFileValueError)
#     - registry/zed.json (tools/registry/generate.sh)
#     - openstack/nova tag 12.0.0 nova/service.py (enabled_apis default ec2, osapi_compute, metadata); tag 13.0.0 (osapi_compute, metadata)
package oscfg.rules.opt_003

import data.oscfg.lib

_zed := 26

_invalid contains [h, p, f, v] if {
	some [h, p, f] in lib.oslo_files
	some v in f.registry.invalid
	_judged(h, v)
}

_rel(h) := lib.host_release(h)

# On Zed every refusal counts. On another release only a value the option's
# base type refuses (not an integer, not a boolean): Zed's choices, ranges
# and patterns are no evidence about another release's (nova accepted
# enabled_apis = ec2 until the EC2 API went in 13.0.0, Mitaka).
_judged(h, v) if _rel(h).index == _zed

_judged(h, v) if {
	_rel(h).index != _zed
	not v.limits
}

_release_note(h) := "" if {
	_rel(h).index == _zed
} else := sprintf(" (checked against Zed's option types; %s may differ)", [_rel(h).name])

_sev_field(h) := {} if _rel(h).index == _zed

_sev_field(h) := {"severity": "low"} if _rel(h).index != _zed

deny contains f if {
	some [h, p, file, v] in _invalid
	base := {
		"host": h, "file": p, "line": v.line,
		"key": sprintf("%s/%s", [v.group, v.key]),
		"message": sprintf("[%s] %s = %s: %s (type %s); oslo.config raises ConfigFileValueError when %s reads the option%s", [v.group, v.key, v.value, v.reason, v.type, file.service, _release_note(h)]),
	}
	f := object.union(base, _sev_field(h))
}
