package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

// querier is what both *sql.DB and *sql.Tx offer, so a read can run inside
// the write transaction that needs it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// changedRow returns missing when a write changed no row, as when what it
// was to change does not exist or no longer qualifies.
func changedRow(res sql.Result, missing error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return missing
	}
	return nil
}

// exists reports whether the query returns a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

const accountColumns = `a.id, a.email, a.display_name, a.password_hash, a.role, a.created_at, a.deleted_at, a.two_factor`

func scanAccount(row rowScanner) (news.Account, error) {
	var a news.Account
	var created, deleted int64
	if err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.Role, &created, &deleted, &a.TwoFactor); err != nil {
		return news.Account{}, err
	}
	a.CreatedAt = fromMicros(created)
	a.DeletedAt = fromMicros(deleted)
	return a, nil
}

func (s *Store) CreateAccount(ctx context.Context, a *news.Account) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now()
	}
	err := s.write.QueryRowContext(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		a.Email, a.DisplayName, a.PasswordHash, a.Role, micros(a.CreatedAt)).Scan(&a.ID)
	if isConstraint(err) {
		return news.Errorf(news.EEMAILTAKEN, "이미 가입된 이메일입니다.")
	}
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

func (s *Store) Account(ctx context.Context, id int64) (news.Account, error) {
	a, err := scanAccount(s.read.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Account{}, notFound("회원")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("account %d: %w", id, err)
	}
	return a, nil
}

func (s *Store) AccountByEmail(ctx context.Context, email string) (news.Account, error) {
	a, err := scanAccount(s.read.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a
		WHERE lower(a.email) = lower(?) AND a.deleted_at = 0 AND a.role <> 'imported'`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Account{}, notFound("회원")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("account by email: %w", err)
	}
	return a, nil
}

func (s *Store) SetAccountRole(ctx context.Context, id int64, role string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE accounts SET role = ? WHERE id = ? AND deleted_at = 0`, role, id)
	if err != nil {
		return fmt.Errorf("set role of account %d: %w", id, err)
	}
	return changedRow(res, notFound("회원"))
}

func (s *Store) DeleteAccount(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		at = time.Now() // deleted_at 0 would mean live
	}
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// Deleting twice keeps the first time.
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET email = '', display_name = '', password_hash = '',
			deleted_at = CASE WHEN deleted_at = 0 THEN ? ELSE deleted_at END WHERE id = ?`, micros(at), id)
		if err != nil {
			return err
		}
		if err := changedRow(res, notFound("회원")); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM sessions WHERE account_id = ?`,
			`DELETE FROM bookmarks WHERE account_id = ?`,
			`DELETE FROM subscriptions WHERE account_id = ?`,
			`DELETE FROM two_factor WHERE account_id = ?`,
			`DELETE FROM recovery_codes WHERE account_id = ?`,
			`DELETE FROM identities WHERE account_id = ?`,
			`DELETE FROM pending_identities WHERE account_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete account %d: %w", id, err)
	}
	return nil
}

func (s *Store) CreateSession(ctx context.Context, sess news.Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sessions (token_hash, account_id, created_at, expires_at, user_agent, last_seen_at, pending)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, sess.TokenHash, sess.AccountID, micros(sess.CreatedAt), micros(sess.ExpiresAt),
		sess.UserAgent, micros(sess.LastSeenAt), sess.Pending)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 회원입니다.")
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func (s *Store) SessionAccount(ctx context.Context, tokenHash string, now time.Time) (news.Account, error) {
	return s.sessionAccount(ctx, tokenHash, now, false)
}

// sessionAccount reads the account of a live session: signed in, or with
// pending, waiting for its second factor.
func (s *Store) sessionAccount(ctx context.Context, tokenHash string, now time.Time, pending bool) (news.Account, error) {
	a, err := scanAccount(s.read.QueryRowContext(ctx, `SELECT `+accountColumns+`
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND s.pending = ? AND a.deleted_at = 0`, tokenHash, micros(now), pending))
	if errors.Is(err, sql.ErrNoRows) {
		if pending {
			return news.Account{}, notFound("로그인")
		}
		return news.Account{}, notFound("세션")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("session account (pending %v): %w", pending, err)
	}
	return a, nil
}

func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
