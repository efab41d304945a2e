package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DBServer is the MySQL-compatible server a Galera node runs, as far as
// oscfg knows it: the defaults Galera rules judge by differ between
// MariaDB 10.1+ and the older Galera servers.
type DBServer struct {
	// Flavor: "mariadb" (MariaDB Server, Galera built in since 10.1),
	// "mariadb-galera" (the separate MariaDB Galera Cluster 5.5/10.0),
	// "mysql-wsrep" (Codership's MySQL), "percona-xtradb-cluster"; ""
	// when unknown.
	Flavor       string
	Major, Minor int // 0.0 when only the flavor (or nothing) is known
	// AtLeast: the version is a lower bound ("MariaDB 10.1 or later").
	AtLeast bool
}

var dbServerRE = regexp.MustCompile(`^(mariadb-galera|mariadb|mysql-wsrep|percona-xtradb-cluster|pxc)[-\s]+([0-9]+)\.([0-9]+)$`)

// ParseDBServer reads an oscfg.ini mysql_server value such as
// "mariadb-10.6", "mariadb-galera-5.5", "mysql-wsrep-5.6" or
// "percona-xtradb-cluster-5.7".
func ParseDBServer(s string) (DBServer, error) {
	m := dbServerRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return DBServer{}, fmt.Errorf("want a server and version such as mariadb-10.6, mariadb-galera-5.5, mysql-wsrep-5.6 or percona-xtradb-cluster-5.7")
	}
	maj, _ := strconv.Atoi(m[2])
	mnr, _ := strconv.Atoi(m[3])
	fl := m[1]
	if fl == "pxc" {
		fl = "percona-xtradb-cluster"
	}
	if fl == "mariadb" && (maj < 10 || (maj == 10 && mnr == 0)) {
		fl = "mariadb-galera" // Galera was a separate product before 10.1
	}
	return DBServer{Flavor: fl, Major: maj, Minor: mnr}, nil
}

func (d DBServer) atLeast(maj, mnr int) bool {
	return d.Major > maj || (d.Major == maj && d.Minor >= mnr)
}

// Name is the server for messages: "MariaDB 10.6", "MariaDB 10.1 or
// later", "" when unknown.
func (d DBServer) Name() string {
	names := map[string]string{"mariadb": "MariaDB", "mariadb-galera": "MariaDB Galera Cluster", "mysql-wsrep": "MySQL-wsrep", "percona-xtradb-cluster": "Percona XtraDB Cluster"}
	n := names[d.Flavor]
	if n == "" {
		return ""
	}
	if d.Major > 0 {
		n += fmt.Sprintf(" %d.%d", d.Major, d.Minor)
	}
	if d.AtLeast {
		n += " or later"
	}
	return n
}

// WsrepOnDefault: "off" on MariaDB 10.1 and later (Galera merged into the
// server, off unless asked for), "on" on the Galera-only servers
// (MariaDB Galera Cluster 5.5/10.0, MySQL-wsrep, Percona XtraDB
// Cluster), "unknown" otherwise.
func (d DBServer) WsrepOnDefault() string {
	switch d.Flavor {
	case "mariadb":
		return "off"
	case "mariadb-galera", "mysql-wsrep", "percona-xtradb-cluster":
		return "on"
	}
	return "unknown"
}

// XtrabackupSST: whether wsrep_sst_method xtrabackup / xtrabackup-v2
// works: not on MariaDB 10.3 and later (MariaDB's xtrabackup-v2 SST page),
// yes on older MariaDB and on the MySQL-based servers.
func (d DBServer) XtrabackupSST() string {
	switch d.Flavor {
	case "mariadb":
		if d.Major == 0 || d.AtLeast && !d.atLeast(10, 3) {
			return "unknown"
		}
		if d.atLeast(10, 3) {
			return "unsupported"
		}
		return "supported"
	case "mariadb-galera", "mysql-wsrep", "percona-xtradb-cluster":
		return "supported"
	}
	return "unknown"
}

// BinlogDefault is binlog_format's default: MIXED on MariaDB from 10.2.4
// (taken as 10.3 here), STATEMENT on older MariaDB and MySQL 5.6, ROW on
// MySQL 5.7 (5.7.7) and later; "" when unknown (never ROW on the servers
// an unknown Galera node of that age runs).
func (d DBServer) BinlogDefault() string {
	switch d.Flavor {
	case "mariadb":
		if d.atLeast(10, 3) {
			return "MIXED"
		}
		if d.Major > 0 && !d.AtLeast {
			if d.atLeast(10, 2) {
				return "" // 10.2.0-10.2.3 STATEMENT, 10.2.4 on MIXED
			}
			return "STATEMENT"
		}
	case "mariadb-galera":
		return "STATEMENT"
	case "mysql-wsrep", "percona-xtradb-cluster":
		if d.atLeast(5, 7) {
			return "ROW"
		}
		return "STATEMENT"
	}
	return ""
}

// AutoincDefault is innodb_autoinc_lock_mode's default: 2 on MySQL 8.0,
// 1 everywhere else.
func (d DBServer) AutoincDefault() string {
	if (d.Flavor == "mysql-wsrep" || d.Flavor == "percona-xtradb-cluster") && d.atLeast(8, 0) {
		return "2"
	}
	return "1"
}
