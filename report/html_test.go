package report

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oscfg/oscfg/internal/buildinfo"
	"github.com/oscfg/oscfg/model"
)

var screenshotOut = flag.String("screenshot", "", "also save the HTML report's screenshot of the demo fleet here (e.g. ../docs/report.png)")

// TestHTMLContent: every finding is on the page with its location,
// message, evidence lines and related settings; nothing is loaded from
// anywhere (a CSP forbids it and no element names a resource).
func TestHTMLContent(t *testing.T) {
	r, env := fmtScenario(t, "../testdata/scenarios/api-timeouts-keepalive/fleet")
	page := string(renderFormat(t, "html", r, env))
	for _, want := range []string{`http-equiv="Content-Security-Policy" content="default-src 'none';`, "<svg", `id="matrix"`, "Findings by severity", "Findings by rule"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`(?i)<(link|img|iframe|object|embed)\b|\bsrc=|url\(`).FindString(page); m != "" {
		t.Errorf("page references an external resource: %q", m)
	}
	// html/template escapes more than html.EscapeString ('+' too): compare
	// text with the page unescaped.
	text := html.UnescapeString(page)
	for _, f := range r.Findings {
		if !strings.Contains(text, f.Message) {
			t.Errorf("message missing: %s", f.Message)
		}
		for _, rel := range f.Related {
			if !strings.Contains(text, rel.Note) {
				t.Errorf("related note missing: %s", rel.Note)
			}
		}
	}
	if empty := string(renderFormat(t, "html", New(env.Fleet, nil, 0, "medium"), env)); !strings.Contains(empty, "No findings.") || !strings.Contains(empty, "PASSED") {
		t.Error("a run without findings does not say so")
	}
	// Evidence shows the file's own line numbers: the first finding's line
	// is marked, with its text from the file.
	f := r.Findings[0]
	src, _ := os.ReadFile(f.Source)
	line := strings.Split(string(src), "\n")[f.Line-1]
	want := `<span class="l hit"><span class="n">` + strconv.Itoa(f.Line) + `</span>` + line + `</span>`
	if !strings.Contains(text, want) {
		t.Errorf("evidence line missing: %s", want)
	}
}

// TestHTMLEvidenceMasksSecrets: lines read from files for evidence carry
// no secret, whether the scrubber knows it or only its key says so.
func TestHTMLEvidenceMasksSecrets(t *testing.T) {
	r, env := fmtScenario(t, "../testdata/scenarios/db-gone-away/fleet")
	page := html.UnescapeString(string(renderFormat(t, "html", r, env)))
	for _, s := range env.Fleet.Secrets {
		if len(s) >= 4 && strings.Contains(page, s) {
			t.Errorf("secret %q on the page", s)
		}
	}
	if !strings.Contains(page, "connection = mysql+pymysql://nova:****@192.168.1.10/nova_api</span>") {
		t.Error("the connection URL next to a finding was not shown masked")
	}
}

// TestFormatsWithoutFleet: findings alone (no fleet, no rule metadata,
// no root) still render in every format of this package.
func TestFormatsWithoutFleet(t *testing.T) {
	f := model.Finding{Rule: "OSC-X-001", Severity: "high", Title: "t", Host: "h", File: "/etc/x.conf", Line: 2, Message: "m",
		Fix: map[string]any{"op": "set", "section": "s", "key": "k", "value": "v"}, FixClass: "safe"}
	r := &Report{Findings: []model.Finding{f}, Summary: Summary{Findings: 1, FailOn: "medium"}}
	for _, format := range []string{"sarif", "junit", "github", "markdown", "html"} {
		if len(renderFormat(t, format, r, Env{})) == 0 {
			t.Errorf("%s: empty output", format)
		}
	}
	if err := validateSARIF(sarifSchema(t), renderFormat(t, "sarif", r, Env{})); err != nil {
		t.Error(err)
	}
}

// chromium finds Debian's headless Chromium, or skips.
func findChromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed (Debian package: chromium); .ci/run installs it")
	return ""
}

// renderInChromium loads page in headless Chromium, takes a 1280×1800
// screenshot and returns the console messages the page produced (Chromium
// logs each one, including uncaught exceptions and CSP violations, as a
// CONSOLE line on stderr).
func renderInChromium(t *testing.T, bin, page, png string) []string {
	t.Helper()
	console, _ := runChromium(t, bin, page, "--screenshot="+png, "--window-size=1280,1800")
	return console
}

// runChromium loads page in headless Chromium with args and returns the
// console messages and stdout (the DOM with --dump-dom).
func runChromium(t *testing.T, bin, page string, args ...string) ([]string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, append(append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}, args...), "file://"+abs)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s%s", err, out, stderr.String())
	}
	var console []string
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, ":CONSOLE") || strings.Contains(l, "Uncaught") {
			console = append(console, l)
		}
	}
	return console, string(out)
}

