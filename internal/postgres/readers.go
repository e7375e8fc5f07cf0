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

// deletedName is shown instead of the name of an account that left.
const deletedName = "탈퇴한 회원"

const accountColumns = `id, email, display_name, password_hash, role, created_at, deleted_at, two_factor`

func scanAccount(row pgx.Row) (news.Account, error) {
	var a news.Account
	var deleted *time.Time
	if err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.Role, &a.CreatedAt, &deleted, &a.TwoFactor); err != nil {
		return news.Account{}, err
	}
	a.DeletedAt = fromNullTS(deleted)
	return a, nil
}

func (s *Store) CreateAccount(ctx context.Context, a *news.Account) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		a.Email, a.DisplayName, a.PasswordHash, a.Role, a.CreatedAt).Scan(&a.ID)
	if isUnique(err) {
		return news.Errorf(news.EEMAILTAKEN, "이미 가입된 이메일입니다.")
	}
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

func (s *Store) Account(ctx context.Context, id int64) (news.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Account{}, notFound("회원")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("account %d: %w", id, err)
	}
	return a, nil
}

func (s *Store) AccountByEmail(ctx context.Context, email string) (news.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE lower(email) = lower($1) AND deleted_at IS NULL AND role <> 'imported'`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Account{}, notFound("회원")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("account by e-mail: %w", err)
	}
	return a, nil
}

func (s *Store) SetAccountRole(ctx context.Context, id int64, role string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE accounts SET role = $2 WHERE id = $1 AND deleted_at IS NULL`, id, role)
	if err != nil {
		return fmt.Errorf("set role of account %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("회원")
	}
	return nil
}

func (s *Store) DeleteAccount(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		at = now() // a NULL deleted_at would mean live
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// Deleting twice keeps the first time of leaving.
		tag, err := tx.Exec(ctx, `UPDATE accounts SET deleted_at = coalesce(deleted_at, $2),
			email = '', display_name = '', password_hash = '' WHERE id = $1`, id, at)
		if err != nil {
			return fmt.Errorf("delete account %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("회원")
		}
		for _, table := range []string{"sessions", "bookmarks", "subscriptions", "two_factor", "recovery_codes", "identities", "pending_identities"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE account_id = $1`, id); err != nil {
				return fmt.Errorf("delete account %d: %s: %w", id, table, err)
			}
		}
		return nil
	})
}

func (s *Store) CreateSession(ctx context.Context, sess news.Session) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO sessions (token_hash, account_id, created_at, expires_at, user_agent, last_seen_at, pending)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, sess.TokenHash, sess.AccountID, sess.CreatedAt, sess.ExpiresAt,
		sess.UserAgent, nullTS(sess.LastSeenAt), sess.Pending)
	switch {
	case isForeignKey(err):
		return news.Errorf(news.EINVALID, "없는 회원입니다.")
	case isUnique(err):
		return news.Errorf(news.ECONFLICT, "이미 있는 세션입니다.")
	case err != nil:
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func (s *Store) SessionAccount(ctx context.Context, tokenHash string, now time.Time) (news.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT a.id, a.email, a.display_name, a.password_hash, a.role,
		a.created_at, a.deleted_at, a.two_factor
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT s.pending AND a.deleted_at IS NULL`, tokenHash, now))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Account{}, notFound("세션")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("session account: %w", err)
	}
	return a, nil
}

func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// commentColumns reads a comment aliased c with its author aliased u.
const commentColumns = `c.id, c.article_id, coalesce(c.parent_id, 0), c.author_id,
	CASE WHEN u.deleted_at IS NULL THEN u.display_name ELSE '` + deletedName + `' END,
	c.body, c.state, c.likes, c.dislikes, c.reply_count, c.created_at, u.role = 'imported'`

const commentFrom = ` FROM comments c JOIN accounts u ON u.id = c.author_id`

func scanComment(row pgx.Row, extra ...any) (news.Comment, error) {
	var c news.Comment
	dest := []any{&c.ID, &c.ArticleID, &c.ParentID, &c.AuthorID, &c.AuthorName,
		&c.Body, &c.State, &c.Likes, &c.Dislikes, &c.ReplyCount, &c.CreatedAt, &c.AuthorImported}
	err := row.Scan(append(dest, extra...)...)
	return c, err
}

func isCommentState(state string) bool {
	switch state {
	case news.CommentVisible, news.CommentDeleted, news.CommentHidden, news.CommentPending:
		return true
	}
	return false
}

