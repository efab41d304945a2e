# METADATA
# title: Obsolete option forceclose (fatal from HAProxy 2.5)
# description: |
#   `option forceclose` was httpclose's old name. HAProxy 2.0 to 2.4 accept
#   it with a warning ("keyword 'forceclose' is deprecated in favor of
#   'httpclose'"); from 2.5 on HAProxy refuses the whole configuration
#   ("option 'forceclose' is not supported any more since HAProxy 2.0,
#   please just remove it, or use 'option httpclose' if absolutely
#   needed"), and `no option forceclose` is refused the same way (checked
#   with 2.6.12 by TestHAProxyRefusesForceclose in oscfg's
#   policies/haproxy_behaviour_test.go). openstack-ansible rendered it by
#   default until December 2022, so upgraded load balancers still carry it.
#   A host upgraded in place keeps running the old process until the next
#   reload, which then fails and takes every VIP down. oscfg cannot see the
#   installed HAProxy version and assumes 2.5 or later (Debian 12 ships
#   2.6), where this is critical; on 2.0 to 2.4 (Ubuntu 20.04 ships 2.0,
#   22.04 ships 2.4) it is a warning until the next HAProxy upgrade.
# custom:
#   id: OSC-HAP-008
#   severity: critical
#   fix: safe
#   remedy: |
#     Replace it by `option httpclose`, its 2.x equivalent, so connections
#     are still closed after each response (oscfg comments the old line out
#     and adds the new one below it; without it client keep-alive would be
#     turned on, see OSC-HAP-003 for that trade-off). Validate with
#     `haproxy -c -f` before reloading.
#   references:
#     - https://docs.haproxy.org/2.6/configuration.html#4-option%20httpclose
#     - haproxy/haproxy commit 10c6c16cd, Make 'option forceclose' actually warn (2.0-dev4, in the CHANGELOG of 2.0)
#     - haproxy/haproxy commit 6ba69841f, reject long-deprecated "option forceclose" (2.5-dev1, in the CHANGELOG of 2.5)
#     - https://wiki.ubuntu.com/HAProxyUpdates (Jammy 22.04 ships 2.4.x, Focal 20.04 2.0.x)
#     - haproxy/haproxy src/cfgparse-listen.c (2.4 warns, 2.5 ERR_ALERT and ERR_FATAL)
#     - openstack/openstack-ansible-haproxy_server commit 34ac071 (forceclose deprecated in favor of httpclose)
#     - openstack/openstack-ansible-haproxy_server commit e911f3f
package oscfg.rules.hap_008

_label(sec) := sec.name if sec.name != ""

_label(sec) := sec.type if sec.name == ""

_in(sec) := sprintf("%s %q", [sec.type, sec.name]) if {
	sec.name != ""
} else := sprintf("the %s section", [sec.type])

_no(d) := "no " if d.negated

_no(d) := "" if not d.negated

deny contains f if {
	some h, p
	file := input.hosts[h].files[p]
	file.kind == "haproxy"
	some sec in file.sections
	some d in sec.directives
	d.keyword == "option"
	count(d.args) > 0
	lower(d.args[0]) == "forceclose"
	f := {
		"host": h, "file": p, "line": d.line,
		"key": sprintf("%s/option forceclose", [_label(sec)]),
		"message": sprintf("`%soption forceclose` in %s: HAProxy 2.5 and later refuse the whole configuration, so the next reload or restart fails (assumed 2.5 or later: Debian 12 ships 2.6; 2.0 to 2.4 only warn); replace it by `%soption httpclose`, its 2.x equivalent (removing it alone turns client keep-alive on)", [_no(d), _in(sec), _no(d)]),
		"fix": object.union({"op": "comment_out", "host": h, "file": p, "line": d.line}, _then(sec, d)),
	}
}

# The replacement line, unless the section already says the same.
_then(sec, d) := {} if {
	some o in sec.directives
	o.keyword == "option"
	count(o.args) > 0
	lower(o.args[0]) == "httpclose"
	o.negated == d.negated
} else := {"then": sprintf("%soption httpclose", [_no(d)])}
