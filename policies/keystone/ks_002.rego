# METADATA
# title: Keystone [token] expiration outside a sane band
# description: |
#   Keystone's help warns both ways. An expiration under an hour breaks
#   long-running operations that span several services (a boot from volume,
#   a live migration, a snapshot upload): the user's token expires while nova
#   still needs it, unless nova sends service tokens (OSC-NOVA-003) so that
#   the expired token is accepted within allow_expired_window. An expiration
#   over a day hands out bearer tokens that stay usable for days if leaked.
#   An allow_expired_window shorter than the expiration itself gives service
#   tokens less room than the tokens they rescue. Tiers: expiration under
#   3600 while any nova.conf of the fleet has service tokens off medium
#   (not reported when no nova.conf was loaded); over 86400 low;
#   allow_expired_window below expiration low.
# custom:
#   id: OSC-KS-002
#   severity: medium
#   severities:
#     low: "an expiration over a day, or allow_expired_window below the expiration"
#   fix: manual
#   remedy: |
#     Keep [token] expiration between 3600 and 86400 (kolla runs 86400 with
#     allow_expired_window 172800), keep allow_expired_window at least the
#     expiration, and enable nova service tokens (OSC-NOVA-003) rather than
#     raising the expiration to cover long operations. Restart keystone.
#   references:
#     - https://docs.openstack.org/keystone/latest/configuration/config-options.html#token
#     - openstack/keystone keystone/conf/token.py (help of expiration and allow_expired_window)
#     - openstack/kolla-ansible ansible/group_vars/all/keystone.yml (fernet_token_expiry 86400, fernet_token_allow_expired_window 172800)
package oscfg.rules.ks_002

import data.oscfg.lib

_keystone contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "keystone"
}

# nova.conf files whose service tokens are off.
_tokens_off contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "nova"
	not f.options.service_user.send_service_user_token.value == true
}

_where(f, k) := "default" if not f.options.token[k].set

_where(f, k) := "set" if f.options.token[k].set

deny contains f if {
	some [h, p, file] in _keystone
	exp := lib.opt_int(file.options.token.expiration)
	exp < 3600
	count(_tokens_off) > 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "token", "expiration"),
		"key": "token/expiration",
		"message": sprintf("[token] expiration = %d (under an hour) while nova sends no service tokens on %d nova.conf file(s): boot from volume, live migration and snapshots that outlast the token fail with 401; enable [service_user] send_service_user_token in nova (OSC-NOVA-003) and keep expiration at 3600 or more", [exp, count(_tokens_off)]),
		"related": [{"host": nh, "file": np, "line": lib.opt_line(nf, "service_user", "send_service_user_token"), "note": "send_service_user_token off"} | some [nh, np, nf] in _tokens_off],
	}
}

deny contains f if {
	some [h, p, file] in _keystone
	exp := lib.opt_int(file.options.token.expiration)
	exp > 86400
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "token", "expiration"), "severity": "low",
		"key": "token/expiration",
		"message": sprintf("[token] expiration = %d (%s): a leaked bearer token stays usable that long; keep it at 86400 or less and rely on service tokens and allow_expired_window for long operations", [exp, lib.human_ms(exp * 1000)]),
	}
}

deny contains f if {
	some [h, p, file] in _keystone
	exp := lib.opt_int(file.options.token.expiration)
	win := lib.opt_int(file.options.token.allow_expired_window)
	win < exp
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "token", "allow_expired_window"), "severity": "low",
		"key": "token/allow_expired_window",
		"message": sprintf("[token] allow_expired_window = %d (%s) is shorter than expiration = %d (%s): service tokens can rescue an expired user token for less time than the token itself lived; set it to at least the expiration (default 172800)", [win, _where(file, "allow_expired_window"), exp, _where(file, "expiration")]),
	}
}
