package topology

import (
	"sort"

	"github.com/oscfg/oscfg/model"
)

// View is input.topology (docs/model.md).
func (t *Topology) View() map[string]any {
	clusters := map[string]any{}
	for _, c := range t.Clusters {
		roles := map[string]any{}
		for _, r := range []string{RoleController, RoleCompute, RoleDB, RoleLB} {
			hs := []any{}
			for _, n := range c.Hosts {
				if _, ok := t.Hosts[n].Roles[r]; ok {
					hs = append(hs, n)
				}
			}
			roles[r] = hs
		}
		galera := []any{}
		for _, n := range c.Hosts {
			if t.Hosts[n].Galera != nil {
				galera = append(galera, n)
			}
		}
		addrs := map[string]any{}
		for a, refs := range t.DBAddrs[c.Name] {
			l := make([]any, len(refs))
			for i, r := range refs {
				l[i] = refView(r)
			}
			addrs[a] = l
		}
		vips := []any{}
		for _, v := range t.DBVIPs[c.Name] {
			vips = append(vips, v)
		}
		groups := map[string]any{}
		for k, g := range t.Listeners[c.Name] {
			groups[k] = groupView(g)
		}
		// Keystone federation anywhere in the cluster: the haproxy hosts
		// in front of its keystone are judged by it (OSC-HAP-001).
		fed := []any{}
		for _, n := range c.Hosts {
			h := t.Hosts[n]
			for _, p := range sortedKeys(h.Files) {
				if e := h.Files[p].Federation; e != nil {
					fed = append(fed, map[string]any{"host": n, "file": e.File, "line": e.Line, "why": e.Why})
				}
			}
		}
		clusters[c.Name] = map[string]any{
			"name": c.Name, "hosts": strs(c.Hosts), "source": c.Source, "reason": c.Reason,
			"guessed": c.Guessed, "endpoints": strs(c.Endpoints), "roles": roles, "galera": galera,
			"db_addrs": addrs, "db_vips": vips, "db_listeners": groups, "keystone_federation": fed,
		}
	}
	hosts := map[string]any{}
	for n, h := range t.Hosts {
		roles := []any{}
		ev := map[string]any{}
		for _, r := range []string{RoleController, RoleCompute, RoleDB, RoleLB} {
			if e, ok := h.Roles[r]; ok {
				roles = append(roles, r)
				ev[r] = evView(e)
			}
		}
		placed := []any{}
		for _, e := range h.Placed {
			placed = append(placed, evView(e))
		}
		files := map[string]any{}
		for p, ff := range h.Files {
			fv := map[string]any{"role": ff.Role, "hypervisor": ff.Hypervisor, "db_access": ff.DBAccess}
			if ff.Federation != nil {
				fv["federation"] = evView(*ff.Federation)
			}
			files[p] = fv
		}
		hv := map[string]any{
			"cluster": h.Cluster, "source": h.Source, "roles": roles, "role_evidence": ev,
			"placed": placed, "files": files, "galera": h.Galera != nil,
			"release":  releaseView(h.Release),
			"db_paths": map[string]any{}, "db_listeners": map[string]any{}, "rabbit": map[string]any{},
		}
		if h.Galera != nil {
			ev["galera"] = evView(*h.Galera)
		}
		hosts[n] = hv
	}
	for _, p := range t.DBPaths {
		dp := hosts[p.Host].(map[string]any)["db_paths"].(map[string]any)
		byGroup, _ := dp[p.File].(map[string]any)
		if byGroup == nil {
			byGroup = map[string]any{}
			dp[p.File] = byGroup
		}
		byGroup[p.Group] = pathView(p)
	}
	// The listener side: the groups each LB host's proxies belong to.
	for _, c := range t.Clusters {
		for _, k := range sortedKeys(t.Listeners[c.Name]) {
			for _, l := range t.Listeners[c.Name][k].Listeners {
				dl := hosts[l.Host].(map[string]any)["db_listeners"].(map[string]any)
				ks, _ := dl[l.Proxy].([]any)
				dl[l.Proxy] = append(ks, k)
			}
		}
	}
	for _, r := range t.Rabbit {
		rb := hosts[r.Host].(map[string]any)["rabbit"].(map[string]any)
		rb[r.File] = map[string]any{"line": r.Line, "brokers": strs(r.Brokers), "nodes": strs(r.Nodes)}
	}
	return map[string]any{"clusters": clusters, "hosts": hosts, "notes": strs(t.Notes)}
}

