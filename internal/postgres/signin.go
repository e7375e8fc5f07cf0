package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

func (s *Store) TwoFactor(ctx context.Context, accountID int64) (news.TwoFactor, error) {
	tf := news.TwoFactor{AccountID: accountID}
	var confirmed *time.Time
	err := s.pool.QueryRow(ctx, `SELECT secret, confirmed_at, last_step FROM two_factor WHERE account_id = $1`, accountID).
		Scan(&tf.Secret, &confirmed, &tf.LastStep)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.TwoFactor{}, notFound("2단계 인증 설정")
	}
	if err != nil {
		return news.TwoFactor{}, fmt.Errorf("two-factor of account %d: %w", accountID, err)
	}
	tf.ConfirmedAt = fromNullTS(confirmed)
	return tf, nil
}

func (s *Store) BeginTwoFactor(ctx context.Context, accountID int64, secret string, codeHashes []string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// The account's row is locked so two setups at once cannot mix.
		var confirmed bool
		err := tx.QueryRow(ctx, `SELECT two_factor FROM accounts WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, accountID).Scan(&confirmed)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("회원")
		}
		if err != nil {
			return fmt.Errorf("begin two-factor: %w", err)
		}
		if confirmed {
			return news.Errorf(news.ECONFLICT, "2단계 인증이 이미 켜져 있습니다.")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO two_factor (account_id, secret) VALUES ($1, $2)
			ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, last_step = 0, confirmed_at = NULL`, accountID, secret); err != nil {
			return fmt.Errorf("begin two-factor: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID); err != nil {
			return fmt.Errorf("recovery codes: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::text[])`, accountID, codeHashes); err != nil {
			return fmt.Errorf("recovery codes: %w", err)
		}
		return nil
	})
}

func (s *Store) ConfirmTwoFactor(ctx context.Context, accountID int64, step int64, e news.AuditEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now()
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE two_factor SET confirmed_at = $2, last_step = $3 WHERE account_id = $1 AND confirmed_at IS NULL`,
			accountID, e.CreatedAt, step)
		if err != nil {
			return fmt.Errorf("confirm two-factor: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("2단계 인증 설정")
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET two_factor = true WHERE id = $1`, accountID); err != nil {
			return fmt.Errorf("confirm two-factor: %w", err)
		}
		return audit(ctx, tx, e)
	})
}

func (s *Store) UseTOTPStep(ctx context.Context, accountID int64, step int64) error {
	tag, err := s.pool.Exec(ctx, `UPDATE two_factor SET last_step = $2 WHERE account_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2`,
		accountID, step)
	if err != nil {
		return fmt.Errorf("use one-time code: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return news.Errorf(news.ECONFLICT, "이미 사용한 인증 코드입니다.")
	}
	return nil
}

func (s *Store) UseRecoveryCode(ctx context.Context, accountID int64, codeHash string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL`,
		accountID, codeHash, at)
	if err != nil {
		return fmt.Errorf("use recovery code: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("복구 코드")
	}
	return nil
}

func (s *Store) ResetTwoFactor(ctx context.Context, accountID int64, e news.AuditEntry) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE accounts SET two_factor = false WHERE id = $1`, accountID)
		if err != nil {
			return fmt.Errorf("reset two-factor: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("회원")
		}
		for _, table := range []string{"two_factor", "recovery_codes", "sessions"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE account_id = $1`, accountID); err != nil {
				return fmt.Errorf("reset two-factor: %s: %w", table, err)
			}
		}
		return audit(ctx, tx, e)
	})
}

func (s *Store) AccountSessions(ctx context.Context, accountID int64, at time.Time) ([]news.Session, error) {
	rows, err := s.pool.Query(ctx, `SELECT token_hash, created_at, expires_at, user_agent, coalesce(last_seen_at, created_at)
		FROM sessions WHERE account_id = $1 AND expires_at > $2 AND NOT pending
		ORDER BY coalesce(last_seen_at, created_at) DESC, token_hash`, accountID, at)
	if err != nil {
		return nil, fmt.Errorf("sessions of account %d: %w", accountID, err)
	}
	return collect(rows, func(r pgx.Rows) (news.Session, error) {
		sess := news.Session{AccountID: accountID}
		err := r.Scan(&sess.TokenHash, &sess.CreatedAt, &sess.ExpiresAt, &sess.UserAgent, &sess.LastSeenAt)
		sess.CreatedAt, sess.ExpiresAt, sess.LastSeenAt = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC(), sess.LastSeenAt.UTC()
		return sess, err
	})
}

func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1
		AND (last_seen_at IS NULL OR last_seen_at < $2)`, tokenHash, at); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

func (s *Store) DeleteSessions(ctx context.Context, accountID int64, except string) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2`, accountID, except)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of account %d: %w", accountID, err)
	}
	return tag.RowsAffected(), nil
}

func (s *Store) PendingSessionAccount(ctx context.Context, tokenHash string, at time.Time) (news.Account, error) {
	return s.sessionAccount(ctx, tokenHash, at, true)
}

func (s *Store) RecordAudit(ctx context.Context, e news.AuditEntry) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return audit(ctx, tx, e) })
}

func (s *Store) IdentityAccount(ctx context.Context, provider, subject string) (news.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT a.id, a.email, a.display_name, a.password_hash, a.role,
		a.created_at, a.deleted_at, a.two_factor
		FROM identities i JOIN accounts a ON a.id = i.account_id
		WHERE i.provider = $1 AND i.subject = $2 AND a.deleted_at IS NULL`, provider, subject))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Account{}, notFound("연결된 계정")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("identity account: %w", err)
	}
	return a, nil
}

