package news

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// SignInStore keeps what sign-in needs beyond accounts and sessions:
// authenticator setups and recovery codes, the sessions of an account,
// accounts linked to outside providers, and the audit entries of logins.
type SignInStore interface {
	// TwoFactor returns the account's setup. Returns ENOTFOUND if none.
	TwoFactor(ctx context.Context, accountID int64) (TwoFactor, error)
	// BeginTwoFactor replaces an unconfirmed setup (and its recovery code
	// hashes) with a new one. Returns ECONFLICT if a confirmed one exists,
	// ENOTFOUND for an unknown account.
	BeginTwoFactor(ctx context.Context, accountID int64, secret string, codeHashes []string) error
	// ConfirmTwoFactor turns the setup on with the step of its first code
	// and records e, in one transaction. Returns ENOTFOUND without a setup.
	ConfirmTwoFactor(ctx context.Context, accountID int64, step int64, e AuditEntry) error
	// UseTOTPStep records step as used. Returns ECONFLICT if it is not
	// after the last step used (a code replayed).
	UseTOTPStep(ctx context.Context, accountID int64, step int64) error
	// UseRecoveryCode marks an unused recovery code used. Returns
	// ENOTFOUND if the account has no such unused code.
	UseRecoveryCode(ctx context.Context, accountID int64, codeHash string, at time.Time) error
	// ResetTwoFactor removes the setup and recovery codes, ends every
	// session of the account and records e. Returns ENOTFOUND for an
	// unknown account.
	ResetTwoFactor(ctx context.Context, accountID int64, e AuditEntry) error

	// AccountSessions lists the account's completed sessions unexpired at
	// now, most recently used first.
	AccountSessions(ctx context.Context, accountID int64, now time.Time) ([]Session, error)
	// TouchSession records that a session was used at the given time.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSessions ends every session of the account but the one whose
	// hash is except, and returns how many ended.
	DeleteSessions(ctx context.Context, accountID int64, except string) (int64, error)
	// PendingSessionAccount returns the account of an unexpired login that
	// waits for its second factor. Returns ENOTFOUND otherwise.
	PendingSessionAccount(ctx context.Context, tokenHash string, now time.Time) (Account, error)
	// RecordAudit adds an entry to the audit log.
	RecordAudit(ctx context.Context, e AuditEntry) error

	// IdentityAccount returns the live account linked to a provider's
	// subject. Returns ENOTFOUND if none is.
	IdentityAccount(ctx context.Context, provider, subject string) (Account, error)
	// Identities lists the providers linked to the account.
	Identities(ctx context.Context, accountID int64) ([]Identity, error)
	// LinkIdentity links a provider's subject to an account. Returns
	// ECONFLICT if the subject is linked to an account already, or the
	// account already has an identity of that provider.
	LinkIdentity(ctx context.Context, id Identity) error
	// UnlinkIdentity removes the account's identity of the provider.
	// Returns ENOTFOUND if there is none.
	UnlinkIdentity(ctx context.Context, accountID int64, provider string) error
	// CreateAccountWithIdentity creates a and links id to it, in one
	// transaction. Returns EEMAILTAKEN if the e-mail is registered,
	// ECONFLICT if the subject is linked already.
	CreateAccountWithIdentity(ctx context.Context, a *Account, id Identity) error
	// SavePendingIdentity keeps an identity that waits for its owner to
	// prove an existing account, until p.ExpiresAt.
	SavePendingIdentity(ctx context.Context, p PendingIdentity) error
	// PendingIdentity returns an unexpired pending identity. Returns
	// ENOTFOUND otherwise.
	PendingIdentity(ctx context.Context, tokenHash string, now time.Time) (PendingIdentity, error)
	// TakePendingIdentity returns and removes an unexpired pending
	// identity. Returns ENOTFOUND otherwise.
	TakePendingIdentity(ctx context.Context, tokenHash string, now time.Time) (PendingIdentity, error)
}

// SessionID is the public number of a session: the first 60 bits of its
// token's hash, so lists can name sessions without showing their tokens.
func SessionID(tokenHash string) int64 {
	raw, err := hex.DecodeString(tokenHash)
	if err != nil || len(raw) < 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(raw[:8]) >> 4)
}

// pendingLoginLifetime is how long a password-checked login waits for its
// second factor.
const pendingLoginLifetime = 10 * time.Minute

