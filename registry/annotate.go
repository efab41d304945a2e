package registry

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/parsers/oslo"
	"github.com/oscfg/oscfg/redact"
)

// Annotate checks one oslo.config file of service against the registry and
// adds what it found to the file's view (docs/model.md, "registry"):
//
//	"registry": { "release": "zed",
//	  "unknown":    [ {group, key, line, suggest: [{group, key, distance}], confident, reason?, dynamic?} ],
//	  "deprecated": [ {group, key, line, to_group, to_key, set_already, same_value, also: [{group, key, set}]}
//	                | {group, key, line, removal: true, since?} ],
//	  "invalid":    [ {group, key, line, value, reason, type, limits?} ],
//	                limits: the base type accepts the value, only the
//	                option's Zed parameters (choices, min/max, pattern,
//	                length) refuse it
//	  "unknown_more": {count, line} }   // past MaxUnknown entries, when any
//
// An unknown section is one "unknown" entry with key "" at its first
// header, listing its keys. Values of secret options are masked, in these
// entries and in the view's "sections" (options the registry marks secret
// that redact's name rules miss: whole value, or the password of a URL).
// It returns the secrets it masked. Services without a registry are left
// alone.
func Annotate(view map[string]any, doc *oslo.Doc, service string) []string {
	s := For(service)
	if s == nil || doc == nil {
		return nil
	}
	c := newFileCtx(s, doc)
	out := map[string]any{"release": Release(), "unknown": []any{}, "deprecated": []any{}, "invalid": []any{}}
	var unknown, deprecated, invalid []any
	var secrets []string
	sections, _ := view["sections"].(map[string]any)
	// Past MaxUnknown entries only a count and the first line are kept.
	more, moreLine := 0, 0
	full := func(line int) bool {
		if len(unknown) < MaxUnknown {
			return false
		}
		if more++; moreLine == 0 {
			moreLine = line
		}
		return true
	}
	for _, g := range c.groupOrder {
		names := c.names[g]
		gr := c.group(g)
		if !gr.known {
			var rest []string
			for _, n := range names {
				if len(c.replacements(g, n)) == 0 {
					rest = append(rest, n)
				}
			}
			if len(rest) > 0 && !s.aliasGroups[g] && !full(c.header[g]) {
				sg := s.SuggestGroup(g)
				if len(sg) > maxSuggestions {
					sg = nil
				}
				e := map[string]any{"group": g, "key": "", "line": c.header[g], "keys": toAny(rest),
					"suggest": suggestions(sg), "confident": false}
				if gr.why != "" {
					e["reason"] = gr.why
				}
				unknown = append(unknown, e)
			}
		}
		for _, n := range names {
			last := c.last[g][n]
			var typ *Option
			secret := false
			o, why := gr.lookup(n)
			if o != nil && o.DeprecatedForRemoval && len(c.replacements(g, n)) > 0 {
				// Both an option on its way out and an old name of its
				// successor ([keystone_authtoken] auth_uri and
				// www_authenticate_uri): report the rename.
				o = nil
			}
			switch {
			case o != nil:
				typ, secret = o, o.Secret
				if o.DeprecatedForRemoval {
					e := map[string]any{"group": g, "key": n, "line": last.Line, "removal": true}
					if o.DeprecatedSince != "" {
						e["since"] = o.DeprecatedSince
					}
					deprecated = append(deprecated, e)
				}
			case len(c.replacements(g, n)) > 0:
				reps := c.replacements(g, n)
				typ = reps[0]
				for _, r := range reps {
					secret = secret || r.Secret
				}
				to := reps[0]
				e := map[string]any{"group": g, "key": n, "line": last.Line, "to_group": to.Group, "to_key": to.Name,
					"set_already": false, "same_value": false, "count": len(c.all[g][n])}
				if t := c.last[to.Group][to.Name]; t != nil {
					e["set_already"] = true
					e["same_value"] = strings.TrimSpace(t.Value) == strings.TrimSpace(last.Value)
				}
				var also []any
				for _, r := range reps[1:] {
					also = append(also, map[string]any{"group": r.Group, "key": r.Name, "set": c.last[r.Group][r.Name] != nil})
				}
				e["also"] = toAny(also)
				if to.Kind == "multistring" {
					e["multi"] = true
				}
				deprecated = append(deprecated, e)
			case (gr.known || s.aliasGroups[g]) && full(last.Line):
				// counted in unknown_more
			case gr.known || s.aliasGroups[g]:
				e := map[string]any{"group": g, "key": n, "line": last.Line, "confident": false}
				if why != "" {
					e["reason"] = why
				}
				if gr.dynamic != "" {
					e["dynamic"] = gr.dynamic
				}
				sug := s.Suggest(g, n, gr.extra...)
				if len(sug) > maxSuggestions {
					sug = nil // a common name ("driver"): no hint
				}
				e["suggest"] = suggestions(sug)
				if len(sug) == 1 && sug[0].Group == g && c.last[g][sug[0].Name] == nil {
					d := sug[0].Distance
					t, _ := gr.lookup(sug[0].Name)
					if l := len([]rune(n)); t != nil && ((d == 1 && l >= 6) || (d == 2 && l >= 8)) && t.Check(last.Value) == "" {
						e["confident"] = true
					}
				}
				if len(sug) == 1 && sug[0].Group != g {
					e["suggest_set"] = c.last[sug[0].Group][sug[0].Name] != nil
				}
				unknown = append(unknown, e)
			}
			if typ == nil {
				continue
			}
			if secret {
				secrets = append(secrets, maskKey(sections, g, n)...)
			}
			if typ.Kind == "multistring" {
				continue
			}
			if why := typ.Check(last.Value); why != "" {
				v := last.Value
				if secret {
					v, _ = maskValue(v)
					why = strings.ReplaceAll(why, last.Value, v)
				}
				e := map[string]any{"group": g, "key": n, "line": last.Line, "value": v,
					"reason": why, "type": typ.Describe()}
				if typ.Base().Check(last.Value) == "" {
					// Only Zed's parameters (choices, range, pattern)
					// refuse it: another release may accept it.
					e["limits"] = true
				}
				invalid = append(invalid, e)
			}
		}
	}
	if unknown != nil {
		out["unknown"] = unknown
	}
	if more > 0 {
		out["unknown_more"] = map[string]any{"count": more, "line": moreLine}
	}
	if deprecated != nil {
		out["deprecated"] = deprecated
	}
	if invalid != nil {
		out["invalid"] = invalid
	}
	view["registry"] = out
	return secrets
}

