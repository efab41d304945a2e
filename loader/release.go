package loader

import (
	"fmt"
	"strings"

	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// marker is an option whose presence tells something about the release:
// `since` options did not exist before that release (a lower bound);
// `until` ones were removed then, so their presence suggests an older
// deployment but proves nothing (oslo.config ignores unknown options).
type marker struct {
	service, group, key, value string
	since, until               string
}

var releaseMarkers = []marker{
	{service: "nova", group: "neutron", key: "http_retries", since: "ussuri"},
	{service: "nova", group: "database", key: "mysql_wsrep_sync_wait", since: "2023.1"},
	{group: "oslo_messaging_rabbit", key: "rabbit_quorum_queue", since: "yoga"},
	{service: "keystone", group: "token", key: "provider", value: "uuid", until: "rocky"},
	{service: "keystone", group: "token", key: "provider", value: "pki", until: "rocky"},
	{service: "keystone", group: "token", key: "driver", until: "rocky"},
	{group: "database", key: "idle_timeout", until: "xena"},
}

// decideRelease gives each host its release from the best evidence and
// returns the fleet's: the flag or oscfg.ini for every host; else the
// host's package list or release file (evidence, read by hostEvidence);
// else the files' options: the range of releases consistent with every
// marker present (an option added in Y means "from Y", one removed in X
// "before X"), of which the newest, up to Zed (the registry's release),
// is taken. Hosts without evidence of their own share one inference over
// their files; with no marker either, they take the release the other
// hosts' evidence agrees on. When hosts disagree (a fleet mid-upgrade),
// the fleet's release is the oldest of theirs, and each host keeps its own.
func decideRelease(fleet *model.Fleet, opt Options, evidence map[*model.Host]model.Release) (model.Release, error) {
	if opt.Release != "" {
		src := opt.ReleaseSource
		if src == "" {
			src = "flag"
		}
		rel, err := model.ParseRelease(opt.Release, src)
		if err != nil {
			return rel, err
		}
		rel.Reason = map[string]string{"flag": "--release", "config": "oscfg.ini"}[src]
		for _, h := range fleet.Hosts {
			h.Release = rel
		}
		return rel, nil
	}
	var rest []*model.Host
	agreed := map[string]model.Release{}
	for _, h := range fleet.Hosts {
		if rel, ok := opt.Releases[h.Name]; ok {
			h.Release = rel
			continue
		}
		if rel, ok := evidence[h]; ok {
			h.Release = rel
			agreed[rel.Name] = rel
			continue
		}
		rest = append(rest, h)
	}
	if len(rest) > 0 {
		rel, markers := inferRelease(rest)
		if !markers && len(agreed) == 1 {
			for _, h := range fleet.Hosts {
				if ev, ok := evidence[h]; ok {
					rel = ev
					rel.Source = "inferred"
					rel.Reason = fmt.Sprintf("nothing on this host says it; %s's %s: %s", h.Name, ev.Source, ev.Reason)
					break
				}
			}
		}
		for _, h := range rest {
			h.Release = rel
		}
	}
	return fleetRelease(fleet), nil
}

// fleetRelease is the one release of the fleet's hosts, or the oldest when
// they disagree (the reason names the others).
func fleetRelease(fleet *model.Fleet) model.Release {
	if len(fleet.Hosts) == 0 {
		rel, _ := model.ParseRelease(model.DefaultRelease, "default")
		return rel
	}
	// Of hosts that agree, the one with the strongest evidence speaks.
	strength := map[string]int{"flag": 5, "config": 5, "packages": 4, "release-file": 3, "inferred": 2, "default": 1}
	out := fleet.Hosts[0].Release
	same := true
	for _, h := range fleet.Hosts[1:] {
		r := h.Release
		if r.Name != out.Name {
			same = false
		}
		if r.Index < out.Index || (r.Index == out.Index && strength[r.Source] > strength[out.Source]) {
			out = r
		}
	}
	if !same {
		out.Reason = "the hosts disagree (" + strings.Join(ReleaseSummary(fleet), "; ") + "); the oldest is the fleet's, each host is judged by its own"
		out.Source = "hosts"
	}
	return out
}

// ReleaseSummary says the release of each group of hosts that share one,
// with its source and evidence: "ussuri for ctl1, ctl2 (packages:
// python3-nova 2:21.2.4 in sos_commands/dpkg/dpkg_-l)".
func ReleaseSummary(fleet *model.Fleet) []string {
	type group struct {
		rel   model.Release
		hosts []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, h := range fleet.Hosts {
		k := h.Release.Name + "\x00" + h.Release.Source + "\x00" + h.Release.Reason
		g := byKey[k]
		if g == nil {
			g = &group{rel: h.Release}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.hosts = append(g.hosts, h.Name)
	}
	var out []string
	for _, g := range groups {
		hosts := g.hosts
		if len(hosts) > 4 {
			hosts = append(hosts[:4:4], fmt.Sprintf("%d more", len(g.hosts)-4))
		}
		line := fmt.Sprintf("%s for %s (%s", g.rel.Name, strings.Join(hosts, ", "), g.rel.Source)
		if g.rel.Reason != "" {
			line += ": " + g.rel.Reason
		}
		out = append(out, line+")")
	}
	return out
}

// inferRelease reads the markers of the hosts' oslo files; markers says
// whether any was found.
func inferRelease(hosts []*model.Host) (model.Release, bool) {
	def, _ := model.ParseRelease(model.DefaultRelease, "default")
	lo, hi := 0, 1<<30 // releases allowed: lo <= index < hi
	var since, until []string
	for _, h := range hosts {
		for _, f := range h.Files {
			d, ok := f.Doc.(*oslo.Doc)
			if !ok {
				continue
			}
			for _, m := range releaseMarkers {
				if m.service != "" && m.service != f.Service {
					continue
				}
				es := d.Lookup(m.group, m.key)
				if len(es) == 0 || (m.value != "" && !strings.EqualFold(strings.TrimSpace(es[len(es)-1].Value), m.value)) {
					continue
				}
				e := es[len(es)-1]
				name := fmt.Sprintf("[%s] %s", m.group, m.key)
				if m.value != "" {
					name += " = " + m.value
				}
				where := fmt.Sprintf("%s at %s:%s:%d", name, h.Name, f.HostPath, e.Line)
				if m.since != "" {
					idx, _ := model.ReleaseIndex(m.since)
					lo = max(lo, idx)
					since = append(since, fmt.Sprintf("%s (from %s on)", where, m.since))
				}
				if m.until != "" {
					idx, _ := model.ReleaseIndex(m.until)
					hi = min(hi, idx)
					until = append(until, fmt.Sprintf("%s (gone in %s)", where, m.until))
				}
			}
		}
	}
	list := func(xs []string) string {
		if len(xs) > 3 {
			xs = append(xs[:3:3], fmt.Sprintf("and %d more", len(xs)-3))
		}
		return strings.Join(xs, ", ")
	}
	markers := len(since)+len(until) > 0
	switch {
	case !markers:
		def.Reason = "nothing in the files pins it; Debian 12 ships Zed"
		return def, false
	case len(until) > 0 && hi > lo:
		// A removed option is the newest evidence of age when no option
		// says the files are newer: the newest release that still had it.
		idx := min(hi-1, max(lo, def.Index))
		rel := releaseAt(idx, "inferred")
		rel.Reason = "before " + releaseAt(hi, "").Name + ": " + list(until)
		if len(since) > 0 {
			rel.Reason += "; from " + releaseAt(lo, "").Name + ": " + list(since)
		}
		return rel, true
	}
	rel := def
	if lo > def.Index {
		rel = releaseAt(lo, "inferred")
		rel.Reason = list(since)
	} else {
		rel.Reason = "nothing in the files pins it; Debian 12 ships Zed"
		if len(since) > 0 {
			rel.Reason += "; " + list(since)
		}
	}
	if len(until) > 0 {
		// An option of a newer release proves the files are that new: the
		// removed ones are leftovers (rules report them as such).
		rel.Reason += "; " + list(until) + " contradict that and are taken as leftovers; if the hosts really run an older release, pass --release"
	}
	return rel, true
}

func releaseAt(idx int, source string) model.Release {
	for _, r := range model.Releases() {
		if r.Index == idx {
			r.Source = source
			return r
		}
	}
	return model.Release{}
}