func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	if !isCommentState(c.State) {
		return news.Errorf(news.EINVALID, "알 수 없는 댓글 상태입니다: %s", c.State)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	var parent *int64
	if c.ParentID != 0 {
		parent = &c.ParentID
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if parent != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM comments WHERE id = $1 AND article_id = $2)`,
				c.ParentID, c.ArticleID).Scan(&ok); err != nil {
				return fmt.Errorf("create comment: %w", err)
			}
			if !ok {
				return news.Errorf(news.EINVALID, "답글을 달 댓글을 찾을 수 없습니다.")
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO comments (article_id, parent_id, author_id, body, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.ArticleID, parent, c.AuthorID, c.Body, c.State, c.CreatedAt).Scan(&id)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "댓글을 달 기사나 회원을 찾을 수 없습니다.")
		}
		if err != nil {
			return fmt.Errorf("create comment: %w", err)
		}
		if c.State == news.CommentVisible {
			// The article's row is always locked before a comment's, here
			// and in SetCommentState, so the two cannot deadlock.
			return adjustCommentCounts(ctx, tx, c.ArticleID, c.ParentID, 1)
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.ID = id
	return nil
}

// adjustCommentCounts adds delta to the article's comment count and to the
// parent's reply count, if it has a parent.
func adjustCommentCounts(ctx context.Context, tx pgx.Tx, articleID, parentID, delta int64) error {
	if _, err := tx.Exec(ctx, `UPDATE articles SET comment_count = comment_count + $2 WHERE id = $1`, articleID, delta); err != nil {
		return fmt.Errorf("comment count of article %d: %w", articleID, err)
	}
	if parentID != 0 {
		if _, err := tx.Exec(ctx, `UPDATE comments SET reply_count = reply_count + $2 WHERE id = $1`, parentID, delta); err != nil {
			return fmt.Errorf("reply count of comment %d: %w", parentID, err)
		}
	}
	return nil
}

func (s *Store) Comment(ctx context.Context, id int64) (news.Comment, error) {
	c, err := scanComment(s.pool.QueryRow(ctx, `SELECT `+commentColumns+commentFrom+` WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Comment{}, notFound("댓글")
	}
	if err != nil {
		return news.Comment{}, fmt.Errorf("comment %d: %w", id, err)
	}
	return c, nil
}

