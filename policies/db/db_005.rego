# METADATA
# title: Database credentials on compute-only hosts
# description: |
#   nova-compute reaches the database only through nova-conductor, and nova's
#   own help for [database] and [api_database] says they "should not be
#   configured for the nova-compute service". A connection URL on a
#   hypervisor only puts a database password on the most exposed hosts of
#   the cloud: a compromised guest-to-host escape then owns the whole
#   database. A host counts as compute-only when one of its nova.conf files
#   configures a hypervisor ([libvirt] or [DEFAULT] compute_driver) and none
#   carries a setting that only nova-api, nova-metadata, nova-conductor or
#   nova-scheduler reads ([DEFAULT] enabled_apis, osapi_compute_workers,
#   metadata_workers, osapi_compute_listen(_port), metadata_listen(_port),
#   a [conductor], [scheduler] or [wsgi] section) and the host has no
#   keystone.conf (an all-in-one). That is inferred from configuration, not
#   from the services running, so the deletion is an unsafe fix: applied
#   only with --unsafe-fixes.
# custom:
#   id: OSC-DB-005
#   severity: medium
#   fix: unsafe
#   remedy: |
#     Delete [database] connection and [api_database] connection from
#     nova.conf on hosts that run only nova-compute, then restart
#     nova-compute. Keep them where nova-api, nova-conductor or
#     nova-scheduler also run on the host.
#   references:
#     - https://docs.openstack.org/nova/latest/configuration/config.html#database
#     - openstack/nova nova/conf/database.py (help of the database and api_database groups)
package oscfg.rules.db_005

import data.oscfg.lib


deny contains f if {
	some [h, p, file] in lib.oslo_files
	file.service == "nova"
	lib.compute_only(h)
	some g in ["database", "api_database"]
	o := file.options[g].connection
	o.set
	f := {
		"host": h, "file": p, "line": o.line,
		"key": sprintf("%s/connection", [g]),
		"message": sprintf("[%s] connection on compute-only host %s (hypervisor configured, no nova-api/conductor/scheduler settings): nova-compute never uses it, it only leaves database credentials on a hypervisor; delete it (unsafe fix: the compute-only role is inferred from the configuration)", [g, h]),
		"fix_class": "unsafe",
		"fix": {"op": "delete", "host": h, "file": p, "section": g, "key": "connection"},
	}
}
