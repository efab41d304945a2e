package oscfg.lib.internal.keystone

# keystone token helpers of OSC-KS-001/003 and OSC-CRON-001: the token
# provider a keystone.conf selects and token_flush jobs. Private to the
# built-in rules.

# token_provider(f): the kind of keystone token provider a keystone.conf
# selects: "uuid", "pki", "pkiz", "fernet", or the lower-cased value otherwise
# (entry-point names and full class paths both count). Undefined before
# Havana, whose keystone had no [token] provider (the option's value is null).
token_provider(f) := k if {
	v := f.options.token.provider.value
	is_string(v)
	p := lower(trim_space(v))
	k := _provider_kind(p)
}

_provider_kind(p) := "uuid" if {
	_is_uuid(p)
} else := "pkiz" if {
	_is_pkiz(p)
} else := "pki" if {
	_is_pki(p)
} else := "fernet" if {
	# keystone.token.providers.fernet.Provider: the same provider (a class
	# path keystone refuses from Pike on, OSC-OPT-005), still fernet keys.
	contains(p, ".fernet.")
} else := p

_is_uuid(p) if p == "uuid"

_is_uuid(p) if contains(p, ".uuid.")

_is_pkiz(p) if p == "pkiz"

_is_pkiz(p) if contains(p, ".pkiz.")

_is_pki(p) if p == "pki"

_is_pki(p) if contains(p, ".pki.")

# Token providers that persist tokens in SQL (the token table).
sql_token_providers := {"uuid", "pki", "pkiz"}

# token_flush(j): a cron job that runs keystone-manage token_flush, with
# any options before the sub-command (--config-file /x, --debug, ...).
token_flush(j) if regex.match(`keystone-manage\s+(-\S+(\s+[^-\s]\S*)?\s+)*token_flush`, j.command)
