package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

func (s *Store) SetReaction(ctx context.Context, articleID, accountID int64, kind string, at time.Time) error {
	if kind == "" {
		return news.Errorf(news.EINVALID, "공감 표현을 골라주세요.")
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// The (article, account) primary key lets one reaction in; a racing
		// call waits for it, inserts nothing, then sees the winner's kind.
		// The loop covers a reaction deleted between the two statements.
		for range 10 {
			var inserted string
			err := tx.QueryRow(ctx, `INSERT INTO reactions (article_id, account_id, kind, created_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, account_id) DO NOTHING RETURNING kind`,
				articleID, accountID, kind, at).Scan(&inserted)
			if err == nil {
				_, err = tx.Exec(ctx, `INSERT INTO reaction_counts (article_id, kind, count) VALUES ($1, $2, 1)
					ON CONFLICT (article_id, kind) DO UPDATE SET count = reaction_counts.count + 1`, articleID, kind)
				return err
			}
			if isForeignKey(err) {
				return news.Errorf(news.EINVALID, "공감할 기사나 회원을 찾을 수 없습니다.")
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			var existing string
			err = tx.QueryRow(ctx, `SELECT kind FROM reactions WHERE article_id = $1 AND account_id = $2`,
				articleID, accountID).Scan(&existing)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			if existing == kind {
				return nil
			}
			return news.Errorf(news.EREACTIONEXIST, "이미 공감 표현을 선택하신 기사입니다. 변경을 원하시면 취소 후 다시 선택해주세요.")
		}
		return errors.New("reaction kept changing under concurrent writes")
	})
	if err != nil && news.ErrorCode(err) == news.EINTERNAL {
		return fmt.Errorf("set reaction on article %d: %w", articleID, err)
	}
	return err
}

func (s *Store) DeleteReaction(ctx context.Context, articleID, accountID int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var kind string
		err := tx.QueryRow(ctx, `DELETE FROM reactions WHERE article_id = $1 AND account_id = $2 RETURNING kind`,
			articleID, accountID).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE reaction_counts SET count = count - 1 WHERE article_id = $1 AND kind = $2`, articleID, kind)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete reaction on article %d: %w", articleID, err)
	}
	return nil
}

func (s *Store) ReactionCounts(ctx context.Context, articleID int64) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind, count FROM reaction_counts WHERE article_id = $1 AND count > 0`, articleID)
	if err != nil {
		return nil, fmt.Errorf("reaction counts of article %d: %w", articleID, err)
	}
	return scanCounts(rows)
}

func (s *Store) Reaction(ctx context.Context, articleID, accountID int64) (string, error) {
	var kind string
	err := s.pool.QueryRow(ctx, `SELECT kind FROM reactions WHERE article_id = $1 AND account_id = $2`,
		articleID, accountID).Scan(&kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reaction on article %d: %w", articleID, err)
	}
	return kind, nil
}

func (s *Store) SetBookmark(ctx context.Context, accountID, articleID int64, on bool, at time.Time) error {
	var err error
	if on {
		// Saving again keeps the first time saved.
		_, err = s.pool.Exec(ctx, `INSERT INTO bookmarks (account_id, article_id, saved_at) VALUES ($1, $2, $3)
			ON CONFLICT (account_id, article_id) DO NOTHING`, accountID, articleID, at)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "저장할 기사나 회원을 찾을 수 없습니다.")
		}
	} else {
		_, err = s.pool.Exec(ctx, `DELETE FROM bookmarks WHERE account_id = $1 AND article_id = $2`, accountID, articleID)
	}
	if err != nil {
		return fmt.Errorf("set bookmark on article %d: %w", articleID, err)
	}
	return nil
}

func (s *Store) IsBookmarked(ctx context.Context, accountID, articleID int64) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM bookmarks WHERE account_id = $1 AND article_id = $2)`,
		accountID, articleID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("is bookmarked: %w", err)
	}
	return ok, nil
}

func (s *Store) Bookmarks(ctx context.Context, accountID int64, f news.ArticleFilter) ([]news.Bookmark, *news.Position, error) {
	var q query
	q.and("bm.account_id = " + q.arg(accountID))
	q.and("a.state = 'published' AND a.published_at <= " + q.arg(f.Now))
	if f.Before != nil {
		q.and("(bm.saved_at, bm.article_id) < (" + q.arg(f.Before.PublishedAt) + ", " + q.arg(f.Before.ID) + ")")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`, bm.saved_at
		FROM bookmarks bm JOIN articles a ON a.id = bm.article_id JOIN sections s ON s.id = a.section_id
		WHERE `+strings.Join(q.where, " AND ")+`
		ORDER BY bm.saved_at DESC, bm.article_id DESC LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("bookmarks of account %d: %w", accountID, err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Bookmark, error) {
		b := news.Bookmark{AccountID: accountID}
		var err error
		b.Article, err = scanArticle(r, &b.SavedAt)
		return b, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("bookmarks of account %d: %w", accountID, err)
	}
	var next *news.Position
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = &news.Position{PublishedAt: last.SavedAt, ID: last.Article.ID}
	}
	articles := make([]news.Article, len(list))
	for i := range list {
		articles[i] = list[i].Article
	}
	if err := s.fillDetails(ctx, articles); err != nil {
		return nil, nil, err
	}
	for i := range list {
		list[i].Article = articles[i]
	}
	return list, next, nil
}

