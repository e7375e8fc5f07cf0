package news

import (
	"context"
	"crypto/rand"
	"strings"
	"time"
)

// Two-factor error codes.
const (
	// EOTPREQUIRED: the password was right, and the account also needs a
	// one-time code.
	EOTPREQUIRED = "otp_required"
	// EOTPINVALID: the one-time code or recovery code was wrong or used.
	EOTPINVALID = "otp_invalid"
	// EOTPSETUP: a staff member who must use two-factor has not set it up.
	EOTPSETUP = "otp_setup_required"
)

// RecoveryCodeCount is how many one-time recovery codes a setup gives.
const RecoveryCodeCount = 10

// OneTimeCodes makes and checks time-based one-time passwords (RFC 6238).
// The service does not choose the library.
type OneTimeCodes interface {
	// NewSecret returns a new shared secret and the otpauth:// URL an
	// authenticator app reads from a QR code.
	NewSecret(issuer, account string) (secret, url string, err error)
	// Match returns the time step the code belongs to, if it is valid at
	// t within one step of clock skew.
	Match(secret, code string, t time.Time) (step int64, ok bool)
}

// TwoFactor is an account's authenticator setup.
type TwoFactor struct {
	AccountID   int64
	Secret      string
	ConfirmedAt time.Time // zero while the setup waits for its first code
	// LastStep is the time step of the last code accepted; a code of that
	// step or an earlier one is never accepted again.
	LastStep int64
}

// TwoFactorSetup is what a person sees once, when setting up two-factor.
type TwoFactorSetup struct {
	Secret        string
	URL           string // otpauth:// for authenticator apps
	RecoveryCodes []string
}

// Audit actions of sign-in.
const (
	AuditLogin          = "login"
	AuditTwoFactorOn    = "two_factor_on"
	AuditTwoFactorReset = "two_factor_reset"
	AuditSessionEnded   = "session_end"
	AuditSessionsEnded  = "sessions_end"
)

var errOTPRequired = &Error{Code: EOTPREQUIRED, Message: "인증 앱의 6자리 코드나 복구 코드를 입력해주세요."}
var errOTPInvalid = &Error{Code: EOTPINVALID, Message: "인증 코드가 올바르지 않습니다. 앱에 표시된 새 코드나 사용하지 않은 복구 코드를 입력해주세요."}
var errOTPSetup = &Error{Code: EOTPSETUP, Message: "뉴스룸을 이용하려면 먼저 2단계 인증을 설정해야 합니다."}

// ErrOTPSetupRequired is returned to staff who must set up two-factor first.
func ErrOTPSetupRequired() error { return errOTPSetup }

// IsStaff reports whether the role works in the newsroom.
func IsStaff(role string) bool {
	return role == RoleModerator || role == RoleReporter || role == RoleEditor || role == RoleAdmin
}

// TwoFactorRequired reports whether an account of the role must use
// two-factor: editors and admins always, reporters and moderators when the
// site requires it of all staff.
func (s *Service) TwoFactorRequired(role string) bool {
	switch role {
	case RoleEditor, RoleAdmin:
		return true
	case RoleReporter, RoleModerator:
		return s.TwoFactorAllStaff
	}
	return false
}

// NeedsTwoFactorSetup reports whether the account must set up two-factor
// before it may use the newsroom.
func (s *Service) NeedsTwoFactorSetup(a Account) bool {
	return a.ID != 0 && !a.TwoFactor && s.TwoFactorRequired(a.Role)
}

// BeginTwoFactor makes a new secret and ten recovery codes for the viewer.
// Nothing changes at login until ConfirmTwoFactor receives a first code.
// Returns ECONFLICT if two-factor is already on.
func (s *Service) BeginTwoFactor(ctx context.Context, viewer Account) (TwoFactorSetup, error) {
	if viewer.ID == 0 {
		return TwoFactorSetup{}, errLoginRequired
	}
	if s.OneTimeCodes == nil {
		return TwoFactorSetup{}, Errorf(EFORBIDDEN, "이 서버에서는 2단계 인증을 사용할 수 없습니다.")
	}
	if viewer.TwoFactor {
		return TwoFactorSetup{}, Errorf(ECONFLICT, "2단계 인증이 이미 켜져 있습니다.")
	}
	issuer := "Jikji"
	if site, err := s.store.Site(ctx); err == nil && site.Name != "" {
		issuer = site.Name
	}
	secret, url, err := s.OneTimeCodes.NewSecret(issuer, viewer.Email)
	if err != nil {
		return TwoFactorSetup{}, err
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = HashToken(normalizeRecoveryCode(codes[i]))
	}
	if err := s.store.BeginTwoFactor(ctx, viewer.ID, secret, hashes); err != nil {
		return TwoFactorSetup{}, err
	}
	return TwoFactorSetup{Secret: secret, URL: url, RecoveryCodes: codes}, nil
}

// PendingTwoFactor returns the viewer's setup that waits for its first
// code, for showing its QR code again. Returns ENOTFOUND if there is none.
func (s *Service) PendingTwoFactor(ctx context.Context, viewer Account) (TwoFactor, error) {
	if viewer.ID == 0 {
		return TwoFactor{}, errLoginRequired
	}
	tf, err := s.store.TwoFactor(ctx, viewer.ID)
	if err != nil {
		return TwoFactor{}, err
	}
	if !tf.ConfirmedAt.IsZero() {
		return TwoFactor{}, Errorf(ENOTFOUND, "설정 중인 2단계 인증이 없습니다.")
	}
	return tf, nil
}

