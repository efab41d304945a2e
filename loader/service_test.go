package loader

import (
	"strings"
	"testing"

	"github.com/oscfg/oscfg/parsers/oslo"
	"github.com/oscfg/oscfg/registry"
)

func TestServiceByContent(t *testing.T) {
	for _, c := range []struct {
		src, svc, by string
	}{
		{"[DEFAULT]\n[token]\nprovider = uuid\n[fernet_tokens]\n", "keystone", "content: [token], [fernet_tokens]"},
		{"[api_database]\nconnection = x\n[libvirt]\n", "nova", "content: [api_database], [libvirt]"},
		// Keystone's and nova's own groups at once: neither.
		{"[token]\n[libvirt]\n", "", "none: its sections point to several services: keystone ([token]), nova ([libvirt])"},
		// [placement] is nova's, neutron's and placement's own group.
		{"[placement]\nregion_name = r\n", "", "none: its sections point to several services: neutron ([placement]), nova ([placement]), placement ([placement])"},
		{"[placement]\n[vnc]\n", "nova", "content: [placement], [vnc]"},
		// ironic has [conductor] too.
		{"[conductor]\nworkers = 4\n", "", "none: its sections point to several services: ironic ([conductor]), nova ([conductor])"},
		{"[conductor]\n[scheduler]\n", "nova", "content: [conductor], [scheduler]"},
		// A nova group beside an ironic-only one: not nova's file.
		{"[scheduler]\n[deploy]\n", "", "none: its sections point to several services: ironic ([deploy]), nova ([scheduler])"},
		{"[glance_store]\nstores = rbd\n", "glance", "content: [glance_store]"},
		{"[DEFAULT]\ndebug = true\n[database]\n[keystone_authtoken]\n", "", "none: neither its name nor its sections say which service it is for"},
		// Group names are case-insensitive in oslo.config.
		{"[TOKEN]\n", "keystone", "content: [token]"},
	} {
		d, err := oslo.Parse("t.conf", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		svc, by := ServiceByContent(d)
		if svc != c.svc || by != c.by {
			t.Errorf("%q: got %q %q, want %q %q", c.src, svc, by, c.svc, c.by)
		}
	}
}

// Every group that decides belongs to the services the table says: a
// keystone group must not be one nova registers, and the other way round
// (registry/zed.json is the check).
func TestSectionOwnersAgreeWithRegistry(t *testing.T) {
	for g, owners := range sectionOwners {
		for _, svc := range []string{"keystone", "nova"} {
			has := registryHasGroup(svc, g)
			listed := strings.Contains(","+strings.Join(owners, ",")+",", ","+svc+",")
			if has != listed {
				t.Errorf("[%s]: registry says %s has it: %v; sectionOwners lists %v", g, svc, has, owners)
			}
		}
	}
}

func registryHasGroup(svc, group string) bool {
	s := registry.For(svc)
	return s != nil && s.HasGroup(group)
}
