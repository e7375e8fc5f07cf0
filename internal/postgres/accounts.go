package postgres

import (
	"context"
	"errors"
	"fmt"
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
	return s.sessionAccount(ctx, tokenHash, now, false)
}

// sessionAccount reads the account of a live session: signed in, or with
// pending, waiting for its second factor.
func (s *Store) sessionAccount(ctx context.Context, tokenHash string, now time.Time, pending bool) (news.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT a.id, a.email, a.display_name, a.password_hash, a.role,
		a.created_at, a.deleted_at, a.two_factor
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.pending = $3 AND a.deleted_at IS NULL`, tokenHash, now, pending))
	if errors.Is(err, pgx.ErrNoRows) {
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
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
