package loader

import "testing"

// The server Galera rules judge a node by: the setting, a [mariadb-X.Y]
// group, signs of an older server, else MariaDB 10.3 or later, assumed.
func TestDBServerVersion(t *testing.T) {
	galera := "[mysqld]\nwsrep_provider = /usr/lib/galera/libgalera_smm.so\nwsrep_cluster_address = gcomm://10.0.0.1,10.0.0.2\n"
	cases := []struct {
		name, release, setting, cnf  string
		want, source, wsrep, xb, bin string
		assumed                      bool
	}{
		{"default", "zed", "", galera, "MariaDB 10.3 or later", "default", "off", "unsupported", "MIXED", true},
		{"group", "zed", "", galera + "\n[mariadb-10.1]\nwsrep_on = ON\n", "MariaDB 10.1", "file", "off", "supported", "STATEMENT", false},
		{"setting", "zed", "mysql-wsrep-5.6", galera, "MySQL-wsrep 5.6", "setting", "on", "supported", "STATEMENT", false},
		{"pxc57", "zed", "percona-xtradb-cluster-5.7", galera, "Percona XtraDB Cluster 5.7", "setting", "on", "supported", "ROW", false},
		{"xtrabackup", "zed", "", galera + "wsrep_sst_method = xtrabackup-v2\n", "unknown", "sst", "unknown", "unknown", "", false},
		{"old release", "kilo", "", galera, "unknown", "release", "unknown", "unknown", "", false},
		{"galera group old release", "kilo", "", "[galera]\nwsrep_provider = /usr/lib64/galera/libgalera_smm.so\n", "MariaDB 10.1 or later", "release", "off", "unknown", "", false},
	}
	for _, c := range cases {
		root := writeTree(t, map[string]string{"db1/etc/my.cnf": c.cnf})
		fleet, err := Load([]string{root}, Options{Release: c.release})
		if err != nil {
			t.Fatal(err)
		}
		sv := hostView(t, Input(fleet, Settings{MySQLServer: c.setting}), "db1")["mysql"].(map[string]any)["server_version"].(map[string]any)
		if sv["name"] != c.want || sv["source"] != c.source || sv["wsrep_on_default"] != c.wsrep || sv["xtrabackup_sst"] != c.xb || sv["binlog_format_default"] != c.bin || sv["assumed"] != c.assumed || sv["why"] == "" {
			t.Errorf("%s: server_version = %v", c.name, sv)
		}
	}
}
