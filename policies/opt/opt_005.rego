# METADATA
# title: Driver given as a Python class path the release no longer loads
# description: |
#   Old guides and config-management modules name drivers by their Python
#   class (`[token] provider = keystone.token.providers.fernet.Provider`).
#   Keystone and nova replaced that with short entry-point names (fernet,
#   sql, filter_scheduler) and, after a deprecation period, stopped loading
#   class paths, so the same line that worked for years keeps the service
#   from starting after an upgrade. Keystone: entry-point names since
#   Liberty (8.0.0), a deprecation warning until Ocata, and from Pike
#   (12.0.0) a backend driver or provider is looked up only by name in its
#   namespace ("Unable to find '...' driver in 'keystone.token.provider'",
#   keystone does not start); authentication method plugins ([auth]
#   password = keystone.auth.plugins.password.Password) followed in Rocky
#   (14.0.0). Nova: compute_driver is imported as nova.virt.<value> from
#   Newton (14.0.0), so nova.virt.libvirt.LibvirtDriver becomes
#   nova.virt.nova.virt... and nova-compute exits ("Unable to load the
#   virtualization driver"); the scheduler host manager class path was
#   dropped in Newton and the scheduler driver class path in Ocata (15.0.0),
#   both deprecated in Mitaka. Critical from the release that refuses it;
#   low, with the same fix, in the releases that only warn. The fix writes
#   the entry-point name of the same class, so it changes nothing but the
#   spelling; a class path with no such name (an out-of-tree or renamed
#   driver) needs a manual choice.
# custom:
#   id: OSC-OPT-005
#   severity: critical
#   fix: safe
#   remedy: |
#     Use the entry-point name: fernet, sql, ldap, templated, rules, sha256
#     (keystone drivers and providers; the namespace is the option's),
#     default ([auth] methods: or delete the line), libvirt.LibvirtDriver
#     (nova compute_driver, relative to nova.virt), filter_scheduler /
#     host_manager (nova [scheduler] driver / host_manager). oscfg writes it
#     when the class has one.
#   references:
#     - openstack/keystone commit 711855cd9 (removed-as-of-pike; keystone/common/manager.py load_driver, 12.0.0 Pike)
#     - openstack/keystone commit 8fb4b7980 (direct import of auth plugins removed, 14.0.0 Rocky)
#     - openstack/keystone commit 6817d66bd (stevedore entry points for backend drivers, 8.0.0 Liberty)
#     - openstack/keystone setup.cfg [entry_points] at 12.0.0 and 14.0.0 (the names written)
#     - openstack/nova commit 8eb03de1eb (nova/virt/driver.py imports nova.virt.<compute_driver>, 14.0.0 Newton)
#     - openstack/nova commit 7e2f5c7d34 (scheduler_host_manager class path removed, 14.0.0 Newton)
#     - openstack/nova commit fe3d6dba3d (scheduler driver class path removed, 15.0.0 Ocata; releasenotes sched_remove_classpath_import)
package oscfg.rules.opt_005

import data.oscfg.lib