// sessionTouchEvery is how precisely the last use of a session is kept:
// "approximate" spares the database a write per request.
const sessionTouchEvery = 5 * time.Minute

// sessionTouches remembers when this node last recorded each session's use.
type sessionTouches struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (t *sessionTouches) due(hash string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil || len(t.last) > 100_000 {
		t.last = map[string]time.Time{}
	}
	if now.Sub(t.last[hash]) < sessionTouchEvery {
		return false
	}
	t.last[hash] = now
	return true
}

// Begin starts a session for an account whose every factor was checked,
// records the device it came from and, for staff, the login in the audit
// log. It returns the token only the browser's cookie holds.
func (s *Service) Begin(ctx context.Context, a Account, userAgent string) (string, Session, error) {
	token, sess, err := s.startSession(ctx, a.ID, userAgent, false, SessionLifetime)
	if err != nil {
		return "", Session{}, err
	}
	if IsStaff(a.Role) {
		if err := s.store.RecordAudit(ctx, s.auditEntry(a, AuditLogin, TargetAccount, a.ID, Device(userAgent))); err != nil {
			return "", Session{}, err
		}
	}
	return token, sess, nil
}

func (s *Service) startSession(ctx context.Context, accountID int64, userAgent string, pending bool, life time.Duration) (string, Session, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.Now()
	sess := Session{TokenHash: HashToken(token), AccountID: accountID, CreatedAt: now, ExpiresAt: now.Add(life),
		UserAgent: cleanUserAgent(userAgent), LastSeenAt: now, Pending: pending}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// cleanUserAgent keeps a bounded, printable user agent.
func cleanUserAgent(ua string) string {
	ua = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(ua, ""))
	if len(ua) > 300 {
		ua = ua[:300]
		ua = strings.ToValidUTF8(ua, "")
	}
	return ua
}

// BeginPending starts a login that waits for its second factor: the token
// it returns leads only to FinishPending, for ten minutes.
func (s *Service) BeginPending(ctx context.Context, a Account, userAgent string) (string, error) {
	token, _, err := s.startSession(ctx, a.ID, userAgent, true, pendingLoginLifetime)
	return token, err
}

// PendingAccount returns the account of a login waiting for its second
// factor. Returns EUNAUTHORIZED if the token is unknown or expired.
func (s *Service) PendingAccount(ctx context.Context, token string) (Account, error) {
	if token == "" || len(token) > 100 {
		return Account{}, errPendingGone
	}
	a, err := s.store.PendingSessionAccount(ctx, HashToken(token), s.Now())
	if IsNotFound(err) {
		return Account{}, errPendingGone
	}
	return a, err
}

var errPendingGone = &Error{Code: EUNAUTHORIZED, Message: "로그인 시간이 지났습니다. 이메일과 비밀번호부터 다시 입력해주세요."}

// FinishPending checks the second factor of a waiting login and, if it is
// right, replaces the waiting login with a session. Returns EUNAUTHORIZED
// for an expired login, EOTPREQUIRED or EOTPINVALID for the code.
func (s *Service) FinishPending(ctx context.Context, pendingToken, code, userAgent string) (Account, string, Session, error) {
	a, err := s.PendingAccount(ctx, pendingToken)
	if err != nil {
		return Account{}, "", Session{}, err
	}
	if err := s.SecondFactor(ctx, a, code); err != nil {
		return Account{}, "", Session{}, err
	}
	if err := s.store.DeleteSession(ctx, HashToken(pendingToken)); err != nil {
		return Account{}, "", Session{}, err
	}
	token, sess, err := s.Begin(ctx, a, userAgent)
	return a, token, sess, err
}

// SecondFactor checks a one-time code for an account with two-factor on:
// a current code of its app, each accepted once, or an unused recovery
// code. Accounts without two-factor pass. Returns EOTPREQUIRED for an
// empty code and EOTPINVALID for a wrong or used one.
func (s *Service) SecondFactor(ctx context.Context, a Account, code string) error {
	if !a.TwoFactor {
		return nil
	}
	return s.checkSecondFactor(ctx, a, code)
}

