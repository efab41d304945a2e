package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/oscfg/oscfg/internal/buildinfo"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/redact"
)

func init() { Register("html", HTML) }

//go:embed html.tmpl
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"rich":   richText,
	"f1":     func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"plural": func(n int, word string) string { return Plural(n, word, "") },
	"inc":    func(n int) int { return n + 1 },
}).Parse(htmlSource))

// HTML writes the audit report: one self-contained page (inline CSS,
// SVG charts and a few lines of script, a CSP that forbids loading
// anything) with the summary, a rule × host matrix and every finding with
// its evidence lines, related settings, fix and references.
func HTML(w io.Writer, r *Report, env Env) error {
	return htmlTmpl.Execute(w, buildHTMLView(r, env))
}

type (
	htmlView struct {
		Generated    string
		Version      string // oscfg's, with its commit when known
		Scanned      string // the PATHs, or the results merged
		Merged       bool
		Verdict      string // why the run passed or failed, against --fail-on
		S            Summary
		RulesChecked int
		Severities   []string
		SevCounts    []sevCount
		Donut        []donutSeg
		RuleChart    stackChart
		HostChart    stackChart
		Hosts        []string
		Matrix       []matrixRow
		CleanRules   []*model.Rule
		Groups       []htmlGroup
	}
	sevCount struct {
		Sev string
		N   int
	}
	// donutSeg is one severity's arc of the ring: an SVG path from angle
	// to angle (Path), or the whole ring (Full) when it is the only one.
	donutSeg struct {
		Sev  string
		N    int
		Pc   float64
		Path string
		Full bool
	}
	stackChart struct {
		Height int
		Rows   []stackRow
	}
	stackRow struct {
		Label, Title, Href string
		Y, N               int
		EndX               float64
		Segs               []stackSeg
	}
	stackSeg struct {
		Sev  string
		X, W float64
		N    int
	}
	matrixRow struct {
		*model.Rule
		Total int
		Cells []matrixCell
	}
	matrixCell struct {
		Host, Sev, Href string
		N               int
	}
	htmlGroup struct {
		Rule     *model.Rule
		Anchor   string
		Worst    string
		Count    int // findings; Findings holds one entry per set of hosts with the same one
		Refs     []htmlRef
		Findings []htmlFinding
	}
	htmlRef struct{ Text, URL string }
	// htmlFinding is one finding, or the same finding on several hosts
	// (same rule, file, message, related settings and fix): Also lists the
	// hosts after the first, with their evidence when it differs.
	htmlFinding struct {
		Anchor, Severity, Host, File, Message string
		Line                                  int
		Also                                  []htmlLoc
		HostList                              string // every host, space-separated, for the filter
		Evidence                              []evLine
		Related                               []htmlRelated
		MoreRelated                           string
		Fix, FixClass, Patch                  string
		PatchMasked                           bool
	}
	htmlLoc struct {
		Host, File string
		Line       int
		Evidence   []evLine
	}
	htmlRelated struct {
		Host, File, Note string
		Line             int
		Evidence         []evLine
	}
	evLine struct {
		N    int
		Text string
		Hit  bool
	}
)

// evidenceContext is how many lines around a finding's line are shown.
const evidenceContext = 2

