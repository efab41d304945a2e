package mycnf

import (
	"errors"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/oscfg/oscfg/hostfs"
	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

// maxInclude is my_default.c's max_recursion_level: MariaDB skips, with a
// warning, the include directives of a file read at this depth (the entry
// file is depth 0). oscfg refuses such a file instead: a graph that deep is
// never what an operator meant, and the skip would hide what it includes.
const maxInclude = 10

// MaxFiles bounds the option files one host's include graph may read
// (every read counts, so a fan-out that reaches one file many times counts
// each time). Real hosts read a handful; 4 !includedir of 4 files nested
// 10 deep would be a million reads.
const MaxFiles = 500

// FS is how the loader sees a host: host paths, resolved inside the host
// root with chroot semantics (hostfs.Root does this).
type FS interface {
	// Resolve returns the symlink-free host path; a missing path gives an
	// error matching a hostfs Missing error.
	Resolve(hostPath string) (string, error)
	Stat(hostPath string) (fs.FileInfo, error)
	ReadDir(hostPath string) ([]fs.DirEntry, error)
	// Read reads a resolved host path and names it on disk.
	Read(resolved string) (data []byte, disk string, err error)
}

// Load reads the option file at root+hostPath and every file it includes,
// the way MariaDB would on the host whose filesystem is copied under root.
// Docs come in read order: a file, then (at the point of each directive)
// what it includes; Merge applies them in that interleaved order.
//
// What happens on the way, and why:
//   - An include path is a host path, resolved inside root as in a chroot:
//     absolute paths and absolute symlink targets are the host's own
//     (Debian's /etc/mysql/my.cnf -> /etc/alternatives/my.cnf ->
//     /etc/mysql/mariadb.cnf), and ".." stops at root. A relative path is
//     relative to mariadbd's working directory, "/" under systemd. A
//     symlink whose target is missing inside root, or a symlink loop, is
//     an error; so is a file that includes itself (MariaDB would re-read
//     it until the depth cap).
//   - A missing !include file is skipped silently: search_default_file
//     returns "not found" and the includer goes on.
//   - A missing or unreadable !includedir directory is an error: my_dir()
//     fails with MY_WME and mysqld aborts with "Fatal error in defaults
//     handling" (checked with my_print_defaults 10.11).
//   - !includedir reads only *.cnf (extension after the last dot,
//     case-sensitive), in byte order of the names, skipping directories.
//   - A parse error in an included file is an error here; MariaDB prints
//     it, keeps what it read before the bad line and continues, which is
//     never what the operator meant.
//   - Include directives in a file at depth maxInclude, and more than
//     MaxFiles reads in all, are errors (see maxInclude).
//   - MariaDB ignores world-writable files; a copied fleet does not keep
//     the host's modes faithfully, so that check is not made.
func Load(root, hostPath string) ([]*Doc, error) {
	r, err := hostfs.Open(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return NewLoader(rootFS{r}).Load(hostPath)
}

// rootFS reads a hostfs.Root from disk.
type rootFS struct{ *hostfs.Root }

func (r rootFS) Read(resolved string) ([]byte, string, error) {
	data, real, err := r.ReadFile(resolved, parsers.MaxFileSize)
	if err != nil {
		return nil, "", err
	}
	disk := r.Disk(real)
	if err := parsers.CheckText(disk, data); err != nil {
		return nil, "", err
	}
	return data, disk, nil
}

// Loader loads the entry files of one host; MaxFiles counts across them.
type Loader struct {
	fs    FS
	files int
	out   []*Doc
}

// NewLoader reads through fsys.
func NewLoader(fsys FS) *Loader { return &Loader{fs: fsys} }

// Load reads one entry file and its includes.
func (l *Loader) Load(hostPath string) ([]*Doc, error) {
	l.out = nil
	if _, err := l.file(hostPath, 0, nil, at{}); err != nil {
		return nil, err
	}
	return l.out, nil
}

// at is the directive that names a file (line 0: the entry file itself).
type at struct {
	file string
	line int
}

// file reads one option file and, recursively, its includes. stack holds
// the resolved host paths of the files being read (cycle detection).
func (l *Loader) file(hostPath string, depth int, stack []string, from at) (*Doc, error) {
	entry := from.line == 0
	real, err := l.fs.Resolve(hostPath)
	if err != nil {
		var he *hostfs.Error
		if !entry && errors.As(err, &he) && he.Kind == hostfs.Missing {
			return nil, nil
		}
		if entry {
			return nil, err
		}
		if he != nil {
			// The message already names the path and the link.
			return nil, parsers.Errorf(from.file, from.line, "%s", he.Msg)
		}
		return nil, parsers.Errorf(from.file, from.line, "%s: %v", hostPath, err)
	}
	if slices.Contains(stack, real) {
		return nil, parsers.Errorf(from.file, from.line, "include cycle: %s", strings.Join(append(stack, real), " -> "))
	}
	if st, err := l.fs.Stat(real); err == nil && st.IsDir() && !entry {
		return nil, nil // fopen+fgets on a directory reads nothing
	}
	if l.files++; l.files > MaxFiles {
		return nil, parsers.Errorf(from.file, from.line, "include graph reads more than %d option files (at %s); oscfg stops there (a runaway !includedir fan-out?)", MaxFiles, hostPath)
	}
	src, disk, err := l.fs.Read(real)
	if err != nil {
		return nil, err
	}
	d, err := Parse(disk, src)
	if err != nil {
		return nil, err
	}
	d.Path, d.Source = path.Clean("/"+hostPath), disk
	l.out = append(l.out, d)
	if depth >= maxInclude && len(d.Includes) > 0 {
		return nil, parsers.Errorf(disk, d.Includes[0].Line, "%s is included %d levels deep, MariaDB's limit: it would skip this directive with a warning (\"maximum include recursion level\"); flatten the includes", d.Path, depth)
	}
	stack = append(stack, real)
	for _, in := range d.Includes {
		// A relative path is relative to "/", mariadbd's working directory.
		target := in.Path
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		if in.Directive == "!include" {
			c, err := l.file(target, depth+1, stack, at{disk, in.Line})
			if err != nil {
				return nil, err
			}
			if c != nil {
				in.docs = append(in.docs, c)
			}
			continue
		}
		names, err := l.cnfFiles(target)
		if err != nil {
			return nil, parsers.Errorf(disk, in.Line, "!includedir %s: %v (mysqld aborts: \"Fatal error in defaults handling\")", in.Path, err)
		}
		for _, n := range names {
			c, err := l.file(target+"/"+n, depth+1, stack, at{disk, in.Line})
			if err != nil {
				return nil, err
			}
			if c != nil {
				in.docs = append(in.docs, c)
			}
		}
	}
	return d, nil
}

// cnfFiles lists the *.cnf names of a host directory in byte order.
func (l *Loader) cnfFiles(dir string) ([]string, error) {
	ents, err := l.fs.ReadDir(dir) // sorted by name
	if err != nil {
		var he *hostfs.Error
		if errors.As(err, &he) {
			return nil, errors.New(he.Msg)
		}
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if path.Ext(e.Name()) == ".cnf" {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

var versioned = regexp.MustCompile(`^(mysqld|mariadb|mariadbd)-[0-9]+(\.[0-9]+)*$`)

// IsServerGroup reports whether mariadbd reads the group: mysqld, server,
// mariadb, mariadbd, client-server, galera, and the version-suffixed
// mysqld-X.Y, mariadb-X.Y, mariadbd-X.Y (load_default_groups in mysqld.cc;
// checked with my_print_defaults --mysqld). Only the server's own version
// is read; not knowing it, any version counts. Groups match
// case-insensitively (find_type).
func IsServerGroup(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "mysqld", "server", "mariadb", "mariadbd", "client-server", "galera":
		return true
	}
	return versioned.MatchString(n)
}

// Merge is the host-level "mysql" view of docs/model.md: the server groups
// of docs applied in MariaDB read order, last occurrence winning. Docs from
// Load are linked to their includes, so an included file's options land at
// the point of its directive; docs that no other doc includes are taken in
// the order given.
func Merge(docs []*Doc) map[string]any {
	included := map[*Doc]bool{}
	for _, d := range docs {
		for _, in := range d.Includes {
			for _, c := range in.docs {
				included[c] = true
			}
		}
	}
	files := []any{}
	seen := map[string]bool{}
	server := map[string]any{}
	var wpo *Option
	var wpoFile string
	var visit func(d *Doc)
	visit = func(d *Doc) {
		if !seen[d.Path] {
			seen[d.Path] = true
			files = append(files, d.Path)
		}
		ii := 0
		includesBefore := func(line int) {
			for ; ii < len(d.Includes) && d.Includes[ii].Line < line; ii++ {
				for _, c := range d.Includes[ii].docs {
					visit(c)
				}
			}
		}
		for _, o := range d.Options {
			includesBefore(o.Line)
			if !IsServerGroup(o.Group) {
				continue
			}
			v, _ := maskValue(o.Name, o.Value)
			entry := map[string]any{"value": v, "has_value": o.HasValue, "file": d.Path, "line": o.Line, "group": o.Group}
			if prev, ok := server[o.Name].(map[string]any); ok {
				// The occurrences this one replaces, first to last: a
				// later wsrep_provider_options drops every parameter of
				// an earlier one, which rules name.
				earlier, _ := prev["earlier"].([]any)
				delete(prev, "earlier")
				entry["earlier"] = append(earlier, map[string]any{"value": prev["value"], "file": prev["file"], "line": prev["line"], "group": prev["group"]})
			}
			server[o.Name] = entry
			if o.Name == "wsrep_provider_options" {
				wpo, wpoFile = o, d.Path
			}
		}
		includesBefore(math.MaxInt) // includes after the last option
	}
	for _, d := range docs {
		if !included[d] {
			visit(d)
		}
	}
	provider := map[string]any{}
	if wpo != nil {
		for _, kv := range ProviderOptions(wpo.Value) {
			v, _ := redact.Value(kv.Key, kv.Value)
			m := map[string]any{"value": v, "file": wpoFile, "line": wpo.Line}
			if !kv.HasValue {
				m["invalid"] = true // Galera refuses "Key without value"
			}
			provider[kv.Key] = m
		}
	}
	return map[string]any{"files": files, "server": server, "wsrep_provider_options": provider}
}

// KV is one wsrep_provider_options parameter.
type KV struct {
	Key, Value string
	HasValue   bool
}

// ProviderOptions splits a wsrep_provider_options value the way Galera's
// gu::Config::parse does: ';'-separated "key = value" pairs, blanks
// trimmed, empty items skipped, '\' escaping a ';', '=' or '\'.
func ProviderOptions(s string) []KV {
	var out []KV
	for _, item := range splitEscaped(s, ';', -1) {
		kv := splitEscaped(item, '=', 2)
		k := strings.TrimSpace(unescape(kv[0]))
		if k == "" {
			continue
		}
		p := KV{Key: k}
		if len(kv) == 2 {
			p.Value, p.HasValue = strings.TrimSpace(unescape(kv[1])), true
		}
		out = append(out, p)
	}
	return out
}

// splitEscaped splits s on sep not preceded by a backslash, into at most
// n parts (n < 0: all). Escapes stay in the parts.
func splitEscaped(s string, sep byte, n int) []string {
	var out []string
	start := 0
	for i := 0; i < len(s) && n != 1; i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
			if n > 0 && len(out) == n-1 {
				break
			}
		}
	}
	return append(out, s[start:])
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`;=\`, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// maskValue masks an option value; for wsrep_provider_options it masks
// secret parameters inside the list (socket.ssl_password_file is a path,
// but a *_password parameter would be a secret).
func maskValue(name, v string) (string, []string) {
	if name != "wsrep_provider_options" {
		return redact.Value(name, v)
	}
	var secrets []string
	for _, kv := range ProviderOptions(v) {
		if _, sec := redact.Value(kv.Key, kv.Value); sec != nil {
			secrets = append(secrets, sec...)
		}
	}
	for _, s := range secrets {
		v = strings.ReplaceAll(v, s, redact.Mask)
	}
	return v, secrets
}
