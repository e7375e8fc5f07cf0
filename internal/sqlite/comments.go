package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

// deletedAuthor names the author of a comment whose account was deleted.
const deletedAuthor = "탈퇴한 회원"

const commentColumns = `c.id, c.article_id, c.parent_id, c.author_id,
	CASE WHEN u.deleted_at = 0 THEN u.display_name ELSE '` + deletedAuthor + `' END,
	c.body, c.state, c.likes, c.dislikes, c.reply_count, c.created_at, u.role = 'imported'`

const commentFrom = ` FROM comments c JOIN accounts u ON u.id = c.author_id`

func scanComment(row rowScanner) (news.Comment, error) {
	var c news.Comment
	var created int64
	err := row.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.AuthorID, &c.AuthorName, &c.Body, &c.State,
		&c.Likes, &c.Dislikes, &c.ReplyCount, &created, &c.AuthorImported)
	if err != nil {
		return news.Comment{}, err
	}
	c.CreatedAt = fromMicros(created)
	return c, nil
}

// extraScanner scans the row's leading columns with the caller's
// destinations and the trailing ones into extra.
type extraScanner struct {
	row   rowScanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

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
		c.CreatedAt = time.Now()
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ok, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE id = ?`, c.ArticleID)
		if err != nil {
			return err
		}
		if !ok {
			return news.Errorf(news.EINVALID, "없는 기사입니다.")
		}
		if c.ParentID != 0 {
			ok, err := exists(ctx, tx, `SELECT 1 FROM comments WHERE id = ? AND article_id = ?`, c.ParentID, c.ArticleID)
			if err != nil {
				return err
			}
			if !ok {
				return news.Errorf(news.EINVALID, "답글을 달 댓글이 없습니다.")
			}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO comments (article_id, parent_id, author_id, body, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ArticleID, c.ParentID, c.AuthorID, c.Body, c.State, micros(c.CreatedAt)).Scan(&c.ID)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		if err != nil {
			return err
		}
		if c.State == news.CommentVisible {
			return countComment(ctx, tx, c.ArticleID, c.ParentID, +1)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create comment: %w", err)
	}
	return nil
}

// countComment adds delta to the article's comment count and the parent's
// reply count, for a comment becoming visible (+1) or not (-1).
func countComment(ctx context.Context, tx *sql.Tx, articleID, parentID, delta int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET comment_count = comment_count + ? WHERE id = ?`, delta, articleID); err != nil {
		return err
	}
	if parentID != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET reply_count = reply_count + ? WHERE id = ?`, delta, parentID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) Comment(ctx context.Context, id int64) (news.Comment, error) {
	c, err := comment(ctx, s.read, id)
	if err != nil {
		return news.Comment{}, fmt.Errorf("comment %d: %w", id, err)
	}
	return c, nil
}

func comment(ctx context.Context, q querier, id int64) (news.Comment, error) {
	c, err := scanComment(q.QueryRowContext(ctx, `SELECT `+commentColumns+commentFrom+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Comment{}, notFound("댓글")
	}
	return c, err
}

// commentOrders holds, per sort, the ORDER BY clause, the keyset condition
// continuing after a position, and the sort key of a comment.
var commentOrders = map[string]struct {
	orderBy, after string
	key            func(news.Comment) int64
}{
	news.SortNewest: {"c.created_at DESC, c.id DESC", "(c.created_at, c.id) < (?, ?)",
		func(c news.Comment) int64 { return micros(c.CreatedAt) }},
	news.SortOldest: {"c.created_at, c.id", "(c.created_at, c.id) > (?, ?)",
		func(c news.Comment) int64 { return micros(c.CreatedAt) }},
	news.SortLikes: {"c.likes DESC, c.id DESC", "(c.likes, c.id) < (?, ?)",
		func(c news.Comment) int64 { return c.Likes }},
}

func (s *Store) Comments(ctx context.Context, q news.CommentQuery) ([]news.Comment, *news.CommentPosition, error) {
	sort := q.Sort
	if sort == "" {
		sort = news.SortNewest
	}
	order, ok := commentOrders[sort]
	if !ok {
		return nil, nil, news.Errorf(news.EINVALID, "알 수 없는 정렬입니다: %s", q.Sort)
	}
	query := `SELECT ` + commentColumns + commentFrom + ` WHERE c.article_id = ? AND c.parent_id = ?`
	args := []any{q.ArticleID, q.ParentID}
	if q.After != nil {
		query += ` AND ` + order.after
		args = append(args, q.After.Key, q.After.ID)
	}
	limit := pageLimit(q.Limit)
	query += ` ORDER BY ` + order.orderBy + ` LIMIT ?`
	args = append(args, limit+1)
	list, err := queryComments(ctx, s.read, query, args, false)
	if err != nil {
		return nil, nil, fmt.Errorf("comments of article %d: %w", q.ArticleID, err)
	}
	list, next := commentPage(list, limit, order.key)
	return list, next, nil
}

// pageLimit returns the page size to use for a requested limit.
func pageLimit(limit int) int {
	if limit <= 0 {
		return 20
	}
	return limit
}

// commentPage trims a list read with limit+1 rows to limit and returns the
// position after its last comment, or nil if nothing follows.
func commentPage(list []news.Comment, limit int, key func(news.Comment) int64) ([]news.Comment, *news.CommentPosition) {
	if len(list) <= limit {
		return list, nil
	}
	list = list[:limit]
	last := list[limit-1]
	return list, &news.CommentPosition{Key: key(last), ID: last.ID}
}

// queryComments reads rows of commentColumns, followed by the article's
// headline when withHeadline is set.
func queryComments(ctx context.Context, q querier, query string, args []any, withHeadline bool) ([]news.Comment, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []news.Comment
	for rows.Next() {
		var (
			c        news.Comment
			headline string
		)
		if withHeadline {
			c, err = scanComment(extraScanner{rows, []any{&headline}})
			c.ArticleHeadline = headline
		} else {
			c, err = scanComment(rows)
		}
		if err != nil {
			return nil, err
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

func (s *Store) SetCommentState(ctx context.Context, id int64, state string) error {
	if !isCommentState(state) {
		return news.Errorf(news.EINVALID, "알 수 없는 댓글 상태입니다: %s", state)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var old string
		var articleID, parentID int64
		err := tx.QueryRowContext(ctx, `SELECT state, article_id, parent_id FROM comments WHERE id = ?`, id).
			Scan(&old, &articleID, &parentID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("댓글")
		}
		if err != nil {
			return err
		}
		if old == state {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET state = ? WHERE id = ?`, state, id); err != nil {
			return err
		}
		switch {
		case state == news.CommentVisible:
			return countComment(ctx, tx, articleID, parentID, +1)
		case old == news.CommentVisible:
			return countComment(ctx, tx, articleID, parentID, -1)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set state of comment %d: %w", id, err)
	}
	return nil
}