// pngSize reads a PNG's width and height from its IHDR chunk.
func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if len(b) < 24 || string(b[1:4]) != "PNG" || string(b[12:16]) != "IHDR" {
		t.Fatalf("%s is not a PNG", path)
	}
	return int(binary.BigEndian.Uint32(b[16:20])), int(binary.BigEndian.Uint32(b[20:24]))
}

// TestHTMLInChromium renders the demo fleet's report in a real browser:
// it must produce a screenshot and no console message at all (no script
// error, no blocked resource).
func TestHTMLInChromium(t *testing.T) {
	bin := findChromium(t)
	shot := *screenshotOut
	if shot != "" {
		shot, _ = filepath.Abs(shot)
	}
	// From the repository root, as the README's command runs.
	t.Chdir("..")
	r, env := fmtScenario(t, "testdata/demo-fleet")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, renderFormat(t, "html", r, env), 0o644); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "report.png")
	if console := renderInChromium(t, bin, page, png); len(console) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(console, "\n"))
	}
	if w, h := pngSize(t, png); w != 1280 || h != 1800 {
		t.Errorf("screenshot is %dx%d", w, h)
	}
	if shot != "" {
		b, _ := os.ReadFile(png)
		if err := os.WriteFile(shot, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestChromiumCheckCatchesErrors: the check above really fails on a page
// with a script error or a blocked resource.
func TestChromiumCheckCatchesErrors(t *testing.T) {
	bin := findChromium(t)
	dir := t.TempDir()
	for name, body := range map[string]string{
		"script-error": `<script>document.body.dataset.x = undefinedFunction();</script>`,
		"blocked-load": `<img alt="" src="http://192.0.2.1/x.png">`,
	} {
		page := filepath.Join(dir, name+".html")
		doc := `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'"><title>t</title></head><body><p>x</p>` + body + `</body></html>`
		if err := os.WriteFile(page, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if console := renderInChromium(t, bin, page, filepath.Join(dir, name+".png")); len(console) == 0 {
			t.Errorf("%s: no console error detected", name)
		}
	}
}

// TestDonutArcsMeet: the ring's arcs start at 12 o'clock, each where the
// one before ends, and the last ends exactly where the first began (the
// dashed circles drawn before left a sliver or a gap there); one severity
// alone is the whole ring.
func TestDonutArcsMeet(t *testing.T) {
	arc := regexp.MustCompile(`^M (\S+ \S+) A 60 60 0 ([01]) 1 (\S+ \S+)$`)
	for _, counts := range [][]int{{15, 14, 0, 5, 10}, {1, 1, 1, 1, 1}, {0, 0, 7, 0, 0}, {1, 0, 0, 0, 999}, {3, 0, 0, 0, 1}, {2, 2, 0, 0, 0}, {13, 7, 3, 1, 23}} {
		var sc []sevCount
		total := 0
		for i, n := range counts {
			sc = append(sc, sevCount{model.Severities[i], n})
			total += n
		}
		segs := donut(sc)
		at := "90.000 30.000"
		for _, s := range segs {
			if s.N == total {
				if !s.Full || len(segs) != 1 {
					t.Errorf("%v: a single severity is not the full ring: %+v", counts, segs)
				}
				continue
			}
			m := arc.FindStringSubmatch(s.Path)
			if m == nil {
				t.Fatalf("%v: path %q", counts, s.Path)
			}
			if m[1] != at {
				t.Errorf("%v: %s starts at %s, previous arc ended at %s", counts, s.Sev, m[1], at)
			}
			if large := m[2] == "1"; large != (2*s.N > total) {
				t.Errorf("%v: %s (%d of %d) large-arc flag %s", counts, s.Sev, s.N, total, m[2])
			}
			at = m[3]
		}
		if at != "90.000 30.000" {
			t.Errorf("%v: the last arc ends at %s, not at 12 o'clock", counts, at)
		}
	}
}

// phoneMeasure is injected into a copy of the report: once laid out, it
// posts the widths the phone test judges to the page framing it.
const phoneMeasure = `<script>
window.addEventListener("load", function () {
  var m = document.querySelector(".matrix");
  var wide = Array.prototype.filter.call(document.querySelectorAll("body *"), function (e) {
    return e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".matrix") && !e.closest("pre");
  }).slice(0, 5).map(function (e) { return e.tagName + " " + e.textContent.slice(0, 40); });
  parent.postMessage(JSON.stringify({page: document.documentElement.scrollWidth, viewport: window.innerWidth,
    matrix: m.scrollWidth, matrixBox: m.clientWidth, overflow: getComputedStyle(m).overflowX, wide: wide}), "*");
});
</script></body>`

// TestHTMLOnPhone lays the demo fleet's report out at a phone's width
// (390 CSS pixels, an iframe that size: headless Chromium's window is
// never narrower than 500): the page itself does not scroll sideways, the
// rule × host matrix, wider than the phone, scrolls inside its own box,
// nothing logs to the console, and a screenshot is taken.
func TestHTMLOnPhone(t *testing.T) {
	bin := findChromium(t)
	r, env := fmtScenario(t, "../testdata/demo-fleet")
	dir := t.TempDir()
	page := strings.Replace(string(renderFormat(t, "html", r, env)), "</body>", phoneMeasure, 1)
	frame := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>phone</title></head><body style="margin:0">` +
		`<iframe src="report.html" style="width:390px;height:844px;border:0;display:block"></iframe>` +
		`<script>window.addEventListener("message", function (e) { document.body.setAttribute("data-measure", e.data); });</script></body></html>`
	for name, body := range map[string]string{"report.html": page, "phone.html": frame} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	console, dom := runChromium(t, bin, filepath.Join(dir, "phone.html"), "--window-size=500,900", "--virtual-time-budget=10000", "--dump-dom")
	if len(console) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(console, "\n"))
	}
	m := regexp.MustCompile(`data-measure="([^"]*)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the page posted no measurements:\n%.2000s", dom)
	}
	var got struct {
		Page, Viewport, Matrix, MatrixBox int
		Overflow                          string
		Wide                              []string
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &got); err != nil {
		t.Fatal(err)
	}
	if got.Viewport != 390 {
		t.Fatalf("viewport %d CSS pixels, want 390", got.Viewport)
	}
	if got.Page > got.Viewport || len(got.Wide) > 0 {
		t.Errorf("the page is %d wide on a %d phone; too wide: %v", got.Page, got.Viewport, got.Wide)
	}
	if got.Matrix <= got.MatrixBox || got.MatrixBox > got.Viewport || got.Overflow != "auto" {
		t.Errorf("matrix %d wide in a %d box (overflow-x %s): it should scroll inside itself", got.Matrix, got.MatrixBox, got.Overflow)
	}
	png := filepath.Join(dir, "phone.png")
	if console, _ := runChromium(t, bin, filepath.Join(dir, "phone.html"), "--window-size=500,900", "--screenshot="+png); len(console) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(console, "\n"))
	}
	if w, h := pngSize(t, png); w != 500 || h != 900 {
		t.Errorf("screenshot is %dx%d", w, h)
	}
}

