package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

func newUnsubscribeKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// insertBody stores a mail body in tx and sets its id.
func insertBody(ctx context.Context, tx *sql.Tx, body *news.MailBody) error {
	return tx.QueryRowContext(ctx, `INSERT INTO mail_bodies (subject, html, text) VALUES (?, ?, ?) RETURNING id`,
		body.Subject, body.HTML, body.Text).Scan(&body.ID)
}

// insertMail queues m in tx unless its dedupe key is taken or its address
// paused; reports whether it was queued.
func insertMail(ctx context.Context, tx *sql.Tx, bodyID int64, m news.OutMail) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (body_id, kind, dedupe, account_id, to_addr, list, state, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?,
			CASE WHEN EXISTS (SELECT 1 FROM mail_addresses WHERE addr = lower(?) AND paused_at > 0) THEN 'paused' ELSE 'queued' END,
			?, ?)
		ON CONFLICT (dedupe) DO NOTHING`,
		bodyID, m.Kind, m.Dedupe, m.AccountID, m.To, m.List, m.To, micros(m.NextAt), micros(m.CreatedAt))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func setState(ctx context.Context, tx *sql.Tx, name, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_state (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return err
}

func (s *Store) QueueMail(ctx context.Context, body *news.MailBody, msgs []news.OutMail, cursors map[string]string) (int, error) {
	queued := 0
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
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
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := insertBody(ctx, tx, body); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (body_id, kind, dedupe, account_id, to_addr, list, next_at, created_at)
			SELECT ?, 'newsletter', 'newsletter:' || ? || ':' || a.id, a.id, a.email, 'newsletter', ?, ?
			FROM mail_prefs p JOIN accounts a ON a.id = p.account_id
			WHERE p.newsletter = 1 AND a.deleted_at = 0 AND a.email <> ''
				AND NOT EXISTS (SELECT 1 FROM mail_addresses m WHERE m.addr = lower(a.email) AND m.paused_at > 0)
			ORDER BY a.id
			ON CONFLICT (dedupe) DO NOTHING`, body.ID, edition, micros(now), micros(now))
		if err != nil {
			return err
		}
		if queued, err = res.RowsAffected(); err != nil {
			return err
		}
		return setState(ctx, tx, "newsletter_edition", edition)
	})
	if err != nil {
		return 0, fmt.Errorf("queue newsletter: %w", err)
	}
	return int(queued), nil
}

func (s *Store) MailState(ctx context.Context, name string) (string, error) {
	var v string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM mail_state WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("mail state %s: %w", name, err)
	}
	return v, nil
}

func (s *Store) CreateAccountWithMail(ctx context.Context, a *news.Account, tok news.MailToken, body *news.MailBody, msg news.OutMail) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			a.Email, a.DisplayName, a.PasswordHash, a.Role, micros(a.CreatedAt)).Scan(&a.ID); err != nil {
			return err
		}
		tok.AccountID, msg.AccountID = a.ID, a.ID
		return issueToken(ctx, tx, tok, body, msg)
	})
	if isConstraint(err) {
		a.ID = 0
		return news.Errorf(news.EEMAILTAKEN, "이미 가입된 이메일입니다.")
	}
	if err != nil {
		a.ID = 0
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

func issueToken(ctx context.Context, tx *sql.Tx, tok news.MailToken, body *news.MailBody, msg news.OutMail) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_tokens (token_hash, purpose, account_id, email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tok.Hash, tok.Purpose, tok.AccountID, tok.Email, micros(msg.CreatedAt), micros(tok.ExpiresAt)); err != nil {
		return err
	}
	if err := insertBody(ctx, tx, body); err != nil {
		return err
	}
	_, err := insertMail(ctx, tx, body.ID, msg)
	return err
}

