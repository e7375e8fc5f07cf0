package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"jikji/internal/news"
)

func (s *Store) RecordChanges(ctx context.Context, changes []news.Change) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := time.Now().UnixMicro()
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (article_id, account_id, lists, everything, created_at) VALUES (?, ?, ?, ?, ?)`,
				c.ArticleID, c.AccountID, c.Lists, c.All, now); err != nil {
				return fmt.Errorf("record change: %w", err)
			}
		}
		return nil
	})
}

func (s *Store) ChangesSince(ctx context.Context, seq int64) ([]news.Change, int64, error) {
	if seq == 0 {
		var last int64
		err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM change_log`).Scan(&last)
		return nil, last, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT seq, article_id, account_id, lists, everything FROM change_log WHERE seq > ? ORDER BY seq LIMIT 10000`, seq)
	if err != nil {
		return nil, seq, fmt.Errorf("changes since %d: %w", seq, err)
	}
	defer rows.Close()
	var out []news.Change
	for rows.Next() {
		var c news.Change
		if err := rows.Scan(&seq, &c.ArticleID, &c.AccountID, &c.Lists, &c.All); err != nil {
			return nil, seq, err
		}
		out = append(out, c)
	}
	return out, seq, rows.Err()
}

func (s *Store) PruneChanges(ctx context.Context, before time.Time) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM change_log WHERE created_at < ?`, before.UnixMicro())
	return err
}
