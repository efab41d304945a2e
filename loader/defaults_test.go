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

// Options that did not exist yet, or had another name, on an old release
// (openstack/nova and openstack/keystone tags): nova's
// block_device_allocate_retries and send_service_user_token are absent
// before 2014.2 (Juno) and 15.0.0 (Ocata); before Juno nova reads
// [DEFAULT] glance_num_retries, not [glance] num_retries, and Juno reads
// both; keystone's [token] provider appears in 2013.2 (Havana), unset
// meaning pki there and in Icehouse, uuid from Juno, fernet from Ocata.
func TestOptionsOfOldReleases(t *testing.T) {
	nova := "[DEFAULT]\nglance_num_retries = 2\n[glance]\nnum_retries = 5\n"
	root := writeTree(t, map[string]string{
		"ctl1/etc/nova/nova.conf":         nova,
		"ctl1/etc/keystone/keystone.conf": "[DEFAULT]\ndebug = False\n",
	})
	for _, c := range []struct {
		rel                     string
		retries, send, provider any
		exists                  bool // block_device_allocate_retries
		glance                  int
	}{
		{"havana", nil, nil, "pki", false, 2},
		{"icehouse", nil, nil, "pki", false, 2},
		{"juno", 60, nil, "uuid", true, 5},
		{"kilo", 60, nil, "uuid", true, 5},
		{"ocata", 60, false, "fernet", true, 5},
		{"zed", 60, false, "fernet", true, 5},
	} {
		fleet, err := Load([]string{root}, Options{Release: c.rel})
		if err != nil {
			t.Fatal(err)
		}
		in := Input(fleet, DefaultSettings)
		bd := option(t, in, "ctl1", "/etc/nova/nova.conf", "DEFAULT", "block_device_allocate_retries")
		if bd["value"] != c.retries || (bd["exists"] != false) != c.exists {
			t.Errorf("%s: block_device_allocate_retries = %v, want value %v, exists %v", c.rel, bd, c.retries, c.exists)
		}
		if o := option(t, in, "ctl1", "/etc/nova/nova.conf", "service_user", "send_service_user_token"); o["value"] != c.send {
			t.Errorf("%s: send_service_user_token = %v, want %v", c.rel, o, c.send)
		}
		if o := option(t, in, "ctl1", "/etc/nova/nova.conf", "glance", "num_retries"); o["value"] != c.glance || o["set"] != true {
			t.Errorf("%s: [glance] num_retries = %v, want %d (set)", c.rel, o, c.glance)
		}
		if o := option(t, in, "ctl1", "/etc/keystone/keystone.conf", "token", "provider"); o["value"] != c.provider {
			t.Errorf("%s: [token] provider = %v, want %v", c.rel, o, c.provider)
		}
	}
	// Essex to Grizzly: no [token] provider at all.
	fleet, err := Load([]string{root}, Options{Release: "grizzly"})
	if err != nil {
		t.Fatal(err)
	}
	if o := option(t, Input(fleet, DefaultSettings), "ctl1", "/etc/keystone/keystone.conf", "token", "provider"); o["value"] != nil || o["exists"] != false {
		t.Errorf("grizzly: [token] provider = %v, want absent", o)
	}
}

// AMQP heartbeats came with oslo.messaging 1.9.0, which Liberty ships;
// Kilo's requirements cap it below (openstack/requirements kilo-eol).
func TestHeartbeatOptionsFromLiberty(t *testing.T) {
	root := writeTree(t, map[string]string{"ctl1/etc/nova/nova.conf": "[DEFAULT]\ntransport_url = rabbit://u:p@h:5672/\n"})
	for rel, want := range map[string]any{"kilo": nil, "liberty": 2, "2023.2": 2, "2024.1": 3} {
		fleet, err := Load([]string{root}, Options{Release: rel})
		if err != nil {
			t.Fatal(err)
		}
		if o := option(t, Input(fleet, DefaultSettings), "ctl1", "/etc/nova/nova.conf", "oslo_messaging_rabbit", "heartbeat_rate"); o["value"] != want {
			t.Errorf("%s: heartbeat_rate = %v, want %v", rel, o, want)
		}
	}
}
