# METADATA
# title: Keystone [DEFAULT] admin_token set
# description: |
#   admin_token is a shared secret that anyone who knows it can send as a
#   token: it represents no user, carries no explicit authorization and
#   "effectively bypasses most authorization checks" (keystone's own help,
#   which calls its use "*NOT* recommended"). It usually lingers from an old
#   bootstrap procedure, sits in a file that configuration management copies
#   around, and never expires. `keystone-manage bootstrap` replaced it.
#   Deleting it is safe once the bootstrap admin exists, which oscfg cannot
#   check, so the deletion is an unsafe fix (applied with --unsafe-fixes).
# custom:
#   id: OSC-KS-004
#   severity: high
#   fix: unsafe
#   remedy: |
#     Confirm that an admin user created by `keystone-manage bootstrap` can
#     log in, then delete [DEFAULT] admin_token from keystone.conf on every
#     keystone node and restart keystone.
#   references:
#     - https://docs.openstack.org/keystone/latest/configuration/config-options.html#DEFAULT.admin_token
#     - openstack/keystone keystone/conf/default.py (admin_token help)
package oscfg.rules.ks_004

import data.oscfg.lib

deny contains f if {
	some [h, p, file] in lib.oslo_files
	file.service == "keystone"
	o := file.options.DEFAULT.admin_token
	o.set
	o.value != ""
	f := {
		"host": h, "file": p, "line": o.line,
		"key": "DEFAULT/admin_token",
		"message": "[DEFAULT] admin_token is set: anyone holding this never-expiring shared secret bypasses most authorization checks without any identity; delete it once an admin from keystone-manage bootstrap exists (unsafe fix: oscfg cannot check that)",
		"fix_class": "unsafe",
		"fix": {"op": "delete", "host": h, "file": p, "section": "DEFAULT", "key": "admin_token"},
	}
}
