package fixers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/dialect"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/topology"
)

// The constraint steps. Each rule computes its fix value from the files as
// they are; where values of several files and hosts bound one another, the
// values a run's fixes write are solved together, once per family, against
// the state after all of them: what a fix does not change keeps its
// current value, what a planned fix changes takes the solved value. A step
// only rewrites the values of planned ops, or adds the ops that keep a
// pair equal; applying them stays the one generic mechanism.

// opRef is one planned op and the fix it belongs to.
type opRef struct {
	fx *plannedFix
	op map[string]any
}

func constrain(fc *Facts, fixes []*plannedFix) {
	if fc == nil || fc.topo == nil {
		return
	}
	solveDBTimeouts(fc, fixes)
	solvePairs(fc, fixes)
}

// The DB timeout family: oslo.db's pool recycle time (connection_recycle_time,
// idle_timeout before Queens) of every connection, the idle timeouts of the
// haproxy DB listeners on its way and MariaDB's wait_timeout of the nodes
// it reaches (OSC-DB-001, OSC-HAP-005). Wanted: recycle below every node's
// wait_timeout (a connection idle no longer than its age is never one the
// server already closed), and every listener timeout at least the largest
// recycle time behind it and at least oslo.db's default 3600s. No fix
// changes wait_timeout, so it is the fixed bound: each planned recycle is
// set to 90% of the smallest wait_timeout of its nodes and of the
// timeouts of the listeners on its way that no planned fix changes; each
// planned listener timeout to the largest recycle behind it after the
// fixes plus 600s, and never under 3600s.
func solveDBTimeouts(fc *Facts, fixes []*plannedFix) {
	recs := map[dbConn][]opRef{}
	lst := map[proxyRef][]opRef{}
	for _, fx := range fixes {
		for _, op := range fx.ops {
			if c, ok := recycleOp(fx, op); ok {
				if _, known := fc.recycle[c]; known || fc.path(c) != nil {
					recs[c] = append(recs[c], opRef{fx, op})
				}
			}
			if side := timeoutSide(op); side != "" {
				if pf := fc.proxy(op); pf != nil && pf.role == "db" {
					lst[pf.ref] = append(lst[pf.ref], opRef{fx, op})
				}
			}
		}
	}
	if len(recs) == 0 && len(lst) == 0 {
		return
	}
	final := map[dbConn]int{}
	for _, c := range sortedConns(recs) {
		p := fc.path(c)
		if p == nil {
			continue
		}
		limit, why := -1, ""
		for _, n := range p.Nodes {
			if w, ok := fc.wait[n]; ok && (limit < 0 || w < limit) {
				limit, why = w, fmt.Sprintf("wait_timeout %d on %s", w, n)
			}
		}
		if limit < 0 {
			continue // no node's wait_timeout is known: the rule's value stands
		}
		for _, pf := range fc.listenersOnPath(p) {
			if len(lst[pf.ref]) > 0 {
				continue // solved below, above every recycle behind it
			}
			for _, ms := range pf.idleMs(nil) {
				if sec := int(ms / 1000); sec < limit {
					limit, why = sec, fmt.Sprintf("the idle timeout %ds of %s on %s, which no fix changes", sec, pf.name, pf.ref.host)
				}
			}
		}
		v := max(1, limit*9/10)
		final[c] = v
		for _, r := range recs[c] {
			r.set("value", fmt.Sprint(v), fmt.Sprintf("[%s] %s = %d: 90%% of %s, planned with the run's other DB timeout fixes", c.group, str(r.op, "key"), v, why))
		}
	}
	for _, ref := range sortedProxies(lst) {
		pf := fc.proxies[ref]
		longest, n := -1, 0
		for _, c := range fc.clientsBehind(pf) {
			v, ok := final[c]
			if !ok {
				v, ok = fc.recycle[c]
			}
			if !ok {
				continue
			}
			if v < 0 {
				longest = -2 // never recycled: no finite timeout is long enough
				break
			}
			n++
			longest = max(longest, v)
		}
		if longest == -2 {
			continue
		}
		if n == 0 {
			longest = 3600 // oslo.db's default, as the rule sizes it
		}
		raw := fmt.Sprintf("%ds", max(3600, longest+600))
		for _, r := range lst[ref] {
			r.set("args", []any{raw}, fmt.Sprintf("%s on %s: %s, the longest connection_recycle_time behind it after the fixes (%ds) plus 600s, at least 3600s", strings.Join(strings.Fields(str(r.op, "keyword")), " "), pf.name, raw, longest))
		}
	}
}

