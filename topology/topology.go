// Package topology computes the fleet facts every cross-host rule needs,
// once, in Go: which cluster (deployment) each host belongs to, the roles
// of each host (controller, compute, db, lb), the release per host and the
// real path of each service's database connection (endpoint -> haproxy
// listener -> servers -> DB nodes). Each fact carries the file:line that
// gave it. Rules read the result as input.topology (docs/model.md) and
// never work these out themselves.
//
// It reads the host views the loader builds (the same maps the rules see),
// so the haproxy effective view and the MariaDB merge are computed once.
package topology

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/oscfg/oscfg/model"
)

// Roles a host can have; a host may have several.
const (
	RoleController = "controller"
	RoleCompute    = "compute"
	RoleDB         = "db"
	RoleLB         = "lb"
)

// Where a cluster assignment came from.
const (
	SourceInferred  = "inferred"  // union-find over shared endpoints
	SourceInventory = "inventory" // --inventory FILE
	SourceLayout    = "layout"    // FLEET/<cluster>/<host>/etc
	SourceConfig    = "config"    // [clusters] in oscfg.ini
)

// Evidence is a setting that placed a host or gave it a role.
type Evidence struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Why  string `json:"why"`
}

// Host is what topology knows about one host.
type Host struct {
	Name    string
	Cluster string
	// How it was placed: the source of the assignment and the settings
	// that linked it to its cluster (empty when nothing did).
	Source string
	Placed []Evidence
	Roles  map[string]Evidence // role -> the setting that shows it
	Galera *Evidence           // wsrep_provider loads a Galera library
	Files  map[string]FileFacts
	// Release is the release the rules assume for this host (the
	// loader's per-host decision; the fleet's when none was given).
	Release model.Release
	// idents are the names and addresses the host answers to.
	idents []string
}

// FileFacts are the role facts of one oslo file.
type FileFacts struct {
	// Role of a nova.conf: "compute" (a hypervisor and none of the
	// controller services), "controller" (API, conductor or scheduler
	// settings, or database access), "node" otherwise and for other services.
	Role string
	// Hypervisor: a nova.conf that configures a compute driver.
	Hypervisor bool
	// DBAccess: [database] or [api_database] connection is set.
	DBAccess bool
	// Federation: a keystone.conf that enables identity federation, with
	// the setting that shows it (nil otherwise).
	Federation *Evidence
}

// Cluster is one deployment: hosts sharing a database, a VIP, a keystone.
type Cluster struct {
	Name      string
	Hosts     []string
	Source    string
	Reason    string // how it was formed (and why, when guessed)
	Guessed   bool
	Endpoints []string // the shared endpoints that linked its hosts
}

// Assignment is a user-stated placement (inventory, layout or config).
type Assignment struct {
	Source string              // SourceInventory, SourceLayout or SourceConfig
	Origin string              // the inventory file, oscfg.ini, ...
	Hosts  map[string]string   // host -> cluster
	Where  map[string]Evidence // host -> where it was stated
}

// Options for Compute.
type Options struct {
	Release model.Release
	// Releases are the hosts' own releases, when the loader decided them
	// per host; hosts not in it get Release.
	Releases map[string]model.Release
	// Assign, when set, overrides inference for the hosts it names.
	Assign *Assignment
}

// Topology is the result of Compute.
type Topology struct {
	Clusters []*Cluster // sorted by name
	Hosts    map[string]*Host
	DBPaths  []*DBPath // sorted by host, file, group
	// Rabbit: per oslo file, the brokers of its transport_url and the
	// hosts of its cluster that answer to them.
	Rabbit []*RabbitPath
	// Notes say, once, what had to be guessed.
	Notes []string
	// DBAddrs: per cluster, every address known to be a DB node's, with
	// where it was seen; DBVIPs: the DB listeners' bind addresses.
	DBAddrs map[string]map[string][]Ref
	DBVIPs  map[string][]string
	// Listeners: per cluster, the DB listener groups by key.
	Listeners map[string]map[string]*ListenerGroup

	owners map[string]string // name or address -> host (identOwner)
}

// Ref points at a setting, for related locations.
type Ref struct {
	Host string `json:"host"`
	File string `json:"file"`
	Line int    `json:"line"`
	Note string `json:"note"`
}

