package oscfg.rules.hap_009_test

import data.oscfg.rules.hap_009

_t(raw, ms, line) := {"ms": ms, "raw": raw, "file": "/etc/haproxy/haproxy.cfg", "line": line, "inherited": true}

_be(timeouts) := {
	"name": "nova_novncproxy_back", "type": "backend", "file": "/etc/haproxy/haproxy.cfg", "line": 40,
	"service": "nova-novncproxy", "role": "console", "timeouts": timeouts, "servers": [],
}

_fe(timeouts) := {
	"name": "nova_novncproxy_front", "type": "frontend", "file": "/etc/haproxy/haproxy.cfg", "line": 30,
	"service": "nova-novncproxy", "role": "console", "timeouts": timeouts,
	"default_backend": "nova_novncproxy_back", "use_backends": [],
}

_in(proxies) := {"release": {"name": "zed", "index": 26}, "hosts": {"lb1": {"haproxy": {"proxies": {px.name: px | some px in proxies}}}}}

test_fires_on_backend_with_short_client_in_frontend if {
	be := _be({"server": _t("1m", 60000, 6)})
	fe := _fe({"client": _t("1m", 60000, 5)})
	fs := hap_009.deny with input as _in([be, fe])
	count(fs) == 1
	some f in fs
	f.line == 40
	object.get(f, "severity", "medium") == "medium"
	f.key == "nova_novncproxy_back/timeout tunnel"
	f.fix == {"op": "haproxy_set", "host": "lb1", "file": "/etc/haproxy/haproxy.cfg", "section": "nova_novncproxy_back", "keyword": "timeout tunnel", "args": ["1h"]}
	count(f.related) == 2
	contains(f.message, "timeout client 1m (frontend \"nova_novncproxy_front\") / timeout server 1m")
}

test_fires_on_listen if {
	px := object.union(_be({"client": _t("5m", 300000, 5), "server": _t("1h", 3600000, 6)}), {"type": "listen", "name": "vnc"})
	some f in hap_009.deny with input as _in([px])
	f.key == "vnc/timeout tunnel"
	f.fix.section == "vnc"
	count(f.related) == 1
}

test_fires_on_short_server_only if {
	be := _be({"server": _t("30s", 30000, 6)})
	fe := _fe({"client": _t("1h", 3600000, 5)})
	some f in hap_009.deny with input as _in([be, fe])
	count(f.related) == 1
}

test_quiet_with_tunnel if {
	be := _be({"server": _t("1m", 60000, 6), "tunnel": _t("1h", 3600000, 7)})
	fe := _fe({"client": _t("1m", 60000, 5)})
	count(hap_009.deny) == 0 with input as _in([be, fe])
}

test_quiet_with_long_or_infinite_timeouts if {
	be := _be({"server": _t("10m", 600000, 6)})
	fe := _fe({"client": _t("0", 0, 5)})
	count(hap_009.deny) == 0 with input as _in([be, fe])
}

test_quiet_on_api_backend if {
	be := object.union(_be({"server": _t("1m", 60000, 6)}), {"role": "api", "service": "nova-api"})
	count(hap_009.deny) == 0 with input as _in([be])
}

test_unrelated_frontend_ignored if {
	be := _be({"server": _t("1h", 3600000, 6)})
	fe := object.union(_fe({"client": _t("1m", 60000, 5)}), {"default_backend": "other"})
	count(hap_009.deny) == 0 with input as _in([be, fe])
}
