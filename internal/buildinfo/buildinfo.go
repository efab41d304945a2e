// Package buildinfo says which oscfg this is: the version, commit and build
// date stamped by `make release` (-ldflags -X), else what the Go toolchain
// recorded from the module and VCS.
package buildinfo

import "runtime/debug"

// Set by the linker: -X github.com/oscfg/oscfg/internal/buildinfo.version=v0.3.0
// (and .commit, .date). Empty in a plain `go build`.
var version, commit, date string

// Info is what `oscfg version` prints and SARIF's tool.driver carries.
type Info struct {
	Version string // v0.3.0, or devel-<commit> for an unstamped build
	Commit  string // full VCS revision, "" when unknown
	Date    string // build (release) or commit time, RFC 3339, "" when unknown
	Dirty   bool   // built from a work tree with uncommitted changes
}

// Get returns the stamped values, filling what the linker left empty from
// the build information the toolchain embeds.
func Get() Info {
	in := Info{Version: version, Commit: commit, Date: date}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			case "vcs.modified":
				in.Dirty = s.Value == "true"
			}
		}
		if in.Version == "" {
			if v := bi.Main.Version; v != "" && v != "(devel)" {
				in.Version = v
			}
		}
	}
	if in.Version == "" {
		in.Version = "devel"
		if in.Commit != "" {
			in.Version += "-" + short(in.Commit)
			if in.Dirty {
				in.Version += "-dirty"
			}
		}
	}
	return in
}

// Version is Get().Version.
func Version() string { return Get().Version }

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
