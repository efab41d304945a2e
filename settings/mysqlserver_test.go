package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMySQLServerSetting(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "oscfg.ini")
	if err := os.WriteFile(p, []byte("[settings]\nmysql_server = mysql-wsrep-5.6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p)
	if err != nil || s.MySQLServer != "mysql-wsrep-5.6" {
		t.Fatalf("%v %+v", err, s)
	}
	if err := os.WriteFile(p, []byte("[settings]\nmysql_server = oracle 19\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "mariadb-10.6") {
		t.Errorf("bad value accepted or unclear: %v", err)
	}
}
