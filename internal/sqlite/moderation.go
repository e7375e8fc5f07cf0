package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"jikji/internal/news"
)

func audit(ctx context.Context, tx *sql.Tx, e news.AuditEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, action, target_kind, target_id, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, e.ActorID, e.Action, e.TargetKind, e.TargetID, e.Reason, micros(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func (s *Store) ReportComment(ctx context.Context, r *news.Report) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ok, err := exists(ctx, tx, `SELECT 1 FROM comments WHERE id = ?`, r.CommentID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("댓글")
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO comment_reports (comment_id, account_id, reason, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`, r.CommentID, r.AccountID, r.Reason, micros(r.CreatedAt)).Scan(&r.ID)
		if isConstraint(err) {
			return news.Errorf(news.ECONFLICT, "이미 신고한 댓글입니다.")
		}
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 회원입니다.")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("report comment %d: %w", r.CommentID, err)
	}
	return nil
}

func (s *Store) ModerationQueue(ctx context.Context, order string, offset, limit int) ([]news.QueueItem, error) {
	orderBy := "c.created_at DESC, c.id DESC"
	if order == news.QueueReports {
		orderBy = "reports DESC, last_report DESC, c.id DESC"
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.read.QueryContext(ctx, `WITH open AS (
			SELECT comment_id, count(*) AS n, max(created_at) AS last, group_concat(reason, char(31)) AS reasons
			FROM comment_reports WHERE resolved_at = 0 GROUP BY comment_id)
		SELECT `+commentColumns+`, a.headline, coalesce(o.n, 0) AS reports, coalesce(o.last, 0) AS last_report, coalesce(o.reasons, '')
		`+commentFrom+` JOIN articles a ON a.id = c.article_id LEFT JOIN open o ON o.comment_id = c.id
		WHERE c.state = 'pending' OR (o.n > 0 AND c.state IN ('visible', 'hidden'))
		ORDER BY `+orderBy+` LIMIT ? OFFSET ?`, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	defer rows.Close()
	var list []news.QueueItem
	for rows.Next() {
		var it news.QueueItem
		var last int64
		var reasons string
		c, err := scanComment(extraScanner{rows, []any{&it.ArticleHeadline, &it.Reports, &last, &reasons}})
		if err != nil {
			return nil, fmt.Errorf("moderation queue: %w", err)
		}
		it.Comment = c
		it.LastReportedAt = fromMicros(last)
		if reasons != "" {
			it.Reasons = strings.Split(reasons, "\x1f")
		}
		list = append(list, it)
	}
	return list, rows.Err()
}

// setCommentState is SetCommentState inside a caller's transaction.
func setCommentState(ctx context.Context, tx *sql.Tx, id int64, state string) error {
	var old string
	var articleID, parentID int64
	err := tx.QueryRowContext(ctx, `SELECT state, article_id, parent_id FROM comments WHERE id = ?`, id).
		Scan(&old, &articleID, &parentID)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("댓글")
	}
	if err != nil || old == state {
		return err
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
}

func (s *Store) ModerateComment(ctx context.Context, commentID int64, state string, e news.AuditEntry) error {
	if !isCommentState(state) {
		return news.Errorf(news.EINVALID, "알 수 없는 댓글 상태입니다: %s", state)
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := setCommentState(ctx, tx, commentID, state); err != nil {
			return err
		}
		at := e.CreatedAt
		if at.IsZero() {
			at = time.Now()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comment_reports SET resolved_at = ? WHERE comment_id = ? AND resolved_at = 0`,
			micros(at), commentID); err != nil {
			return err
		}
		return audit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("moderate comment %d: %w", commentID, err)
	}
	return nil
}

func (s *Store) SetSanction(ctx context.Context, sn news.Sanction, e news.AuditEntry) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ok, err := exists(ctx, tx, `SELECT 1 FROM accounts WHERE id = ?`, sn.AccountID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("회원")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sanctions (account_id, ban, until, reason, by_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET
			ban = excluded.ban, until = excluded.until, reason = excluded.reason, by_id = excluded.by_id, created_at = excluded.created_at`,
			sn.AccountID, sn.Ban, micros(sn.Until), sn.Reason, sn.ByID, micros(sn.CreatedAt)); err != nil {
			return err
		}
		return audit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("sanction account %d: %w", sn.AccountID, err)
	}
	return nil
}

const sanctionColumns = `account_id, ban, until, reason, by_id, created_at`

func scanSanction(row rowScanner) (news.Sanction, error) {
	var sn news.Sanction
	var until, created int64
	if err := row.Scan(&sn.AccountID, &sn.Ban, &until, &sn.Reason, &sn.ByID, &created); err != nil {
		return news.Sanction{}, err
	}
	sn.Until, sn.CreatedAt = fromMicros(until), fromMicros(created)
	return sn, nil
}

func (s *Store) Sanction(ctx context.Context, accountID int64) (news.Sanction, error) {
	sn, err := scanSanction(s.read.QueryRowContext(ctx, `SELECT `+sanctionColumns+` FROM sanctions WHERE account_id = ?`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Sanction{}, notFound("제재")
	}
	if err != nil {
		return news.Sanction{}, fmt.Errorf("sanction of account %d: %w", accountID, err)
	}
	return sn, nil
}

func (s *Store) Sanctions(ctx context.Context, now time.Time) ([]news.Sanction, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+sanctionColumns+` FROM sanctions
		WHERE ban OR until > ? ORDER BY created_at DESC, account_id DESC`, micros(now))
	if err != nil {
		return nil, fmt.Errorf("sanctions: %w", err)
	}
	defer rows.Close()
	var list []news.Sanction
	for rows.Next() {
		sn, err := scanSanction(rows)
		if err != nil {
			return nil, fmt.Errorf("sanctions: %w", err)
		}
		list = append(list, sn)
	}
	return list, rows.Err()
}

func (s *Store) BannedWords(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT word FROM banned_words ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("banned words: %w", err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, fmt.Errorf("banned words: %w", err)
		}
		words = append(words, w)
	}
	return words, rows.Err()
}

func (s *Store) SetBannedWords(ctx context.Context, words []string, e news.AuditEntry) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM banned_words`); err != nil {
			return err
		}
		for i, w := range words {
			if _, err := tx.ExecContext(ctx, `INSERT INTO banned_words (position, word) VALUES (?, ?)`, i+1, w); err != nil {
				return err
			}
		}
		return audit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("set banned words: %w", err)
	}
	return nil
}

