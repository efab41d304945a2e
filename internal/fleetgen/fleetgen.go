// Package fleetgen writes synthetic fleets for benchmarks and scale tests:
// copies of the demo fleet's controllers, computes and DB nodes under new
// host names, so size can grow without new fixtures.
package fleetgen

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Write creates n hosts under dir the way real clouds grow: every host of
// the template fleet (e.g. testdata/demo-fleet: controllers, a DB node) once,
// then copies of its compute hosts (names starting with "compute") up to n.
// It copies the template's oscfg.ini and returns the number of files written.
func Write(template, dir string, n int) (int, error) {
	ents, err := os.ReadDir(template)
	if err != nil {
		return 0, err
	}
	var roots, computes []string
	for _, e := range ents {
		if e.IsDir() {
			roots = append(roots, filepath.Join(template, e.Name()))
			if strings.HasPrefix(e.Name(), "compute") {
				computes = append(computes, filepath.Join(template, e.Name()))
			}
		}
	}
	if len(computes) == 0 {
		return 0, fmt.Errorf("%s holds no compute host to replicate", template)
	}
	if ini, err := os.ReadFile(filepath.Join(template, "oscfg.ini")); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "oscfg.ini"), ini, 0o644); err != nil {
			return 0, err
		}
	}
	files := 0
	for i := 0; i < n; i++ {
		src := computes[i%len(computes)]
		name := fmt.Sprintf("%s-%05d", filepath.Base(src), i)
		if i < len(roots) {
			src, name = roots[i], filepath.Base(roots[i])
		}
		dst := filepath.Join(dir, name)
		// Distinct addresses per host keep cross-host rules honest.
		addr := fmt.Sprintf("10.%d.%d.", i/250%250, i%250)
		k, err := CopyTree(src, dst, func(b []byte) []byte {
			return []byte(strings.ReplaceAll(string(b), "192.168.202.", addr))
		})
		files += k
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

// CopyTree copies the directory src to dst, passing each file's bytes
// through edit (nil: unchanged). It returns the number of files copied.
func CopyTree(src, dst string, edit func([]byte) []byte) (int, error) {
	files := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			b = edit(b)
		}
		files++
		return os.WriteFile(out, b, 0o644)
	})
	return files, err
}
