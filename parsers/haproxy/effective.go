package haproxy

import (
	"fmt"
	"maps"
	"sort"
	"strings"
)

// setting is one directive that set a value, and where it came from.
type setting struct {
	d         *Directive
	file      string
	inherited bool
}

func (s *setting) view(extra map[string]any) map[string]any {
	m := map[string]any{"file": s.file, "line": s.d.Line, "inherited": s.inherited}
	if len(s.d.Cond) > 0 {
		m["cond"] = s.d.Cond
	}
	maps.Copy(m, extra)
	return m
}

// values is what a defaults section hands down and a proxy may override.
type values struct {
	mode, balance, hashType, defaultBackend *setting
	timeouts                                map[string]*setting
	options                                 map[string]*setting
}

func newValues() *values {
	return &values{timeouts: map[string]*setting{}, options: map[string]*setting{}}
}

// inherit copies v for a section that uses it as its defaults.
func (v *values) inherit() *values {
	out := newValues()
	mark := func(s *setting) *setting {
		if s == nil {
			return nil
		}
		c := *s
		c.inherited = true
		return &c
	}
	out.mode, out.balance, out.hashType, out.defaultBackend = mark(v.mode), mark(v.balance), mark(v.hashType), mark(v.defaultBackend)
	for k, s := range v.timeouts {
		out.timeouts[k] = mark(s)
	}
	for k, s := range v.options {
		out.options[k] = mark(s)
	}
	return out
}

// httpModes are the options that choose one HTTP connection mode: enabling
// one replaces the others, as in haproxy (they share one mode field).
var httpModes = []string{"httpclose", "http-server-close", "http-keep-alive", "forceclose", "http-tunnel"}

