package main

import (
	"fmt"
	"io"
	"testing"

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
