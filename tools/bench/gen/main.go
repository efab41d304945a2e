// Command gen writes a synthetic fleet for tools/bench/bench.sh:
//
//	go run ./tools/bench/gen -layout regions -hosts 1000 -out DIR
//	go run ./tools/bench/gen -layout controllers -hosts 1000 -out DIR
//
// regions: regions of 25 hosts (3 controllers, 3 Galera nodes, 19
// computes), every other one with defects; controllers: that many
// controllers in one cluster (the worst case for cross-host rules).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/oscfg/oscfg/internal/fleetgen"
)

func main() {
	layout := flag.String("layout", "regions", "regions or controllers")
	hosts := flag.Int("hosts", 1000, "number of hosts (regions: rounded up to whole regions)")
	out := flag.String("out", "", "directory to write (must not exist)")
	template := flag.String("template", "testdata/scenarios/good-fleet/fleet", "region template")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out DIR is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "gen: %s exists\n", *out)
		os.Exit(2)
	}
	var n, files int
	var err error
	switch *layout {
	case "regions":
		spec := fleetgen.RegionsFor(*hosts)
		n = spec.Hosts()
		files, err = fleetgen.Regions(*template, *out, spec)
	case "controllers":
		n = *hosts + 4
		files, err = fleetgen.Controllers(*template, *out, *hosts)
	default:
		err = fmt.Errorf("unknown -layout %q (regions or controllers)", *layout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	fmt.Printf("%d hosts %d files\n", n, files)
}
