package topology

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
)

// link is an endpoint a host names, with the setting that names it.
type link struct {
	addr string
	// strong links (database endpoints, haproxy binds and servers, Galera
	// membership and node addresses, the host's own name) form clusters;
	// weak ones (rabbit brokers, keystone endpoints) only attach a host no
	// strong link placed, since one keystone is often shared by regions.
	strong bool
	ev     Evidence
}

// Compute derives the topology of the hosts of an input document (host
// name -> host view as in docs/model.md).
func Compute(hosts map[string]map[string]any, opt Options) *Topology {
	t := &Topology{Hosts: map[string]*Host{}, DBAddrs: map[string]map[string][]Ref{}, DBVIPs: map[string][]string{}}
	names := sortedKeys(hosts)
	links := map[string][]link{}
	for _, n := range names {
		h := &Host{Name: n, Roles: map[string]Evidence{}, Files: map[string]FileFacts{}, Release: opt.Release}
		if r, ok := opt.Releases[n]; ok {
			h.Release = r
		}
		hv := hosts[n]
		roles(h, hv)
		h.idents = idents(n, hv)
		links[n] = hostLinks(n, hv)
		t.Hosts[n] = h
	}
	assigned := map[string]bool{}
	if a := opt.Assign; a != nil {
		byCluster := map[string][]string{}
		for _, n := range names {
			if c, ok := a.Hosts[n]; ok {
				byCluster[c] = append(byCluster[c], n)
				assigned[n] = true
				h := t.Hosts[n]
				h.Cluster, h.Source = c, a.Source
				if ev, ok := a.Where[n]; ok {
					h.Placed = append(h.Placed, ev)
				}
			}
		}
		for _, c := range sortedKeys(byCluster) {
			t.Clusters = append(t.Clusters, &Cluster{Name: c, Hosts: byCluster[c], Source: a.Source,
				Reason: fmt.Sprintf("stated by %s", a.Origin)})
		}
		if n := len(names) - len(assigned); n > 0 && len(assigned) > 0 {
			t.Notes = append(t.Notes, fmt.Sprintf("%d host(s) not in %s were placed by their settings", n, a.Origin))
		}
	}
	var rest []string
	for _, n := range names {
		if !assigned[n] {
			rest = append(rest, n)
		}
	}
	t.infer(rest, links, len(t.Clusters) > 0)
	sort.Slice(t.Clusters, func(i, j int) bool { return t.Clusters[i].Name < t.Clusters[j].Name })
	t.dbPaths(hosts)
	t.rabbitPaths(hosts)
	return t
}

// ---------------------------------------------------------------- roles

// Settings of a nova.conf that only controller services read.
var controllerKeys = []string{
	"enabled_apis", "osapi_compute_workers", "metadata_workers",
	"osapi_compute_listen", "osapi_compute_listen_port", "metadata_listen", "metadata_listen_port",
}

// controllerHint is the first setting of a nova.conf that only API,
// conductor or scheduler processes read.
func controllerHint(p string, f map[string]any) (Evidence, bool) {
	for _, k := range controllerKeys {
		if _, line, ok := key(f, "DEFAULT", k); ok {
			return Evidence{p, line, "[DEFAULT] " + k + " (nova API settings)"}, true
		}
	}
	for _, g := range []string{"conductor", "scheduler", "wsgi"} {
		if s := obj(f, "sections", g); s != nil {
			return Evidence{p, model.AsInt(s["line"]), "[" + g + "] (nova controller service)"}, true
		}
	}
	return Evidence{}, false
}

func hypervisor(p string, f map[string]any) (Evidence, bool) {
	if s := obj(f, "sections", "libvirt"); s != nil {
		return Evidence{p, model.AsInt(s["line"]), "[libvirt] (nova-compute hypervisor)"}, true
	}
	if _, line, ok := key(f, "DEFAULT", "compute_driver"); ok {
		return Evidence{p, line, "[DEFAULT] compute_driver (nova-compute)"}, true
	}
	return Evidence{}, false
}