func (s *Store) IssueMailToken(ctx context.Context, tok news.MailToken, body *news.MailBody, msg news.OutMail) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
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
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM mail_tokens WHERE account_id = ? AND purpose = ? AND created_at > ?`,
		accountID, purpose, micros(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count mail tokens: %w", err)
	}
	return n, nil
}

func scanToken(row rowScanner) (news.MailToken, error) {
	var t news.MailToken
	var exp, used int64
	err := row.Scan(&t.Hash, &t.Purpose, &t.AccountID, &t.Email, &exp, &used)
	t.ExpiresAt, t.UsedAt = fromMicros(exp), fromMicros(used)
	return t, err
}

const tokenColumns = `token_hash, purpose, account_id, email, expires_at, used_at`

// liveToken reads an unused, unexpired token of a live account.
func liveToken(ctx context.Context, q querier, hash string, now time.Time) (news.MailToken, error) {
	t, err := scanToken(q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM mail_tokens t
		WHERE token_hash = ? AND used_at = 0 AND expires_at > ?
			AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id AND a.deleted_at = 0)`, hash, micros(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return news.MailToken{}, notFound("링크")
	}
	return t, err
}

func (s *Store) MailToken(ctx context.Context, hash string, now time.Time) (news.MailToken, error) {
	t, err := liveToken(ctx, s.read, hash, now)
	if err != nil && !news.IsNotFound(err) {
		return t, fmt.Errorf("mail token: %w", err)
	}
	return t, err
}

func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		t, err := liveToken(ctx, tx, hash, now)
		if err != nil {
			return err
		}
		if t.Purpose != news.MailReset {
			return notFound("링크")
		}
		id = t.AccountID
		for _, q := range []string{
			`UPDATE accounts SET password_hash = ? WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, passwordHash, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, id); err != nil {
			return err
		}
		// Every reset link of the account is spent, not only this one.
		_, err = tx.ExecContext(ctx, `UPDATE mail_tokens SET used_at = ? WHERE account_id = ? AND purpose = 'reset' AND used_at = 0`, micros(now), id)
		return err
	})
	if err != nil && !news.IsNotFound(err) {
		return 0, fmt.Errorf("reset password: %w", err)
	}
	return id, err
}

func (s *Store) ConfirmMailToken(ctx context.Context, hash string, now time.Time, notice *news.MailBody, noticeMsg *news.OutMail) (news.MailToken, error) {
	var t news.MailToken
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if t, err = liveToken(ctx, tx, hash, now); err != nil {
			return err
		}
		if t.Purpose == news.MailEmailChange {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET email = ? WHERE id = ?`, t.Email, t.AccountID); err != nil {
				if isConstraint(err) {
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
			if err := tx.QueryRowContext(ctx, `SELECT email FROM accounts WHERE id = ?`, t.AccountID).Scan(&current); err != nil {
				return err
			}
			if !strings.EqualFold(current, t.Email) {
				return notFound("링크")
			}
		}
		if err := ensurePrefs(ctx, tx, t.AccountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mail_prefs SET confirmed_at = ? WHERE account_id = ?`, micros(now), t.AccountID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE mail_tokens SET used_at = ? WHERE token_hash = ?`, micros(now), hash)
		return err
	})
	if err != nil && news.ErrorCode(err) == news.EINTERNAL {
		return t, fmt.Errorf("confirm mail token: %w", err)
	}
	return t, err
}

func ensurePrefs(ctx context.Context, tx *sql.Tx, accountID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_prefs (account_id, unsubscribe_key) VALUES (?, ?)
		ON CONFLICT (account_id) DO NOTHING`, accountID, newUnsubscribeKey())
	return err
}

func (s *Store) MailPrefs(ctx context.Context, accountID int64) (news.MailPrefs, error) {
	p := news.MailPrefs{AccountID: accountID}
	var confirmed int64
	read := func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT confirmed_at, replies, follows, digest_min, newsletter, unsubscribe_key
			FROM mail_prefs WHERE account_id = ?`, accountID).Scan(&confirmed, &p.Replies, &p.Follows, &p.DigestMin, &p.Newsletter, &p.UnsubscribeKey)
	}
	err := read(s.read)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
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
	p.ConfirmedAt = fromMicros(confirmed)
	return p, nil
}

