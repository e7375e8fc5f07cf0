package news

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PasswordHasher hashes and checks passwords; the service does not choose
// the algorithm.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches hash; an empty hash never does.
	Verify(ctx context.Context, hash, password string) (bool, error)
}

// SessionLifetime is how long a login lasts.
const SessionLifetime = 30 * 24 * time.Hour

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 8

var errBadLogin = &Error{Code: EBADLOGIN, Message: "이메일 또는 비밀번호가 올바르지 않습니다."}

// SignUp creates a reader account. Returns EINVALID for a malformed e-mail
// or display name, EWEAKPASSWORD for a short or common password and
// EEMAILTAKEN when the e-mail is registered.
func (s *Service) SignUp(ctx context.Context, email, password, displayName string) (Account, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return Account{}, err
	}
	if err := checkPassword(password); err != nil {
		return Account{}, err
	}
	name, err := normalizeDisplayName(displayName)
	if err != nil {
		return Account{}, err
	}
	hash, err := s.Passwords.Hash(ctx, password)
	if err != nil {
		return Account{}, err
	}
	a := Account{Email: email, DisplayName: name, PasswordHash: hash, Role: RoleReader, CreatedAt: s.Now()}
	// The account and the mail that confirms its address are one write.
	tok, body, msg, err := s.confirmation(ctx, a, a.Email, MailConfirm)
	if err != nil {
		return Account{}, err
	}
	if err := s.store.CreateAccountWithMail(ctx, &a, tok, body, msg); err != nil {
		return Account{}, err
	}
	return a, nil
}

// CreateStaff creates an account with any role, for the command line.
func (s *Service) CreateStaff(ctx context.Context, email, password, displayName, role string) (Account, error) {
	if !ValidRole(role) {
		return Account{}, Errorf(EINVALID, "알 수 없는 역할입니다: %s", role)
	}
	a, err := s.SignUp(ctx, email, password, displayName)
	if err != nil {
		return Account{}, err
	}
	if role != RoleReader {
		if err := s.store.SetAccountRole(ctx, a.ID, role); err != nil {
			return Account{}, err
		}
		a.Role = role
	}
	return a, nil
}

// ValidRole reports whether role is one of the five roles.
func ValidRole(role string) bool {
	switch role {
	case RoleReader, RoleModerator, RoleReporter, RoleEditor, RoleAdmin:
		return true
	}
	return false
}

// Login checks an e-mail and password. Returns EBADLOGIN, with one message
// whether or not the e-mail is registered.
func (s *Service) Login(ctx context.Context, email, password string) (Account, error) {
	a, err := s.store.AccountByEmail(ctx, NormalizeEmail(email))
	if err != nil && !IsNotFound(err) {
		return Account{}, err
	}
	ok, verr := s.Passwords.Verify(ctx, a.PasswordHash, password)
	if verr != nil {
		return Account{}, verr
	}
	if err != nil || !ok {
		return Account{}, errBadLogin
	}
	return a, nil
}

// StartSession creates a session for the account and returns its token,
// which only the reader's cookie holds; the store keeps its hash.
func (s *Service) StartSession(ctx context.Context, accountID int64) (string, Session, error) {
	return s.startSession(ctx, accountID, "", false, SessionLifetime)
}

// SessionAccount returns the account a session token belongs to. Returns
// EUNAUTHORIZED for an unknown or expired token.
func (s *Service) SessionAccount(ctx context.Context, token string) (Account, error) {
	if token == "" || len(token) > 100 {
		return Account{}, errLoginRequired
	}
	hash, now := HashToken(token), s.Now()
	if a, ok := s.sessions.get(hash, now); ok {
		return a, nil
	}
	a, err := s.store.SessionAccount(ctx, hash, now)
	if IsNotFound(err) {
		return Account{}, errLoginRequired
	}
	if err != nil {
		return Account{}, err
	}
	s.sessions.put(hash, a, now.Add(sessionCacheTTL))
	s.touchSession(ctx, hash, now)
	return a, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	s.sessions.drop(HashToken(token))
	return s.store.DeleteSession(ctx, HashToken(token))
}

