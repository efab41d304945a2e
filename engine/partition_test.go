package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/fleetgen"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
)

// computeFleet writes n copies of the demo fleet's compute (which has
// findings of its own), each with its own address: hosts no rule relates
// to each other.
func computeFleet(t *testing.T, n int) (map[string]any, []string) {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for i := 0; i < n; i++ {
		src := "../testdata/demo-fleet/compute1"
		name := fmt.Sprintf("compute%03d", i)
		addr := fmt.Sprintf("10.9.%d.", i)
		if _, err := fleetgen.CopyTree(src, filepath.Join(dir, name), func(b []byte) []byte {
			return []byte(strings.ReplaceAll(string(b), "192.168.202.", addr))
		}); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	fleet, err := loader.Load([]string{dir}, loader.Options{Release: "mitaka", ReleaseSource: "config"})
	if err != nil {
		t.Fatal(err)
	}
	return loader.Input(fleet, loader.DefaultSettings), names
}

func TestPartitionsAgreeOnIndependentHosts(t *testing.T) {
	doc, names := computeFleet(t, 12)
	e, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := engine.Input(doc)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]bool{}
	for _, f := range whole {
		hosts[f.Host] = true
	}
	if len(hosts) < 2 {
		t.Fatalf("the fleet should give findings on several hosts, got %d findings on %v", len(whole), hosts)
	}
	perHost := make([][]string, len(names))
	for i, h := range names {
		perHost[i] = []string{h}
	}
	// Uneven groups, listed out of order.
	uneven := [][]string{{names[11], names[0], names[5]}, names[6:11], {names[1], names[2], names[3], names[4]}}
	for label, parts := range map[string][][]string{
		"whole fleet": engine.WholeFleet(doc),
		"per host":    perHost,
		"uneven":      uneven,
	} {
		got, err := e.EvalPartitions(context.Background(), in, parts)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if !reflect.DeepEqual(got, whole) {
			t.Errorf("%s: %d findings, want the %d of one evaluation\n%s", label, len(got), len(whole), firstDiff(got, whole))
		}
	}
}

func firstDiff(a, b []model.Finding) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf("at %d: %+v\nwant %+v", i, a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}

// Partitions that lose or repeat a host are refused: a host evaluated
// twice would report its findings twice, a lost one none.
func TestPartitionsMustCoverEachHostOnce(t *testing.T) {
	doc, names := computeFleet(t, 3)
	e, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := engine.Input(doc)
	if err != nil {
		t.Fatal(err)
	}
	for want, parts := range map[string][][]string{
		"host compute000 is in partition 1 and 2": {{names[0], names[1]}, {names[0], names[2]}},
		"1 hosts in no partition (compute002)":    {{names[0], names[1]}},
		"host ghost (partition 2) is not in":      {names, {"ghost"}},
	} {
		if _, err := e.EvalPartitions(context.Background(), in, parts); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// Input converts hosts in parallel; the value is the one OPA's own
// conversion gives.
func TestInputIsOPAsConversion(t *testing.T) {
	doc, _ := computeFleet(t, 5)
	got, err := engine.Input(doc)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ast.InterfaceToValue(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want) != 0 {
		t.Errorf("engine.Input differs from ast.InterfaceToValue")
	}
}
