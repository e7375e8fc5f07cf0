package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

func audit(ctx context.Context, tx pgx.Tx, e news.AuditEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now()
	}
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (actor_id, action, target_kind, target_id, reason, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.ActorID, e.Action, e.TargetKind, e.TargetID, e.Reason, e.CreatedAt)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

func (s *Store) ReportComment(ctx context.Context, r *news.Report) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO comment_reports (comment_id, account_id, reason, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, r.CommentID, r.AccountID, r.Reason, r.CreatedAt).Scan(&r.ID)
	switch {
	case isUnique(err):
		return news.Errorf(news.ECONFLICT, "이미 신고한 댓글입니다.")
	case isForeignKey(err):
		if _, cerr := s.Comment(ctx, r.CommentID); news.IsNotFound(cerr) {
			return notFound("댓글")
		}
		return news.Errorf(news.EINVALID, "없는 회원입니다.")
	case err != nil:
		return fmt.Errorf("report comment %d: %w", r.CommentID, err)
	}
	return nil
}

func (s *Store) ModerationQueue(ctx context.Context, order string, offset, limit int) ([]news.QueueItem, error) {
	orderBy := "c.created_at DESC, c.id DESC"
	if order == news.QueueReports {
		orderBy = "reports DESC, last_report DESC NULLS LAST, c.id DESC"
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.pool.Query(ctx, `WITH open AS (
			SELECT comment_id, count(*) AS n, max(created_at) AS last, array_agg(reason ORDER BY id) AS reasons
			FROM comment_reports WHERE resolved_at IS NULL GROUP BY comment_id)
		SELECT `+commentColumns+`, a.headline, coalesce(o.n, 0) AS reports, o.last AS last_report, coalesce(o.reasons, '{}')
		`+commentFrom+` JOIN articles a ON a.id = c.article_id LEFT JOIN open o ON o.comment_id = c.id
		WHERE c.state = 'pending' OR (o.n > 0 AND c.state IN ('visible', 'hidden'))
		ORDER BY `+orderBy+` LIMIT $1 OFFSET $2`, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.QueueItem, error) {
		var it news.QueueItem
		var last *time.Time
		c, err := scanComment(r, &it.ArticleHeadline, &it.Reports, &last, &it.Reasons)
		it.Comment = c
		it.LastReportedAt = fromNullTS(last)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	return list, nil
}

// setCommentState is SetCommentState inside a caller's transaction, locking
// the article before the comment as CreateComment does.
func setCommentState(ctx context.Context, tx pgx.Tx, id int64, state string) error {
	var articleID int64
	err := tx.QueryRow(ctx, `SELECT article_id FROM comments WHERE id = $1`, id).Scan(&articleID)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("댓글")
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR NO KEY UPDATE`, articleID); err != nil {
		return err
	}
	var old string
	var parentID int64
	if err := tx.QueryRow(ctx, `SELECT state, coalesce(parent_id, 0) FROM comments WHERE id = $1 FOR NO KEY UPDATE`, id).
		Scan(&old, &parentID); err != nil {
		return err
	}
	if old == state {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET state = $2 WHERE id = $1`, id, state); err != nil {
		return err
	}
	switch {
	case old == news.CommentVisible:
		return adjustCommentCounts(ctx, tx, articleID, parentID, -1)
	case state == news.CommentVisible:
		return adjustCommentCounts(ctx, tx, articleID, parentID, 1)
	}
	return nil
}

func (s *Store) ModerateComment(ctx context.Context, commentID int64, state string, e news.AuditEntry) error {
	if !isCommentState(state) {
		return news.Errorf(news.EINVALID, "알 수 없는 댓글 상태입니다: %s", state)
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := setCommentState(ctx, tx, commentID, state); err != nil {
			return err
		}
		at := e.CreatedAt
		if at.IsZero() {
			at = now()
		}
		if _, err := tx.Exec(ctx, `UPDATE comment_reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL`,
			at, commentID); err != nil {
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO sanctions (account_id, ban, until, reason, by_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id) DO UPDATE SET
			ban = excluded.ban, until = excluded.until, reason = excluded.reason, by_id = excluded.by_id, created_at = excluded.created_at`,
			sn.AccountID, sn.Ban, nullTS(sn.Until), sn.Reason, sn.ByID, sn.CreatedAt)
		if isForeignKey(err) {
			return notFound("회원")
		}
		if err != nil {
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

func scanSanction(row pgx.Row) (news.Sanction, error) {
	var sn news.Sanction
	var until *time.Time
	if err := row.Scan(&sn.AccountID, &sn.Ban, &until, &sn.Reason, &sn.ByID, &sn.CreatedAt); err != nil {
		return news.Sanction{}, err
	}
	sn.Until = fromNullTS(until)
	return sn, nil
}

func (s *Store) Sanction(ctx context.Context, accountID int64) (news.Sanction, error) {
	sn, err := scanSanction(s.pool.QueryRow(ctx, `SELECT `+sanctionColumns+` FROM sanctions WHERE account_id = $1`, accountID))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Sanction{}, notFound("제재")
	}
	if err != nil {
		return news.Sanction{}, fmt.Errorf("sanction of account %d: %w", accountID, err)
	}
	return sn, nil
}

func (s *Store) Sanctions(ctx context.Context, at time.Time) ([]news.Sanction, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sanctionColumns+` FROM sanctions
		WHERE ban OR until > $1 ORDER BY created_at DESC, account_id DESC`, at)
	if err != nil {
		return nil, fmt.Errorf("sanctions: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Sanction, error) { return scanSanction(r) })
	if err != nil {
		return nil, fmt.Errorf("sanctions: %w", err)
	}
	return list, nil
}

func (s *Store) BannedWords(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT word FROM banned_words ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("banned words: %w", err)
	}
	words, err := collect(rows, func(r pgx.Rows) (string, error) {
		var w string
		return w, r.Scan(&w)
	})
	if err != nil {
		return nil, fmt.Errorf("banned words: %w", err)
	}
	return words, nil
}

func (s *Store) SetBannedWords(ctx context.Context, words []string, e news.AuditEntry) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM banned_words`); err != nil {
			return err
		}
		for i, w := range words {
			if _, err := tx.Exec(ctx, `INSERT INTO banned_words (position, word) VALUES ($1, $2)`, i+1, w); err != nil {
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
	err := s.pool.QueryRow(ctx, `SELECT mode FROM comment_modes WHERE article_id = $1`, articleID).Scan(&mode)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.CommentModeOpen, nil
	}
	if err != nil {
		return "", fmt.Errorf("comment mode of article %d: %w", articleID, err)
	}
	return mode, nil
}

func (s *Store) SetCommentMode(ctx context.Context, articleID int64, mode string, e news.AuditEntry) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO comment_modes (article_id, mode) VALUES ($1, $2)
			ON CONFLICT (article_id) DO UPDATE SET mode = excluded.mode`, articleID, mode)
		if isForeignKey(err) {
			return notFound("기사")
		}
		if err != nil {
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

func scanTakedown(row pgx.Row) (news.Takedown, error) {
	var t news.Takedown
	var decided *time.Time
	if err := row.Scan(&t.ID, &t.TargetKind, &t.TargetID, &t.Claimant, &t.Claim, &t.State, &t.Decision,
		&t.CreatedAt, &t.Until, &decided, &t.ByID, &t.ByName); err != nil {
		return news.Takedown{}, err
	}
	t.DecidedAt = fromNullTS(decided)
	return t, nil
}

func (s *Store) CreateTakedown(ctx context.Context, t *news.Takedown, e news.AuditEntry) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		switch t.TargetKind {
		case news.TargetArticle:
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE id = $1)`, t.TargetID).Scan(&ok); err != nil {
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
		if err := tx.QueryRow(ctx, `INSERT INTO takedowns (target_kind, target_id, claimant, claim, state, created_at, until, by_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, t.TargetKind, t.TargetID, t.Claimant, t.Claim, t.State,
			t.CreatedAt, t.Until, t.ByID).Scan(&t.ID); err != nil {
			return err
		}
		if t.TargetKind == news.TargetArticle {
			// In or out of search results in the same transaction.
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = scanTakedown(tx.QueryRow(ctx, `SELECT `+takedownColumns+takedownFrom+` WHERE t.id = $1 FOR UPDATE OF t`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("임시조치")
		}
		if err != nil {
			return err
		}
		if t.State != news.TakedownActive {
			return news.Errorf(news.ECONFLICT, "이미 결정된 임시조치입니다.")
		}
		if _, err := tx.Exec(ctx, `UPDATE takedowns SET state = $2, decision = $3, decided_at = $4 WHERE id = $1`,
			id, state, decision, at); err != nil {
			return err
		}
		if t.TargetKind == news.TargetComment && state == news.TakedownRestored {
			if err := setCommentState(ctx, tx, t.TargetID, news.CommentVisible); err != nil && !news.IsNotFound(err) {
				return err
			}
		}
		t.State, t.Decision, t.DecidedAt = state, decision, at.UTC()
		if t.TargetKind == news.TargetArticle {
			// In or out of search results in the same transaction.
			if err := reindexArticle(ctx, tx, t.TargetID); err != nil {
				return err
			}
		}
		e.TargetKind, e.TargetID = t.TargetKind, t.TargetID
		return audit(ctx, tx, e)
	})
	if err != nil {
		return news.Takedown{}, fmt.Errorf("decide takedown %d: %w", id, err)
	}
	return t, nil
}

func (s *Store) Takedown(ctx context.Context, id int64) (news.Takedown, error) {
	t, err := scanTakedown(s.pool.QueryRow(ctx, `SELECT `+takedownColumns+takedownFrom+` WHERE t.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Takedown{}, notFound("임시조치")
	}
	if err != nil {
		return news.Takedown{}, fmt.Errorf("takedown %d: %w", id, err)
	}
	return t, nil
}

func (s *Store) Takedowns(ctx context.Context, limit int) ([]news.Takedown, error) {
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.pool.Query(ctx, `SELECT `+takedownColumns+takedownFrom+` ORDER BY t.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("takedowns: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Takedown, error) { return scanTakedown(r) })
	if err != nil {
		return nil, fmt.Errorf("takedowns: %w", err)
	}
	return list, nil
}

func (s *Store) ArticlesTakenDown(ctx context.Context) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT target_id FROM takedowns
		WHERE target_kind = 'article' AND state IN ('active', 'removed') ORDER BY target_id`)
	if err != nil {
		return nil, fmt.Errorf("articles taken down: %w", err)
	}
	ids, err := collect(rows, func(r pgx.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("articles taken down: %w", err)
	}
	return ids, nil
}

func (s *Store) AuditLog(ctx context.Context, before int64, limit int) ([]news.AuditEntry, error) {
	if limit <= 0 {
		limit = 20
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.pool.Query(ctx, `SELECT l.id, l.actor_id, coalesce(u.display_name, ''), l.action, l.target_kind, l.target_id, l.reason, l.created_at
		FROM audit_log l LEFT JOIN accounts u ON u.id = l.actor_id WHERE l.id < $1 ORDER BY l.id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.AuditEntry, error) {
		var e news.AuditEntry
		err := r.Scan(&e.ID, &e.ActorID, &e.ActorName, &e.Action, &e.TargetKind, &e.TargetID, &e.Reason, &e.CreatedAt)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return list, nil
}

func (s *Store) CountComments(ctx context.Context, accountID, articleID int64, since time.Time) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM comments WHERE author_id = $1 AND article_id = $2 AND created_at >= $3`,
		accountID, articleID, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count comments: %w", err)
	}
	return n, nil
}
