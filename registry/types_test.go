package registry

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// typeCases: a type (as zed.json writes it), a value as read from a file,
// and whether oslo.config accepts it. TestTypesAgainstOsloConfig asks
// oslo_config/types.py the same questions.
var typeCases = []struct {
	spec  string
	value string
	ok    bool
}{
	{`{"type":"integer"}`, "42", true},
	{`{"type":"integer"}`, "-7", true},
	{`{"type":"integer"}`, "+7", true},
	{`{"type":"integer"}`, "007", true},
	{`{"type":"integer"}`, "1_000", true}, // Python's int() takes PEP 515 underscores
	{`{"type":"integer"}`, "1__000", false},
	{`{"type":"integer"}`, "_1", false},
	{`{"type":"integer"}`, "", true}, // an empty value is None
	{`{"type":"integer"}`, "5m", false},
	{`{"type":"integer"}`, "1.0", false},
	{`{"type":"integer"}`, "0x10", false},
	{`{"type":"integer"}`, "ten", false},
	{`{"type":"integer","min":0}`, "-1", false},
	{`{"type":"integer","min":-1}`, "-1", true},
	{`{"type":"integer","max":10}`, "11", false},
	{`{"type":"integer","max":10}`, "99999999999999999999999", false},
	{`{"type":"integer","choices":[0,1,2]}`, "2", true},
	{`{"type":"integer","choices":[0,1,2]}`, "3", false},
	{`{"type":"port","min":0,"max":65535}`, "8774", true},
	{`{"type":"port","min":0,"max":65535}`, "65536", false},
	{`{"type":"float"}`, "1.5", true},
	{`{"type":"float"}`, "1e3", true},
	{`{"type":"float"}`, ".5", true},
	{`{"type":"float"}`, "5.", true},
	{`{"type":"float"}`, "inf", true},
	{`{"type":"float"}`, "-Infinity", true},
	{`{"type":"float"}`, "nan", true},
	{`{"type":"float"}`, "1_0.5", true},
	{`{"type":"float"}`, "0x1p3", false},
	{`{"type":"float"}`, "1,5", false},
	{`{"type":"float"}`, "", true},
	{`{"type":"float","min":0.0,"max":1.0}`, "1.5", false},
	{`{"type":"float","min":0.0,"max":1.0}`, "0.5", true},
	{`{"type":"boolean"}`, "true", true},
	{`{"type":"boolean"}`, "False", true},
	{`{"type":"boolean"}`, "YES", true},
	{`{"type":"boolean"}`, "on", true},
	{`{"type":"boolean"}`, "0", true},
	{`{"type":"boolean"}`, "t", false}, // not strutils: types.Boolean's four pairs only
	{`{"type":"boolean"}`, "enabled", false},
	{`{"type":"boolean"}`, "", false},
	{`{"type":"string"}`, "", true},
	{`{"type":"string","choices":["kvm","qemu","lxc","parallels"]}`, "kvm", true},
	{`{"type":"string","choices":["kvm","qemu","lxc","parallels"]}`, "KVM", false},
	{`{"type":"string","choices":["kvm","qemu"],"ignore_case":true}`, "KVM", true},
	{`{"type":"string","regex":"^(hour|month|day|year)(@([0-9]+))?$"}`, "month@15", true},
	{`{"type":"string","regex":"^(hour|month|day|year)(@([0-9]+))?$"}`, "weekly", false},
	{`{"type":"string","regex":"\\d+:\\d+"}`, "x10000:20000y", true}, // unanchored search
	{`{"type":"string","max_length":3}`, "abcd", false},
	{`{"type":"string","quotes":true}`, `"abc`, false},
	{`{"type":"list","item":{"type":"string"}}`, "a, b,,c,", true},
	{`{"type":"list","item":{"type":"integer"}}`, "1, 2,3", true},
	{`{"type":"list","item":{"type":"integer"}}`, "1,x", false},
	{`{"type":"list","item":{"type":"string","choices":["none","vencrypt"]}}`, "none,vencrypt", true},
	{`{"type":"list","item":{"type":"string","choices":["none","vencrypt"]}}`, "none,tls", false},
	{`{"type":"list","item":{"type":"string"},"bounds":true}`, "[a,b]", true},
	{`{"type":"list","item":{"type":"string"},"bounds":true}`, "a,b", false},
	{`{"type":"dict","value":{"type":"string"}}`, "a:1, b:2", true},
	{`{"type":"dict","value":{"type":"string"}}`, "a:1,a:2", false},
	{`{"type":"dict","value":{"type":"string"}}`, "a", false},
	{`{"type":"dict","value":{"type":"integer"}}`, "a:1,b:x", false},
	{`{"type":"range","min":0,"max":10}`, "1-5", true},
	{`{"type":"range","min":0,"max":10}`, "5", true},
	{`{"type":"range","min":0,"max":10}`, "1-11", false},
	{`{"type":"range"}`, "a-b", false},
	{`{"type":"ipaddress"}`, "192.168.1.10", true},
	{`{"type":"ipaddress"}`, "::1", true},
	{`{"type":"ipaddress"}`, "192.168.001.10", false},
	{`{"type":"ipaddress"}`, "10.0.0", false},
	{`{"type":"ipaddress"}`, "fe80::1%eth0", false},
	{`{"type":"ipaddress"}`, "", false},
	{`{"type":"ipaddress","version":4}`, "::1", false},
	{`{"type":"hostaddress"}`, "ctl1.example.org", true},
	{`{"type":"hostaddress"}`, "10.0.0.1", true},
	{`{"type":"hostaddress"}`, "ctl_1", false},
	{`{"type":"hostaddress"}`, "-ctl1", false},
	{`{"type":"hostaddress"}`, "10.0.0.300", false}, // numeric top-level domain
	{`{"type":"hostdomain"}`, "ctl_1.example.org", true},
	{`{"type":"hostname"}`, "ctl1.", true},
	{`{"type":"uri"}`, "http://192.168.1.10:6080/vnc_auto.html", true},
	{`{"type":"uri"}`, "192.168.1.10:6080", false},
	{`{"type":"uri","schemes":["http","https"]}`, "ftp://x.example.org/", false},
	{`{"type":"uri"}`, "http://h:abc/", false},
	{`{"type":"uri"}`, "http://h/a b", true},
	{`{"type":"uri"}`, "http://[::1]:80/", true},
	{`{"type":"uri"}`, "http://ctl_1:6080/", true},
	{`{"type":"uri"}`, "HTTP://h/", true},
	{`{"type":"uri"}`, "file:///x", false},
	{`{"type":"multistring"}`, "anything", true},
	{`{"type":"unknown","name":"CapNameOrInt"}`, "whatever", true},
}

