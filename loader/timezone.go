package loader

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones resolve without the system's tzdata

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers"
)

// hostTimeZone reads the zone cron schedules a host's jobs in. libc (and
// so cron) reads /etc/localtime: a link into /usr/share/zoneinfo names the
// zone, a copied zone file gives its rules without a name. Debian's
// /etc/timezone names the zone too and is the fallback.
func hostTimeZone(root hostfs.FS) model.TimeZone {
	if root == nil {
		return model.TimeZone{Note: "a loose file: the host's time zone is not known"}
	}
	named := ""
	if b, _, err := root.ReadFile("/etc/timezone", 4096); err == nil {
		named = firstLine(string(b))
	}
	if st, err := root.Lstat("/etc/localtime"); err == nil {
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			target, err := root.Readlink("/etc/localtime")
			if err != nil {
				break
			}
			name := zoneFromPath(target)
			tz := model.TimeZone{Name: name, Source: "/etc/localtime"}
			if loc, err := loadZone(name); err == nil {
				tz.Loc = loc
			} else {
				tz.Note = fmt.Sprintf("/etc/localtime links to %s, not a zone oscfg knows", target)
			}
			if named != "" && named != name && tz.Loc != nil {
				tz.Note = fmt.Sprintf("/etc/timezone says %s, but cron uses /etc/localtime (%s)", named, name)
			}
			return tz
		case st.Mode().IsRegular():
			b, _, err := root.ReadFile("/etc/localtime", parsers.MaxFileSize)
			if err != nil {
				break
			}
			tz := model.TimeZone{Source: "/etc/localtime"}
			if loc, err := time.LoadLocationFromTZData(named, b); err == nil {
				tz.Loc = loc
				if named != "" && sameOffsets(loc, named) {
					tz.Name = named
				}
			} else {
				tz.Note = "/etc/localtime is not a zone file"
			}
			return tz
		}
	}
	if named != "" {
		tz := model.TimeZone{Name: named, Source: "/etc/timezone"}
		if loc, err := loadZone(named); err == nil {
			tz.Loc = loc
		} else {
			tz.Note = fmt.Sprintf("/etc/timezone names %q, not a zone oscfg knows", named)
		}
		return tz
	}
	return model.TimeZone{Note: "neither /etc/localtime nor /etc/timezone is in the host's files"}
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

// zoneFromPath turns a link target such as /usr/share/zoneinfo/Europe/Berlin
// or ../usr/share/zoneinfo/posix/UTC into the zone's name.
func zoneFromPath(target string) string {
	p := path.Clean(target)
	if i := strings.Index(p, "zoneinfo/"); i >= 0 {
		p = p[i+len("zoneinfo/"):]
	}
	for _, pre := range []string{"posix/", "right/"} {
		p = strings.TrimPrefix(p, pre)
	}
	return p
}

var zoneCache sync.Map // name -> *time.Location or error

// loadZone is time.LoadLocation, remembered; "" and "Local" are refused
// (they would name the zone of the machine oscfg runs on).
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("no zone name")
	}
	if v, ok := zoneCache.Load(name); ok {
		if loc, ok := v.(*time.Location); ok {
			return loc, nil
		}
		return nil, v.(error)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		zoneCache.Store(name, err)
		return nil, err
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

func sameOffsets(loc *time.Location, name string) bool {
	other, err := loadZone(name)
	if err != nil {
		return false
	}
	a, b := zoneOffsets(loc), zoneOffsets(other)
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

// zoneOffsets are the distinct UTC offsets (minutes east) a zone uses over
// the current year, sorted: one without DST, two with.
func zoneOffsets(loc *time.Location) []int {
	seen := map[int]bool{}
	start := time.Date(time.Now().Year(), 1, 1, 12, 0, 0, 0, time.UTC)
	for d := 0; d < 366; d++ {
		_, off := start.AddDate(0, 0, d).In(loc).Zone()
		seen[off/60] = true
	}
	out := make([]int, 0, len(seen))
	for o := range seen {
		out = append(out, o)
	}
	sort.Ints(out)
	return out
}

// tzView is the "tz" of a host or a job in the input document.
func tzView(tz model.TimeZone) map[string]any {
	v := map[string]any{"name": tz.Name, "source": tz.Source, "known": tz.Loc != nil}
	if tz.Loc != nil {
		v["offsets"] = zoneOffsets(tz.Loc)
	}
	if tz.Note != "" {
		v["note"] = tz.Note
	}
	return v
}

// jobTZ is the zone a job is scheduled in: its CRON_TZ (cronie), else the
// host's.
func jobTZ(host model.TimeZone, job map[string]any) map[string]any {
	ct, ok := job["cron_tz"].(map[string]any)
	if !ok {
		return tzView(host)
	}
	name, _ := ct["value"].(string)
	tz := model.TimeZone{Name: name, Source: "CRON_TZ"}
	if loc, err := loadZone(name); err == nil {
		tz.Loc = loc
	} else {
		tz.Note = fmt.Sprintf("CRON_TZ=%s is not a zone oscfg knows", name)
	}
	v := tzView(tz)
	v["line"] = ct["line"]
	return v
}
