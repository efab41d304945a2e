package discover

import "testing"

func TestServiceByName(t *testing.T) {
	for name, want := range map[string]string{
		"keystone.conf":               "keystone",
		"keystone.conf.j2":            "keystone",
		"nova.conf.erb":               "nova",
		"glance-api.conf":             "glance",
		"nova-compute.conf":           "nova",
		"neutron_lbaas.conf":          "neutron",
		"ironic.conf":                 "ironic",
		"template.conf":               "",
		"some-keystone-template.conf": "",
		"novalike.conf":               "",
		"keystone.ini":                "",
	} {
		if got := ServiceByName(name); got != want {
			t.Errorf("ServiceByName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestLooseFileService(t *testing.T) {
	for _, c := range []struct{ p, svc, by string }{
		{"x/keystone.conf", "keystone", "name"},
		{"x/template.conf", "", ""}, // the loader reads the sections
		{"x/haproxy.cfg", "haproxy", "kind"},
	} {
		ref, err := looseFile(c.p, "")
		if err != nil {
			t.Fatal(err)
		}
		if ref.Service != c.svc || ref.ServiceBy != c.by {
			t.Errorf("%s: service %q by %q, want %q by %q", c.p, ref.Service, ref.ServiceBy, c.svc, c.by)
		}
	}
}