func (s *Store) VoteComment(ctx context.Context, commentID, accountID int64, kind string, on bool) (news.Comment, error) {
	var column string
	switch kind {
	case news.VoteLike:
		column = "likes"
	case news.VoteDislike:
		column = "dislikes"
	default:
		return news.Comment{}, news.Errorf(news.EINVALID, "알 수 없는 평가입니다: %s", kind)
	}
	var c news.Comment
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ok, err := exists(ctx, tx, `SELECT 1 FROM comments WHERE id = ?`, commentID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("댓글")
		}
		var res sql.Result
		if on {
			res, err = tx.ExecContext(ctx, `INSERT INTO comment_votes (comment_id, account_id, kind) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, commentID, accountID, kind)
		} else {
			res, err = tx.ExecContext(ctx, `DELETE FROM comment_votes WHERE comment_id = ? AND account_id = ? AND kind = ?`,
				commentID, accountID, kind)
		}
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		if err != nil {
			return err
		}
		// Only a vote actually added or removed moves the count.
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 1 {
			delta := 1
			if !on {
				delta = -1
			}
			if _, err := tx.ExecContext(ctx, `UPDATE comments SET `+column+` = `+column+` + ? WHERE id = ?`, delta, commentID); err != nil {
				return err
			}
		}
		c, err = comment(ctx, tx, commentID)
		return err
	})
	if err != nil {
		return news.Comment{}, fmt.Errorf("vote on comment %d: %w", commentID, err)
	}
	return c, nil
}

func (s *Store) CommentsByAuthor(ctx context.Context, accountID int64, after *news.CommentPosition, limit int) ([]news.Comment, *news.CommentPosition, error) {
	order := commentOrders[news.SortNewest]
	query := `SELECT ` + commentColumns + `, a.headline` + commentFrom + ` JOIN articles a ON a.id = c.article_id
		WHERE c.author_id = ? AND c.state = 'visible'`
	args := []any{accountID}
	if after != nil {
		query += ` AND ` + order.after
		args = append(args, after.Key, after.ID)
	}
	limit = pageLimit(limit)
	query += ` ORDER BY ` + order.orderBy + ` LIMIT ?`
	args = append(args, limit+1)
	list, err := queryComments(ctx, s.read, query, args, true)
	if err != nil {
		return nil, nil, fmt.Errorf("comments by account %d: %w", accountID, err)
	}
	list, next := commentPage(list, limit, order.key)
	return list, next, nil
}

func (s *Store) AccountStats(ctx context.Context, accountID int64) (news.AccountStats, error) {
	var st news.AccountStats
	err := s.read.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(likes), 0) FROM comments
		WHERE author_id = ? AND state = 'visible'`, accountID).Scan(&st.Comments, &st.LikesReceived)
	if err != nil {
		return news.AccountStats{}, fmt.Errorf("stats of account %d: %w", accountID, err)
	}
	return st, nil
}
