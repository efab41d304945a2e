package haproxy

import (
	"slices"
	"strings"
)

// nameRules map proxy-name fragments to services, most specific first
// (nova_metadata before nova_api, heat_api_cfn before heat). A fragment
// matches as a substring of the lower-cased name, except whole-token ones,
// which must be a complete word between '-', '_', '.', ':' (so "db" hits
// "db_vip" but not "mongodb" or "dbsync").
var nameRules = []struct {
	frags   []string
	tokens  []string
	service string
}{
	{frags: []string{"nova_metadata", "nova-metadata", "metadata"}, service: "nova-metadata"},
	{frags: []string{"novnc", "vnc"}, service: "nova-novncproxy"},
	{frags: []string{"spice"}, service: "nova-spicehtml5proxy"},
	{frags: []string{"serialproxy", "serial_proxy", "serial-proxy", "serialconsole", "serial"}, service: "nova-serialproxy"},
	{frags: []string{"placement"}, service: "placement"},
	{frags: []string{"ec2"}, service: "ec2-api"},
	{frags: []string{"nova_api", "nova-api", "nova_osapi", "osapi", "compute_api", "compute-api"}, service: "nova-api"},
	{frags: []string{"keystone"}, service: "keystone"},
	{frags: []string{"cinder"}, service: "cinder-api"},
	{frags: []string{"glance_registry", "glance-registry"}, service: "glance-registry"},
	{frags: []string{"glance"}, service: "glance-api"},
	{frags: []string{"neutron"}, service: "neutron-server"},
	{frags: []string{"heat_api_cfn", "heat-api-cfn", "heat_cfn", "heat-cfn"}, tokens: []string{"cfn"}, service: "heat-api-cfn"},
	{frags: []string{"heat"}, service: "heat-api"},
	{frags: []string{"swift", "radosgw"}, tokens: []string{"rgw"}, service: "swift-proxy"},
	{frags: []string{"manila"}, service: "manila-api"},
	{frags: []string{"ceilometer"}, service: "ceilometer-api"},
	{frags: []string{"gnocchi"}, service: "gnocchi-api"},
	{frags: []string{"aodh"}, service: "aodh-api"},
	{frags: []string{"octavia"}, service: "octavia-api"},
	{frags: []string{"barbican"}, service: "barbican-api"},
	{frags: []string{"designate"}, service: "designate-api"},
	{frags: []string{"magnum"}, service: "magnum-api"},
	{frags: []string{"horizon", "dashboard"}, service: "horizon"},
	{frags: []string{"rabbitmq_management", "rabbitmq-management", "rabbitmq_mgmt", "rabbit_mgmt"}, service: "rabbitmq-management"},
	{frags: []string{"mysql", "galera", "mariadb"}, tokens: []string{"db", "database"}, service: "mysql"},
	{frags: []string{"rabbit", "amqp"}, service: "rabbitmq"},
}

// portServices are the services' registered default ports (each project's
// install guide and keystone catalog defaults; kolla-ansible's
// group_vars/all.yml uses the same numbers). 80 and 443 are generic: any
// TLS or plain-HTTP frontend binds them, so they decide only after the name.
var portServices = map[int]string{
	5000: "keystone", 35357: "keystone", 8774: "nova-api", 8775: "nova-metadata",
	8773: "ec2-api", 8788: "ec2-api",
	8778: "placement", 8776: "cinder-api", 9292: "glance-api", 9191: "glance-registry", 9696: "neutron-server",
	8004: "heat-api", 8000: "heat-api-cfn", 8080: "swift-proxy", 8786: "manila-api",
	8777: "ceilometer-api", 8041: "gnocchi-api", 8042: "aodh-api", 9876: "octavia-api",
	9311: "barbican-api", 9001: "designate-api", 9511: "magnum-api",
	80: "horizon", 443: "horizon",
	6080: "nova-novncproxy", 6082: "nova-spicehtml5proxy", 6083: "nova-serialproxy",
	3306: "mysql", 4567: "galera-replication", 5672: "rabbitmq", 15672: "rabbitmq-management",
}