func buildHTMLView(r *Report, env Env) htmlView {
	v := htmlView{Generated: time.Now().UTC().Format("2006-01-02 15:04 UTC"), S: r.Summary, RulesChecked: len(env.Rules), Severities: model.Severities,
		Version: versionLine(), Scanned: scannedLine(env), Merged: env.Merged, Verdict: verdictLine(r)}
	for _, sev := range model.Severities {
		v.SevCounts = append(v.SevCounts, sevCount{sev, r.Summary.BySeverity[sev]})
	}
	v.Donut = donut(v.SevCounts)

	hostSet := map[string]bool{}
	if env.Fleet != nil {
		for _, h := range env.Fleet.Hosts {
			hostSet[h.Name] = true
		}
	}
	for _, f := range r.Findings {
		hostSet[f.Host] = true
	}
	for h := range hostSet {
		v.Hosts = append(v.Hosts, h)
	}
	sort.Strings(v.Hosts)

	ev := &evidence{fleet: env.Fleet, mask: newMasker(env.Fleet), lines: map[*model.File][]string{}}
	firstOf := map[[2]string]string{} // rule, host -> anchor of its first finding
	cell := map[[2]string][]model.Finding{}
	n := 0
	for _, g := range groupByRule(r, env) {
		hg := htmlGroup{Rule: g.Rule, Anchor: "rule-" + g.Rule.ID, Worst: worstSeverity(g.Findings)}
		for _, ref := range g.Rule.References {
			hr := htmlRef{Text: ref}
			if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
				hr.URL = ref
			}
			hg.Refs = append(hg.Refs, hr)
		}
		hg.Count = len(g.Findings)
		same := map[string]int{} // sameKey -> index in hg.Findings
		for _, f := range g.Findings {
			k := [2]string{f.Rule, f.Host}
			sk := sameKey(f)
			if i, ok := same[sk]; ok {
				hf := &hg.Findings[i]
				loc := htmlLoc{Host: f.Host, File: f.File, Line: f.Line}
				if e := ev.around(f.Host, f.File, f.Line, evidenceContext); !sameEvidence(e, hf.Evidence) {
					loc.Evidence = e
				}
				hf.Also = append(hf.Also, loc)
				hf.HostList += " " + f.Host
				if _, ok := firstOf[k]; !ok {
					firstOf[k] = hf.Anchor
				}
				cell[k] = append(cell[k], f)
				continue
			}
			same[sk] = len(hg.Findings)
			n++
			hf := htmlFinding{Anchor: fmt.Sprintf("f%d", n), Severity: f.Severity, Host: f.Host, File: f.File, HostList: f.Host,
				Line: f.Line, Message: f.Message, Evidence: ev.around(f.Host, f.File, f.Line, evidenceContext)}
			shown, more := ShownRelated(f.Related)
			if more > 0 {
				hf.MoreRelated = MoreRelated(more)
			}
			for _, rel := range shown {
				hf.Related = append(hf.Related, htmlRelated{Host: rel.Host, File: rel.File, Line: rel.Line, Note: rel.Note,
					Evidence: ev.around(rel.Host, rel.File, rel.Line, 0)})
			}
			if f.Fix != nil {
				hf.Fix, hf.FixClass = DescribeFix(f.Fix), f.FixClass
				if c := f.Resolved; c.Changes() {
					// Resolved with the fleet's secrets masked: the patch's
					// context may hold a neighbouring secret line.
					hf.Patch, hf.PatchMasked = strings.TrimRight(c.Patch, "\n"), c.PatchMasked
				}
			}
			if _, ok := firstOf[k]; !ok {
				firstOf[k] = hf.Anchor
			}
			cell[k] = append(cell[k], f)
			hg.Findings = append(hg.Findings, hf)
		}
		v.Groups = append(v.Groups, hg)
	}

	// The matrix has a row per rule that found something; the rules that
	// found nothing are listed under it, so an auditor sees they ran.
	for _, ri := range ruleList(r, env) {
		row := matrixRow{Rule: ri}
		for _, h := range v.Hosts {
			fs := cell[[2]string{ri.ID, h}]
			row.Cells = append(row.Cells, matrixCell{Host: h, N: len(fs), Sev: worstSeverity(fs), Href: "#" + firstOf[[2]string{ri.ID, h}]})
			row.Total += len(fs)
		}
		if row.Total == 0 {
			v.CleanRules = append(v.CleanRules, ri)
			continue
		}
		v.Matrix = append(v.Matrix, row)
	}
	sort.SliceStable(v.Matrix, func(i, j int) bool {
		a, b := model.SeverityRank(v.Matrix[i].Severity), model.SeverityRank(v.Matrix[j].Severity)
		return a > b || a == b && v.Matrix[i].ID < v.Matrix[j].ID
	})

	var ruleRows, hostRows []stackRow
	for _, g := range v.Groups {
		ruleRows = append(ruleRows, stackRow{Label: g.Rule.ID, Title: g.Rule.Title, Href: "#" + g.Anchor, Segs: sevSegs(findingsOf(r, func(f model.Finding) bool { return f.Rule == g.Rule.ID }))})
	}
	for _, h := range v.Hosts {
		hostRows = append(hostRows, stackRow{Label: h, Title: h, Segs: sevSegs(findingsOf(r, func(f model.Finding) bool { return f.Host == h }))})
	}
	v.RuleChart, v.HostChart = layoutStack(ruleRows), layoutStack(hostRows)
	return v
}

