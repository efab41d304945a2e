package haproxy

import "strings"

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
	{frags: []string{"nova_api", "nova-api", "nova_osapi", "osapi", "compute_api", "compute-api"}, service: "nova-api"},
	{frags: []string{"keystone"}, service: "keystone"},
	{frags: []string{"cinder"}, service: "cinder-api"},
	{frags: []string{"glance_registry", "glance-registry"}, service: "glance-registry"},
	{frags: []string{"glance"}, service: "glance-api"},
	{frags: []string{"neutron"}, service: "neutron-server"},
	{frags: []string{"heat_api_cfn", "heat-api-cfn", "heat_cfn", "heat-cfn"}, tokens: []string{"cfn"}, service: "heat-api-cfn"},
	{frags: []string{"heat"}, service: "heat-api"},
	{frags: []string{"horizon", "dashboard"}, service: "horizon"},
	{frags: []string{"mysql", "galera", "mariadb"}, tokens: []string{"db", "database"}, service: "mysql"},
	{frags: []string{"rabbit", "amqp"}, service: "rabbitmq"},
}

// portServices are the services behind the well-known OpenStack ports.
var portServices = map[int]string{
	5000: "keystone", 35357: "keystone", 8774: "nova-api", 8775: "nova-metadata",
	8778: "placement", 8776: "cinder-api", 9292: "glance-api", 9191: "glance-registry", 9696: "neutron-server",
	8004: "heat-api", 8000: "heat-api-cfn", 80: "horizon", 443: "horizon",
	6080: "nova-novncproxy", 6082: "nova-spicehtml5proxy", 6083: "nova-serialproxy",
	3306: "mysql", 5672: "rabbitmq",
}

var serviceRoles = map[string]string{
	"keystone": "api", "nova-api": "api", "nova-metadata": "api", "placement": "api",
	"cinder-api": "api", "glance-api": "api", "glance-registry": "api", "neutron-server": "api", "heat-api": "api",
	"heat-api-cfn":    "api",
	"nova-novncproxy": "console", "nova-spicehtml5proxy": "console", "nova-serialproxy": "console",
	"horizon": "dashboard", "mysql": "db", "rabbitmq": "mq",
}

// ClassifyService names the OpenStack service behind a proxy, from its name
// first, else from its ports, and gives its role: api, console, dashboard,
// db, mq, or other (with service "").
func ClassifyService(name string, ports []int) (service, role string) {
	service = serviceFromName(name)
	if service == "" {
		service = serviceFromPorts(ports)
	}
	if service == "" {
		return "", "other"
	}
	return service, serviceRoles[service]
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

// serviceFromPorts prefers a specific port over 80/443: a TLS frontend on
// 443 in front of servers on 8774 is nova-api, not horizon.
func serviceFromPorts(ports []int) string {
	generic := ""
	for _, p := range ports {
		s := portServices[p]
		if s == "horizon" {
			generic = s
		} else if s != "" {
			return s
		}
	}
	return generic
}