func dbAccess(p string, f map[string]any) (Evidence, bool) {
	for _, g := range []string{"database", "api_database"} {
		if _, line, ok := setOption(f, g, "connection"); ok {
			return Evidence{p, line, "[" + g + "] connection"}, true
		}
	}
	return Evidence{}, false
}

// federationMethods are the keystone auth methods of federated logins
// (keystone/auth/plugins/mapped.py serves all three; kolla-ansible's
// keystone.conf.j2 sets "methods = password,token,openid,application_credential"
// with enable_keystone_federation).
var federationMethods = []string{"openid", "saml2", "mapped"}

// federation: a keystone.conf that enables federation. Only an [auth]
// methods list the file sets counts, since keystone's default list
// (keystone/conf/constants.py _DEFAULT_AUTH_METHODS) names mapped on every
// deployment; and a [federation], [openid] or [saml2] section only with a
// key set, since a file grown from keystone.conf.sample has every header
// with its options commented out.
func federation(p string, f map[string]any) (Evidence, bool) {
	if v, line, ok := key(f, "auth", "methods"); ok {
		for _, m := range strings.Split(v, ",") {
			m = strings.ToLower(strings.TrimSpace(m))
			for _, fm := range federationMethods {
				if m == fm {
					return Evidence{p, line, "[auth] methods includes " + fm}, true
				}
			}
		}
	}
	for _, g := range []string{"federation", "openid", "saml2"} {
		keys := obj(f, "sections", g, "keys")
		if len(keys) == 0 {
			continue
		}
		best, bestLine := "", 0
		for _, k := range sortedKeys(keys) {
			if l := model.AsInt(obj(keys, k)["line"]); best == "" || l < bestLine {
				best, bestLine = k, l
			}
		}
		return Evidence{p, bestLine, "[" + g + "] " + best}, true
	}
	return Evidence{}, false
}

// roles fills a host's roles and per-file facts from its views.
func roles(h *Host, hv map[string]any) {
	files := obj(hv, "files")
	set := func(role string, ev Evidence) {
		if _, ok := h.Roles[role]; !ok {
			h.Roles[role] = ev
		}
	}
	for _, p := range sortedKeys(files) {
		f := obj(files, p)
		if str(f, "kind") != model.KindOslo {
			continue
		}
		svc := str(f, "service")
		hyp, hypOK := hypervisor(p, f)
		hint, hintOK := controllerHint(p, f)
		_, dbOK := dbAccess(p, f)
		ff := FileFacts{Role: "node", DBAccess: dbOK}
		if svc == "nova" {
			ff.Hypervisor = hypOK
			// A compute node with stray database credentials (OSC-DB-005)
			// stays a compute: only controller settings make it one.
			switch {
			case hypOK && !hintOK:
				ff.Role = RoleCompute
				set(RoleCompute, hyp)
			case hintOK:
				ff.Role = RoleController
				set(RoleController, hint)
			case dbOK:
				// The file is a controller's, but database credentials
				// alone do not make the host one: a compute with stray
				// credentials in nova.conf and its hypervisor settings in
				// nova-compute.conf (Debian) is still a compute.
				ff.Role = RoleController
			}
		}
		h.Files[p] = ff
		// Other services' database access does not make a controller: a
		// compute's neutron agent may carry stray credentials too.
		if svc == "keystone" {
			set(RoleController, Evidence{p, 1, "keystone.conf (keystone runs on controllers)"})
			if ev, ok := federation(p, f); ok {
				ff.Federation = &ev
				h.Files[p] = ff
			}
		}
	}
	if srv := obj(hv, "mysql", "server"); len(srv) > 0 {
		ev := Evidence{firstMySQLFile(hv), 1, "MariaDB server options"}
		for _, k := range []string{"wsrep_provider", "bind_address", "wsrep_cluster_address"} {
			if o := obj(srv, k); o != nil {
				ev = Evidence{str(o, "file"), model.AsInt(o["line"]), k + " (MariaDB server options)"}
				break
			}
		}
		set(RoleDB, ev)
		if o := obj(srv, "wsrep_provider"); o != nil {
			if v := strings.ToLower(strings.TrimSpace(str(o, "value"))); v != "" && v != "none" {
				h.Galera = &Evidence{str(o, "file"), model.AsInt(o["line"]), "wsrep_provider = " + strings.TrimSpace(str(o, "value"))}
			}
		}
	}
	pxs := obj(hv, "haproxy", "proxies")
	for _, name := range sortedKeys(pxs) {
		px := obj(pxs, name)
		set(RoleLB, Evidence{str(px, "file"), model.AsInt(px["line"]), fmt.Sprintf("haproxy %s %s", str(px, "type"), str(px, "name"))})
		break
	}
}

