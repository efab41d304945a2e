package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/oscfg/oscfg/internal/buildinfo"
	"github.com/oscfg/oscfg/model"
)

func init() { Register("sarif", SARIF) }

// SARIF 2.1.0 objects, only the properties oscfg fills.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations,omitempty"`
		ColumnKind  string            `json:"columnKind"`
		Results     []sarifResult     `json:"results"`
	}
	// sarifInvocation carries the files --skip-unreadable skipped, as
	// tool execution notifications (SARIF 2.1.0 §3.20.21).
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		ShortDescription     sarifMessage   `json:"shortDescription"`
		FullDescription      *sarifMessage  `json:"fullDescription,omitempty"`
		Help                 *sarifMessage  `json:"help,omitempty"`
		HelpURI              string         `json:"helpUri,omitempty"`
		DefaultConfiguration sarifRuleConf  `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties,omitempty"`
	}
	sarifRuleConf struct {
		Level string `json:"level"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
		Fixes               []sarifFix        `json:"fixes,omitempty"`
		Properties          map[string]any    `json:"properties,omitempty"`
	}
	sarifLocation struct {
		ID               int            `json:"id,omitempty"`
		PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
		Message          *sarifMessage  `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           *sarifRegion     `json:"region,omitempty"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine  int  `json:"startLine,omitempty"`
		CharOffset *int `json:"charOffset,omitempty"`
		CharLength *int `json:"charLength,omitempty"`
	}
	sarifFix struct {
		Description     sarifMessage          `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion   `json:"deletedRegion"`
		InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
	}
)

const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// SARIF writes a SARIF 2.1.0 log: one run, rule metadata in
// tool.driver.rules, locations relative to the working directory
// (%SRCROOT%), and the fixers' own edits as fixes.
func SARIF(w io.Writer, r *Report, env Env) error {
	rules := ruleList(r, env)
	index := map[string]int{}
	driver := sarifDriver{Name: "oscfg", Version: buildinfo.Version(), InformationURI: "https://github.com/oscfg/oscfg", Rules: []sarifRule{}}
	for i, ri := range rules {
		index[ri.ID] = i
		driver.Rules = append(driver.Rules, sarifRuleOf(ri))
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	// Locations are relative to the working directory, the base the
	// github format's file= and JSON source have: run from a repository
	// root (as CI does), code scanning resolves them to the repository's
	// files. No originalUriBaseIds: it would write this machine's absolute
	// path into the log, and GitHub code scanning resolves %SRCROOT% to
	// the checkout anyway. Files outside the working directory get
	// absolute file URIs.
	root := "."
	mask := newMasker(env.Fleet)
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message: sarifMessage{Text: f.Host + ":" + f.File + ": " + f.Message},
			// Host and path as on the host: the disk path alone does not
			// say which machine a fleet file belongs to.
			Properties: map[string]any{"severity": f.Severity, "host": f.Host, "hostPath": f.File},
		}
		if p := sarifPhys(root, sourceFor(env.Fleet, f.Host, f.File, f.Source), f.Line); p != nil {
			res.Locations = []sarifLocation{{PhysicalLocation: p}}
		}
		for i, rel := range f.Related {
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               i + 1,
				PhysicalLocation: sarifPhys(root, sourceFor(env.Fleet, rel.Host, rel.File, ""), rel.Line),
				Message:          &sarifMessage{Text: rel.Host + ":" + rel.File + ": " + rel.Note},
			})
		}
		if f.Key != "" {
			// Stable across line moves, so code scanning keeps an alert's
			// identity when lines are added above it.
			res.PartialFingerprints = map[string]string{"oscfgKey/v1": f.Rule + "|" + f.Host + "|" + f.File + "|" + f.Key}
		}
		if fx := sarifFixOf(root, f, mask); fx != nil {
			res.Fixes = []sarifFix{*fx}
		}
		run.Results = append(run.Results, res)
	}
	if len(r.Summary.Unread)+len(r.Summary.Warnings) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, u := range r.Summary.Unread {
			inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifMessage{Text: "not read: " + u}})
		}
		for _, u := range r.Summary.Warnings {
			inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifMessage{Text: u}})
		}
		run.Invocations = []sarifInvocation{inv}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

