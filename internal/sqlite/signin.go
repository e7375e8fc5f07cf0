package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

func (s *Store) TwoFactor(ctx context.Context, accountID int64) (news.TwoFactor, error) {
	tf := news.TwoFactor{AccountID: accountID}
	var confirmed int64
	err := s.read.QueryRowContext(ctx, `SELECT secret, confirmed_at, last_step FROM two_factor WHERE account_id = ?`, accountID).
		Scan(&tf.Secret, &confirmed, &tf.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return news.TwoFactor{}, notFound("2단계 인증 설정")
	}
	if err != nil {
		return news.TwoFactor{}, fmt.Errorf("two-factor of account %d: %w", accountID, err)
	}
	tf.ConfirmedAt = fromMicros(confirmed)
	return tf, nil
}

func (s *Store) BeginTwoFactor(ctx context.Context, accountID int64, secret string, codeHashes []string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if ok, err := exists(ctx, tx, `SELECT 1 FROM accounts WHERE id = ? AND deleted_at = 0`, accountID); err != nil {
			return err
		} else if !ok {
			return notFound("회원")
		}
		if ok, err := exists(ctx, tx, `SELECT 1 FROM two_factor WHERE account_id = ? AND confirmed_at <> 0`, accountID); err != nil {
			return err
		} else if ok {
			return news.Errorf(news.ECONFLICT, "2단계 인증이 이미 켜져 있습니다.")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO two_factor (account_id, secret) VALUES (?, ?)
			ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, last_step = 0`, accountID, secret); err != nil {
			return fmt.Errorf("begin two-factor: %w", err)
		}
		return replaceRecoveryCodes(ctx, tx, accountID, codeHashes)
	})
}

func replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, accountID int64, hashes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)`, accountID, h); err != nil {
			return fmt.Errorf("recovery codes: %w", err)
		}
	}
	return nil
}

func (s *Store) ConfirmTwoFactor(ctx context.Context, accountID int64, step int64, e news.AuditEntry) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE two_factor SET confirmed_at = ?, last_step = ? WHERE account_id = ? AND confirmed_at = 0`,
			micros(e.CreatedAt), step, accountID)
		if err != nil {
			return fmt.Errorf("confirm two-factor: %w", err)
		}
		if err := changedRow(res, notFound("2단계 인증 설정")); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET two_factor = 1 WHERE id = ?`, accountID); err != nil {
			return fmt.Errorf("confirm two-factor: %w", err)
		}
		return audit(ctx, tx, e)
	})
}

func (s *Store) UseTOTPStep(ctx context.Context, accountID int64, step int64) error {
	res, err := s.write.ExecContext(ctx, `UPDATE two_factor SET last_step = ? WHERE account_id = ? AND confirmed_at <> 0 AND last_step < ?`,
		step, accountID, step)
	if err != nil {
		return fmt.Errorf("use one-time code: %w", err)
	}
	return changedRow(res, news.Errorf(news.ECONFLICT, "이미 사용한 인증 코드입니다."))
}

func (s *Store) UseRecoveryCode(ctx context.Context, accountID int64, codeHash string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at = 0`,
		micros(at), accountID, codeHash)
	if err != nil {
		return fmt.Errorf("use recovery code: %w", err)
	}
	return changedRow(res, notFound("복구 코드"))
}

func (s *Store) ResetTwoFactor(ctx context.Context, accountID int64, e news.AuditEntry) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET two_factor = 0 WHERE id = ?`, accountID)
		if err != nil {
			return fmt.Errorf("reset two-factor: %w", err)
		}
		if err := changedRow(res, notFound("회원")); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM two_factor WHERE account_id = ?`,
			`DELETE FROM recovery_codes WHERE account_id = ?`,
			`DELETE FROM sessions WHERE account_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, accountID); err != nil {
				return fmt.Errorf("reset two-factor: %w", err)
			}
		}
		return audit(ctx, tx, e)
	})
}

func (s *Store) AccountSessions(ctx context.Context, accountID int64, now time.Time) ([]news.Session, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT token_hash, created_at, expires_at, user_agent, last_seen_at FROM sessions
		WHERE account_id = ? AND expires_at > ? AND pending = 0
		ORDER BY max(last_seen_at, created_at) DESC, token_hash`, accountID, micros(now))
	if err != nil {
		return nil, fmt.Errorf("sessions of account %d: %w", accountID, err)
	}
	defer rows.Close()
	var out []news.Session
	for rows.Next() {
		sess := news.Session{AccountID: accountID}
		var created, expires, seen int64
		if err := rows.Scan(&sess.TokenHash, &created, &expires, &sess.UserAgent, &seen); err != nil {
			return nil, err
		}
		sess.CreatedAt, sess.ExpiresAt, sess.LastSeenAt = fromMicros(created), fromMicros(expires), fromMicros(seen)
		if sess.LastSeenAt.IsZero() {
			sess.LastSeenAt = sess.CreatedAt
		}
		out = append(out, sess)
	}
	return out, rows.Err()
}

func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?`,
		micros(at), tokenHash, micros(at)); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

