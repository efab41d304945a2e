package hostfs

import (
	"reflect"
	"strings"
	"testing"
)

func TestMemory(t *testing.T) {
	m, err := Memory("ctl1", map[string][]byte{
		"/etc/nova/nova.conf":                     []byte("[DEFAULT]\n"),
		"/etc/nova/api-paste.ini":                 []byte("x"),
		"/var/lib/lxc/c1/rootfs/etc/keystone.ini": []byte("y"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Disk("/etc/nova/nova.conf"); d != "ctl1:/etc/nova/nova.conf" {
		t.Errorf("Disk %q", d)
	}
	b, real, err := m.ReadFile("/etc/nova/nova.conf", 100)
	if err != nil || string(b) != "[DEFAULT]\n" || real != "/etc/nova/nova.conf" {
		t.Errorf("ReadFile: %q %q %v", b, real, err)
	}
	if st, err := m.Stat("/etc/nova/api-paste.ini"); err != nil || st.Mode() != 0o644 {
		t.Errorf("Stat: %v %v", st, err)
	}
	// A container's rootfs shares what was seen; its names stay the host's.
	sub, err := m.Sub("/var/lib/lxc/c1/rootfs")
	if err != nil {
		t.Fatal(err)
	}
	if d := sub.Disk("/etc/keystone.ini"); d != "ctl1:/var/lib/lxc/c1/rootfs/etc/keystone.ini" {
		t.Errorf("Sub Disk %q", d)
	}
	if got := m.Unseen(); !reflect.DeepEqual(got, []string{"/var/lib/lxc/c1/rootfs/etc/keystone.ini"}) {
		t.Errorf("Unseen %v", got)
	}
	if _, _, err := sub.ReadFile("/etc/keystone.ini", 100); err != nil {
		t.Fatal(err)
	}
	if got := m.Unseen(); got != nil {
		t.Errorf("Unseen after reading through Sub: %v", got)
	}
	if _, _, err := m.ReadFile("/etc/nova/missing.conf", 100); err == nil || !strings.HasPrefix(err.Error(), "ctl1:/etc/nova/missing.conf: ") {
		t.Errorf("missing: %v", err)
	}
	for _, bad := range []map[string][]byte{{"etc/x": nil}, {"/etc//x": nil}, {"/": nil}, {"/etc/a": nil, "/etc/a/b": nil}} {
		if _, err := Memory("h", bad); err == nil {
			t.Errorf("Memory(%v) took it", bad)
		}
	}
}
