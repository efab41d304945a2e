# METADATA
# title: AMQP heartbeats disabled or mistimed
# description: |
#   After a VIP move or a broker failure a TCP connection to RabbitMQ can
#   stay half-open for many minutes; AMQP heartbeats are how a service
#   notices and reconnects. heartbeat_timeout_threshold = 0 turns them off
#   (high): RPC calls then hang until the kernel gives up on the socket.
#   With heartbeat_rate = 2 (the default until oslo.messaging 14.5.0, so
#   before 2024.1 when unset) the heartbeat check runs every
#   threshold / rate / 2 = 15 s and sends a frame only once half the
#   threshold has passed, so frames go out about 45 s apart against a 60 s
#   threshold instead of every 30 s (oslo.messaging commit 36fb5bce, bug
#   2008734); upstream raised the default to 3 for that reason. Why it
#   matters in HA: the broker, and any haproxy in front of it, close
#   connections that miss heartbeats, and a service whose connection lock
#   is busy sends the late frame later still; the result is dropped
#   connections and lost RPC replies after which it reconnects. Low: an
#   upstream default, and no incident oscfg knows shows harm from it. When services reach RabbitMQ through an haproxy listener whose
#   client or server timeout is shorter than the heartbeat threshold,
#   haproxy cuts connections that are idle between heartbeats (medium). A
#   finite `timeout tunnel` on the TCP-mode listen or backend replaces both
#   once the connection is established, so then it is the one compared
#   (haproxy's configuration.txt, "timeout tunnel"; shown on haproxy 2.6.12
#   by TestHAProxyTunnelTimeoutKeepsIdleTCP in oscfg's
#   policies/haproxy_behaviour_test.go).
#   Only files that configure RabbitMQ (a rabbit:// transport_url, legacy
#   rabbit_* options, or an [oslo_messaging_rabbit] section) are checked,
#   each by its host's release: heartbeats exist from oslo.messaging 1.9.0,
#   which Liberty ships (Kilo's requirements cap it below 1.9.0), so a Kilo
#   or older host is not judged.
# custom:
#   id: OSC-MQ-001
#   severity: high
#   severities:
#     medium: "an haproxy RabbitMQ listener whose timeout is under the heartbeat threshold"
#     low: "heartbeat_rate below 3 (the default before 2024.1)"
#   fix: safe
#   remedy: |
#     [oslo_messaging_rabbit] heartbeat_timeout_threshold = 60 and
#     heartbeat_rate = 3; restart the service. For a RabbitMQ listener in
#     haproxy, set timeout client and timeout server (or one timeout tunnel
#     on the listen or backend) well above the threshold (twice it), and
#     reload haproxy.
#   references:
#     - openstack/oslo.messaging oslo_messaging/_drivers/impl_rabbit.py (heartbeat options, from tag 1.9.0)
#     - openstack/requirements tag kilo-eol global-requirements.txt (oslo.messaging>=1.8.0,<1.9.0); tag liberty-eol upper-constraints.txt (oslo.messaging 2.5.0)
#     - openstack/oslo.messaging commit 36fb5bce "Set default heartbeat_rate to 3" (14.5.0, 2024.1; https://bugs.launchpad.net/oslo.messaging/+bug/2008734)
#     - https://www.rabbitmq.com/docs/heartbeats
#     - haproxy/haproxy doc/configuration.txt (2.6, "timeout tunnel")
package oscfg.rules.mq_001

import data.oscfg.lib
import data.oscfg.lib.internal.haproxy
import data.oscfg.lib.internal.messaging

_files contains [h, p, f] if {
	some [h, p, f] in lib.oslo_files
	messaging.rabbit(f)
}

_fix(h, p, key, value) := {"op": "set", "host": h, "file": p, "section": "oslo_messaging_rabbit", "key": key, "value": value}

_threshold(f) := o.value if {
	o := f.options.oslo_messaging_rabbit.heartbeat_timeout_threshold
	is_number(o.value)
	not o.invalid
}

deny contains f if {
	some [h, p, file] in _files
	o := file.options.oslo_messaging_rabbit.heartbeat_timeout_threshold
	o.set
	_threshold(file) == 0
	f := {
		"host": h, "file": p, "line": o.line, "severity": "high",
		"key": "oslo_messaging_rabbit/heartbeat_timeout_threshold",
		"message": sprintf("heartbeat_timeout_threshold = 0 in %s disables AMQP heartbeats: after a VIP move or broker failure the service keeps a half-open connection and its RPC calls hang until TCP gives up; set it to 60", [p]),
		"fix": _fix(h, p, "heartbeat_timeout_threshold", "60"),
	}
}

_rate_shown(h, o) := sprintf("heartbeat_rate = %d", [o.value]) if o.set

