package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/model"
)

// A cluster fact lists one location per host: the formats people read
// show the first MaxRelated and say how many more there are; JSON and
// SARIF keep every one.
func TestRelatedCappedForPeopleFullForMachines(t *testing.T) {
	f := model.Finding{Rule: "OSC-X-001", Severity: "high", Title: "t", Host: "ctl000", Cluster: "r1", File: "/etc/x.conf", Line: 2, Message: "m"}
	for i := 1; i <= 107; i++ {
		f.Related = append(f.Related, model.Related{Host: fmt.Sprintf("ctl%03d", i), File: "/etc/x.conf", Line: 2, Note: "same"})
	}
	r := &Report{Findings: []model.Finding{f}, Summary: Summary{Findings: 1, FailOn: "medium"}}
	for _, format := range []string{"text", "markdown", "html", "github"} {
		var b bytes.Buffer
		var err error
		if format == "text" {
			err = Text(&b, r, TextOptions{})
		} else {
			err = Render(&b, format, r, Env{})
		}
		if err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, "and 97 more") {
			t.Errorf("%s: no \"and 97 more\" line", format)
		}
		if !strings.Contains(out, "ctl010") || strings.Contains(out, "ctl011") {
			t.Errorf("%s: should show ctl001..ctl010 only", format)
		}
	}
	var b bytes.Buffer
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []model.Finding `json:"findings"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || len(doc.Findings[0].Related) != 107 || doc.Findings[0].Cluster != "r1" {
		t.Errorf("json: %d related, cluster %q", len(doc.Findings[0].Related), doc.Findings[0].Cluster)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				RelatedLocations []any `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(renderFormat(t, "sarif", r, Env{}), &sarif); err != nil {
		t.Fatal(err)
	}
	if n := len(sarif.Runs[0].Results[0].RelatedLocations); n != 107 {
		t.Errorf("sarif: %d relatedLocations, want 107", n)
	}
}