// MaxUnknown bounds the unknown entries of one file. A real file has a
// handful; a generated one may have a million, and every entry costs the
// rules a finding's worth of work (about 0.2 ms in Rego). The rest are
// counted in "unknown_more", which OSC-OPT-001 reports as one finding.
const MaxUnknown = 1000

// maxSuggestions: more equally close names than this are no hint.
const maxSuggestions = 3

func suggestions(ss []Suggestion) []any {
	out := []any{}
	for _, x := range ss {
		m := map[string]any{"group": x.Group, "distance": x.Distance}
		if x.Name != "" {
			m["key"] = x.Name
		}
		out = append(out, m)
	}
	return out
}

func toAny[T any](xs []T) []any {
	out := make([]any, 0, len(xs))
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}

// maskValue masks a secret option's value: the password of a URL (a
// connection string keeps scheme, user and host, which rules read), else
// all of it.
func maskValue(v string) (string, []string) {
	if v == "" {
		return v, nil
	}
	if strings.Contains(v, "://") {
		// "connection" is redact's name for values masked as URLs.
		return redact.Value("connection", v)
	}
	return redact.Mask, []string{v}
}

// maskKey masks a key of the sections view (its value and every
// occurrence) unless redact already did.
func maskKey(sections map[string]any, g, n string) []string {
	sec, _ := sections[g].(map[string]any)
	keys, _ := sec["keys"].(map[string]any)
	k, _ := keys[n].(map[string]any)
	if k == nil || k["secret"] == true {
		return nil
	}
	var secrets []string
	masked := false
	mask := func(m map[string]any, collect bool) {
		v, _ := m["value"].(string)
		mv, sec := maskValue(v)
		if mv != v {
			m["value"] = mv
			masked = true
			if collect {
				secrets = append(secrets, sec...)
			}
		}
	}
	mask(k, false) // the last occurrence, also in "all"
	if all, ok := k["all"].([]any); ok {
		for _, a := range all {
			if am, ok := a.(map[string]any); ok {
				mask(am, true)
			}
		}
	}
	if masked && k["value"] == redact.Mask {
		k["secret"] = true
	}
	return secrets
}

