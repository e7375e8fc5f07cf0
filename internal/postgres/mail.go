package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

func newUnsubscribeKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// insertBody stores a mail body in tx and sets its id.
func insertBody(ctx context.Context, tx pgx.Tx, body *news.MailBody) error {
	return tx.QueryRow(ctx, `INSERT INTO mail_bodies (subject, html, text) VALUES ($1, $2, $3) RETURNING id`,
		body.Subject, body.HTML, body.Text).Scan(&body.ID)
}

// insertMail queues m in tx unless its dedupe key is taken or its address
// paused; reports whether it was queued.
func insertMail(ctx context.Context, tx pgx.Tx, bodyID int64, m news.OutMail) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO mail_outbox (body_id, kind, dedupe, account_id, to_addr, list, state, next_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6,
			CASE WHEN EXISTS (SELECT 1 FROM mail_addresses WHERE addr = lower($5) AND paused_at IS NOT NULL) THEN 'paused' ELSE 'queued' END,
			$7, $8)
		ON CONFLICT (dedupe) DO NOTHING`,
		bodyID, m.Kind, m.Dedupe, m.AccountID, m.To, m.List, m.NextAt, m.CreatedAt)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() > 0, nil
}

func setState(ctx context.Context, tx pgx.Tx, name, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO mail_state (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return err
}

func (s *Store) QueueMail(ctx context.Context, body *news.MailBody, msgs []news.OutMail, cursors map[string]string) (int, error) {
	queued := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		queued = 0
		if body != nil && len(msgs) > 0 {
			if err := insertBody(ctx, tx, body); err != nil {
				return err
			}
			for _, m := range msgs {
				ok, err := insertMail(ctx, tx, body.ID, m)
				if err != nil {
					return err
				}
				if ok {
					queued++
				}
			}
		}
		for name, value := range cursors {
			if err := setState(ctx, tx, name, value); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue mail: %w", err)
	}
	return queued, nil
}

func (s *Store) QueueNewsletter(ctx context.Context, body *news.MailBody, edition string, now time.Time) (int, error) {
	var queued int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := insertBody(ctx, tx, body); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO mail_outbox (body_id, kind, dedupe, account_id, to_addr, list, next_at, created_at)
			SELECT $1, 'newsletter', 'newsletter:' || $2::text || ':' || a.id, a.id, a.email, 'newsletter', $3, $3
			FROM mail_prefs p JOIN accounts a ON a.id = p.account_id
			WHERE p.newsletter AND a.deleted_at IS NULL AND a.email <> ''
				AND NOT EXISTS (SELECT 1 FROM mail_addresses m WHERE m.addr = lower(a.email) AND m.paused_at IS NOT NULL)
			ORDER BY a.id
			ON CONFLICT (dedupe) DO NOTHING`, body.ID, edition, now)
		if err != nil {
			return err
		}
		queued = tag.RowsAffected()
		return setState(ctx, tx, "newsletter_edition", edition)
	})
	if err != nil {
		return 0, fmt.Errorf("queue newsletter: %w", err)
	}
	return int(queued), nil
}

func (s *Store) MailState(ctx context.Context, name string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM mail_state WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("mail state %s: %w", name, err)
	}
	return v, nil
}

func (s *Store) CreateAccountWithMail(ctx context.Context, a *news.Account, tok news.MailToken, body *news.MailBody, msg news.OutMail) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.Email, a.DisplayName, a.PasswordHash, a.Role, a.CreatedAt).Scan(&a.ID); err != nil {
			return err
		}
		tok.AccountID, msg.AccountID = a.ID, a.ID
		return issueToken(ctx, tx, tok, body, msg)
	})
	if isUnique(err) {
		a.ID = 0
		return news.Errorf(news.EEMAILTAKEN, "이미 가입된 이메일입니다.")
	}
	if err != nil {
		a.ID = 0
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

func issueToken(ctx context.Context, tx pgx.Tx, tok news.MailToken, body *news.MailBody, msg news.OutMail) error {
	if _, err := tx.Exec(ctx, `INSERT INTO mail_tokens (token_hash, purpose, account_id, email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, tok.Hash, tok.Purpose, tok.AccountID, tok.Email, msg.CreatedAt, tok.ExpiresAt); err != nil {
		return err
	}
	if err := insertBody(ctx, tx, body); err != nil {
		return err
	}
	_, err := insertMail(ctx, tx, body.ID, msg)
	return err
}

func (s *Store) IssueMailToken(ctx context.Context, tok news.MailToken, body *news.MailBody, msg news.OutMail) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		return issueToken(ctx, tx, tok, body, msg)
	})
	if isForeignKey(err) {
		return notFound("회원")
	}
	if err != nil {
		return fmt.Errorf("issue mail token: %w", err)
	}
	return nil
}

func (s *Store) CountMailTokens(ctx context.Context, accountID int64, purpose string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM mail_tokens WHERE account_id = $1 AND purpose = $2 AND created_at > $3`,
		accountID, purpose, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count mail tokens: %w", err)
	}
	return n, nil
}

type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// liveToken reads an unused, unexpired token of a live account.
func liveToken(ctx context.Context, q rowQuerier, hash string, now time.Time, lock bool) (news.MailToken, error) {
	var t news.MailToken
	var used *time.Time
	query := `SELECT token_hash, purpose, account_id, email, expires_at, used_at FROM mail_tokens t
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
			AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id AND a.deleted_at IS NULL)`
	if lock {
		query += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, query, hash, now).Scan(&t.Hash, &t.Purpose, &t.AccountID, &t.Email, &t.ExpiresAt, &used)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.MailToken{}, notFound("링크")
	}
	t.UsedAt = fromNullTS(used)
	return t, err
}

