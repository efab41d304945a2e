package topology_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/settings"
	"github.com/oscfg/oscfg/topology"
)

func key(f model.Finding) string {
	return fmt.Sprintf("%s|%s|%s|%d|%s|%s|%v|%v", f.Rule, f.Host, f.File, f.Line, f.Cluster, f.Message, f.Related, f.Fix)
}

// The partition contract: evaluating each cluster's hosts alone (with the
// topology computed once over the whole fleet) gives exactly the findings
// of evaluating the whole fleet. The engine may then evaluate clusters in
// parallel.
func TestEvaluatingByClusterGivesTheSameFindings(t *testing.T) {
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The generated regions of make bench as well: 4 regions, 2 bad.
	gen := t.TempDir()
	if _, err := fleetgen.Regions(filepath.Join("..", "testdata", "scenarios", "good-fleet", "fleet"), gen, fleetgen.RegionSpec{Regions: 4, Computes: 2, BadEvery: 2}); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []string{"multi-region", "db-capacity", "galera-settings", "token-flush-cron", "generated-regions"} {
		t.Run(sc, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "scenarios", sc, "fleet")
			if sc == "generated-regions" {
				dir = gen
			}
			st, err := settings.Load(filepath.Join(dir, "oscfg.ini"))
			if err != nil {
				t.Fatal(err)
			}
			fleet, err := loader.Load([]string{dir}, loader.Options{Discover: discover.Options{}, Release: st.Release, ReleaseSource: "config"})
			if err != nil {
				t.Fatal(err)
			}
			doc := loader.Input(fleet, loader.DefaultSettings)
			eval := func(d map[string]any) []string {
				v, err := engine.Input(d)
				if err != nil {
					t.Fatal(err)
				}
				fs, err := eng.Eval(ctx, v)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, f := range fs {
					out = append(out, key(f))
				}
				return out
			}
			whole := eval(doc)
			var parts []string
			names := topology.ClusterNames(doc)
			for _, c := range names {
				parts = append(parts, eval(topology.Partition(doc, c))...)
			}
			sort.Strings(whole)
			sort.Strings(parts)
			if len(whole) == 0 {
				t.Fatal("no findings: the comparison would prove nothing")
			}
			if fmt.Sprint(whole) != fmt.Sprint(parts) {
				t.Errorf("%d clusters: whole fleet gives %d findings, the partitions %d\nwhole: %v\nparts: %v", len(names), len(whole), len(parts), whole, parts)
			}
			if (sc == "multi-region" || sc == "generated-regions") && len(names) != 4 {
				t.Errorf("%s: %d clusters %v, want 4", sc, len(names), names)
			}
		})
	}
}
