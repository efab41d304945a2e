package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/oscfg/oscfg/engine"
	"github.com/oscfg/oscfg/fixers"
	"github.com/oscfg/oscfg/loader"
	"github.com/oscfg/oscfg/model"
	"github.com/oscfg/oscfg/parsers/oslo"
)

// validatorNamespaces are what nova and keystone register, as fix --write
// gives them to oslo-config-validator.
var validatorNamespaces = fixers.OsloNamespaces

// validatorUnknownButKnown: options oslo-config-validator reports as "not
// part of the sample config" that oscfg deliberately does not report,
// and why oscfg is right: the validator knows only what the generator
// lists, not what a service registers once it has read its config. Keyed
// "service:[group] key"; every entry must still occur (a stale one fails
// the test). The cases are in testdata/validator/.
var validatorUnknownButKnown = map[string]string{
	"nova:[mdev_nvidia-35] device_addresses":       "nova registers [mdev_TYPE] for each type in [devices] enabled_mdev_types after reading its config (nova/conf/devices.py register_dynamic_opts)",
	"nova:[neutron_physnet_physnet1] numa_nodes":   "nova registers [neutron_physnet_NAME] for each name in [neutron] physnets (nova/conf/neutron.py register_dynamic_opts)",
	"nova:[neutron_tunnel] numa_nodes":             "registered at run time by nova/conf/neutron.py register_dynamic_opts, to keep it out of the generated docs",
	"nova:[neutron] application_credential_id":     "keystoneauth1 registers the options of the plugin auth_type names (v3applicationcredential); nova's generator lists only the password plugins'",
	"nova:[neutron] application_credential_secret": "as application_credential_id",
	"keystone:[auth] totp":                         "keystone registers one [auth] option per method listed in [auth] methods (keystone/conf/auth.py setup_authentication)",
}

// validatorUnknownButDeprecated: options the validator calls unknown that
// oslo.config still reads under an old name, which oscfg reports as
// OSC-OPT-002 (a rename) rather than OSC-OPT-001.
var validatorUnknownButDeprecated = map[string]string{
	"nova:[database] sql_connection": "oslo.db declares DeprecatedOpt('sql_connection', group='DATABASE'); oslo.config lower-cases group names when it looks the value up, the validator compares 'database' with 'DATABASE' as written",
}

// validatorDeprecatedNotReported: options the validator calls deprecated
// that oscfg does not report under OSC-OPT-002 or OSC-DB-002, and why.
// None so far.
var validatorDeprecatedNotReported = map[string]string{}

// oscfgOnly explains options oscfg reports as unknown (OSC-OPT-001) while
// the validator does not: a reason per kind of difference.
func oscfgOnly(service, group, key string) string {
	switch {
	case group == "keystone_authtoken":
		return "the validator skips [keystone_authtoken] (KNOWN_BAD_GROUPS); in keystone.conf the group is not read at all (keystone does not load keystonemiddleware), in nova.conf oscfg knows keystonemiddleware's options and every keystoneauth1 plugin's"
	case service == "nova" && group == "database" && key == "use_tpool":
		return "[database] use_tpool is registered only by oslo.db's TpoolDbapiWrapper, which nova never creates; the validator is given the oslo.db.concurrency namespace anyway"
	}
	return ""
}

var (
	unknownRe    = regexp.MustCompile(`^ERROR:root:(.+) is not part of the sample config$`)
	deprecatedRe = regexp.MustCompile(`^WARNING:root:Deprecated opt (.+) found$`)
)

// validatorDriver runs oslo-config-validator's own check
// (oslo_config.validator._validate) on many files in one process: the
// option data of the namespaces, which the command line tool rebuilds on
// every run (2 s each), is built once and handed to it as --opt-data.
// Reads {"service", "path"} lines, writes {"rc", "lines", "error"} lines.
const validatorDriver = `
import json, logging, sys, traceback
from oslo_config import cfg, generator, validator
namespaces = json.loads(sys.argv[1])
data = {}
def opt_data(service):
    if service not in data:
        conf = cfg.ConfigOpts()
        validator._register_cli_opts(conf)
        args = ["--input-file", "/dev/null"]
        for ns in namespaces[service]:
            args += ["--namespace", ns]
        conf(args)
        groups = generator._get_groups(generator._list_opts(conf.namespace))
        data[service] = generator._generate_machine_readable_data(groups, conf)
    return data[service]
validator.load_opt_data = lambda conf: opt_data(conf.opt_data)
class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []
    def emit(self, r):
        self.lines.append("%s:%s:%s" % (r.levelname, r.name, r.getMessage()))
root = logging.getLogger()
root.setLevel(logging.INFO)
for line in sys.stdin:
    req = json.loads(line)
    h = Collect()
    root.handlers = [h]
    out = {"rc": None, "lines": h.lines, "error": ""}
    try:
        conf = cfg.ConfigOpts()
        validator._register_cli_opts(conf)
        conf(["--input-file", req["path"], "--opt-data", req["service"]])
        out["rc"] = validator._validate(conf)
    except Exception:
        out["error"] = traceback.format_exc()
    print(json.dumps(out), flush=True)
`

