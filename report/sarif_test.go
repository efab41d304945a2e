package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
	"github.com/oscfg/oscfg/settings"
)

var fmtEngine struct {
	once sync.Once
	eng  *engine.Engine
	err  error
}

// fmtScenario lints a fleet directory the way `oscfg lint` does (its
// oscfg.ini, the embedded rules, redaction) and returns what a renderer
// gets.
func fmtScenario(t *testing.T, dir string) (*Report, Env) {
	t.Helper()
	st := settings.Default()
	if ini := filepath.Join(dir, "oscfg.ini"); fmtFileExists(ini) {
		var err error
		if st, err = settings.Load(ini); err != nil {
			t.Fatal(err)
		}
	}
	opt := loader.Options{}
	if st.Release != "" {
		opt.Release, opt.ReleaseSource = st.Release, "config"
	}
	fleet, err := loader.Load([]string{dir}, opt)
	if err != nil {
		t.Fatal(err)
	}
	fmtEngine.once.Do(func() { fmtEngine.eng, fmtEngine.err = engine.New(context.Background(), engine.Options{}) })
	if fmtEngine.err != nil {
		t.Fatal(fmtEngine.err)
	}
	eng := fmtEngine.eng
	val, err := engine.Input(loader.Input(fleet, loader.Settings{BlockDeviceWindowTarget: st.BlockDeviceWindowTarget}))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Eval(context.Background(), val)
	if err != nil {
		t.Fatal(err)
	}
	for i := range fs {
		fs[i].Source = loader.SourceOf(fleet, fs[i].Host, fs[i].File)
	}
	fs, _ = st.Apply(fs)
	fs = Redact(fs, redact.NewScrubber(fleet.Secrets))
	fixers.Resolve(fleet, fs)
	rules := map[string]*model.Rule{}
	for _, r := range eng.Rules() {
		rules[r.ID] = &model.Rule{ID: r.ID, Title: r.Title, Severity: r.Severity, Fix: r.Fix,
			Description: r.Description, Remedy: r.Remedy, References: r.References}
	}
	return New(fleet, fs, 0, "medium"), Env{Fleet: fleet, Root: dir, Rules: rules}
}

func fmtFileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// fmtFleets are the fleets every format is rendered from.
func fmtFleets(t *testing.T) []string {
	dirs, _ := filepath.Glob("../testdata/scenarios/*/fleet")
	dirs = append(dirs, "../testdata/demo-fleet")
	if len(dirs) < 2 {
		t.Fatal("no scenario fleets found")
	}
	return dirs
}

func renderFormat(t *testing.T, format string, r *Report, env Env) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, format, r, env); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // uri and uri-reference are checked, not only noted
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(sch *jsonschema.Schema, out []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestSARIFSchema validates the SARIF of every scenario fleet, and of an
// empty run, against the OASIS SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, dir := range fmtFleets(t) {
		r, env := fmtScenario(t, dir)
		if err := validateSARIF(sch, renderFormat(t, "sarif", r, env)); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
	_, env := fmtScenario(t, "../testdata/scenarios/good-fleet/fleet")
	empty := New(env.Fleet, nil, 0, "medium")
	out := renderFormat(t, "sarif", empty, env)
	if err := validateSARIF(sch, out); err != nil {
		t.Error(err)
	}
	if !bytes.Contains(out, []byte(`"results": []`)) {
		t.Errorf("a run without findings must still have results: []\n%s", out)
	}
	// The validator really rejects a broken log.
	if validateSARIF(sch, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[]}]}`)) == nil {
		t.Fatal("a driver without a name passed the schema")
	}
}

type sarifTestLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		ColumnKind string          `json:"columnKind"`
		Results    json.RawMessage `json:"results"`
	} `json:"runs"`
}

type sarifTestResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Level     string `json:"level"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Fixes []struct {
		ArtifactChanges []struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Replacements []struct {
				DeletedRegion struct {
					CharOffset int `json:"charOffset"`
					CharLength int `json:"charLength"`
				} `json:"deletedRegion"`
				InsertedContent struct {
					Text string `json:"text"`
				} `json:"insertedContent"`
			} `json:"replacements"`
		} `json:"artifactChanges"`
	} `json:"fixes"`
}

