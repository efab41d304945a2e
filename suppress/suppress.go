// Package suppress decides which findings of a lint run are reported:
// it applies inline "oscfg: ignore" comments in the config files, the
// [ignore] lines of oscfg.ini and a baseline file. Nothing is dropped
// silently: suppressed findings are counted, suppressions past their
// until= date stop applying and are listed as expired, and suppressions
// that match no finding are listed as unused.
//
// Inline syntax, in a comment of the file the finding points at:
//
//	# oscfg: ignore OSC-HAP-001[,OSC-HAP-002 ...] [until=YYYY-MM-DD] [-- reason]
//
// A whole-line comment applies to the first line below it that is not a
// comment (so several directives can be stacked above one line); a
// trailing comment applies to its own line. Which comments exist depends
// on the dialect: haproxy and my.cnf have whole-line and trailing '#'
// comments (my.cnf also whole-line ';'); oslo.config files (nova.conf,
// keystone.conf) only have comments starting in column 0 with '#' or ';'
// (a '#' after a value is part of the value); crontabs only have
// whole-line '#' comments. A directive-like text where the dialect has no
// comment is an error, since it is part of a value or command.
package suppress

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/oscfg/oscfg/dialect"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/settings"
)

// Directive is one rule of an inline "oscfg: ignore" comment.
type Directive struct {
	Host   string // host of the file
	File   string // path on the host
	Source string // path read on disk
	Line   int    // line of the comment
	Target int    // line whose findings it suppresses (0: none)
	Rule   string // rule id or glob, upper-cased
	Until  time.Time
	Reason string
}

// Options of Apply.
type Options struct {
	// Ignores are the [ignore] lines of SettingsFile.
	Ignores      []settings.Ignore
	SettingsFile string
	// Baseline, when not nil, hides the findings it lists.
	Baseline *Baseline
	// Now decides expiry (zero: time.Now()).
	Now time.Time
	// Scrub masks secrets in fingerprint keys (nil: none).
	Scrub func(string) string
	// Dropped, when set, tells whether findings of a rule on a host were
	// dropped before (a disabled rule, an excluded host): a suppression of
	// them that matches nothing is then not reported as unused.
	Dropped func(rule, host string) bool
}

// Hidden is a finding that was not reported, and what hid it.
type Hidden struct {
	Finding model.Finding
	By      string // host:file:line of a comment, oscfg.ini:line, or "baseline"
}

// Result of Apply.
type Result struct {
	Kept []model.Finding
	// Suppressed counts findings hidden by inline comments or [ignore];
	// Baselined those hidden by the baseline.
	Suppressed, Baselined int
	// BaselineUnmatched counts baseline entries no finding matched.
	BaselineUnmatched int
	Expired, Unused   []model.SuppressionNote
	Hidden            []Hidden
}

// entry is one suppression with its use count.
type entry struct {
	note    model.SuppressionNote
	host    string // host or host glob it is about ("": any)
	expired bool
	match   func(f model.Finding) bool
}

// Apply filters fs. It reads the inline directives of the fleet's files
// and returns an error (with file:line) for a malformed one.
func Apply(fleet *model.Fleet, fs []model.Finding, opt Options) (*Result, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	dirs, err := Directives(fleet)
	if err != nil {
		return nil, err
	}
	// Inline entries are indexed by where they apply.
	type at struct {
		host, file string
		line       int
	}
	inline := map[at][]*entry{}
	var all []*entry
	for _, d := range dirs {
		e := &entry{
			note: model.SuppressionNote{Rule: d.Rule, Host: d.Host, File: d.File, Line: d.Line,
				Until: dateString(d.Until), Reason: d.Reason},
			host:    d.Host,
			expired: settings.Expired(d.Until, opt.Now),
			match:   func(f model.Finding) bool { return globMatch(d.Rule, f.Rule) },
		}
		all = append(all, e)
		if d.Target > 0 {
			k := at{d.Host, d.File, d.Target}
			inline[k] = append(inline[k], e)
		}
	}
	var ini []*entry
	for _, ig := range opt.Ignores {
		e := &entry{
			note: model.SuppressionNote{Rule: ig.Rule, Match: ig.Matchers(), File: opt.SettingsFile, Line: ig.Line,
				Until: dateString(ig.Until), Reason: ig.Reason},
			host:    ig.Host,
			expired: settings.Expired(ig.Until, opt.Now),
			match:   func(f model.Finding) bool { return ig.Matches(f.Rule, f.Host, f.File, f.Key) },
		}
		all = append(all, e)
		ini = append(ini, e)
	}

	res := &Result{}
	var rest []model.Finding
	for _, f := range fs {
		by := ""
		for _, e := range slices.Concat(inline[at{f.Host, f.File, f.Line}], ini) {
			if !e.match(f) {
				continue
			}
			e.note.Matched++
			if !e.expired && by == "" {
				by = e.note.Where()
			}
		}
		if by != "" {
			res.Suppressed++
			res.Hidden = append(res.Hidden, Hidden{Finding: f, By: by})
			continue
		}
		rest = append(rest, f)
	}
	for _, e := range all {
		switch {
		case e.expired:
			res.Expired = append(res.Expired, e.note)
		case e.note.Matched == 0 && (opt.Dropped == nil || !opt.Dropped(e.note.Rule, e.host)):
			res.Unused = append(res.Unused, e.note)
		}
	}
	res.Kept = rest
	if opt.Baseline != nil {
		var hidden []model.Finding
		res.Kept, hidden, res.BaselineUnmatched = opt.Baseline.Filter(rest, opt.Scrub)
		res.Baselined = len(hidden)
		for _, f := range hidden {
			res.Hidden = append(res.Hidden, Hidden{Finding: f, By: "baseline"})
		}
	}
	return res, nil
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(settings.DateLayout)
}