_rate_shown(h, o) := sprintf("heartbeat_rate unset (default %d on %s)", [o.value, lib.host_release_note(h)]) if not o.set

deny contains f if {
	some [h, p, file] in _files
	_threshold(file) > 0
	o := file.options.oslo_messaging_rabbit.heartbeat_rate
	is_number(o.value)
	not o.invalid
	o.value < 3
	f := {
		"host": h, "file": p, "line": lib.opt_line(file, "oslo_messaging_rabbit", "heartbeat_rate"), "severity": "low",
		"key": "oslo_messaging_rabbit/heartbeat_rate",
		"message": sprintf("%s in %s: the heartbeat check runs too rarely to send a frame within the negotiated interval, so the broker may close the connection for missed heartbeats; set heartbeat_rate = 3 (the default from oslo.messaging 14.5.0)", [_rate_shown(h, o), p]),
		"fix": _fix(h, p, "heartbeat_rate", "3"),
	}
}

# haproxy listeners in front of RabbitMQ that the files connect through.
_mq_front contains [lh, name, px] if {
	some [lh, name, px] in lib.proxies
	lib.client_side(px)
	px.role == "mq"
}

# [lb host, front proxy name, front proxy, host, path, file] of every oslo
# file that connects through a RabbitMQ listener.
_reach contains [lh, name, px, h, p, file] if {
	some [lh, name, px] in _mq_front
	some [h, p, file] in _files
	input.topology.hosts[h].cluster == input.topology.hosts[lh].cluster
	_threshold(file) > 0
	some ep in messaging.rabbit_endpoints(file)
	messaging.reaches(px, ep)
}

# The timeouts that cut an idle AMQP connection through a reached front
# proxy, as [lb host, proxy key, proxy, side, front key]: a listen's client
# and server, or its `timeout tunnel` when it has one (TCP mode: it
# replaces both once the connection is established); for a frontend, its
# client timeout and each backend's server timeout, or that backend's
# tunnel, which then replaces the frontend's client timeout too.
_sides contains [lh, name, px, side, name] if {
	some [lh, name, px, _, _, _] in _reach
	px.type == "listen"
	some side in _listen_sides(px)
}

_listen_sides(px) := ["tunnel"] if {
	haproxy.tunnel(px)
} else := ["client", "server"]

_sides contains [lh, bname, bpx, side, fname] if {
	some [lh, fname, fpx, _, _, _] in _reach
	fpx.type == "frontend"
	some [bname, bpx] in haproxy.backends(lh, fpx)
	some side in _backend_sides(bpx)
}

_backend_sides(bpx) := ["tunnel"] if {
	haproxy.tunnel(bpx)
} else := ["server"]

# The frontend's client timeout counts while one of its backends has no tunnel.
_sides contains [lh, fname, fpx, "client", fname] if {
	some [lh, fname, fpx, _, _, _] in _reach
	fpx.type == "frontend"
	not _all_tunnel(lh, fpx)
}

_all_tunnel(lh, fpx) if {
	bs := haproxy.backends(lh, fpx)
	count(bs) > 0
	every kb in bs {
		haproxy.tunnel(kb[1])
	}
}

_replaces(side) := " (in TCP mode it replaces timeout client and timeout server once the connection is established)" if {
	side == "tunnel"
} else := ""

_thr_refs(lh, fname) := [{"host": h, "file": p, "line": lib.opt_line(file, "oslo_messaging_rabbit", "heartbeat_timeout_threshold"), "note": sprintf("heartbeat_timeout_threshold = %d", [_threshold(file)])} |
	some [lh2, fname2, _, h, p, file] in _reach
	lh2 == lh
	fname2 == fname
]

deny contains f if {
	some [lh, name, px, side, fname] in _sides
	t := px.timeouts[side]
	ms := haproxy.finite_ms(t)
	refs := _thr_refs(lh, fname)
	thr := max({r | some [lh2, fname2, _, _, _, file] in _reach; lh2 == lh; fname2 == fname; r := _threshold(file)})
	ms < thr * 1000
	want := lib.human_ms(thr * 2000)
	f := {
		"host": lh, "file": t.file, "line": t.line, "severity": "medium",
		"key": sprintf("%s/timeout %s", [name, side]),
		"message": sprintf("timeout %s %s%s on RabbitMQ proxy %q (%s) is shorter than heartbeat_timeout_threshold = %ds of the services connecting through it: haproxy cuts AMQP connections that are idle between heartbeats, and the services see dropped connections and lost replies; raise it to %s", [side, t.raw, _replaces(side), name, haproxy.where(t), thr, want]),
		"related": refs,
		"fix": {"op": "haproxy_set", "host": lh, "file": px.file, "section": px.name, "keyword": sprintf("timeout %s", [side]), "args": [want]},
	}
}
