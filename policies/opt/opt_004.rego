# METADATA
# title: Indented line continues the previous oslo.config value
# description: |
#   oslo.config's INI parser reads a line that starts with a blank or a tab
#   as a continuation of the value above it (only a blank line, a comment or
#   the next unindented line ends the value), and joins the pieces with a
#   newline. So an assignment indented by mistake is not an assignment:
#   with `state_path = /var/lib/nova` followed by `  report_interval = 10`,
#   state_path becomes the two-line string "/var/lib/nova\nreport_interval
#   = 10" and report_interval keeps its default. Both options are then
#   wrong, silently. The rule fires when a continuation line reads like
#   `name = value`; a value spread over lines on purpose (a list such as
#   enabled_filters, one item per line) is left alone. A secret value is
#   masked before the rules see it, so a secret that takes more than one
#   line is reported by its line numbers alone (a password cannot hold a
#   line break either).
# custom:
#   id: OSC-OPT-004
#   severity: high
#   fix: manual
#   remedy: |
#     Remove the indentation of the line(s) meant as assignments (or put a
#     blank line between them and the value above), then check that the
#     first option has the value it should.
#   references:
#     - openstack/oslo.config oslo_config/iniparser.py (BaseParser.parse appends a line starting with ' ' or a tab to the open value; a blank line ends it)
#     - openstack/oslo.config oslo_config/cfg.py (ConfigParser.assignment joins the pieces with '\n')
package oscfg.rules.opt_004

import data.oscfg.lib

# An occurrence that took continuation lines: [host, path, group, key, occ, secret].
_continued contains [h, p, g, k, o, object.get(key, "secret", false)] if {
	some [h, p, f] in lib.oslo_files
	some g, sec in f.sections
	some k, key in sec.keys
	some o in key.all
	o.last_line > o.line
}

# The continuation pieces that read like assignments, with their lines
# (continuation lines are consecutive: anything else ends the value).
_assignments(o) := [[o.line + i, m[1]] |
	some i, piece in split(o.value, "\n")
	i > 0
	m := regex.find_all_string_submatch_n(`^([A-Za-z_][A-Za-z0-9_.-]*)\s*=`, piece, 1)[0]
]

deny contains f if {
	some [h, p, g, k, o, false] in _continued
	asg := _assignments(o)
	count(asg) > 0
	names := [sprintf("%s (line %d)", [a[1], a[0]]) | some a in asg]
	f := {
		"host": h, "file": p, "line": asg[0][0],
		"key": sprintf("%s/%s", [g, k]),
		"message": sprintf("[%s] %s in %s takes the indented %s into its value, so %s %s not set there and [%s] %s holds a multi-line string; remove the indentation", [g, k, p, _span(o), concat(", ", names), _are(count(asg)), g, k]),
		"related": [{"host": h, "file": p, "line": o.line, "note": sprintf("[%s] %s, whose value the indented line(s) continue", [g, k])}],
	}
}

deny contains f if {
	some [h, p, g, k, o, true] in _continued
	f := {
		"host": h, "file": p, "line": o.line + 1,
		"key": sprintf("%s/%s", [g, k]),
		"message": sprintf("[%s] %s (a secret, not shown) in %s continues over the indented %s: its value includes them and a line break, which no password or URL holds; whatever they were meant to set is not set", [g, k, p, _span(o)]),
		"related": [{"host": h, "file": p, "line": o.line, "note": sprintf("[%s] %s", [g, k])}],
	}
}

_are(1) := "is"

_are(n) := "are" if n > 1

_span(o) := sprintf("line %d", [o.last_line]) if o.last_line == o.line + 1

_span(o) := sprintf("lines %d-%d", [o.line + 1, o.last_line]) if o.last_line > o.line + 1
