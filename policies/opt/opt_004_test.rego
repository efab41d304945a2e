package oscfg.rules.opt_004_test

import data.oscfg.rules.opt_004

_in(keys) := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": {"/etc/nova/nova.conf": {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"DEFAULT": {"line": 1, "keys": keys}},
}}}}}

_k(v, line, last) := {"value": v, "line": line, "last_line": last, "all": [{"value": v, "line": line, "last_line": last}]}

test_indented_assignment_fires if {
	fs := opt_004.deny with input as _in({"state_path": _k("/var/lib/nova\nreport_interval = 10", 2, 3)})
	count(fs) == 1
	some f in fs
	f.line == 3
	f.key == "DEFAULT/state_path"
	contains(f.message, "report_interval (line 3) is not set")
	f.related[0].line == 2
	not "fix" in object.keys(f)
}

test_two_assignments_name_both if {
	fs := opt_004.deny with input as _in({"state_path": _k("/v\n# x\nreport_interval = 10\nperiodic_enable=false", 2, 5)})
	some f in fs
	f.line == 4
	contains(f.message, "report_interval (line 4), periodic_enable (line 5) are not set")
}

test_list_over_lines_quiet if {
	count(opt_004.deny) == 0 with input as _in({
		"enabled_filters": _k("ComputeFilter,\nRamFilter,\nImagePropertiesFilter", 2, 4),
		"debug": {"value": "true", "line": 6, "all": [{"value": "true", "line": 6}]},
	})
}

test_secret_continued_by_lines if {
	k := object.union(_k("****", 7, 8), {"secret": true})
	fs := opt_004.deny with input as _in({"password": k})
	some f in fs
	f.line == 8
	contains(f.message, "a secret, not shown")
	not contains(f.message, "****")
}

test_earlier_occurrence_counts if {
	k := {"value": "1", "line": 9, "all": [{"value": "a\nb = 2", "line": 4, "last_line": 5}, {"value": "1", "line": 9}]}
	some f in opt_004.deny with input as _in({"k": k})
	f.line == 5
}
