package loader

// The run-parts schedules: the jobs of /etc/crontab say when cron.hourly
// and the like run. Which job runs which directory is crontab content
// (the jobs' commands and schedules), not syntax, so this file reads
// parsers/crontab directly rather than through dialect.

import (
	"strings"

	"github.com/oscfg/oscfg/parsers/crontab"
	"github.com/oscfg/oscfg/parsers/discover"
)

// Debian's /etc/crontab runs the run-parts directories at these times
// (cron-daemon-common 3.0pl1-162).
var debianRunParts = map[string]string{
	"/etc/cron.hourly":  "17 * * * *",
	"/etc/cron.daily":   "25 6 * * *",
	"/etc/cron.weekly":  "47 6 * * 7",
	"/etc/cron.monthly": "52 6 1 * *",
}

// runPartsSchedules reads the host's /etc/crontab run-parts lines, falling
// back to Debian's defaults, so scripts in cron.hourly get the time they
// really run at.
func runPartsSchedules(dh *discover.Host, v view) map[string]string {
	out := map[string]string{}
	for k, v := range debianRunParts {
		out[k] = v
	}
	for _, ref := range dh.Files {
		if ref.HostPath != "/etc/crontab" {
			continue
		}
		// Errors are reported when the file itself is parsed.
		src, _, source, err := v.read(ref.HostPath, ref.Source)
		if err != nil {
			return out
		}
		doc, err := crontab.Parse(source, src, crontab.System, "", "")
		if err != nil {
			return out
		}
		for _, j := range doc.Jobs {
			for dir := range debianRunParts {
				if strings.Contains(j.Command, "run-parts") && strings.Contains(j.Command, dir) {
					out[dir] = j.Schedule
				}
			}
		}
	}
	return out
}
