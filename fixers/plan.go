package fixers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/dialect"
	"github.com/oscfg/oscfg/model"
)

// Options select which fixes apply.
type Options struct {
	Unsafe bool            // apply unsafe fixes too (--unsafe-fixes)
	Rules  map[string]bool // only these rule ids (--rule); empty means all
	// Facts, when set, let the constraint steps solve the values of
	// fixes that bound one another across files and hosts (NewFacts).
	Facts *Facts
}

// Change is one file's new content and the findings it fixes.
type Change struct {
	Host, HostPath, Source, Kind, Service string
	// Root is the host root the file was read under ("" for a loose
	// file) and Real its symlink-free path inside it (model.File.Real):
	// a writer confines itself with hostfs.Open(Root) and writes Real.
	Root, Real string
	Old, New   []byte
	Fixed      []model.Finding
	// Solved says which values the constraint steps chose instead of the
	// rules' own, and why (one line each).
	Solved []string
}

// Skipped is a finding with a fix op that was not applied, and why.
type Skipped struct {
	Finding model.Finding
	Reason  string
	// Deferred: it overlapped another fix this pass; the next pass
	// re-evaluates it.
	Deferred bool
	// Suggested is the patch the fix would make (for manual and unsafe
	// fixes printed as advice), when it could be computed.
	Suggested *Change
}

// plannedFix is one finding's fix as planned: the rule's op (a copy: the
// constraint steps may change its value) and any op a step added to it.
type plannedFix struct {
	f     model.Finding
	host  string
	h     *model.Host
	file  *model.File
	ops   []map[string]any
	notes []string
}

// Plan computes the changes the applicable fixes make to the fleet's
// files. It first collects every applicable fix, then lets the
// constraint steps solve the values that bound one another (constrain.go),
// then computes each file's edits. Ops on different settings of one file
// all apply: an op whose bytes meet an earlier one's (two lines added at
// the end of one section) is computed again on the file as the earlier
// ops leave it. A fix of a setting another fix of this pass already
// changes is left for the next pass (the caller re-evaluates and plans
// again); a rename comes before other fixes of its setting, so the value
// it carries is what the next pass judges. A change whose result no
// longer parses is rejected whole.
func Plan(fleet *model.Fleet, findings []model.Finding, opt Options) ([]*Change, []Skipped) {
	var skipped []Skipped
	var fixes []*plannedFix
	for _, f := range findings {
		if f.Fix == nil {
			continue
		}
		if len(opt.Rules) > 0 && !opt.Rules[f.Rule] {
			continue
		}
		hostName, path := firstNonEmpty(str(f.Fix, "host"), f.Host), firstNonEmpty(str(f.Fix, "file"), f.File)
		h := fleet.Host(hostName)
		var file *model.File
		if h != nil {
			file = h.File(path)
		}
		if file == nil {
			skipped = append(skipped, Skipped{Finding: f, Reason: fmt.Sprintf("fix names %s:%s, which was not loaded", hostName, path)})
			continue
		}
		src := file.Doc.Bytes()
		edits, err := editsFor(file, src, f.Fix)
		if err != nil {
			skipped = append(skipped, Skipped{Finding: f, Reason: "cannot apply fix: " + err.Error()})
			continue
		}
		edits = dropNoops(src, edits)
		if len(edits) == 0 {
			continue // already in the wanted state
		}
		class := f.FixClass
		if class == "safe" && deletesComment(src, edits) {
			class = "unsafe" // a fix that deletes a comment is never safe
		}
		if class == "manual" || (class == "unsafe" && !opt.Unsafe) {
			s := Skipped{Finding: f, Reason: class + " fix: printed as advice"}
			if class == "unsafe" {
				s.Reason = "unsafe fix: pass --unsafe-fixes to apply"
			}
			if nb, err := ApplyEdits(src, edits); err == nil {
				s.Suggested = &Change{Host: hostName, HostPath: path, Source: file.Source, Kind: file.Kind, Service: file.Service, Old: src, New: nb}
			}
			skipped = append(skipped, s)
			continue
		}
		fixes = append(fixes, &plannedFix{f: f, host: hostName, h: h, file: file, ops: []map[string]any{copyOp(f.Fix)}})
	}
	constrain(opt.Facts, fixes)
	// Line-addressed ops first: they add no line, so the lines they name
	// are still the file's when they apply. Then renames, so that a set of
	// the setting a rename fills waits for the next pass.
	sort.SliceStable(fixes, func(i, j int) bool { return opRank(fixes[i].ops[0]) < opRank(fixes[j].ops[0]) })

	byFile := map[string]*pending{}
	var order []string
	for _, fx := range fixes {
		key := fx.host + "\x00" + fx.file.HostPath
		p := byFile[key]
		if p == nil {
			p = &pending{file: fx.file, host: fx.host, root: fx.h.Root, orig: fx.file.Doc.Bytes(), targets: map[string]bool{}}
			p.cur, p.src = fx.file, p.orig
			byFile[key] = p
			order = append(order, key)
		}
		var targets []string
		for _, op := range fx.ops {
			targets = append(targets, opTargets(fx.file, op)...)
		}
		if touchesAny(p.targets, targets) {
			skipped = append(skipped, Skipped{Finding: fx.f, Deferred: true, Reason: "changes a setting another fix of this pass changes; re-evaluated on the next pass"})
			continue
		}
		if reason, err := p.add(fx); err != nil {
			skipped = append(skipped, Skipped{Finding: fx.f, Reason: "cannot apply fix: " + err.Error()})
			continue
		} else if reason != "" {
			skipped = append(skipped, Skipped{Finding: fx.f, Deferred: true, Reason: reason})
			continue
		}
		for _, t := range targets {
			p.targets[t] = true
		}
	}
	var changes []*Change
	for _, key := range order {
		p := byFile[key]
		if len(p.fixed) == 0 {
			continue
		}
		nb, err := ApplyEdits(p.src, p.edits)
		if err == nil {
			err = reparse(p.file, nb)
		}
		if err != nil {
			for _, f := range p.fixed {
				skipped = append(skipped, Skipped{Finding: f, Reason: "rejected: the fixed file would not parse: " + err.Error()})
			}
			continue
		}
		changes = append(changes, &Change{Host: p.host, HostPath: p.file.HostPath, Source: p.file.Source,
			Root: p.root, Real: p.file.Real,
			Kind: p.file.Kind, Service: p.file.Service, Old: p.orig, New: nb, Fixed: p.fixed, Solved: p.solved})
	}
	sort.Slice(changes, func(i, j int) bool {
		if changes[i].Host != changes[j].Host {
			return changes[i].Host < changes[j].Host
		}
		return changes[i].HostPath < changes[j].HostPath
	})
	return changes, skipped
}

