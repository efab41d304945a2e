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

// decideRelease takes the release from the flag or oscfg.ini, else infers a
// lower bound from options that only newer releases have, defaulting to
// Zed. It never infers an older release from a setting that a rule flags
// as removed: that would make the rule blind to the very mistake.
func decideRelease(fleet *model.Fleet, opt Options) (model.Release, error) {
	if opt.Release != "" {
		src := opt.ReleaseSource
		if src == "" {
			src = "flag"
		}
		return model.ParseRelease(opt.Release, src)
	}
	rel, _ := model.ParseRelease(model.DefaultRelease, "default")
	rel.Reason = "nothing in the files pins it; Debian 12 ships Zed"
	var older []string
	for _, h := range fleet.Hosts {
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
				where := fmt.Sprintf("%s:%s:%d", h.Name, f.HostPath, e.Line)
				if m.since != "" {
					idx, _ := model.ReleaseIndex(m.since)
					if idx > rel.Index {
						rel, _ = model.ParseRelease(m.since, "inferred")
						rel.Reason = fmt.Sprintf("[%s] %s at %s exists only from %s on", m.group, m.key, where, m.since)
					}
				}
				if m.until != "" {
					older = append(older, fmt.Sprintf("[%s] %s at %s (gone in %s)", m.group, m.key, where, m.until))
				}
			}
		}
	}
	if len(older) > 0 && rel.Source == "default" {
		if len(older) > 3 {
			older = append(older[:3], "...")
		}
		rel.Reason += "; the files may be from an older release (" + strings.Join(older, ", ") + "): if so, pass --release"
	}
	return rel, nil
}
