package oscfg.rules.gen_002_test

import data.oscfg.rules.gen_002

_oslo(mode) := {
	"kind": "oslo", "service": "nova", "path": "/etc/nova/nova.conf", "mode": mode,
	"sections": {
		"DEFAULT": {"line": 1, "keys": {"transport_url": {"value": "rabbit://openstack:****@10.0.0.1:5672/", "line": 3, "secret": true}, "log_dir": {"value": "/var/log/nova", "line": 2}}},
		"keystone_authtoken": {"line": 20, "keys": {"password": {"value": "****", "line": 25, "secret": true}}},
	},
}

_plain(mode) := {"kind": "oslo", "service": "nova", "path": "/etc/nova/api-paste.conf", "mode": mode, "sections": {"DEFAULT": {"line": 1, "keys": {"debug": {"value": "false", "line": 2}}}}}

_mycnf(mode) := {
	"kind": "mycnf", "service": "mysql", "path": "/etc/my.cnf.d/galera.cnf", "mode": mode,
	"groups": [{"name": "galera", "line": 1, "options": [
		{"name": "wsrep_on", "raw_name": "wsrep_on", "value": "ON", "has_value": true, "loose": false, "line": 2},
		{"name": "wsrep_sst_auth", "raw_name": "wsrep_sst_auth", "value": "****", "has_value": true, "loose": false, "line": 9, "secret": true},
	]}],
	"includes": [],
}

_cron(mode) := {
	"kind": "crontab", "service": "cron", "path": "/etc/cron.d/backup", "mode": mode, "type": "system", "user": "",
	"env": [{"name": "MYSQL_PWD", "value": "****", "line": 2}],
	"jobs": [{"line": 4, "command": "mysqldump -u root -p**** --all-databases > /backup/all.sql"}],
}

_haproxy(mode) := {
	"kind": "haproxy", "service": "haproxy", "path": "/etc/haproxy/haproxy.cfg", "mode": mode,
	"sections": [{"type": "listen", "name": "stats", "line": 30, "directives": [{"keyword": "stats", "args": ["auth", "admin:****"], "negated": false, "line": 34}]}],
}

# A cron spool file with the mode crontab(1) gives it: proof that modes were kept.
_spool := {"kind": "crontab", "service": "cron", "path": "/var/spool/cron/crontabs/nova", "mode": 384, "type": "user", "user": "nova", "env": [], "jobs": []}

_in(files) := {"release": {"name": "zed", "index": 26}, "hosts": {"ctl1": {"files": files}}}

test_world_readable_oslo_medium if {
	fs := gen_002.deny with input as _in({"/etc/nova/nova.conf": _oslo(420), "/var/spool/cron/crontabs/nova": _spool})
	count(fs) == 1
	some f in fs
	not "severity" in object.keys(f)
	f.line == 3
	f.key == "file/mode"
	contains(f.message, "mode 0644")
	contains(f.message, "2 secret value(s) ([DEFAULT] transport_url, [keystone_authtoken] password)")
	not "fix" in object.keys(f)
}

test_restricted_quiet if {
	count(gen_002.deny) == 0 with input as _in({"/etc/nova/nova.conf": _oslo(416), "/var/spool/cron/crontabs/nova": _spool})
}

test_no_secret_quiet if {
	count(gen_002.deny) == 0 with input as _in({"/etc/nova/api-paste.conf": _plain(420), "/var/spool/cron/crontabs/nova": _spool})
}

test_uniform_modes_quiet if {
	# A checkout: every file has the umask's mode, so modes say nothing.
	count(gen_002.deny) == 0 with input as _in({"/etc/nova/nova.conf": _oslo(420), "/etc/nova/api-paste.conf": _plain(420)})
}

test_unknown_mode_quiet if {
	count(gen_002.deny) == 0 with input as _in({"/etc/nova/nova.conf": _oslo(0), "/var/spool/cron/crontabs/nova": _spool})
}

test_mycnf_cron_haproxy if {
	fs := gen_002.deny with input as _in({
		"/etc/my.cnf.d/galera.cnf": _mycnf(420),
		"/etc/cron.d/backup": _cron(493),
		"/etc/haproxy/haproxy.cfg": _haproxy(436),
		"/etc/nova/nova.conf": _oslo(416),
	})
	{[f.file, f.line] | some f in fs} == {["/etc/my.cnf.d/galera.cnf", 9], ["/etc/cron.d/backup", 2], ["/etc/haproxy/haproxy.cfg", 34]}
	some f in fs
	f.file == "/etc/cron.d/backup"
	contains(f.message, "mode 0755")
	contains(f.message, "MYSQL_PWD=, a job's command")
}

test_live_host_trusts_uniform_modes if {
	inp := object.union(_in({"/etc/nova/nova.conf": _oslo(420), "/etc/nova/api-paste.conf": _plain(420)}), {"settings": {"file_modes": true}})
	count(gen_002.deny) == 1 with input as inp
}

test_file_modes_false_silences if {
	inp := object.union(_in({"/etc/nova/nova.conf": _oslo(420), "/var/spool/cron/crontabs/nova": _spool}), {"settings": {"file_modes": false}})
	count(gen_002.deny) == 0 with input as inp
}