// pending is one file's planned edits. src is the file as the ops folded
// so far leave it (orig until an op had to see an earlier one's result),
// cur its parse, edits the edits of src not yet folded.
type pending struct {
	file    *model.File
	host    string
	root    string // the host root (model.Host.Root)
	orig    []byte
	cur     *model.File
	src     []byte
	shifted bool // src has lines orig has not (line-addressed ops no longer apply)
	edits   []Edit
	fixed   []model.Finding
	solved  []string
	targets map[string]bool // settings the planned fixes touch
}

// add plans one fix's ops. An op whose edits meet edits already planned
// is computed again on the file with those applied. A non-empty reason
// defers the fix to the next pass; on an error or a deferral p is as
// before.
func (p *pending) add(fx *plannedFix) (string, error) {
	saved := *p
	restore := func() { *p = saved }
	changed := false
	for _, op := range fx.ops {
		edits, err := editsFor(p.cur, p.src, op)
		if err == nil {
			edits = dropNoops(p.src, edits)
		}
		if err == nil && overlaps(p.edits, edits) {
			if lineOp(op) {
				restore()
				return "touches the same bytes as another fix; re-evaluated on the next pass", nil
			}
			if err = p.fold(); err == nil {
				edits, err = editsFor(p.cur, p.src, op)
				if err == nil {
					edits = dropNoops(p.src, edits)
				}
			}
		}
		if err == nil && lineOp(op) && p.shifted {
			restore()
			return "names a line an earlier fix of this pass moved; re-evaluated on the next pass", nil
		}
		if err != nil {
			restore()
			return "", err
		}
		if fx.f.FixClass == "safe" && deletesComment(p.src, edits) {
			restore()
			return "", fmt.Errorf("planned with the other fixes it would delete a comment")
		}
		p.edits = append(p.edits, edits...)
		changed = changed || len(edits) > 0
	}
	if !changed {
		restore()
		return "", nil
	}
	p.fixed = append(p.fixed, fx.f)
	for _, n := range fx.notes {
		p.solved = append(p.solved, fx.f.Rule+": "+n)
	}
	return "", nil
}