// checkDriverMatchesCLI runs the oslo-config-validator command on the
// first scenario file and checks the driver says the same.
func checkDriverMatchesCLI(t *testing.T, bin string, files []compared, results []validated) {
	t.Helper()
	for i, f := range files {
		if !strings.HasPrefix(f.name, "testdata/scenarios/unknown-options/") {
			continue
		}
		args := []string{"--input-file", f.path}
		for _, ns := range validatorNamespaces[f.service] {
			args = append(args, "--namespace", ns)
		}
		out, err := exec.Command(bin, args...).CombinedOutput()
		rc := 0
		if err != nil {
			rc = 1
		}
		var want []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if !strings.HasPrefix(l, "INFO:") {
				want = append(want, l)
			}
		}
		var got []string
		for _, l := range results[i].Lines {
			if !strings.HasPrefix(l, "INFO:") {
				got = append(got, l)
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if results[i].RC == nil || *results[i].RC != rc || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("driver and oslo-config-validator differ on %s:\n%v %q\n%d %q", f.name, results[i].RC, got, rc, want)
		}
		return
	}
	t.Fatal("no unknown-options scenario file to check the driver with")
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

type compared struct {
	service, name, path string
}

// inputs: the nova and keystone files of testdata/corpus and of the
// scenario fleets.
func inputs(t *testing.T, root string) []compared {
	t.Helper()
	corpus := filepath.Join(root, "testdata", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Fatalf("corpus missing: %v (expected in the repository: testdata/corpus)", err)
	}
	var out []compared
	for _, svc := range []string{"nova", "keystone"} {
		files, _ := filepath.Glob(filepath.Join(corpus, svc, "*"))
		for _, f := range files {
			out = append(out, compared{svc, "corpus/" + svc + "/" + filepath.Base(f), f})
		}
		fx, _ := filepath.Glob(filepath.Join(root, "testdata", "scenarios", "*", "fleet", "*", "etc", svc, svc+".conf"))
		fx = append(fx, filepath.Join(root, "registry", "testdata", "validator", svc+".conf"))
		for _, f := range fx {
			rel, _ := filepath.Rel(root, f)
			out = append(out, compared{svc, rel, f})
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d files to compare", len(out))
	}
	return out
}

type validated struct {
	RC    *int     `json:"rc"`
	Lines []string `json:"lines"`
	Error string   `json:"error"`
}

// runValidator validates every file with validatorDriver.
func runValidator(t *testing.T, py string, files []compared) []validated {
	t.Helper()
	ns, _ := json.Marshal(validatorNamespaces)
	var in bytes.Buffer
	for _, f := range files {
		b, _ := json.Marshal(map[string]string{"service": f.service, "path": f.path})
		in.Write(append(b, '\n'))
	}
	cmd := exec.Command(py, "-c", validatorDriver, string(ns))
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("validator driver: %v\n%s", err, stderr.String())
	}
	var res []validated
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var v validated
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("validator driver: %v: %s", err, l)
		}
		res = append(res, v)
	}
	if len(res) != len(files) {
		t.Fatalf("validator driver answered %d of %d files", len(res), len(files))
	}
	return res
}

// reported maps the validator's "GROUP/KEY" (ambiguous when a key holds a
// '/', as paste sections' "/v2.0" do) back to the file's options.
func reported(t *testing.T, path string, lines []string) (unknown, deprecated map[string]bool) {
	t.Helper()
	src, _ := os.ReadFile(path)
	doc, err := oslo.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, e := range doc.Entries {
		n := fmt.Sprintf("[%s] %s", e.Section, e.Name)
		names[e.Section+"/"+e.Key] = n
		names[e.Section+"/"+e.Name] = n
	}
	unknown, deprecated = map[string]bool{}, map[string]bool{}
	for _, l := range lines {
		for re, set := range map[*regexp.Regexp]map[string]bool{unknownRe: unknown, deprecatedRe: deprecated} {
			if m := re.FindStringSubmatch(l); m != nil {
				n, ok := names[m[1]]
				if !ok {
					t.Fatalf("%s: validator names %q, which is not in the file", path, m[1])
				}
				set[n] = true
			}
		}
	}
	return unknown, deprecated
}

// lintOne lints one file as /etc/<service>/<service>.conf of a host on
// Zed and returns the findings, or the input error.
func lintOne(t *testing.T, eng *engine.Engine, service, path string) ([]model.Finding, error) {
	t.Helper()
	host := filepath.Join(t.TempDir(), "host")
	dst := filepath.Join(host, "etc", service, service+".conf")
	os.MkdirAll(filepath.Dir(dst), 0o755)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dst, b, 0o644)
	fleet, err := loader.Load([]string{host}, loader.Options{Release: "zed", ReleaseSource: "flag"})
	if err != nil {
		return nil, err
	}
	in, err := engine.Input(loader.Input(fleet, loader.DefaultSettings))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return fs, nil
}

