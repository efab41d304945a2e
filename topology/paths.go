package topology

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/oscfg/oscfg/model"
)

// DBPath is where one service's database connection really goes: its
// endpoint, the haproxy listeners bound on it, their servers and the DB
// nodes with those addresses.
type DBPath struct {
	Host, File, Group string
	Line              int // the connection line
	Endpoint          string
	Port              int
	// Via says how Nodes were found: "listener" (through haproxy),
	// "direct" (the endpoint is a DB node), "cluster" (no listener or node
	// answers to the endpoint: every DB node of the cluster), "none" (the
	// cluster has no DB node).
	Via       string
	Listeners []string // keys of the cluster's ListenerGroups
	Nodes     []string
}

// ListenerGroup is every haproxy DB listener of a cluster bound on one
// address and port (the VIP is usually bound by each LB host), with the
// union of their servers. Paths name groups, so a connection costs the
// same whatever the number of LB hosts.
type ListenerGroup struct {
	Key       string // "192.168.1.10:3306", or "HOST/*:3306" for a wildcard bind
	Listeners []*Listener
	Servers   []Server // one per distinct name, address and port
	Nodes     []string
	Clients   []Ref // the connections that reach it
}

// Listener is a haproxy proxy bound on a DB endpoint.
type Listener struct {
	Host    string
	Proxy   string // key in the host's haproxy.proxies
	File    string
	Line    int
	Servers []Server
}

// Server is one server line behind a listener, with the DB node it names.
type Server struct {
	Name, Addr string
	Port       int
	Backup     bool
	File       string
	Line       int
	Host       string // the LB host whose config has the line
	Node       string // the DB host with that address ("" when not in the fleet)
}

// RabbitPath: a file's transport_url brokers and the hosts behind them.
type RabbitPath struct {
	Host, File string
	Line       int
	Brokers    []string // host:port
	Nodes      []string // hosts of the cluster that answer to a broker address
}

func isDBProxy(px map[string]any) bool { return str(px, "role") == "db" }