func (s *Store) SaveMailPrefs(ctx context.Context, p news.MailPrefs) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := ensurePrefs(ctx, tx, p.AccountID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE mail_prefs SET replies = ?, follows = ?, digest_min = ?, newsletter = ? WHERE account_id = ?`,
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
	news.ListReplies:    `replies = 0`,
	news.ListFollows:    `follows = 'off'`,
	news.ListNewsletter: `newsletter = 0`,
}

func (s *Store) Unsubscribe(ctx context.Context, key, list string) error {
	set, ok := listColumn[list]
	if !ok {
		return notFound("목록")
	}
	res, err := s.write.ExecContext(ctx, `UPDATE mail_prefs SET `+set+` WHERE unsubscribe_key = ?`, key)
	if err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	return changedRow(res, notFound("수신 거부 링크"))
}

func (s *Store) MailSettings(ctx context.Context) (news.MailSettings, error) {
	m := news.MailSettings{NewsletterMin: 7 * 60}
	rows, err := s.read.QueryContext(ctx, `SELECT name, value FROM mail_state WHERE name IN ('newsletter_on', 'newsletter_min', 'confirm_to_comment')`)
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

func settingValues(m news.MailSettings) map[string]string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	return map[string]string{"newsletter_on": b(m.NewsletterOn), "newsletter_min": strconv.Itoa(m.NewsletterMin), "confirm_to_comment": b(m.ConfirmToComment)}
}

func (s *Store) SaveMailSettings(ctx context.Context, m news.MailSettings) error {
	_, err := s.QueueMail(ctx, nil, nil, settingValues(m))
	return err
}

func (s *Store) AddressPaused(ctx context.Context, email string) (bool, error) {
	ok, err := exists(ctx, s.read, `SELECT 1 FROM mail_addresses WHERE addr = lower(?) AND paused_at > 0`, email)
	if err != nil {
		return false, fmt.Errorf("address paused: %w", err)
	}
	return ok, nil
}

func (s *Store) ClaimMailLease(ctx context.Context, holder string, now time.Time, ttl time.Duration) (bool, error) {
	var got string
	err := s.write.QueryRowContext(ctx, `INSERT INTO mail_lease (name, holder, until_at) VALUES ('sender', ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at
			WHERE mail_lease.holder = excluded.holder OR mail_lease.until_at < ?
		RETURNING holder`, holder, micros(now.Add(ttl)), micros(now)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim mail lease: %w", err)
	}
	return got == holder, nil
}

func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) ([]news.OutMail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT o.id, o.body_id, o.kind, o.dedupe, o.account_id, o.to_addr, o.list, o.state,
			o.attempts, o.next_at, o.created_at, o.sent_at, o.last_error, b.subject, b.html, b.text, coalesce(p.unsubscribe_key, '')
		FROM mail_outbox o JOIN mail_bodies b ON b.id = o.body_id
		LEFT JOIN mail_prefs p ON p.account_id = o.account_id
		WHERE o.state IN ('queued', 'sending') AND o.next_at <= ?
		ORDER BY o.next_at, o.id LIMIT ?`, micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due mail: %w", err)
	}
	defer rows.Close()
	var out []news.OutMail
	for rows.Next() {
		var m news.OutMail
		var next, created, sent int64
		if err := rows.Scan(&m.ID, &m.BodyID, &m.Kind, &m.Dedupe, &m.AccountID, &m.To, &m.List, &m.State, &m.Attempts,
			&next, &created, &sent, &m.LastError, &m.Body.Subject, &m.Body.HTML, &m.Body.Text, &m.UnsubscribeKey); err != nil {
			return nil, err
		}
		m.NextAt, m.CreatedAt, m.SentAt = fromMicros(next), fromMicros(created), fromMicros(sent)
		m.Body.ID = m.BodyID
		out = append(out, m)
	}
	return out, rows.Err()
}