func globMatch(glob, rule string) bool {
	ok, _ := path.Match(glob, strings.ToUpper(rule))
	return ok
}

// Directives reads the inline directives of every file of the fleet, in
// host, file and line order. Malformed ones are all reported together.
func Directives(fleet *model.Fleet) ([]Directive, error) {
	var out []Directive
	var errs []error
	for _, h := range fleet.Hosts {
		for _, f := range h.Files {
			if f.Doc == nil {
				continue
			}
			data := f.Doc.Bytes()
			if !bytes.Contains(data, []byte("oscfg:")) {
				continue
			}
			ds, es := scan(f.Kind, f.Source, data)
			for i := range ds {
				ds[i].Host, ds[i].File, ds[i].Source = h.Name, f.HostPath, f.Source
			}
			out = append(out, ds...)
			errs = append(errs, es...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return out, errors.Join(errs...)
}

// directive matches the text of a comment (after its '#' or ';').
var directive = regexp.MustCompile(`^[#;!\s]*oscfg:\s*ignore(?:\s+(.*))?$`)

// anywhere finds a directive-like text anywhere in a line.
var anywhere = regexp.MustCompile(`#\s*oscfg:\s*ignore\b`)

// scan finds the directives of one file of a kind. src names the file
// in errors. Its dialect says which lines are comments.
func scan(kind, src string, data []byte) ([]Directive, []error) {
	d := dialect.For(kind)
	if d == nil {
		return nil, []error{parsers.Errorf(src, 0, "no comment syntax known for %q files", kind)}
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	var out []Directive
	var errs []error
	for i, l := range lines {
		no := i + 1
		whole := d.IsCommentLine(l)
		var text string
		switch {
		case whole:
			text = strings.TrimLeft(l, " \t")
		case d.TrailingComments():
			c := d.TrailingComment(l)
			if c < 0 {
				continue
			}
			text = l[c:]
		default:
			if anywhere.MatchString(l) {
				errs = append(errs, parsers.Errorf(src, no, "%s: a %s file has no trailing comments, this '#' is part of the %s; put the oscfg: ignore comment on a line of its own above", d.Name(), d.Name(), d.ValueWord()))
			}
			continue
		}
		m := directive.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		rules, until, reason, err := parseDirective(m[1])
		if err != nil {
			errs = append(errs, parsers.Errorf(src, no, "oscfg: ignore: %v", err))
			continue
		}
		target := no
		if whole {
			target = 0
			for j := i + 1; j < len(lines); j++ {
				if !d.IsCommentLine(lines[j]) {
					if j < len(lines)-1 || lines[j] != "" { // not the empty tail after a final newline
						target = j + 1
					}
					break
				}
			}
		}
		for _, r := range rules {
			out = append(out, Directive{Line: no, Target: target, Rule: r, Until: until, Reason: reason})
		}
	}
	return out, errs
}

// parseDirective reads "RULE[,RULE...] [until=DATE] [reason=...] [-- reason]".
func parseDirective(s string) (rules []string, until time.Time, reason string, err error) {
	words, reason := settings.SplitReason(s)
	fields, err := settings.Fields(words)
	if err != nil {
		return nil, until, "", err
	}
	for _, w := range fields {
		name, v, ok := strings.Cut(w, "=")
		if !ok {
			for _, r := range strings.Split(w, ",") {
				if r = strings.ToUpper(strings.TrimSpace(r)); r == "" {
					continue
				}
				if _, err := path.Match(r, ""); err != nil {
					return nil, until, "", fmt.Errorf("bad rule glob %q", r)
				}
				rules = append(rules, r)
			}
			continue
		}
		switch name {
		case "until":
			if until, err = settings.ParseUntil(v); err != nil {
				return nil, until, "", err
			}
		case "reason":
			if reason == "" {
				reason = v
			}
		case "host", "path", "key":
			return nil, until, "", fmt.Errorf("%s= belongs in oscfg.ini [ignore]; an inline comment applies to its own host, file and line", name)
		default:
			return nil, until, "", fmt.Errorf("unknown option %q (want until=YYYY-MM-DD or reason=)", name)
		}
	}
	if len(rules) == 0 {
		return nil, until, "", fmt.Errorf("no rule id (write e.g. `oscfg: ignore OSC-HAP-001 -- reason`)")
	}
	return rules, until, reason, nil
}
