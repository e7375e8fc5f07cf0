package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

func (s *Store) SetReaction(ctx context.Context, articleID, accountID int64, kind string, at time.Time) error {
	if kind == "" {
		return news.Errorf(news.EINVALID, "공감 표현을 골라주세요.")
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var current string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM reactions WHERE article_id = ? AND account_id = ?`,
			articleID, accountID).Scan(&current)
		switch {
		case err == nil && current == kind:
			return nil
		case err == nil:
			return news.Errorf(news.EREACTIONEXIST, "이미 다른 공감 표현을 골랐습니다.")
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		ok, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE id = ?`, articleID)
		if err != nil {
			return err
		}
		if !ok {
			return news.Errorf(news.EINVALID, "없는 기사입니다.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO reactions (article_id, account_id, kind, created_at) VALUES (?, ?, ?, ?)`,
			articleID, accountID, kind, micros(at))
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO reaction_counts (article_id, kind, count) VALUES (?, ?, 1)
			ON CONFLICT (article_id, kind) DO UPDATE SET count = count + 1`, articleID, kind)
		return err
	})
	if err != nil {
		return fmt.Errorf("react to article %d: %w", articleID, err)
	}
	return nil
}

func (s *Store) DeleteReaction(ctx context.Context, articleID, accountID int64) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, `DELETE FROM reactions WHERE article_id = ? AND account_id = ? RETURNING kind`,
			articleID, accountID).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reaction_counts SET count = count - 1 WHERE article_id = ? AND kind = ?`,
			articleID, kind); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM reaction_counts WHERE article_id = ? AND kind = ? AND count <= 0`, articleID, kind)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete reaction to article %d: %w", articleID, err)
	}
	return nil
}

func (s *Store) ReactionCounts(ctx context.Context, articleID int64) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, count FROM reaction_counts WHERE article_id = ? AND count > 0`, articleID)
	if err != nil {
		return nil, fmt.Errorf("reaction counts of article %d: %w", articleID, err)
	}
	return scanCounts(rows)
}

func (s *Store) Reaction(ctx context.Context, articleID, accountID int64) (string, error) {
	var kind string
	err := s.read.QueryRowContext(ctx, `SELECT kind FROM reactions WHERE article_id = ? AND account_id = ?`,
		articleID, accountID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reaction to article %d: %w", articleID, err)
	}
	return kind, nil
}

