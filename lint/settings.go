package lint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/settings"
)

// findSettingsStep reads the settings file; --policy adds to its
// policy directories.
func findSettingsStep(_ context.Context, s *state) error {
	var notes io.Writer
	if s.o.Verbose {
		notes = s.o.Notes
	}
	st, err := findSettings(s.o.Config, s.o.Paths, notes)
	if err != nil {
		return err
	}
	st.PolicyDirs = append(st.PolicyDirs, s.o.Policies...)
	s.st = st
	return nil
}

// findSettings picks the settings file as ruff and golangci-lint do:
// --config when given; else the oscfg.ini nearest to the first PATH,
// walking up from it to the file-system root; else ./oscfg.ini; else the
// defaults. -v (notes not nil) names the file used. Hosts in memory
// (no paths) take the defaults: what surrounds a test must not change its
// document.
func findSettings(explicit string, paths []string, notes io.Writer) (*settings.Settings, error) {
	say := func(p, why string) {
		if notes != nil {
			fmt.Fprintf(notes, "oscfg: settings from %s (%s)\n", p, why)
		}
	}
	if explicit != "" {
		say(explicit, "--config")
		return settings.Load(explicit)
	}
	if len(paths) == 0 {
		return settings.Default(), nil
	}
	p, err := NearestSettings(paths[0])
	if err != nil {
		return nil, err
	}
	if p != "" {
		say(p, "nearest to "+paths[0])
		return settings.Load(p)
	}
	if _, err := os.Stat("oscfg.ini"); err == nil {
		say("oscfg.ini", "current directory")
		return settings.Load("oscfg.ini")
	}
	if notes != nil {
		fmt.Fprintln(notes, "oscfg: no oscfg.ini found; built-in defaults")
	}
	return settings.Default(), nil
}

// inRootSettings is PATH/oscfg.ini when PATH is a directory holding one as
// a regular file, resolved inside PATH as a host root (a sosreport's
// oscfg.ini may be a link that means the host's own file), or "".
//
// An oscfg.ini there that is a link out of PATH, or that cannot be looked
// up, is an error: silently using the defaults instead would drop the
// operator's [ignore] and release.
func inRootSettings(dir string) (string, error) {
	r, err := hostfs.Open(dir)
	if err != nil {
		return "", nil
	}
	defer r.Close()
	real, err := r.Resolve("/oscfg.ini")
	if err != nil {
		var e *hostfs.Error
		if errors.As(err, &e) && e.Kind == hostfs.Missing {
			return "", nil
		}
		return "", fmt.Errorf("settings: %w", err)
	}
	if st, err := r.Stat(real); err == nil && st.Mode().IsRegular() {
		return r.Disk(real), nil
	}
	return "", nil
}

// NearestSettings is the oscfg.ini nearest to target: inside it when it
// is a directory (resolved in it as a host root, so a link there never
// leads out of it), else in the closest of its parents; "" when none.
func NearestSettings(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", nil
	}
	if st, err := os.Stat(abs); err == nil && st.IsDir() {
		if p, err := inRootSettings(abs); p != "" || err != nil {
			return p, err
		}
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "oscfg.ini")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			if rel, err := filepath.Rel(mustGetwd(), p); err == nil && !strings.HasPrefix(rel, "..") {
				return rel, nil
			}
			return p, nil
		}
		if filepath.Dir(dir) == dir {
			return "", nil
		}
	}
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}
