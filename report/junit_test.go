package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// What a CI test view reads, declared independently of the writer.
type junitRead struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestJUnit parses the XML with encoding/xml: one testcase per rule ×
// host, counts that add up, and every finding in its own testcase — in the
// failure when at or above fail-on, in system-out below it.
func TestJUnit(t *testing.T) {
	for _, dir := range fmtFleets(t) {
		r, env := fmtScenario(t, dir)
		var got junitRead
		if err := xml.Unmarshal(renderFormat(t, "junit", r, env), &got); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		hosts := len(env.Fleet.Hosts)
		if len(got.Suites) != len(env.Rules) || got.Tests != len(env.Rules)*hosts {
			t.Errorf("%s: %d suites, %d tests; want %d rules × %d hosts", dir, len(got.Suites), got.Tests, len(env.Rules), hosts)
		}
		failures := 0
		seen := map[[2]string]bool{}
		for _, s := range got.Suites {
			sf := 0
			for _, c := range s.Cases {
				k := [2]string{c.Classname, c.Name}
				if seen[k] {
					t.Errorf("%s: testcase %v twice", dir, k)
				}
				seen[k] = true
				if c.Failure != nil {
					sf++
				}
			}
			if sf != s.Failures || len(s.Cases) != s.Tests {
				t.Errorf("%s: suite %s says %d/%d, has %d/%d", dir, s.Name, s.Failures, s.Tests, sf, len(s.Cases))
			}
			failures += sf
		}
		if failures != got.Failures {
			t.Errorf("%s: %d failures, attribute says %d", dir, failures, got.Failures)
		}
		for _, f := range r.Findings {
			failing := model.SeverityRank(f.Severity) >= model.SeverityRank(r.Summary.FailOn)
			found := false
			for _, s := range got.Suites {
				for _, c := range s.Cases {
					if c.Classname != f.Rule || c.Name != f.Host {
						continue
					}
					text := c.SystemOut
					if failing && c.Failure != nil {
						text = c.Failure.Text
					}
					found = strings.Contains(text, f.Message)
				}
			}
			if !found {
				t.Errorf("%s: finding %s on %s (%s) not in its testcase's %s", dir, f.Rule, f.Host, f.Severity, map[bool]string{true: "failure", false: "system-out"}[failing])
			}
		}
	}
}
