// Package registry knows which oslo.config options nova and keystone read on
// Zed: group, name, type (with min/max, choices, regex), default, secret
// flag, deprecated names and what replaced them. The data, zed.json, is
// generated from Debian 12's python3-nova and python3-keystone by
// tools/registry/generate.sh (`make registry`) and committed; it records the
// package versions it came from (Versions).
//
// Lookups follow oslo.config: group names are lower-cased except DEFAULT,
// option names are dests ('-' read as '_'). Besides the options the
// generator lists, the registry holds those a service registers at run time
// (keystoneauth plugin options in groups that take auth_type, nova's
// [mdev_*] and [neutron_physnet_*] groups, keystone's [auth] method
// options), which Annotate resolves against the file being checked.
package registry

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed zed.json
var zedJSON []byte

// Name is an option's place: group and name.
type Name struct {
	Group string `json:"group"`
	Name  string `json:"name"`
}

func (n Name) String() string { return "[" + n.Group + "] " + n.Name }

// Option is one option a service reads.
type Option struct {
	Type
	Group string `json:"-"`
	Name  string `json:"-"`
	// Default is the library default (nil when none); host-dependent
	// defaults are the generator's sample placeholders ("<host_ipv4>").
	Default any  `json:"default,omitempty"`
	Secret  bool `json:"secret,omitempty"`
	// DeprecatedNames are the old places this option is still read from
	// (a plugin option's have an empty Group: its own group).
	DeprecatedNames      []Name `json:"deprecated_names,omitempty"`
	DeprecatedForRemoval bool   `json:"deprecated_for_removal,omitempty"`
	DeprecatedSince      string `json:"deprecated_since,omitempty"`
	// Hidden: registered at run time but absent from the sample config
	// (keystonemiddleware's legacy [keystone_authtoken] options).
	Hidden bool `json:"hidden,omitempty"`
	// Plugin: a keystoneauth plugin option, read when auth_type selects a
	// plugin that has it.
	Plugin bool `json:"-"`
}

// Ref is the option's place.
func (o *Option) Ref() Name { return Name{o.Group, o.Name} }

// dynamic is a group (or a group pattern with '*') registered at run time.
type dynamic struct {
	Group     string             `json:"group"`
	NamesFrom *Name              `json:"names_from,omitempty"` // '*' is one of that list option's items
	Options   map[string]*Option `json:"options,omitempty"`
	// OptionNamesFrom: every item of that list option is an option of
	// type Option in Group (keystone's [auth] methods).
	OptionNamesFrom *Name   `json:"option_names_from,omitempty"`
	Option          *Option `json:"option,omitempty"`
}

// Service is the options one service (nova, keystone) reads.
type Service struct {
	Name       string
	Namespaces []string
	groups     map[string]map[string]*Option
	// aliases: deprecated place -> the options that read it (nova's
	// [api_database] copies oslo.db's options with their [DEFAULT]
	// aliases, so one old name can feed two options).
	aliases     map[Name][]*Option
	aliasGroups map[string]bool // groups holding deprecated names ([sql])
	authGroups  map[string]bool
	plugins     map[string]map[string]*Option // auth_type -> options
	pluginOpts  map[string]*Option            // union over plugins
	pluginAlias map[string]string             // deprecated plugin option name -> name
	dynamic     []*dynamic

	ixOnce sync.Once
	ix     *suggestIndex // built on the first Suggest
}

type file struct {
	Release   string            `json:"release"`
	Generator string            `json:"generator"`
	Versions  map[string]string `json:"versions"`
	Services  map[string]*struct {
		Namespaces  []string                      `json:"namespaces"`
		Groups      map[string]map[string]*Option `json:"groups"`
		AuthGroups  []string                      `json:"auth_groups"`
		AuthPlugins map[string]map[string]*Option `json:"auth_plugins"`
		Dynamic     []*dynamic                    `json:"dynamic"`
	} `json:"services"`
}

var (
	loadOnce sync.Once
	loaded   *file
	services map[string]*Service
)

func load() {
	loadOnce.Do(func() {
		var f file
		if err := json.Unmarshal(zedJSON, &f); err != nil {
			panic(fmt.Sprintf("registry: embedded zed.json: %v", err))
		}
		loaded = &f
		services = map[string]*Service{}
		for name, raw := range f.Services {
			s := &Service{Name: name, Namespaces: raw.Namespaces, groups: raw.Groups,
				aliases: map[Name][]*Option{}, aliasGroups: map[string]bool{}, authGroups: map[string]bool{},
				plugins: raw.AuthPlugins, pluginOpts: map[string]*Option{}, pluginAlias: map[string]string{},
				dynamic: raw.Dynamic}
			for g, opts := range s.groups {
				for n, o := range opts {
					o.Group, o.Name = g, n
				}
			}
			for _, g := range sortedKeys(s.groups) {
				for _, n := range sortedKeys(s.groups[g]) {
					o := s.groups[g][n]
					for _, d := range o.DeprecatedNames {
						s.aliases[d] = append(s.aliases[d], o)
						s.aliasGroups[d.Group] = true
					}
				}
			}
			for _, g := range raw.AuthGroups {
				s.authGroups[g] = true
			}
			for _, p := range sortedKeys(s.plugins) {
				for _, n := range sortedKeys(s.plugins[p]) {
					o := s.plugins[p][n]
					o.Name, o.Plugin = n, true
					if _, ok := s.pluginOpts[n]; !ok {
						s.pluginOpts[n] = o
					}
					for _, d := range o.DeprecatedNames {
						s.pluginAlias[d.Name] = n
					}
				}
			}
			for _, d := range s.dynamic {
				for n, o := range d.Options {
					o.Group, o.Name = d.Group, n
				}
				if d.Option != nil {
					d.Option.Group = d.Group
				}
			}
			services[name] = s
		}
	})
}

