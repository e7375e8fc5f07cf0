package news

import (
	"context"
	"strings"
	"time"
)

// Identity links an account to its login at an outside provider (카카오,
// 네이버, Google, a company's OpenID Connect server).
type Identity struct {
	Provider  string // the provider's configured name: kakao, naver, google, oidc
	Subject   string // the provider's stable id of the person
	AccountID int64
	Email     string // as the provider gave it when linked
	CreatedAt time.Time
}

// ProviderClaims is what a provider vouched for after a login.
type ProviderClaims struct {
	Provider string
	Subject  string
	Email    string
	// EmailVerified is false when the provider says the address was not
	// checked; such an address names no account.
	EmailVerified bool
	Name          string
}

// PendingIdentity is a provider login whose e-mail belongs to an existing
// account: it waits for the owner's password (or a confirmation mail).
type PendingIdentity struct {
	TokenHash string
	ProviderClaims
	AccountID int64
	ExpiresAt time.Time
}

// LinkConfirmations sends the owner of a registered e-mail a message with
// a link that confirms linking a provider's login to the account. The
// mail service fills it; without it the owner confirms with the password.
type LinkConfirmations interface {
	// SendLinkConfirmation mails a the confirmation link for a provider
	// login (provider is its name as people know it; confirmURL holds a
	// one-time token valid for an hour).
	SendLinkConfirmation(ctx context.Context, a Account, provider, confirmURL string) error
}

// EACCOUNTEXISTS: a provider login's e-mail belongs to an existing account,
// which must be proven before the provider is linked to it.
const EACCOUNTEXISTS = "account_exists"

// pendingIdentityLifetime is how long a provider login waits for the
// owner of its e-mail.
const pendingIdentityLifetime = time.Hour

// ProviderLogin returns the account a provider's login leads to: the
// linked one, or a new reader account when the e-mail is not registered.
// When the e-mail belongs to an account not linked yet it returns
// EACCOUNTEXISTS and a token for ConfirmPendingIdentity: an e-mail is never
// taken over without its owner's proof.
func (s *Service) ProviderLogin(ctx context.Context, c ProviderClaims) (Account, string, error) {
	if c.Provider == "" || c.Subject == "" {
		return Account{}, "", Errorf(EINVALID, "로그인 제공자의 응답이 올바르지 않습니다.")
	}
	a, err := s.store.IdentityAccount(ctx, c.Provider, c.Subject)
	if err == nil {
		return a, "", nil
	}
	if !IsNotFound(err) {
		return Account{}, "", err
	}
	email, err := normalizeEmail(c.Email)
	if err != nil || !c.EmailVerified {
		return Account{}, "", Errorf(EINVALID, "로그인 제공자가 확인된 이메일 주소를 알려주지 않았습니다. 이메일 제공에 동의한 뒤 다시 시도해주세요.")
	}
	existing, err := s.store.AccountByEmail(ctx, email)
	if err == nil {
		token := newToken()
		p := PendingIdentity{TokenHash: HashToken(token), ProviderClaims: c, AccountID: existing.ID, ExpiresAt: s.Now().Add(pendingIdentityLifetime)}
		p.Email = email
		if err := s.store.SavePendingIdentity(ctx, p); err != nil {
			return Account{}, "", err
		}
		return Account{}, token, &Error{Code: EACCOUNTEXISTS,
			Message: "이미 이 이메일로 가입한 계정이 있습니다. 계정의 비밀번호를 입력하면 두 로그인을 연결합니다."}
	}
	if !IsNotFound(err) {
		return Account{}, "", err
	}
	a = Account{Email: email, DisplayName: providerDisplayName(c.Name, email), Role: RoleReader, CreatedAt: s.Now()}
	id := Identity{Provider: c.Provider, Subject: c.Subject, Email: email, CreatedAt: s.Now()}
	if err := s.store.CreateAccountWithIdentity(ctx, &a, id); err != nil {
		return Account{}, "", err
	}
	return a, "", nil
}

// PendingIdentityOwner tells which account a pending provider login waits
// for, without using it up. Returns EUNAUTHORIZED when it expired.
func (s *Service) PendingIdentityOwner(ctx context.Context, token string) (Account, ProviderClaims, error) {
	if token == "" || len(token) > 100 {
		return Account{}, ProviderClaims{}, errLinkGone
	}
	p, err := s.store.PendingIdentity(ctx, HashToken(token), s.Now())
	if IsNotFound(err) {
		return Account{}, ProviderClaims{}, errLinkGone
	}
	if err != nil {
		return Account{}, ProviderClaims{}, err
	}
	a, err := s.store.Account(ctx, p.AccountID)
	if err != nil || !a.DeletedAt.IsZero() {
		return Account{}, ProviderClaims{}, errLinkGone
	}
	return a, p.ProviderClaims, nil
}

var errLinkGone = &Error{Code: EUNAUTHORIZED, Message: "연결 요청 시간이 지났습니다. 처음부터 다시 로그인해주세요."}

