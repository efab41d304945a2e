package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
)

func init() { Register("junit", JUnit) }

type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Skipped  int         `xml:"skipped,attr,omitempty"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// JUnit writes a JUnit XML report for CI test views: one testsuite per
// rule, one testcase per rule × host. A testcase fails when the host has
// findings of that rule at or above --fail-on, the same line the exit
// status draws; findings below it are listed in system-out so CI shows
// them without failing.
func JUnit(w io.Writer, r *Report, env Env) error {
	hosts := map[string]bool{}
	if env.Fleet != nil {
		for _, h := range env.Fleet.Hosts {
			hosts[h.Name] = true
		}
	}
	byCase := map[[2]string][]model.Finding{}
	for _, f := range r.Findings {
		hosts[f.Host] = true
		k := [2]string{f.Rule, f.Host}
		byCase[k] = append(byCase[k], f)
	}
	hostList := make([]string, 0, len(hosts))
	for h := range hosts {
		hostList = append(hostList, h)
	}
	sort.Strings(hostList)

	out := junitSuites{Name: "oscfg"}
	for _, ri := range ruleList(r, env) {
		suite := junitSuite{Name: ri.ID + " " + ri.Title}
		for _, h := range hostList {
			tc := junitCase{Name: h, Classname: ri.ID}
			var failing, other []model.Finding
			for _, f := range byCase[[2]string{ri.ID, h}] {
				if model.SeverityRank(f.Severity) >= model.SeverityRank(r.Summary.FailOn) {
					failing = append(failing, f)
				} else {
					other = append(other, f)
				}
			}
			if len(failing) > 0 {
				tc.File = failing[0].Source
				tc.Failure = &junitFailure{
					Message: fmt.Sprintf("%s on %s: %s", Plural(len(failing), worstSeverity(failing)+" finding", ""), h, ri.Title),
					Type:    worstSeverity(failing),
					Text:    junitText(failing),
				}
				suite.Failures++
			}
			tc.SystemOut = junitText(other)
			suite.Cases = append(suite.Cases, tc)
			suite.Tests++
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	if len(r.Summary.Unread) > 0 {
		// One failing case per file not read: CI must not show green for
		// files nobody looked at.
		suite := junitSuite{Name: "oscfg: files not read"}
		for _, u := range r.Summary.Unread {
			suite.Cases = append(suite.Cases, junitCase{Name: u, Classname: "unread",
				Failure: &junitFailure{Message: "not read: " + u, Type: "unread"}})
			suite.Tests++
			suite.Failures++
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	if len(r.Summary.Warnings) > 0 {
		// What the run could not check is a skipped case, not a pass:
		// CI shows it without failing the build (warnings do not fail
		// the run).
		suite := junitSuite{Name: "oscfg: not checked"}
		for _, m := range r.Summary.Warnings {
			suite.Cases = append(suite.Cases, junitCase{Name: m, Classname: "not-checked",
				Skipped: &junitSkipped{Message: "not checked: " + m}})
			suite.Tests++
			suite.Skipped++
		}
		out.Tests += suite.Tests
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func worstSeverity(fs []model.Finding) string {
	worst := ""
	for _, f := range fs {
		if worst == "" || model.SeverityRank(f.Severity) > model.SeverityRank(worst) {
			worst = f.Severity
		}
	}
	return worst
}

// junitText lists findings as the text format does.
func junitText(fs []model.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%s:%d: %s %s %s\n", f.Host, f.File, f.Line, f.Severity, f.Rule, f.Message)
		for _, rel := range f.Related {
			fmt.Fprintf(&b, "    %s:%s:%d: %s\n", rel.Host, rel.File, rel.Line, rel.Note)
		}
		if f.Fix != nil {
			fmt.Fprintf(&b, "    fix (%s): %s\n", f.FixClass, DescribeFix(f.Fix))
		}
	}
	return b.String()
}
