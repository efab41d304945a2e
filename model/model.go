// Package model holds the types every room shares: the fleet as loaded
// (hosts and their parsed files), releases, and findings. It does no
// parsing and no I/O.
package model

import (
	"strconv"
	"strings"
)

// Kinds of configuration file oscfg understands.
const (
	KindOslo    = "oslo"
	KindHAProxy = "haproxy"
	KindMyCnf   = "mycnf"
	KindCrontab = "crontab"
)

// Document is a parsed file of any dialect. Bytes gives back the exact
// input when nothing was edited; View is the dialect's part of the input
// document (docs/model.md) with secrets masked, plus the secrets it masked.
type Document interface {
	Bytes() []byte
	View() (map[string]any, []string)
}

// File is one configuration file of a host.
type File struct {
	HostPath string // as on the host: /etc/nova/nova.conf
	// Source is the disk path the bytes were read from. Under a host root
	// it is Host.Root joined with Real, the file's symlink-free host path
	// (links resolved inside the root as in a chroot); for a loose file it
	// is the path as named.
	Source  string
	Real    string // "" for loose files
	Kind    string
	Service string // nova, keystone, haproxy, mysql, cron, ...; "" when unknown
	// ServiceBy says how Service was decided: "name" (the file's name or
	// place), "kind" (haproxy, mysql, cron), "--service", "content: [token]"
	// (the sections that told), or, when Service is "", "none: " and why.
	ServiceBy string
	Mode      uint32 // permission bits as read (0 when unknown)
	Doc       Document
}

// Host is one machine's configuration.
type Host struct {
	Name string
	// Root is the directory holding etc/, as named ("" for loose files):
	// the root every path of the host resolves in (hostfs.Open(Root)).
	Root string
	// Cluster is the directory a nested fleet (FLEET/<cluster>/<host>)
	// put the host in; "" otherwise.
	Cluster string
	// Archive: Root is an archive (a sosreport tarball), read in memory
	// and never written.
	Archive bool
	Files   []*File
	// TimeZone is the host's local time zone (loader: /etc/localtime,
	// /etc/timezone); zero when unknown.
	TimeZone TimeZone
	// Release is the release the rules assume for this host, from the
	// best evidence found for it (Release.Source, Release.Reason).
	Release Release
	// Notes are what the loader assumed for this host, said once on
	// stderr (option files read without the my.cnf that includes them).
	Notes []string
}

// File returns the host's file at a host path, or nil.
func (h *Host) File(hostPath string) *File {
	for _, f := range h.Files {
		if f.HostPath == hostPath {
			return f
		}
	}
	return nil
}

// Fleet is everything one run looked at.
type Fleet struct {
	Hosts   []*Host
	Release Release
	// Unread are the files and directories --skip-unreadable let the run
	// go on without, each "host: path: reason".
	Unread []string
	// Warnings are what the run could not check and says so, each
	// "host: path: why" (an oslo file whose service is unknown gets no
	// service's rules).
	Warnings []string
	// Secrets are the unmasked secret values the parsers saw; renderers
	// scrub them from anything they print.
	Secrets []string
}

// Host returns the named host, or nil.
func (f *Fleet) Host(name string) *Host {
	for _, h := range f.Hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// Related points at another setting that contributes to a finding.
type Related struct {
	Host string `json:"host"`
	File string `json:"file"`
	Line int    `json:"line"`
	Note string `json:"note"`
}

// Finding is one rule violation, as rules return it plus the rule's
// metadata. Fix is data (an op for the fixers, its shape checked by
// CheckFixOp when decoded), never text.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Host     string `json:"host"`
	// Cluster is set on a cluster fact: a condition of a whole cluster
	// (input.topology), reported once at its first location with the rest
	// in Related. Baselines key such findings on rule, cluster and key.
	Cluster  string         `json:"cluster,omitempty"`
	File     string         `json:"file"`
	Source   string         `json:"source,omitempty"`
	Line     int            `json:"line"`
	Message  string         `json:"message"`
	Key      string         `json:"key,omitempty"`
	Related  []Related      `json:"related,omitempty"`
	Fix      map[string]any `json:"fix,omitempty"`
	FixClass string         `json:"fix_class,omitempty"`
	// Resolved is Fix resolved against the fleet (fixers.Resolve, after
	// redaction), for the renderers; nil before that and in results read
	// back from JSON.
	Resolved *Fix `json:"-"`
}

// AsInt reads an integer out of a value decoded from Rego or JSON (int,
// int64, float64, json.Number or a decimal string); anything else is 0.
func AsInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	case interface{ Int64() (int64, error) }:
		i, _ := n.Int64()
		return int(i)
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(n))
		if err == nil {
			return i
		}
	}
	return 0
}
