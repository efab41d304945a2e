package report

import (
	"slices"
	"testing"
)

// TestMergeKeepsWhatWasNotCovered: files a part did not read fail the
// merged verdict as they failed the part's, and what a part could not
// check is still said; a merge never looks more complete than its parts.
func TestMergeKeepsWhatWasNotCovered(t *testing.T) {
	a := &Report{Summary: Summary{Hosts: 1, HostNames: []string{"ctl1"}, Unread: []string{"ctl1: /etc/nova/nova.conf: permission denied"}, Failed: true}}
	b := &Report{Summary: Summary{Hosts: 1, HostNames: []string{"ctl2"}, Warnings: []string{"ctl2: /etc/x.conf: no service known"}}}
	m, err := Merge([]Named{{Name: "a.json", Report: a}, {Name: "b.json", Report: b}}, "medium")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Summary.Unread, a.Summary.Unread) || !slices.Equal(m.Summary.Warnings, b.Summary.Warnings) {
		t.Errorf("merged unread %v, warnings %v", m.Summary.Unread, m.Summary.Warnings)
	}
	if !m.Summary.Failed {
		t.Error("a merge with a file not read passed")
	}
	m, err = Merge([]Named{{Name: "b.json", Report: b}}, "medium")
	if err != nil || m.Summary.Failed {
		t.Errorf("warnings alone failed the merge: %v %v", err, m.Summary.Failed)
	}
}