func (s *Store) MailToken(ctx context.Context, hash string, now time.Time) (news.MailToken, error) {
	t, err := liveToken(ctx, s.pool, hash, now, false)
	if err != nil && !news.IsNotFound(err) {
		return t, fmt.Errorf("mail token: %w", err)
	}
	return t, err
}

func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// FOR UPDATE: two requests with one link, and only one resets.
		t, err := liveToken(ctx, tx, hash, now, true)
		if err != nil {
			return err
		}
		if t.Purpose != news.MailReset {
			return notFound("링크")
		}
		id = t.AccountID
		if _, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, passwordHash, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE account_id = $1`, id); err != nil {
			return err
		}
		// Every reset link of the account is spent, not only this one.
		_, err = tx.Exec(ctx, `UPDATE mail_tokens SET used_at = $1 WHERE account_id = $2 AND purpose = 'reset' AND used_at IS NULL`, now, id)
		return err
	})
	if err != nil && !news.IsNotFound(err) {
		return 0, fmt.Errorf("reset password: %w", err)
	}
	return id, err
}

func (s *Store) ConfirmMailToken(ctx context.Context, hash string, now time.Time, notice *news.MailBody, noticeMsg *news.OutMail) (news.MailToken, error) {
	var t news.MailToken
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if t, err = liveToken(ctx, tx, hash, now, true); err != nil {
			return err
		}
		if t.Purpose == news.MailEmailChange {
			if _, err := tx.Exec(ctx, `UPDATE accounts SET email = $1 WHERE id = $2`, t.Email, t.AccountID); err != nil {
				if isUnique(err) {
					return news.Errorf(news.EEMAILTAKEN, "이미 가입된 이메일입니다.")
				}
				return err
			}
			if notice != nil && noticeMsg != nil {
				if err := insertBody(ctx, tx, notice); err != nil {
					return err
				}
				if _, err := insertMail(ctx, tx, notice.ID, *noticeMsg); err != nil {
					return err
				}
			}
		} else {
			// A confirmation link confirms only the address it was sent to.
			var current string
			if err := tx.QueryRow(ctx, `SELECT email FROM accounts WHERE id = $1`, t.AccountID).Scan(&current); err != nil {
				return err
			}
			if !strings.EqualFold(current, t.Email) {
				return notFound("링크")
			}
		}
		if err := ensurePrefs(ctx, tx, t.AccountID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE mail_prefs SET confirmed_at = $1 WHERE account_id = $2`, now, t.AccountID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE mail_tokens SET used_at = $1 WHERE token_hash = $2`, now, hash)
		return err
	})
	if err != nil && news.ErrorCode(err) == news.EINTERNAL {
		return t, fmt.Errorf("confirm mail token: %w", err)
	}
	return t, err
}

func ensurePrefs(ctx context.Context, tx pgx.Tx, accountID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO mail_prefs (account_id, unsubscribe_key) VALUES ($1, $2)
		ON CONFLICT (account_id) DO NOTHING`, accountID, newUnsubscribeKey())
	return err
}

