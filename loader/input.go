package loader

import (
	"runtime"
	"sync"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
	"github.com/oscfg/oscfg/registry"
	"github.com/oscfg/oscfg/topology"
)

// Settings are the rule parameters users may tune (oscfg.ini [settings]).
type Settings struct {
	// BlockDeviceWindowTarget is the boot-from-volume wait (seconds) a site
	// wants nova-compute to allow (OSC-NOVA-001 low tier).
	BlockDeviceWindowTarget int
	// FileModes: "true" when the files' modes are the hosts' own (a live
	// host), "false" when they are not, "" or "auto" to let rules judge.
	FileModes string
	// MySQLServer is oscfg.ini [settings] mysql_server ("mariadb-10.6",
	// "mysql-wsrep-5.6", ...): the server the Galera rules judge by; ""
	// lets the files tell (loader/dbserver.go).
	MySQLServer string
	// Clusters, when set, states the clusters of the hosts it names
	// (--inventory, [clusters] in oscfg.ini); it overrides the nested
	// layout and inference.
	Clusters *topology.Assignment
}

// DefaultSettings are used when oscfg.ini says nothing.
var DefaultSettings = Settings{BlockDeviceWindowTarget: 600}

// Input builds the input document of docs/model.md. It also fills
// fleet.Secrets with every secret value the views masked.
func Input(fleet *model.Fleet, st Settings) map[string]any {
	doc, _ := InputTopology(fleet, st)
	return doc
}

// InputTopology is Input, also returning the topology it computed (once,
// over the whole fleet; see topology.Partition for evaluating by cluster).
func InputTopology(fleet *model.Fleet, st Settings) (map[string]any, *topology.Topology) {
	// Hosts are independent: their views are built on all cores (a third
	// of a 10,000-host lint was this loop on one core).
	list := sortedHosts(fleet)
	built := make([]map[string]any, len(list))
	masked := make([][]string, len(list))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(list)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				built[i], masked[i] = hostInput(list[i], hostRelease(fleet, list[i]), st)
			}
		}()
	}
	for i := range list {
		next <- i
	}
	close(next)
	wg.Wait()
	hosts := make(map[string]any, len(list))
	views := make(map[string]map[string]any, len(list))
	var secrets []string
	for i, h := range list {
		hosts[h.Name], views[h.Name] = built[i], built[i]
		secrets = append(secrets, masked[i]...)
	}
	fleet.Secrets = secrets
	releases := map[string]model.Release{}
	for _, h := range fleet.Hosts {
		releases[h.Name] = hostRelease(fleet, h)
	}
	topo := topology.Compute(views, topology.Options{Release: fleet.Release, Releases: releases, Assign: assignment(fleet, st)})
	return map[string]any{
		"release": map[string]any{
			"name": fleet.Release.Name, "index": fleet.Release.Index, "source": fleet.Release.Source,
			"nova": fleet.Release.Nova(), "keystone": fleet.Release.Keystone(),
		},
		"settings": settingsView(fleet, st),
		"hosts":    hosts,
		"topology": topo.View(),
	}, topo
}

// hostInput is one host's part of input.hosts, with the secret values its
// views masked.
func hostInput(h *model.Host, rel model.Release, st Settings) (map[string]any, []string) {
	files := map[string]any{}
	var hap []*haproxy.Doc
	var cnf []*mycnf.Doc
	var jobs []any
	var secrets []string
	for _, f := range h.Files {
		view, sec := f.Doc.View()
		secrets = append(secrets, sec...)
		view["kind"], view["service"], view["path"], view["source"] = f.Kind, f.Service, f.HostPath, f.Source
		view["mode"] = f.Mode
		view["service_by"] = f.ServiceBy
		// What the rules read beyond a file's own view is each parser's
		// meaning of it (typed options, effective haproxy settings, the
		// merged MariaDB options), not syntax: it is built from the
		// parsers' own types here, not through dialect.
		switch d := f.Doc.(type) {
		case *oslo.Doc:
			view["options"] = optionsView(d, f.Service, rel)
			// Unknown, deprecated and invalid options (nova, keystone);
			// masks what the registry marks secret.
			secrets = append(secrets, registry.Annotate(view, d, f.Service)...)
		case *haproxy.Doc:
			hap = append(hap, d)
		case *mycnf.Doc:
			cnf = append(cnf, d)
		}
		if js, ok := view["jobs"].([]any); ok {
			// Parsers name the file they read (errors point there);
			// the model names it as on the host.
			for _, j := range js {
				if jm, ok := j.(map[string]any); ok {
					jm["file"] = f.HostPath
					jm["tz"] = jobTZ(h.TimeZone, jm)
				}
			}
			jobs = append(jobs, js...)
		}
		files[f.HostPath] = view
	}
	host := map[string]any{"name": h.Name, "files": files, "tz": tzView(h.TimeZone)}
	if len(hap) > 0 {
		// Views name files by host path.
		host["haproxy"] = haproxy.Effective(withHostPaths(h, hap))
	}
	if len(cnf) > 0 {
		m := mycnf.Merge(cnf)
		m["server_version"] = dbServerView(cnf, m, st.MySQLServer, rel)
		host["mysql"] = m
	}
	if jobs == nil {
		jobs = []any{}
	}
	host["cron"] = map[string]any{"jobs": jobs}
	return host, secrets
}

// hostRelease is the host's release (the fleet's for a host built
// without one, as tests and fixers' fleets may be).
func hostRelease(fleet *model.Fleet, h *model.Host) model.Release {
	if h.Release.Name != "" {
		return h.Release
	}
	return fleet.Release
}

// assignment is the user-stated placement: oscfg.ini or --inventory, else
// the nested layout FLEET/<cluster>/<host>; nil means infer.
func assignment(fleet *model.Fleet, st Settings) *topology.Assignment {
	if st.Clusters != nil {
		return st.Clusters
	}
	a := &topology.Assignment{Source: topology.SourceLayout, Origin: "the directory layout", Hosts: map[string]string{}, Where: map[string]topology.Evidence{}}
	for _, h := range fleet.Hosts {
		if h.Cluster != "" {
			a.Hosts[h.Name] = h.Cluster
			a.Where[h.Name] = topology.Evidence{File: h.Root, Why: "directory " + h.Cluster + "/ of the fleet"}
		}
	}
	if len(a.Hosts) == 0 {
		return nil
	}
	return a
}

// withHostPaths returns copies of the haproxy docs whose Path is the host
// path, so effective settings point at /etc/... rather than the disk copy.
func withHostPaths(h *model.Host, docs []*haproxy.Doc) []*haproxy.Doc {
	out := make([]*haproxy.Doc, len(docs))
	for i, d := range docs {
		c := *d
		for _, f := range h.Files {
			if f.Doc == model.Document(d) {
				c.Path = f.HostPath
			}
		}
		out[i] = &c
	}
	return out
}

// settingsView is the "settings" part of the input document.
func settingsView(fleet *model.Fleet, st Settings) map[string]any {
	out := map[string]any{"block_device_window_target": st.BlockDeviceWindowTarget}
	modes := st.FileModes
	if modes == "" || modes == "auto" {
		for _, h := range fleet.Hosts {
			if h.Root == "/" {
				modes = "true" // the live host: modes are real
			}
		}
	}
	switch modes {
	case "true":
		out["file_modes"] = true
	case "false":
		out["file_modes"] = false
	}
	return out
}
