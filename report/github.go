package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/oscfg/oscfg/model"
)

func init() { Register("github", GitHub) }

// AnnotationsPerLevel is how many annotations of one kind (error,
// warning, notice) GitHub shows per step; it drops the rest silently.
const AnnotationsPerLevel = 10

// GitHub writes GitHub Actions workflow commands
// (::error file=F,line=N,title=T::message), which the runner turns into
// annotations on the files, worst findings first, then the summary line.
// GitHub shows AnnotationsPerLevel of each kind per step: past that, a
// kind gets one fewer finding annotated and a closing annotation that
// says how many more there are and where to read them, and those findings
// are printed as plain log lines.
func GitHub(w io.Writer, r *Report, env Env) error {
	fs := worstFirst(r.Findings)
	total := map[string]int{"warning": len(r.Summary.Unread) + len(r.Summary.Warnings)}
	for _, f := range fs {
		total[githubLevel(f.Severity)]++
	}
	budget := map[string]int{}
	for lvl, n := range total {
		budget[lvl] = n
		if n > AnnotationsPerLevel {
			budget[lvl] = AnnotationsPerLevel - 1
		}
	}
	// Files not read and files not checked come first: the findings do
	// not cover them.
	for _, gap := range []struct {
		what  string
		items []string
	}{{"not read", r.Summary.Unread}, {"not checked", r.Summary.Warnings}} {
		for _, u := range gap.items {
			if budget["warning"] > 0 {
				budget["warning"]--
				if _, err := fmt.Fprintf(w, "::warning title=oscfg: %s::%s\n", gap.what, ghData(u)); err != nil {
					return err
				}
			} else if _, err := fmt.Fprintf(w, "oscfg: warning: %s: %s\n", gap.what, u); err != nil {
				return err
			}
		}
	}
	for _, f := range fs {
		lvl := githubLevel(f.Severity)
		msg := fmt.Sprintf("%s:%s:%d: %s", f.Host, f.File, f.Line, f.Message)
		if budget[lvl] == 0 {
			// Past GitHub's limit: in the log, where the closing
			// annotation points.
			if _, err := fmt.Fprintf(w, "oscfg: %s:%s:%d: %s %s %s\n", f.Host, f.File, f.Line, f.Severity, f.Rule, f.Message); err != nil {
				return err
			}
			continue
		}
		budget[lvl]--
		var props []string
		if p := WorkspacePath(f.Source); p != "" {
			props = append(props, "file="+ghProperty(p))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
			}
		}
		props = append(props, "title="+ghProperty(fmt.Sprintf("%s (%s) %s", f.Rule, f.Severity, f.Title)))
		shown, more := ShownRelated(f.Related)
		for _, rel := range shown {
			msg += fmt.Sprintf("\n%s:%s:%d: %s", rel.Host, rel.File, rel.Line, rel.Note)
		}
		if more > 0 {
			msg += "\n" + MoreRelated(more)
		}
		if f.Fix != nil {
			msg += fmt.Sprintf("\nfix (%s): %s", f.FixClass, DescribeFix(f.Fix))
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", lvl, strings.Join(props, ","), ghData(msg)); err != nil {
			return err
		}
	}
	for _, lvl := range []string{"error", "warning", "notice"} {
		if n := total[lvl]; n > AnnotationsPerLevel {
			left := n - (AnnotationsPerLevel - 1)
			title := fmt.Sprintf("oscfg: %d more %s not annotated", left, map[string]string{"error": "errors", "warning": "warnings", "notice": "notices"}[lvl])
			msg := fmt.Sprintf("GitHub shows %d annotations of each kind per step; %d of this kind are printed in this step's log instead (lines starting oscfg:). "+
				"The full report: the job summary (--format markdown), code scanning (--format sarif) or oscfg report (HTML).", AnnotationsPerLevel, left)
			if u := runURL(); u != "" {
				msg += " This run: " + u
			}
			if _, err := fmt.Fprintf(w, "::%s title=%s::%s\n", lvl, ghProperty(title), ghData(msg)); err != nil {
				return err
			}
		}
	}
	_, err := fmt.Fprintln(w, SummaryLine(r.Summary))
	return err
}

// runURL is the page of the workflow run (its log and job summary), from
// the variables GitHub Actions sets, or "".
func runURL() string {
	server, repo, id := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || id == "" {
		return ""
	}
	return server + "/" + repo + "/actions/runs/" + id
}

// githubLevel: the three annotation kinds, in oscfg's tiers.
func githubLevel(sev string) string {
	switch model.SeverityRank(sev) {
	case 4, 3:
		return "error"
	case 2:
		return "warning"
	}
	return "notice"
}

// WorkspacePath is a file on disk as GitHub resolves annotation paths and
// as every format that names disk paths shows them (JSON source, SARIF
// locations, text --show-source): relative to the workspace, which is the
// working directory of the step that runs oscfg. Disk paths given on the
// command line already are; absolute ones are made relative when they lie
// below it.
func WorkspacePath(source string) string {
	if source == "" || !filepath.IsAbs(source) {
		return filepath.ToSlash(source)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, source); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(source)
}

// ghData escapes a command's message as @actions/core does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value: also ':' and ',', which delimit
// properties.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