func (s *Store) MailPrefs(ctx context.Context, accountID int64) (news.MailPrefs, error) {
	p := news.MailPrefs{AccountID: accountID}
	var confirmed *time.Time
	read := func(q rowQuerier) error {
		return q.QueryRow(ctx, `SELECT confirmed_at, replies, follows, digest_min, newsletter, unsubscribe_key
			FROM mail_prefs WHERE account_id = $1`, accountID).Scan(&confirmed, &p.Replies, &p.Follows, &p.DigestMin, &p.Newsletter, &p.UnsubscribeKey)
	}
	err := read(s.pool)
	if errors.Is(err, pgx.ErrNoRows) {
		err = s.inTx(ctx, func(tx pgx.Tx) error {
			if err := ensurePrefs(ctx, tx, accountID); err != nil {
				return err
			}
			return read(tx)
		})
		if isForeignKey(err) {
			return p, notFound("회원")
		}
	}
	if err != nil {
		return p, fmt.Errorf("mail prefs %d: %w", accountID, err)
	}
	p.ConfirmedAt = fromNullTS(confirmed)
	return p, nil
}

func (s *Store) SaveMailPrefs(ctx context.Context, p news.MailPrefs) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := ensurePrefs(ctx, tx, p.AccountID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE mail_prefs SET replies = $1, follows = $2, digest_min = $3, newsletter = $4 WHERE account_id = $5`,
			p.Replies, p.Follows, p.DigestMin, p.Newsletter, p.AccountID)
		return err
	})
	if isForeignKey(err) {
		return notFound("회원")
	}
	if err != nil {
		return fmt.Errorf("save mail prefs %d: %w", p.AccountID, err)
	}
	return nil
}

// listColumn is the switch each list's unsubscribe link turns off.
var listColumn = map[string]string{
	news.ListReplies:    `replies = false`,
	news.ListFollows:    `follows = 'off'`,
	news.ListNewsletter: `newsletter = false`,
}

func (s *Store) Unsubscribe(ctx context.Context, key, list string) error {
	set, ok := listColumn[list]
	if !ok {
		return notFound("목록")
	}
	tag, err := s.pool.Exec(ctx, `UPDATE mail_prefs SET `+set+` WHERE unsubscribe_key = $1`, key)
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("수신 거부 링크")
	}
	return nil
}

func (s *Store) MailSettings(ctx context.Context) (news.MailSettings, error) {
	m := news.MailSettings{NewsletterMin: 7 * 60}
	rows, err := s.pool.Query(ctx, `SELECT name, value FROM mail_state WHERE name IN ('newsletter_on', 'newsletter_min', 'confirm_to_comment')`)
	if err != nil {
		return m, fmt.Errorf("mail settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return m, err
		}
		applySetting(&m, name, value)
	}
	return m, rows.Err()
}

func applySetting(m *news.MailSettings, name, value string) {
	switch name {
	case "newsletter_on":
		m.NewsletterOn = value == "1"
	case "newsletter_min":
		m.NewsletterMin, _ = strconv.Atoi(value)
	case "confirm_to_comment":
		m.ConfirmToComment = value == "1"
	}
}

func (s *Store) SaveMailSettings(ctx context.Context, m news.MailSettings) error {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	_, err := s.QueueMail(ctx, nil, nil, map[string]string{"newsletter_on": b(m.NewsletterOn),
		"newsletter_min": strconv.Itoa(m.NewsletterMin), "confirm_to_comment": b(m.ConfirmToComment)})
	return err
}

func (s *Store) AddressPaused(ctx context.Context, email string) (bool, error) {
	var paused bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mail_addresses WHERE addr = lower($1) AND paused_at IS NOT NULL)`, email).Scan(&paused)
	if err != nil {
		return false, fmt.Errorf("address paused: %w", err)
	}
	return paused, nil
}

func (s *Store) ClaimMailLease(ctx context.Context, holder string, now time.Time, ttl time.Duration) (bool, error) {
	var got string
	err := s.pool.QueryRow(ctx, `INSERT INTO mail_lease (name, holder, until_at) VALUES ('sender', $1, $2)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at
			WHERE mail_lease.holder = excluded.holder OR mail_lease.until_at < $3
		RETURNING holder`, holder, now.Add(ttl), now).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim mail lease: %w", err)
	}
	return got == holder, nil
}

