package hint

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"lint", "report", "fix", "rules", "explain", "model"}
	for word, want := range map[string]string{"lnit": "lint", "reprot": "report", "fxi": "fix", "xyz": "", "modle": "model", "": ""} {
		if got := Closest(word, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
	if got := DidYouMean("lnit", cands); got != " (did you mean lint?)" {
		t.Errorf("DidYouMean = %q", got)
	}
}