// SessionView is one of a person's sessions as the sessions page shows it.
type SessionView struct {
	ID         int64
	Current    bool
	UserAgent  string
	Device     string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Sessions lists the viewer's sessions, marking the one of currentToken.
func (s *Service) Sessions(ctx context.Context, viewer Account, currentToken string) ([]SessionView, error) {
	if viewer.ID == 0 {
		return nil, errLoginRequired
	}
	list, err := s.store.AccountSessions(ctx, viewer.ID, s.Now())
	if err != nil {
		return nil, err
	}
	current := HashToken(currentToken)
	out := make([]SessionView, len(list))
	for i, sess := range list {
		out[i] = SessionView{ID: SessionID(sess.TokenHash), Current: sess.TokenHash == current, UserAgent: sess.UserAgent,
			Device: Device(sess.UserAgent), CreatedAt: sess.CreatedAt, LastSeenAt: sess.LastSeenAt}
	}
	return out, nil
}

// EndSession ends one of the viewer's sessions, by its public id. Returns
// ENOTFOUND if the viewer has no such session.
func (s *Service) EndSession(ctx context.Context, viewer Account, id int64) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	list, err := s.store.AccountSessions(ctx, viewer.ID, s.Now())
	if err != nil {
		return err
	}
	for _, sess := range list {
		if SessionID(sess.TokenHash) == id {
			if err := s.store.DeleteSession(ctx, sess.TokenHash); err != nil {
				return err
			}
			s.sessions.drop(sess.TokenHash)
			return s.auditSessions(ctx, viewer, viewer, AuditSessionEnded, Device(sess.UserAgent))
		}
	}
	return Errorf(ENOTFOUND, "세션을 찾을 수 없습니다. 이미 로그아웃되었을 수 있습니다.")
}

// EndOtherSessions ends every session of the viewer but the current one
// and returns how many ended.
func (s *Service) EndOtherSessions(ctx context.Context, viewer Account, currentToken string) (int64, error) {
	if viewer.ID == 0 {
		return 0, errLoginRequired
	}
	n, err := s.store.DeleteSessions(ctx, viewer.ID, HashToken(currentToken))
	if err != nil {
		return 0, err
	}
	s.sessions.clear()
	if n > 0 {
		err = s.auditSessions(ctx, viewer, viewer, AuditSessionsEnded, "다른 기기 모두")
	}
	return n, err
}

// EndStaffSessions lets an admin end every session of a staff member (a
// lost laptop, a departure). Returns EFORBIDDEN for non-admins, ENOTFOUND
// for an unknown account and EINVALID for a reader's account.
func (s *Service) EndStaffSessions(ctx context.Context, viewer Account, accountID int64) (int64, error) {
	if err := require(viewer, CanAdminister); err != nil {
		return 0, err
	}
	target, err := s.store.Account(ctx, accountID)
	if err != nil {
		return 0, err
	}
	if !IsStaff(target.Role) || !target.DeletedAt.IsZero() {
		return 0, Errorf(EINVALID, "뉴스룸 구성원의 세션만 끝낼 수 있습니다.")
	}
	n, err := s.store.DeleteSessions(ctx, accountID, "")
	if err != nil {
		return 0, err
	}
	s.sessions.clear()
	return n, s.auditSessions(ctx, viewer, target, AuditSessionsEnded, "관리자가 모든 세션 종료")
}

// auditSessions records ended sessions of staff, and any ended by an admin.
func (s *Service) auditSessions(ctx context.Context, actor, target Account, action, reason string) error {
	if !IsStaff(target.Role) && actor.ID == target.ID {
		return nil
	}
	return s.store.RecordAudit(ctx, s.auditEntry(actor, action, TargetAccount, target.ID, reason))
}

// touchSession records a session's use now and then.
func (s *Service) touchSession(ctx context.Context, hash string, now time.Time) {
	if s.touches.due(hash, now) {
		// Losing one approximate time is harmless; the request goes on.
		_ = s.store.TouchSession(ctx, hash, now)
	}
}

// Device names the browser and system of a user agent in a few words, as
// a person recognises their own phone or computer.
func Device(ua string) string {
	if ua == "" {
		return "알 수 없는 기기"
	}
	browser := "브라우저"
	for _, b := range []struct{ token, name string }{
		{"KAKAOTALK", "카카오톡"}, {"NAVER(inapp", "네이버 앱"}, {"Whale/", "네이버 웨일"},
		{"SamsungBrowser/", "삼성 인터넷"}, {"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"},
		{"FxiOS/", "Firefox"}, {"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"}, {"Go-http-client", "프로그램"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Macintosh", "Mac"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " · " + system
}