func (s *Store) CommentMode(ctx context.Context, articleID int64) (string, error) {
	var mode string
	err := s.read.QueryRowContext(ctx, `SELECT mode FROM comment_modes WHERE article_id = ?`, articleID).Scan(&mode)
	if errors.Is(err, sql.ErrNoRows) {
		return news.CommentModeOpen, nil
	}
	if err != nil {
		return "", fmt.Errorf("comment mode of article %d: %w", articleID, err)
	}
	return mode, nil
}

func (s *Store) SetCommentMode(ctx context.Context, articleID int64, mode string, e news.AuditEntry) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ok, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE id = ?`, articleID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("기사")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO comment_modes (article_id, mode) VALUES (?, ?)
			ON CONFLICT (article_id) DO UPDATE SET mode = excluded.mode`, articleID, mode); err != nil {
			return err
		}
		return audit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("set comment mode of article %d: %w", articleID, err)
	}
	return nil
}

const takedownColumns = `t.id, t.target_kind, t.target_id, t.claimant, t.claim, t.state, t.decision,
	t.created_at, t.until, t.decided_at, t.by_id, coalesce(u.display_name, '')`

const takedownFrom = ` FROM takedowns t LEFT JOIN accounts u ON u.id = t.by_id`

func scanTakedown(row rowScanner) (news.Takedown, error) {
	var t news.Takedown
	var created, until, decided int64
	if err := row.Scan(&t.ID, &t.TargetKind, &t.TargetID, &t.Claimant, &t.Claim, &t.State, &t.Decision,
		&created, &until, &decided, &t.ByID, &t.ByName); err != nil {
		return news.Takedown{}, err
	}
	t.CreatedAt, t.Until, t.DecidedAt = fromMicros(created), fromMicros(until), fromMicros(decided)
	return t, nil
}

