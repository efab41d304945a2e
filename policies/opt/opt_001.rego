# METADATA
# title: Unknown oslo.config option or section (silently ignored)
# description: |
#   oslo.config ignores what no code registered: a misspelt option, or one
#   set in the wrong section, is dropped without a word and the service runs
#   on the default (a boot-from-volume window tuned as
#   block_device_allocate_retires stays at 60 tries). Options are checked
#   against what nova and keystone read on Zed: registry/zed.json, generated
#   from Debian 12's python3-nova 26 and python3-keystone 22 with
#   oslo-config-generator, plus what they register at run time (the
#   keystoneauth plugin options of groups that take auth_type, nova's
#   [mdev_*] and [neutron_physnet_*] groups, keystone's [auth] method
#   options, and the remote_id_attribute keystone registers at run time in
#   the group of a federation protocol: [openid], [saml2], [mapped], a group
#   [auth] methods names, or any group that sets it). A close known name is suggested (edit distance, within the
#   section first, then the same name in another section).
#   [keystone_authtoken] takes the options of whatever auth plugin is
#   configured, loaded by keystonemiddleware at run time, and
#   oslo-config-validator skips the group: unknown keys there are low. Legacy
#   oslo.db names are OSC-DB-002's and not reported here. The registry is
#   Zed's: on a newer release an unknown option may be new (low, the fix is
#   unsafe); on an older one it may have existed then (Liberty read [vnc]
#   vncserver_listen, renamed server_listen in Queens), so only confident
#   typos (one option of the same section within one or two edits, its value
#   valid for it) are reported, as info, without a fix. Each host is judged
#   by its own release.
# custom:
#   id: OSC-OPT-001
#   severity: medium
#   severities:
#     low: "[keystone_authtoken] plugin options, or a release newer than Zed"
#     info: "likely typos on a release older than Zed"
#   fix: safe
#   remedy: |
#     Rename the key to the option meant (the fix does it when exactly one
#     option of the section is within two edits, its value is valid for that
#     option and the option is not already set), move it to the section that
#     reads it, or delete it. Restart the service.
#   references:
#     - https://docs.openstack.org/oslo.config/latest/cli/validator.html
#     - https://docs.openstack.org/nova/zed/configuration/config.html
#     - https://docs.openstack.org/keystone/zed/configuration/config-options.html
#     - registry/zed.json (tools/registry/generate.sh)
#     - openstack/keystone keystone/federation/utils.py get_remote_id_parameter (registers [PROTOCOL] remote_id_attribute at run time)
#     - openstack/nova tag 12.0.0 nova/vnc/__init__.py ([vnc] vncserver_listen); tag 17.0.0 nova/conf/vnc.py (server_listen, old name deprecated)
package oscfg.rules.opt_001

import data.oscfg.lib

_zed := 26

# Keys OSC-DB-002 reports (legacy oslo.db names) are left to it.
_db002 contains [f.host, f.file, f.key] if some f in data.oscfg.rules.db_002.deny

# Entries carry the service name, not the file: a whole file as a set
# element or function argument costs time in its size at every use.
_unknown contains [h, p, f.service, u] if {
	some [h, p, f] in lib.oslo_files
	some u in f.registry.unknown
	not [h, p, sprintf("%s/%s", [u.group, u.key])] in _db002
	_applies(h, u)
}

_rel(h) := lib.host_release(h)

_applies(h, u) if _rel(h).index >= _zed

# Before Zed an option missing from Zed's registry may simply have existed
# then (Liberty's [vnc] vncserver_listen, renamed server_listen in Queens):
# only confident typos (one option of the same section within one or two
# edits, its value valid for it) are reported.
_applies(h, u) if {
	_rel(h).index < _zed
	u.confident
}

_sev(h, u) := "info" if {
	_rel(h).index < _zed
} else := "low" if {
	_rel(h).index > _zed
} else := "low" if {
	u.dynamic
} else := "medium"

# The registry is Zed's: on another release a message names both, so it
# never reads as if the host ran Zed.
_release_note(h) := "" if {
	_rel(h).index == _zed
} else := sprintf(" (checked against Zed's options: it may be new in %s)", [_rel(h).name]) if {
	_rel(h).index > _zed
} else := sprintf(" (checked against Zed's options: %s may still have had it)", [_rel(h).name])

