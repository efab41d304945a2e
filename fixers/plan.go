package fixers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/haproxy"
	"github.com/oscfg/oscfg/parsers/mycnf"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// Options select which fixes apply.
type Options struct {
	Unsafe bool            // apply unsafe fixes too (--unsafe-fixes)
	Rules  map[string]bool // only these rule ids (--rule); empty means all
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

// Plan computes the changes the applicable fixes make to the fleet's
// files. Edits that overlap an edit already planned for the same file are
// left for the next pass (the caller re-evaluates and plans again); a
// change whose result no longer parses is rejected whole.
func Plan(fleet *model.Fleet, findings []model.Finding, opt Options) ([]*Change, []Skipped) {
	type pending struct {
		file    *model.File
		host    string
		root    string // the host root (model.Host.Root)
		src     []byte
		edits   []Edit
		fixed   []model.Finding
		targets map[string]bool // settings the planned fixes touch
	}
	byFile := map[string]*pending{}
	var order []string
	var skipped []Skipped
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
		key := hostName + "\x00" + path
		p := byFile[key]
		if p == nil {
			p = &pending{file: file, host: hostName, root: h.Root, src: src, targets: map[string]bool{}}
			byFile[key] = p
			order = append(order, key)
		}
		targets := opTargets(file, f.Fix)
		if overlaps(p.edits, edits) || touchesAny(p.targets, targets) {
			skipped = append(skipped, Skipped{Finding: f, Deferred: true, Reason: "touches the same bytes as another fix; re-evaluated on the next pass"})
			continue
		}
		p.edits = append(p.edits, edits...)
		p.fixed = append(p.fixed, f)
		for _, t := range targets {
			p.targets[t] = true
		}
	}
	var changes []*Change
	for _, key := range order {
		p := byFile[key]
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
			Kind: p.file.Kind, Service: p.file.Service, Old: p.src, New: nb, Fixed: p.fixed})
	}
	sort.Slice(changes, func(i, j int) bool {
		if changes[i].Host != changes[j].Host {
			return changes[i].Host < changes[j].Host
		}
		return changes[i].HostPath < changes[j].HostPath
	})
	return changes, skipped
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
	norm := func(section, key string) string {
		if f.Kind == model.KindOslo {
			section, key = oslo.NormalizeGroup(section), oslo.NormalizeName(key)
		} else {
			section, key = strings.ToLower(section), strings.ReplaceAll(strings.ToLower(key), "-", "_")
		}
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
	var err error
	switch d := f.Doc.(type) {
	case *oslo.Doc:
		_, err = oslo.Parse(f.Source, data)
	case *mycnf.Doc:
		_, err = mycnf.Parse(f.Source, data)
	case *haproxy.Doc:
		_, err = haproxy.Parse(f.Source, data)
	case *crontab.Doc:
		_, err = crontab.Parse(f.Source, data, d.Type, d.User, "")
	}
	return err
}

// Restart says what must reload or restart for a changed file to take
// effect.
func Restart(kind, service, hostPath string) string {
	switch kind {
	case model.KindHAProxy:
		return "reload haproxy (after `haproxy -c -f " + hostPath + "`)"
	case model.KindMyCnf:
		return "rolling restart of mariadb, one node at a time"
	case model.KindCrontab:
		return "nothing: cron re-reads crontabs"
	}
	switch service {
	case "nova":
		return "restart the nova services that read " + hostPath + " (options are read at start)"
	case "keystone":
		return "restart keystone (its WSGI server)"
	}
	return "restart " + service
}