// TestHTMLVerdictAndGrouping: the header says the verdict and why
// (against which --fail-on), what was scanned, when and by which oscfg;
// the same finding on several hosts is one entry naming its hosts.
func TestHTMLVerdictAndGrouping(t *testing.T) {
	r, env := fmtScenario(t, "../testdata/demo-fleet")
	env.Paths = []string{"testdata/demo-fleet"}
	page := html.UnescapeString(string(renderFormat(t, "html", r, env)))
	at := 0
	for _, f := range r.Findings {
		if model.SeverityRank(f.Severity) >= model.SeverityRank("medium") {
			at++
		}
	}
	for _, want := range []string{
		`<b>FAILED</b><span>` + Plural(at, "finding", "") + ` at or above medium (--fail-on medium): `,
		`Scanned <code class="scanned">testdata/demo-fleet</code>: 4 hosts, 11 files`,
		"by oscfg " + buildinfo.Version(),
		"Generated " + time.Now().UTC().Format("2006-01-02"),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// One entry per distinct finding; the demo fleet has some on two hosts.
	distinct := map[string]bool{}
	for _, f := range r.Findings {
		distinct[f.Rule+"\x00"+sameKey(f)] = true
	}
	if n := strings.Count(page, `<div class="finding `); n != len(distinct) || len(distinct) == len(r.Findings) {
		t.Errorf("%d entries for %d findings, %d distinct", n, len(r.Findings), len(distinct))
	}
	if !regexp.MustCompile(`data-host="ctl1 ctl2"`).MatchString(page) || !strings.Contains(page, `<span class="chip">on 2 hosts</span>`) {
		t.Error("no entry for a finding on ctl1 and ctl2")
	}
	// Below --fail-on: passed, and said so.
	pass := New(env.Fleet, r.Findings, 0, "critical")
	page = html.UnescapeString(string(renderFormat(t, "html", pass, env)))
	if !strings.Contains(page, "<b>PASSED</b><span>no finding at or above critical (--fail-on critical); "+Plural(len(r.Findings), "finding", "")+" below it") {
		t.Error("a passing run does not say why")
	}
	env.Merged = true
	if !strings.Contains(string(renderFormat(t, "html", pass, env)), "Merged from") {
		t.Error("a merged report does not say what it merged")
	}
}