// subscriptionTarget checks that the target of a subscription exists. No
// foreign key can, as target_id points into a table chosen by kind; neither
// reporters nor sections are ever deleted.
func (s *Store) subscriptionTarget(ctx context.Context, table string, targetID int64) error {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE id = $1)`, targetID).Scan(&ok); err != nil {
		return fmt.Errorf("subscription target: %w", err)
	}
	if !ok {
		return news.Errorf(news.EINVALID, "구독할 대상을 찾을 수 없습니다.")
	}
	return nil
}

func (s *Store) SetSubscription(ctx context.Context, sub news.Subscription, on bool) error {
	table, ok := subscriptionTables[sub.Kind]
	if !ok {
		return news.Errorf(news.EINVALID, "구독할 수 없는 대상입니다: %s", sub.Kind)
	}
	var err error
	if on {
		if err := s.subscriptionTarget(ctx, table, sub.TargetID); err != nil {
			return err
		}
		_, err = s.pool.Exec(ctx, `INSERT INTO subscriptions (account_id, kind, target_id, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, sub.AccountID, sub.Kind, sub.TargetID, sub.CreatedAt)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
	} else {
		_, err = s.pool.Exec(ctx, `DELETE FROM subscriptions WHERE account_id = $1 AND kind = $2 AND target_id = $3`,
			sub.AccountID, sub.Kind, sub.TargetID)
	}
	if err != nil {
		return fmt.Errorf("set subscription: %w", err)
	}
	return nil
}

func (s *Store) IsSubscribed(ctx context.Context, accountID int64, kind string, targetID int64) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM subscriptions
		WHERE account_id = $1 AND kind = $2 AND target_id = $3)`, accountID, kind, targetID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("is subscribed: %w", err)
	}
	return ok, nil
}

func (s *Store) Subscriptions(ctx context.Context, accountID int64) ([]news.Subscription, error) {
	rows, err := s.pool.Query(ctx, `SELECT account_id, kind, target_id, created_at FROM subscriptions
		WHERE account_id = $1 ORDER BY created_at, kind, target_id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("subscriptions of account %d: %w", accountID, err)
	}
	return collect(rows, func(r pgx.Rows) (news.Subscription, error) {
		var sub news.Subscription
		err := r.Scan(&sub.AccountID, &sub.Kind, &sub.TargetID, &sub.CreatedAt)
		return sub, err
	})
}

func (s *Store) SubscriberCount(ctx context.Context, kind string, targetID int64) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM subscriptions WHERE kind = $1 AND target_id = $2`, kind, targetID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("subscriber count: %w", err)
	}
	return n, nil
}

func (s *Store) FeedArticles(ctx context.Context, accountID int64, f news.ArticleFilter) ([]news.Article, *news.Position, error) {
	var q query
	q.articleFilter(f)
	acc := q.arg(accountID)
	q.and(`(a.section_id IN (SELECT target_id FROM subscriptions WHERE account_id = ` + acc + ` AND kind = 'section')
		OR a.id IN (SELECT b.article_id FROM bylines b JOIN subscriptions su
			ON su.kind = 'reporter' AND su.target_id = b.reporter_id WHERE su.account_id = ` + acc + `))`)
	list, next, err := s.articlePage(ctx, &q, f)
	if err != nil {
		return nil, nil, fmt.Errorf("feed of account %d: %w", accountID, err)
	}
	return list, next, nil
}

// subscriptionTables names the table each subscription kind points into.
var subscriptionTables = map[string]string{
	news.TargetReporter: "reporters",
	news.TargetSection:  "sections",
}

// scanCounts reads rows of a name and a count into a map, closing rows.
func scanCounts(rows pgx.Rows) (map[string]int64, error) {
	counts := map[string]int64{}
	var name string
	var n int64
	_, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error {
		counts[name] = n
		return nil
	})
	return counts, err
}
