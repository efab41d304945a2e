package mycnf

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/oscfg/oscfg/parsers"
	"github.com/oscfg/oscfg/redact"
)

// maxInclude is my_default.c's max_recursion_level: in a file read at this
// depth (the entry file is depth 0) directives are skipped with a warning.
const maxInclude = 10

// maxSymlinks bounds symlink hops while resolving one path (Linux uses 40).
const maxSymlinks = 40

// Load reads the option file at root+hostPath and every file it includes,
// the way MariaDB would on the host whose filesystem is copied under root.
// Docs come in read order: a file, then (at the point of each directive)
// what it includes; Merge applies them in that interleaved order.
//
// What happens on the way, and why:
//   - An include path is a host path: absolute paths are read under root,
//     and so are absolute symlink targets (Debian's /etc/mysql/my.cnf ->
//     /etc/alternatives/my.cnf -> /etc/mysql/mariadb.cnf). A relative path
//     is relative to mariadbd's working directory, "/" under systemd.
//     Climbing above root with ".." (in a path or a symlink) is an error,
//     as is a symlink loop or a file that includes itself (MariaDB would
//     re-read it until the depth cap).
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
//   - MariaDB ignores world-writable files; a copied fleet does not keep
//     the host's modes faithfully, so that check is not made.
func Load(root, hostPath string) ([]*Doc, error) {
	return LoadWith(root, hostPath, parsers.ReadFile)
}

// LoadWith is Load reading file contents through read (which gets disk
// paths), so a caller can evaluate edited bytes before writing them.
func LoadWith(root, hostPath string, read func(string) ([]byte, error)) ([]*Doc, error) {
	l := &loader{root: root, read: read}
	if _, err := l.file(hostPath, 0, nil, at{file: l.disk(path.Clean("/" + hostPath))}); err != nil {
		return nil, err
	}
	return l.out, nil
}

type loader struct {
	read func(string) ([]byte, error)
	root string
	out  []*Doc
}

// at is the directive that names a file (line 0: the entry file itself).
type at struct {
	file string
	line int
}

// file reads one option file and, recursively, its includes. stack holds
// the resolved host paths of the files being read (cycle detection).
func (l *loader) file(hostPath string, depth int, stack []string, from at) (*Doc, error) {
	entry := from.line == 0
	real, err := resolve(l.root, hostPath)
	if err != nil {
		if !entry && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if entry {
			return nil, &parsers.Error{File: from.file, Msg: err.Error()}
		}
		return nil, parsers.Errorf(from.file, from.line, "%s: %v", hostPath, err)
	}
	if slices.Contains(stack, real) {
		return nil, parsers.Errorf(from.file, from.line, "include cycle: %s", strings.Join(append(stack, real), " -> "))
	}
	disk := l.disk(real)
	if st, err := os.Stat(disk); err == nil && st.IsDir() && !entry {
		return nil, nil // fopen+fgets on a directory reads nothing
	}
	src, err := l.read(disk)
	if err != nil {
		return nil, err
	}
	d, err := Parse(disk, src)
	if err != nil {
		return nil, err
	}
	d.Path, d.Source = path.Clean("/"+hostPath), disk
	l.out = append(l.out, d)
	if depth >= maxInclude {
		return d, nil // MariaDB: "skipping ... maximum include recursion level was reached"
	}
	stack = append(stack, real)
	for _, in := range d.Includes {
		// Not cleaned: resolve must see a ".." that climbs out. A relative
		// path is relative to "/", mariadbd's working directory.
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

func (l *loader) disk(hostPath string) string {
	return filepath.Join(l.root, filepath.FromSlash(hostPath))
}

// cnfFiles lists the *.cnf names of a host directory in byte order.
func (l *loader) cnfFiles(dir string) ([]string, error) {
	real, err := resolve(l.root, dir)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(l.disk(real)) // sorted by name
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
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

// resolve follows p component by component inside root, as the host would,
// and returns the symlink-free host path. A missing component gives an
// error matching fs.ErrNotExist.
func resolve(root, p string) (string, error) {
	todo := strings.Split(p, "/")
	cur, hops := "/", 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if cur == "/" {
				return "", errors.New("climbs out of the host root with '..'")
			}
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, c)
		st, err := os.Lstat(filepath.Join(root, filepath.FromSlash(next)))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				return "", notExist(next)
			}
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > maxSymlinks {
			return "", errors.New("too many levels of symbolic links (a symlink loop?)")
		}
		target, err := os.Readlink(filepath.Join(root, filepath.FromSlash(next)))
		if err != nil {
			return "", err
		}
		target = filepath.ToSlash(target)
		if strings.HasPrefix(target, "/") {
			cur = "/" // absolute target: the host's "/", which is root
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return cur, nil
}

// notExist is a missing path component; it matches fs.ErrNotExist.
type notExist string

func (e notExist) Error() string        { return "no such file or directory: " + string(e) }
func (e notExist) Is(target error) bool { return target == fs.ErrNotExist }

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
			server[o.Name] = map[string]any{"value": v, "has_value": o.HasValue, "file": d.Path, "line": o.Line, "group": o.Group}
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
