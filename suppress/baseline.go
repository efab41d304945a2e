package suppress

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/oscfg/oscfg/model"
)

// BaselineVersion is the format version Write produces and Read accepts.
const BaselineVersion = 1

// Baseline is a --baseline file: the findings accepted when it was
// written, by fingerprint, with how many findings had each fingerprint. A
// lint run with it reports only findings beyond those counts (ESLint's
// suppressions-file model): if a fingerprint had 1 finding and now has 2,
// one is new.
//
// A fingerprint is built from the rule, the host, the file's path on the
// host and the finding's stable key (e.g. cinder_api/balance,
// database/connection_recycle_time), never from line numbers or the
// message, so it survives lines moving; and one file's finding never hides
// another's.
type Baseline struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one fingerprint. Rule, Host, File and Key are what it
// was computed from, for people reviewing the file.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Host        string `json:"host"`
	Cluster     string `json:"cluster,omitempty"`
	File        string `json:"file"`
	Key         string `json:"key"`
	Count       int    `json:"count"`
}

// StableKey is the part of a finding's fingerprint that says where in the
// file it is: the rule's "key"; without one, the section and key (or
// haproxy keyword) of its fix; without a fix, its message with every digit
// removed (so changed numbers do not make it new).
func StableKey(f model.Finding) string {
	if f.Key != "" {
		return f.Key
	}
	if fx := f.Fix; fx != nil {
		op, _ := fx["op"].(string)
		sec, _ := fx["section"].(string)
		name := ""
		switch op {
		case "set", "delete", "rename":
			name, _ = fx["key"].(string)
		case "haproxy_set":
			name, _ = fx["keyword"].(string)
		}
		if name != "" {
			return sec + "/" + name
		}
	}
	msg := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, f.Message)
	return "message:" + strings.Join(strings.Fields(msg), " ")
}

// Fingerprint identifies a finding across runs. scrub (may be nil) masks
// secrets in the key before it is hashed.
func Fingerprint(f model.Finding, scrub func(string) string) string {
	return entryFor(f, scrub).Fingerprint
}

func entryFor(f model.Finding, scrub func(string) string) BaselineEntry {
	key := StableKey(f)
	if scrub != nil {
		key = scrub(key)
	}
	e := BaselineEntry{Rule: f.Rule, Host: f.Host, File: f.File, Key: key}
	if f.Cluster != "" {
		// A cluster fact is reported at its first host, which changes as
		// hosts come and go: it is the same finding while the rule, the
		// cluster and the key are.
		e = BaselineEntry{Rule: f.Rule, Cluster: f.Cluster, Key: key}
	}
	e.Fingerprint = e.print()
	return e
}

func (e BaselineEntry) print() string {
	h := sha256.New()
	parts := []string{"oscfg-baseline-1", e.Rule, e.Host, e.File, e.Key}
	if e.Cluster != "" {
		parts = []string{"oscfg-baseline-1", e.Rule, "cluster", e.Cluster, e.Key}
	}
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// NewBaseline accepts every finding of fs.
func NewBaseline(fs []model.Finding, scrub func(string) string) *Baseline {
	byPrint := map[string]*BaselineEntry{}
	b := &Baseline{Version: BaselineVersion, Tool: "oscfg", Findings: []BaselineEntry{}}
	var order []string
	for _, f := range fs {
		e := entryFor(f, scrub)
		if x := byPrint[e.Fingerprint]; x != nil {
			x.Count++
			continue
		}
		e.Count = 1
		byPrint[e.Fingerprint] = &e
		order = append(order, e.Fingerprint)
	}
	for _, p := range order {
		b.Findings = append(b.Findings, *byPrint[p])
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		for _, c := range [][2]string{{x.Cluster, y.Cluster}, {x.Host, y.Host}, {x.File, y.File}, {x.Rule, y.Rule}, {x.Key, y.Key}} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// ReadBaseline reads a baseline file.
func ReadBaseline(file string) (*Baseline, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %v", err)
	}
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: not an oscfg baseline (JSON): %v", file, err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d, this oscfg reads version %d (rewrite it with --write-baseline)", file, b.Version, BaselineVersion)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			b.Findings[i].Fingerprint = e.print()
		}
		if e.Count <= 0 {
			b.Findings[i].Count = 1
		}
	}
	return &b, nil
}

// Write writes the baseline atomically (a temporary file renamed over
// the target).
func (b *Baseline) Write(file string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return fmt.Errorf("--write-baseline: %v", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("--write-baseline: %v", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("--write-baseline: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--write-baseline: %v", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("--write-baseline: %v", err)
	}
	return nil
}

// Filter splits fs into the findings the baseline does not cover (new)
// and those it does, in order; unmatched is how many accepted findings
// were not seen (fixed since).
func (b *Baseline) Filter(fs []model.Finding, scrub func(string) string) (kept, hidden []model.Finding, unmatched int) {
	left := map[string]int{}
	for _, e := range b.Findings {
		left[e.Fingerprint] += e.Count
	}
	for _, f := range fs {
		p := Fingerprint(f, scrub)
		if left[p] > 0 {
			left[p]--
			hidden = append(hidden, f)
			continue
		}
		kept = append(kept, f)
	}
	for _, n := range left {
		unmatched += n
	}
	return kept, hidden, unmatched
}
