package fixers

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrChanged means a file on disk no longer holds the bytes a fix was
// computed from: someone else wrote it in between.
var ErrChanged = errors.New("file changed since it was read; not written")

// WriteAtomic replaces path's content with data, all or nothing: data goes
// to a temporary file in the same directory, is fsynced, given the
// original's mode and owner, and renamed over the original; the directory
// is fsynced so the rename survives a crash. A symlink is followed and its
// target replaced (the link stays a link). If the file's bytes are no
// longer old, nothing is written and ErrChanged is returned. With a backup
// suffix the original bytes are first saved, also atomically, as
// path+suffix.
func WriteAtomic(path string, old, data []byte, backupSuffix string) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Equal(cur, old) {
		return fmt.Errorf("%s: %w", path, ErrChanged)
	}
	if backupSuffix != "" {
		if err := replace(target+backupSuffix, old, st); err != nil {
			return fmt.Errorf("%s: backup: %w", path, err)
		}
	}
	// Check once more right before the rename: the window in which a
	// concurrent writer's change could be lost is now a few syscalls.
	if err := replaceIf(target, data, st, old); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// hook lets tests inject a failure at a named step of a write.
var hook = func(step string) error { return nil }

func replace(target string, data []byte, st os.FileInfo) error {
	return replaceIf(target, data, st, nil)
}

func replaceIf(target string, data []byte, st os.FileInfo, expect []byte) error {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".oscfg-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := hook("write"); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return err
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		// Keep the owner (root writing a file owned by nova:nova must not
		// make it root's). Only root may chown; as anyone else the temp
		// file already has the caller's owner, which is the file's.
		if err := tmp.Chown(int(sys.Uid), int(sys.Gid)); err != nil && os.Geteuid() == 0 {
			return err
		}
	}
	if err := hook("sync"); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if expect != nil {
		cur, err := os.ReadFile(target)
		if err != nil {
			return err
		}
		if !bytes.Equal(cur, expect) {
			return ErrChanged
		}
	}
	if err := hook("rename"); err != nil {
		return err
	}
	if err := os.Rename(name, target); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
