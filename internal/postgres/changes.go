package postgres

import (
	"context"
	"fmt"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

func (s *Store) RecordChanges(ctx context.Context, changes []news.Change) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		for _, c := range changes {
			if _, err := tx.Exec(ctx, `INSERT INTO change_log (article_id, lists, everything) VALUES ($1, $2, $3)`,
				c.ArticleID, c.Lists, c.All); err != nil {
				return fmt.Errorf("record change: %w", err)
			}
		}
		return nil
	})
}

// ChangesSince reads the log by sequence. A sequence number is taken when a
// transaction inserts, not when it commits, so entries of a slower
// transaction can appear below ones already read; the last seconds are
// therefore read again each time, and a cache drops an entry twice at worst.
func (s *Store) ChangesSince(ctx context.Context, seq int64) ([]news.Change, int64, error) {
	if seq == 0 {
		var last int64
		err := s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM change_log`).Scan(&last)
		return nil, last, err
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, article_id, lists, everything FROM change_log
		WHERE seq > $1 OR (seq > $1 - 1000 AND created_at > now() - interval '2 seconds')
		ORDER BY seq LIMIT 10000`, seq)
	if err != nil {
		return nil, seq, fmt.Errorf("changes since %d: %w", seq, err)
	}
	defer rows.Close()
	var out []news.Change
	next := seq
	for rows.Next() {
		var c news.Change
		var n int64
		if err := rows.Scan(&n, &c.ArticleID, &c.Lists, &c.All); err != nil {
			return nil, seq, err
		}
		next = max(next, n)
		out = append(out, c)
	}
	return out, next, rows.Err()
}

func (s *Store) PruneChanges(ctx context.Context, before time.Time) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM change_log WHERE created_at < $1`, before)
	return err
}