// fileCtx is what Annotate needs to know about one file.
type fileCtx struct {
	s          *Service
	groupOrder []string
	header     map[string]int
	names      map[string][]string               // group -> key names, in file order
	last       map[string]map[string]*oslo.Entry // the occurrence that counts
	all        map[string]map[string][]*oslo.Entry
	authGroups map[string]bool
}

func newFileCtx(s *Service, doc *oslo.Doc) *fileCtx {
	c := &fileCtx{s: s, header: map[string]int{}, names: map[string][]string{},
		last: map[string]map[string]*oslo.Entry{}, all: map[string]map[string][]*oslo.Entry{}, authGroups: map[string]bool{}}
	for _, sec := range doc.Sections {
		if _, ok := c.header[sec.Name]; !ok {
			c.header[sec.Name] = sec.Line
			c.groupOrder = append(c.groupOrder, sec.Name)
			c.last[sec.Name] = map[string]*oslo.Entry{}
			c.all[sec.Name] = map[string][]*oslo.Entry{}
		}
	}
	for _, e := range doc.Entries {
		if c.last[e.Section][e.Name] == nil {
			c.names[e.Section] = append(c.names[e.Section], e.Name)
		}
		c.last[e.Section][e.Name] = e
		c.all[e.Section][e.Name] = append(c.all[e.Section][e.Name], e)
	}
	for g := range s.authGroups {
		c.authGroups[g] = true
	}
	// A group named by auth_section holds the keystoneauth options of the
	// groups pointing at it.
	for g := range s.authGroups {
		if e := c.last[g]["auth_section"]; e != nil && strings.TrimSpace(e.Value) != "" {
			c.authGroups[NormalizeGroup(strings.TrimSpace(e.Value))] = true
		}
	}
	return c
}

