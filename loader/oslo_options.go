package loader

import (
	"strconv"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/oslo"
	"github.com/oscfg/oscfg/redact"
)

// optDef is an option the rules read, with its library default. Defaults
// are the libraries' own (checked against the Debian bookworm / Zed
// packages); where a default changed across releases, defFor says how.
type optDef struct {
	group, key string
	typ        string // int, bool, string
	def        any    // nil: no default (unset means "not configured")
	services   []string
	// since: release index the option appeared in (0 = always there). A
	// release older than that has no such option: value is null.
	since int
	// keySince: release index from which the library reads the option
	// under group/key; before it, only under its aliases (an option that
	// was renamed: [DEFAULT] glance_num_retries before Juno).
	keySince int
	// aliases are legacy names the library still read until (exclusive)
	// the release index given.
	aliases []alias
	defFor  func(rel int) any
}

type alias struct {
	group, key string
	until      int
}

const (
	relHavana   = 8
	relJuno     = 10
	relKilo     = 11
	relLiberty  = 12
	relOcata    = 15
	relQueens   = 17
	relUssuri   = 21
	relVictoria = 22
	relNewton   = 14
	relWallab   = 23
	relXena     = 24
	relZed      = 26
	rel2024_1   = 29
)

var all = []string{} // empty services list: every oslo file

var dbAliases = map[string][]alias{
	// oslo.db removed the idle_timeout family in 10.0.0 (Xena).
	"connection_recycle_time": {{"database", "idle_timeout", relXena}, {"sql", "idle_timeout", relXena}, {"DEFAULT", "sql_idle_timeout", relXena}},
	// The sql_* aliases went in oslo.db 15.0.0 (2024.1).
	"connection":   {{"DEFAULT", "sql_connection", rel2024_1}, {"sql", "connection", rel2024_1}},
	"max_overflow": {{"DEFAULT", "sql_max_overflow", rel2024_1}, {"database", "sqlalchemy_max_overflow", rel2024_1}},
	"max_retries":  {{"DEFAULT", "sql_max_retries", rel2024_1}},
}

func dbOpts(group string, services []string) []optDef {
	mk := func(key, typ string, def any) optDef {
		d := optDef{group: group, key: key, typ: typ, def: def, services: services}
		// nova's [api_database] is a deep copy of oslo.db's options, legacy
		// names included (before Queens, idle_timeout was its own name), so
		// it reads the same aliases, with [database] read as [api_database].
		for _, a := range dbAliases[key] {
			if a.group == "database" {
				a.group = group
			}
			d.aliases = append(d.aliases, a)
		}
		return d
	}
	return []optDef{
		mk("connection", "string", nil),
		mk("slave_connection", "string", nil),
		mk("connection_recycle_time", "int", 3600),
		mk("max_pool_size", "int", 5),
		mk("max_overflow", "int", 50),
		mk("max_retries", "int", 10),
		mk("connection_debug", "int", 0),
		mk("connection_trace", "bool", false),
	}
}

