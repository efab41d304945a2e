package loader

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/mycnf"
)

// A [mariadb-X.Y] option group is read only by MariaDB X.Y (MariaDB's
// "Configuring MariaDB with Option Files"): a file that has one was
// written for that version.
var mariadbGroupRE = regexp.MustCompile(`^mariadb-([0-9]+)\.([0-9]+)$`)

// dbServerView is the "server_version" of a host's mysql view: which
// server the Galera rules judge the host by, why, and the defaults that
// follow. Evidence, strongest first: oscfg.ini [settings] mysql_server; a
// [mariadb-X.Y] group in the host's option files; then signs of an older
// server (an xtrabackup SST method, which MariaDB 10.3 and later refuse;
// a release before Newton, when Galera servers were MariaDB Galera
// 5.5/10.0 or MySQL-wsrep 5.6) that leave it unknown; else MariaDB 10.3 or
// later is assumed. wsrep options in a [galera] group, which only
// MariaDB 10.1 and later read, make it MariaDB.
func dbServerView(docs []*mycnf.Doc, merged map[string]any, setting string, rel model.Release) map[string]any {
	var srv model.DBServer
	source, why, assumed := "", "", false
	best, bestWhere := model.DBServer{}, ""
	for _, d := range docs {
		for _, g := range d.Groups {
			if m := mariadbGroupRE.FindStringSubmatch(strings.ToLower(g.Name)); m != nil {
				maj, _ := strconv.Atoi(m[1])
				mnr, _ := strconv.Atoi(m[2])
				s, _ := model.ParseDBServer(fmt.Sprintf("mariadb-%d.%d", maj, mnr))
				if bestWhere == "" || maj > best.Major || maj == best.Major && mnr > best.Minor {
					best, bestWhere = s, fmt.Sprintf("[%s] group in %s:%d, read only by that version", g.Name, d.Path, g.Line)
				}
			}
		}
	}
	server, _ := merged["server"].(map[string]any)
	opt := func(name string) map[string]any { m, _ := server[name].(map[string]any); return m }
	inGalera := false
	if p := opt("wsrep_provider"); p != nil && p["group"] == "galera" {
		inGalera = true
	}
	sst := ""
	if o := opt("wsrep_sst_method"); o != nil {
		sst, _ = o["value"].(string)
		sst = strings.ToLower(strings.TrimSpace(sst))
	}
	switch {
	case setting != "":
		srv, _ = model.ParseDBServer(setting)
		source, why = "setting", "oscfg.ini [settings] mysql_server = "+setting
	case bestWhere != "":
		srv, source, why = best, "file", bestWhere
	case sst == "xtrabackup" || sst == "xtrabackup-v2":
		src := opt("wsrep_sst_method")
		why = fmt.Sprintf("wsrep_sst_method = %s (%v:%v), which MariaDB 10.3 and later refuse, suggests an older server", sst, src["file"], src["line"])
		source = "sst"
		if inGalera {
			srv = model.DBServer{Flavor: "mariadb", Major: 10, Minor: 1, AtLeast: true}
		}
	case rel.Index > 0 && rel.Index < newtonIndex():
		why = fmt.Sprintf("release %s: Galera servers of that time were MariaDB Galera Cluster 5.5/10.0, MySQL-wsrep 5.6 or MariaDB 10.1", rel.Name)
		source = "release"
		if inGalera {
			srv = model.DBServer{Flavor: "mariadb", Major: 10, Minor: 1, AtLeast: true}
		}
	default:
		srv = model.DBServer{Flavor: "mariadb", Major: 10, Minor: 3, AtLeast: true}
		source, assumed = "default", true
		why = "no version in the option files; state it with [settings] mysql_server in oscfg.ini"
		if inGalera {
			why = "wsrep options in a [galera] group (read only by MariaDB 10.1 and later), no version in the option files; state it with [settings] mysql_server in oscfg.ini"
		}
	}
	name := srv.Name()
	if name == "" {
		name = "unknown"
	}
	return map[string]any{
		"name": name, "flavor": srv.Flavor, "source": source, "why": why, "assumed": assumed,
		"wsrep_on_default":          srv.WsrepOnDefault(),
		"xtrabackup_sst":            srv.XtrabackupSST(),
		"binlog_format_default":     srv.BinlogDefault(),
		"autoinc_lock_mode_default": srv.AutoincDefault(),
	}
}

func newtonIndex() int {
	n, _ := model.ReleaseIndex("newton")
	return n
}