func (s *Store) SetBookmark(ctx context.Context, accountID, articleID int64, on bool, at time.Time) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM bookmarks WHERE account_id = ? AND article_id = ?`, accountID, articleID)
			return err
		}
		ok, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE id = ?`, articleID)
		if err != nil {
			return err
		}
		if !ok {
			return news.Errorf(news.EINVALID, "없는 기사입니다.")
		}
		// Saving again keeps the first time.
		_, err = tx.ExecContext(ctx, `INSERT INTO bookmarks (account_id, article_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, accountID, articleID, micros(at))
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("bookmark article %d: %w", articleID, err)
	}
	return nil
}

func (s *Store) IsBookmarked(ctx context.Context, accountID, articleID int64) (bool, error) {
	ok, err := exists(ctx, s.read, `SELECT 1 FROM bookmarks WHERE account_id = ? AND article_id = ?`, accountID, articleID)
	if err != nil {
		return false, fmt.Errorf("is article %d bookmarked: %w", articleID, err)
	}
	return ok, nil
}

func (s *Store) Bookmarks(ctx context.Context, accountID int64, f news.ArticleFilter) ([]news.Bookmark, *news.Position, error) {
	query := `SELECT ` + articleColumns + `, b.created_at
		FROM bookmarks b JOIN articles a ON a.id = b.article_id JOIN sections s ON s.id = a.section_id
		WHERE b.account_id = ? AND a.state = 'published' AND a.published_at <= ?`
	args := []any{accountID, micros(f.Now)}
	if f.Before != nil {
		query += ` AND (b.created_at, b.article_id) < (?, ?)`
		args = append(args, micros(f.Before.PublishedAt), f.Before.ID)
	}
	limit := pageLimit(f.Limit)
	query += ` ORDER BY b.created_at DESC, b.article_id DESC LIMIT ?`
	args = append(args, limit+1)
	list, saved, err := s.queryBookmarks(ctx, query, args)
	if err != nil {
		return nil, nil, fmt.Errorf("bookmarks of account %d: %w", accountID, err)
	}
	var next *news.Position
	if len(list) > limit {
		list, saved = list[:limit], saved[:limit]
		next = &news.Position{PublishedAt: saved[limit-1], ID: list[limit-1].ID}
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, nil, err
	}
	out := make([]news.Bookmark, len(list))
	for i, a := range list {
		out[i] = news.Bookmark{AccountID: accountID, Article: a, SavedAt: saved[i]}
	}
	return out, next, nil
}

// queryBookmarks reads rows of articleColumns followed by the time saved.
func (s *Store) queryBookmarks(ctx context.Context, query string, args []any) ([]news.Article, []time.Time, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		list  []news.Article
		saved []time.Time
	)
	for rows.Next() {
		var at int64
		a, err := scanArticle(extraScanner{rows, []any{&at}})
		if err != nil {
			return nil, nil, err
		}
		list = append(list, a)
		saved = append(saved, fromMicros(at))
	}
	return list, saved, rows.Err()
}

// subscriptionTargets names the table each subscription kind points into.
var subscriptionTargets = map[string]string{
	news.TargetReporter: "reporters",
	news.TargetSection:  "sections",
}

func (s *Store) SetSubscription(ctx context.Context, sub news.Subscription, on bool) error {
	table, ok := subscriptionTargets[sub.Kind]
	if !ok {
		return news.Errorf(news.EINVALID, "구독할 수 없는 대상입니다: %s", sub.Kind)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if !on {
			_, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE account_id = ? AND kind = ? AND target_id = ?`,
				sub.AccountID, sub.Kind, sub.TargetID)
			return err
		}
		ok, err := exists(ctx, tx, `SELECT 1 FROM `+table+` WHERE id = ?`, sub.TargetID)
		if err != nil {
			return err
		}
		if !ok {
			return news.Errorf(news.EINVALID, "구독할 대상이 없습니다.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO subscriptions (account_id, kind, target_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, sub.AccountID, sub.Kind, sub.TargetID, micros(sub.CreatedAt))
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("subscribe to %s %d: %w", sub.Kind, sub.TargetID, err)
	}
	return nil
}

func (s *Store) IsSubscribed(ctx context.Context, accountID int64, kind string, targetID int64) (bool, error) {
	ok, err := exists(ctx, s.read, `SELECT 1 FROM subscriptions WHERE account_id = ? AND kind = ? AND target_id = ?`,
		accountID, kind, targetID)
	if err != nil {
		return false, fmt.Errorf("is subscribed to %s %d: %w", kind, targetID, err)
	}
	return ok, nil
}

func (s *Store) Subscriptions(ctx context.Context, accountID int64) ([]news.Subscription, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, target_id, created_at FROM subscriptions
		WHERE account_id = ? ORDER BY created_at, kind, target_id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("subscriptions of account %d: %w", accountID, err)
	}
	defer rows.Close()
	var out []news.Subscription
	for rows.Next() {
		sub := news.Subscription{AccountID: accountID}
		var created int64
		if err := rows.Scan(&sub.Kind, &sub.TargetID, &created); err != nil {
			return nil, err
		}
		sub.CreatedAt = fromMicros(created)
		out = append(out, sub)
	}
	return out, rows.Err()
}

func (s *Store) SubscriberCount(ctx context.Context, kind string, targetID int64) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE kind = ? AND target_id = ?`,
		kind, targetID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("subscribers of %s %d: %w", kind, targetID, err)
	}
	return n, nil
}

func (s *Store) FeedArticles(ctx context.Context, accountID int64, f news.ArticleFilter) ([]news.Article, *news.Position, error) {
	followed := `(a.section_id IN (SELECT target_id FROM subscriptions WHERE account_id = ? AND kind = 'section')
		OR a.id IN (SELECT b.article_id FROM bylines b JOIN subscriptions su
			ON su.kind = 'reporter' AND su.target_id = b.reporter_id WHERE su.account_id = ?))`
	list, next, err := s.publishedArticles(ctx, f, []string{followed}, []any{accountID, accountID})
	if err != nil {
		return nil, nil, fmt.Errorf("feed of account %d: %w", accountID, err)
	}
	return list, next, nil
}
