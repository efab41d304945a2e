// Package biggen writes absurd but legal configuration files (many keys,
// many sections, many jobs, many proxies) for the large-input benchmarks
// and the cost checks of docs/hardening.md. The content mixes real option
// names and repeated keys with filler, so the parsers, the loader's views,
// registry annotation and the rules all do their real work on it.
package biggen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Kind is one shape of large file.
type Kind struct {
	Name string // e.g. oslo-keys
	Path string // where it sits under a host root, e.g. /etc/nova/nova.conf
	line func(b *bytes.Buffer, i int)
	head string
}

// Kinds lists every shape, by name.
//
// Lines are short (about 15 bytes on average), so a million of them fit
// under the read cap, as in the 1M-line nova.conf of issue 8 (8.9 MB).
var Kinds = map[string]Kind{
	"oslo-keys": {Name: "oslo-keys", Path: "/etc/nova/nova.conf",
		head: "[DEFAULT]\ntransport_url = rabbit://nova:secret@ctl1:5672/\n",
		line: func(b *bytes.Buffer, i int) {
			// A new section every 10k keys; real options (repeated, so later
			// ones override) every 7th line; unknown keys otherwise.
			if i > 0 && i%10000 == 0 {
				fmt.Fprintf(b, "[%s]\n", osloSections[(i/10000)%len(osloSections)])
				return
			}
			if i%7 == 0 {
				fmt.Fprintf(b, "%s = %d\n", osloOptions[(i/7)%len(osloOptions)], i%100)
				return
			}
			fmt.Fprintf(b, "o%d = v\n", i)
		}},
	"oslo-sections": {Name: "oslo-sections", Path: "/etc/nova/nova.conf",
		head: "[DEFAULT]\ndebug = false\n",
		line: func(b *bytes.Buffer, i int) {
			if i%2 == 0 {
				fmt.Fprintf(b, "[s%d]\n", i/2)
				return
			}
			b.WriteString("k = v\n")
		}},
	"crontab": {Name: "crontab", Path: "/var/spool/cron/crontabs/keystone",
		head: "MAILTO=root\nSHELL=/bin/sh\n",
		line: func(b *bytes.Buffer, i int) {
			switch i % 10 {
			case 0:
				fmt.Fprintf(b, "%d * * * * keystone-manage token_flush\n", i%60)
			case 1:
				fmt.Fprintf(b, "*/%d %d * * 1-5 nova-manage db purge\n", i%30+1, i%24)
			case 2:
				b.WriteString("@hourly a\n")
			case 3:
				b.WriteString("#\n")
			default:
				fmt.Fprintf(b, "%d %d * * * c\n", i%60, i%24)
			}
		}},
	"haproxy": {Name: "haproxy", Path: "/etc/haproxy/haproxy.cfg",
		head: "global\n    maxconn 4096\n    log /dev/log local0\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n",
		line: func(b *bytes.Buffer, i int) {
			// Four lines per proxy.
			p := i / 4
			switch i % 4 {
			case 0:
				fmt.Fprintf(b, "listen p%d\n", p)
			case 1:
				fmt.Fprintf(b, " bind :%d\n", 1024+p%60000)
			case 2:
				b.WriteString(" mode tcp\n")
			default:
				fmt.Fprintf(b, " server a 10.%d.%d.1:80\n", p>>8&255, p&255)
			}
		}},
	"mycnf": {Name: "mycnf", Path: "/etc/my.cnf",
		head: "[client]\nport = 3306\n[mysqld]\n",
		line: func(b *bytes.Buffer, i int) {
			if i%7 == 0 {
				fmt.Fprintf(b, "%s = %d\n", mycnfOptions[(i/7)%len(mycnfOptions)], i%1000+1)
				return
			}
			fmt.Fprintf(b, "k%d=%d\n", i, i%10)
		}},
}

var osloSections = []string{"DEFAULT", "database", "api_database", "keystone_authtoken", "oslo_messaging_rabbit", "vnc", "libvirt", "placement", "neutron", "glance"}

// A few options nova reads, in the sections above (the section a key sits
// in is not always its own: that is legal, and the loader must cope).
var osloOptions = []string{"debug", "max_pool_size", "connection_recycle_time", "rpc_response_timeout",
	"heartbeat_timeout_threshold", "cpu_allocation_ratio", "reserved_host_memory_mb", "memcached_servers",
	"service_token_roles_required", "block_device_allocate_retries", "rabbit_ha_queues", "amqp_durable_queues"}

var mycnfOptions = []string{"max_connections", "innodb_buffer_pool_size", "wsrep_slave_threads",
	"max_allowed_packet", "innodb_flush_log_at_trx_commit", "wait_timeout", "thread_cache_size"}

// Names returns the kind names in a stable order.
func Names() []string {
	var n []string
	for k := range Kinds {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Lines returns a file of the kind with n generated lines after its head.
func (k Kind) Lines(n int) []byte {
	var b bytes.Buffer
	b.WriteString(k.head)
	for i := 0; i < n; i++ {
		k.line(&b, i)
	}
	return b.Bytes()
}

// Bytes returns a file of the kind of at most max bytes and as many whole
// generated lines as fit.
func (k Kind) Bytes(max int) []byte {
	var b, l bytes.Buffer
	b.WriteString(k.head)
	for i := 0; ; i++ {
		l.Reset()
		k.line(&l, i)
		if b.Len()+l.Len() > max {
			return b.Bytes()
		}
		b.Write(l.Bytes())
	}
}

// WriteHost writes src at the kind's path under a new host root dir/host
// and returns the host root.
func (k Kind) WriteHost(dir, host string, src []byte) (string, error) {
	root := filepath.Join(dir, host)
	p := filepath.Join(root, filepath.FromSlash(k.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return root, os.WriteFile(p, src, 0o600)
}
