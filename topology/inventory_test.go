package topology

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeInv(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var fleet = []string{"r1-ctl1", "r1-db1", "r2-ctl1", "r2-cmp1", "lab"}

func TestINIInventoryRegionsAreClusters(t *testing.T) {
	p := writeInv(t, "inv.ini", `# two regions
[region1]
r1-ctl1 ansible_host=10.1.0.11
r1-db1

[region2:children]
r2-control
r2-compute

[r2-control]
r2-ctl1
[r2-compute]
10.2.0.31 ansible_host=r2-cmp1
[region2:vars]
foo=bar
`)
	inv, err := ReadInventory(p)
	if err != nil {
		t.Fatal(err)
	}
	a, err := inv.Assign(fleet, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"r1-ctl1": "region1", "r1-db1": "region1", "r2-ctl1": "region2", "r2-cmp1": "region2"}
	for h, c := range want {
		if a.Hosts[h] != c {
			t.Errorf("%s in %q, want %q", h, a.Hosts[h], c)
		}
	}
	if _, ok := a.Hosts["lab"]; ok {
		t.Error("a host the inventory does not name was placed")
	}
	if ev := a.Where["r2-cmp1"]; ev.Line != 13 || ev.File != p {
		t.Errorf("evidence %+v, want %s:13", ev, p)
	}
}

// kolla-ansible's multinode inventory: its groups are roles and overlap,
// so the file is one cluster.
func TestYAMLInventoryOfRolesIsOneCluster(t *testing.T) {
	p := writeInv(t, "prod.yml", `all:
  children:
    control:
      hosts:
        r1-ctl1:
        r2-ctl1:
    network:
      hosts:
        r1-ctl1:
    compute:
      hosts:
        r2-cmp1: {ansible_host: 10.0.0.31}
`)
	inv, err := ReadInventory(p)
	if err != nil {
		t.Fatal(err)
	}
	a, err := inv.Assign(fleet, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"r1-ctl1", "r2-ctl1", "r2-cmp1"} {
		if a.Hosts[h] != "prod" {
			t.Errorf("%s in %q, want prod", h, a.Hosts[h])
		}
	}
	// With a pattern the user picks the cluster groups.
	a, err = inv.Assign(fleet, "c*")
	if err != nil {
		t.Fatal(err)
	}
	if a.Hosts["r2-cmp1"] != "compute" || a.Hosts["r1-ctl1"] != "control" {
		t.Errorf("--cluster-group c*: %v", a.Hosts)
	}
	_, err = inv.Assign(fleet, "*o*") // control, network, compute: r1-ctl1 twice
	if err == nil || !strings.Contains(err.Error(), "prod.yml:") || !strings.Contains(err.Error(), "r1-ctl1") {
		t.Errorf("want a file:line error naming r1-ctl1, got %v", err)
	}
}

func TestInventoryErrors(t *testing.T) {
	p := writeInv(t, "bad.ini", "[ok]\nh1\n[broken\n")
	if _, err := ReadInventory(p); err == nil || !strings.Contains(err.Error(), "bad.ini:3:") {
		t.Errorf("got %v, want bad.ini:3", err)
	}
	if _, err := ReadInventory(filepath.Join(t.TempDir(), "none.ini")); err == nil {
		t.Error("missing file accepted")
	}
	y := writeInv(t, "bad.yaml", "all:\n  children: [\n")
	if _, err := ReadInventory(y); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("got %v", err)
	}
}

func TestGlobAssignment(t *testing.T) {
	a, err := GlobAssignment("oscfg.ini", [][2]string{{"one", "r1-*"}, {"two", "r2-*, lab"}}, fleet)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hosts["r1-db1"] != "one" || a.Hosts["lab"] != "two" || a.Hosts["r2-cmp1"] != "two" {
		t.Errorf("%v", a.Hosts)
	}
	if _, err := GlobAssignment("oscfg.ini", [][2]string{{"one", "r*"}, {"two", "r2-*"}}, fleet); err == nil || !strings.Contains(err.Error(), "matches both") {
		t.Errorf("got %v", err)
	}
}
