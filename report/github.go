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

// GitHub writes one GitHub Actions workflow command per finding
// (::error file=F,line=N,title=T::message), which the runner turns into
// annotations on the file, then the summary line.
func GitHub(w io.Writer, r *Report, env Env) error {
	for _, f := range r.Findings {
		var props []string
		if p := WorkspacePath(f.Source); p != "" {
			props = append(props, "file="+ghProperty(p))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
			}
		}
		props = append(props, "title="+ghProperty(fmt.Sprintf("%s (%s) %s", f.Rule, f.Severity, f.Title)))
		msg := fmt.Sprintf("%s:%s:%d: %s", f.Host, f.File, f.Line, f.Message)
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
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", githubLevel(f.Severity), strings.Join(props, ","), ghData(msg)); err != nil {
			return err
		}
	}
	for _, u := range r.Summary.Unread {
		if _, err := fmt.Fprintf(w, "::warning title=oscfg: not read::%s\n", ghData(u)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, SummaryLine(r.Summary))
	return err
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
