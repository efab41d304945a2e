# METADATA
# title: Secrets in a world-readable configuration file
# description: |
#   Service passwords, database URLs with credentials, transport URLs,
#   wsrep_sst_auth, haproxy stats passwords and inline cron passwords give
#   whoever reads them the keys to the control plane. oscfg masks such values
#   in everything it prints (the report policy of the catalog entry); this
#   rule reports the files themselves when any local user can read them
#   (the "other" read bit). Distribution packages install nova.conf and
#   keystone.conf 0640 root:<service>; a 0644 copy usually comes from a
#   hand edit, a config-management template without a mode, or a restored
#   backup. File modes are host facts only when the files were read with
#   their modes (a live host, an extracted sosreport): a git checkout or an
#   ansible fetch gives every file the same mode from the umask. So the rule
#   trusts modes on the live host (`oscfg lint /`) or when oscfg.ini says
#   `file_modes = true`; otherwise (file_modes = auto) it fires only when
#   some file of the fleet is not world-readable, which shows the modes were
#   kept; `file_modes = false` turns it off.
# custom:
#   id: OSC-GEN-002
#   severity: medium
#   fix: manual
#   remedy: |
#     `chmod o-r FILE` (packages use 0640 root:<service group>), and make the
#     deployment tool render the file with that mode; rotate any password
#     that may have been read.
#   references:
#     - openstack/oslo.config oslo_config/cfg.py (log_opt_values masks secret=True options)
#     - openstack/oslo.db oslo_db/options.py (connection secret=True)
#     - openstack/keystone keystone/conf/default.py (admin_token secret=True)
#     - https://security.openstack.org/guidelines/dg_apply-restrictive-file-permissions.html
package oscfg.rules.gen_002

import data.oscfg.lib

_world_readable(f) if bits.and(f.mode, 4) != 0

# Modes were kept: some file of the fleet has a known mode without the
# world-read bit.
_modes_kept if input.settings.file_modes == true

_modes_kept if {
	not input.settings.file_modes == false
	some h, p
	m := input.hosts[h].files[p].mode
	m != 0
	bits.and(m, 4) == 0
}

_octal(m) := sprintf("%04o", [m])

deny contains f if {
	_modes_kept
	some h, p
	file := input.hosts[h].files[p]
	is_number(file.mode)
	file.mode != 0
	_world_readable(file)
	secrets := lib.secret_lines(file)
	count(secrets) > 0
	first := min({s.line | some s in secrets})
	whats := sort({s.what | some s in secrets})
	f := {
		"host": h, "file": p, "line": first,
		"key": "file/mode",
		"message": sprintf("%s is world-readable (mode %s) and holds %d secret value(s) (%s): any local user can read them; chmod o-r (packages use 0640 root:<service>)", [p, _octal(file.mode), count(secrets), concat(", ", whats)]),
	}
}