func (s *Store) Comments(ctx context.Context, cq news.CommentQuery) ([]news.Comment, *news.CommentPosition, error) {
	var q query
	q.and("c.article_id = " + q.arg(cq.ArticleID))
	if cq.ParentID != 0 {
		q.and("c.parent_id = " + q.arg(cq.ParentID))
	} else {
		q.and("c.parent_id IS NULL")
	}
	var order string
	switch cq.Sort {
	case news.SortOldest:
		order = "c.created_at, c.id"
		if cq.After != nil {
			q.and("(c.created_at, c.id) > (" + q.arg(fromMicros(cq.After.Key)) + ", " + q.arg(cq.After.ID) + ")")
		}
	case news.SortLikes:
		order = "c.likes DESC, c.id DESC"
		if cq.After != nil {
			q.and("(c.likes, c.id) < (" + q.arg(cq.After.Key) + ", " + q.arg(cq.After.ID) + ")")
		}
	case news.SortNewest, "":
		order = "c.created_at DESC, c.id DESC"
		if cq.After != nil {
			q.and("(c.created_at, c.id) < (" + q.arg(fromMicros(cq.After.Key)) + ", " + q.arg(cq.After.ID) + ")")
		}
	default:
		return nil, nil, news.Errorf(news.EINVALID, "알 수 없는 정렬입니다: %s", cq.Sort)
	}
	limit := cq.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.pool.Query(ctx, `SELECT `+commentColumns+commentFrom+`
		WHERE `+strings.Join(q.where, " AND ")+` ORDER BY `+order+` LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("comments of article %d: %w", cq.ArticleID, err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Comment, error) { return scanComment(r) })
	if err != nil {
		return nil, nil, fmt.Errorf("comments of article %d: %w", cq.ArticleID, err)
	}
	var next *news.CommentPosition
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = &news.CommentPosition{Key: last.CreatedAt.UnixMicro(), ID: last.ID}
		if cq.Sort == news.SortLikes {
			next.Key = last.Likes
		}
	}
	return list, next, nil
}

func (s *Store) SetCommentState(ctx context.Context, id int64, state string) error {
	if !isCommentState(state) {
		return news.Errorf(news.EINVALID, "알 수 없는 댓글 상태입니다: %s", state)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// A comment never moves to another article, so its article can be
		// read unlocked and locked first, in the same order as CreateComment.
		var articleID int64
		err := tx.QueryRow(ctx, `SELECT article_id FROM comments WHERE id = $1`, id).Scan(&articleID)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("댓글")
		}
		if err != nil {
			return fmt.Errorf("set comment %d state: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR NO KEY UPDATE`, articleID); err != nil {
			return fmt.Errorf("set comment %d state: %w", id, err)
		}
		var old string
		var parentID int64
		err = tx.QueryRow(ctx, `SELECT state, coalesce(parent_id, 0) FROM comments WHERE id = $1 FOR NO KEY UPDATE`, id).
			Scan(&old, &parentID)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("댓글")
		}
		if err != nil {
			return fmt.Errorf("set comment %d state: %w", id, err)
		}
		if old == state {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE comments SET state = $2 WHERE id = $1`, id, state); err != nil {
			return fmt.Errorf("set comment %d state: %w", id, err)
		}
		switch {
		case old == news.CommentVisible:
			return adjustCommentCounts(ctx, tx, articleID, parentID, -1)
		case state == news.CommentVisible:
			return adjustCommentCounts(ctx, tx, articleID, parentID, 1)
		}
		return nil
	})
}

func (s *Store) VoteComment(ctx context.Context, commentID, accountID int64, kind string, on bool) (news.Comment, error) {
	var column string
	switch kind {
	case news.VoteLike:
		column = "likes"
	case news.VoteDislike:
		column = "dislikes"
	default:
		return news.Comment{}, news.Errorf(news.EINVALID, "알 수 없는 평가입니다.")
	}
	var c news.Comment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM comments WHERE id = $1)`, commentID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return notFound("댓글")
		}
		// The vote's primary key decides, under concurrency, whether this
		// call really added (or removed) a vote; only then does the count move.
		var sql string
		var delta int64
		if on {
			sql, delta = `INSERT INTO comment_votes (comment_id, account_id, kind) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, 1
		} else {
			sql, delta = `DELETE FROM comment_votes WHERE comment_id = $1 AND account_id = $2 AND kind = $3`, -1
		}
		tag, err := tx.Exec(ctx, sql, commentID, accountID, kind)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			if _, err := tx.Exec(ctx, `UPDATE comments SET `+column+` = `+column+` + $2 WHERE id = $1`, commentID, delta); err != nil {
				return err
			}
		}
		c, err = scanComment(tx.QueryRow(ctx, `SELECT `+commentColumns+commentFrom+` WHERE c.id = $1`, commentID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("댓글")
		}
		return err
	})
	if err != nil {
		if news.ErrorCode(err) != news.EINTERNAL {
			return news.Comment{}, err
		}
		return news.Comment{}, fmt.Errorf("vote on comment %d: %w", commentID, err)
	}
	return c, nil
}

func (s *Store) CommentsByAuthor(ctx context.Context, accountID int64, after *news.CommentPosition, limit int) ([]news.Comment, *news.CommentPosition, error) {
	var q query
	q.and("c.author_id = " + q.arg(accountID))
	q.and("c.state = 'visible'")
	if after != nil {
		q.and("(c.created_at, c.id) < (" + q.arg(fromMicros(after.Key)) + ", " + q.arg(after.ID) + ")")
	}
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.pool.Query(ctx, `SELECT `+commentColumns+`, a.headline`+commentFrom+`
		JOIN articles a ON a.id = c.article_id
		WHERE `+strings.Join(q.where, " AND ")+`
		ORDER BY c.created_at DESC, c.id DESC LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("comments by account %d: %w", accountID, err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Comment, error) {
		var headline string
		c, err := scanComment(r, &headline)
		c.ArticleHeadline = headline
		return c, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("comments by account %d: %w", accountID, err)
	}
	var next *news.CommentPosition
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = &news.CommentPosition{Key: last.CreatedAt.UnixMicro(), ID: last.ID}
	}
	return list, next, nil
}

func (s *Store) AccountStats(ctx context.Context, accountID int64) (news.AccountStats, error) {
	var st news.AccountStats
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(likes), 0)::bigint FROM comments
		WHERE author_id = $1 AND state = 'visible'`, accountID).Scan(&st.Comments, &st.LikesReceived)
	if err != nil {
		return news.AccountStats{}, fmt.Errorf("stats of account %d: %w", accountID, err)
	}
	return st, nil
}

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
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var kind string
		var n int64
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, err
		}
		counts[kind] = n
	}
	return counts, rows.Err()
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

// subscriptionTables names the table each subscription kind points into.
var subscriptionTables = map[string]string{
	news.TargetReporter: "reporters",
	news.TargetSection:  "sections",
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
