# METADATA
# title: heartbeat_in_pthread = True on non-WSGI services
# description: |
#   heartbeat_in_pthread runs the AMQP heartbeat in a native thread. That is
#   what an API process under mod_wsgi or uWSGI needs (no eventlet loop to
#   run a green heartbeat), but inside an eventlet-monkey-patched service
#   (nova-compute, nova-conductor, nova-scheduler, neutron agents) the
#   native thread and the green locks it touches were found to hang or break
#   the service. oslo.messaging made it the default in 12.6.0 (Wallaby) and
#   reverted that in 14.0.0 (Zed); kolla sets it True only for nova-api.
#   High when the effective value is True (explicitly, or the
#   Wallaby-to-Yoga default) in a file read by an eventlet service: every
#   oslo file except keystone's (keystone runs only under WSGI) and kolla's
#   per-service API config directories. The option is deprecated in
#   oslo.messaging 14.9.0 (2024.2) and removed in 18.0.0, released after
#   2026.1; when the target is newer than every release oscfg knows, a
#   leftover setting is reported as low (ignored). No release oscfg can
#   name reaches 18.0.0 yet.
# custom:
#   id: OSC-MQ-002
#   severity: high
#   severities:
#     low: "a leftover heartbeat_in_pthread on a release newer than every one oscfg knows (ignored)"
#   fix: unsafe
#   remedy: |
#     Set [oslo_messaging_rabbit] heartbeat_in_pthread = False (or remove it)
#     in the configuration of every eventlet service; keep True only in the
#     configuration read by WSGI API processes (kolla: nova-api only). The
#     fix is applied unattended only where the file is known to be read by
#     an eventlet service alone (nova-compute, kolla's non-API service
#     directories); elsewhere it needs --unsafe-fixes, because a WSGI API
#     reading the same file would lose its heartbeats.
#   references:
#     - openstack/oslo.messaging commits add5ab4e (12.6.0), e44f286e (14.0.0), 133ca65f (deprecation), 624f8572 (removal)
#     - openstack/oslo.messaging branch stable/2026.1 (17.3.x, still has the option); tag 18.0.0 (removed, not in 2026.1)
#     - https://bugs.launchpad.net/oslo.messaging/+bug/1934937
#     - https://bugs.launchpad.net/oslo.messaging/+bug/1961402
#     - openstack/kolla-ansible ansible/roles/nova/templates/nova.conf.j2 (heartbeat_in_pthread)
package oscfg.rules.mq_002

import data.oscfg.lib
import data.oscfg.lib.internal.messaging

# oslo.messaging 18.0.0 removed the option; it ships after 2026.1 (index 33),
# so the first release that carries it is beyond the known table.
_removed_index := 34

# Files read only by WSGI API processes: keystone (WSGI-only since Newton)
# and kolla's per-service directories of API services.
_wsgi_only(f) if f.service == "keystone"

_wsgi_only(f) if regex.match(`^/etc/kolla/[a-z0-9_-]+-(api|wsgi)/`, f.path)

_wsgi_only(f) if regex.match(`^/etc/kolla/(nova-metadata|placement-api|horizon|keystone)/`, f.path)

# Files known to be read only by eventlet services: a nova-compute host
# config without API or controller roles, or kolla's non-API service dirs.
_eventlet_only(h, p, f) if lib.file_role(h, p) == "compute"

_eventlet_only(h, p, f) if {
	regex.match(`^/etc/kolla/[a-z0-9_-]+/`, f.path)
	not _wsgi_only(f)
}

_how(o) := "set" if o.set

_how(o) := "unset: the oslo.messaging default from 12.6.0 (Wallaby) until 14.0.0 (Zed)" if not o.set

deny contains f if {
	some [h, p, file] in lib.oslo_files
	lib.host_release(h).index < _removed_index
	o := file.options.oslo_messaging_rabbit.heartbeat_in_pthread
	o.value == true
	not _wsgi_only(file)
	messaging.rabbit(file)
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "oslo_messaging_rabbit", "heartbeat_in_pthread"), "severity": "high",
		"key": "oslo_messaging_rabbit/heartbeat_in_pthread",
		"message": sprintf("heartbeat_in_pthread is True (%s) in %s, which eventlet services (%s) read: a native heartbeat thread inside a monkey-patched service is known to hang it (oslo.messaging bug 1934937); set it to False and keep True only for WSGI API processes", [_how(o), p, _readers(h, p, file)]),
		"fix": {"op": "set", "host": h, "file": p, "section": "oslo_messaging_rabbit", "key": "heartbeat_in_pthread", "value": "false"},
		"fix_class": _class(h, p, file),
	}
}

_class(h, p, f) := "safe" if _eventlet_only(h, p, f)

_class(h, p, f) := "unsafe" if not _eventlet_only(h, p, f)

_readers(h, p, f) := "nova-compute" if {
	lib.file_role(h, p) == "compute"
} else := "nova-conductor, nova-scheduler" if {
	f.service == "nova"
} else := sprintf("%s services", [f.service])

deny contains f if {
	some [h, p, file] in lib.oslo_files
	lib.host_release(h).index >= _removed_index
	e := file.sections.oslo_messaging_rabbit.keys.heartbeat_in_pthread
	f := {
		"host": h, "file": p, "line": e.line, "severity": "low",
		"key": "oslo_messaging_rabbit/heartbeat_in_pthread",
		"message": sprintf("heartbeat_in_pthread was removed in oslo.messaging 18.0.0 and is ignored on %s; delete it", [lib.host_release_note(h)]),
		"fix": {"op": "delete", "host": h, "file": p, "section": "oslo_messaging_rabbit", "key": "heartbeat_in_pthread"},
		"fix_class": "safe",
	}
}
