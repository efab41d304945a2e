package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

const filesUsage = `Usage: oscfg files [flags] PATH...

Lists the configuration files oscfg reads under PATH, one per line as
HOST:PATH-ON-HOST SOURCE KIND SERVICE (how it was decided), after following my.cnf includes and haproxy
fragments and applying [exclude]. It reads what lint reads and checks
nothing. deploy/ansible's audit playbook runs it on every host to fetch
exactly these files.

Examples:
  oscfg files /                  # what oscfg would read on this host
  oscfg files --format json fleet/
`

// listedFile is one line of 'oscfg files'.
type listedFile struct {
	Host   string `json:"host"`
	Path   string `json:"path"`   // as on the host
	Source string `json:"source"` // where it was read
	Kind   string `json:"kind"`
	// Service is "" when unknown; ServiceBy says how it was decided
	// ("name", "kind", "--service", "content: [token]", "none: ...").
	Service   string `json:"service"`
	ServiceBy string `json:"service_by"`
}

func cmdFiles(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("files", filesUsage, stderr)
	var lf loadFlags
	lf.register(fs)
	format := fs.StringP("format", "f", "text", "text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("files: unknown format %q (text or json)", *format)}
	}
	ld, err := load(&lf, fs.Args(), nil)
	if err != nil {
		return err
	}
	var out []listedFile
	for _, h := range ld.Fleet.Hosts {
		for _, f := range h.Files {
			out = append(out, listedFile{Host: h.Name, Path: f.HostPath, Source: f.Source, Kind: f.Kind, Service: f.Service, ServiceBy: f.ServiceBy})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Path < out[j].Path
	})
	if *format == "json" {
		if out == nil {
			out = []listedFile{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, f := range out {
		fmt.Fprintf(stdout, "%s:%s %s %s %s (%s)\n", f.Host, f.Path, f.Source, f.Kind, firstNonEmpty(f.Service, "-"), f.ServiceBy)
	}
	return nil
}
