package loader

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The host's time zone (the /etc/localtime link, else /etc/timezone) and
// CRON_TZ lines reach every cron job as its tz, with the UTC offsets the
// zone uses over the year, so rules compare jobs of different hosts on one
// clock.
func TestCronTimeZones(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ctl1/etc/timezone":            "Europe/Berlin\n",
		"ctl1/etc/cron.d/keystone":     "0 1 * * * keystone keystone-manage token_flush\n",
		"ctl2/etc/cron.d/keystone":     "0 1 * * * keystone keystone-manage token_flush\n",
		"ctl2/var/spool/cron/keystone": "MAILTO=root\nCRON_TZ=Asia/Kolkata\n30 5 * * * keystone-manage token_flush\n",
		"ctl3/etc/cron.d/keystone":     "0 1 * * * keystone keystone-manage token_flush\n",
		"ctl4/etc/cron.d/keystone":     "0 1 * * * keystone keystone-manage token_flush\n",
		"ctl4/etc/timezone":            "Not/AZone\n",
	})
	// ctl2: /etc/localtime links to the zone file (its target need not
	// exist inside the fleet copy); the link wins over /etc/timezone.
	if err := os.Symlink("/usr/share/zoneinfo/America/New_York", filepath.Join(root, "ctl2/etc/localtime")); err != nil {
		t.Fatal(err)
	}
	// ctl3: a copied zone file instead of a link (some images do this).
	tzif, err := os.ReadFile("/usr/share/zoneinfo/Asia/Tokyo")
	if err != nil {
		t.Skip("no /usr/share/zoneinfo/Asia/Tokyo to copy (Debian package tzdata)")
	}
	if err := os.WriteFile(filepath.Join(root, "ctl3/etc/localtime"), tzif, 0o644); err != nil {
		t.Fatal(err)
	}
	fleet, err := Load([]string{root}, Options{Release: "mitaka"})
	if err != nil {
		t.Fatal(err)
	}
	in := Input(fleet, DefaultSettings)
	tz := func(host string) map[string]any {
		return hostView(t, in, host)["tz"].(map[string]any)
	}
	job := func(host string, i int) map[string]any {
		return hostView(t, in, host)["cron"].(map[string]any)["jobs"].([]any)[i].(map[string]any)["tz"].(map[string]any)
	}
	if z := tz("ctl1"); z["name"] != "Europe/Berlin" || z["source"] != "/etc/timezone" || z["known"] != true || !reflect.DeepEqual(z["offsets"], []int{60, 120}) {
		t.Errorf("ctl1 tz = %v", z)
	}
	if z := job("ctl1", 0); z["name"] != "Europe/Berlin" || !reflect.DeepEqual(z["offsets"], []int{60, 120}) {
		t.Errorf("ctl1 job tz = %v", z)
	}
	if z := tz("ctl2"); z["name"] != "America/New_York" || z["source"] != "/etc/localtime" || !reflect.DeepEqual(z["offsets"], []int{-300, -240}) {
		t.Errorf("ctl2 tz = %v", z)
	}
	// The spool job after CRON_TZ runs in that zone; the cron.d job in the host's.
	var spool, crond map[string]any
	for _, j := range hostView(t, in, "ctl2")["cron"].(map[string]any)["jobs"].([]any) {
		jm := j.(map[string]any)
		if jm["file"] == "/var/spool/cron/keystone" {
			spool = jm["tz"].(map[string]any)
		} else {
			crond = jm["tz"].(map[string]any)
		}
	}
	if spool["name"] != "Asia/Kolkata" || spool["source"] != "CRON_TZ" || spool["line"] != 2 || !reflect.DeepEqual(spool["offsets"], []int{330}) {
		t.Errorf("CRON_TZ job tz = %v", spool)
	}
	if crond["name"] != "America/New_York" {
		t.Errorf("cron.d job tz = %v", crond)
	}
	if z := tz("ctl3"); z["name"] != "" || z["source"] != "/etc/localtime" || z["known"] != true || !reflect.DeepEqual(z["offsets"], []int{540}) {
		t.Errorf("ctl3 tz = %v", z)
	}
	// An unknown zone name: not known, no offsets, and the reason.
	if z := tz("ctl4"); z["known"] != false || z["name"] != "Not/AZone" || z["note"] == "" {
		t.Errorf("ctl4 tz = %v", z)
	}
}

// With neither file the zone is unknown: rules then compare the host's
// jobs with others on the local clock.
func TestNoTimeZone(t *testing.T) {
	root := writeTree(t, map[string]string{"ctl1/etc/cron.d/keystone": "0 1 * * * keystone keystone-manage token_flush\n"})
	fleet, err := Load([]string{root}, Options{Release: "mitaka"})
	if err != nil {
		t.Fatal(err)
	}
	in := Input(fleet, DefaultSettings)
	z := hostView(t, in, "ctl1")["tz"].(map[string]any)
	if z["known"] != false || z["source"] != "" {
		t.Errorf("tz = %v", z)
	}
}