// ConfirmTwoFactor turns two-factor on once the viewer proves the app
// works with a current code, ends the viewer's other sessions (one may be
// a thief's, opened with the password alone) and records it in the audit
// log. keepToken is the session that stays. Returns EOTPINVALID for a wrong
// code, ENOTFOUND without a setup begun.
func (s *Service) ConfirmTwoFactor(ctx context.Context, viewer Account, code, keepToken string) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if s.OneTimeCodes == nil {
		return Errorf(EFORBIDDEN, "이 서버에서는 2단계 인증을 사용할 수 없습니다.")
	}
	tf, err := s.store.TwoFactor(ctx, viewer.ID)
	if IsNotFound(err) {
		return Errorf(ENOTFOUND, "먼저 2단계 인증 설정을 시작해주세요.")
	}
	if err != nil {
		return err
	}
	if !tf.ConfirmedAt.IsZero() {
		return Errorf(ECONFLICT, "2단계 인증이 이미 켜져 있습니다.")
	}
	step, ok := s.OneTimeCodes.Match(tf.Secret, strings.TrimSpace(code), s.Now())
	if !ok {
		return errOTPInvalid
	}
	if err := s.store.ConfirmTwoFactor(ctx, viewer.ID, step, s.auditEntry(viewer, AuditTwoFactorOn, TargetAccount, viewer.ID, "")); err != nil {
		return err
	}
	if _, err := s.store.DeleteSessions(ctx, viewer.ID, HashToken(keepToken)); err != nil {
		return err
	}
	s.sessions.clear()
	return nil
}

// DisableTwoFactor turns two-factor off for a viewer whose role does not
// require it, on the account's password (if it has one) and a current or
// recovery code. It ends every session of the account (the caller starts
// a new one for the viewer) and records it in the audit log. Returns
// EFORBIDDEN for staff who must keep it, ECONFLICT if it is off,
// EBADLOGIN for a wrong password, EOTPREQUIRED or EOTPINVALID.
func (s *Service) DisableTwoFactor(ctx context.Context, viewer Account, password, code string) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if s.TwoFactorRequired(viewer.Role) {
		return Errorf(EFORBIDDEN, "뉴스룸 계정은 2단계 인증을 끌 수 없습니다.")
	}
	if !viewer.TwoFactor {
		return Errorf(ECONFLICT, "2단계 인증이 켜져 있지 않습니다.")
	}
	if viewer.PasswordHash != "" {
		ok, err := s.Passwords.Verify(ctx, viewer.PasswordHash, password)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(EBADLOGIN, "비밀번호가 올바르지 않습니다.")
		}
	}
	if err := s.checkSecondFactor(ctx, viewer, code); err != nil {
		return err
	}
	if err := s.store.ResetTwoFactor(ctx, viewer.ID, s.auditEntry(viewer, AuditTwoFactorReset, TargetAccount, viewer.ID, "본인이 끔")); err != nil {
		return err
	}
	s.sessions.clear()
	return nil
}

// ResetTwoFactor removes an account's two-factor setup and ends its
// sessions, for the day a phone is lost; the command line calls it. The
// account must set it up again at its next login if its role requires it.
func (s *Service) ResetTwoFactor(ctx context.Context, email string) (Account, error) {
	a, err := s.store.AccountByEmail(ctx, NormalizeEmail(email))
	if err != nil {
		return Account{}, err
	}
	// The actor 0 is the command line: someone with the server's keys.
	e := AuditEntry{Action: AuditTwoFactorReset, TargetKind: TargetAccount, TargetID: a.ID, Reason: "jikji user reset-2fa", CreatedAt: s.Now()}
	if err := s.store.ResetTwoFactor(ctx, a.ID, e); err != nil {
		return Account{}, err
	}
	s.sessions.clear()
	a.TwoFactor = false
	return a, nil
}

// checkSecondFactor accepts a current code of the account's app (once:
// the same code or an older one is refused after) or an unused recovery
// code (used up by this). Returns EOTPREQUIRED for an empty code and
// EOTPINVALID for a wrong one.
func (s *Service) checkSecondFactor(ctx context.Context, a Account, code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return errOTPRequired
	}
	if s.OneTimeCodes == nil {
		return errOTPInvalid
	}
	tf, err := s.store.TwoFactor(ctx, a.ID)
	if IsNotFound(err) || (err == nil && tf.ConfirmedAt.IsZero()) {
		return errOTPInvalid
	}
	if err != nil {
		return err
	}
	if digits := strings.ReplaceAll(code, " ", ""); len(digits) == 6 {
		step, ok := s.OneTimeCodes.Match(tf.Secret, digits, s.Now())
		if !ok {
			return errOTPInvalid
		}
		if err := s.store.UseTOTPStep(ctx, a.ID, step); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return errOTPInvalid
			}
			return err
		}
		return nil
	}
	err = s.store.UseRecoveryCode(ctx, a.ID, HashToken(normalizeRecoveryCode(code)), s.Now())
	if IsNotFound(err) {
		return errOTPInvalid
	}
	return err
}

// newRecoveryCode is ten characters of an alphabet without look-alikes,
// shown as two groups of five.
func newRecoveryCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	raw := make([]byte, 10)
	rand.Read(raw)
	var b strings.Builder
	for i, c := range raw {
		if i == 5 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return b.String()
}

// normalizeRecoveryCode forgives case, spaces and the dash.
func normalizeRecoveryCode(code string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
}