// Cluster returns the named cluster, or nil.
func (t *Topology) Cluster(name string) *Cluster {
	for _, c := range t.Clusters {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Summary is the one line `oscfg lint` prints on stderr: how many
// clusters, and why when it had to guess.
func (t *Topology) Summary() string {
	n := len(t.Clusters)
	word := "clusters"
	if n == 1 {
		word = "cluster"
	}
	var src []string
	seen := map[string]bool{}
	for _, c := range t.Clusters {
		if !seen[c.Source] {
			seen[c.Source] = true
			src = append(src, c.Source)
		}
	}
	s := fmt.Sprintf("oscfg: %d %s (%s)", n, word, strings.Join(src, ", "))
	if len(t.Notes) > 0 {
		s += ": " + strings.Join(t.Notes, "; ")
	}
	return s
}

// ---------------------------------------------------------------- helpers over views

func obj(v any, keys ...string) map[string]any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	m, _ := v.(map[string]any)
	return m
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func list(v any) []map[string]any {
	switch l := v.(type) {
	case []any:
		out := make([]map[string]any, 0, len(l))
		for _, x := range l {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case []map[string]any:
		return l
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// key is a setting of an oslo file's "sections" view: value and line.
func key(f map[string]any, group, name string) (string, int, bool) {
	k := obj(f, "sections", group, "keys", name)
	if k == nil {
		return "", 0, false
	}
	return str(k, "value"), model.AsInt(k["line"]), true
}

// setOption is an effective option ("options" view) that a file sets.
func setOption(f map[string]any, group, name string) (string, int, bool) {
	o := obj(f, "options", group, name)
	if o == nil || o["set"] != true {
		return "", 0, false
	}
	v, _ := o["value"].(string)
	return v, model.AsInt(o["line"]), true
}

// ---------------------------------------------------------------- addresses

// Unspecified reports addresses that name no particular machine: they must
// never link two hosts (every host has its own 127.0.0.1).
func Unspecified(a string) bool {
	a = strings.ToLower(strings.Trim(strings.TrimSpace(a), "[]"))
	switch a {
	case "", "*", "0.0.0.0", "::", "::1", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "0:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1":
		return true
	}
	// Templating left unrendered ({{ vip }}, ${VIP}, %VIP%) is not an address.
	return strings.HasPrefix(a, "127.") || strings.ContainsAny(a, "{}$%")
}

// HostPort splits host[:port] and [v6]:port; the host is lower-cased.
func HostPort(s string, defPort int) (string, int) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i > 0 {
			h, rest := s[1:i], s[i+1:]
			if p, err := strconv.Atoi(strings.TrimPrefix(rest, ":")); err == nil && strings.HasPrefix(rest, ":") {
				return strings.ToLower(h), p
			}
			return strings.ToLower(h), defPort
		}
	}
	if strings.Count(s, ":") == 1 {
		h, p, _ := strings.Cut(s, ":")
		if n, err := strconv.Atoi(p); err == nil {
			return strings.ToLower(h), n
		}
		return strings.ToLower(h), defPort
	}
	return strings.ToLower(s), defPort // a bare IPv6 literal or a name
}

// URLHosts returns the host:port pairs of a URL, several for oslo's
// rabbit://u:p@h1:5672,u:p@h2:5672/ form. Ports default to defPort.
func URLHosts(u string, defPort int) [][2]string {
	u = strings.TrimSpace(u)
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return nil
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	var out [][2]string
	for _, item := range strings.Split(rest, ",") {
		if i := strings.LastIndexByte(item, '@'); i >= 0 {
			item = item[i+1:]
		}
		if strings.TrimSpace(item) == "" {
			continue
		}
		h, p := HostPort(item, defPort)
		out = append(out, [2]string{h, strconv.Itoa(p)})
	}
	return out
}

// addrOnly drops a port from an address option ("10.0.0.1:4567").
func addrOnly(s string) string {
	h, _ := HostPort(s, 0)
	return h
}

// GcommMembers are the member hosts of a gcomm:// address.
func GcommMembers(addr string) []string {
	a := strings.TrimSpace(addr)
	if !strings.HasPrefix(strings.ToLower(a), "gcomm://") {
		return nil
	}
	body, _, _ := strings.Cut(a[len("gcomm://"):], "?")
	var out []string
	for _, item := range strings.Split(body, ",") {
		if h := addrOnly(item); h != "" {
			out = append(out, h)
		}
	}
	return out
}
