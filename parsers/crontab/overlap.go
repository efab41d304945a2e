package crontab

// Overlap reports whether two jobs fire at the same minute of some day.
//
// The minute and hour sets must intersect, and some calendar date must make
// both jobs fire, with cron's day rule: when both day fields are restricted
// a date matches if either does; otherwise both must match.
//
// The date search is exact over the whole calendar: it tries every
// (month, day-of-month, weekday) triple whose date exists in some year
// (Feb 29 included), because in the 400-year Gregorian cycle every such
// date falls on every weekday. So "0 0 31 2 *" overlaps nothing and
// "0 0 13 * 5" meets "0 0 * * 5".
//
// Assumptions: both jobs run in the same time zone (CRON_TZ and per-host
// time zones are ignored) and DST shifts are ignored. @reboot jobs have no
// time and overlap nothing.
func Overlap(a, b *Job) bool {
	if a.Reboot || b.Reboot {
		return false
	}
	if mask(a.Minutes)&mask(b.Minutes) == 0 || mask(a.Hours)&mask(b.Hours) == 0 {
		return false
	}
	am, bm := a.dayMasks(), b.dayMasks()
	months := mask(a.Months) & mask(b.Months)
	for m := 1; m <= 12; m++ {
		if months&(1<<m) == 0 {
			continue
		}
		for d := 1; d <= daysIn[m]; d++ {
			for w := 0; w < 7; w++ {
				if am.fires(a, d, w) && bm.fires(b, d, w) {
					return true
				}
			}
		}
	}
	return false
}

// daysIn is the longest each month gets (February in a leap year).
var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

type dayMasks struct{ dom, dow uint64 }

func (j *Job) dayMasks() dayMasks { return dayMasks{mask(j.Days), mask(j.Weekdays)} }

// fires applies Vixie's day rule (cron.c find_jobs) to one date.
func (m dayMasks) fires(j *Job, dom, dow int) bool {
	inDom, inDow := m.dom&(1<<dom) != 0, m.dow&(1<<dow) != 0
	if j.DomRestricted && j.DowRestricted {
		return inDom || inDow
	}
	return inDom && inDow
}

// mask turns a time set (values 0..63) into a bit set.
func mask(set []int) uint64 {
	var m uint64
	for _, v := range set {
		if v >= 0 && v < 64 {
			m |= 1 << v
		}
	}
	return m
}
