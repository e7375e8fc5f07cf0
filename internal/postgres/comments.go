package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

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

// commentColumns reads a comment aliased c with its author aliased u.
const commentColumns = `c.id, c.article_id, coalesce(c.parent_id, 0), c.author_id,
	CASE WHEN u.deleted_at IS NULL THEN u.display_name ELSE '` + deletedName + `' END,
	c.body, c.state, c.likes, c.dislikes, c.reply_count, c.created_at, u.role = 'imported'`

const commentFrom = ` FROM comments c JOIN accounts u ON u.id = c.author_id`
