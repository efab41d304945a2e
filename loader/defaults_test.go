package loader

import "testing"

// [glance] num_retries defaulted to 0 until nova 22.0.0 (Victoria) raised
// it to 3 (openstack/nova commit 662af9fab6, nova/conf/glance.py).
func TestGlanceNumRetriesDefaultByRelease(t *testing.T) {
	root := writeTree(t, map[string]string{"ctl1/etc/nova/nova.conf": "[DEFAULT]\ndebug = False\n"})
	for rel, want := range map[string]int{"ussuri": 0, "queens": 0, "victoria": 3, "zed": 3} {
		fleet, err := Load([]string{root}, Options{Release: rel})
		if err != nil {
			t.Fatal(err)
		}
		o := option(t, Input(fleet, DefaultSettings), "ctl1", "/etc/nova/nova.conf", "glance", "num_retries")
		if o["value"] != want || o["set"] != false {
			t.Errorf("%s: num_retries = %v, want default %d", rel, o, want)
		}
	}
}