// dbPaths follows every [database]/[api_database] connection of every
// host inside the host's cluster.
func (t *Topology) dbPaths(hosts map[string]map[string]any) {
	for _, c := range t.Clusters {
		// Per cluster: DB listener groups by bind address and port (a
		// wildcard bind by host and port), DB nodes by every name they
		// answer to.
		groups := map[string]*ListenerGroup{}
		byIdent := map[string]string{}
		addrs := map[string][]Ref{}
		vips := map[string]bool{}
		var dbHosts []string
		for _, n := range c.Hosts {
			h := t.Hosts[n]
			if _, ok := h.Roles[RoleDB]; ok {
				dbHosts = append(dbHosts, n)
				for _, id := range h.idents {
					if _, taken := byIdent[id]; !taken {
						byIdent[id] = n
					}
				}
			}
		}
		for _, n := range c.Hosts {
			pxs := obj(hosts[n], "haproxy", "proxies")
			for _, k := range sortedKeys(pxs) {
				px := obj(pxs, k)
				if !isDBProxy(px) {
					continue
				}
				typ := str(px, "type")
				if typ == "frontend" || typ == "listen" {
					l := &Listener{Host: n, Proxy: k, File: str(px, "file"), Line: model.AsInt(px["line"]), Servers: servers(n, pxs, px)}
					for _, b := range list(px["binds"]) {
						a, port := strings.ToLower(str(b, "addr")), model.AsInt(b["port"])
						key := fmt.Sprintf("%s:%d", a, port)
						if Unspecified(a) {
							key = fmt.Sprintf("%s/*:%d", n, port)
						} else {
							vips[a] = true
						}
						g := groups[key]
						if g == nil {
							g = &ListenerGroup{Key: key}
							groups[key] = g
						}
						if len(g.Listeners) == 0 || g.Listeners[len(g.Listeners)-1] != l {
							g.Listeners = append(g.Listeners, l)
						}
					}
				}
				if typ == "backend" || typ == "listen" {
					for _, s := range list(px["servers"]) {
						if a := strings.ToLower(str(s, "addr")); !Unspecified(a) {
							addrs[a] = append(addrs[a], Ref{n, str(s, "file"), model.AsInt(s["line"]),
								fmt.Sprintf("server %s %s:%d in DB listener %q", str(s, "name"), str(s, "addr"), model.AsInt(s["port"]), str(px, "name"))})
						}
					}
				}
			}
		}
		for _, n := range dbHosts {
			srv := obj(hosts[n], "mysql", "server")
			for _, k := range []string{"wsrep_node_address", "bind_address", "wsrep_node_name"} {
				if o := obj(srv, k); o != nil {
					if a := addrOnly(str(o, "value")); !Unspecified(a) {
						addrs[a] = append(addrs[a], Ref{n, str(o, "file"), model.AsInt(o["line"]), fmt.Sprintf("%s = %s", k, str(o, "value"))})
					}
				}
			}
			if o := obj(srv, "wsrep_cluster_address"); o != nil {
				for _, m := range GcommMembers(str(o, "value")) {
					if !Unspecified(m) {
						addrs[m] = append(addrs[m], Ref{n, str(o, "file"), model.AsInt(o["line"]), "wsrep_cluster_address = " + str(o, "value")})
					}
				}
			}
			addrs[strings.ToLower(n)] = append(addrs[strings.ToLower(n)], Ref{n, firstMySQLFile(hosts[n]), 1, "DB node " + n})
		}
		for a := range vips {
			delete(addrs, a) // a DB listener's address is the VIP, not a node
		}
		t.DBAddrs[c.Name] = addrs
		t.DBVIPs[c.Name] = sortedKeys(vips)
		for _, k := range sortedKeys(groups) {
			g := groups[k]
			seen := map[string]bool{}
			nodes := map[string]bool{}
			for _, l := range g.Listeners {
				for i := range l.Servers {
					s := &l.Servers[i]
					if node, ok := byIdent[strings.ToLower(s.Addr)]; ok {
						s.Node = node
					} else if node, ok := byIdent[strings.ToLower(s.Name)]; ok {
						s.Node = node
					}
					if s.Node != "" {
						nodes[s.Node] = true
					}
					id := fmt.Sprintf("%s\x00%s\x00%d", s.Name, s.Addr, s.Port)
					if !seen[id] {
						seen[id] = true
						g.Servers = append(g.Servers, *s)
					}
				}
			}
			g.Nodes = sortedKeys(nodes)
		}
		for _, n := range c.Hosts {
			files := obj(hosts[n], "files")
			for _, p := range sortedKeys(files) {
				f := obj(files, p)
				if str(f, "kind") != model.KindOslo {
					continue
				}
				for _, g := range []string{"database", "api_database"} {
					v, line, ok := setOption(f, g, "connection")
					if !ok {
						continue
					}
					path := &DBPath{Host: n, File: p, Group: g, Line: line}
					if hp := URLHosts(v, 3306); len(hp) > 0 {
						path.Endpoint = hp[0][0]
						path.Port, _ = strconv.Atoi(hp[0][1])
					}
					t.resolve(path, groups, byIdent, dbHosts)
					for _, k := range path.Listeners {
						groups[k].Clients = append(groups[k].Clients, Ref{Host: n, File: p, Line: line, Note: g})
					}
					t.DBPaths = append(t.DBPaths, path)
				}
			}
		}
		if t.Listeners == nil {
			t.Listeners = map[string]map[string]*ListenerGroup{}
		}
		t.Listeners[c.Name] = groups
	}
	sort.SliceStable(t.DBPaths, func(i, j int) bool {
		a, b := t.DBPaths[i], t.DBPaths[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Group < b.Group
	})
}

// servers are the server lines a client-side proxy sends to: its own
// (listen), or those of its default and use_backend backends (frontend).
func servers(host string, pxs map[string]any, px map[string]any) []Server {
	var raw []map[string]any
	if str(px, "type") == "listen" {
		raw = list(px["servers"])
	} else {
		names := []string{str(px, "default_backend")}
		if ub, ok := px["use_backends"].([]string); ok {
			names = append(names, ub...)
		} else {
			for _, x := range anyList(px["use_backends"]) {
				if s, ok := x.(string); ok {
					names = append(names, s)
				}
			}
		}
		for _, be := range names {
			if be == "" {
				continue
			}
			for _, k := range sortedKeys(pxs) {
				b := obj(pxs, k)
				if str(b, "name") == be && str(b, "type") == "backend" {
					raw = append(raw, list(b["servers"])...)
				}
			}
		}
	}
	out := make([]Server, 0, len(raw))
	for _, s := range raw {
		out = append(out, Server{Name: str(s, "name"), Addr: str(s, "addr"), Port: model.AsInt(s["port"]),
			Backup: s["backup"] == true, File: str(s, "file"), Line: model.AsInt(s["line"]), Host: host})
	}
	return out
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}

// resolve finds the listener groups and DB nodes of one connection.
func (t *Topology) resolve(p *DBPath, groups map[string]*ListenerGroup, byIdent map[string]string, dbHosts []string) {
	local := Unspecified(p.Endpoint) && p.Endpoint != ""
	keys := []string{fmt.Sprintf("%s:%d", p.Endpoint, p.Port)}
	// A wildcard bind reaches the endpoint when it is on the client's own
	// host and the client connects locally, or when the endpoint is one
	// of the listener host's names.
	if local {
		keys = append(keys, fmt.Sprintf("%s/*:%d", p.Host, p.Port))
	} else if owner, ok := t.identOwner(p.Endpoint); ok {
		keys = append(keys, fmt.Sprintf("%s/*:%d", owner, p.Port))
	}
	nodes := map[string]bool{}
	for _, k := range keys {
		if g := groups[k]; g != nil && !contains(p.Listeners, k) {
			p.Listeners = append(p.Listeners, k)
			for _, n := range g.Nodes {
				nodes[n] = true
			}
		}
	}
	switch {
	case len(nodes) > 0:
		p.Via = "listener"
	case byIdent[p.Endpoint] != "":
		p.Via = "direct"
		nodes[byIdent[p.Endpoint]] = true
	case local && contains(dbHosts, p.Host):
		p.Via = "direct"
		nodes[p.Host] = true
	case len(dbHosts) > 0:
		p.Via = "cluster"
		for _, d := range dbHosts {
			nodes[d] = true
		}
	default:
		p.Via = "none"
	}
	p.Nodes = sortedKeys(nodes)
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// identOwner is the host that answers to a name or address.
func (t *Topology) identOwner(a string) (string, bool) {
	if t.owners == nil {
		t.owners = map[string]string{}
		for _, n := range sortedKeys(t.Hosts) {
			for _, id := range t.Hosts[n].idents {
				if _, ok := t.owners[id]; !ok {
					t.owners[id] = n
				}
			}
		}
	}
	n, ok := t.owners[a]
	return n, ok
}

// rabbitPaths lists the brokers of every transport_url.
func (t *Topology) rabbitPaths(hosts map[string]map[string]any) {
	for _, c := range t.Clusters {
		byIdent := map[string]string{}
		for _, n := range c.Hosts {
			for _, id := range t.Hosts[n].idents {
				if _, ok := byIdent[id]; !ok {
					byIdent[id] = n
				}
			}
		}
		for _, n := range c.Hosts {
			files := obj(hosts[n], "files")
			for _, p := range sortedKeys(files) {
				v, line, ok := key(obj(files, p), "DEFAULT", "transport_url")
				if !ok || !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "rabbit://") {
					continue
				}
				rp := &RabbitPath{Host: n, File: p, Line: line}
				nodes := map[string]bool{}
				for _, hp := range URLHosts(v, 5672) {
					rp.Brokers = append(rp.Brokers, hp[0]+":"+hp[1])
					if x, ok := byIdent[hp[0]]; ok {
						nodes[x] = true
					}
				}
				rp.Nodes = sortedKeys(nodes)
				t.Rabbit = append(t.Rabbit, rp)
			}
		}
	}
}