var genericPorts = map[int]bool{80: true, 443: true}

// serviceRoles: galera-replication (4567, node to node) carries no client
// connections, so no DB-client rule applies to it; haproxy-stats is
// haproxy's own page.
var serviceRoles = map[string]string{
	"keystone": "api", "nova-api": "api", "nova-metadata": "api", "placement": "api", "ec2-api": "api",
	"cinder-api": "api", "glance-api": "api", "glance-registry": "api", "neutron-server": "api", "heat-api": "api",
	"heat-api-cfn": "api", "swift-proxy": "api", "manila-api": "api", "ceilometer-api": "api",
	"gnocchi-api": "api", "aodh-api": "api", "octavia-api": "api", "barbican-api": "api",
	"designate-api": "api", "magnum-api": "api",
	"nova-novncproxy": "console", "nova-spicehtml5proxy": "console", "nova-serialproxy": "console",
	"horizon": "dashboard", "rabbitmq-management": "dashboard",
	"mysql": "db", "galera-replication": "other", "rabbitmq": "mq", "haproxy-stats": "other",
}

// Classification is the service behind a proxy and what decided it.
type Classification struct {
	Service, Role string
	// By: "port", "name", "backend" (a frontend's default backend),
	// "stats" (haproxy's statistics page), or "" when nothing matched.
	By string
	// Port decided it (By "port").
	Port int
	// NameService is what the proxy's name alone says, when that differs
	// from Service (so a message can say both).
	NameService string
}

// Classify names the OpenStack service behind a proxy. Ports decide
// first, because a name is whatever the author typed (a listen named
// glance-api bound on glance-registry's 9191 serves glance-registry):
// server ports, where the service really listens, then bind ports, then
// the name, then the generic 80/443. A proxy that shows haproxy's
// statistics page and has no servers is haproxy-stats.
func Classify(name string, bindPorts, serverPorts []int, stats bool) Classification {
	fromName := serviceFromName(name)
	var c Classification
	switch {
	case stats && len(serverPorts) == 0:
		c = Classification{Service: "haproxy-stats", By: "stats"}
	default:
		if p, s := specificPort(serverPorts); s != "" {
			c = Classification{Service: s, By: "port", Port: p}
		} else if p, s := specificPort(bindPorts); s != "" {
			c = Classification{Service: s, By: "port", Port: p}
		} else if fromName != "" {
			c = Classification{Service: fromName, By: "name"}
		} else if p, s := genericPort(append(append([]int{}, serverPorts...), bindPorts...)); s != "" {
			c = Classification{Service: s, By: "port", Port: p}
		}
	}
	c.Role = "other"
	if r, ok := serviceRoles[c.Service]; ok {
		c.Role = r
	}
	if fromName != "" && fromName != c.Service && c.By != "name" {
		c.NameService = fromName
	}
	return c
}

func serviceFromName(name string) string {
	n := strings.ToLower(name)
	tokens := map[string]bool{}
	for _, t := range strings.FieldsFunc(n, func(r rune) bool { return strings.ContainsRune("-_.: ", r) }) {
		tokens[t] = true
	}
	for _, r := range nameRules {
		for _, f := range r.frags {
			if strings.Contains(n, f) {
				return r.service
			}
		}
		for _, t := range r.tokens {
			if tokens[t] {
				return r.service
			}
		}
	}
	return ""
}

// specificPort: the lowest known non-generic port of the list (sorted, so
// the choice does not depend on line order).
func specificPort(ports []int) (int, string) {
	ps := slices.Clone(ports)
	slices.Sort(ps)
	for _, p := range ps {
		if s := portServices[p]; s != "" && !genericPorts[p] {
			return p, s
		}
	}
	return 0, ""
}

func genericPort(ports []int) (int, string) {
	ps := slices.Clone(ports)
	slices.Sort(ps)
	for _, p := range ps {
		if genericPorts[p] {
			return p, portServices[p]
		}
	}
	return 0, ""
}
