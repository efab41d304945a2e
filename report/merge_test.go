package report

import (
	"slices"
	"strings"
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

// TestDecodeOneResult: a file holding two results (cat a.json b.json) is
// refused, not merged as its first; whitespace after the one result is
// fine.
func TestDecodeOneResult(t *testing.T) {
	one := `{"findings": [], "summary": {"by_severity": {}}}`
	if _, err := Decode("a.json", []byte(one+"\n\n")); err != nil {
		t.Errorf("one result: %v", err)
	}
	for _, data := range []string{one + one, one + "\n" + one, one + " x"} {
		_, err := Decode("ab.json", []byte(data))
		if err == nil || !strings.Contains(err.Error(), "ab.json: more after the JSON result ends at byte 48") {
			t.Errorf("%q: got %v", data, err)
		}
	}
}
