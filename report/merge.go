package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
)

// Named is one JSON result to merge, with the name it is known by.
type Named struct {
	Name   string
	Report *Report
}

// Decode reads a result written by --format json.
func Decode(name string, data []byte) (*Report, error) {
	var r Report
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not an oscfg JSON result (oscfg lint --format json): %v", name, err)
	}
	// Two results in one file (cat a.json b.json) would otherwise merge as
	// the first alone.
	if off := dec.InputOffset(); dec.Decode(new(json.RawMessage)) != io.EOF {
		return nil, fmt.Errorf("%s: more after the JSON result ends at byte %d: give each result as its own file", name, off)
	}
	if r.Findings == nil && r.Summary.BySeverity == nil {
		return nil, fmt.Errorf("%s: not an oscfg JSON result: no findings and no summary", name)
	}
	return &r, nil
}

// Merge joins the results of disjoint fleets (one per cluster or control
// node) into one report judged against failOn. A host in two results, or
// the same finding twice, is refused: counts would be doubled silently.
func Merge(parts []Named, failOn string) (*Report, error) {
	owner := map[string]string{}
	seen := map[string]string{}
	var fs []model.Finding
	s := Summary{BySeverity: map[string]int{}, ByRule: map[string]int{}, FailOn: failOn}
	releases := map[string]bool{}
	// An inline suppression belongs to one host, so to one part; an
	// oscfg.ini [ignore] line (no host) that several runs shared is unused
	// only when no part used it.
	unusedIn := map[string]int{}
	var unusedOrder []model.SuppressionNote
	for _, p := range parts {
		r := p.Report
		if r.Summary.Hosts > 0 && len(r.Summary.HostNames) == 0 {
			return nil, fmt.Errorf("%s: its summary has no host_names (written by an older oscfg); rerun lint --format json", p.Name)
		}
		for _, h := range r.Summary.HostNames {
			if o, dup := owner[h]; dup {
				return nil, fmt.Errorf("host %s is in both %s and %s: merge results of disjoint fleets", h, o, p.Name)
			}
			owner[h] = p.Name
		}
		for _, f := range r.Findings {
			id := fmt.Sprintf("%s|%s|%s|%d|%s|%s", f.Rule, f.Host, f.File, f.Line, f.Key, f.Message)
			if o, dup := seen[id]; dup {
				return nil, fmt.Errorf("finding %s at %s:%s:%d is in both %s and %s", f.Rule, f.Host, f.File, f.Line, o, p.Name)
			}
			seen[id] = p.Name
			fs = append(fs, f)
		}
		s.Hosts += r.Summary.Hosts
		s.HostNames = append(s.HostNames, r.Summary.HostNames...)
		s.Files += r.Summary.Files
		s.Suppressed += r.Summary.Suppressed
		s.Baselined += r.Summary.Baselined
		s.BaselineUnmatched += r.Summary.BaselineUnmatched
		s.Expired = append(s.Expired, r.Summary.Expired...)
		// What a part did not read or check stays said: a merged report
		// must not look more complete than its parts.
		s.Unread = append(s.Unread, r.Summary.Unread...)
		s.Warnings = append(s.Warnings, r.Summary.Warnings...)
		for _, n := range r.Summary.Unused {
			k := n.Rule + "|" + n.Match + "|" + n.Host + "|" + n.File + "|" + fmt.Sprint(n.Line)
			if unusedIn[k] == 0 {
				unusedOrder = append(unusedOrder, n)
			}
			unusedIn[k]++
		}
		if r.Summary.Release != "" {
			releases[r.Summary.Release] = true
		}
	}
	for _, n := range unusedOrder {
		k := n.Rule + "|" + n.Match + "|" + n.Host + "|" + n.File + "|" + fmt.Sprint(n.Line)
		if n.Host != "" || unusedIn[k] == len(parts) {
			s.Unused = append(s.Unused, n)
		}
	}
	sort.Strings(s.HostNames)
	for r := range releases {
		s.Release += "," + r
	}
	if s.Release != "" {
		rs := strings.Split(s.Release[1:], ",")
		sort.Strings(rs)
		s.Release = strings.Join(rs, ",")
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	for _, f := range fs {
		s.BySeverity[f.Severity]++
		s.ByRule[f.Rule]++
		if model.SeverityRank(f.Severity) >= model.SeverityRank(failOn) {
			s.Failed = true
		}
	}
	if len(s.Unread) > 0 {
		s.Failed = true
	}
	s.Findings = len(fs)
	if fs == nil {
		fs = []model.Finding{}
	}
	return &Report{Findings: fs, Summary: s}, nil
}