func firstMySQLFile(hv map[string]any) string {
	if fs, ok := obj(hv, "mysql")["files"].([]any); ok && len(fs) > 0 {
		s, _ := fs[0].(string)
		return s
	}
	return ""
}

// ---------------------------------------------------------------- identities and links

// idents are the names and addresses a host answers to: its name (and
// short name), its MariaDB bind and node addresses, nova's my_ip.
func idents(name string, hv map[string]any) []string {
	out := []string{strings.ToLower(name)}
	if short, ok := shortName(name); ok {
		out = append(out, short)
	}
	srv := obj(hv, "mysql", "server")
	for _, k := range []string{"bind_address", "wsrep_node_address", "wsrep_node_incoming_address", "wsrep_node_name"} {
		if o := obj(srv, k); o != nil {
			if a := addrOnly(str(o, "value")); !Unspecified(a) {
				out = append(out, a)
			}
		}
	}
	files := obj(hv, "files")
	for _, p := range sortedKeys(files) {
		if v, _, ok := key(obj(files, p), "DEFAULT", "my_ip"); ok && !Unspecified(v) {
			out = append(out, strings.ToLower(strings.TrimSpace(v)))
		}
	}
	return out
}

// shortName is the first label of a host's FQDN (ctl1 of
// ctl1.region1.example); an IP address has none.
func shortName(name string) (string, bool) {
	short, _, ok := strings.Cut(strings.ToLower(name), ".")
	if !ok || short == "" || strings.Trim(short, "0123456789") == "" || strings.Contains(name, ":") {
		return "", false
	}
	return short, true
}

// hostLinks lists the endpoints a host's settings name.
func hostLinks(name string, hv map[string]any) []link {
	var out []link
	add := func(addr string, strong bool, file string, line int, why string) {
		addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "[]"))
		if Unspecified(addr) {
			return
		}
		out = append(out, link{addr, strong, Evidence{file, line, why}})
	}
	add(name, true, "", 0, "the host's name")
	if short, ok := shortName(name); ok {
		add(short, true, "", 0, "the host's short name")
	}
	srv := obj(hv, "mysql", "server")
	// Not wsrep_node_name: it is a label each Galera cluster picks (db1,
	// db2, ...), the same in every region, not an endpoint.
	for _, k := range []string{"bind_address", "wsrep_node_address"} {
		if o := obj(srv, k); o != nil {
			add(addrOnly(str(o, "value")), true, str(o, "file"), model.AsInt(o["line"]), k+" = "+str(o, "value"))
		}
	}
	if o := obj(srv, "wsrep_cluster_address"); o != nil {
		for _, m := range GcommMembers(str(o, "value")) {
			add(m, true, str(o, "file"), model.AsInt(o["line"]), "wsrep_cluster_address member "+m)
		}
	}
	pxs := obj(hv, "haproxy", "proxies")
	for _, n := range sortedKeys(pxs) {
		px := obj(pxs, n)
		for _, b := range list(px["binds"]) {
			add(str(b, "addr"), true, str(b, "file"), model.AsInt(b["line"]), fmt.Sprintf("haproxy %s bind %s:%d", str(px, "name"), str(b, "addr"), model.AsInt(b["port"])))
		}
		for _, s := range list(px["servers"]) {
			add(str(s, "addr"), true, str(s, "file"), model.AsInt(s["line"]), fmt.Sprintf("haproxy %s server %s %s:%d", str(px, "name"), str(s, "name"), str(s, "addr"), model.AsInt(s["port"])))
		}
	}
	files := obj(hv, "files")
	for _, p := range sortedKeys(files) {
		f := obj(files, p)
		if str(f, "kind") != model.KindOslo {
			continue
		}
		if v, line, ok := key(f, "DEFAULT", "my_ip"); ok {
			add(v, true, p, line, "[DEFAULT] my_ip = "+v)
		}
		for _, g := range []string{"database", "api_database"} {
			for _, k := range []string{"connection", "slave_connection"} {
				if v, line, ok := setOption(f, g, k); ok {
					for _, hp := range URLHosts(v, 3306) {
						add(hp[0], true, p, line, fmt.Sprintf("[%s] %s host %s", g, k, hp[0]))
					}
				}
			}
		}
		if v, line, ok := key(f, "DEFAULT", "transport_url"); ok {
			for _, hp := range URLHosts(v, 5672) {
				add(hp[0], false, p, line, "[DEFAULT] transport_url broker "+hp[0])
			}
		}
		for _, k := range []string{"www_authenticate_uri", "auth_uri", "auth_url"} {
			if v, line, ok := key(f, "keystone_authtoken", k); ok {
				for _, hp := range URLHosts(v, 5000) {
					add(hp[0], false, p, line, "[keystone_authtoken] "+k+" host "+hp[0])
				}
			}
		}
	}
	return out
}