// DeleteAccount deletes the viewer's own account after checking the password.
func (s *Service) DeleteAccount(ctx context.Context, viewer Account, password string) error {
	ok, err := s.Passwords.Verify(ctx, viewer.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EBADLOGIN, "비밀번호가 올바르지 않습니다.")
	}
	if err := s.store.DeleteAccount(ctx, viewer.ID, s.Now()); err != nil {
		return err
	}
	s.sessions.clear()
	s.Changes.publish(Change{All: true})
	return nil
}

// HashToken is how session and API tokens are kept: only their SHA-256.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errLoginRequired = &Error{Code: EUNAUTHORIZED, Message: "로그인이 필요합니다."}

// ErrLoginRequired is returned to anonymous callers of a reader action.
func ErrLoginRequired() error { return errLoginRequired }

// NormalizeEmail is the one form of an e-mail address that sign-up, login,
// the login limits, the command line and staff roles all use: without
// surrounding spaces, in Unicode NFC, lower-cased. So "RD1@X.TEST" and
// " rd1@x.test " are one account, and one count of login attempts.
func NormalizeEmail(email string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(email)))
}

func normalizeEmail(email string) (string, error) {
	email = NormalizeEmail(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return "", Errorf(EINVALID, "올바른 이메일 주소를 입력해주세요.")
	}
	return email, nil
}

func checkPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return Errorf(EWEAKPASSWORD, "비밀번호에 쓸 수 없는 문자가 있습니다.")
	case n < MinPasswordLength:
		return Errorf(EWEAKPASSWORD, "비밀번호는 %d자 이상이어야 합니다.", MinPasswordLength)
	case len(pw) > 72:
		// bcrypt reads only 72 bytes; longer would silently be cut.
		return Errorf(EWEAKPASSWORD, "비밀번호가 너무 깁니다. 72바이트(한글 약 24자) 이내로 입력해주세요.")
	case IsCommonPassword(pw):
		return Errorf(EWEAKPASSWORD, "너무 흔한 비밀번호입니다. 다른 비밀번호를 입력해주세요.")
	}
	return nil
}

func normalizeDisplayName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	n := utf8.RuneCountInString(name)
	if !utf8.ValidString(name) || n < 2 || n > 20 {
		return "", Errorf(EINVALID, "닉네임은 2자 이상 20자 이하로 입력해주세요.")
	}
	for _, r := range name {
		// Invisible characters (a name of Hangul fillers, ㅤㅤ, looks
		// blank) and bidirectional controls are refused.
		if unicode.IsControl(r) || (r != ' ' && isInvisible(r)) {
			return "", Errorf(EINVALID, "닉네임에 쓸 수 없는 문자가 있습니다. 보이는 글자로 입력해주세요.")
		}
	}
	if name == DeletedAuthorName {
		return "", Errorf(EINVALID, "쓸 수 없는 닉네임입니다.")
	}
	return name, nil
}

// DeletedAuthorName is shown for comments of readers who left.
const DeletedAuthorName = "탈퇴한 회원"

// commonPasswords are among the most used passwords worldwide and in Korea;
// a reader choosing one is refused.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`123456 12345678 123456789 1234567890 password password1 password123
		qwerty qwerty123 qwertyuiop 1q2w3e4r 1q2w3e4r5t 1q2w3e4r! 11111111 00000000 12341234 abc12345 abcd1234
		iloveyou sunshine princess admin1234 welcome1 football baseball dragon1234 letmein1 monkey123 asdf1234
		asdfghjk zxcvbnm1 passw0rd p@ssw0rd q1w2e3r4 1qaz2wsx qazwsx123 a1234567 aa123456 87654321 11223344
		123123123 12121212 88888888 99999999 gkswlsdn rlaehdgus sarang12 saranghae tkfkdgo1234 dkssud123`) {
		commonPasswords[p] = true
	}
}

// IsCommonPassword reports whether pw is on the common-password list.
func IsCommonPassword(pw string) bool { return commonPasswords[strings.ToLower(pw)] }