// apply records the effect of one directive on the values.
func (v *values) apply(d *Directive, file string) {
	s := &setting{d: d, file: file}
	arg := func(i int) string {
		if i < len(d.Args) {
			return d.Args[i]
		}
		return ""
	}
	switch d.Keyword {
	case "mode":
		v.mode = s
	case "balance":
		v.balance = s
	case "hash-type":
		v.hashType = s
	case "default_backend":
		v.defaultBackend = s
	case "timeout":
		if arg(0) != "" {
			v.timeouts[arg(0)] = s
		}
	case "option":
		name := arg(0)
		if name == "" {
			return
		}
		if d.Prefix == "default" { // back to haproxy's built-in default
			delete(v.options, name)
			return
		}
		if !d.Negated && contains(httpModes, name) {
			for _, m := range httpModes {
				delete(v.options, m)
			}
		}
		v.options[name] = s
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Effective builds the host-level "haproxy" view of docs/model.md from the
// host's files in load order (haproxy.cfg, then services.d/*.cfg): every
// frontend, backend and listen with its defaults applied. As in haproxy, a
// proxy takes the last defaults section read before it (in any earlier
// file) unless it names one with "from", and each defaults section starts
// afresh unless it names one with "from" itself.
func Effective(docs []*Doc) map[string]any {
	var (
		last    *values // the last defaults section read
		lastNm  string
		haveDef bool
		named   = map[string]*values{}
		list    []map[string]any
	)
	for _, doc := range docs {
		for _, sec := range doc.Sections {
			switch sec.Type {
			case "defaults":
				v := newValues()
				if sec.From != "" && named[sec.From] != nil {
					v = named[sec.From].inherit()
				}
				for _, d := range sec.Directives {
					v.apply(d, doc.Path)
				}
				last, lastNm, haveDef = v, sec.Name, true
				if sec.Name != "" {
					named[sec.Name] = v
				}
			case "frontend", "backend", "listen":
				var base *values
				px := map[string]any{}
				switch {
				case sec.From != "":
					px["defaults"] = sec.From
					base = named[sec.From]
					if base == nil {
						px["defaults_missing"] = true
					}
				case haveDef:
					px["defaults"], base = lastNm, last
				}
				v := newValues()
				if base != nil {
					v = base.inherit()
				}
				for _, d := range sec.Directives {
					v.apply(d, doc.Path)
				}
				proxyView(px, sec, doc.Path, v)
				list = append(list, px)
			}
		}
	}
	classifyFrontends(list)
	classifyInContext(list)
	return map[string]any{"proxies": keyProxies(list)}
}

// proxyView fills px with the proxy's effective settings and own lines.
func proxyView(px map[string]any, sec *Section, file string, v *values) {
	px["name"], px["type"], px["file"], px["line"] = sec.Name, sec.Type, file, sec.Line
	if v.mode != nil {
		px["mode"] = v.mode.view(map[string]any{"value": firstArg(v.mode.d)})
	}
	if v.balance != nil {
		px["balance"] = v.balance.view(map[string]any{"value": firstArg(v.balance.d), "args": restArgs(v.balance.d)})
	}
	if v.hashType != nil {
		px["hash_type"] = v.hashType.view(map[string]any{"value": firstArg(v.hashType.d), "args": restArgs(v.hashType.d)})
	}
	if v.defaultBackend != nil {
		px["default_backend"] = firstArg(v.defaultBackend.d)
	}
	timeouts := map[string]any{}
	for name, s := range v.timeouts {
		raw := ""
		if len(s.d.Args) > 1 {
			raw = s.d.Args[1]
		}
		var ms any
		// A variable's value is unknown here: no ms for it.
		if n, ok := ParseTime(raw); ok && !argWord(s.d, 1).Env {
			ms = n
		}
		timeouts[name] = s.view(map[string]any{"ms": ms, "raw": raw})
	}
	px["timeouts"] = timeouts
	options := map[string]any{}
	for name, s := range v.options {
		extra := map[string]any{"enabled": !s.d.Negated}
		if a := restArgs(s.d); len(a) > 0 {
			extra["args"] = a
		}
		options[name] = s.view(extra)
	}
	px["options"] = options

	binds, servers, useBackends, dirs := []any{}, []any{}, []string{}, []any{}
	var bindPorts, serverPorts []int
	stats := false
	addBinds := func(list string, line int) {
		for _, a := range strings.Split(list, ",") {
			host, port := splitAddr(a)
			binds = append(binds, map[string]any{"addr": host, "port": port, "line": line, "file": file})
			bindPorts = append(bindPorts, port)
		}
	}
	// "listen NAME ADDR:PORT" is the 1.x form of a bind on the header line.
	if h := sec.Header; h != nil && sec.Type != "backend" && len(h.Args) > 1 && h.Args[1] != "from" {
		addBinds(h.Args[1], sec.Line)
	}
	for _, d := range sec.Directives {
		args, _ := maskArgs(sec.Type, d, noRaw)
		dv := directiveView(d, args)
		dv["file"] = file
		dirs = append(dirs, dv)
		if d.Prefix != "" {
			continue
		}
		switch d.Keyword {
		case "bind":
			if len(d.Args) > 0 {
				addBinds(d.Args[0], d.Line)
			}
		case "server":
			servers = append(servers, serverView(d, file))
			if len(d.Args) > 1 {
				_, p := splitAddr(d.Args[1])
				serverPorts = append(serverPorts, p)
			}
		case "stats":
			if len(d.Args) > 0 && (d.Args[0] == "enable" || d.Args[0] == "uri") {
				stats = true
			}
		case "use_backend":
			if len(d.Args) > 0 {
				useBackends = append(useBackends, d.Args[0])
			}
		case "stick":
			if len(d.Args) > 1 && d.Args[0] == "on" {
				px["stick_on"] = d.Args[1]
			}
		}
	}
	px["binds"], px["servers"], px["use_backends"], px["directives"] = binds, servers, useBackends, dirs
	px["ports"] = uniquePorts(append(append([]int{}, bindPorts...), serverPorts...))
	setClass(px, Classify(sec.Name, uniquePorts(bindPorts), uniquePorts(serverPorts), stats))
}

// setClass records a classification in the proxy view (docs/model.md).
func setClass(px map[string]any, c Classification) {
	px["service"], px["role"] = c.Service, c.Role
	delete(px, "service_port")
	delete(px, "name_service")
	px["service_by"] = c.By
	if c.By == "port" {
		px["service_port"] = c.Port
	}
	if c.NameService != "" {
		px["name_service"] = c.NameService
	}
}

func serverView(d *Directive, file string) map[string]any {
	name, addr, port := "", "", 0
	params := []string{}
	if len(d.Args) > 0 {
		name = d.Args[0]
	}
	if len(d.Args) > 1 {
		addr, port = splitAddr(d.Args[1])
		params = append(params, d.Args[2:]...)
	}
	return map[string]any{
		"name": name, "addr": addr, "port": port,
		"check": contains(params, "check"), "backup": contains(params, "backup"),
		"params": params, "line": d.Line, "file": file,
	}
}

// argWord is the Word of Args[i].
func argWord(d *Directive, i int) Word {
	return d.Words[len(d.Words)-len(d.Args)+i]
}

func firstArg(d *Directive) string {
	if len(d.Args) > 0 {
		return d.Args[0]
	}
	return ""
}

func restArgs(d *Directive) []string {
	if len(d.Args) > 1 {
		return append([]string{}, d.Args[1:]...)
	}
	return []string{}
}

func uniquePorts(ps []int) []int {
	out := []int{}
	seen := map[int]bool{}
	for _, p := range ps {
		if p > 0 && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Ints(out)
	return out
}

// classifyFrontends: a frontend has no server ports of its own, so unless
// one of its bind ports names a service, the service of its default
// backend (decided by that backend's ports or name) comes before the
// frontend's own name: "public_https" or a misnamed "nova_api_front" in
// front of "glance_back" serves what glance_back serves.
func classifyFrontends(list []map[string]any) {
	byName := map[string]map[string]any{}
	for _, px := range list {
		if px["type"] != "frontend" {
			if _, dup := byName[px["name"].(string)]; !dup {
				byName[px["name"].(string)] = px
			}
		}
	}
	for _, px := range list {
		if px["type"] != "frontend" {
			continue
		}
		if px["service_by"] == "port" && !genericPorts[px["service_port"].(int)] {
			continue
		}
		be, _ := px["default_backend"].(string)
		b := byName[be]
		if b == nil || b["service"] == "" {
			continue
		}
		c := Classification{Service: b["service"].(string), Role: b["role"].(string), By: "backend"}
		if n := serviceFromName(px["name"].(string)); n != "" && n != c.Service {
			c.NameService = n
		}
		setClass(px, c)
		px["service_backend"] = be
	}
}

// keyProxies keys proxies by name. haproxy lets a frontend and a backend
// share a name; then both are keyed "type/name" ('/' cannot occur in a
// proxy name), and any further clash gets "#n".
func keyProxies(list []map[string]any) map[string]any {
	count := map[string]int{}
	for _, px := range list {
		count[px["name"].(string)]++
	}
	out := map[string]any{}
	for _, px := range list {
		key := px["name"].(string)
		if count[key] > 1 {
			key = px["type"].(string) + "/" + key
		}
		for n, k := 2, key; ; n++ {
			if _, taken := out[k]; !taken {
				key = k
				break
			}
			k = fmt.Sprintf("%s#%d", key, n)
		}
		out[key] = px
	}
	return out
}

// webPorts are the services' ports that any web server or proxy also
// uses (80, 443, and the usual alternates 8000 and 8080: heat-api-cfn's
// and swift-proxy's by registration, and the default of countless other
// HTTP servers). They name an OpenStack service only in a configuration
// that fronts OpenStack.
var webPorts = map[int]bool{80: true, 443: true, 8000: true, 8080: true}

// openstack: a proxy whose classification shows the configuration fronts
// OpenStack: an OpenStack API, console or dashboard decided by its name or
// by a port no other software registers. (A frontend that took its default
// backend's service shows nothing the backend does not.)
func openstack(px map[string]any) bool {
	switch px["role"] {
	case "api", "console", "dashboard":
	default:
		return false
	}
	if px["service"] == "rabbitmq-management" {
		return false
	}
	switch px["service_by"] {
	case "name":
		return true
	case "port":
		p, _ := px["service_port"].(int)
		return !webPorts[p]
	}
	return false
}

// classifyInContext: in a configuration with no proxy that is OpenStack's
// by name or by a port of its own (a generic web proxy, haproxy's own
// examples), a proxy classified only by a web port (80, 443, 8000, 8080)
// is not taken for horizon, heat-api-cfn or swift: it becomes "other",
// with service_note saying so.
func classifyInContext(list []map[string]any) {
	for _, px := range list {
		if openstack(px) {
			return
		}
	}
	reset := map[string]bool{}
	for _, px := range list {
		p, _ := px["service_port"].(int)
		if px["service_by"] != "port" || !webPorts[p] {
			continue
		}
		if px["type"] != "frontend" {
			reset[px["name"].(string)] = true
		}
		px["service_note"] = fmt.Sprintf("port %d is %s's, but no proxy of this haproxy configuration is OpenStack's by its name or a port of its own", p, px["service"])
		setClass(px, Classification{Role: "other", NameService: serviceFromName(px["name"].(string))})
	}
	// Frontends that took the service of a backend reset above.
	for _, px := range list {
		be, _ := px["service_backend"].(string)
		if px["service_by"] != "backend" || !reset[be] {
			continue
		}
		px["service_note"] = fmt.Sprintf("its default backend %s looked like %s only by a web port, and no proxy of this haproxy configuration is OpenStack's by its name or a port of its own", be, px["service"])
		setClass(px, Classification{Role: "other", NameService: serviceFromName(px["name"].(string))})
		delete(px, "service_backend")
	}
}
