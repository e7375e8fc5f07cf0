package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
)

// Backup writes a consistent copy of the database at path to dest (which
// must not exist) while other processes keep reading and writing it: VACUUM
// INTO reads one snapshot, on a connection of its own that never takes the
// write lock. Photos live in the database, so the copy holds them too.
func Backup(ctx context.Context, path, dest string) error {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	return nil
}

// Check opens the database file at path without changing it and returns
// the result of PRAGMA integrity_check ("ok" when sound) and the schema
// version its migrations reached.
func Check(ctx context.Context, path string) (integrity string, version int, err error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return "", 0, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity); err != nil {
		return "", 0, fmt.Errorf("check %s: %w", path, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return "", 0, fmt.Errorf("check %s: %w", path, err)
	}
	return integrity, version, nil
}