// Release is the OpenStack release the registry describes ("zed").
func Release() string { load(); return loaded.Release }

// Versions are the Debian packages (and versions) the registry was
// generated from.
func Versions() map[string]string { load(); return loaded.Versions }

// Services lists the services the registry covers.
func Services() []string { load(); return sortedKeys(services) }

// For returns a service's options, or nil when the registry has none.
func For(service string) *Service { load(); return services[service] }

// Known reports whether service reads option name in group (a deprecated
// alias counts: it is still read). Only static options: see
// Service.Lookup for plugin and dynamic ones.
func Known(service, group, name string) bool {
	s := For(service)
	if s == nil {
		return false
	}
	group, name = NormalizeGroup(group), NormalizeName(name)
	return s.Option(group, name) != nil || len(s.aliases[Name{group, name}]) > 0
}

// NormalizeGroup is oslo.config's group normalization: DEFAULT stays,
// every other name is lower-cased.
func NormalizeGroup(g string) string {
	if g == "DEFAULT" {
		return g
	}
	return strings.ToLower(g)
}

// NormalizeName reads '-' as '_' (option dests).
func NormalizeName(n string) string { return strings.ReplaceAll(n, "-", "_") }

// Option returns the option registered as name in group, or nil.
func (s *Service) Option(group, name string) *Option { return s.groups[group][name] }

// HasGroup reports whether group has options of its own (not counting
// dynamic groups).
func (s *Service) HasGroup(group string) bool { return len(s.groups[group]) > 0 }

// Groups lists the service's static groups.
func (s *Service) Groups() []string { return sortedKeys(s.groups) }

// Options lists a group's options, by name.
func (s *Service) Options(group string) []*Option {
	var out []*Option
	for _, n := range sortedKeys(s.groups[group]) {
		out = append(out, s.groups[group][n])
	}
	return out
}

// Replacements returns the options that still read the deprecated name in
// group, the primary one first: one in the same group, else one outside
// nova's [api_database] (which copies oslo.db's options, aliases
// included, so [DEFAULT] sql_connection feeds both [database] and
// [api_database] connection; the rename belongs to [database]).
func (s *Service) Replacements(group, name string) []*Option {
	out := append([]*Option(nil), s.aliases[Name{group, name}]...)
	rank := func(o *Option) int {
		switch {
		case o.Group == group:
			return 0
		case o.Group == "api_database":
			return 2
		}
		return 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		if rank(out[i]) != rank(out[j]) {
			return rank(out[i]) < rank(out[j])
		}
		return out[i].Group < out[j].Group
	})
	return out
}

// IsAuthGroup reports whether group takes keystoneauth options (auth_type,
// auth_section and the selected plugin's options).
func (s *Service) IsAuthGroup(group string) bool { return s.authGroups[group] }

// PluginOption returns a keystoneauth plugin option by name when plugin
// has it (any plugin when plugin is ""), or nil.
func (s *Service) PluginOption(plugin, name string) *Option {
	if plugin == "" {
		return s.pluginOpts[name]
	}
	return s.plugins[plugin][name]
}

// HasPlugin reports whether auth_type = name is a plugin the registry
// knows.
func (s *Service) HasPlugin(name string) bool { _, ok := s.plugins[name]; return ok }

// PluginAlias returns the plugin option a deprecated plugin option name
// (tenant_name, user_name) stands for.
func (s *Service) PluginAlias(name string) (string, bool) {
	n, ok := s.pluginAlias[name]
	return n, ok
}

// authCommon are keystoneauth's options of every auth group (auth_type,
// auth_section), for a group that auth_section names.
func (s *Service) authCommon() map[string]*Option {
	for _, g := range sortedKeys(s.authGroups) {
		if o := s.groups[g]["auth_type"]; o != nil {
			return map[string]*Option{"auth_type": o, "auth_section": s.groups[g]["auth_section"]}
		}
	}
	return nil
}

// pluginHasAlias reports whether plugin's option name is also read as
// alias (admin_token's endpoint as url, not password's).
func (s *Service) pluginHasAlias(plugin, name, alias string) bool {
	o := s.plugins[plugin][name]
	if o == nil {
		return false
	}
	for _, d := range o.DeprecatedNames {
		if d.Name == alias {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
