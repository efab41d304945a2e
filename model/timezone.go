package model

import "time"

// TimeZone is the local time zone a host's cron daemon schedules in.
type TimeZone struct {
	// Name is the IANA name ("Europe/Berlin"); "" when only a copied zone
	// file tells the offsets.
	Name string
	// Source is the file that told it: "/etc/localtime" (the link's target
	// or the zone file itself, what libc reads) or "/etc/timezone"
	// (Debian's name file); "" when neither exists.
	Source string
	// Loc is the zone, nil when unknown.
	Loc *time.Location
	// Note says why the zone is unknown, or what disagreed.
	Note string
}
