package postgres

import (
	"context"
	"fmt"
	"time"

	"jikji/internal/news"
)

func (s *Store) RecordChanges(ctx context.Context, changes []news.Change) error {
	// One statement for the batch: a busy second brings a row per reader
	// who reacted, and a round trip each would cost more than the writes.
	articles := make([]int64, len(changes))
	accounts := make([]int64, len(changes))
	lists := make([]bool, len(changes))
	all := make([]bool, len(changes))
	for i, c := range changes {
		articles[i], accounts[i], lists[i], all[i] = c.ArticleID, c.AccountID, c.Lists, c.All
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO change_log (article_id, account_id, lists, everything)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::boolean[])`,
		articles, accounts, lists, all); err != nil {
		return fmt.Errorf("record changes: %w", err)
	}
	return nil
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
	rows, err := s.pool.Query(ctx, `SELECT seq, article_id, account_id, lists, everything FROM change_log
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
		if err := rows.Scan(&n, &c.ArticleID, &c.AccountID, &c.Lists, &c.All); err != nil {
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
