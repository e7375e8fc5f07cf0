package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"jikji/internal/sqlite"
)

func TestBackupUnderWriteLoadRestores(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	readers := loadReaders(t, s, 16)
	articles := articleIDs(t, readers[0].c, 5)
	load := startWriteLoad(s, readers, articles)
	within(t, 30*time.Second, func() error {
		if load.count() < 100 {
			return os.ErrNotExist
		}
		return nil
	})
	out := filepath.Join(t.TempDir(), "site.tar.gz")
	started := time.Now()
	msg := mustJikji(t, "backup", "--data", s.Config.Data, "--out", out)
	time.Sleep(100 * time.Millisecond) // writes go on after the backup
	acked := load.halt()
	t.Logf("%s; %d writes acknowledged in all", strings.TrimSpace(msg), len(acked))

	// Restoring refuses a folder that holds a site, and a damaged file.
	if _, err := jikji(t, "restore", "--data", s.Config.Data, out); err == nil {
		t.Error("restore into a running site's folder succeeded")
	}
	data, _ := os.ReadFile(out)
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	os.WriteFile(bad, data[:len(data)/2], 0o600)
	if _, err := jikji(t, "restore", "--data", t.TempDir(), bad); err == nil {
		t.Error("a cut-short backup restored")
	}

	dir := filepath.Join(t.TempDir(), "restored")
	mustJikji(t, "restore", out, "--data", dir)
	integrity, _, err := sqlite.Check(context.Background(), filepath.Join(dir, "jikji.db"))
	if err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "jikji.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Every write acknowledged before the backup started is in it, and its
	// counts equal its rows.
	checkDurable(t, db, acked, started)
	var photos int
	if err := db.QueryRow(`SELECT count(*) FROM photo_variants`).Scan(&photos); err != nil || photos == 0 {
		t.Errorf("photos in the backup: %d %v", photos, err)
	}

	// The restored folder serves the site.
	r := MustRunMain(t, func(c *Config) { c.Data = dir; c.Demo = false })
	if st, body := r.get(t, articlePathFor(articles[0])); st != 200 || !strings.Contains(body, "댓글") {
		t.Errorf("restored site: %d", st)
	}
}

// A backup damaged after its database (gzip's checksum, its length, the
// end of the tar) is refused, and the data folder is left as it was.
func TestRestoreReadsTheWholeBackup(t *testing.T) {
	s := MustRunMain(t)
	out := filepath.Join(t.TempDir(), "site.tar.gz")
	mustJikji(t, "backup", "--data", s.Config.Data, "--out", out)
	good, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	damaged := map[string][]byte{
		// gzip ends with CRC-32 and length, four bytes each.
		"flipped CRC byte":    flipByte(good, len(good)-8),
		"flipped length byte": flipByte(good, len(good)-2),
		"cut trailer":         good[:len(good)-8],
		"cut last byte":       good[:len(good)-1],
		"trailing garbage":    append(slices.Clone(good), "not a backup"...),
	}
	for name, data := range damaged {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "bad.tar.gz")
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "site")
			msg, err := jikji(t, "restore", "--data", dir, file)
			if err == nil {
				t.Fatalf("restored a damaged backup: %s", msg)
			}
			if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
				entries, _ := os.ReadDir(dir)
				t.Errorf("data folder left behind with %d entries after: %v", len(entries), err)
			}
			// A folder that was there already stays as it was: empty.
			existing := t.TempDir()
			if _, err := jikji(t, "restore", "--data", existing, file); err == nil {
				t.Fatal("restored a damaged backup into an existing folder")
			}
			if entries, _ := os.ReadDir(existing); len(entries) != 0 {
				t.Errorf("existing data folder now holds %v", entries)
			}
		})
	}
	// The same file undamaged restores.
	mustJikji(t, "restore", "--data", filepath.Join(t.TempDir(), "site"), out)
}

func flipByte(b []byte, i int) []byte {
	c := slices.Clone(b)
	c[i] ^= 0xff
	return c
}
