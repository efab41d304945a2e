package model

import "fmt"

// SuppressionNote is a suppression a run's summary lists: an inline
// "oscfg: ignore" comment (Host set, File the path on the host) or an
// [ignore] line of oscfg.ini (Host empty, File the settings file).
type SuppressionNote struct {
	Rule    string `json:"rule"`
	Match   string `json:"match,omitempty"` // oscfg.ini: its host=, path=, key= matchers
	Host    string `json:"host,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Until   string `json:"until,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Matched int    `json:"matched"` // findings it matches (expired: no longer hidden)
}

// Where is host:file:line, or file:line for oscfg.ini lines.
func (n SuppressionNote) Where() string {
	if n.Host != "" {
		return fmt.Sprintf("%s:%s:%d", n.Host, n.File, n.Line)
	}
	return fmt.Sprintf("%s:%d", n.File, n.Line)
}

// What is the rule, and for an oscfg.ini line its matchers.
func (n SuppressionNote) What() string {
	if n.Match != "" {
		return n.Rule + " " + n.Match
	}
	return n.Rule
}