// The pair family: in TCP mode haproxy cannot tell which side of a
// connection is idle, so a listen's timeout client and timeout server are
// kept equal (haproxy configuration.txt, "timeout client"; OSC-HAP-002 and
// OSC-HAP-005). When a planned fix sets one of them, both end at the
// longer of the planned values and the other side's finite current value:
// the planned op is raised, or an op for the other side joins its fix.
func solvePairs(fc *Facts, fixes []*plannedFix) {
	type pair struct{ client, server []opRef }
	pairs := map[proxyRef]*pair{}
	for _, fx := range fixes {
		for _, op := range fx.ops {
			side := timeoutSide(op)
			if side != "client" && side != "server" {
				continue
			}
			pf := fc.proxy(op)
			if pf == nil || pf.typ != "listen" || !pf.tcp {
				continue
			}
			p := pairs[pf.ref]
			if p == nil {
				p = &pair{}
				pairs[pf.ref] = p
			}
			if side == "client" {
				p.client = append(p.client, opRef{fx, op})
			} else {
				p.server = append(p.server, opRef{fx, op})
			}
		}
	}
	for _, ref := range sortedProxies(pairs) {
		pf, p := fc.proxies[ref], pairs[ref]
		best, raw := int64(-1), ""
		for _, r := range append(append([]opRef(nil), p.client...), p.server...) {
			if ms, ok := timeMs(r.op); ok && ms > best {
				best, raw = ms, s(r.op["args"].([]any)[0])
			}
		}
		if best < 0 {
			continue
		}
		for _, sp := range []struct {
			side    string
			planned []opRef
		}{{"client", p.client}, {"server", p.server}} {
			side, planned := sp.side, sp.planned
			if len(planned) == 0 {
				if cur, ok := pf.timeouts[side]; ok && cur > best {
					best, raw = cur, pf.raw[side]
				}
			}
		}
		why := "keeps timeout client and timeout server of the TCP listen equal"
		for _, r := range append(append([]opRef(nil), p.client...), p.server...) {
			if ms, _ := timeMs(r.op); ms != best {
				r.set("args", []any{raw}, fmt.Sprintf("%s on %s: %s %s", str(r.op, "keyword"), pf.name, raw, why))
			}
		}
		for _, sp := range []struct {
			side    string
			planned []opRef
		}{{"client", p.client}, {"server", p.server}} {
			side, planned := sp.side, sp.planned
			if len(planned) > 0 {
				continue
			}
			if cur, ok := pf.timeouts[side]; ok && cur == best {
				continue
			}
			other := p.client
			if side == "client" {
				other = p.server
			}
			fx := other[0].fx
			op := map[string]any{"op": "haproxy_set", "host": str(other[0].op, "host"), "file": str(other[0].op, "file"),
				"section": str(other[0].op, "section"), "keyword": "timeout " + side, "args": []any{raw}}
			fx.ops = append(fx.ops, op)
			fx.notes = append(fx.notes, fmt.Sprintf("timeout %s on %s: %s added, %s", side, pf.name, raw, why))
		}
	}
}

// set changes an op's field, noting it on its fix when the value changes.
func (r opRef) set(field string, v any, note string) {
	if fmt.Sprint(r.op[field]) == fmt.Sprint(v) {
		return
	}
	r.op[field] = v
	r.fx.notes = append(r.fx.notes, note)
}

// recycleOp: op sets the pool recycle time of one DB connection. The
// pool options are oslo.db's, so only oslo files have them.
func recycleOp(fx *plannedFix, op map[string]any) (dbConn, bool) {
	if str(op, "op") != "set" || fx.file.Kind != model.KindOslo {
		return dbConn{}, false
	}
	g, k := dialect.For(model.KindOslo).Normalize(str(op, "section"), str(op, "key"))
	if (g != "database" && g != "api_database") || (k != "connection_recycle_time" && k != "idle_timeout") {
		return dbConn{}, false
	}
	return dbConn{fx.host, fx.file.HostPath, g}, true
}

// timeoutSide is "client", "server" or "tunnel" for an op that sets that
// haproxy timeout, else "".
func timeoutSide(op map[string]any) string {
	if str(op, "op") != "haproxy_set" {
		return ""
	}
	kw := strings.Fields(str(op, "keyword"))
	if len(kw) == 2 && kw[0] == "timeout" && (kw[1] == "client" || kw[1] == "server" || kw[1] == "tunnel") {
		return kw[1]
	}
	return ""
}

// listenersOnPath are the DB listener proxies a connection goes through:
// those of its listener groups, else every DB listener of its cluster (as
// OSC-DB-001 counts them).
func (fc *Facts) listenersOnPath(p *topology.DBPath) []*proxyFacts {
	h := fc.topo.Hosts[p.Host]
	if h == nil {
		return nil
	}
	groups := fc.topo.Listeners[h.Cluster]
	keys := p.Listeners
	if len(keys) == 0 {
		keys = sortedGroupKeys(groups)
	}
	var out []*proxyFacts
	for _, k := range keys {
		if g := groups[k]; g != nil {
			for _, l := range g.Listeners {
				if pf := fc.proxies[proxyRef{l.Host, l.Proxy}]; pf != nil {
					out = append(out, pf)
				}
			}
		}
	}
	return out
}

// clientsBehind are the connections whose endpoint a DB proxy's listener
// groups are bound on, else every connection of its cluster (as
// OSC-HAP-005 counts them).
func (fc *Facts) clientsBehind(pf *proxyFacts) []dbConn {
	var out []dbConn
	for _, g := range fc.groupsOf(pf) {
		for _, r := range g.Clients {
			out = append(out, dbConn{r.Host, r.File, r.Note})
		}
	}
	if len(out) > 0 {
		return out
	}
	h := fc.topo.Hosts[pf.ref.host]
	if h == nil {
		return nil
	}
	for _, p := range fc.topo.DBPaths {
		if th := fc.topo.Hosts[p.Host]; th != nil && th.Cluster == h.Cluster {
			out = append(out, dbConn{p.Host, p.File, p.Group})
		}
	}
	return out
}

func sortedConns[V any](m map[dbConn]V) []dbConn {
	out := make([]dbConn, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.host+"\x00"+a.file+"\x00"+a.group < b.host+"\x00"+b.file+"\x00"+b.group
	})
	return out
}

func sortedProxies[V any](m map[proxyRef]V) []proxyRef {
	out := make([]proxyRef, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].host+"\x00"+out[i].key < out[j].host+"\x00"+out[j].key
	})
	return out
}