# "(Zed)" after "reads" only when the host runs Zed.
_reads(h) := " (Zed)" if _rel(h).index == _zed

_reads(h) := "" if _rel(h).index != _zed

_names(ss) := [n |
	some s in ss
	n := _name(s)
]

_name(s) := sprintf("[%s] %s", [s.group, s.key]) if s.key

_name(s) := sprintf("[%s]", [s.group]) if not s.key

_or(ns) := ns[0] if {
	count(ns) == 1
} else := sprintf("%s or %s", [concat(", ", array.slice(ns, 0, count(ns) - 1)), ns[count(ns) - 1]])

_same_group(u) if {
	some s in u.suggest
	s.group == u.group
}

_did_you_mean(svc, u) := "" if {
	count(u.suggest) == 0
} else := sprintf("; did you mean %s?", [_or([s.key | some s in u.suggest])]) if {
	u.key != ""
	_same_group(u)
} else := sprintf("; %s reads it in [%s]", [svc, u.suggest[0].group]) if {
	u.key != ""
	count(u.suggest) == 1
	u.suggest[0].distance == 0
} else := sprintf("; did you mean %s?", [_or(_names(u.suggest))])

_why(u) := sprintf(" (%s)", [u.reason]) if u.reason

_why(u) := "" if not u.reason

_dyn(u) := sprintf("; %s", [u.dynamic]) if u.dynamic

_dyn(u) := "" if not u.dynamic

_ignored(keys) := "its option is ignored" if count(keys) == 1

_ignored(keys) := sprintf("its %d options are ignored", [count(keys)]) if count(keys) != 1

_msg(h, svc, u) := sprintf("[%s] is not a section %s reads%s%s: %s%s%s", [u.group, svc, _reads(h), _why(u), _ignored(u.keys), _did_you_mean(svc, u), _release_note(h)]) if {
	u.key == ""
} else := sprintf("[%s] %s is not an option %s reads%s%s: oslo.config ignores it and the default applies%s%s%s", [u.group, u.key, svc, _reads(h), _why(u), _did_you_mean(svc, u), _dyn(u), _release_note(h)])

_rename(h, p, u, to) := {"op": "rename", "host": h, "file": p, "section": u.group, "key": u.key, "to_section": to.group, "to_key": to.key}

# A typo with one confident correction in the same section.
_fix(h, p, u) := {"fix": _rename(h, p, u, u.suggest[0])} if {
	u.confident
	_rel(h).index == _zed
	not u.dynamic
} else := {"fix": _rename(h, p, u, u.suggest[0]), "fix_class": "unsafe"} if {
	u.confident
	_rel(h).index >= _zed
} else := {"fix": _rename(h, p, u, u.suggest[0]), "fix_class": "unsafe"} if {
	# Set in the wrong section: the same name is read in exactly one other.
	u.key != ""
	count(u.suggest) == 1
	u.suggest[0].distance == 0
	u.suggest[0].group != u.group
	not u.suggest_set
	_rel(h).index >= _zed
} else := {}

_sev_field(h, u) := {} if _sev(h, u) == "medium"

_sev_field(h, u) := {"severity": _sev(h, u)} if _sev(h, u) != "medium"

_key(u) := sprintf("%s/%s", [u.group, u.key]) if u.key != ""

_key(u) := u.group if u.key == ""

deny contains f if {
	some [h, p, svc, u] in _unknown
	base := {
		"host": h, "file": p, "line": u.line,
		"key": _key(u),
		"message": _msg(h, svc, u),
	}
	f := object.union_n([base, _sev_field(h, u), _fix(h, p, u)])
}

# Past registry.MaxUnknown entries a file's unknown names are only
# counted: one finding says how many, at the first of them.
deny contains f if {
	some [h, p, file] in lib.oslo_files
	m := file.registry.unknown_more
	base := {
		"host": h, "file": p, "line": m.line,
		"key": "registry/unknown_more",
		"message": sprintf("%d more names %s does not read%s from this line on, not listed one by one (oscfg lists the first %d unknown options and sections of a file)%s", [m.count, file.service, _reads(h), count(file.registry.unknown), _release_note(h)]),
	}
	f := object.union(base, _more_sev(h))
}

_more_sev(h) := {"severity": "info"} if {
	_rel(h).index < _zed
} else := {}
