package lint

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/oscfg/oscfg/internal/hint"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/discover"
	"github.com/oscfg/oscfg/report"
	"github.com/oscfg/oscfg/settings"
	"github.com/oscfg/oscfg/topology"
)

// loadFleet loads the PATHs into a fleet: the release of --release, else
// of oscfg.ini, else inferred; the overlay's bytes over the files on disk.
// It says the assumed release only when there are notes.
func loadFleet(_ context.Context, s *state) error {
	o, st, stderr := s.o, s.st, s.o.Notes
	opt := loader.Options{Discover: discover.Options{Kind: o.Kind, HostName: o.Host, Exclude: st.ExcludePaths, AllowEmpty: o.AllowEmpty},
		Overlay: o.Overlay, SkipUnreadable: o.SkipUnreadable, Releases: o.Releases}
	if o.Backup != "" {
		opt.Discover.BackupSuffixes = []string{o.Backup}
	}
	opt.Progress = o.Progress
	if o.Verbose && stderr != nil {
		opt.Discover.Skipped = func(p, why string) { fmt.Fprintf(stderr, "oscfg: skipped %s: %s\n", p, why) }
	}
	switch {
	case o.Release != "":
		opt.Release, opt.ReleaseSource = o.Release, "flag"
	case st.Release != "":
		opt.Release, opt.ReleaseSource = st.Release, "config"
	}
	if opt.Release != "" {
		if _, err := model.ParseRelease(opt.Release, ""); err != nil {
			return UsageError{err.Error()}
		}
	}
	if o.Service != "" {
		if !slices.Contains(discover.Services, o.Service) {
			return UsageError{fmt.Sprintf("--service %q: no such service%s (services: %s)", o.Service, hint.DidYouMean(o.Service, discover.Services), strings.Join(discover.Services, ", "))}
		}
		opt.Service = o.Service
	}
	var fleet *model.Fleet
	var err error
	if o.Hosts != nil {
		fleet, err = loader.LoadOpen(o.Hosts, opt)
	} else {
		fleet, err = loader.Load(o.Paths, opt)
	}
	if err != nil {
		return err
	}
	if err := checkHostFlag(o.Host, fleet); err != nil {
		return err
	}
	if err := checkServiceFlag(o.Service, fleet); err != nil {
		return err
	}
	if stderr != nil {
		for _, u := range fleet.Unread {
			fmt.Fprintf(stderr, "oscfg: warning: not read: %s\n", u)
		}
		for _, w := range fleet.Warnings {
			fmt.Fprintf(stderr, "oscfg: warning: %s\n", w)
		}
	}
	if stderr != nil {
		sayRelease(stderr, fleet)
		for _, h := range fleet.Hosts {
			for _, n := range h.Notes {
				fmt.Fprintf(stderr, "oscfg: %s: assumed: %s\n", h.Name, n)
			}
		}
	}
	s.fleet = fleet
	return nil
}

// buildInput makes the input document the rules read, with the
// clusters the user states or inferred ones.
func buildInput(_ context.Context, s *state) error {
	st, fleet, stderr := s.st, s.fleet, s.o.Notes
	clusters, err := statedClusters(s.o, st, fleet)
	if err != nil {
		return err
	}
	in, topo := loader.InputTopology(fleet, loader.Settings{BlockDeviceWindowTarget: st.BlockDeviceWindowTarget, FileModes: st.FileModes, MySQLServer: st.MySQLServer, Clusters: clusters})
	if stderr != nil && len(fleet.Hosts) > 1 {
		fmt.Fprintln(stderr, topo.Summary())
	}
	s.input, s.topo = in, topo
	return nil
}

// checkHostFlag refuses a --host that named nothing: it names the host of
// files named directly or of a single host root, and a PATH of several
// hosts would otherwise lint them all under their own names, silently.
func checkHostFlag(name string, fleet *model.Fleet) error {
	if name == "" || len(fleet.Hosts) == 1 && fleet.Hosts[0].Name == name {
		return nil
	}
	var names []string
	for _, h := range fleet.Hosts {
		if h.Name == name && h.Root != "" {
			return UsageError{fmt.Sprintf("--host %s: the PATHs hold %s and --host only names the host of files named directly or of a single host root; to lint %s alone, name its directory: %s",
				name, report.Plural(len(fleet.Hosts), "host", ""), name, h.Root)}
		}
		names = append(names, h.Name)
	}
	sort.Strings(names)
	list := strings.Join(names, ", ")
	if len(names) > 10 {
		list = strings.Join(names[:10], ", ") + ", ..."
	}
	return UsageError{fmt.Sprintf("--host %s matches no host%s: the PATHs hold %s (%s), and --host only names the host of files named directly or of a single host root",
		name, hint.DidYouMean(name, names), report.Plural(len(fleet.Hosts), "host", ""), list)}
}

// checkServiceFlag refuses a --service that named nothing: it names the
// service of oslo files named directly, and a host root's files have the
// service their place says.
func checkServiceFlag(name string, fleet *model.Fleet) error {
	if name == "" {
		return nil
	}
	for _, h := range fleet.Hosts {
		for _, f := range h.Files {
			if f.ServiceBy == "--service" {
				return nil
			}
		}
	}
	return UsageError{fmt.Sprintf("--service %s: no oslo file was named directly; --service only names the service of oslo files named on the command line (a host root's files have the service their place says)", name)}
}

// statedClusters is the placement the user states: --inventory, else
// [clusters] of oscfg.ini; nil leaves it to the layout and inference.
func statedClusters(o Options, st *settings.Settings, fleet *model.Fleet) (*topology.Assignment, error) {
	var names []string
	for _, h := range fleet.Hosts {
		names = append(names, h.Name)
	}
	switch {
	case o.Inventory != "":
		inv, err := topology.ReadInventory(o.Inventory)
		if err != nil {
			return nil, UsageError{err.Error()}
		}
		a, err := inv.Assign(names, o.ClusterGroup)
		if err != nil {
			return nil, UsageError{err.Error()}
		}
		return a, nil
	case o.ClusterGroup != "":
		return nil, UsageError{"--cluster-group needs --inventory"}
	case len(st.Clusters) > 0:
		a, err := topology.GlobAssignment(st.File, st.Clusters, names)
		if err != nil {
			return nil, UsageError{err.Error()}
		}
		return a, nil
	}
	return nil, nil
}

// sayRelease says once which release the rules assume and why, unless
// --release said it: one line for the fleet, or one per group of hosts
// when they disagree.
func sayRelease(w io.Writer, fleet *model.Fleet) {
	r := fleet.Release
	switch {
	case r.Source == "flag":
		return
	case r.Source == "hosts":
		fmt.Fprintf(w, "oscfg: the hosts run different OpenStack releases; each is judged by its own:\n")
		for _, line := range loader.ReleaseSummary(fleet) {
			fmt.Fprintf(w, "oscfg:   %s\n", line)
		}
		return
	case r.Source == "default" || r.Source == "inferred":
		fmt.Fprintf(w, "oscfg: assuming OpenStack release %s (%s)\n", r.Name, r.Reason)
	default:
		fmt.Fprintf(w, "oscfg: OpenStack release %s (%s: %s)\n", r.Name, r.Source, r.Reason)
	}
}