func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) ([]news.OutMail, error) {
	rows, err := s.pool.Query(ctx, `SELECT o.id, o.body_id, o.kind, o.dedupe, o.account_id, o.to_addr, o.list, o.state,
			o.attempts, o.next_at, o.created_at, o.sent_at, o.last_error, b.subject, b.html, b.text, coalesce(p.unsubscribe_key, '')
		FROM mail_outbox o JOIN mail_bodies b ON b.id = o.body_id
		LEFT JOIN mail_prefs p ON p.account_id = o.account_id
		WHERE o.state IN ('queued', 'sending') AND o.next_at <= $1
		ORDER BY o.next_at, o.id LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due mail: %w", err)
	}
	return collect(rows, func(rows pgx.Rows) (news.OutMail, error) {
		var m news.OutMail
		var sent *time.Time
		err := rows.Scan(&m.ID, &m.BodyID, &m.Kind, &m.Dedupe, &m.AccountID, &m.To, &m.List, &m.State, &m.Attempts,
			&m.NextAt, &m.CreatedAt, &sent, &m.LastError, &m.Body.Subject, &m.Body.HTML, &m.Body.Text, &m.UnsubscribeKey)
		m.SentAt, m.Body.ID = fromNullTS(sent), m.BodyID
		m.NextAt, m.CreatedAt = m.NextAt.UTC(), m.CreatedAt.UTC()
		return m, err
	})
}

func (s *Store) MarkMailSending(ctx context.Context, ids []int64, retryAt time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, next_at = $1
		WHERE id = ANY($2)`, retryAt, ids)
	if err != nil {
		return fmt.Errorf("mark mail sending: %w", err)
	}
	return nil
}

func (s *Store) MarkMailSent(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE mail_outbox SET state = 'sent', sent_at = $1, last_error = '' WHERE id = ANY($2)`, at, ids); err != nil {
			return err
		}
		// A single-use link lives on only as its hash once delivered.
		_, err := tx.Exec(ctx, `UPDATE mail_bodies SET html = '', text = '' WHERE id IN (SELECT body_id FROM mail_outbox
			WHERE id = ANY($1) AND kind IN ('reset', 'confirm', 'email_change'))`, ids)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark mail sent: %w", err)
	}
	return nil
}

func (s *Store) MarkMailFailed(ctx context.Context, id int64, errText string, retryAt time.Time, final, permanent bool, pauseAfter int, now time.Time) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		state := news.MailQueued
		if final {
			state = news.MailFailed
		}
		var to string
		if err := tx.QueryRow(ctx, `UPDATE mail_outbox SET state = $1, next_at = $2, last_error = $3 WHERE id = $4 RETURNING to_addr`,
			state, retryAt, errText, id).Scan(&to); err != nil {
			return err
		}
		if !permanent {
			return nil
		}
		var failures int
		if err := tx.QueryRow(ctx, `INSERT INTO mail_addresses (addr, failures) VALUES (lower($1), 1)
			ON CONFLICT (addr) DO UPDATE SET failures = mail_addresses.failures + 1 RETURNING failures`, to).Scan(&failures); err != nil {
			return err
		}
		if failures < pauseAfter {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE mail_addresses SET paused_at = $1 WHERE addr = lower($2) AND paused_at IS NULL`, now, to); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE mail_outbox SET state = 'paused' WHERE lower(to_addr) = lower($1) AND state IN ('queued', 'sending') AND id <> $2`, to, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

func (s *Store) MailStats(ctx context.Context) (news.MailStats, error) {
	var st news.MailStats
	rows, err := s.pool.Query(ctx, `SELECT state, count(*) FROM mail_outbox GROUP BY state`)
	if err != nil {
		return st, fmt.Errorf("mail stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return st, err
		}
		switch state {
		case news.MailQueued:
			st.Queued = n
		case news.MailSending:
			st.Sending = n
		case news.MailSent:
			st.Sent = n
		case news.MailFailed:
			st.Failed = n
		case news.MailPaused:
			st.Paused = n
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	var oldest *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT min(created_at) FROM mail_outbox WHERE state IN ('queued', 'sending')`).Scan(&oldest); err != nil {
		return st, err
	}
	st.Oldest = fromNullTS(oldest)
	return st, nil
}

func (s *Store) RecentMail(ctx context.Context, state string, limit int) ([]news.OutMail, error) {
	rows, err := s.pool.Query(ctx, `SELECT o.id, o.kind, o.account_id, o.to_addr, o.list, o.state, o.attempts, o.next_at,
			o.created_at, o.sent_at, o.last_error, b.subject
		FROM mail_outbox o JOIN mail_bodies b ON b.id = o.body_id
		WHERE $1 = '' OR o.state = $1 ORDER BY o.id DESC LIMIT $2`, state, limit)
	if err != nil {
		return nil, fmt.Errorf("recent mail: %w", err)
	}
	return collect(rows, func(rows pgx.Rows) (news.OutMail, error) {
		var m news.OutMail
		var sent *time.Time
		err := rows.Scan(&m.ID, &m.Kind, &m.AccountID, &m.To, &m.List, &m.State, &m.Attempts, &m.NextAt, &m.CreatedAt, &sent, &m.LastError, &m.Body.Subject)
		m.SentAt = fromNullTS(sent)
		m.NextAt, m.CreatedAt = m.NextAt.UTC(), m.CreatedAt.UTC()
		return m, err
	})
}

