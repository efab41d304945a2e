# METADATA
# title: Service tokens not enabled ([service_user] send_service_user_token)
# description: |
#   Nova passes the caller's token on to cinder, glance and neutron. Long
#   operations (boot from volume, live migration, snapshot) can outlive the
#   token's expiration, and the follow-on call then fails with 401. With
#   [service_user] send_service_user_token = true nova adds its own service
#   token, and keystonemiddleware accepts the expired user token within
#   [token] allow_expired_window. Since the OSSA-2023-003 (CVE-2023-2088)
#   fixes, cinder and nova also rely on the service token to protect
#   volume detach, and from nova 25.2.0 (Yoga), 26.2.0 (Zed), 27.1.0
#   (2023.1) and 28.0.0 (2023.2) on `nova-status upgrade check` reports
#   FAILURE ("Service user token configuration is required for all Nova
#   services") when it is off; the Xena, Wallaby and Victoria extended
#   maintenance branches carry the check in no tagged release. Tiers: off
#   or unset high on Yoga and later (the release index cannot tell 25.0/25.1
#   from 25.2, so every Yoga counts), medium before; on but without usable [service_user]
#   credentials high: nova then logs "Unable to load auth from
#   [service_user] configuration" and silently sends no service token.
#   Every nova.conf is checked, compute hosts included, each by its host's
#   release. The option exists from nova 15.0.0 (Ocata): an older host has
#   nothing to set and is not reported.
# custom:
#   id: OSC-NOVA-003
#   severity: high
#   severities:
#     medium: "before Yoga (no upgrade check yet)"
#   fix: manual
#   remedy: |
#     On every nova host set [service_user] send_service_user_token = true
#     with the credentials of a user that holds the service role
#     (auth_type = password, auth_url, username, password, user and project
#     domain, project_name), and make the receiving services'
#     keystonemiddleware accept service tokens. Restart the nova services.
#   references:
#     - https://docs.openstack.org/nova/latest/admin/configuration/service-user-token.html
#     - openstack/nova nova/conf/service_token.py, nova/service_auth.py (send_service_user_token from tag 15.0.0, Ocata; absent in 14.0.0)
#     - openstack/nova nova/cmd/status.py _check_service_user_token (commit db455548a1, 28.0.0; backports efb01985db 27.1.0, 8b4b99149a 26.2.0, 4d8efa2d19 25.2.0)
#     - https://bugs.launchpad.net/nova/+bug/2004555
package oscfg.rules.nova_003

import data.oscfg.lib

_nova contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	f.service == "nova"
}

_on(f) if f.options.service_user.send_service_user_token.value == true

_set(f, k) if {
	o := f.options.service_user[k]
	o.set
	o.value != ""
}

# Password plugins need auth_url, a user and a password.
_password_plugins := {"password", "v3password", "v2password"}

_missing(f) := ["auth_type"] if {
	not _set(f, "auth_type")
} else := m if {
	lower(f.options.service_user.auth_type.value) in _password_plugins
	m := [k |
		some k in ["auth_url", "username", "password"]
		not _has(f, k)
	]
	count(m) > 0
}

_has(f, "username") if _set(f, "user_id")

_has(f, k) if _set(f, k)

_severity(h) := "high" if lib.host_release_at_least(h, "yoga")

_severity(h) := "medium" if lib.host_release_before(h, "yoga")

_why(h) := "nova-status upgrade check fails from nova 25.2.0 (Yoga) and 26.2.0 (Zed) on (Service user token configuration is required for all Nova services), and long operations fail with 401 once the user's token expires" if {
	lib.host_release_at_least(h, "yoga")
} else := "long operations (boot from volume, live migration, snapshot) fail with 401 once the user's token expires mid-way"

# The option exists from nova 15.0.0 (Ocata) on (nova/conf/service_token.py);
# the loader marks it absent on an older host's release.
_exists(f) if not f.options.service_user.send_service_user_token.exists == false

_how(f) := "is false" if f.options.service_user.send_service_user_token.set

_how(f) := "is unset (default false)" if not f.options.service_user.send_service_user_token.set

deny contains f if {
	some [h, p, file] in _nova
	_exists(file)
	not _on(file)
	base := {
		"host": h, "file": p, "line": lib.opt_line(file, "service_user", "send_service_user_token"),
		"key": "service_user/send_service_user_token",
		"message": sprintf("[service_user] send_service_user_token %s on %s: %s; set it to true with credentials of a user holding the service role", [_how(file), lib.host_release_note(h), _why(h)]),
	}
	f := object.union(object.union(base, _sev_field(h)), _fix(h, p, file))
}

_sev_field(h) := {} if _severity(h) == "high"

_sev_field(h) := {"severity": _severity(h)} if _severity(h) != "high"

# Flipping the flag is only worth suggesting when the credentials are there.
_fix(h, p, file) := {"fix": {"op": "set", "host": h, "file": p, "section": "service_user", "key": "send_service_user_token", "value": "true"}} if {
	not _missing(file)
} else := {}

deny contains f if {
	some [h, p, file] in _nova
	_on(file)
	missing := _missing(file)
	f := {
		"host": h, "file": p, "line": file.options.service_user.send_service_user_token.line,
		"key": "service_user/credentials",
		"message": sprintf("[service_user] send_service_user_token is true but %s missing: nova logs \"Unable to load auth from [service_user] configuration\" and sends no service token, so long operations still fail once the user's token expires; add the service user's credentials", [_list(missing)]),
	}
}

_list(m) := sprintf("%s is", [m[0]]) if count(m) == 1

_list(m) := sprintf("%s are", [concat(", ", m)]) if count(m) > 1
