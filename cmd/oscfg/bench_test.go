package main

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/fleetgen"
)

const regionTemplate = "../../testdata/scenarios/good-fleet/fleet"

// BenchmarkLint measures `oscfg lint --format json` end to end, policies
// compiled every time as in one process (profile a stage with
// -cpuprofile): multi-region fleets (fleetgen.RegionsFor) and the worst
// case for cross-host rules, many controllers in one cluster. Sizes are
// kept small enough for `make bench`; tools/bench/bench.sh times the
// large fleets as whole processes.
func BenchmarkLint(b *testing.B) {
	type fleet struct {
		name  string
		write func(dir string) (int, error)
	}
	var fleets []fleet
	for _, n := range []int{1, 100, 1000} {
		spec := fleetgen.RegionsFor(n)
		if n == 1 {
			fleets = append(fleets, fleet{"host=1", func(dir string) (int, error) {
				return fleetgen.CopyTree(regionTemplate+"/ctl1", dir, nil)
			}})
			continue
		}
		fleets = append(fleets, fleet{fmt.Sprintf("regions/hosts=%d", spec.Hosts()), func(dir string) (int, error) {
			return fleetgen.Regions(regionTemplate, dir, spec)
		}})
	}
	fleets = append(fleets, fleet{"controllers=100", func(dir string) (int, error) {
		return fleetgen.Controllers(regionTemplate, dir, 100)
	}})
	for _, f := range fleets {
		bench(b, f.name, f.write)
	}
	// What evaluation costs once each cluster is a partition (topology):
	// fleetgen's regions share nothing, so their host-name prefix is a
	// right partition for them, though not for fleets in general.
	defer func(p engine.Partition) { partition = p }(partition)
	partition = byRegion
	for _, f := range fleets[1:3] {
		bench(b, f.name+"/partition=region", f.write)
	}
}

// byRegion groups fleetgen's region hosts (r0001-ctl1) by region.
func byRegion(doc map[string]any) [][]string {
	groups := map[string][]string{}
	var order []string
	for _, hs := range engine.WholeFleet(doc) {
		for _, h := range hs {
			r, _, _ := strings.Cut(h, "-")
			if groups[r] == nil {
				order = append(order, r)
			}
			groups[r] = append(groups[r], h)
		}
	}
	out := make([][]string, 0, len(order))
	for _, r := range order {
		out = append(out, groups[r])
	}
	return out
}

// bench times lint over the fleet write makes.
func bench(b *testing.B, name string, write func(string) (int, error)) {
	b.Run(name, func(b *testing.B) {
		dir := b.TempDir()
		files, err := write(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if code := run([]string{"lint", "--format", "json", "--release", "zed", dir}, io.Discard, io.Discard); code > exitFindings {
				b.Fatalf("exit %d", code)
			}
		}
		b.ReportMetric(float64(files), "files")
	})
}