func (s *Store) ReplyNotices(ctx context.Context, afterID int64, limit int) ([]news.ReplyNotice, int64, error) {
	if afterID >= 1<<62 {
		// Asked for the newest id only.
		var last int64
		err := s.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM comments`).Scan(&last)
		return nil, last, err
	}
	var maxID *int64
	if err := s.pool.QueryRow(ctx, `SELECT max(id) FROM (SELECT id FROM comments WHERE id > $1 ORDER BY id LIMIT $2) c`, afterID, limit).Scan(&maxID); err != nil {
		return nil, 0, fmt.Errorf("reply notices: %w", err)
	}
	if maxID == nil {
		return nil, afterID, nil
	}
	last := *maxID
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.article_id, ar.headline, ra.display_name, r.body, p.body, pa.id, pa.email, mp.unsubscribe_key
		FROM comments r
		JOIN comments p ON p.id = r.parent_id
		JOIN accounts pa ON pa.id = p.author_id AND pa.deleted_at IS NULL
		JOIN accounts ra ON ra.id = r.author_id
		JOIN mail_prefs mp ON mp.account_id = pa.id AND mp.replies
		JOIN articles ar ON ar.id = r.article_id
		WHERE r.id > $1 AND r.id <= $2 AND r.parent_id IS NOT NULL AND r.state = 'visible' AND r.author_id <> p.author_id
		ORDER BY r.id`, afterID, last)
	if err != nil {
		return nil, 0, fmt.Errorf("reply notices: %w", err)
	}
	out, err := collect(rows, func(rows pgx.Rows) (news.ReplyNotice, error) {
		var n news.ReplyNotice
		err := rows.Scan(&n.ReplyID, &n.ArticleID, &n.Headline, &n.ReplyAuthor, &n.ReplyBody, &n.ParentBody, &n.RecipientID, &n.RecipientTo, &n.RecipientKey)
		return n, err
	})
	return out, last, err
}

func scanRecipient(rows pgx.Rows) (news.Recipient, error) {
	var r news.Recipient
	err := rows.Scan(&r.AccountID, &r.Email)
	return r, err
}

func (s *Store) FollowRecipients(ctx context.Context, mode string, reporterIDs []int64, sectionID int64) ([]news.Recipient, error) {
	if reporterIDs == nil {
		reporterIDs = []int64{}
	}
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.email FROM accounts a JOIN mail_prefs p ON p.account_id = a.id
		WHERE p.follows = $1 AND a.deleted_at IS NULL AND a.email <> '' AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id
			AND ((s.kind = 'reporter' AND s.target_id = ANY($2)) OR (s.kind = 'section' AND s.target_id = $3)))
		ORDER BY a.id`, mode, reporterIDs, sectionID)
	if err != nil {
		return nil, fmt.Errorf("follow recipients: %w", err)
	}
	return collect(rows, scanRecipient)
}

func (s *Store) DigestRecipients(ctx context.Context, date string, minute int, since, upTo time.Time) ([]news.Recipient, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.email FROM accounts a JOIN mail_prefs p ON p.account_id = a.id
		WHERE p.follows = 'digest' AND p.digest_min <= $1 AND a.deleted_at IS NULL AND a.email <> ''
			AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.dedupe = 'digest:' || $2::text || ':' || a.id)
			AND EXISTS (SELECT 1 FROM articles ar WHERE ar.state = 'published' AND ar.published_at > $3 AND ar.published_at <= $4
				AND (ar.section_id IN (SELECT target_id FROM subscriptions WHERE account_id = a.id AND kind = 'section')
					OR ar.id IN (SELECT b.article_id FROM bylines b JOIN subscriptions su
						ON su.kind = 'reporter' AND su.target_id = b.reporter_id WHERE su.account_id = a.id)))
		ORDER BY a.id LIMIT 1000`, minute, date, since, upTo)
	if err != nil {
		return nil, fmt.Errorf("digest recipients: %w", err)
	}
	return collect(rows, scanRecipient)
}

func (s *Store) PublishedBetween(ctx context.Context, after, upTo time.Time, limit int) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM articles WHERE state = 'published' AND published_at > $1 AND published_at <= $2
		ORDER BY published_at, id LIMIT $3`, after, upTo, limit)
	if err != nil {
		return nil, fmt.Errorf("published between: %w", err)
	}
	return collect(rows, func(rows pgx.Rows) (int64, error) {
		var id int64
		err := rows.Scan(&id)
		return id, err
	})
}