// fold applies the planned edits to src, so the next op is computed on
// the file as they leave it.
func (p *pending) fold() error {
	if len(p.edits) == 0 {
		return nil
	}
	nb, err := ApplyEdits(p.src, p.edits)
	if err != nil {
		return err
	}
	nf, err := reparsed(p.file, nb)
	if err != nil {
		return fmt.Errorf("the fixed file would not parse: %w", err)
	}
	p.shifted = p.shifted || strings.Count(string(nb), "\n") != strings.Count(string(p.src), "\n")
	p.cur, p.src, p.edits = nf, nb, nil
	return nil
}

func lineOp(op map[string]any) bool {
	switch str(op, "op") {
	case "comment_out", "cron_minute", "haproxy_append":
		return true
	}
	return false
}

func opRank(op map[string]any) int {
	switch {
	case lineOp(op):
		return 0
	case str(op, "op") == "rename":
		return 1
	}
	return 2
}

// copyOp copies an op one level deep (its args list too), so the
// finding keeps the rule's own values.
func copyOp(op map[string]any) map[string]any {
	out := make(map[string]any, len(op))
	for k, v := range op {
		if l, ok := v.([]any); ok {
			v = append([]any(nil), l...)
		}
		out[k] = v
	}
	return out
}

// dropNoops removes edits that write the bytes already there, so a fix
// that is already applied plans nothing (and the fix loop converges).
func dropNoops(src []byte, edits []Edit) []Edit {
	out := edits[:0:0]
	for _, e := range edits {
		if e.Start == e.End && e.New == "" || (e.End <= len(src) && string(src[e.Start:e.End]) == e.New) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func overlaps(have, add []Edit) bool {
	for _, a := range add {
		for _, b := range have {
			if a.Start < b.End && b.Start < a.End {
				return true
			}
			if a.Start == a.End && b.Start == b.End && a.Start == b.Start {
				return true // two insertions at one point: order would be arbitrary
			}
			if (a.Start == a.End && a.Start > b.Start && a.Start < b.End) || (b.Start == b.End && b.Start > a.Start && b.Start < a.End) {
				return true
			}
		}
	}
	return false
}

// opTargets names the settings a fix op reads or writes, so two fixes of
// one setting never apply in the same pass even when their bytes do not
// overlap (a rename onto a key and a set of that key would otherwise leave
// the key twice). The next pass re-evaluates what was deferred.
func opTargets(f *model.File, op map[string]any) []string {
	d := dialect.Of(f.Doc)
	if d == nil {
		return nil // editsFor refused the op already
	}
	norm := func(section, key string) string {
		section, key = d.Normalize(section, key)
		return section + "/" + key
	}
	switch str(op, "op") {
	case "set", "delete":
		return []string{norm(str(op, "section"), str(op, "key"))}
	case "rename":
		return []string{norm(str(op, "section"), str(op, "key")), norm(str(op, "to_section"), str(op, "to_key"))}
	case "haproxy_set":
		return []string{str(op, "section") + "/" + strings.Join(strings.Fields(str(op, "keyword")), " ")}
	case "comment_out", "cron_minute", "haproxy_append":
		return []string{fmt.Sprintf("line/%d", model.AsInt(op["line"]))}
	}
	return nil
}

func touchesAny(have map[string]bool, targets []string) bool {
	for _, t := range targets {
		if have[t] {
			return true
		}
	}
	return false
}

// deletesComment reports whether any edit removes a comment line's text.
func deletesComment(src []byte, edits []Edit) bool {
	for _, e := range edits {
		for _, line := range strings.Split(string(src[e.Start:e.End]), "\n") {
			t := strings.TrimLeft(line, " \t")
			if strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";") {
				return true
			}
		}
	}
	return false
}

// reparse checks that a fixed file still parses in its dialect.
func reparse(f *model.File, data []byte) error {
	_, err := reparsed(f, data)
	return err
}

// reparsed is f with data as its content, parsed in its dialect.
func reparsed(f *model.File, data []byte) (*model.File, error) {
	d := dialect.Of(f.Doc)
	if d == nil {
		return nil, fmt.Errorf("no parser for %s files", f.Kind)
	}
	doc, err := d.Reparse(f.Doc, f.Source, data)
	if err != nil {
		return nil, err
	}
	nf := *f
	nf.Doc = doc
	return &nf, nil
}

// Restart says what must reload or restart for a changed file to take
// effect.
func Restart(kind, service, hostPath string) string {
	if d := dialect.For(kind); d != nil {
		return d.Reload(service, hostPath)
	}
	return "restart " + service
}