// sameKey says when findings of one rule on different hosts are the same
// finding: same severity, file, message, related settings and fix. A
// cross-host condition (a VIP's listener on each load balancer, a
// cluster's shared timeout) is then shown once with its hosts.
func sameKey(f model.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s", f.Severity, f.File, f.Message, f.FixClass)
	if f.Fix != nil {
		b.WriteString("\x00" + DescribeFix(f.Fix))
	}
	for _, rel := range f.Related {
		fmt.Fprintf(&b, "\x00%s:%s:%d:%s", rel.Host, rel.File, rel.Line, rel.Note)
	}
	return b.String()
}

func sameEvidence(a, b []evLine) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// verdictLine explains the verdict: what made the run fail, or that
// nothing did, against --fail-on.
func verdictLine(r *Report) string {
	s := r.Summary
	at := 0
	var counts []string
	for _, sev := range model.Severities {
		if model.SeverityRank(sev) >= model.SeverityRank(s.FailOn) && s.BySeverity[sev] > 0 {
			at += s.BySeverity[sev]
			counts = append(counts, fmt.Sprintf("%d %s", s.BySeverity[sev], sev))
		}
	}
	var out string
	if at > 0 {
		out = fmt.Sprintf("%s at or above %s (--fail-on %s): %s", Plural(at, "finding", ""), s.FailOn, s.FailOn, strings.Join(counts, ", "))
	} else {
		out = fmt.Sprintf("no finding at or above %s (--fail-on %s)", s.FailOn, s.FailOn)
		if below := s.Findings; below > 0 {
			out += fmt.Sprintf("; %s below it", Plural(below, "finding", ""))
		}
	}
	if n := len(s.Unread); n > 0 {
		out += fmt.Sprintf("; %s could not be read (--skip-unreadable), so the run fails", Plural(n, "file or directory", "files or directories"))
	}
	return out
}

// versionLine is the oscfg that wrote the report.
func versionLine() string {
	in := buildinfo.Get()
	if in.Commit != "" && !strings.Contains(in.Version, in.Commit[:min(len(in.Commit), 12)]) {
		return fmt.Sprintf("oscfg %s (commit %.12s)", in.Version, in.Commit)
	}
	return "oscfg " + in.Version
}

// scannedLine is what the run read.
func scannedLine(env Env) string {
	paths := env.Paths
	if len(paths) == 0 && env.Root != "" {
		paths = []string{env.Root}
	}
	if len(paths) == 0 {
		return ""
	}
	if len(paths) > 5 {
		return strings.Join(paths[:5], ", ") + fmt.Sprintf(" and %d more", len(paths)-5)
	}
	return strings.Join(paths, ", ")
}