func (s *Store) CreateTakedown(ctx context.Context, t *news.Takedown, e news.AuditEntry) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		switch t.TargetKind {
		case news.TargetArticle:
			ok, err := exists(ctx, tx, `SELECT 1 FROM articles WHERE id = ?`, t.TargetID)
			if err != nil {
				return err
			}
			if !ok {
				return notFound("기사")
			}
		case news.TargetComment:
			if err := setCommentState(ctx, tx, t.TargetID, news.CommentHidden); err != nil {
				return err
			}
		default:
			return news.Errorf(news.EINVALID, "임시조치 대상은 기사나 댓글입니다.")
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO takedowns (target_kind, target_id, claimant, claim, state, created_at, until, by_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.TargetKind, t.TargetID, t.Claimant, t.Claim, t.State,
			micros(t.CreatedAt), micros(t.Until), t.ByID).Scan(&t.ID)
		if err != nil {
			return err
		}
		if t.TargetKind == news.TargetArticle {
			// Out of search results in the same transaction.
			if err := reindexArticle(ctx, tx, t.TargetID); err != nil {
				return err
			}
		}
		e.TargetKind, e.TargetID = t.TargetKind, t.TargetID
		return audit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("create takedown: %w", err)
	}
	return nil
}

func (s *Store) DecideTakedown(ctx context.Context, id int64, state, decision string, at time.Time, e news.AuditEntry) (news.Takedown, error) {
	var t news.Takedown
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		t, err = scanTakedown(tx.QueryRowContext(ctx, `SELECT `+takedownColumns+takedownFrom+` WHERE t.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("임시조치")
		}
		if err != nil {
			return err
		}
		if t.State != news.TakedownActive {
			return news.Errorf(news.ECONFLICT, "이미 결정된 임시조치입니다.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE takedowns SET state = ?, decision = ?, decided_at = ? WHERE id = ?`,
			state, decision, micros(at), id); err != nil {
			return err
		}
		if t.TargetKind == news.TargetComment && state == news.TakedownRestored {
			if err := setCommentState(ctx, tx, t.TargetID, news.CommentVisible); err != nil && !news.IsNotFound(err) {
				return err
			}
		}
		if t.TargetKind == news.TargetArticle {
			if err := reindexArticle(ctx, tx, t.TargetID); err != nil {
				return err
			}
		}
		t.State, t.Decision, t.DecidedAt = state, decision, at.UTC()
		e.TargetKind, e.TargetID = t.TargetKind, t.TargetID
		return audit(ctx, tx, e)
	})
	if err != nil {
		return news.Takedown{}, fmt.Errorf("decide takedown %d: %w", id, err)
	}
	return t, nil
}

func (s *Store) Takedown(ctx context.Context, id int64) (news.Takedown, error) {
	t, err := scanTakedown(s.read.QueryRowContext(ctx, `SELECT `+takedownColumns+takedownFrom+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Takedown{}, notFound("임시조치")
	}
	if err != nil {
		return news.Takedown{}, fmt.Errorf("takedown %d: %w", id, err)
	}
	return t, nil
}

func (s *Store) Takedowns(ctx context.Context, limit int) ([]news.Takedown, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+takedownColumns+takedownFrom+` ORDER BY t.id DESC LIMIT ?`, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("takedowns: %w", err)
	}
	defer rows.Close()
	var list []news.Takedown
	for rows.Next() {
		t, err := scanTakedown(rows)
		if err != nil {
			return nil, fmt.Errorf("takedowns: %w", err)
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

func (s *Store) ArticlesTakenDown(ctx context.Context) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT target_id FROM takedowns
		WHERE target_kind = 'article' AND state IN ('active', 'removed') ORDER BY target_id`)
	if err != nil {
		return nil, fmt.Errorf("articles taken down: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *Store) AuditLog(ctx context.Context, before int64, limit int) ([]news.AuditEntry, error) {
	query := `SELECT l.id, l.actor_id, coalesce(u.display_name, ''), l.action, l.target_kind, l.target_id, l.reason, l.created_at
		FROM audit_log l LEFT JOIN accounts u ON u.id = l.actor_id`
	var args []any
	if before > 0 {
		query += ` WHERE l.id < ?`
		args = append(args, before)
	}
	query += ` ORDER BY l.id DESC LIMIT ?`
	args = append(args, pageLimit(limit))
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var list []news.AuditEntry
	for rows.Next() {
		var e news.AuditEntry
		var created int64
		if err := rows.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.Action, &e.TargetKind, &e.TargetID, &e.Reason, &created); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.CreatedAt = fromMicros(created)
		list = append(list, e)
	}
	return list, rows.Err()
}

func (s *Store) CountComments(ctx context.Context, accountID, articleID int64, since time.Time) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE author_id = ? AND created_at >= ? AND article_id = ?`,
		accountID, micros(since), articleID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count comments: %w", err)
	}
	return n, nil
}