# A dotted Python path; entry-point names never have a dot.
_class_path(v) if regex.match(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$`, v)

# keystone options loaded by keystone.common.manager.load_driver: class
# path -> entry-point name (setup.cfg), per [group, key].
_ks_names := {
	["identity", "driver"]: {"keystone.identity.backends.sql.Identity": "sql", "keystone.identity.backends.ldap.Identity": "ldap"},
	["assignment", "driver"]: {"keystone.assignment.backends.sql.Assignment": "sql"},
	["role", "driver"]: {"keystone.assignment.role_backends.sql.Role": "sql"},
	["resource", "driver"]: {},
	["catalog", "driver"]: {"keystone.catalog.backends.sql.Catalog": "sql", "keystone.catalog.backends.templated.Catalog": "templated"},
	["credential", "driver"]: {"keystone.credential.backends.sql.Credential": "sql"},
	["credential", "provider"]: {"keystone.credential.providers.fernet.Provider": "fernet"},
	["identity_mapping", "driver"]: {"keystone.identity.mapping_backends.sql.Mapping": "sql"},
	["identity_mapping", "generator"]: {"keystone.identity.id_generators.sha256.Generator": "sha256"},
	["shadow_users", "driver"]: {"keystone.identity.shadow_backends.sql.ShadowUsers": "sql"},
	["policy", "driver"]: {"keystone.policy.backends.rules.Policy": "rules", "keystone.policy.backends.sql.Policy": "sql"},
	["domain_config", "driver"]: {"keystone.resource.config_backends.sql.DomainConfig": "sql"},
	["token", "provider"]: {"keystone.token.providers.fernet.Provider": "fernet", "keystone.token.providers.uuid.Provider": "uuid"},
	["token", "driver"]: {"keystone.token.persistence.backends.sql.Token": "sql"},
	["trust", "driver"]: {"keystone.trust.backends.sql.Trust": "sql"},
	["endpoint_policy", "driver"]: {"keystone.endpoint_policy.backends.sql.EndpointPolicy": "sql"},
	["federation", "driver"]: {"keystone.federation.backends.sql.Federation": "sql"},
	["oauth1", "driver"]: {"keystone.oauth1.backends.sql.OAuth1": "sql"},
	["revoke", "driver"]: {"keystone.revoke.backends.sql.Revoke": "sql"},
}

# [auth] <method>: the class of each method's "default" plugin.
_ks_auth_default := {
	"password": "keystone.auth.plugins.password.Password",
	"token": "keystone.auth.plugins.token.Token",
	"external": "keystone.auth.plugins.external.DefaultDomain",
	"kerberos": "keystone.auth.plugins.external.KerberosDomain",
	"oauth1": "keystone.auth.plugins.oauth1.OAuth",
	"openid": "keystone.auth.plugins.mapped.Mapped",
	"saml2": "keystone.auth.plugins.mapped.Mapped",
	"x509": "keystone.auth.plugins.mapped.Mapped",
	"mapped": "keystone.auth.plugins.mapped.Mapped",
	"totp": "keystone.auth.plugins.totp.TOTP",
}

# Names removed later than the class paths: no fix writes them there.
_gone := {["keystone.token.provider", "uuid"]: "rocky"}

# Every class path found: [host, path, group, key, value, line, what,
# namespace, since (names exist), removed (class path refused), name or ""].
_found contains [h, p, g, k, v, o.line, "keystone", sprintf("keystone.%s", [_ks_ns(g, k)]), "liberty", "pike", object.get(names, v, "")] if {
	some [h, p, f] in lib.oslo_files
	f.service == "keystone"
	some [g, k], names in _ks_names
	o := f.sections[g].keys[k]
	v := trim_space(o.value)
	_class_path(v)
	not _token_driver_gone(h, g, k)
}

_found contains [h, p, "auth", k, v, o.line, "keystone", sprintf("keystone.auth.%s", [k]), "liberty", "rocky", _auth_name(k, v)] if {
	some [h, p, f] in lib.oslo_files
	f.service == "keystone"
	some k, o in f.sections.auth.keys
	k != "methods"
	v := trim_space(o.value)
	_class_path(v)
}

# Before Newton import_object_ns tried nova.virt.<value>, then <value>: the
# class path worked without a warning, so there is no low tier.
_found contains [h, p, "DEFAULT", "compute_driver", v, o.line, "nova", "nova.virt", "newton", "newton", substring(v, 10, -1)] if {
	some [h, p, f] in lib.oslo_files
	f.service == "nova"
	o := f.sections.DEFAULT.keys.compute_driver
	v := trim_space(o.value)
	startswith(v, "nova.virt.")
}

_found contains [h, p, g, k, v, o.line, "nova", ns, "mitaka", gone, object.get(names, v, "")] if {
	some [h, p, f] in lib.oslo_files
	f.service == "nova"
	some [g, k, ns, gone, names] in _nova_sched
	o := f.sections[g].keys[k]
	v := trim_space(o.value)
	_class_path(v)
}

_drivers := {
	"nova.scheduler.filter_scheduler.FilterScheduler": "filter_scheduler",
	"nova.scheduler.caching_scheduler.CachingScheduler": "caching_scheduler",
	"nova.scheduler.chance.ChanceScheduler": "chance_scheduler",
}

_host_managers := {
	"nova.scheduler.host_manager.HostManager": "host_manager",
	"nova.scheduler.ironic_host_manager.IronicHostManager": "ironic_host_manager",
}

_nova_sched := [
	["scheduler", "driver", "nova.scheduler.driver", "ocata", _drivers],
	["DEFAULT", "scheduler_driver", "nova.scheduler.driver", "ocata", _drivers],
	["scheduler", "host_manager", "nova.scheduler.host_manager", "newton", _host_managers],
	["DEFAULT", "scheduler_host_manager", "nova.scheduler.host_manager", "newton", _host_managers],
]

_ks_ns(g, k) := "identity.id_generator" if [g, k] == ["identity_mapping", "generator"]

_ks_ns(g, k) := "identity.id_mapping" if [g, k] == ["identity_mapping", "driver"]

_ks_ns(g, k) := "identity.shadow_users" if g == "shadow_users"

_ks_ns(g, k) := "resource.domain_config" if g == "domain_config"

_ks_ns(g, k) := "token.persistence" if [g, k] == ["token", "driver"]

_ks_ns(g, k) := sprintf("%s.provider", [g]) if {
	k == "provider"
	g in {"token", "credential"}
}

_ks_ns(g, k) := g if {
	k == "driver"
	not g in {"identity_mapping", "shadow_users", "domain_config", "token"}
}

# [token] driver is ignored from Rocky on (OSC-KS-001 says to delete it).
_token_driver_gone(h, g, k) if {
	[g, k] == ["token", "driver"]
	lib.host_release_at_least(h, "rocky")
}

_auth_name(k, v) := "default" if _ks_auth_default[k] == v

_auth_name(k, v) := "" if not _ks_auth_default[k] == v

# The entry-point name to write on this release, or "".
_fix_name(h, ns, name) := name if {
	name != ""
	not _name_gone(h, ns, name)
} else := ""

_name_gone(h, ns, name) if lib.host_release_at_least(h, _gone[[ns, name]])

_what(v, name) := sprintf("; the same class is %q", [name]) if name != ""

_what(_, "") := "; no entry point names this class: pick the driver by its name"

deny contains f if {
	some [h, p, g, k, v, line, svc, ns, _, removed, name] in _found
	lib.host_release_at_least(h, removed)
	fix := _fix_name(h, ns, name)
	f := object.union(
		{
			"host": h, "file": p, "line": line,
			"key": sprintf("%s/%s", [g, k]),
			"message": sprintf("[%s] %s = %s in %s: a class path, which %s no longer loads from %s on (%s): the service does not start; use the entry-point name in %s%s", [g, k, v, p, svc, removed, lib.host_release_note(h), ns, _what(v, fix)]),
		},
		_fix(h, p, g, k, fix),
	)
}

deny contains f if {
	some [h, p, g, k, v, line, svc, ns, since, removed, name] in _found
	lib.host_release_at_least(h, since)
	lib.host_release_before(h, removed)
	fix := _fix_name(h, ns, name)
	f := object.union(
		{
			"host": h, "file": p, "line": line, "severity": "low",
			"key": sprintf("%s/%s", [g, k]),
			"message": sprintf("[%s] %s = %s in %s: a class path, deprecated; %s refuses it from %s on and does not start; use the entry-point name in %s%s", [g, k, v, p, svc, removed, ns, _what(v, fix)]),
		},
		_fix(h, p, g, k, fix),
	)
}

_fix(h, p, g, k, name) := {"fix": {"op": "set", "host": h, "file": p, "section": g, "key": k, "value": name}} if name != ""

_fix(_, _, _, _, "") := {"fix_class": "manual"}