func (s *Store) Identities(ctx context.Context, accountID int64) ([]news.Identity, error) {
	rows, err := s.pool.Query(ctx, `SELECT provider, subject, email, created_at FROM identities
		WHERE account_id = $1 ORDER BY created_at, provider`, accountID)
	if err != nil {
		return nil, fmt.Errorf("identities of account %d: %w", accountID, err)
	}
	return collect(rows, func(r pgx.Rows) (news.Identity, error) {
		id := news.Identity{AccountID: accountID}
		err := r.Scan(&id.Provider, &id.Subject, &id.Email, &id.CreatedAt)
		id.CreatedAt = id.CreatedAt.UTC()
		return id, err
	})
}

func insertIdentity(ctx context.Context, tx pgx.Tx, id news.Identity) error {
	if id.CreatedAt.IsZero() {
		id.CreatedAt = now()
	}
	_, err := tx.Exec(ctx, `INSERT INTO identities (provider, subject, account_id, email, created_at) VALUES ($1, $2, $3, $4, $5)`,
		id.Provider, id.Subject, id.AccountID, id.Email, id.CreatedAt)
	switch {
	case isUnique(err):
		return news.Errorf(news.ECONFLICT, "이미 연결된 로그인입니다.")
	case isForeignKey(err):
		return notFound("회원")
	case err != nil:
		return fmt.Errorf("link identity: %w", err)
	}
	return nil
}

func (s *Store) LinkIdentity(ctx context.Context, id news.Identity) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return insertIdentity(ctx, tx, id) })
}

func (s *Store) UnlinkIdentity(ctx context.Context, accountID int64, provider string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM identities WHERE account_id = $1 AND provider = $2`, accountID, provider)
	if err != nil {
		return fmt.Errorf("unlink identity: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("연결된 로그인")
	}
	return nil
}

func (s *Store) CreateAccountWithIdentity(ctx context.Context, a *news.Account, id news.Identity) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.Email, a.DisplayName, a.PasswordHash, a.Role, a.CreatedAt).Scan(&a.ID)
		if isUnique(err) {
			return news.Errorf(news.EEMAILTAKEN, "이미 가입된 이메일입니다.")
		}
		if err != nil {
			return fmt.Errorf("create account: %w", err)
		}
		id.AccountID = a.ID
		return insertIdentity(ctx, tx, id)
	})
}

func (s *Store) SavePendingIdentity(ctx context.Context, p news.PendingIdentity) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO pending_identities (token_hash, provider, subject, email, name, account_id, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.TokenHash, p.Provider, p.Subject, p.Email, p.Name, p.AccountID, p.ExpiresAt)
	if err != nil {
		return fmt.Errorf("save pending identity: %w", err)
	}
	return nil
}

const pendingIdentityColumns = `token_hash, provider, subject, email, name, account_id, expires_at`

func scanPendingIdentity(row pgx.Row) (news.PendingIdentity, error) {
	var p news.PendingIdentity
	if err := row.Scan(&p.TokenHash, &p.Provider, &p.Subject, &p.Email, &p.Name, &p.AccountID, &p.ExpiresAt); err != nil {
		return news.PendingIdentity{}, err
	}
	p.ExpiresAt = p.ExpiresAt.UTC()
	p.EmailVerified = true // only verified addresses are kept waiting
	return p, nil
}

func (s *Store) PendingIdentity(ctx context.Context, tokenHash string, at time.Time) (news.PendingIdentity, error) {
	p, err := scanPendingIdentity(s.pool.QueryRow(ctx, `SELECT `+pendingIdentityColumns+` FROM pending_identities
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, at))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.PendingIdentity{}, notFound("연결 요청")
	}
	if err != nil {
		return news.PendingIdentity{}, fmt.Errorf("pending identity: %w", err)
	}
	return p, nil
}

func (s *Store) TakePendingIdentity(ctx context.Context, tokenHash string, at time.Time) (news.PendingIdentity, error) {
	p, err := scanPendingIdentity(s.pool.QueryRow(ctx, `DELETE FROM pending_identities
		WHERE token_hash = $1 AND expires_at > $2 RETURNING `+pendingIdentityColumns, tokenHash, at))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.PendingIdentity{}, notFound("연결 요청")
	}
	if err != nil {
		return news.PendingIdentity{}, fmt.Errorf("take pending identity: %w", err)
	}
	// Expired requests are swept as others are answered.
	if _, err := s.pool.Exec(ctx, `DELETE FROM pending_identities WHERE expires_at <= $1`, at); err != nil {
		return news.PendingIdentity{}, fmt.Errorf("sweep pending identities: %w", err)
	}
	return p, nil
}