// releaseView is a host's release with its evidence: where it came from
// (flag, config, packages, release-file, inferred, default) and why (the
// package and version, the release file line, the options found).
func releaseView(r model.Release) map[string]any {
	return map[string]any{"name": r.Name, "index": r.Index, "source": r.Source, "reason": r.Reason}
}

func pathView(p *DBPath) map[string]any {
	return map[string]any{"host": p.Host, "file": p.File, "group": p.Group, "line": p.Line,
		"endpoint": p.Endpoint, "port": p.Port, "via": p.Via, "listeners": strs(p.Listeners), "nodes": strs(p.Nodes)}
}

func groupView(g *ListenerGroup) map[string]any {
	ls := []any{}
	for _, l := range g.Listeners {
		ls = append(ls, map[string]any{"host": l.Host, "proxy": l.Proxy, "file": l.File, "line": l.Line})
	}
	ss := []any{}
	for _, s := range g.Servers {
		ss = append(ss, map[string]any{"name": s.Name, "addr": s.Addr, "port": s.Port, "backup": s.Backup,
			"host": s.Host, "file": s.File, "line": s.Line, "node": s.Node})
	}
	cl := []any{}
	for _, r := range g.Clients {
		cl = append(cl, map[string]any{"host": r.Host, "file": r.File, "line": r.Line, "group": r.Note})
	}
	return map[string]any{"key": g.Key, "listeners": ls, "servers": ss, "nodes": strs(g.Nodes), "clients": cl}
}

func evView(e Evidence) map[string]any {
	return map[string]any{"file": e.File, "line": e.Line, "why": e.Why}
}

func refView(r Ref) map[string]any {
	return map[string]any{"host": r.Host, "file": r.File, "line": r.Line, "note": r.Note}
}

func strs(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// Partition returns the input document restricted to one cluster: its
// hosts, and the topology of that cluster and its hosts only. Every
// cross-host rule compares inside one cluster, so evaluating each
// partition alone gives the same findings as evaluating the whole
// document (the contract the engine's parallel evaluation relies on).
// Parts shared by all hosts (release, settings) are shared, not copied;
// callers must not modify the result.
func Partition(doc map[string]any, cluster string) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	topo, _ := doc["topology"].(map[string]any)
	c, _ := obj(topo, "clusters")[cluster].(map[string]any)
	allHosts := obj(doc, "hosts")
	allTopo := obj(topo, "hosts")
	hosts := map[string]any{}
	th := map[string]any{}
	for _, n := range anyList(c["hosts"]) {
		name, _ := n.(string)
		hosts[name] = allHosts[name]
		th[name] = allTopo[name]
	}
	out["hosts"] = hosts
	cl := map[string]any{}
	if c != nil {
		cl[cluster] = c
	}
	out["topology"] = map[string]any{"clusters": cl, "hosts": th, "notes": topo["notes"]}
	return out
}

// ClusterNames lists the clusters of an input document, sorted.
func ClusterNames(doc map[string]any) []string {
	cs := obj(doc, "topology", "clusters")
	out := make([]string, 0, len(cs))
	for k := range cs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Partitions is the input document cut into one per cluster of
// input.topology, sorted by cluster name, or the document itself when it
// has fewer than two clusters: every cross-host rule compares hosts of
// one cluster only, so each part can be evaluated alone.
func Partitions(doc map[string]any) []map[string]any {
	names := ClusterNames(doc)
	if len(names) < 2 {
		return []map[string]any{doc}
	}
	out := make([]map[string]any, 0, len(names))
	for _, c := range names {
		out = append(out, Partition(doc, c))
	}
	return out
}
