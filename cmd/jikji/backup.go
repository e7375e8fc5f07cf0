package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"jikji/internal/archive"
	"jikji/internal/sqlite"
)

// A backup is a gzip'd tar of manifest.json and jikji.db: the SQLite
// database (photos included) as one consistent snapshot.

const backupFormat = "jikji-backup"

type backupManifest struct {
	archive.Header
	SchemaVersion int    `json:"schema_version"`
	Database      string `json:"database"`
	Size          int64  `json:"size"`
	SHA256        string `json:"sha256"`
}

// runBackup copies a running SQLite site into a backup file.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	var out string
	fs := newSiteFlagSet("backup", stderr, &c)
	fs.StringVar(&out, "out", "", "backup file to write (.tar.gz)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if out == "" || fs.NArg() > 0 {
		return errors.New("사용법: jikji backup --out FILE")
	}
	if c.DatabaseURL != "" {
		return errors.New("jikji backup은 SQLite 사이트를 백업합니다. PostgreSQL은 pg_dump나 시점 복구(PITR)로 백업하세요 (README 참고)")
	}
	db := filepath.Join(c.Data, "jikji.db")
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("백업할 사이트가 없습니다: %w", err)
	}
	start := time.Now()
	dir := filepath.Dir(out)
	tmp, err := os.MkdirTemp(dir, ".jikji-backup-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "jikji.db")
	if err := sqlite.Backup(ctx, db, snap); err != nil {
		return err
	}
	integrity, version, err := sqlite.Check(ctx, snap)
	if err != nil {
		return err
	}
	if integrity != "ok" {
		return fmt.Errorf("백업본 검사 실패: %s", integrity)
	}
	sum, size, err := fileSum(snap)
	if err != nil {
		return err
	}
	m := backupManifest{Header: archive.Header{Format: backupFormat, Version: 1, CreatedAt: start.UTC()}, SchemaVersion: version,
		Database: "jikji.db", Size: size, SHA256: sum}
	part := filepath.Join(tmp, "backup.tar.gz")
	if err := writeBackup(part, m, snap); err != nil {
		return err
	}
	// The file appears under its name only once complete.
	if err := os.Rename(part, out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stderr, "백업했습니다: %s (%d바이트, %s)\n", out, size, time.Since(start).Round(time.Millisecond))
	return nil
}

func fileSum(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func writeBackup(path string, m backupManifest, db string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	manifest, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o600, Size: int64(len(manifest)), ModTime: m.CreatedAt}); err != nil {
		return err
	}
	if _, err := tw.Write(manifest); err != nil {
		return err
	}
	src, err := os.Open(db)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := tw.WriteHeader(&tar.Header{Name: m.Database, Mode: 0o600, Size: m.Size, ModTime: m.CreatedAt}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, src); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// runRestore unpacks a backup into an empty data folder.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newSiteFlagSet("restore", stderr, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		return errors.New("사용법: jikji restore [--data DIR] FILE")
	}
	file := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil { // flags after the file
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("사용법: jikji restore [--data DIR] FILE")
	}
	if c.DatabaseURL != "" {
		return errors.New("jikji restore는 SQLite 데이터 폴더로 복원합니다. PostgreSQL은 pg_restore를 쓰세요")
	}
	db := filepath.Join(c.Data, "jikji.db")
	for _, p := range []string{db, db + "-wal"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s 에 이미 사이트가 있습니다. 빈 데이터 폴더로 복원하세요", c.Data)
		}
	}
	_, statErr := os.Stat(c.Data)
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	tmp, err := os.MkdirTemp(c.Data, ".restore-")
	if err != nil {
		return err
	}
	restored := false
	defer func() {
		os.RemoveAll(tmp)
		if !restored && os.IsNotExist(statErr) {
			os.Remove(c.Data) // made for this restore, and empty again
		}
	}()
	m, snap, err := unpackBackup(file, tmp)
	if err != nil {
		return err
	}
	integrity, version, err := sqlite.Check(ctx, snap)
	if err != nil {
		return err
	}
	if integrity != "ok" || version != m.SchemaVersion {
		return fmt.Errorf("백업본 검사 실패: %s (스키마 %d, 기록 %d)", integrity, version, m.SchemaVersion)
	}
	if err := os.Rename(snap, db); err != nil {
		return err
	}
	restored = true
	fmt.Fprintf(stderr, "복원했습니다: %s → %s (%s에 만든 백업)\n", file, db, m.CreatedAt.Format(time.RFC3339))
	return nil
}

// unpackBackup checks a backup's manifest and checksum and writes its
// database into dir.
func unpackBackup(file, dir string) (backupManifest, string, error) {
	var m backupManifest
	f, err := os.Open(file)
	if err != nil {
		return m, "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, "", fmt.Errorf("백업 파일이 아닙니다: %w", err)
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != "manifest.json" || hdr.Size > 1<<20 {
		return m, "", errors.New("백업 파일이 아닙니다: manifest.json 이 없습니다")
	}
	if err := json.NewDecoder(tr).Decode(&m); err != nil || m.Format != backupFormat || m.Version != 1 {
		return m, "", errors.New("백업 파일이 아닙니다: 알 수 없는 형식입니다")
	}
	hdr, err = tr.Next()
	if err != nil || hdr.Name != m.Database || filepath.Base(m.Database) != m.Database {
		return m, "", errors.New("백업 파일이 잘렸거나 데이터베이스가 없습니다")
	}
	path := filepath.Join(dir, "jikji.db")
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return m, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), tr)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return m, "", fmt.Errorf("백업 파일을 읽을 수 없습니다: %w", err)
	}
	if n != m.Size || hex.EncodeToString(h.Sum(nil)) != m.SHA256 {
		return m, "", errors.New("백업 파일이 손상되었습니다: 체크섬이 맞지 않습니다")
	}
	// The rest of the file must be the tar's end and gzip's trailer: only
	// reading to the end checks gzip's CRC and length, and a file cut or
	// damaged there is not a backup to trust.
	if _, err := tr.Next(); err != io.EOF {
		return m, "", errors.New("백업 파일이 손상되었습니다: 데이터베이스 뒤에 알 수 없는 내용이 있습니다")
	}
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return m, "", fmt.Errorf("백업 파일이 잘렸거나 손상되었습니다: %w", err)
	}
	return m, path, nil
}
