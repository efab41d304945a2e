// Package report renders findings. Every renderer gets findings that
// Redact has already scrubbed, so no format can print a secret.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
)

// Summary counts what a run saw and found.
type Summary struct {
	Hosts int `json:"hosts"`
	// HostNames lets 'oscfg report --from' merge results of disjoint
	// fleets and refuse overlapping ones.
	HostNames  []string       `json:"host_names,omitempty"`
	Files      int            `json:"files"`
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"by_severity"`
	ByRule     map[string]int `json:"by_rule"`
	Suppressed int            `json:"suppressed"`
	Release    string         `json:"release"`
	FailOn     string         `json:"fail_on"`
	Failed     bool           `json:"failed"`

	// Baselined is how many of Suppressed the --baseline file hid, and
	// BaselineUnmatched how many of its entries matched no finding (fixed).
	Baselined         int `json:"baselined,omitempty"`
	BaselineUnmatched int `json:"baseline_unmatched,omitempty"`
	// Expired lists suppressions past their until= date (their findings
	// are reported again); Unused those that matched no finding.
	Expired []model.SuppressionNote `json:"expired_suppressions,omitempty"`
	Unused  []model.SuppressionNote `json:"unused_suppressions,omitempty"`
	// Unread lists what --skip-unreadable let the run go on without
	// ("host: path: reason"); any makes the run fail, since its findings
	// do not cover those files.
	Unread []string `json:"unread,omitempty"`
	// Warnings are what the run could not check ("host: path: why"): an
	// oslo file whose service is unknown gets no service's rules. They do
	// not fail the run.
	Warnings []string `json:"warnings,omitempty"`
}

// Report is one run's result.
type Report struct {
	Findings []model.Finding `json:"findings"`
	Summary  Summary         `json:"summary"`
}

// New builds a report and its summary.
func New(fleet *model.Fleet, fs []model.Finding, suppressed int, failOn string) *Report {
	s := Summary{Hosts: len(fleet.Hosts), Findings: len(fs), BySeverity: map[string]int{}, ByRule: map[string]int{},
		Suppressed: suppressed, Release: fleet.Release.Name, FailOn: failOn}
	for _, h := range fleet.Hosts {
		s.Files += len(h.Files)
		s.HostNames = append(s.HostNames, h.Name)
	}
	sort.Strings(s.HostNames)
	s.Unread = fleet.Unread
	s.Warnings = fleet.Warnings
	s.Failed = len(s.Unread) > 0
	for _, f := range fs {
		s.BySeverity[f.Severity]++
		s.ByRule[f.Rule]++
		if model.SeverityRank(f.Severity) >= model.SeverityRank(failOn) {
			s.Failed = true
		}
	}
	if fs == nil {
		fs = []model.Finding{}
	}
	return &Report{Findings: fs, Summary: s}
}

// Redact scrubs every string of every finding with the fleet's secrets.
// It is the one redaction step before any renderer.
func Redact(fs []model.Finding, sc *redact.Scrubber) []model.Finding {
	out := make([]model.Finding, len(fs))
	for i, f := range fs {
		f.Message = sc.String(f.Message)
		rel := make([]model.Related, len(f.Related))
		for j, r := range f.Related {
			r.Note = sc.String(r.Note)
			rel[j] = r
		}
		if f.Related != nil {
			f.Related = rel
		}
		if f.Fix != nil {
			f.Fix = scrubMap(f.Fix, sc)
		}
		out[i] = f
	}
	return out
}

func scrubMap(m map[string]any, sc *redact.Scrubber) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = sc.String(x)
		case map[string]any:
			out[k] = scrubMap(x, sc)
		case []any:
			arr := make([]any, len(x))
			for i, e := range x {
				if s, ok := e.(string); ok {
					arr[i] = sc.String(s)
				} else {
					arr[i] = e
				}
			}
			out[k] = arr
		default:
			out[k] = v
		}
	}
	return out
}

// JSON writes the report as indented JSON.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// DescribeFix renders a fix op as one human line.
func DescribeFix(fx map[string]any) string {
	op, _ := fx["op"].(string)
	get := func(k string) string { return fmt.Sprint(fx[k]) }
	switch op {
	case "set":
		return fmt.Sprintf("set [%s] %s = %s", get("section"), get("key"), get("value"))
	case "delete":
		return fmt.Sprintf("delete [%s] %s", get("section"), get("key"))
	case "rename":
		return fmt.Sprintf("rename [%s] %s to [%s] %s", get("section"), get("key"), get("to_section"), get("to_key"))
	case "haproxy_set":
		args := ""
		if a, ok := fx["args"].([]any); ok {
			var ss []string
			for _, x := range a {
				ss = append(ss, fmt.Sprint(x))
			}
			args = strings.Join(ss, " ")
		}
		return fmt.Sprintf("in %s set %s %s", get("section"), get("keyword"), args)
	case "haproxy_append":
		var ws []string
		if a, ok := fx["words"].([]any); ok {
			for _, x := range a {
				ws = append(ws, fmt.Sprint(x))
			}
		}
		return fmt.Sprintf("append %s to line %s", strings.Join(ws, " "), get("line"))
	case "comment_out":
		return fmt.Sprintf("comment out line %s", get("line"))
	case "cron_minute":
		return fmt.Sprintf("run line %s at minute %s", get("line"), get("minute"))
	}
	keys := make([]string, 0, len(fx))
	for k := range fx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var kv []string
	for _, k := range keys {
		kv = append(kv, k+"="+fmt.Sprint(fx[k]))
	}
	return strings.Join(kv, " ")
}

func colorize(sev string) string {
	code := map[string]string{"critical": "1;31", "high": "31", "medium": "33", "low": "36", "info": "2"}[sev]
	if code == "" {
		return sev
	}
	return "\x1b[" + code + "m" + sev + "\x1b[0m"
}

// MaxRelated is how many related locations the formats people read (text,
// Markdown, HTML, GitHub) show per finding; a cluster fact can have one
// per host. JSON and SARIF keep every one.
const MaxRelated = 10

// ShownRelated is the part of a related list that is shown, and how many
// are left out.
func ShownRelated(rel []model.Related) ([]model.Related, int) {
	if len(rel) <= MaxRelated {
		return rel, 0
	}
	return rel[:MaxRelated], len(rel) - MaxRelated
}

// MoreRelated is the line that stands for the related locations left out.
func MoreRelated(n int) string {
	return fmt.Sprintf("and %d more (all of them in --format json or sarif)", n)
}
