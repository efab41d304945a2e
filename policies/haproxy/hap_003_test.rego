package oscfg.rules.hap_003_test

import data.oscfg.rules.hap_003
import data.oscfg.testing as t

_cfg := "/etc/haproxy/haproxy.cfg"

_px(type, service, mode, opts) := {
	"type": type, "file": _cfg, "line": 30, "service": service, "role": "api",
	"mode": {"value": mode, "file": _cfg, "line": 5, "inherited": true},
	"timeouts": {
		"client": {"ms": 60000, "raw": "1m", "file": _cfg, "line": 8, "inherited": true},
		"http-keep-alive": {"ms": 10000, "raw": "10s", "file": _cfg, "line": 9, "inherited": true},
	},
	"options": opts,
}

_opt(v) := {"value": v, "set": v != 3, "line": 0, "key": "x"}

# nova.conf with the given retry values (3 = default, unset).
_nova(neutron, cinder, glance) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf",
	"sections": {"neutron": {"line": 50}, "cinder": {"line": 60}, "glance": {"line": 70}},
	"options": {
		"neutron": {"http_retries": object.union(_opt(neutron), {"line": 52})},
		"cinder": {"http_retries": object.union(_opt(cinder), {"line": 62})},
		"glance": {"num_retries": object.union(_opt(glance), {"line": 72})},
	},
}

_in(proxies, nova) := {
	"release": {"name": "zed", "index": 26, "source": "default"},
	"hosts": {
		"lb1": {"haproxy": {"proxies": proxies}},
		"cmp1": {"files": {"/etc/nova/nova.conf": nova}},
	},
}

test_high_neutron_retries_zero if {
	px := _px("frontend", "neutron-server", "http", {})
	fs := hap_003.deny with input as _in({"neutron_server": px}, _nova(0, 3, 3))
	count(fs) == 1
	some f in fs
	not f.severity
	f.line == 30
	f.key == "neutron_server/httpclose"
	contains(f.message, "idle close after timeout http-keep-alive 10s")
	contains(f.message, "[neutron] http_retries is off")
	f.related == [{"host": "cmp1", "file": "/etc/nova/nova.conf", "line": 52, "note": "[neutron] http_retries = 0: nova does not retry a reset connection"}]
}

test_high_before_ussuri_option_absent if {
	px := _px("listen", "neutron-server", "http", {})
	nova := json.patch(_nova(3, 3, 3), [{"op": "replace", "path": "/options/neutron/http_retries", "value": {"value": null, "set": false, "line": 0, "key": "http_retries", "exists": false}}])
	inp := json.patch(_in({"neutron_server": px}, nova), [{"op": "replace", "path": "/release", "value": {"name": "mitaka", "index": 13, "source": "config"}}])
	fs := hap_003.deny with input as inp
	some f in fs
	not f.severity
	f.related[0].line == 50
	contains(f.related[0].note, "does not exist before ussuri (release mitaka (config))")
}

test_high_cinder_and_glance_matched if {
	c := _px("listen", "cinder-api", "http", {})
	g := _px("listen", "glance-api", "http", {})
	fs := hap_003.deny with input as _in({"cinder_api": c, "glance_api": g}, _nova(3, 0, 0))
	count(fs) == 2
	some fc in fs
	fc.key == "cinder_api/httpclose"
	not fc.severity
	fc.related[0].line == 62
	some fg in fs
	fg.key == "glance_api/httpclose"
	not fg.severity
	fg.related[0].line == 72
}

test_retry_matched_to_service if {
	# a disabled neutron retry does not raise the cinder proxy
	c := _px("listen", "cinder-api", "http", {})
	fs := hap_003.deny with input as _in({"cinder_api": c}, _nova(0, 3, 3))
	count(fs) == 1
	some f in fs
	f.severity == "info"
}

test_info_when_retries_on if {
	px := _px("frontend", "neutron-server", "http", {"http-server-close": {"enabled": true, "file": _cfg, "line": 31, "inherited": false}})
	fs := hap_003.deny with input as _in({"neutron_server": px}, _nova(3, 3, 3))
	count(fs) == 1
	some f in fs
	f.severity == "info"
	contains(f.message, "timeout http-keep-alive 10s")
	not f.related
}

test_info_idle_falls_back_to_client if {
	px := json.patch(_px("frontend", "nova-api", "http", {}), [{"op": "remove", "path": "/timeouts/http-keep-alive"}])
	fs := hap_003.deny with input as _in({"nova_api": px}, _nova(0, 0, 0))
	some f in fs
	f.severity == "info"
	contains(f.message, "idle close after timeout client 1m")
}

test_quiet_with_httpclose if {
	px := _px("frontend", "neutron-server", "http", {"httpclose": {"enabled": true, "file": _cfg, "line": 12, "inherited": true}})
	count(hap_003.deny) == 0 with input as _in({"neutron_server": px}, _nova(0, 0, 0))
}