// TestSARIFLocationsRulesAndFixes: run from the repository root as CI
// runs it, locations are the files relative to it (the same paths as the
// github format's file= and JSON source, so code scanning finds them) with
// the finding's line, every result names its rule by index, and applying
// a result's fix to the file gives what oscfg fix would write.
func TestSARIFLocationsRulesAndFixes(t *testing.T) {
	t.Chdir("..")
	dir := "testdata/scenarios/api-timeouts-keepalive/fleet"
	r, env := fmtScenario(t, dir)
	annotated := map[string]bool{}
	for _, m := range regexp.MustCompile(`file=([^,]+),line=(\d+)`).FindAllStringSubmatch(string(renderFormat(t, "github", r, env)), -1) {
		annotated[m[1]+":"+m[2]] = true
	}
	var log sarifTestLog
	if err := json.Unmarshal(renderFormat(t, "sarif", r, env), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	var results []sarifTestResult
	if err := json.Unmarshal(run.Results, &results); err != nil {
		t.Fatal(err)
	}
	if len(results) != len(r.Findings) || len(results) == 0 {
		t.Fatalf("%d results for %d findings", len(results), len(r.Findings))
	}
	fixes := 0
	for i, res := range results {
		f := r.Findings[i]
		if res.RuleID != f.Rule || run.Tool.Driver.Rules[res.RuleIndex].ID != f.Rule {
			t.Errorf("result %d: rule %s index %d, finding %s", i, res.RuleID, res.RuleIndex, f.Rule)
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("result %d: location %+v is not relative to the root", i, loc.ArtifactLocation)
		}
		if want := filepath.Join(dir, f.Host, f.File); filepath.FromSlash(loc.ArtifactLocation.URI) != want || f.Source != want {
			t.Errorf("result %d: uri %s, JSON source %s, want %s", i, loc.ArtifactLocation.URI, f.Source, want)
		}
		if _, err := os.Stat(loc.ArtifactLocation.URI); err != nil {
			t.Errorf("result %d: uri %s is not a file from the working directory: %v", i, loc.ArtifactLocation.URI, err)
		}
		if !annotated[fmt.Sprintf("%s:%d", loc.ArtifactLocation.URI, f.Line)] {
			t.Errorf("result %d: %s:%d has no github annotation at the same path", i, loc.ArtifactLocation.URI, f.Line)
		}
		if loc.Region.StartLine != f.Line {
			t.Errorf("result %d: line %d, want %d", i, loc.Region.StartLine, f.Line)
		}
		if f.Fix == nil {
			continue
		}
		c := f.Resolved
		if !c.Changes() || len(res.Fixes) != 1 {
			t.Errorf("result %d (%s): %d fixes, resolved change %v", i, f.Rule, len(res.Fixes), c.Changes())
			continue
		}
		fixes++
		ch := res.Fixes[0].ArtifactChanges[0]
		src, err := os.ReadFile(filepath.FromSlash(ch.ArtifactLocation.URI))
		if err != nil {
			t.Fatal(err)
		}
		// Replacements address the original text; apply them back to front.
		text := []rune(string(src))
		for j := len(ch.Replacements) - 1; j >= 0; j-- {
			rp := ch.Replacements[j]
			d := rp.DeletedRegion
			text = append(append(append([]rune{}, text[:d.CharOffset]...), []rune(rp.InsertedContent.Text)...), text[d.CharOffset+d.CharLength:]...)
		}
		if string(text) != string(c.New) {
			t.Errorf("result %d (%s): fix gives\n%s\nwant\n%s", i, f.Rule, string(text), c.New)
		}
	}
	if fixes == 0 {
		t.Error("no result carried a fix")
	}
}

// TestSARIFFixWithSecretLeftOut: a fix whose inserted text would carry a
// secret is not emitted (masked, it would be wrong; unmasked, a leak).
func TestSARIFFixWithSecretLeftOut(t *testing.T) {
	r, env := fmtScenario(t, "../testdata/scenarios/db-gone-away/fleet")
	f := r.Findings[0]
	f.Fix = map[string]any{"op": "set", "host": "ctl1", "file": "/etc/nova/nova.conf", "section": "database", "key": "max_pool_size", "value": "20"}
	mask := newMasker(env.Fleet)
	resolve := func(f model.Finding) model.Finding {
		fs := []model.Finding{f}
		fixers.Resolve(env.Fleet, fs)
		return fs[0]
	}
	if sarifFixOf(".", resolve(f), mask) == nil {
		t.Fatal("a plain fix was left out")
	}
	f.Fix["key"], f.Fix["value"] = "password", "n3w-Passw0rd"
	if fx := sarifFixOf(".", resolve(f), mask); fx != nil {
		t.Errorf("fix inserting a password emitted: %+v", fx)
	}
}

// TestMaskerLines: evidence masking by the values parsers saw and by the
// shape of a secret setting, without touching ordinary lines.
func TestMaskerLines(t *testing.T) {
	m := &masker{sc: redact.NewScrubber([]string{"Sup3rSecret"})}
	for in, want := range map[string]string{
		"note: Sup3rSecret here":                "note: **** here",
		"password = abc":                        "password = ****",
		"# admin_token=abc":                     "# admin_token=****",
		"loose-password=abc":                    "loose-password=****",
		"connection = mysql://u:pw@h/db":        "connection = mysql://u:****@h/db",
		"  stats auth admin:pw":                 "  stats auth admin:****",
		"  user admin insecure-password pw":     "  user admin insecure-password ****",
		"0 1 * * * mysql -pxyz -e 'select 1'":   "0 1 * * * mysql -p**** -e 'select 1'",
		"0 1 * * * mysqldump --password=xyz db": "0 1 * * * mysqldump --password=**** db",
		"timeout server 1m":                     "timeout server 1m",
		"auth_type = password":                  "auth_type = password",
		"memcache_servers = 192.168.1.11:11211": "memcache_servers = 192.168.1.11:11211",
	} {
		if got := m.Line(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// helpUri is the rule's own page when it has one, else its first web
// reference.
func TestSarifHelpURIIsRulePage(t *testing.T) {
	ri := &model.Rule{ID: "OSC-X-001", References: []string{"repo path", "https://example.org/ref"}}
	if got := sarifRuleOf(ri).HelpURI; got != "https://example.org/ref" {
		t.Errorf("without a page: %q", got)
	}
	ri.Doc = "https://github.com/oscfg/oscfg/blob/main/docs/rules/x/OSC-X-001.md"
	if got := sarifRuleOf(ri).HelpURI; got != ri.Doc {
		t.Errorf("with a page: %q", got)
	}
}
