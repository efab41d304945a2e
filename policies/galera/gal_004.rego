# METADATA
# title: Galera gcache too small (wsrep_provider_options gcache.size)
# description: |
#   The gcache is the ring buffer of recent write-sets a donor keeps. A node
#   that was down for patching or a reboot rejoins by incremental state
#   transfer only while the write-sets it missed are still in its donor's
#   gcache; otherwise it needs a full state snapshot transfer. Galera's
#   default of 128M fills within minutes under an OpenStack write load.
#   Low when gcache.size is absent or under 1G; medium when the node's SST
#   method blocks the donor or is unsupported (see OSC-GAL-003), because
#   then every missed IST turns into a stalled or failed donor.
# custom:
#   id: OSC-GAL-004
#   severity: low
#   severities:
#     medium: "a full transfer would block the donor or fail (rsync, mysqldump, xtrabackup on MariaDB 10.3+)"
#   fix: manual
#   remedy: |
#     Add gcache.size=1G (openstack-ansible's value; size it to at least the
#     writes of your longest planned node outage) merged into the existing
#     wsrep_provider_options string: it is one ';'-separated value and a
#     second wsrep_provider_options line replaces the first entirely. The
#     gcache file is preallocated on disk; restart nodes one at a time.
#   references:
#     - https://mariadb.com/docs/reference/mdb/wsrep_provider_options/gcache.size/
#     - https://galeracluster.com/library/documentation/state-transfer.html#incremental-state-transfer-ist
#     - openstack/openstack-ansible-galera_server defaults/main.yml (galera_gcache_size)
package oscfg.rules.gal_004

import data.oscfg.lib
import data.oscfg.lib.internal.galera

_target := 1073741824

_size(h) := [n, trim_space(p.value)] if {
	p := input.hosts[h].mysql.wsrep_provider_options["gcache.size"]
	n := galera.bytes(p.value)
} else := [galera.gcache_default, ""] if {
	not input.hosts[h].mysql.wsrep_provider_options["gcache.size"]
}

_where(h) := [p.file, p.line] if {
	p := input.hosts[h].mysql.wsrep_provider_options["gcache.size"]
} else := galera.line(h, "wsrep_provider_options")

_shown(s) := sprintf("gcache.size = %s", [s[1]]) if s[1] != ""

_shown(s) := "gcache.size not set (Galera default 128M)" if s[1] == ""

# The merged wsrep_provider_options value with gcache.size=1G.
_merged(h) := sprintf("%q", [regex.replace(v, `gcache\.size\s*=\s*[^;]*`, "gcache.size=1G")]) if {
	v := galera.val(h, "wsrep_provider_options")
	regex.match(`gcache\.size\s*=`, v)
} else := sprintf("%q", [concat("; ", [v, "gcache.size=1G"])]) if {
	v := trim_right(galera.val(h, "wsrep_provider_options"), "; ")
	v != ""
} else := "\"gcache.size=1G\""

# A full transfer hurts when the method blocks the donor, or fails: an
# xtrabackup method on a server that no longer supports it (on MySQL-wsrep
# and Percona XtraDB Cluster it neither blocks nor fails).
_costly(h) if galera.sst(h) in galera.sst_blocking

_costly(h) if {
	galera.sst(h) in galera.sst_unsupported
	galera.server(h).xtrabackup_sst != "supported"
}

_severity(h) := "medium" if {
	_costly(h)
} else := "low"

_tail(h) := sprintf("; with wsrep_sst_method %s a full transfer blocks or fails the donor", [galera.sst(h)]) if {
	_severity(h) == "medium"
} else := ""

# Earlier wsrep_provider_options lines the effective one replaces whole:
# Galera reads only the last, so their parameters are lost.
_earlier(h) := object.get(input.hosts[h].mysql.server, ["wsrep_provider_options", "earlier"], [])

_override_note(h) := sprintf("; the wsrep_provider_options at %s:%d replaces the earlier %s whole (Galera reads only the last one), so %s there is lost", [o.file, o.line, concat(", ", [sprintf("%s:%d", [e.file, e.line]) | some e in _earlier(h)]), concat(", ", gs)]) if {
	o := galera.opt(h, "wsrep_provider_options")
	gs := [m[0] | some e in _earlier(h); some m in regex.find_all_string_submatch_n(`gcache\.size\s*=\s*[^;]*`, e.value, -1)]
	count(gs) > 0
} else := sprintf("; the wsrep_provider_options at %s:%d replaces the earlier %s whole (Galera reads only the last one)", [o.file, o.line, concat(", ", [sprintf("%s:%d", [e.file, e.line]) | some e in _earlier(h)])]) if {
	o := galera.opt(h, "wsrep_provider_options")
	count(_earlier(h)) > 0
} else := ""

_override_refs(h) := [{"host": h, "file": e.file, "line": e.line, "note": sprintf("earlier wsrep_provider_options, replaced whole by the one at %s:%d", [o.file, o.line])} |
	o := galera.opt(h, "wsrep_provider_options")
	some e in _earlier(h)
]

deny contains f if {
	some h in lib.gal_nodes
	s := _size(h)
	s[0] < _target
	w := _where(h)
	f := {
		"host": h, "file": w[0], "line": w[1], "severity": _severity(h),
		"key": "mysqld/wsrep_provider_options/gcache.size",
		"message": sprintf("%s on Galera node %s: a node that was down longer than the gcache covers cannot rejoin by IST and needs a full state transfer%s%s; merge gcache.size=1G into wsrep_provider_options", [_shown(s), h, _tail(h), _override_note(h)]),
		"related": _override_refs(h),
		"fix": galera.set_op(h, "wsrep_provider_options", _merged(h)),
		"fix_class": "manual",
	}
}