// list is an option's value in this file as a list (nil when unset).
func (c *fileCtx) list(g, n string) []string {
	e := c.last[g][n]
	if e == nil {
		return nil
	}
	out := []string{}
	for _, p := range strings.Split(e.Value, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// federationProtocols are the federation protocol IDs keystone's
// documentation and deployment tools use (openid for mod_auth_openidc,
// saml2 for mod_shib or mod_auth_mellon, mapped).
var federationProtocols = map[string]bool{"openid": true, "saml2": true, "mapped": true}

// federationProtocol: keystone reads [g] remote_id_attribute when g is the
// ID of a federation protocol, registering the option at run time the
// first time a federated request names the protocol
// (keystone/federation/utils.py get_remote_id_parameter, falling back to
// [federation] remote_id_attribute), so the generator does not list it.
// Protocol IDs live in keystone's database; a group counts when it is a
// usual ID, a method of [auth] methods (how keystone authenticates the
// protocol) or sets remote_id_attribute itself.
func (c *fileCtx) federationProtocol(g string) bool {
	if c.s.Name != "keystone" || g == "DEFAULT" || c.s.groups[g]["remote_id_attribute"] != nil {
		return false
	}
	return federationProtocols[g] || contains(c.list("auth", "methods"), g) || c.last[g]["remote_id_attribute"] != nil
}

// groupView is how keys of one group of this file resolve.
type groupView struct {
	known   bool
	why     string // why an unknown group is unknown, when it is not just absent
	dynamic string // why unknown keys here are uncertain (reported lower)
	extra   []string
	lookup  func(name string) (*Option, string)
}

func (c *fileCtx) group(g string) *groupView {
	s := c.s
	static := s.groups[g]
	if static == nil && c.authGroups[g] {
		static = s.authCommon() // a group named by auth_section
	}
	gv := &groupView{known: len(static) > 0}
	var dynOpts map[string]*Option
	for _, d := range s.dynamic {
		prefix, pattern := strings.CutSuffix(d.Group, "*")
		switch {
		case !pattern && d.Group == g:
		case pattern && strings.HasPrefix(g, prefix) && len(g) > len(prefix):
			name := strings.TrimPrefix(g, prefix)
			if d.NamesFrom != nil {
				if l := c.list(d.NamesFrom.Group, d.NamesFrom.Name); l != nil && !contains(l, name) {
					gv.why = fmt.Sprintf("[%s] is read only for the names in [%s] %s, which does not list %s", g, d.NamesFrom.Group, d.NamesFrom.Name, name)
					continue
				}
			}
		default:
			continue
		}
		gv.known = true
		if dynOpts == nil {
			dynOpts = map[string]*Option{}
		}
		for n, o := range d.Options {
			cp := *o
			cp.Group = g
			dynOpts[n] = &cp
			gv.extra = append(gv.extra, n)
		}
		if d.OptionNamesFrom != nil && d.Option != nil {
			for _, n := range c.list(d.OptionNamesFrom.Group, d.OptionNamesFrom.Name) {
				cp := *d.Option
				cp.Group, cp.Name = g, NormalizeName(n)
				dynOpts[cp.Name] = &cp
				gv.extra = append(gv.extra, cp.Name)
			}
		}
	}
	if c.federationProtocol(g) {
		gv.known = true
		if dynOpts == nil {
			dynOpts = map[string]*Option{}
		}
		dynOpts["remote_id_attribute"] = &Option{Type: Type{Kind: "string"}, Group: g, Name: "remote_id_attribute"}
		gv.extra = append(gv.extra, "remote_id_attribute")
	}
	auth := c.authGroups[g]
	plugin, pluginKnown := c.plugin(g)
	if auth {
		gv.known = true
		switch {
		case g == "keystone_authtoken":
			gv.dynamic = "keystonemiddleware registers the auth plugin's options at run time; oslo-config-validator does not check this group"
		case plugin != "" && !pluginKnown:
			gv.dynamic = fmt.Sprintf("auth_type %s is not a keystoneauth1 plugin oscfg knows; it may read more options", plugin)
		}
		for n := range s.pluginOpts {
			if !pluginKnown || s.PluginOption(plugin, n) != nil {
				gv.extra = append(gv.extra, n)
			}
		}
	}
	gv.lookup = func(n string) (*Option, string) {
		if o := static[n]; o != nil {
			return o, ""
		}
		if o := dynOpts[n]; o != nil {
			return o, ""
		}
		if auth {
			if pluginKnown {
				if o := s.PluginOption(plugin, n); o != nil {
					return withGroup(o, g), ""
				}
				if s.PluginOption("", n) != nil {
					return nil, fmt.Sprintf("auth_type %s does not read %s", plugin, n)
				}
			} else if o := s.PluginOption("", n); o != nil {
				return withGroup(o, g), ""
			}
		}
		return nil, ""
	}
	return gv
}

// plugin is the keystoneauth plugin a group selects with auth_type (or its
// old name auth_plugin), and whether the registry knows it; "" when none
// is set or auth_section points elsewhere (the options come from there).
func (c *fileCtx) plugin(g string) (string, bool) {
	if !c.authGroups[g] || c.last[g]["auth_section"] != nil {
		return "", false
	}
	e := c.last[g]["auth_type"]
	if e == nil {
		e = c.last[g]["auth_plugin"]
	}
	if e == nil {
		return "", false
	}
	p := strings.TrimSpace(e.Value)
	return p, c.s.HasPlugin(p)
}

func withGroup(o *Option, g string) *Option {
	cp := *o
	cp.Group = g
	return &cp
}

// replacements are the options still reading (g, n) under a deprecated
// name: static aliases, keystoneauth plugin aliases (tenant_name ->
// project_name), nova's [vgpu_X] -> [mdev_X].
func (c *fileCtx) replacements(g, n string) []*Option {
	s := c.s
	if r := s.Replacements(g, n); len(r) > 0 {
		return r
	}
	if c.authGroups[g] {
		// Only the selected plugin reads its old names: without auth_type
		// no plugin is loaded, and [neutron] url is not endpoint's old
		// name unless auth_type is admin_token.
		if to, ok := s.PluginAlias(n); ok && s.groups[g][n] == nil {
			if plugin, known := c.plugin(g); known && s.pluginHasAlias(plugin, to, n) {
				return []*Option{withGroup(s.PluginOption(plugin, to), g)}
			}
		}
	}
	for _, d := range s.dynamic {
		prefix, pattern := strings.CutSuffix(d.Group, "*")
		if !pattern {
			continue
		}
		for _, o := range d.Options {
			for _, dn := range o.DeprecatedNames {
				dp, ok := strings.CutSuffix(dn.Group, "*")
				if !ok || dn.Name != n || !strings.HasPrefix(g, dp) || len(g) == len(dp) {
					continue
				}
				name := strings.TrimPrefix(g, dp)
				if d.NamesFrom != nil {
					if l := c.list(d.NamesFrom.Group, d.NamesFrom.Name); l != nil && !contains(l, name) {
						continue
					}
				}
				return []*Option{withGroup(o, prefix+name)}
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