// idList writes ids as a SQL list; they are numbers, never text.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func (s *Store) MarkMailSending(ctx context.Context, ids []int64, retryAt time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.write.ExecContext(ctx, `UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, next_at = ?
		WHERE id IN (`+idList(ids)+`)`, micros(retryAt))
	if err != nil {
		return fmt.Errorf("mark mail sending: %w", err)
	}
	return nil
}

func (s *Store) MarkMailSent(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET state = 'sent', sent_at = ?, last_error = ''
			WHERE id IN (`+idList(ids)+`)`, micros(at)); err != nil {
			return err
		}
		// A single-use link lives on only as its hash once delivered.
		_, err := tx.ExecContext(ctx, `UPDATE mail_bodies SET html = '', text = '' WHERE id IN (SELECT body_id FROM mail_outbox
			WHERE id IN (`+idList(ids)+`) AND kind IN ('reset', 'confirm', 'email_change'))`)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark mail sent: %w", err)
	}
	return nil
}

func (s *Store) MarkMailFailed(ctx context.Context, id int64, errText string, retryAt time.Time, final, permanent bool, pauseAfter int, now time.Time) error {
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		state := news.MailQueued
		if final {
			state = news.MailFailed
		}
		var to string
		if err := tx.QueryRowContext(ctx, `UPDATE mail_outbox SET state = ?, next_at = ?, last_error = ? WHERE id = ? RETURNING to_addr`,
			state, micros(retryAt), errText, id).Scan(&to); err != nil {
			return err
		}
		if !permanent {
			return nil
		}
		var failures int
		if err := tx.QueryRowContext(ctx, `INSERT INTO mail_addresses (addr, failures) VALUES (lower(?), 1)
			ON CONFLICT (addr) DO UPDATE SET failures = mail_addresses.failures + 1 RETURNING failures`, to).Scan(&failures); err != nil {
			return err
		}
		if failures < pauseAfter {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mail_addresses SET paused_at = ? WHERE addr = lower(?) AND paused_at = 0`, micros(now), to); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET state = 'paused' WHERE lower(to_addr) = lower(?) AND state IN ('queued', 'sending') AND id <> ?`, to, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

func (s *Store) MailStats(ctx context.Context) (news.MailStats, error) {
	var st news.MailStats
	rows, err := s.read.QueryContext(ctx, `SELECT state, count(*) FROM mail_outbox GROUP BY state`)
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
	var oldest sql.NullInt64
	if err := s.read.QueryRowContext(ctx, `SELECT min(created_at) FROM mail_outbox WHERE state IN ('queued', 'sending')`).Scan(&oldest); err != nil {
		return st, err
	}
	st.Oldest = fromMicros(oldest.Int64)
	return st, nil
}

func (s *Store) RecentMail(ctx context.Context, state string, limit int) ([]news.OutMail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT o.id, o.kind, o.account_id, o.to_addr, o.list, o.state, o.attempts, o.next_at,
			o.created_at, o.sent_at, o.last_error, b.subject
		FROM mail_outbox o JOIN mail_bodies b ON b.id = o.body_id
		WHERE ? = '' OR o.state = ? ORDER BY o.id DESC LIMIT ?`, state, state, limit)
	if err != nil {
		return nil, fmt.Errorf("recent mail: %w", err)
	}
	defer rows.Close()
	var out []news.OutMail
	for rows.Next() {
		var m news.OutMail
		var next, created, sent int64
		if err := rows.Scan(&m.ID, &m.Kind, &m.AccountID, &m.To, &m.List, &m.State, &m.Attempts, &next, &created, &sent, &m.LastError, &m.Body.Subject); err != nil {
			return nil, err
		}
		m.NextAt, m.CreatedAt, m.SentAt = fromMicros(next), fromMicros(created), fromMicros(sent)
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) ReplyNotices(ctx context.Context, afterID int64, limit int) ([]news.ReplyNotice, int64, error) {
	last := afterID
	if afterID >= 1<<62 {
		// Asked for the newest id only.
		err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM comments`).Scan(&last)
		return nil, last, err
	}
	var maxID sql.NullInt64
	if err := s.read.QueryRowContext(ctx, `SELECT max(id) FROM (SELECT id FROM comments WHERE id > ? ORDER BY id LIMIT ?)`, afterID, limit).Scan(&maxID); err != nil {
		return nil, 0, fmt.Errorf("reply notices: %w", err)
	}
	if !maxID.Valid {
		return nil, afterID, nil
	}
	last = maxID.Int64
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.article_id, ar.headline, ra.display_name, r.body, p.body, pa.id, pa.email, mp.unsubscribe_key
		FROM comments r
		JOIN comments p ON p.id = r.parent_id
		JOIN accounts pa ON pa.id = p.author_id AND pa.deleted_at = 0
		JOIN accounts ra ON ra.id = r.author_id
		JOIN mail_prefs mp ON mp.account_id = pa.id AND mp.replies = 1
		JOIN articles ar ON ar.id = r.article_id
		WHERE r.id > ? AND r.id <= ? AND r.parent_id <> 0 AND r.state = 'visible' AND r.author_id <> p.author_id
		ORDER BY r.id`, afterID, last)
	if err != nil {
		return nil, 0, fmt.Errorf("reply notices: %w", err)
	}
	defer rows.Close()
	var out []news.ReplyNotice
	for rows.Next() {
		var n news.ReplyNotice
		if err := rows.Scan(&n.ReplyID, &n.ArticleID, &n.Headline, &n.ReplyAuthor, &n.ReplyBody, &n.ParentBody, &n.RecipientID, &n.RecipientTo, &n.RecipientKey); err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, last, rows.Err()
}

func (s *Store) FollowRecipients(ctx context.Context, mode string, reporterIDs []int64, sectionID int64) ([]news.Recipient, error) {
	reporters := idList(reporterIDs)
	if reporters == "" {
		reporters = "0"
	}
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.email FROM accounts a JOIN mail_prefs p ON p.account_id = a.id
		WHERE p.follows = ? AND a.deleted_at = 0 AND a.email <> '' AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id
			AND ((s.kind = 'reporter' AND s.target_id IN (`+reporters+`)) OR (s.kind = 'section' AND s.target_id = ?)))
		ORDER BY a.id`, mode, sectionID)
	if err != nil {
		return nil, fmt.Errorf("follow recipients: %w", err)
	}
	return scanRecipients(rows)
}

