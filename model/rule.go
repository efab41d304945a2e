package model

import "strings"

// Rule is one rule's metadata, read from its METADATA annotation by the
// engine; the renderers, explain and the rule pages all show this one
// type.
type Rule struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	// Severities are the other tiers the rule's findings may carry
	// (custom.severities: severity -> when), most severe first.
	Severities  []Tier   `json:"severities,omitempty"`
	Fix         string   `json:"fix"` // safe, unsafe or manual; "" for a rule that returns no fix
	Description string   `json:"description"`
	Remedy      string   `json:"remedy,omitempty"`
	References  []string `json:"references,omitempty"`
	Package     string   `json:"package"`        // data.oscfg.rules.<name> or data.oscfg.user.<name>
	Source      string   `json:"source"`         // file:line of its METADATA
	User        bool     `json:"user,omitempty"` // from a --policy directory
	// Doc is the address of the rule's page (docs/rules/), "" for a rule
	// without one (user rules). The engine sets it; `oscfg rules --format
	// json` does not list it.
	Doc string `json:"-"`
}

// Tier is a severity a rule's findings may carry besides its default,
// and when.
type Tier struct {
	Severity string `json:"severity"`
	When     string `json:"when"`
}

// Declares reports whether a finding of severity s is one the rule says
// it emits.
func (r *Rule) Declares(s string) bool {
	if s == r.Severity {
		return true
	}
	for _, t := range r.Severities {
		if t.Severity == s {
			return true
		}
	}
	return false
}

// SeverityRange is "low..high" for a rule with tiers, else its severity.
func (r *Rule) SeverityRange() string {
	lo, hi := r.Severity, r.Severity
	for _, t := range r.Severities {
		if SeverityRank(t.Severity) < SeverityRank(lo) {
			lo = t.Severity
		}
		if SeverityRank(t.Severity) > SeverityRank(hi) {
			hi = t.Severity
		}
	}
	if lo == hi {
		return lo
	}
	return lo + ".." + hi
}

// TierLines say when each other severity applies, one "high: when ..."
// each, most severe first.
func (r *Rule) TierLines() []string {
	var out []string
	for _, t := range r.Severities {
		out = append(out, t.Severity+": "+t.When)
	}
	return out
}

// TiersText is the tiers on one line, for tooltips and lists.
func (r *Rule) TiersText() string {
	if len(r.Severities) == 0 {
		return r.Severity
	}
	return r.Severity + " by default; " + strings.Join(r.TierLines(), "; ")
}