// ruleList is the metadata of every known rule, plus any rule a finding
// names that the metadata lacks, sorted by id.
func ruleList(r *Report, env Env) []*model.Rule {
	byID := map[string]*model.Rule{}
	for id, ri := range env.Rules {
		if ri.ID != id {
			c := *ri
			c.ID = id
			ri = &c
		}
		byID[id] = ri
	}
	for _, f := range r.Findings {
		if _, ok := byID[f.Rule]; !ok {
			byID[f.Rule] = &model.Rule{ID: f.Rule, Title: f.Title, Severity: f.Severity, Fix: f.FixClass}
		}
	}
	out := make([]*model.Rule, 0, len(byID))
	for _, ri := range byID {
		out = append(out, ri)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func sarifRuleOf(ri *model.Rule) sarifRule {
	sr := sarifRule{ID: ri.ID, ShortDescription: sarifMessage{Text: firstNonBlank(ri.Title, ri.ID)},
		DefaultConfiguration: sarifRuleConf{Level: sarifLevel(ri.Severity)},
		Properties:           map[string]any{"severity": ri.Severity, "fix": ri.Fix}}
	if ri.Description != "" {
		sr.FullDescription = &sarifMessage{Text: ri.Description}
	}
	var text, md []string
	if ri.Description != "" {
		text, md = append(text, ri.Description), append(md, ri.Description)
	}
	if ri.Remedy != "" {
		text, md = append(text, "Fix: "+ri.Remedy), append(md, "**Fix:** "+ri.Remedy)
	}
	if len(ri.References) > 0 {
		text = append(text, "References:\n"+strings.Join(ri.References, "\n"))
		var items []string
		for _, ref := range ri.References {
			items = append(items, "- "+ref)
		}
		md = append(md, "**References:**\n\n"+strings.Join(items, "\n"))
	}
	if len(text) > 0 {
		sr.Help = &sarifMessage{Text: strings.Join(text, "\n\n"), Markdown: strings.Join(md, "\n\n")}
	}
	sr.HelpURI = ri.Doc // the rule's own page first
	for _, ref := range ri.References {
		if sr.HelpURI != "" {
			break
		}
		if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
			sr.HelpURI = ref
		}
	}
	return sr
}

// sarifLevel maps oscfg's five tiers onto SARIF's three levels.
func sarifLevel(sev string) string {
	switch sev {
	case "critical", "high":
		return "error"
	case "medium":
		return "warning"
	}
	return "note"
}

// sarifPhys is nil for a file that was not loaded (only the message then
// locates it).
func sarifPhys(root, source string, line int) *sarifPhysical {
	if source == "" {
		return nil
	}
	p := &sarifPhysical{ArtifactLocation: artifactLoc(root, source)}
	if line > 0 {
		p.Region = &sarifRegion{StartLine: line}
	}
	return p
}

// artifactLoc is source relative to root under %SRCROOT%, or an absolute
// file URI when source lies outside root.
func artifactLoc(root, source string) sarifArtifactLoc {
	absRoot, err1 := filepath.Abs(root)
	absSrc, err2 := filepath.Abs(source)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absRoot, absSrc); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath(), URIBaseID: "%SRCROOT%"}
		}
	}
	return sarifArtifactLoc{URI: fileURI(absSrc)}
}

func fileURI(abs string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// sourceFor is the disk path of a host's file, else fallback.
func sourceFor(fl *model.Fleet, host, path, fallback string) string {
	if f := fleetFile(fl, host, path); f != nil && f.Source != "" {
		return f.Source
	}
	return fallback
}

func fleetFile(fl *model.Fleet, host, path string) *model.File {
	if fl == nil {
		return nil
	}
	if h := fl.Host(host); h != nil {
		return h.File(path)
	}
	return nil
}

// sarifFixOf turns the finding's resolved change into line-aligned
// replacements addressed by character offsets. A fix whose inserted text
// would carry a secret is left out: printing it masked would make it
// wrong.
func sarifFixOf(root string, f model.Finding, mask *masker) *sarifFix {
	c := f.Resolved
	if f.Fix == nil || !c.Changes() {
		return nil
	}
	old := string(c.Old)
	edits := udiff.Lines(old, string(c.New))
	if len(edits) == 0 {
		return nil
	}
	ac := sarifArtifactChange{ArtifactLocation: artifactLoc(root, c.Source)}
	for _, e := range edits {
		if mask.Text(e.New) != e.New {
			return nil
		}
		// Offsets count code points, matching columnKind.
		off, n := utf8.RuneCountInString(old[:e.Start]), utf8.RuneCountInString(old[e.Start:e.End])
		rep := sarifReplacement{DeletedRegion: sarifRegion{CharOffset: &off, CharLength: &n}}
		if e.New != "" {
			rep.InsertedContent = &sarifMessage{Text: e.New}
		}
		ac.Replacements = append(ac.Replacements, rep)
	}
	desc := DescribeFix(f.Fix)
	if f.FixClass != "" {
		desc += " (" + f.FixClass + " fix)"
	}
	return &sarifFix{Description: sarifMessage{Text: desc}, ArtifactChanges: []sarifArtifactChange{ac}}
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
