package loader

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// sectionOwners are the oslo.config groups that say which service a file
// is for: each names every service (of those below) that registers it.
// Groups every service shares (DEFAULT, database, oslo_*,
// keystone_authtoken, cache, ...) are not here and say nothing.
//
// keystone and nova: the groups of one and not the other in the registry
// (registry/zed.json, from python3-keystone 22.0.2 and python3-nova
// 26.2.2). Shared with services oscfg has no rules for: neutron.conf has
// [placement] and [agent] (neutron/conf, RHOSP 17.1 configuration
// reference, /etc/neutron/neutron.conf [placement]); placement.conf has
// [placement] (placement/conf/placement.py) and [placement_database];
// ironic registers [conductor], [vnc] and [agent] (ironic/conf/conductor.py,
// vnc.py, agent.py), so those alone do not make a file nova's.
var sectionOwners = map[string][]string{}

func init() {
	add := func(svc string, groups ...string) {
		for _, g := range groups {
			sectionOwners[g] = append(sectionOwners[g], svc)
		}
	}
	add("keystone", "token", "fernet_tokens", "fernet_receipts", "identity", "identity_mapping", "credential", "federation",
		"assignment", "resource", "revoke", "catalog", "application_credential", "unified_limit", "endpoint_filter",
		"endpoint_policy", "domain_config", "shadow_users", "security_compliance", "oauth1", "saml", "totp",
		"tokenless_auth", "jwt_tokens", "eventlet_server")
	add("nova", "api_database", "libvirt", "scheduler", "filter_scheduler", "conductor", "vnc", "spice",
		"serial_console", "consoleauth", "placement", "guestfs", "mks", "rdp", "zvm", "ephemeral_storage_encryption")
	add("placement", "placement", "placement_database")
	add("neutron", "placement", "agent", "designate", "ml2", "ml2_type_flat", "ml2_type_vlan", "ml2_type_vxlan",
		"ml2_type_geneve", "ovs", "ovn", "securitygroup")
	add("ironic", "conductor", "vnc", "agent", "deploy", "pxe", "ipmi", "redfish", "ilo", "irmc", "drac")
	add("cinder", "backend_defaults", "fc-zone-manager")
	add("glance", "glance_store", "image_format", "taskflow_executor", "store_type_location_strategy",
		"image_import_opts", "import_filtering_opts")
	add("heat", "heat_api", "heat_api_cfn", "heat_api_cloudwatch", "clients", "clients_heat", "clients_nova",
		"clients_keystone", "clients_neutron", "clients_cinder", "clients_glance", "clients_swift", "ec2authtoken")
}

// fileService is the service of a parsed file and how it was decided:
// discovery's (from the file's name or kind), else for a loose oslo file
// --service, else what an oslo file's sections say. Only oslo files are
// shared by services, so only they need more than their name.
func fileService(ref discover.FileRef, doc model.Document, service string, loose bool) (string, string) {
	svc, by := ref.Service, ref.ServiceBy
	switch {
	case ref.Kind != model.KindOslo:
	case service != "" && loose:
		svc, by = service, "--service"
	case svc == "":
		// The name does not say: the sections may.
		svc, by = ServiceByContent(doc.(*oslo.Doc))
	}
	return svc, by
}

// ServiceByContent is the service an oslo file's sections say, and how:
// "content: [token], [fernet_tokens]". A service is chosen when it is the
// only one some section belongs to alone and every telling section is
// also its, or, when no section belongs to one service alone, when
// exactly one service has them all. Otherwise it returns "" and why:
// sections of two services, or none that tells.
func ServiceByContent(d *oslo.Doc) (string, string) {
	seen := map[string]bool{}
	var telling []string // sections with owners, in file order, once
	for _, s := range d.Sections {
		if _, ok := sectionOwners[s.Name]; ok && !seen[s.Name] {
			seen[s.Name] = true
			telling = append(telling, s.Name)
		}
	}
	if len(telling) == 0 {
		return "", "none: neither its name nor its sections say which service it is for"
	}
	alone := map[string][]string{} // service -> sections only it has
	count := map[string]int{}      // service -> telling sections it has
	for _, g := range telling {
		owners := sectionOwners[g]
		if len(owners) == 1 {
			alone[owners[0]] = append(alone[owners[0]], g)
		}
		for _, o := range owners {
			count[o]++
		}
	}
	var all []string // services having every telling section
	for svc, n := range count {
		if n == len(telling) {
			all = append(all, svc)
		}
	}
	sort.Strings(all)
	switch {
	case len(alone) == 1:
		for svc := range alone {
			if count[svc] == len(telling) {
				return svc, "content: " + brackets(telling)
			}
		}
	case len(alone) == 0 && len(all) == 1:
		return all[0], "content: " + brackets(telling)
	}
	// Say each service and the sections that point to it.
	var svcs []string
	for svc := range count {
		svcs = append(svcs, svc)
	}
	sort.Strings(svcs)
	var parts []string
	for _, svc := range svcs {
		var gs []string
		for _, g := range telling {
			for _, o := range sectionOwners[g] {
				if o == svc {
					gs = append(gs, g)
				}
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", svc, brackets(gs)))
	}
	return "", "none: its sections point to several services: " + strings.Join(parts, ", ")
}

func brackets(groups []string) string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = "[" + g + "]"
	}
	return strings.Join(out, ", ")
}
