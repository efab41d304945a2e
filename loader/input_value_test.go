package loader_test

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/internal/biggen"
	"github.com/oscfg/oscfg/loader"
)

// engine.Input converts the document its own way (shared time sets);
// the value must be the one OPA's generic conversion gives.
func TestEngineInputMatchesOPA(t *testing.T) {
	dir := t.TempDir()
	for _, name := range biggen.Names() {
		k := biggen.Kinds[name]
		if _, err := k.WriteHost(dir, name, k.Lines(200)); err != nil {
			t.Fatal(err)
		}
	}
	for _, paths := range [][]string{{"../testdata/demo-fleet"}, {dir}} {
		fleet, err := loader.Load(paths, loader.Options{Release: "zed", ReleaseSource: "config"})
		if err != nil {
			t.Fatal(err)
		}
		doc := loader.Input(fleet, loader.DefaultSettings)
		got, err := engine.Input(doc)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ast.InterfaceToValue(doc)
		if err != nil {
			t.Fatal(err)
		}
		if got.Compare(want) != 0 {
			t.Errorf("%v: engine.Input differs from ast.InterfaceToValue", paths)
		}
	}
}
