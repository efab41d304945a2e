# METADATA
# title: Deprecated or renamed oslo.config option
# description: |
#   An option set under a deprecated name ([DEFAULT] sql_connection for
#   [database] connection, [DEFAULT] lock_path for [oslo_concurrency]
#   lock_path) is still read on Zed but goes away in a later release, and
#   then the value is silently ignored. When the new name is also set in the
#   same file, oslo.config reads the new one and the old value is already
#   ignored. Names and replacements come from the Zed registry
#   (registry/zed.json; options deprecated for removal are in the model, not
#   reported: Zed's install guides still set some of them); nova reads
#   some old names into two options (its [api_database] copies oslo.db's
#   options, aliases included), and the rename only keeps behaviour when the
#   other one is set too. The legacy oslo.db names are also OSC-DB-002's,
#   with the same fix: fixes that touch the same bytes apply once. The
#   registry is Zed's: before Zed the new name may not exist yet and nothing
#   is reported; on a newer release the old name may already be gone.
# custom:
#   id: OSC-OPT-002
#   severity: low
#   severities:
#     medium: "the new name is also set, to another value: the old value is ignored"
#   fix: safe
#   remedy: |
#     Rename the option to its current name, in its current section (the fix
#     does it); when the current name is already set, delete the old one
#     (same value) or decide which value is meant. Restart the service.
#   references:
#     - oslo.config oslo_config/cfg.py (DeprecatedOpt, deprecated_for_removal) and validator.py
#     - https://docs.openstack.org/nova/zed/configuration/config.html
#     - https://docs.openstack.org/keystone/zed/configuration/config-options.html
#     - registry/zed.json (tools/registry/generate.sh)
package oscfg.rules.opt_002

import data.oscfg.lib

_zed := 26

_release_note(h) := "" if {
	lib.host_release(h).index == _zed
} else := sprintf(" (deprecated as of Zed; %s may no longer read the old name)", [lib.host_release(h).name])

# Before Zed the new name may not exist yet (and the old one be the option
# itself): nothing is reported; OSC-DB-002 knows the oslo.db history.
_renames contains [h, p, f, d] if {
	some [h, p, f] in lib.oslo_files
	lib.host_release(h).index >= _zed
	some d in f.registry.deprecated
	d.to_group
}

# Other options that read the same old name and are not set: they lose
# their value when it is renamed.
_unset_also(d) := [sprintf("[%s] %s", [a.group, a.key]) | some a in d.also; not a.set]

_also_note(d, f) := "" if {
	count(d.also) == 0
} else := sprintf("; %s also reads it as %s, which is not set: set that too or it loses this value", [f.service, concat(", ", _unset_also(d))]) if {
	count(_unset_also(d)) > 0
} else := sprintf("; %s also reads it as %s, which is set", [f.service, concat(", ", [sprintf("[%s] %s", [a.group, a.key]) | some a in d.also])])

_msg(h, f, d) := sprintf("[%s] %s is a deprecated name of [%s] %s, which is also set in this file and wins: this value is ignored; decide which one is meant%s", [d.group, d.key, d.to_group, d.to_key, _release_note(h)]) if {
	d.set_already
	not d.same_value
} else := sprintf("[%s] %s is a deprecated name of [%s] %s, which is also set, to the same value: delete the old name%s", [d.group, d.key, d.to_group, d.to_key, _release_note(h)]) if {
	d.set_already
} else := sprintf("[%s] %s is a deprecated name of [%s] %s: rename it before a release drops the old name%s%s", [d.group, d.key, d.to_group, d.to_key, _also_note(d, f), _release_note(h)])

_sev(d) := "medium" if {
	d.set_already
	not d.same_value
} else := "low"

_sev_field(d) := {} if _sev(d) == "low"

_sev_field(d) := {"severity": _sev(d)} if _sev(d) != "low"

_fix(h, p, d) := {"fix_class": "manual"} if {
	d.set_already
	not d.same_value
} else := {"fix": {"op": "delete", "host": h, "file": p, "section": d.group, "key": d.key}} if {
	d.set_already
} else := {"fix_class": "manual"} if {
	# A multi-valued option set several times: the move keeps one value.
	d.multi
	d.count > 1
	d.group != d.to_group
} else := {"fix": _rename(h, p, d), "fix_class": "unsafe"} if {
	count(_unset_also(d)) > 0
} else := {"fix": _rename(h, p, d)}

_rename(h, p, d) := {"op": "rename", "host": h, "file": p, "section": d.group, "key": d.key, "to_section": d.to_group, "to_key": d.to_key}

deny contains f if {
	some [h, p, file, d] in _renames
	base := {
		"host": h, "file": p, "line": d.line,
		"key": sprintf("%s/%s", [d.group, d.key]),
		"message": _msg(h, file, d),
	}
	f := object.union_n([base, _sev_field(d), _fix(h, p, d)])
}
