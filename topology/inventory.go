package topology

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Inventory is an Ansible inventory reduced to what placing hosts needs:
// groups, their hosts and child groups, each with the line it is on.
type Inventory struct {
	File     string
	Groups   map[string]*Group
	TopLevel []string // children of all (YAML), or groups no group lists as a child (INI)
}

// Group is one inventory group.
type Group struct {
	Name     string
	Line     int
	Hosts    map[string]InvHost
	Children []string
}

// InvHost is a host line of a group.
type InvHost struct {
	Name        string
	AnsibleHost string // ansible_host=, when given
	Line        int
}

// ReadInventory reads an Ansible inventory in INI or YAML form (YAML when
// the file name ends in .yml/.yaml or its first word is "all:").
func ReadInventory(file string) (*Inventory, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--inventory: %v", err)
	}
	ext := strings.ToLower(filepath.Ext(file))
	if ext == ".yml" || ext == ".yaml" || bytes.HasPrefix(bytes.TrimSpace(data), []byte("all:")) {
		return parseYAMLInventory(file, data)
	}
	return parseINIInventory(file, data)
}

func (inv *Inventory) group(name string, line int) *Group {
	g := inv.Groups[name]
	if g == nil {
		g = &Group{Name: name, Line: line, Hosts: map[string]InvHost{}}
		inv.Groups[name] = g
	}
	return g
}

