package fixers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

func needTool(t *testing.T, name string) {
	t.Helper()
	if lookTool(name) == "" {
		t.Skipf("%s not installed (.ci/run installs it): real checker not run", name)
	}
}

func onDisk(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const hapMain = `global
    maxconn 100
defaults
    mode http
    timeout connect 5s
    timeout client 1m
    timeout server 1m
backend nova_api
    server n1 127.0.0.1:8774
`

const hapFragment = `frontend nova_api_fe
    bind 127.0.0.1:18774
    default_backend nova_api
`

func TestCheckHAProxy(t *testing.T) {
	needTool(t, "haproxy")
	main := onDisk(t, "haproxy.cfg", hapMain)
	frag := onDisk(t, "nova.cfg", hapFragment)
	set := func(newMain, newFrag string) CheckSet {
		s := CheckSet{Host: "lb1", Kind: model.KindHAProxy, Files: []CheckFile{
			{HostPath: "/etc/haproxy/haproxy.cfg", Real: main, Old: []byte(hapMain)},
			{HostPath: "/etc/haproxy/conf.d/nova.cfg", Real: frag, Old: []byte(hapFragment)},
		}}
		if newMain != "" {
			s.Files[0].New = []byte(newMain)
		}
		if newFrag != "" {
			s.Files[1].New = []byte(newFrag)
		}
		return s
	}
	ctx := context.Background()
	t.Run("accepted", func(t *testing.T) {
		r, err := Check(ctx, set(strings.Replace(hapMain, "timeout client 1m", "timeout client 1h", 1), ""))
		if err != nil || r.Checker != "haproxy -c" || r.Refused != "" {
			t.Fatalf("%+v %v", r, err)
		}
	})
	t.Run("bad value refused", func(t *testing.T) {
		r, _ := Check(ctx, set(strings.Replace(hapMain, "timeout client 1m", "timeout client 1x", 1), ""))
		if r.Refused == "" || !strings.Contains(r.Refused, "/etc/haproxy/haproxy.cfg") {
			t.Fatalf("not refused with the host path: %+v", r)
		}
	})
	t.Run("fragment depends on main", func(t *testing.T) {
		// The main file alone is valid; with the fragment that routes to the
		// backend it no longer defines, haproxy refuses the configuration.
		r, _ := Check(ctx, set(strings.Replace(hapMain, "backend nova_api", "backend nova_api_old", 1), ""))
		if r.Refused == "" || !strings.Contains(r.Refused, "nova_api") {
			t.Fatalf("a main file breaking its fragment was not refused: %+v", r)
		}
	})
	t.Run("old already rejected here", func(t *testing.T) {
		bad := hapFragment + "    use_backend nowhere\n"
		s := set("", strings.Replace(bad, "18774", "18775", 1))
		s.Files[1].Old = []byte(bad)
		r, _ := Check(ctx, s)
		if r.Refused != "" || r.Skipped == "" {
			t.Fatalf("a checker that already rejects the old file must not judge the fix: %+v", r)
		}
	})
}

func TestCheckMyCnf(t *testing.T) {
	needTool(t, "my_print_defaults")
	old := "[mysqld]\nwait_timeout = 600\n"
	p := onDisk(t, "galera.cnf", old)
	ctx := context.Background()
	for _, c := range []struct {
		name, new string
		refused   bool
	}{
		{"accepted", "[mysqld]\nwait_timeout = 28800\n", false},
		{"broken header refused", "[mysqld\nwait_timeout = 600\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Check(ctx, CheckSet{Host: "db1", Kind: model.KindMyCnf, Files: []CheckFile{
				{HostPath: "/etc/my.cnf.d/galera.cnf", Real: p, Old: []byte(old), New: []byte(c.new)}}})
			if err != nil || r.Checker != "my_print_defaults" || (r.Refused != "") != c.refused {
				t.Fatalf("%+v %v", r, err)
			}
		})
	}
}

func TestCheckOslo(t *testing.T) {
	needTool(t, "oslo-config-validator")
	old := "[DEFAULT]\ndebug = false\n[database]\nconnection_recycle_time = 3600\n"
	p := onDisk(t, "nova.conf", old)
	ctx := context.Background()
	for _, c := range []struct {
		name, new string
		refused   bool
	}{
		{"known option accepted", strings.Replace(old, "3600", "600", 1), false},
		{"unknown option refused", old + "max_pool_sizee = 5\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Check(ctx, CheckSet{Host: "ctl1", Kind: model.KindOslo, Service: "nova", Files: []CheckFile{
				{HostPath: "/etc/nova/nova.conf", Real: p, Old: []byte(old), New: []byte(c.new)}}})
			if err != nil {
				t.Fatal(err)
			}
			if r.Skipped != "" {
				t.Skipf("oslo-config-validator cannot run here: %s", r.Skipped)
			}
			if (r.Refused != "") != c.refused {
				t.Fatalf("%+v", r)
			}
			if c.refused && !strings.Contains(r.Refused, "max_pool_sizee") {
				t.Fatalf("refusal does not name the option: %q", r.Refused)
			}
		})
	}
}

func TestCheckNothingChanged(t *testing.T) {
	r, err := Check(context.Background(), CheckSet{Kind: model.KindHAProxy, Files: []CheckFile{{HostPath: "/x", Old: []byte("a"), New: []byte("a")}}})
	if err != nil || r.Checker != "" || r.Skipped != "nothing changes" {
		t.Fatalf("%+v %v", r, err)
	}
}
