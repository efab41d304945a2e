package crontab

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// field describes one time field: its bounds and, for month and weekday,
// the three-letter names (value = lo + index).
type field struct {
	name   string
	lo, hi int
	names  []string
}

// Vixie's table (cron.h FIRST_/LAST_): weekday runs to 7, another Sunday.
var fields = [5]field{
	{name: "minute", lo: 0, hi: 59},
	{name: "hour", lo: 0, hi: 23},
	{name: "day-of-month", lo: 1, hi: 31},
	{name: "month", lo: 1, hi: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{name: "day-of-week", lo: 0, hi: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// nicknames maps each @nickname to the five fields it stands for; cron
// sets the same bits and star flags (@weekly leaves day-of-month '*',
// @monthly leaves day-of-week '*'). @reboot has no time.
var nicknames = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
	"@reboot":   "",
}

// parseSchedule reads the schedule at the start of line s (an @nickname or
// five fields) into j. base is the line's offset in the file, for spans.
// It returns the index in s just past the schedule.
func (j *Job) parseSchedule(s string, base int) (int, error) {
	w, ws, we := word(s, 0)
	if strings.HasPrefix(w, "@") {
		// Nicknames are matched case-sensitively, as cron's strcmp does.
		exp, ok := nicknames[w]
		if !ok {
			return 0, fmt.Errorf("unknown nickname %q (want @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)", w)
		}
		j.Schedule, j.Special = w, w
		for i := range j.FieldSpans {
			j.FieldSpans[i] = [2]int{base + ws, base + we}
		}
		if w == "@reboot" {
			j.Reboot = true
			j.Minutes, j.Hours, j.Days, j.Months, j.Weekdays = []int{}, []int{}, []int{}, []int{}, []int{}
			return we, nil
		}
		var tmp Job
		if _, err := tmp.parseSchedule(exp, 0); err != nil {
			panic("crontab: bad nickname table: " + err.Error())
		}
		j.Minutes, j.Hours, j.Days, j.Months, j.Weekdays = tmp.Minutes, tmp.Hours, tmp.Days, tmp.Months, tmp.Weekdays
		j.DomRestricted, j.DowRestricted = tmp.DomRestricted, tmp.DowRestricted
		return we, nil
	}
	var words [5]string
	pos := 0
	for i, f := range fields {
		w, ws, we := word(s, pos)
		if w == "" {
			return 0, fmt.Errorf("missing %s field (a job needs five time fields or an @nickname)", f.name)
		}
		set, note, err := expand(f, w)
		if err != nil {
			return 0, fmt.Errorf("bad %s field %q: %v", f.name, w, err)
		}
		if note != "" {
			j.Dialect, j.DialectNote = "cronie", note
		}
		words[i], j.FieldSpans[i], pos = w, [2]int{base + ws, base + we}, we
		switch i {
		case 0:
			j.Minutes = set
		case 1:
			j.Hours = set
		case 2:
			j.Days, j.DomRestricted = set, w[0] != '*'
		case 3:
			j.Months = set
		case 4:
			j.Weekdays, j.DowRestricted = set, w[0] != '*'
		}
	}
	j.Schedule = strings.Join(words[:], " ")
	return pos, nil
}

// expand turns one field (a comma list of "*", "N", "A-B", each with an
// optional "/STEP") into its sorted set of values.
//
// Choices where Vixie and cronie differ or are vague:
//   - "N/STEP" means N-hi/STEP (cronie); Vixie 3.0 silently read it as N.
//   - Names are accepted inside ranges ("mon-fri"): crontab(5) says they
//     are not, but cron's get_number accepts them and people write them.
//   - A day-of-week range ending at Sunday written as 0 or "sun" ("4-Sun")
//     ends at 7: cronie reads it so (cronie-crond/cronie PR #200, commits
//     d037042 and e6c2853, after 1.7.2), Vixie cron refuses it. RHEL, RDO
//     and OSP hosts run cronie, and refusing the line would hide every
//     finding of the fleet; the note returned says the cronie reading was
//     used. Not with a step ("4-0/2"): cronie checks the step first and
//     sets no bit.
//   - Any other range whose start is past its end ("5-1") is an error:
//     cron would set no bit and the job would never run.
//   - Any step >= 1 is accepted; a step wider than the range gives its start.
func expand(f field, s string) ([]int, string, error) {
	seen := map[int]bool{}
	note := ""
	for _, part := range strings.Split(s, ",") {
		rng, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || !isDigits(stepText) {
				return nil, "", fmt.Errorf("bad step %q", stepText)
			}
			if n == 0 {
				return nil, "", errors.New("step 0")
			}
			// A step past the field's width adds nothing; capping it keeps
			// v += step from overflowing.
			step = min(n, f.hi+1)
		}
		var lo, hi int
		switch {
		case rng == "*":
			lo, hi = f.lo, f.hi
		case rng == "":
			return nil, "", fmt.Errorf("empty element in %q", s)
		default:
			a, b, isRange := strings.Cut(rng, "-")
			var err error
			if lo, err = f.value(a); err != nil {
				return nil, "", err
			}
			hi = lo
			switch {
			case isRange:
				if hi, err = f.value(b); err != nil {
					return nil, "", err
				}
				if f.hi == 7 && hi == 0 && lo > 0 && !hasStep {
					hi = 7
					note = fmt.Sprintf("%q read as %d-7, through Sunday, as cronie does; Vixie cron refuses the line", rng, lo)
				}
				if lo > hi {
					return nil, "", fmt.Errorf("range %s starts after it ends", rng)
				}
			case hasStep:
				hi = f.hi
			}
		}
		for v := lo; v <= hi; v += step {
			seen[v] = true
		}
	}
	if f.hi == 7 && seen[7] { // day-of-week: 7 is Sunday again
		delete(seen, 7)
		seen[0] = true
	}
	out := make([]int, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Ints(out)
	return out, note, nil
}

// value reads a number or a (case-insensitive, three-letter) name and
// checks it against the field's bounds.
func (f field) value(s string) (int, error) {
	if s == "" {
		return 0, errors.New("missing number")
	}
	if !isDigits(s) {
		for i, n := range f.names {
			if strings.EqualFold(s, n) {
				return f.lo + i, nil
			}
		}
		if f.names != nil {
			return 0, fmt.Errorf("%q is not a number or a name (%s-%s)", s, f.names[0], f.names[len(f.names)-1])
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < f.lo || n > f.hi {
		return 0, fmt.Errorf("%s out of range %d-%d", s, f.lo, f.hi)
	}
	return n, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
