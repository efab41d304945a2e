package fixers

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/oscfg/oscfg/dialect"
	"github.com/oscfg/oscfg/topology"
)

// Facts are the values the plan's constraint steps read, taken from what
// the loader and topology already computed for the rules (the input
// document's views and input.topology), never worked out again: each
// connection's effective pool recycle time, each DB node's wait_timeout,
// each haproxy proxy's effective timeouts, and which connections are
// behind which DB listener.
type Facts struct {
	topo    *topology.Topology
	recycle map[dbConn]int // effective connection_recycle_time, seconds
	wait    map[string]int // DB host -> effective wait_timeout, seconds
	proxies map[proxyRef]*proxyFacts
	// byName finds a proxy from a haproxy_set op (host, file, section).
	byName map[[3]string]*proxyFacts
	paths  map[dbConn]*topology.DBPath
}

type dbConn struct{ host, file, group string }

type proxyRef struct{ host, key string }

type proxyFacts struct {
	ref              proxyRef
	name, file, typ  string
	mode, role       string
	timeouts         map[string]int64 // ms; 0 infinite; absent when unset
	raw              map[string]string
	tcp, client, srv bool // TCP mode; reads timeout client; reads timeout server
}

// mariadbWaitDefault is MariaDB's wait_timeout when no option file sets it
// (the rules' data.oscfg.lib.internal.db.mariadb_wait_default).
const mariadbWaitDefault = 28800

var plainInt = regexp.MustCompile(`^\s*[0-9]+\s*$`)

// NewFacts indexes the input document the rules read (docs/model.md) and
// the topology computed with it. Call it before the document is dropped.
func NewFacts(input map[string]any, topo *topology.Topology) *Facts {
	fc := &Facts{topo: topo, recycle: map[dbConn]int{}, wait: map[string]int{},
		proxies: map[proxyRef]*proxyFacts{}, byName: map[[3]string]*proxyFacts{}, paths: map[dbConn]*topology.DBPath{}}
	if topo == nil {
		return fc
	}
	hosts, _ := input["hosts"].(map[string]any)
	for _, p := range topo.DBPaths {
		fc.paths[dbConn{p.Host, p.File, p.Group}] = p
		o := obj(hosts, p.Host, "files", p.File, "options", p.Group, "connection_recycle_time")
		if v, ok := number(o["value"]); ok && o["invalid"] != true {
			fc.recycle[dbConn{p.Host, p.File, p.Group}] = v
		}
	}
	for name, th := range topo.Hosts {
		if _, ok := th.Roles[topology.RoleDB]; ok {
			w := obj(hosts, name, "mysql", "server", "wait_timeout")
			switch v, _ := w["value"].(string); {
			case w == nil:
				fc.wait[name] = mariadbWaitDefault
			case plainInt.MatchString(v):
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					fc.wait[name] = n
				}
			}
		}
		for key, v := range obj(hosts, name, "haproxy", "proxies") {
			px, _ := v.(map[string]any)
			if px == nil {
				continue
			}
			pf := &proxyFacts{ref: proxyRef{name, key}, name: s(px["name"]), file: s(px["file"]), typ: s(px["type"]),
				role: s(px["role"]), timeouts: map[string]int64{}, raw: map[string]string{}}
			pf.mode = s(obj(px, "mode")["value"])
			// haproxy's default mode is tcp.
			pf.tcp = pf.mode == "tcp" || pf.mode == ""
			pf.client = pf.typ == "listen" || pf.typ == "frontend"
			pf.srv = pf.typ == "listen" || pf.typ == "backend"
			for side, t := range obj(px, "timeouts") {
				tm, _ := t.(map[string]any)
				if ms, ok := number(tm["ms"]); ok {
					pf.timeouts[side] = int64(ms)
					pf.raw[side] = s(tm["raw"])
				}
			}
			fc.proxies[pf.ref] = pf
			fc.byName[[3]string{name, pf.file, pf.name}] = pf
		}
	}
	return fc
}

// proxy is the proxy a haproxy_set op edits, or nil.
func (fc *Facts) proxy(op map[string]any) *proxyFacts {
	return fc.byName[[3]string{str(op, "host"), str(op, "file"), str(op, "section")}]
}

// path is the topology's DB path of one connection, or nil.
func (fc *Facts) path(c dbConn) *topology.DBPath {
	return fc.paths[c]
}

// groupsOf are the DB listener groups (cluster, key) a proxy is in.
func (fc *Facts) groupsOf(pf *proxyFacts) []*topology.ListenerGroup {
	h := fc.topo.Hosts[pf.ref.host]
	if h == nil {
		return nil
	}
	var out []*topology.ListenerGroup
	for _, k := range sortedGroupKeys(fc.topo.Listeners[h.Cluster]) {
		g := fc.topo.Listeners[h.Cluster][k]
		for _, l := range g.Listeners {
			if l.Host == pf.ref.host && l.Proxy == pf.ref.key {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// idleMs are the finite idle timeouts (ms) a proxy cuts a quiet
// connection after: in TCP mode a set `timeout tunnel` replaces the client
// and server timeouts once the connection is established (haproxy
// configuration.txt, "timeout tunnel"); otherwise the client timeout on
// the client side and the server timeout on the server side. override
// gives planned values (ms) by timeout name.
func (pf *proxyFacts) idleMs(override map[string]int64) []int64 {
	get := func(name string) (int64, bool) {
		if v, ok := override[name]; ok {
			return v, true
		}
		v, ok := pf.timeouts[name]
		return v, ok
	}
	if t, ok := get("tunnel"); ok && pf.tcp && t > 0 {
		return []int64{t}
	}
	var out []int64
	if t, ok := get("client"); ok && pf.client && t > 0 {
		out = append(out, t)
	}
	if t, ok := get("server"); ok && pf.srv && t > 0 {
		out = append(out, t)
	}
	return out
}

func sortedGroupKeys(m map[string]*topology.ListenerGroup) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func obj(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, _ := m[k].(map[string]any)
		if next == nil {
			return nil
		}
		m = next
	}
	return m
}

func s(v any) string {
	x, _ := v.(string)
	return x
}

// number is an integer view value (the views hold int, int64 or float64;
// JSON round trips give json.Number).
func number(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return int(i), true
		}
	}
	return 0, false
}

// timeMs parses a haproxy_set op's time argument.
func timeMs(op map[string]any) (int64, bool) {
	a, _ := op["args"].([]any)
	if len(a) != 1 {
		return 0, false
	}
	return dialect.HAProxyTime(strings.TrimSpace(s(a[0])))
}