// ConfirmPendingIdentity links a waiting provider login to its account
// once the owner gives the account's password, and returns the account.
// A wrong password keeps the request waiting. Returns EBADLOGIN for a
// wrong password, EUNAUTHORIZED when the request expired.
func (s *Service) ConfirmPendingIdentity(ctx context.Context, token, password string) (Account, error) {
	a, c, err := s.PendingIdentityOwner(ctx, token)
	if err != nil {
		return Account{}, err
	}
	ok, err := s.Passwords.Verify(ctx, a.PasswordHash, password)
	if err != nil {
		return Account{}, err
	}
	if !ok {
		return Account{}, Errorf(EBADLOGIN, "비밀번호가 올바르지 않습니다.")
	}
	return s.linkPending(ctx, token, a, c)
}

// ConfirmPendingIdentityByMail links a waiting provider login whose token
// came back from the confirmation mail sent to the account's address.
func (s *Service) ConfirmPendingIdentityByMail(ctx context.Context, token string) (Account, error) {
	a, c, err := s.PendingIdentityOwner(ctx, token)
	if err != nil {
		return Account{}, err
	}
	return s.linkPending(ctx, token, a, c)
}

// SendPendingIdentityMail mails the owner of a waiting provider login the
// link that confirms it, naming the provider as label does. Returns
// EFORBIDDEN when no mail service is set.
func (s *Service) SendPendingIdentityMail(ctx context.Context, token string, confirmURL func(token string) string, label func(provider string) string) error {
	if s.LinkConfirmations == nil {
		return Errorf(EFORBIDDEN, "이 사이트에서는 확인 메일을 보낼 수 없습니다. 비밀번호로 확인해주세요.")
	}
	a, c, err := s.PendingIdentityOwner(ctx, token)
	if err != nil {
		return err
	}
	return s.LinkConfirmations.SendLinkConfirmation(ctx, a, label(c.Provider), confirmURL(token))
}

func (s *Service) linkPending(ctx context.Context, token string, a Account, c ProviderClaims) (Account, error) {
	if _, err := s.store.TakePendingIdentity(ctx, HashToken(token), s.Now()); err != nil {
		return Account{}, errLinkGone
	}
	if err := s.store.LinkIdentity(ctx, Identity{Provider: c.Provider, Subject: c.Subject, AccountID: a.ID, Email: c.Email, CreatedAt: s.Now()}); err != nil {
		return Account{}, err
	}
	return a, nil
}

// LinkIdentity links a provider login to the logged-in viewer. Returns
// ECONFLICT if the provider's account is linked to someone, or the viewer
// has that provider linked already.
func (s *Service) LinkIdentity(ctx context.Context, viewer Account, c ProviderClaims) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if c.Provider == "" || c.Subject == "" {
		return Errorf(EINVALID, "로그인 제공자의 응답이 올바르지 않습니다.")
	}
	if a, err := s.store.IdentityAccount(ctx, c.Provider, c.Subject); err == nil {
		if a.ID == viewer.ID {
			return nil
		}
		return Errorf(ECONFLICT, "이 계정은 이미 다른 회원과 연결되어 있습니다.")
	}
	return s.store.LinkIdentity(ctx, Identity{Provider: c.Provider, Subject: c.Subject, AccountID: viewer.ID, Email: NormalizeEmail(c.Email), CreatedAt: s.Now()})
}

// Identities lists the providers linked to the viewer.
func (s *Service) Identities(ctx context.Context, viewer Account) ([]Identity, error) {
	if viewer.ID == 0 {
		return nil, errLoginRequired
	}
	return s.store.Identities(ctx, viewer.ID)
}

// UnlinkIdentity removes a provider from the viewer, unless it is the last
// way in: an account without a password keeps its last provider. Returns
// ECONFLICT for the last way in, ENOTFOUND if the provider is not linked.
func (s *Service) UnlinkIdentity(ctx context.Context, viewer Account, provider string) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	list, err := s.store.Identities(ctx, viewer.ID)
	if err != nil {
		return err
	}
	linked := false
	for _, id := range list {
		linked = linked || id.Provider == provider
	}
	if !linked {
		return Errorf(ENOTFOUND, "연결되지 않은 로그인입니다.")
	}
	if viewer.PasswordHash == "" && len(list) == 1 {
		return Errorf(ECONFLICT, "마지막 로그인 방법은 해제할 수 없습니다. 다른 로그인을 먼저 연결해주세요.")
	}
	return s.store.UnlinkIdentity(ctx, viewer.ID, provider)
}

// providerDisplayName makes a valid nickname of the provider's name, or of
// the e-mail's local part.
func providerDisplayName(name, email string) string {
	if n, err := normalizeDisplayName(name); err == nil {
		return n
	}
	local, _, _ := strings.Cut(email, "@")
	if len([]rune(local)) > 20 {
		local = string([]rune(local)[:20])
	}
	if n, err := normalizeDisplayName(local); err == nil {
		return n
	}
	return "독자"
}