func findingsOf(r *Report, keep func(model.Finding) bool) []model.Finding {
	var out []model.Finding
	for _, f := range r.Findings {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// sevSegs counts findings per severity, most severe first (widths are
// filled in by layoutStack).
func sevSegs(fs []model.Finding) []stackSeg {
	var segs []stackSeg
	for _, sev := range model.Severities {
		n := 0
		for _, f := range fs {
			if f.Severity == sev {
				n++
			}
		}
		if n > 0 {
			segs = append(segs, stackSeg{Sev: sev, N: n})
		}
	}
	return segs
}

// Geometry of the bar charts (SVG user units; the SVG scales to its box).
const (
	chartLabelW = 150.0
	chartBarW   = 230.0
	chartRowH   = 26
)

// layoutStack places each row's severity segments, scaled to the longest
// row.
func layoutStack(rows []stackRow) stackChart {
	longest := 0
	for i := range rows {
		for _, s := range rows[i].Segs {
			rows[i].N += s.N
		}
		longest = max(longest, rows[i].N)
	}
	for i := range rows {
		rows[i].Y = i * chartRowH
		if len(rows[i].Label) > 20 {
			rows[i].Label = rows[i].Label[:19] + "…"
		}
		x := chartLabelW
		for j := range rows[i].Segs {
			w := chartBarW * float64(rows[i].Segs[j].N) / float64(longest)
			rows[i].Segs[j].X, rows[i].Segs[j].W = x, w
			x += w
		}
		rows[i].EndX = x + 6
	}
	return stackChart{Height: len(rows)*chartRowH + 4, Rows: rows}
}

// Donut geometry: a ring of radius donutR around (donutC, donutC), one
// stroked arc per severity, clockwise from 12 o'clock.
const (
	donutR = 60.0
	donutC = 90.0
)

// donut draws each arc as a path between computed points: the first
// starts and the last ends exactly at 12 o'clock. (Dashed circles, drawn
// before, repeat their dash pattern at a period rounded to 0.1, which left
// a sliver of the first colour, or a gap, at 12 o'clock.)
func donut(counts []sevCount) []donutSeg {
	total := 0
	for _, c := range counts {
		total += c.N
	}
	if total == 0 {
		return nil
	}
	point := func(done int) string {
		if done == total {
			done = 0 // the same point as the start, exactly
		}
		a := 2*math.Pi*float64(done)/float64(total) - math.Pi/2
		return fmt.Sprintf("%.3f %.3f", donutC+donutR*math.Cos(a), donutC+donutR*math.Sin(a))
	}
	var segs []donutSeg
	done := 0
	for _, c := range counts {
		if c.N == 0 {
			continue
		}
		seg := donutSeg{Sev: c.Sev, N: c.N, Pc: 100 * float64(c.N) / float64(total)}
		if c.N == total {
			seg.Full = true
		} else {
			large := 0
			if 2*c.N > total {
				large = 1
			}
			seg.Path = fmt.Sprintf("M %s A %g %g 0 %d 1 %s", point(done), donutR, donutR, large, point(done+c.N))
		}
		segs = append(segs, seg)
		done += c.N
	}
	return segs
}

// evidence reads a file's own lines, masked, for showing next to a
// finding.
type evidence struct {
	fleet *model.Fleet
	mask  *masker
	lines map[*model.File][]string
}

// around is line ±ctx of a host's file (nil when it is not loaded or the
// line is unknown).
func (e *evidence) around(host, path string, line, ctx int) []evLine {
	f := fleetFile(e.fleet, host, path)
	if f == nil || f.Doc == nil || line <= 0 {
		return nil
	}
	ls, ok := e.lines[f]
	if !ok {
		ls = strings.Split(strings.TrimSuffix(string(f.Doc.Bytes()), "\n"), "\n")
		e.lines[f] = ls
	}
	var out []evLine
	for n := max(1, line-ctx); n <= min(len(ls), line+ctx); n++ {
		out = append(out, evLine{N: n, Text: e.mask.Line(strings.TrimRight(ls[n-1], "\r")), Hit: n == line})
	}
	return out
}

// richText renders a rule's prose: paragraphs split on blank lines and
// `code` spans, everything else escaped.
func richText(s string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		b.WriteString("<p>")
		for i, part := range strings.Split(strings.Join(strings.Fields(para), " "), "`") {
			if i%2 == 1 {
				b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
			} else {
				b.WriteString(template.HTMLEscapeString(part))
			}
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}

// masker hides secrets in raw file text, which (unlike findings) was
// never redacted: every secret value the parsers saw, by whole token, then
// what redact.Line recognises by its shape (secret keys, haproxy auth,
// command-line flags, URL passwords), which also catches secrets too short
// for the scrubber.
type masker struct {
	sc *redact.Scrubber
}

func newMasker(fl *model.Fleet) *masker {
	var secrets []string
	if fl != nil {
		secrets = fl.Secrets
	}
	return &masker{sc: redact.NewScrubber(secrets)}
}

// Text masks every line of s.
func (m *masker) Text(s string) string { return m.sc.Text(s) }

// Line masks one line of a configuration file.
func (m *masker) Line(s string) string { return redact.Line(m.sc.String(s)) }