// ---------------------------------------------------------------- union-find

type unionFind map[string]string

func (u unionFind) find(x string) string {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u[rb] = ra
}

// infer places hosts by the endpoints they share. others tells that
// clusters were stated for other hosts (then no host is merged into one
// catch-all cluster).
func (t *Topology) infer(names []string, links map[string][]link, others bool) {
	if len(names) == 0 {
		return
	}
	uf := unionFind{}
	owner := map[string]string{} // strong address -> first host naming it
	ownerEv := map[string]Evidence{}
	for _, n := range names {
		uf[n] = n
	}
	// why[n] is the first setting that linked n to another host.
	why := map[string][]Evidence{}
	linked := map[string]bool{}
	for _, n := range names {
		for _, l := range links[n] {
			if !l.strong {
				continue
			}
			o, ok := owner[l.addr]
			if !ok {
				owner[l.addr], ownerEv[l.addr] = n, l.ev
				continue
			}
			if o == n {
				continue
			}
			if uf.find(o) != uf.find(n) {
				uf.union(o, n)
			}
			for _, x := range []struct {
				h  string
				ev Evidence
			}{{n, l.ev}, {o, ownerEv[l.addr]}} {
				linked[x.h] = true
				if x.ev.File != "" && len(why[x.h]) < 3 && !hasEv(why[x.h], x.ev) {
					why[x.h] = append(why[x.h], x.ev)
				}
			}
		}
	}
	// Endpoints of the components that strong links formed.
	size := map[string]int{}
	for _, n := range names {
		size[uf.find(n)]++
	}
	// Weak links: a host no strong link placed joins the component that
	// owns its rabbit broker, else its keystone endpoint; hosts that share
	// only weak endpoints (computes of a region not in the fleet) join each
	// other.
	weakOwner := map[string]string{}
	for _, n := range names {
		if size[uf.find(n)] > 1 {
			continue
		}
		for _, kind := range []string{"transport_url", "keystone_authtoken"} {
			var target string
			var ev Evidence
			ambiguous := false
			for _, l := range links[n] {
				if l.strong || !strings.Contains(l.ev.Why, kind) {
					continue
				}
				o, ok := owner[l.addr]
				if !ok || uf.find(o) == uf.find(n) {
					continue
				}
				if target != "" && uf.find(o) != uf.find(target) {
					ambiguous = true
				}
				if target == "" {
					target, ev = o, l.ev
				}
			}
			if target != "" {
				uf.union(target, n)
				linked[n], linked[target] = true, true
				why[n] = append(why[n], ev)
				if ambiguous {
					t.Notes = append(t.Notes, fmt.Sprintf("%s names endpoints of several clusters in %s; placed by %s:%d", n, kind, ev.File, ev.Line))
				}
				break
			}
		}
	}
	for _, n := range names {
		if size[uf.find(n)] > 1 || linked[n] {
			continue
		}
		for _, l := range links[n] {
			if l.strong {
				continue
			}
			if o, ok := weakOwner[l.addr]; ok && o != n {
				uf.union(o, n)
				linked[n], linked[o] = true, true
				why[n] = append(why[n], l.ev)
				break
			}
			weakOwner[l.addr] = n
		}
	}
	comps := map[string][]string{}
	for _, n := range names {
		r := uf.find(n)
		comps[r] = append(comps[r], n)
	}
	multi := 0
	for _, c := range comps {
		if len(c) > 1 {
			multi++
		}
	}
	// With at most one group of linked hosts nothing separates the fleet:
	// every host is one deployment, as oscfg assumed before it knew
	// clusters. With two or more, a host linked to none stands alone.
	if multi <= 1 && !others {
		all := append([]string(nil), names...)
		c := &Cluster{Hosts: all, Source: SourceInferred}
		c.Reason = "the hosts share endpoints"
		if len(comps) > 1 {
			c.Guessed = true
			c.Reason = "no shared endpoint separates the hosts, so they are taken as one deployment"
			var alone []string
			for _, n := range names {
				if !linked[n] {
					alone = append(alone, n)
				}
			}
			if len(names) > 1 {
				t.Notes = append(t.Notes, fmt.Sprintf("%d host(s) share no endpoint with the others (%s); all taken as one cluster (state clusters with --inventory, FLEET/<cluster>/<host> or [clusters] in oscfg.ini)", len(alone), short(alone)))
			}
		}
		t.addInferred(c, why, links)
		return
	}
	var alone []string
	for _, r := range sortedKeys(comps) {
		hs := comps[r]
		c := &Cluster{Hosts: hs, Source: SourceInferred, Reason: "the hosts share endpoints"}
		if len(hs) == 1 {
			c.Guessed = true
			c.Reason = "shares no endpoint with any other host"
			alone = append(alone, hs[0])
		}
		t.addInferred(c, why, links)
	}
	if len(alone) > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d host(s) share no endpoint with any other and form clusters of their own (%s)", len(alone), short(alone)))
	}
}

