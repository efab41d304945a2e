package fleetgen

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The region template is testdata/scenarios/good-fleet/fleet: controllers
// ctl1..ctl3 behind the VIP 192.168.1.10, one DB node db1 (Galera member
// .21 of .21,.22,.23) and one compute, with no finding at all. Its
// addresses all start with templateNet.
const templateNet = "192.168.1."

// RegionSpec describes a multi-region fleet: Regions copies of the
// template, each with its own /24, 3 controllers behind its own VIP, 3
// Galera nodes and Computes computes. Every BadEvery-th region (1, 1+k,
// 1+2k, ...; 0: none) carries defects a linter must find: a Galera
// wait_timeout below the services' connection recycle time (cross-host),
// balance source on the API listeners and both nova archive jobs at the
// same minute (per host and cross-host).
type RegionSpec struct {
	Regions  int
	Computes int // per region, at least 1
	BadEvery int
}

// Hosts is the number of hosts the spec makes.
func (s RegionSpec) Hosts() int { return s.Regions * (6 + s.Computes) }

// RegionsFor returns a spec of about n hosts in regions of 25 hosts (3
// controllers, 3 DB nodes, 19 computes), every other region bad.
func RegionsFor(n int) RegionSpec {
	const per = 25
	r := (n + per - 1) / per
	if r < 1 {
		r = 1
	}
	return RegionSpec{Regions: r, Computes: per - 6, BadEvery: 2}
}

// RegionName names region i's hosts' prefix.
func RegionName(i int) string { return fmt.Sprintf("r%04d", i) }

// regionNet is region i's /24 (up to 65,536 regions).
func regionNet(i int) string { return fmt.Sprintf("10.%d.%d.", i/256%256, i%256) }

// Regions writes the fleet of spec under dir from the good-fleet template
// (hosts named r0000-ctl1, r0000-db2, r0000-compute0007, ...) and its
// oscfg.ini. It returns the number of files written.
func Regions(template, dir string, spec RegionSpec) (int, error) {
	if spec.Regions < 1 || spec.Computes < 1 {
		return 0, fmt.Errorf("fleetgen: want at least one region and one compute per region, got %+v", spec)
	}
	if spec.Regions > 65536 || spec.Computes > 200 {
		return 0, fmt.Errorf("fleetgen: at most 65,536 regions of 200 computes (one /24 each), got %+v", spec)
	}
	if err := checkTemplate(template); err != nil {
		return 0, err
	}
	if err := copyFile(filepath.Join(template, "oscfg.ini"), filepath.Join(dir, "oscfg.ini")); err != nil {
		return 0, err
	}
	files := 0
	for r := 0; r < spec.Regions; r++ {
		bad := spec.BadEvery > 0 && r%spec.BadEvery == 1%spec.BadEvery
		net := regionNet(r)
		edit := func(extra func(string) string) func([]byte) []byte {
			return func(b []byte) []byte {
				s := strings.ReplaceAll(string(b), templateNet, net)
				s = dbServers(s, net)
				if bad {
					s = breakRegion(s)
				}
				if extra != nil {
					s = extra(s)
				}
				return []byte(s)
			}
		}
		copies := []struct {
			src, name string
			extra     func(string) string
		}{
			{"ctl1", "ctl1", nil}, {"ctl2", "ctl2", nil}, {"ctl3", "ctl3", nil},
			{"db1", "db1", nil},
			{"db1", "db2", dbNode(net, 2)},
			{"db1", "db3", dbNode(net, 3)},
		}
		for c := 0; c < spec.Computes; c++ {
			copies = append(copies, struct {
				src, name string
				extra     func(string) string
			}{"compute1", fmt.Sprintf("compute%04d", c+1), setLine("my_ip", fmt.Sprintf("my_ip = %s%d", net, 31+c))})
		}
		for _, c := range copies {
			k, err := CopyTree(filepath.Join(template, c.src), filepath.Join(dir, RegionName(r)+"-"+c.name), edit(c.extra))
			files += k
			if err != nil {
				return files, err
			}
		}
	}
	return files, nil
}