// TestAgainstOsloConfigValidator: every option oslo-config-validator
// reports as unknown in the nova and keystone files of testdata/corpus
// and of the scenario fleets, oscfg reports too (OSC-OPT-001 for the option
// or its section, OSC-OPT-002, or OSC-DB-002), unless the table above says
// why oscfg knows better. Differences the other way are explained by
// oscfgOnly.
func TestAgainstOsloConfigValidator(t *testing.T) {
	root := moduleRoot(t)
	files := inputs(t, root)
	bin, err := exec.LookPath("oslo-config-validator")
	if err != nil {
		if _, e := os.Stat("/usr/bin/oslo-config-validator"); e != nil {
			t.Skip("oslo-config-validator not installed (.ci/run installs python3-nova and python3-keystone): comparison not run")
		}
		bin = "/usr/bin/oslo-config-validator"
	}
	py := "/usr/bin/python3" // the validator's interpreter (Debian's)
	results := runValidator(t, py, files)
	checkDriverMatchesCLI(t, bin, files, results)
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	usedKnown, usedDep, usedUnkDep := map[string]bool{}, map[string]bool{}, map[string]bool{}
	total, totalDep, same, skipped := 0, 0, 0, 0
	var only []string
	for i, f := range files {
		v := results[i]
		fs, lerr := lintOne(t, eng, f.service, f.path)
		if lerr != nil {
			// oscfg refuses files oslo.config cannot read either.
			if v.Error == "" {
				t.Errorf("%s: oscfg refuses a file the validator reads: %v", f.name, lerr)
			}
			skipped++
			continue
		}
		if v.Error != "" {
			t.Errorf("%s: the validator cannot read it, oscfg can:\n%s", f.name, v.Error)
			continue
		}
		unknown, deprecated := reported(t, f.path, v.Lines)
		reported := map[string]bool{} // "[g] k" and "[g]" (a whole section)
		dep := map[string]bool{}
		opt002 := map[string]bool{}
		for _, x := range fs {
			g, k, hasKey := strings.Cut(x.Key, "/")
			name := fmt.Sprintf("[%s] %s", g, k)
			switch {
			case x.Rule == "OSC-OPT-001" && !hasKey:
				reported["["+g+"]"] = true
			case x.Rule == "OSC-OPT-001":
				reported[name] = true
				if !unknown[name] {
					if why := oscfgOnly(f.service, g, k); why != "" {
						only = append(only, fmt.Sprintf("%s: %s: %s", f.name, name, why))
					} else {
						t.Errorf("%s: oscfg reports %s as unknown, the validator does not (unexplained): %s", f.name, name, x.Message)
					}
				}
			case x.Rule == "OSC-OPT-002" || x.Rule == "OSC-DB-002":
				reported[name], dep[name] = true, true
				opt002[name] = opt002[name] || x.Rule == "OSC-OPT-002"
			}
		}
		for name := range unknown {
			total++
			g := name[1:strings.Index(name, "]")]
			key := f.service + ":" + name
			if reported[name] || reported["["+g+"]"] {
				same++
				if opt002[name] {
					if _, ok := validatorUnknownButDeprecated[key]; !ok {
						t.Errorf("%s: the validator calls %s unknown, oscfg a deprecated name (OSC-OPT-002): document why in validatorUnknownButDeprecated", f.name, name)
					}
					usedUnkDep[key] = true
				}
				continue
			}
			if _, ok := validatorUnknownButKnown[key]; ok {
				usedKnown[key] = true
				continue
			}
			t.Errorf("%s: oslo-config-validator reports %s as unknown; oscfg does not", f.name, name)
		}
		for name := range deprecated {
			totalDep++
			if dep[name] {
				continue
			}
			key := f.service + ":" + name
			if _, ok := validatorDeprecatedNotReported[key]; ok {
				usedDep[key] = true
				continue
			}
			t.Errorf("%s: oslo-config-validator reports %s as deprecated; oscfg does not", f.name, name)
		}
	}
	for k := range validatorUnknownButKnown {
		if !usedKnown[k] {
			t.Errorf("allow-list entry %s no longer occurs: remove it", k)
		}
	}
	for k := range validatorUnknownButDeprecated {
		if !usedUnkDep[k] {
			t.Errorf("allow-list entry %s no longer occurs: remove it", k)
		}
	}
	for k := range validatorDeprecatedNotReported {
		if !usedDep[k] {
			t.Errorf("allow-list entry %s no longer occurs: remove it", k)
		}
	}
	sort.Strings(only)
	for _, o := range only {
		t.Log("oscfg only: " + o)
	}
	t.Logf("%d files (%d refused by both), %d unknown options reported by the validator: %d also by oscfg (%d of them as deprecated names), %d known to oscfg (allow-list); %d deprecated, all reported; %d more reported by oscfg only",
		len(files), skipped, total, same, len(usedUnkDep), len(usedKnown), totalDep, len(only))
}