func hasEv(l []Evidence, e Evidence) bool {
	for _, x := range l {
		if x == e {
			return true
		}
	}
	return false
}

func short(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

// addInferred names an inferred cluster and records its hosts' placement.
func (t *Topology) addInferred(c *Cluster, why map[string][]Evidence, links map[string][]link) {
	sort.Strings(c.Hosts)
	// Endpoints named by more than one host of the cluster.
	count := map[string]map[string]bool{}
	dbEP := map[string]int{}
	for _, n := range c.Hosts {
		for _, l := range links[n] {
			if count[l.addr] == nil {
				count[l.addr] = map[string]bool{}
			}
			count[l.addr][n] = true
			if strings.Contains(l.ev.Why, "] connection host ") {
				dbEP[l.addr]++
			}
		}
	}
	for _, a := range sortedKeys(count) {
		if len(count[a]) > 1 {
			c.Endpoints = append(c.Endpoints, a)
		}
	}
	// A name that does not change as hosts come and go (baselines key
	// cluster findings on it): the database endpoint most services use,
	// else the first host.
	best, bn := "", 0
	for _, a := range sortedKeys(dbEP) {
		if dbEP[a] > bn {
			best, bn = a, dbEP[a]
		}
	}
	name := best
	if name == "" {
		name = c.Hosts[0]
	}
	for i, n := 2, name; ; i++ {
		if t.Cluster(n) == nil {
			name = n
			break
		}
		n = fmt.Sprintf("%s#%d", name, i)
	}
	c.Name = name
	for _, n := range c.Hosts {
		h := t.Hosts[n]
		h.Cluster, h.Source = name, SourceInferred
		h.Placed = append(h.Placed, why[n]...)
	}
	t.Clusters = append(t.Clusters, c)
}
