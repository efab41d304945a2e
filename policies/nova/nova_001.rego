# METADATA
# title: Boot-from-volume wait window too short (block_device_allocate_retries)
# description: |
#   When an instance boots from an image onto a new volume, nova-compute asks
#   cinder to create the volume and then polls it, block_device_allocate_retries
#   + 1 times, block_device_allocate_retries_interval seconds apart (about
#   183 s at the defaults 60/3). A large image conversion or a busy backend
#   can take longer: nova raises VolumeNotCreated, fails the boot, possibly
#   deletes the volume, and the user's retry adds more load. An interval of 0
#   polls back to back, so there is effectively no wait at all. nova-compute
#   reads these options; on a controller-only nova.conf they do nothing.
#   Why the default is short in HA: the scheduler spreads a batch of such
#   boots over many compute hosts, and all their volumes land at once on
#   the cinder-volume backend behind the VIP, each copying and converting
#   the image; the later ones outlast 183 s (seed 004: a batch of seven
#   boots from image to volume in a three-controller HA setup failed with
#   VolumeNotCreated until the window was raised). Tiers: the default
#   window, below the site target, is low; a window below the default's
#   180 s medium; an interval of 0 high. The options exist from nova
#   2014.2 (Juno); before, the wait was fixed in code (60 x 1 s in Havana,
#   180 x 1 s in Icehouse) and nothing is reported on such a host. Each
#   host is judged by its own release (the loader marks the options absent
#   before Juno).
# custom:
#   id: OSC-NOVA-001
#   severity: medium
#   severities:
#     high: "block_device_allocate_retries_interval = 0"
#     low: "the window is at least the upstream default's 180 s but below the site target"
#   fix: safe
#   remedy: |
#     On compute hosts set block_device_allocate_retries = 199 with
#     block_device_allocate_retries_interval = 3: (199 + 1) x 3 s = 600 s, the
#     default site target (oscfg.ini [settings] block_device_window_target);
#     for another target T the fix writes ceil(T / interval) - 1. Then
#     restart nova-compute. Consider cinder's image-volume cache as well.
#   references:
#     - openstack/nova nova/conf/compute.py (block_device_allocate_retries, block_device_allocate_retries_interval)
#     - openstack/nova nova/compute/manager.py _await_block_device_map_created (retries + 1 polls)
#     - openstack/nova tag 2014.2 nova/compute/manager.py (block_device_allocate_retries added, default 60); tags 2013.2 and 2014.1 (max_tries=60 and 180, wait_between=1, fixed)
#     - https://github.com/rackerlabs/genestack/pull/651
#     - https://github.com/blueboxgroup/ursula/pull/1464
package oscfg.rules.nova_001

import data.oscfg.lib

_target := object.get(input, ["settings", "block_device_window_target"], 600)

# The window the fix aims for: the site target, and never below the
# upstream default's 180 s.
_goal := max({_target, 180})

_r := "block_device_allocate_retries"

_i := "block_device_allocate_retries_interval"

# Files where nova-compute may run: compute, or role unknown.
_evaluated(h, p, f) if lib.hypervisor(h, p)

_evaluated(h, p, f) if {
	f.service == "nova"
	not lib.hypervisor(h, p)
	not lib.db_access(h, p)
}

_role(h, p) := "compute" if lib.hypervisor(h, p)

_role(h, p) := "nova host of unknown role" if not lib.hypervisor(h, p)

_window contains [h, p, f, retries, interval] if {
	some [h, p, f] in lib.oslo_files
	_evaluated(h, p, f)
	retries := lib.opt_int(f.options.DEFAULT[_r])
	interval := lib.opt_int(f.options.DEFAULT[_i])
}

# Point at the retries line when set, else the interval line, else [DEFAULT].
_line(f) := f.options.DEFAULT[_r].line if {
	f.options.DEFAULT[_r].set
} else := f.options.DEFAULT[_i].line if {
	f.options.DEFAULT[_i].set
} else := lib.opt_line(f, "DEFAULT", _r)

_fix_retries(h, p, interval) := {"op": "set", "host": h, "file": p, "section": "DEFAULT", "key": _r, "value": format_int(ceil(_goal / interval) - 1, 10)}

deny contains f if {
	some [h, p, file, retries, interval] in _window
	interval == 0
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "DEFAULT", _i),
		"severity": "high",
		"key": sprintf("DEFAULT/%s", [_i]),
		"message": sprintf("%s = 0 (%s): nova polls the new volume %d times back to back and gives up almost at once, failing boot-from-volume; use 3", [_i, _role(h, p), retries + 1]),
		"fix": {"op": "set", "host": h, "file": p, "section": "DEFAULT", "key": _i, "value": "3"},
	}
}

deny contains f if {
	some [h, p, file, retries, interval] in _window
	interval > 0
	w := (retries + 1) * interval
	w < 180
	f := {
		"host": h, "file": p, "line": _line(file),
		"key": sprintf("DEFAULT/%s", [_r]),
		"message": sprintf("boot-from-volume wait window (%d+1) x %ds = %ds (%s) is below the upstream default of about 180 s: slow volume creation fails the boot with VolumeNotCreated; raise %s to %s", [retries, interval, w, _role(h, p), _r, _fix_retries(h, p, interval).value]),
		"fix": _fix_retries(h, p, interval),
	}
}

deny contains f if {
	some [h, p, file, retries, interval] in _window
	interval > 0
	w := (retries + 1) * interval
	w >= 180
	w < _target
	f := {
		"host": h, "file": p, "line": _line(file),
		"severity": "low",
		"key": sprintf("DEFAULT/%s", [_r]),
		"message": sprintf("boot-from-volume wait window (%d+1) x %ds = %ds (%s) is below the site target of %ds; raise %s to %s", [retries, interval, w, _role(h, p), _target, _r, _fix_retries(h, p, interval).value]),
		"fix": _fix_retries(h, p, interval),
	}
}

# Set on a controller-only nova.conf: nova-compute never reads it there.
deny contains f if {
	some [h, p, file] in lib.oslo_files
	file.service == "nova"
	lib.db_access(h, p)
	not lib.hypervisor(h, p)
	some k in [_r, _i]
	file.options.DEFAULT[k].set
	f := {
		"host": h, "file": p, "line": file.options.DEFAULT[k].line,
		"key": sprintf("DEFAULT/%s", [k]),
		"message": sprintf("%s has no effect here: nova-compute reads these options, and this nova.conf is a controller's; set it on the compute hosts", [k]),
		"fix_class": "manual",
	}
}