test_fires_with_negated_httpclose if {
	px := _px("frontend", "neutron-server", "http", {"httpclose": {"enabled": false, "file": _cfg, "line": 32, "inherited": false}})
	fs := hap_003.deny with input as _in({"neutron_server": px}, _nova(0, 3, 3))
	some f in fs
	not f.severity
}

# On haproxy 2.6 option httpclose on the backend closes the server side
# only; the client keeps its keep-alive connection
# (TestHAProxyHttpcloseSides; src/mux_h1.c h1_set_cli_conn_mode reads the
# frontend's option only).
test_backend_httpclose_does_not_close_client_side if {
	fe := object.union(_px("frontend", "neutron-server", "http", {}), {"default_backend": "neutron_back"})
	be := object.union(_px("backend", "neutron-server", "http", {"httpclose": {"enabled": true, "file": _cfg, "line": 41, "inherited": false}}), {"line": 40, "name": "neutron_back"})
	fs := hap_003.deny with input as _in({"neutron_front": object.union(fe, {"name": "neutron_front"}), "neutron_back": be}, _nova(0, 3, 3))
	count(fs) == 1
	some f in fs
	not f.severity
	f.key == "neutron_front/httpclose"
	contains(f.message, "option httpclose on its backend neutron_back closes the server side only")
}

# The idle limit is the smaller of timeout client and http-keep-alive (else
# http-request): src/mux_h1.c h1_refresh_timeout takes the first to expire
# (TestHAProxyKeepAliveIdleIsTheSmaller).
test_idle_is_min_of_client_and_keepalive if {
	px := json.patch(_px("frontend", "nova-api", "http", {}), [{"op": "replace", "path": "/timeouts/client", "value": {"ms": 5000, "raw": "5s", "file": _cfg, "line": 8, "inherited": true}}])
	some f in hap_003.deny with input as _in({"nova_api": px}, _nova(3, 3, 3))
	contains(f.message, "idle close after timeout client 5s")
}

test_idle_http_request_when_no_keepalive if {
	px := json.patch(_px("frontend", "nova-api", "http", {}), [
		{"op": "remove", "path": "/timeouts/http-keep-alive"},
		{"op": "add", "path": "/timeouts/http-request", "value": {"ms": 10000, "raw": "10s", "file": _cfg, "line": 10, "inherited": true}},
	])
	some f in hap_003.deny with input as _in({"nova_api": px}, _nova(3, 3, 3))
	contains(f.message, "idle close after timeout http-request 10s")
}

test_idle_keepalive_when_client_infinite if {
	px := json.patch(_px("frontend", "nova-api", "http", {}), [{"op": "replace", "path": "/timeouts/client", "value": {"ms": 0, "raw": "0", "file": _cfg, "line": 8, "inherited": true}}])
	some f in hap_003.deny with input as _in({"nova_api": px}, _nova(3, 3, 3))
	contains(f.message, "idle close after timeout http-keep-alive 10s")
}

test_idle_none if {
	px := json.patch(_px("frontend", "nova-api", "http", {}), [{"op": "remove", "path": "/timeouts/http-keep-alive"}, {"op": "remove", "path": "/timeouts/client"}])
	some f in hap_003.deny with input as _in({"nova_api": px}, _nova(3, 3, 3))
	contains(f.message, "no idle timeout")
}

test_quiet_on_tcp_backend_and_console if {
	tcp := _px("listen", "neutron-server", "tcp", {})
	be := _px("backend", "neutron-server", "http", {})
	con := object.union(_px("listen", "nova-novncproxy", "http", {}), {"role": "console"})
	count(hap_003.deny) == 0 with input as _in({"a": tcp, "b": be, "c": con}, _nova(0, 0, 0))
}

# A fleet mid-upgrade, one cluster: the haproxy in front of neutron keeps
# client keep-alive; a Train compute has no [neutron] http_retries (Ussuri
# added it) and a Zed compute runs on the default 3. Only the Train
# compute's nova.conf is named, with its own release.
test_mixed_fleet_judged_per_host if {
	px := _px("frontend", "neutron-server", "http", {})
	train := json.patch(_nova(3, 3, 3), [{"op": "replace", "path": "/options/neutron/http_retries", "value": {"value": null, "set": false, "line": 0, "key": "http_retries", "exists": false}}])
	doc := {"release": {"name": "train", "index": 20, "source": "hosts"}, "hosts": {
		"lb1": {"haproxy": {"proxies": {"neutron_server": px}}},
		"cmp-train": {"files": {"/etc/nova/nova.conf": train}},
		"cmp-zed": {"files": {"/etc/nova/nova.conf": _nova(3, 3, 3)}},
	}}
	inp := t.mixed_fleet(doc, {"lb1": "zed", "cmp-train": "train", "cmp-zed": "zed"})
	t.one_cluster(inp, ["lb1", "cmp-train", "cmp-zed"])
	fs := hap_003.deny with input as inp
	count(fs) == 1
	some f in fs
	[r.host | some r in f.related] == ["cmp-train"]
	contains(f.related[0].note, "does not exist before ussuri (release train (test))")
}
