// Package postgres implements news.Store on PostgreSQL (jackc/pgx/v5), for
// sites that run several stateless nodes on one database.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

var _ news.Store = (*Store)(nil)

// migrationLock is the pg_advisory_xact_lock key that serialises migrations
// across nodes starting together ("jikji" in ASCII).
const migrationLock int64 = 0x6a696b6a69

// Options tune the connection pool. Zero values keep pgx's defaults (or the
// ones given in the database URL).
type Options struct {
	// MaxConns caps the pool size of this node.
	MaxConns int32
	// StatementTimeout aborts any statement running longer (PostgreSQL's
	// statement_timeout), so a stuck query cannot hold a connection forever.
	StatementTimeout time.Duration
}

// Store is a news.Store on a pgx connection pool.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to the database the URL names (a postgres:// URL or a
// keyword/value string), checks that it answers and applies pending
// migrations. It returns an error, never panics, when the database cannot be
// reached.
func Open(ctx context.Context, databaseURL string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// pgx redacts the password in its parse errors.
		return nil, fmt.Errorf("postgres: parse database URL: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// Fail at start within a bounded time rather than hang on a dead host.
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		// Times come back in UTC, as from the SQLite store.
		conn.TypeMap().RegisterType(&pgtype.Type{
			Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
		})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach database at %s: %w", describe(cfg), err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := s.makeSearchPartitions(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: search index partitions: %w", err)
	}
	return s, nil
}

// Migrate applies the pending migrations to the database the URL names
// without keeping a pool open, for `jikji migrate`.
func Migrate(ctx context.Context, databaseURL string) error {
	s, err := Open(ctx, databaseURL, Options{MaxConns: 2})
	if err != nil {
		return err
	}
	return s.Close()
}

// describe names the server and database of cfg, without credentials.
func describe(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	host := c.Host
	if !strings.HasPrefix(host, "/") {
		host = fmt.Sprintf("%s:%d", host, c.Port)
	}
	return fmt.Sprintf("%s (database %q, user %q)", host, c.Database, c.User)
}

// Close closes the pool, waiting for connections in use to be returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping reports whether the database answers, for readiness checks.
func (s *Store) Ping(ctx context.Context) error {
	return s.pool.Ping(ctx)
}

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction that first takes a transaction-scoped advisory lock, so nodes
// starting together apply each migration once and in order.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", base)
		}
		if err := s.applyMigration(ctx, name, version); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, name string, version int) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The pool's statement timeout is for serving: a migration may wait
		// for another node's and may rebuild large tables.
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&done); err != nil {
			return err
		}
		if done {
			return nil
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		// Exec without arguments uses the simple protocol, which runs a
		// file of several statements.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version)
		return err
	})
}

// inTx runs fn in a transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// epoch stands for "unset" in NOT NULL time columns that are sorted on
// (articles.published_at), as 0 does in the SQLite store.
var epoch = time.Unix(0, 0).UTC()

// ts maps the zero time to epoch.
func ts(t time.Time) time.Time {
	if t.IsZero() {
		return epoch
	}
	return t
}

// fromTS is the inverse of ts.
func fromTS(t time.Time) time.Time {
	if t.Equal(epoch) {
		return time.Time{}
	}
	return t.UTC()
}

// nullTS maps the zero time to NULL.
func nullTS(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// fromNullTS is the inverse of nullTS.
func fromNullTS(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// now returns the current time at the precision the database keeps.
func now() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}

// fromMicros turns a cursor key back into a time.
func fromMicros(us int64) time.Time {
	return time.UnixMicro(us).UTC()
}

// PostgreSQL error codes the store maps to domain errors.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func isUnique(err error) bool     { return pgCode(err) == uniqueViolation }
func isForeignKey(err error) bool { return pgCode(err) == foreignKeyViolation }

func notFound(what string) error {
	return news.Errorf(news.ENOTFOUND, "%s 찾을 수 없습니다.", josa.EulReul.After(what))
}

// collect reads every row with scan.
func collect[T any](rows pgx.Rows, scan func(pgx.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