func scanRecipients(rows *sql.Rows) ([]news.Recipient, error) {
	defer rows.Close()
	var out []news.Recipient
	for rows.Next() {
		var r news.Recipient
		if err := rows.Scan(&r.AccountID, &r.Email); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) DigestRecipients(ctx context.Context, date string, minute int, since, upTo time.Time) ([]news.Recipient, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.email FROM accounts a JOIN mail_prefs p ON p.account_id = a.id
		WHERE p.follows = 'digest' AND p.digest_min <= ? AND a.deleted_at = 0 AND a.email <> ''
			AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.dedupe = 'digest:' || ? || ':' || a.id)
			AND EXISTS (SELECT 1 FROM articles ar WHERE ar.state = 'published' AND ar.published_at > ? AND ar.published_at <= ?
				AND (ar.section_id IN (SELECT target_id FROM subscriptions WHERE account_id = a.id AND kind = 'section')
					OR ar.id IN (SELECT b.article_id FROM bylines b JOIN subscriptions su
						ON su.kind = 'reporter' AND su.target_id = b.reporter_id WHERE su.account_id = a.id)))
		ORDER BY a.id LIMIT 1000`, minute, date, micros(since), micros(upTo))
	if err != nil {
		return nil, fmt.Errorf("digest recipients: %w", err)
	}
	return scanRecipients(rows)
}

func (s *Store) PublishedBetween(ctx context.Context, after, upTo time.Time, limit int) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM articles WHERE state = 'published' AND published_at > ? AND published_at <= ?
		ORDER BY published_at, id LIMIT ?`, micros(after), micros(upTo), limit)
	if err != nil {
		return nil, fmt.Errorf("published between: %w", err)
	}
	return scanIDs(rows)
}