// Controllers writes the worst case for cross-host rules: n controllers
// (copies of the template's ctl1 and ctl2, each with its own address)
// behind one VIP, sharing one 3-node Galera cluster, plus one compute.
// It returns the number of files written.
func Controllers(template, dir string, n int) (int, error) {
	if n < 1 || n > 60000 {
		return 0, fmt.Errorf("fleetgen: want 1..60000 controllers, got %d", n)
	}
	if err := checkTemplate(template); err != nil {
		return 0, err
	}
	if err := copyFile(filepath.Join(template, "oscfg.ini"), filepath.Join(dir, "oscfg.ini")); err != nil {
		return 0, err
	}
	files := 0
	write := func(src, name string, edit func([]byte) []byte) error {
		k, err := CopyTree(filepath.Join(template, src), filepath.Join(dir, name), edit)
		files += k
		return err
	}
	for i := 0; i < n; i++ {
		src := []string{"ctl1", "ctl2"}[i%2]
		own := templateNet + []string{"11", "12"}[i%2]
		addr := fmt.Sprintf("10.%d.%d.%d", 100+i/65536, i/256%256, i%256)
		// The host's own address: my_ip, haproxy's log target and stats
		// listener. Lists of peers (memcached, brokers, servers) stay.
		edit := func(b []byte) []byte {
			s := setLine("my_ip", "my_ip = "+addr)(string(b))
			s = strings.ReplaceAll(s, "log "+own+":", "log "+addr+":")
			s = strings.ReplaceAll(s, "bind "+own+":1984", "bind "+addr+":1984")
			return []byte(s)
		}
		if err := write(src, fmt.Sprintf("ctl%05d", i+1), edit); err != nil {
			return files, err
		}
	}
	for i := 1; i <= 3; i++ {
		var edit func([]byte) []byte
		if i > 1 {
			f := dbNode(templateNet, i)
			edit = func(b []byte) []byte { return []byte(f(string(b))) }
		}
		if err := write("db1", fmt.Sprintf("db%d", i), edit); err != nil {
			return files, err
		}
	}
	return files, write("compute1", "compute1", nil)
}

// checkTemplate fails early, with the path, when template is not the
// good-fleet layout.
func checkTemplate(template string) error {
	for _, h := range []string{"ctl1", "ctl2", "ctl3", "db1", "compute1"} {
		if st, err := os.Stat(filepath.Join(template, h)); err != nil || !st.IsDir() {
			return fmt.Errorf("fleetgen: %s is not a region template (no host %s; want testdata/scenarios/good-fleet/fleet)", template, h)
		}
	}
	return nil
}

// dbNode turns the template's db1 (address .21) into Galera node k of the
// same cluster: its own bind and node address and name; the cluster
// address keeps listing all three.
func dbNode(net string, k int) func(string) string {
	addr := fmt.Sprintf("%s%d", net, 20+k)
	return func(s string) string {
		s = setLine("bind-address", "bind-address            = "+addr)(s)
		s = setLine("wsrep_node_address", "wsrep_node_address       = "+addr)(s)
		return setLine("wsrep_node_name", fmt.Sprintf("wsrep_node_name          = db%d", k))(s)
	}
}

// dbServers points the region's DB listener at its own Galera nodes
// (.21-.23) instead of the template's controllers, so that services, the
// listener and the DB nodes are one connection path, as in a deployment
// with dedicated DB hosts.
func dbServers(s, net string) string {
	for k := 1; k <= 3; k++ {
		s = strings.ReplaceAll(s, fmt.Sprintf("server ctl%d %s1%d:3306", k, net, k), fmt.Sprintf("server db%d %s2%d:3306", k, net, k))
	}
	return s
}

// setLine replaces every line whose key (before "=") is key.
func setLine(key, line string) func(string) string {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `\s*=.*$`)
	return func(s string) string { return re.ReplaceAllLiteralString(s, line) }
}

// breakRegion injects a bad region's defects into one file's text.
func breakRegion(s string) string {
	// Galera nodes close idle connections after 300 s, before the
	// services recycle them (600 s).
	s = strings.Replace(s, "max_connections          = 4096", "max_connections          = 4096\nwait_timeout             = 300", 1)
	// API listeners pin clients by source address.
	s = strings.ReplaceAll(s, "    balance roundrobin", "    balance source")
	// Both controllers archive nova's deleted rows at 00:01.
	return strings.ReplaceAll(s, "31 0 * * * nova-manage db archive_deleted_rows", "1 0 * * * nova-manage db archive_deleted_rows")
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
