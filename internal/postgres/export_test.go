package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// QueryRowForTest lets tests inspect the database behind a Store.
func (s *Store) QueryRowForTest(ctx context.Context, sql string, args ...any) pgx.Row {
	return s.pool.QueryRow(ctx, sql, args...)
}
