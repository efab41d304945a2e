package haproxy

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oscfg/oscfg/parsers"
)

const haproxyBin = "/usr/sbin/haproxy"

// haproxyCheck runs `haproxy -c -f file` in the file's directory and returns
// whether it accepted the file, and its output.
func haproxyCheck(t *testing.T, file string) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, haproxyBin, "-c", "-f", file)
	cmd.Dir = filepath.Dir(file)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("haproxy -c %s timed out", file)
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running haproxy: %v", err)
	}
	return err == nil, string(out)
}

func needHaproxy(t *testing.T) {
	if _, err := os.Stat(haproxyBin); err != nil {
		t.Skip("haproxy not installed; .ci/run installs Debian haproxy")
	}
}

// A listener with timeouts, so haproxy -c has nothing else to say.
const validBase = `defaults
    mode http
    timeout client 1s
    timeout server 1s
    timeout connect 1s
listen a
    bind 127.0.0.1:18080
`

// Parse must refuse exactly what haproxy's config reader refuses at the
// grammar level. Every case here is keyword-valid, so haproxy's exit status
// depends only on the grammar.
func TestHaproxyAgrees(t *testing.T) {
	needHaproxy(t)
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("w ", n)) }
	cases := map[string]string{
		"valid":                validBase,
		"dquote open":          validBase + "    acl x path \"abc\n",
		"squote open":          validBase + "    acl x path 'abc\n",
		"escaped close quote":  validBase + "    acl x path \"abc\\\"\n",
		"quote after CR":       validBase + "    acl x path a\r\"\n",
		"quote after blank CR": validBase + "    acl x path a \r\"\n",
		"if without endif":     validBase + ".if 1\n    maxconn 10\n",
		"lone endif":           validBase + ".endif\n",
		"lone else":            validBase + ".else\n",
		"else after else":      validBase + ".if 1\n.else\n.else\n.endif\n",
		"elif after else":      validBase + ".if 1\n.else\n.elif 1\n.endif\n",
		"endif with argument":  validBase + ".if 1\n.endif x\n",
		"nested if":            ".if 0\n.if 1\n.endif\n.else\n.endif\n" + validBase + ".if defined(HOME)\n    maxconn 3 # c\n.endif # done\n",
		"out of section":       "    maxconn 10\n" + validBase,
		"unknown section":      "Global\n    maxconn 10\n" + validBase,
		"comment no space":     "global#comment\n    maxconn 10#x\n" + validBase,
		"64 words":             validBase + "    acl x path " + words(61) + "\n",
		"64 words + blank":     validBase + "    acl x path " + words(61) + " \n",
		"64 words + comment":   validBase + "    acl x path " + words(61) + "# c\n",
		"65 words":             validBase + "    acl x path " + words(62) + "\n",
		"escapes":              validBase + "    acl x path esc\\x41\\#x \\d+ trailing\\\n",
		"bad hex":              validBase + "    acl x path a\\xZZ\n",
		"var first char":       validBase + "    acl x path \"a $5\"\n",
		"var open brace":       validBase + "    acl x path \"${X\"\n",
		"var bad expand":       validBase + "    acl x path \"${X[a]}\"\n",
		"var default quote":    validBase + "    acl x path \"${X-a\"b}\" c\n",
		"unquoted dollar":      validBase + "    acl x path $5 ${X\n",
		"empty first word":     validBase + "\"\" anything here\n",
		"scope":                validBase + "[foo]   # c\n    maxconn 3\n",
		"empty scope":          validBase + "[]\n",
		"bad scope name":       validBase + "[fo o]\n",
		"text after scope":     validBase + "[foo] x\n",
		"no final LF":          validBase + "    maxconn 3",
		"CRLF":                 strings.ReplaceAll(validBase, "\n", "\r\n"),
		".alert":               validBase + ".alert \"boom\"\n",
		".alert in false if":   validBase + ".if 0\n.alert \"boom\"\n.endif\n",
		".warning":             validBase + ".warning \"careful\"\n",
		".notice two words":    validBase + ".notice two words\n",
		"unknown dot":          validBase + ".foo bar\n",
		"named defaults from":  "defaults base\n    mode http\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\ndefaults from base\nlisten a from base\n    bind 127.0.0.1:18080\n",
	}
	dir := t.TempDir()
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".cfg")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			ok, out := haproxyCheck(t, file)
			_, err := Parse(file, []byte(src))
			if ok != (err == nil) {
				t.Errorf("haproxy accepts=%v, Parse error=%v\nhaproxy said:\n%s", ok, err, out)
			}
			// Keeps grammarAlert honest for the corpus test below.
			if !ok && grammarAlert.FindString(out) == "" {
				t.Errorf("grammarAlert does not match haproxy's alert:\n%s", out)
			}
		})
	}
}

