// Command biggen writes the large generated host roots of docs/hardening.md
// ("Large inputs"): one host per kind, each file as big as fits under the
// read cap (or -lines N lines), under DIR/<kind>/host/.
//
//	go run ./tools/biggen -o /tmp/big           # 16 MB files
//	go run ./tools/biggen -o /tmp/big -lines 100000
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/oscfg/oscfg/internal/biggen"
	"github.com/oscfg/oscfg/parsers"
)

func main() {
	out := flag.String("o", "", "output directory")
	lines := flag.Int("lines", 0, "generated lines per file (default: fill the read cap)")
	size := flag.Int("bytes", parsers.MaxFileSize, "maximum file size when -lines is 0")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: biggen -o DIR [-lines N | -bytes N]")
		os.Exit(2)
	}
	for _, name := range biggen.Names() {
		k := biggen.Kinds[name]
		var src []byte
		if *lines > 0 {
			src = k.Lines(*lines)
		} else {
			src = k.Bytes(*size)
		}
		root, err := k.WriteHost(filepath.Join(*out, name), "host", src)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%s\t%d bytes\t%s\n", name, len(src), filepath.Join(root, filepath.FromSlash(k.Path)))
	}
}