func (s *Store) DeleteSessions(ctx context.Context, accountID int64, except string) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?`, accountID, except)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of account %d: %w", accountID, err)
	}
	return res.RowsAffected()
}

func (s *Store) PendingSessionAccount(ctx context.Context, tokenHash string, now time.Time) (news.Account, error) {
	return s.sessionAccount(ctx, tokenHash, now, true)
}

func (s *Store) RecordAudit(ctx context.Context, e news.AuditEntry) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error { return audit(ctx, tx, e) })
}

func (s *Store) IdentityAccount(ctx context.Context, provider, subject string) (news.Account, error) {
	a, err := scanAccount(s.read.QueryRowContext(ctx, `SELECT `+accountColumns+`
		FROM identities i JOIN accounts a ON a.id = i.account_id
		WHERE i.provider = ? AND i.subject = ? AND a.deleted_at = 0`, provider, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Account{}, notFound("연결된 계정")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("identity account: %w", err)
	}
	return a, nil
}

func (s *Store) Identities(ctx context.Context, accountID int64) ([]news.Identity, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT provider, subject, email, created_at FROM identities
		WHERE account_id = ? ORDER BY created_at, provider`, accountID)
	if err != nil {
		return nil, fmt.Errorf("identities of account %d: %w", accountID, err)
	}
	defer rows.Close()
	var out []news.Identity
	for rows.Next() {
		id := news.Identity{AccountID: accountID}
		var created int64
		if err := rows.Scan(&id.Provider, &id.Subject, &id.Email, &created); err != nil {
			return nil, err
		}
		id.CreatedAt = fromMicros(created)
		out = append(out, id)
	}
	return out, rows.Err()
}

func insertIdentity(ctx context.Context, tx *sql.Tx, id news.Identity) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO identities (provider, subject, account_id, email, created_at) VALUES (?, ?, ?, ?, ?)`,
		id.Provider, id.Subject, id.AccountID, id.Email, micros(id.CreatedAt))
	switch {
	case isConstraint(err):
		return news.Errorf(news.ECONFLICT, "이미 연결된 로그인입니다.")
	case isForeignKey(err):
		return notFound("회원")
	case err != nil:
		return fmt.Errorf("link identity: %w", err)
	}
	return nil
}

func (s *Store) LinkIdentity(ctx context.Context, id news.Identity) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error { return insertIdentity(ctx, tx, id) })
}

func (s *Store) UnlinkIdentity(ctx context.Context, accountID int64, provider string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM identities WHERE account_id = ? AND provider = ?`, accountID, provider)
	if err != nil {
		return fmt.Errorf("unlink identity: %w", err)
	}
	return changedRow(res, notFound("연결된 로그인"))
}

func (s *Store) CreateAccountWithIdentity(ctx context.Context, a *news.Account, id news.Identity) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now()
	}
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			a.Email, a.DisplayName, a.PasswordHash, a.Role, micros(a.CreatedAt)).Scan(&a.ID)
		if isConstraint(err) {
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
	_, err := s.write.ExecContext(ctx, `INSERT INTO pending_identities (token_hash, provider, subject, email, name, account_id, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, p.TokenHash, p.Provider, p.Subject, p.Email, p.Name, p.AccountID, micros(p.ExpiresAt))
	if err != nil {
		return fmt.Errorf("save pending identity: %w", err)
	}
	return nil
}

const pendingIdentityColumns = `token_hash, provider, subject, email, name, account_id, expires_at`

func scanPendingIdentity(row rowScanner) (news.PendingIdentity, error) {
	var p news.PendingIdentity
	var expires int64
	if err := row.Scan(&p.TokenHash, &p.Provider, &p.Subject, &p.Email, &p.Name, &p.AccountID, &expires); err != nil {
		return news.PendingIdentity{}, err
	}
	p.ExpiresAt = fromMicros(expires)
	p.EmailVerified = true // only verified addresses are kept waiting
	return p, nil
}

func (s *Store) PendingIdentity(ctx context.Context, tokenHash string, now time.Time) (news.PendingIdentity, error) {
	p, err := scanPendingIdentity(s.read.QueryRowContext(ctx, `SELECT `+pendingIdentityColumns+` FROM pending_identities
		WHERE token_hash = ? AND expires_at > ?`, tokenHash, micros(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return news.PendingIdentity{}, notFound("연결 요청")
	}
	if err != nil {
		return news.PendingIdentity{}, fmt.Errorf("pending identity: %w", err)
	}
	return p, nil
}

func (s *Store) TakePendingIdentity(ctx context.Context, tokenHash string, now time.Time) (news.PendingIdentity, error) {
	p, err := scanPendingIdentity(s.write.QueryRowContext(ctx, `DELETE FROM pending_identities
		WHERE token_hash = ? AND expires_at > ? RETURNING `+pendingIdentityColumns, tokenHash, micros(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return news.PendingIdentity{}, notFound("연결 요청")
	}
	if err != nil {
		return news.PendingIdentity{}, fmt.Errorf("take pending identity: %w", err)
	}
	// Expired requests are swept as others are answered.
	if _, err := s.write.ExecContext(ctx, `DELETE FROM pending_identities WHERE expires_at <= ?`, micros(now)); err != nil {
		return news.PendingIdentity{}, fmt.Errorf("sweep pending identities: %w", err)
	}
	return p, nil
}