// parseINIInventory reads [group], [group:children] and [group:vars]
// sections; a host line's first word is the host, ansible_host= its address.
func parseINIInventory(file string, data []byte) (*Inventory, error) {
	inv := &Inventory{File: file, Groups: map[string]*Group{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	cur, kind := "ungrouped", ""
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("%s:%d: section header without ]", file, n)
			}
			name := strings.TrimSpace(line[1:end])
			cur, kind = name, ""
			if i := strings.IndexByte(name, ':'); i >= 0 {
				cur, kind = name[:i], name[i+1:]
				if kind != "children" && kind != "vars" {
					return nil, fmt.Errorf("%s:%d: [%s]: unknown section kind %q (want :children or :vars)", file, n, name, kind)
				}
			}
			if cur == "" {
				return nil, fmt.Errorf("%s:%d: empty group name", file, n)
			}
			inv.group(cur, n)
			continue
		}
		word := strings.Fields(line)[0]
		switch kind {
		case "vars":
		case "children":
			g := inv.group(cur, n)
			g.Children = append(g.Children, word)
			inv.group(word, n)
		default:
			h := InvHost{Name: word, Line: n}
			for _, f := range strings.Fields(line)[1:] {
				if v, ok := strings.CutPrefix(f, "ansible_host="); ok {
					h.AnsibleHost = strings.Trim(v, `"'`)
				}
			}
			inv.group(cur, n).Hosts[word] = h
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	child := map[string]bool{}
	for _, g := range inv.Groups {
		for _, c := range g.Children {
			child[c] = true
		}
	}
	for name, g := range inv.Groups {
		if name == "all" {
			inv.TopLevel = append(inv.TopLevel, g.Children...)
			continue
		}
		if !child[name] && name != "ungrouped" {
			inv.TopLevel = append(inv.TopLevel, name)
		}
	}
	inv.TopLevel = uniqSorted(inv.TopLevel)
	return inv, nil
}

// parseYAMLInventory reads all: {hosts:, children: {group: {hosts:, children:}}}.
func parseYAMLInventory(file string, data []byte) (*Inventory, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	inv := &Inventory{File: file, Groups: map[string]*Group{}}
	if len(root.Content) == 0 {
		return inv, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: an inventory is a mapping of groups", file, doc.Line)
	}
	var walk func(name string, n *yaml.Node, line int) error
	walk = func(name string, n *yaml.Node, line int) error {
		g := inv.group(name, line)
		if n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || n.Value == "") {
			return nil
		}
		if n.Kind != yaml.MappingNode {
			return fmt.Errorf("%s:%d: group %s: want a mapping (hosts:, children:, vars:)", file, n.Line, name)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "hosts":
				if v.Kind != yaml.MappingNode {
					continue
				}
				for j := 0; j+1 < len(v.Content); j += 2 {
					h := InvHost{Name: v.Content[j].Value, Line: v.Content[j].Line}
					if vars := v.Content[j+1]; vars.Kind == yaml.MappingNode {
						for x := 0; x+1 < len(vars.Content); x += 2 {
							if vars.Content[x].Value == "ansible_host" {
								h.AnsibleHost = vars.Content[x+1].Value
							}
						}
					}
					g.Hosts[h.Name] = h
				}
			case "children":
				if v.Kind != yaml.MappingNode {
					continue
				}
				for j := 0; j+1 < len(v.Content); j += 2 {
					c := v.Content[j].Value
					g.Children = append(g.Children, c)
					if err := walk(c, v.Content[j+1], v.Content[j].Line); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		name := doc.Content[i].Value
		if err := walk(name, doc.Content[i+1], doc.Content[i].Line); err != nil {
			return nil, err
		}
		if name != "all" {
			inv.TopLevel = append(inv.TopLevel, name)
		}
	}
	if all := inv.Groups["all"]; all != nil {
		inv.TopLevel = append(inv.TopLevel, all.Children...)
	}
	inv.TopLevel = uniqSorted(inv.TopLevel)
	return inv, nil
}

func uniqSorted(l []string) []string {
	sort.Strings(l)
	out := l[:0]
	for i, s := range l {
		if i == 0 || s != l[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// members are the hosts of a group and of its children, recursively.
func (inv *Inventory) members(name string, seen map[string]bool) map[string]InvHost {
	out := map[string]InvHost{}
	if seen[name] {
		return out
	}
	seen[name] = true
	g := inv.Groups[name]
	if g == nil {
		return out
	}
	for n, h := range g.Hosts {
		out[n] = h
	}
	for _, c := range g.Children {
		for n, h := range inv.members(c, seen) {
			if _, ok := out[n]; !ok {
				out[n] = h
			}
		}
	}
	return out
}

// Assign places the fleet's hosts by the inventory. Clusters are the
// groups whose names match pattern (a glob, e.g. "region*"); without one,
// the top-level groups (children of all) when each host is in exactly one
// of them, as in a multi-region inventory; otherwise (kolla-ansible's and
// openstack-ansible's groups name roles: control, compute, galera_all, ...)
// the whole file is one cluster, named after it. A fleet host matches an
// inventory host by name, short name or ansible_host.
func (inv *Inventory) Assign(fleetHosts []string, pattern string) (*Assignment, error) {
	var clusters []string
	switch {
	case pattern != "":
		if _, err := path.Match(pattern, ""); err != nil {
			return nil, fmt.Errorf("--cluster-group %q: %v", pattern, err)
		}
		for name := range inv.Groups {
			if ok, _ := path.Match(pattern, name); ok && name != "all" {
				clusters = append(clusters, name)
			}
		}
		sort.Strings(clusters)
		if len(clusters) == 0 {
			return nil, fmt.Errorf("%s: no group matches --cluster-group %q", inv.File, pattern)
		}
	default:
		clusters = inv.TopLevel
		if !inv.disjoint(clusters) || len(clusters) == 0 {
			base := strings.TrimSuffix(filepath.Base(inv.File), filepath.Ext(inv.File))
			a := inv.newAssignment()
			for _, n := range fleetHosts {
				if h, ok := inv.find(n, inv.allHosts()); ok {
					a.Hosts[n] = base
					a.Where[n] = Evidence{File: inv.File, Line: h.Line, Why: fmt.Sprintf("in %s (its groups name roles, not clusters: one cluster)", filepath.Base(inv.File))}
				}
			}
			return a, nil
		}
	}
	a := inv.newAssignment()
	placedBy := map[string]string{}
	for _, c := range clusters {
		mem := inv.members(c, map[string]bool{})
		for _, n := range fleetHosts {
			h, ok := inv.find(n, mem)
			if !ok {
				continue
			}
			if prev, dup := placedBy[n]; dup && prev != c {
				return nil, fmt.Errorf("%s:%d: host %s is in cluster groups %s and %s; pick the groups that are clusters with --cluster-group", inv.File, h.Line, n, prev, c)
			}
			placedBy[n] = c
			a.Hosts[n] = c
			a.Where[n] = Evidence{File: inv.File, Line: h.Line, Why: "inventory group " + c}
		}
	}
	return a, nil
}

func (inv *Inventory) newAssignment() *Assignment {
	return &Assignment{Source: SourceInventory, Origin: inv.File, Hosts: map[string]string{}, Where: map[string]Evidence{}}
}

func (inv *Inventory) allHosts() map[string]InvHost {
	out := map[string]InvHost{}
	for _, g := range inv.Groups {
		for n, h := range g.Hosts {
			if _, ok := out[n]; !ok {
				out[n] = h
			}
		}
	}
	return out
}

// disjoint: no host is in two of the groups.
func (inv *Inventory) disjoint(groups []string) bool {
	seen := map[string]bool{}
	for _, g := range groups {
		for n := range inv.members(g, map[string]bool{}) {
			if seen[n] {
				return false
			}
			seen[n] = true
		}
	}
	return true
}

func (inv *Inventory) find(host string, hosts map[string]InvHost) (InvHost, bool) {
	if h, ok := hosts[host]; ok {
		return h, true
	}
	short, _ := shortName(host)
	for _, n := range sortedKeys(hosts) {
		h := hosts[n]
		s, _ := shortName(n)
		if h.AnsibleHost == host || (short != "" && n == short) || (s != "" && s == host) {
			return h, true
		}
	}
	return InvHost{}, false
}

// GlobAssignment places hosts by [clusters] globs of oscfg.ini: each entry
// is a cluster and the host-name globs of its hosts; a host matched by two
// clusters is an error.
func GlobAssignment(origin string, clusters [][2]string, fleetHosts []string) (*Assignment, error) {
	a := &Assignment{Source: SourceConfig, Origin: origin, Hosts: map[string]string{}, Where: map[string]Evidence{}}
	for _, n := range fleetHosts {
		for _, c := range clusters {
			for _, g := range strings.Split(c[1], ",") {
				g = strings.TrimSpace(g)
				if g == "" {
					continue
				}
				ok, err := path.Match(g, n)
				if err != nil {
					return nil, fmt.Errorf("%s: [clusters] %s: bad glob %q: %v", origin, c[0], g, err)
				}
				if !ok {
					continue
				}
				if prev, dup := a.Hosts[n]; dup && prev != c[0] {
					return nil, fmt.Errorf("%s: [clusters]: host %s matches both %s and %s", origin, n, prev, c[0])
				}
				a.Hosts[n] = c[0]
				a.Where[n] = Evidence{File: origin, Why: fmt.Sprintf("[clusters] %s = %s", c[0], c[1])}
			}
		}
	}
	return a, nil
}
