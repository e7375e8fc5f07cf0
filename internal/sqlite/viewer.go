package sqlite

import (
	"context"
	"fmt"

	"jikji/internal/news"
)

func (s *Store) ViewerState(ctx context.Context, articleID, accountID int64) (news.ViewerState, error) {
	st := news.ViewerState{Counts: map[string]int64{}, Subscribed: map[int64]bool{}}
	rows, err := s.read.QueryContext(ctx, `
		SELECT 'c', kind, count FROM reaction_counts WHERE article_id = ?1 AND count > 0
		UNION ALL SELECT 'r', kind, 0 FROM reactions WHERE article_id = ?1 AND account_id = ?2
		UNION ALL SELECT 'b', '', 0 FROM bookmarks WHERE article_id = ?1 AND account_id = ?2
		UNION ALL SELECT 's', '', target_id FROM subscriptions WHERE account_id = ?2 AND kind = 'reporter'
			AND target_id IN (SELECT reporter_id FROM bylines WHERE article_id = ?1)`, articleID, accountID)
	if err != nil {
		return st, fmt.Errorf("viewer state of article %d: %w", articleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var tag, kind string
		var n int64
		if err := rows.Scan(&tag, &kind, &n); err != nil {
			return st, err
		}
		switch tag {
		case "c":
			st.Counts[kind] = n
		case "r":
			st.Reaction = kind
		case "b":
			st.Saved = true
		case "s":
			st.Subscribed[n] = true
		}
	}
	return st, rows.Err()
}
