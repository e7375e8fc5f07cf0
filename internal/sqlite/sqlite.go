// Package sqlite implements news.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go, so the binary builds without cgo).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

var _ news.Store = (*Store)(nil)

// Store is a news.Store on one SQLite file in WAL mode. Writes go through a
// single connection, as SQLite allows one writer at a time; reads use a pool.
type Store struct {
	write *sql.DB
	read  *sql.DB

	ops           chan *writeOp
	committerDone chan struct{}
	counters      batchCounters
	stopAnalyze   chan struct{}
}

// Open opens (creating if needed) the database file at path and applies
// pending migrations. Several processes may open one file at once: while
// another holds the lock to create the file or migrate it, Open waits.
func Open(ctx context.Context, path string) (*Store, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := open(ctx, path)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

func open(ctx context.Context, path string) (*Store, error) {
	dsn := func(readOnly bool) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		// FULL: an acknowledged write survives power loss, not only a crash.
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_txlock", "immediate")
		if readOnly {
			q.Add("_pragma", "query_only(1)")
		}
		return "file:" + path + "?" + q.Encode()
	}
	write, err := sql.Open(driverName, dsn(false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{write: write}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	// Without statistics the planner takes the index on state as
	// selective, and reads every published article to find a minute's.
	if err := s.analyze(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open(driverName, dsn(true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	read.SetConnMaxIdleTime(0)
	s.read = read
	s.ops = make(chan *writeOp, 4*maxBatch)
	s.committerDone = make(chan struct{})
	go s.commitLoop()
	s.stopAnalyze = make(chan struct{})
	go s.analyzeLoop()
	return s, nil
}

// analyze refreshes the planner's statistics when there are none or the
// articles have since doubled or halved in number. It reads every index
// but the full-text index's own tables (tens of seconds on a large
// archive, and never planned by statistics): a fraction of a second for a
// million articles.
func (s *Store) analyze(ctx context.Context) error {
	analysed := int64(-1)
	have, err := exists(ctx, s.write, `SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if have {
		err := s.write.QueryRowContext(ctx, `SELECT coalesce((SELECT CAST(stat AS INTEGER) FROM sqlite_stat1
			WHERE tbl = 'articles' LIMIT 1), -1)`).Scan(&analysed)
		if err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
	}
	var articles int64
	if err := s.write.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&articles); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if analysed >= 0 && articles <= 2*analysed+100 && analysed <= 2*articles+100 {
		return nil
	}
	rows, err := s.write.QueryContext(ctx, `SELECT DISTINCT tbl_name FROM sqlite_master
		WHERE type = 'index' AND tbl_name NOT LIKE 'article\_search%' ESCAPE '\' ORDER BY tbl_name`)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("analyze: %w", err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	for _, t := range tables {
		if _, err := s.write.ExecContext(ctx, `ANALYZE "`+strings.ReplaceAll(t, `"`, `""`)+`"`); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}

// analyzeInterval is how often a long-running node checks whether the
// statistics need refreshing, as the archive grows.
const analyzeInterval = 6 * time.Hour

func (s *Store) analyzeLoop() {
	t := time.NewTicker(analyzeInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stopAnalyze:
			return
		case <-t.C:
			// A failure leaves the old statistics, which still serve.
			_ = s.analyze(context.Background())
		}
	}
}

// Close finishes queued writes and closes both connection pools.
func (s *Store) Close() error {
	close(s.stopAnalyze)
	close(s.ops)
	<-s.committerDone
	return errors.Join(s.read.Close(), s.write.Close())
}

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", name)
		}
		if err := s.applyMigration(ctx, name, version); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, name string, version int) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}

// micros stores t as Unix microseconds, 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// isConstraint reports whether err is a UNIQUE or PRIMARY KEY violation.
func isConstraint(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return true
		}
	}
	return false
}

// isForeignKey reports whether err is a foreign key violation.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func notFound(what string) error {
	return news.Errorf(news.ENOTFOUND, "%s 찾을 수 없습니다.", josa.EulReul.After(what))
}