func parseSpec(t *testing.T, spec string) *Type {
	t.Helper()
	var ty Type
	if err := json.Unmarshal([]byte(spec), &ty); err != nil {
		t.Fatalf("%s: %v", spec, err)
	}
	return &ty
}

func TestTypeCheck(t *testing.T) {
	for _, c := range typeCases {
		why := parseSpec(t, c.spec).Check(c.value)
		if (why == "") != c.ok {
			t.Errorf("%s %q: got %q, want ok=%v", c.spec, c.value, why, c.ok)
		}
	}
	// A value oslo.config substitutes into first is not checked.
	if why := parseSpec(t, `{"type":"integer"}`).Check("$workers"); why != "" {
		t.Errorf("substitution checked: %s", why)
	}
}

// oracle asks oslo_config.types (Debian's /usr/bin/python3) whether each
// (spec, value) is accepted; it skips the test when that is not installed
// (.ci/run installs python3-nova, which brings oslo.config).
const oracle = `
import json, sys
from oslo_config import types
def build(s):
    k = s["type"]
    if k == "string": return types.String(choices=s.get("choices"), regex=s.get("regex"), max_length=s.get("max_length"), quotes=s.get("quotes", False), ignore_case=s.get("ignore_case", False))
    if k == "multistring": return types.MultiString()
    if k == "integer": return types.Integer(min=s.get("min"), max=s.get("max"), choices=s.get("choices"))
    if k == "port": return types.Port(min=s.get("min"), max=s.get("max"), choices=s.get("choices"))
    if k == "float": return types.Float(min=s.get("min"), max=s.get("max"))
    if k == "boolean": return types.Boolean()
    if k == "list": return types.List(item_type=build(s.get("item", {"type": "string"})), bounds=s.get("bounds", False))
    if k == "dict": return types.Dict(value_type=build(s.get("value", {"type": "string"})), bounds=s.get("bounds", False))
    if k == "range": return types.Range(min=s.get("min"), max=s.get("max"), inclusive=s.get("inclusive", True))
    if k == "ipaddress": return types.IPAddress(version=s.get("version"))
    if k == "hostaddress": return types.HostAddress(version=s.get("version"))
    if k == "hostdomain": return types.HostDomain(version=s.get("version"))
    if k == "hostname": return types.Hostname()
    if k == "uri": return types.URI(max_length=s.get("max_length"), schemes=s.get("schemes"))
    return lambda v: v
for line in sys.stdin:
    c = json.loads(line)
    try:
        build(c["spec"])(c["value"])
        print("ok")
    except ValueError as e:
        print("refused: %s" % e)
`

