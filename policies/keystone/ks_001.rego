# METADATA
# title: Removed keystone token providers or drivers (uuid, pki, [token] driver)
# description: |
#   UUID and PKI tokens had to be stored in SQL: the token table grew without
#   bound, needed token_flush, and the SQL driver was where the token-table
#   deadlocks came from. Fernet (the default since Ocata) stores nothing.
#   PKI and PKIZ were removed in Ocata; UUID was deprecated in Pike and
#   removed, together with the SQL token driver and [token] driver, in Rocky.
#   A keystone told to load a removed provider does not start ("Unable to
#   find 'uuid' driver in 'keystone.token.provider'"); a leftover
#   [token] driver is merely ignored. Each keystone host is judged by its
#   own release, whose default provider the loader gives: no [token]
#   provider before Havana (2013.2), PKI when unset in Havana and Icehouse,
#   UUID from Juno (2014.2) to Newton, fernet from Ocata. Moving to fernet
#   is advised only from Kilo (2015.1.0), which added it: before, UUID and
#   PKI were all there was, and nothing is reported.
# custom:
#   id: OSC-KS-001
#   severity: critical
#   severities:
#     medium: "a token provider that a later release removes, before that release (Kilo and later)"
#     low: "Rocky and later: token options that no longer do anything"
#   fix: manual
#   remedy: |
#     Set [token] provider = fernet after running keystone-manage fernet_setup
#     and distributing the keys to every keystone node (a provider switch
#     invalidates every outstanding token). Delete [token] driver on Rocky and
#     later.
#   references:
#     - https://docs.openstack.org/keystone/latest/configuration/config-options.html#token
#     - openstack/keystone commit 57cc1e332 (fernet default, 11.0.0 Ocata)
#     - openstack/keystone commit 8a66ef635 (PKI and PKIZ removed, 11.0.0 Ocata)
#     - openstack/keystone commit 5896d841d (UUID deprecated, 12.0.0 Pike)
#     - openstack/keystone commit 032dd49db (uuid provider and sql driver removed, 14.0.0 Rocky)
#     - openstack/keystone commit 0ebe420b6 ([token] driver removed, 14.0.0 Rocky)
#     - openstack/keystone tag 2013.2 keystone/common/config.py ([token] provider added, default None); tags 2013.2 and 2014.1 keystone/token/provider.py (None means PKI, from [signing] token_format); tag 2014.2 (None means UUID)
#     - openstack/keystone tag 2015.1.0 keystone/token/providers/fernet (the fernet provider, Kilo)
package oscfg.rules.ks_001

import data.oscfg.lib
import data.oscfg.lib.internal.keystone

_keystone contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "keystone"
}

# Releases that no longer ship each provider.
_removed_in := {"uuid": "rocky", "pki": "ocata", "pkiz": "ocata"}

_how(h, f) := "set" if f.options.token.provider.set

_how(h, f) := sprintf("unset: %s's default", [lib.host_release(h).name]) if not f.options.token.provider.set

deny contains f if {
	some [h, p, file] in _keystone
	kind := keystone.token_provider(file)
	gone := _removed_in[kind]
	lib.host_release_at_least(h, gone)
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "token", "provider"),
		"key": "token/provider",
		"message": sprintf("[token] provider %s (%s) was removed in %s: keystone fails to start (Unable to find '%s' driver in 'keystone.token.provider') on %s; switch to fernet after fernet_setup and key distribution", [kind, _how(h, file), gone, kind, lib.host_release_note(h)]),
	}
}

deny contains f if {
	some [h, p, file] in _keystone
	kind := keystone.token_provider(file)
	gone := _removed_in[kind]
	lib.host_release_before(h, gone)
	# Fernet, the provider to move to, exists from Kilo (keystone
	# 2015.1.0) on; before, uuid and pki were the only providers.
	lib.host_release_at_least(h, "kilo")
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "token", "provider"),
		"severity": "medium",
		"key": "token/provider",
		"message": sprintf("[token] provider %s (%s) persists every token in SQL: the token table grows without bound and needs token_flush, whose deletes deadlock under load; it is removed in %s, so move to fernet", [kind, _how(h, file), gone]),
	}
}

deny contains f if {
	some [h, p, file] in _keystone
	lib.host_release_at_least(h, "rocky")
	o := file.options.token.driver
	o.set
	f := {
		"host": h, "file": p, "line": o.line,
		"severity": "low",
		"key": "token/driver",
		"message": sprintf("[token] driver = %v is ignored since Rocky (token persistence was removed); delete it", [o.value]),
		"fix_class": "safe",
		"fix": {"op": "delete", "host": h, "file": p, "section": "token", "key": "driver"},
	}
}
