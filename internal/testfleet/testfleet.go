// Package testfleet writes the small fleets the suppression tests of
// lint and cmd/oscfg share.
package testfleet

import (
	"os"
	"path/filepath"
	"testing"
)

// The suppression fleet: an API proxy with balance source (OSC-HAP-001 on
// haproxy.cfg line 10) and a nova.conf whose connection_recycle_time
// outlives the DB node's wait_timeout (OSC-DB-001 on nova.conf line 3).
// Tests look at these two findings only, so rules added later do not
// break them.
const (
	HAProxy = `global
  log /dev/log local0
defaults
  mode http
  timeout connect 10s
  timeout client 2m
  timeout server 2m
listen cinder_api
  bind 10.0.0.10:8776
  balance source
  option httpclose
  server ctl1 10.0.0.1:8776 check
`
	Nova = `[database]
connection = mysql+pymysql://nova:NOVA_DBPASS@db1/nova
connection_recycle_time = 3600
`
	MyCnf    = "[mysqld]\nwait_timeout = 600\n"
	HAPPath  = "/etc/haproxy/haproxy.cfg"
	NovaPath = "/etc/nova/nova.conf"
)

// Suppression writes the suppression fleet, with files replaced or added
// by extra (relative path -> content), and returns its directory.
func Suppression(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"oscfg.ini":                    "release = zed\n",
		"ctl1/etc/haproxy/haproxy.cfg": HAProxy,
		"ctl1/etc/nova/nova.conf":      Nova,
		"db1/etc/my.cnf":               MyCnf,
	}
	for k, v := range extra {
		files[k] = v
	}
	for rel, content := range files {
		Write(t, filepath.Join(dir, rel), content)
	}
	return dir
}

// Write writes content to p, making its directories.
func Write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