func runOracle(t *testing.T, cases []oracleCase) []string {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3: oslo.config cross-check not run (.ci/run installs python3-nova)")
	}
	if err := exec.Command(py, "-c", "import oslo_config.types").Run(); err != nil {
		t.Skip("oslo.config not installed for /usr/bin/python3: cross-check not run (.ci/run installs python3-nova)")
	}
	var in bytes.Buffer
	for _, c := range cases {
		b, _ := json.Marshal(map[string]any{"spec": json.RawMessage(c.spec), "value": c.value})
		in.Write(append(b, '\n'))
	}
	cmd := exec.Command(py, "-c", oracle)
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("oracle answered %d of %d", len(lines), len(cases))
	}
	return lines
}

type oracleCase struct{ spec, value string }

// TestTypesAgainstOsloConfig checks the table, and every distinct type in
// the registry with a set of typical values, against oslo_config itself.
func TestTypesAgainstOsloConfig(t *testing.T) {
	var cases []oracleCase
	for _, c := range typeCases {
		cases = append(cases, oracleCase{c.spec, c.value})
	}
	specs := map[string]bool{}
	for _, svc := range Services() {
		s := For(svc)
		for _, g := range s.Groups() {
			for _, o := range s.Options(g) {
				if o.Kind == "uri" {
					continue // only a subset of rfc3986 is checked; see checkURI
				}
				b, _ := json.Marshal(o.Type)
				specs[string(b)] = true
			}
		}
	}
	probes := []string{"", "0", "1", "-1", "42", "65536", "1.5", "5m", "true", "no", "x", "kvm", "none",
		"a,b", "1,2", "a:1", "192.168.1.10", "ctl1.example.org", "[a]", "0-3", "VGPU", "json", "keystone"}
	var keys []string
	for k := range specs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, p := range probes {
			cases = append(cases, oracleCase{k, p})
		}
	}
	got := runOracle(t, cases)
	bad := 0
	for i, c := range cases {
		want := got[i] == "ok"
		why := parseSpec(t, c.spec).Check(c.value)
		if (why == "") != want {
			bad++
			if bad <= 20 {
				t.Errorf("%s %q: oslo.config says %s; oscfg says %q", c.spec, c.value, got[i], why)
			}
		}
	}
	t.Logf("%d checks (%d registry types x %d values) agree with oslo_config.types", len(cases), len(keys), len(probes))
}
