# METADATA
# title: Keystone [DEFAULT] admin_token set
# description: |
#   admin_token is a shared secret that anyone who knows it can send as a
#   token: it represents no user, carries no explicit authorization and
#   "effectively bypasses most authorization checks" (keystone's own help,
#   which calls its use "*NOT* recommended"). It usually lingers from an old
#   bootstrap procedure, sits in a file that configuration management copies
#   around, and never expires. `keystone-manage bootstrap` replaced it in
#   Mitaka (keystone 9.0.0, when admin_token was deprecated); releases
#   before Mitaka have no bootstrap command (Icehouse's keystone-manage
#   offers db_sync, pki_setup, ssl_setup and token_flush), so there the
#   admin is created through the API with the token, and the token is
#   deleted after that. Keystone still honours the option on later releases
#   (it only logs a deprecation warning). Deleting it is safe once an admin
#   user exists, which oscfg cannot check, so the deletion is an unsafe fix
#   (applied with --unsafe-fixes). The remedy named in each finding follows
#   the host's release.
# custom:
#   id: OSC-KS-004
#   severity: high
#   fix: unsafe
#   remedy: |
#     Confirm that an admin user can log in with a password (on Mitaka and
#     later created by `keystone-manage bootstrap`; before Mitaka through
#     the API, with the token), then delete [DEFAULT] admin_token from
#     keystone.conf on every keystone node and restart keystone.
#   references:
#     - https://docs.openstack.org/keystone/mitaka/man/keystone-manage.html (version 9.0.0 lists bootstrap)
#     - https://manpages.ubuntu.com/manpages/trusty/man1/keystone-manage.1.html (keystone 2014.1 has no bootstrap)
#     - openstack/openstack-ansible-os_keystone commit a08d7b1 (admin tokens deprecated as of Mitaka; bootstrap replaces them)
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
		"message": sprintf("[DEFAULT] admin_token is set: anyone holding this never-expiring shared secret bypasses most authorization checks without any identity; delete it once %s (unsafe fix: oscfg cannot check that)", [_admin_exists(h)]),
		"fix_class": "unsafe",
		"fix": {"op": "delete", "host": h, "file": p, "section": "DEFAULT", "key": "admin_token"},
	}
}

# Before Mitaka there is no keystone-manage bootstrap: the token itself is
# how the first admin is made, so the advice cannot name the command.
_admin_exists(h) := sprintf("an admin user can log in with a password; keystone-manage bootstrap came with Mitaka, and this host runs %s, so create that admin through the API with the token first", [lib.host_release_note(h)]) if {
	lib.host_release_before(h, "mitaka")
} else := "an admin from keystone-manage bootstrap exists"