// grammarAlert matches haproxy alerts about the grammar Parse checks, as
// opposed to keyword, address or missing-file errors.
var grammarAlert = regexp.MustCompile(`(?m)parsing \[[^:\]]+:(\d+)\] ?: (unmatched quote|unmatched brace|too many words|unknown keyword '[^']*' out of section|non-terminated '\.if'|lone '\.|'\.(elif|else)' after|Missing LF|truncated or invalid|forbidden first char|unknown directive '\.|Unexpected argument|empty scope|character '.' is not permitted (in a scope|after scope)|'[^']*'\.$)`)

// Each corpus file: haproxy 2.6 rejects several (1.x keywords, the HA
// guide's "<Virtual IP>" placeholder, VTest's fd@ binds, missing
// certificates, invalid names), but none for its grammar; Parse must raise
// an error exactly for grammar alerts, on haproxy's line.
func TestCorpusAgainstHaproxy(t *testing.T) {
	needHaproxy(t)
	for _, f := range corpusFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// Run on a copy: haproxy must not see the other corpus files'
			// directory as its working directory either way.
			tmp := filepath.Join(t.TempDir(), filepath.Base(f))
			if err := os.WriteFile(tmp, src, 0o644); err != nil {
				t.Fatal(err)
			}
			ok, out := haproxyCheck(t, tmp)
			_, perr := Parse(f, src)
			m := grammarAlert.FindStringSubmatch(out)
			switch {
			case m == nil && perr != nil:
				t.Errorf("Parse: %v; haproxy has no grammar alert (accepted=%v):\n%s", perr, ok, out)
			case m != nil && perr == nil:
				t.Errorf("haproxy grammar alert %q, Parse accepted", m[0])
			case m != nil:
				var pe *parsers.Error
				line, _ := strconv.Atoi(m[1])
				if !errors.As(perr, &pe) || (pe.Line != line && !strings.Contains(m[0], "non-terminated")) {
					t.Errorf("Parse: %v; haproxy: %s", perr, m[0])
				}
			}
			if !ok {
				t.Logf("haproxy -c rejects it (not for grammar):\n%s", firstAlerts(out, 3))
			}
		})
	}
}

func firstAlerts(out string, n int) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "ALERT") && len(keep) < n {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestTimeRefusedAsHAProxy: Parse refuses a timeout value exactly when
// the real haproxy -c refuses to start on it, and names the line; what
// haproxy only warns about ("1m30s") parses.
func TestTimeRefusedAsHAProxy(t *testing.T) {
	needHaproxy(t)
	dir := t.TempDir()
	for i, v := range []string{"10q", "1.5s", "-1", "10S", "s", "2147483648", "24856h", "10u",
		"1m30s", "10sec", "10ms5", "10us", "0", "2147483647", "90", "1d"} {
		src := validBase + "    timeout queue " + v + "\n"
		file := filepath.Join(dir, strconv.Itoa(i)+".cfg")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		ok, out := haproxyCheck(t, file)
		_, err := Parse(file, []byte(src))
		if ok != (err == nil) {
			t.Errorf("timeout queue %s: haproxy accepts=%v, Parse: %v\n%s", v, ok, err, out)
		}
		if err != nil && !strings.HasPrefix(err.Error(), file+":8: timeout queue "+v+": ") {
			t.Errorf("timeout queue %s: %v, want the file's line 8", v, err)
		}
	}
	// A variable's value is the host's at start-up, unknown here: left to
	// haproxy -c, not refused.
	if _, err := Parse("v.cfg", []byte(validBase+"    timeout queue \"${T}\"\n    timeout check ${T}\n")); err != nil {
		t.Errorf("a timeout from a variable: %v", err)
	}
}