var optionTable = func() []optDef {
	nova := []string{"nova"}
	ks := []string{"keystone"}
	t := dbOpts("database", all)
	t = append(t, dbOpts("api_database", nova)...)
	t = append(t,
		optDef{group: "DEFAULT", key: "debug", typ: "bool", def: false, services: all},
		// From nova 2014.2 (Juno) on (nova/compute/manager.py); before,
		// the wait was fixed in _await_block_device_map_created (Havana
		// 60 x 1 s, Icehouse 180 x 1 s).
		optDef{group: "DEFAULT", key: "block_device_allocate_retries", typ: "int", def: 60, services: nova, since: relJuno},
		optDef{group: "DEFAULT", key: "block_device_allocate_retries_interval", typ: "int", def: 3, services: nova, since: relJuno},
		optDef{group: "neutron", key: "http_retries", typ: "int", def: 3, services: nova, since: relUssuri},
		optDef{group: "neutron", key: "timeout", typ: "int", def: nil, services: nova},
		optDef{group: "cinder", key: "http_retries", typ: "int", def: 3, services: nova, since: relNewton},
		optDef{group: "cinder", key: "timeout", typ: "int", def: nil, services: nova},
		// 0 until nova 22.0.0 (Victoria): openstack/nova commit 662af9fab6
		// "Change default num_retries for glance to 3" (nova/conf/glance.py).
		// [glance] num_retries from 2014.2 (Juno), which still read the
		// old [DEFAULT] glance_num_retries (nova/image/glance.py
		// deprecated_name); before Juno only the old name, gone in Kilo.
		optDef{group: "glance", key: "num_retries", typ: "int", services: nova, keySince: relJuno,
			aliases: []alias{{"DEFAULT", "glance_num_retries", relKilo}}, defFor: func(rel int) any {
				if rel >= relVictoria {
					return 3
				}
				return 0
			}},
		// From nova 15.0.0 (Ocata): nova/conf/service_token.py.
		optDef{group: "service_user", key: "send_service_user_token", typ: "bool", def: false, services: nova, since: relOcata},
		// keystoneauth options of [service_user] (no defaults: unset means
		// not configured; nova loads no plugin without auth_type).
		optDef{group: "service_user", key: "auth_type", typ: "string", def: nil, services: nova},
		optDef{group: "service_user", key: "auth_url", typ: "string", def: nil, services: nova},
		optDef{group: "service_user", key: "username", typ: "string", def: nil, services: nova},
		optDef{group: "service_user", key: "user_id", typ: "string", def: nil, services: nova},
		optDef{group: "service_user", key: "password", typ: "string", def: nil, services: nova},
		// Which nova services a nova.conf configures, and their process
		// counts (OSC-DB-003/005). Worker counts default to the CPU count,
		// which a config file does not tell: nil.
		optDef{group: "DEFAULT", key: "enabled_apis", typ: "string", def: "osapi_compute,metadata", services: nova},
		optDef{group: "DEFAULT", key: "osapi_compute_workers", typ: "int", def: nil, services: nova},
		optDef{group: "DEFAULT", key: "metadata_workers", typ: "int", def: nil, services: nova},
		optDef{group: "conductor", key: "workers", typ: "int", def: nil, services: nova},
		optDef{group: "scheduler", key: "workers", typ: "int", def: nil, services: nova},
		// keystone's [token] provider (keystone/common/config.py, later
		// keystone/conf/token.py): from 2013.2 (Havana); unset meant PKI
		// there and in Icehouse (the [signing] token_format default,
		// keystone/token/provider.py), UUID from 2014.2 (Juno), fernet
		// from 11.0.0 (Ocata). Before Havana there was no provider.
		optDef{group: "token", key: "provider", typ: "string", services: ks, since: relHavana, defFor: func(rel int) any {
			switch {
			case rel < relJuno:
				return "pki"
			case rel < relOcata:
				return "uuid"
			}
			return "fernet"
		}},
		optDef{group: "token", key: "driver", typ: "string", def: nil, services: ks},
		optDef{group: "token", key: "expiration", typ: "int", def: 3600, services: ks},
		optDef{group: "token", key: "allow_expired_window", typ: "int", def: 172800, services: ks},
		optDef{group: "fernet_tokens", key: "max_active_keys", typ: "int", def: 3, services: ks},
		optDef{group: "DEFAULT", key: "admin_token", typ: "string", def: nil, services: ks},
		optDef{group: "cache", key: "enabled", typ: "bool", def: false, services: all},
		optDef{group: "cache", key: "memcache_servers", typ: "string", def: "localhost:11211", services: all},
		optDef{group: "cache", key: "backend", typ: "string", def: "dogpile.cache.null", services: all},
		// AMQP heartbeats from oslo.messaging 1.9.0 (impl_rabbit.py), which
		// Liberty ships; Kilo's global-requirements pin <1.9.0
		// (openstack/requirements kilo-eol).
		optDef{group: "oslo_messaging_rabbit", key: "heartbeat_timeout_threshold", typ: "int", def: 60, services: all, since: relLiberty},
		optDef{group: "oslo_messaging_rabbit", key: "heartbeat_rate", typ: "int", services: all, since: relLiberty, defFor: func(rel int) any {
			if rel >= rel2024_1 {
				return 3
			}
			return 2
		}},
		optDef{group: "oslo_messaging_rabbit", key: "heartbeat_in_pthread", typ: "bool", services: all, defFor: func(rel int) any {
			// True from oslo.messaging 12.6.0 (Wallaby) until 14.0.0 (Zed).
			return rel >= relWallab && rel < relZed
		}},
	)
	return t
}()

// optionsView computes the "options" part of the oslo view: the effective
// value of every option in optionTable for this file's service.
func optionsView(doc *oslo.Doc, service string, rel model.Release) map[string]any {
	out := map[string]any{}
	for _, d := range optionTable {
		if len(d.services) > 0 && !contains(d.services, service) {
			continue
		}
		def := d.def
		if d.defFor != nil {
			def = d.defFor(rel.Index)
		}
		v := map[string]any{"value": def, "set": false, "line": 0, "key": d.key}
		if d.since > 0 && rel.Index < d.since {
			v["value"] = nil
			v["exists"] = false
		}
		// The real option wins over any alias (oslo.config looks the new
		// name up first).
		e := last(doc.Lookup(d.group, d.key))
		if d.keySince > 0 && rel.Index < d.keySince {
			e = nil
		}
		name := d.key
		if e == nil {
			for _, a := range d.aliases {
				if rel.Index < a.until {
					if ae := last(doc.Lookup(a.group, a.key)); ae != nil {
						e, name = ae, a.key
						break
					}
				}
			}
		}
		if e != nil {
			val, ok := typed(d.typ, e.Value)
			v["set"], v["line"], v["key"] = true, e.Line, name
			if s, ok := val.(string); ok {
				val = redact.URL(s) // connection URLs keep host and user
				if redact.IsSecretKey(d.key) && s != "" {
					// Whole-value secrets (password, admin_token) are
					// masked as in the sections view.
					val, v["secret"] = redact.Mask, true
				}
			}
			v["value"] = val
			if !ok {
				v["invalid"] = true
				v["raw"] = e.Value
			}
		}
		g, _ := out[d.group].(map[string]any)
		if g == nil {
			g = map[string]any{}
			out[d.group] = g
		}
		g[d.key] = v
	}
	return out
}

func last(es []*oslo.Entry) *oslo.Entry {
	if len(es) == 0 {
		return nil
	}
	return es[len(es)-1]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// typed converts an oslo string to the option's type the way oslo.config's
// types do (strutils.bool_from_string for booleans, strict ints).
func typed(typ, s string) (any, bool) {
	s = strings.TrimSpace(s)
	switch typ {
	case "int":
		n, err := strconv.Atoi(s)
		if err != nil {
			return s, false
		}
		return n, true
	case "bool":
		switch strings.ToLower(s) {
		case "true", "1", "yes", "on", "y", "t":
			return true, true
		case "false", "0", "no", "off", "n", "f":
			return false, true
		}
		return s, false
	}
	return s, true
}
