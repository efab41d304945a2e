package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run([]string{"completion", shell}, &out, &errb); code != 0 {
		t.Fatalf("completion %s: exit %d: %s", shell, code, errb.String())
	}
	return out.String()
}

// TestCompletionHelpParse: the flags completion offers are the ones each
// command's --help lists (a flag renamed in code shows up here at once).
func TestCompletionHelpParse(t *testing.T) {
	cmds := cliCommands()
	byName := map[string]cliCommand{}
	for _, c := range cmds {
		byName[c.name] = c
	}
	for _, want := range []string{"lint", "report", "fix", "rules", "explain", "model", "test", "version", "completion", "man"} {
		if _, ok := byName[want]; !ok {
			t.Errorf("command %s missing from the command table", want)
		}
	}
	has := func(cmd, long string, value bool) {
		for _, f := range byName[cmd].flags {
			if f.long == long {
				if f.value != value {
					t.Errorf("%s --%s: takes a value = %v, want %v", cmd, long, f.value, value)
				}
				return
			}
		}
		t.Errorf("%s --%s not found in its help", cmd, long)
	}
	has("lint", "format", true)
	has("lint", "quiet", false)
	has("fix", "write", false)
	has("report", "output", true)
	has("rules", "format", true)
}

// TestCompletionBash loads the script in a real bash and completes.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not on PATH: the completion script cannot be loaded")
	}
	script := filepath.Join(t.TempDir(), "oscfg.bash")
	if err := os.WriteFile(script, []byte(completionScript(t, "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) []string {
		t.Helper()
		var arr []string
		for _, w := range words {
			arr = append(arr, "'"+w+"'")
		}
		prog := "source " + script + "\nCOMP_WORDS=(" + strings.Join(arr, " ") + ")\nCOMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "\n_oscfg\nprintf '%s\\n' \"${COMPREPLY[@]}\"\ncomplete -p oscfg >/dev/null || echo NOT-REGISTERED\n"
		out, err := exec.Command(bash, "--norc", "--noprofile", "-c", prog).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	for _, c := range []struct {
		words []string
		want  string
	}{
		{[]string{"oscfg", "li"}, "lint"},
		{[]string{"oscfg", "lint", "--fo"}, "--format"},
		{[]string{"oscfg", "lint", "--format", "sa"}, "sarif"},
		{[]string{"oscfg", "fix", "--wr"}, "--write"},
		{[]string{"oscfg", "lint", "--kind", "hap"}, "haproxy"},
		{[]string{"oscfg", "explain", "OSC-DB-00"}, "OSC-DB-001"},
		{[]string{"oscfg", "completion", "z"}, "zsh"},
	} {
		got := complete(c.words...)
		if !slices.Contains(got, c.want) || slices.Contains(got, "NOT-REGISTERED") {
			t.Errorf("complete %q = %q, want %q among them", c.words, got, c.want)
		}
	}
}

// TestCompletionZshFish: the other shells parse their scripts (syntax only)
// when they are installed.
func TestCompletionZshFish(t *testing.T) {
	for _, sh := range []string{"zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			script := completionScript(t, sh)
			if !strings.Contains(script, "OSC-HAP-001") || !strings.Contains(script, "write") {
				t.Fatalf("%s script lacks rule ids or flags", sh)
			}
			bin, err := exec.LookPath(sh)
			if err != nil {
				t.Skipf("%s not on PATH (.ci/run installs it): script generated, not loaded", sh)
			}
			f := filepath.Join(t.TempDir(), "oscfg."+sh)
			if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(bin, "-n", f).CombinedOutput(); err != nil {
				t.Fatalf("%s -n: %v\n%s", sh, err, out)
			}
		})
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"completion", "tcsh"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "bash, zsh or fish") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// TestManPage: the page renders without groff warnings and documents every
// command and a flag of each.
func TestManPage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"man"}, &out, &errb); code != 0 {
		t.Fatalf("man: exit %d: %s", code, errb.String())
	}
	page := out.String()
	for _, want := range []string{".TH OSCFG 1", ".SS lint", ".SS fix", `\-\-unsafe\-fixes`, ".SH EXIT STATUS"} {
		if !strings.Contains(page, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff not on PATH (.ci/run installs groff-base): page generated, not rendered")
	}
	cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
	cmd.Stdin = strings.NewReader(page)
	if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
		t.Fatalf("groff: %v\n%s", err, msg)
	}
}
