package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"jikji/internal/news"
	"jikji/internal/twofactor"
	"jikji/internal/web"
)

// SignIn is the configuration of outside logins and of two-factor.
type SignIn struct {
	// TwoFactorAllStaff requires two-factor of reporters and moderators
	// too; editors and admins always need it.
	TwoFactorAllStaff bool

	KakaoClientID, KakaoClientSecret   string
	NaverClientID, NaverClientSecret   string
	GoogleClientID, GoogleClientSecret string
	OIDCIssuer, OIDCClientID           string
	OIDCClientSecret, OIDCName         string

	// Endpoints of the known providers, replaced only by tests that run
	// their own servers in place of 카카오's, 네이버's and Google's.
	kakaoIssuer, googleIssuer                     string
	naverAuthURL, naverTokenURL, naverUserInfoURL string
	// providerClock, if set, is the clock ID tokens are checked against.
	providerClock func() time.Time
}

// wire gives the service and the server what sign-in needs.
func (c SignIn) wire(svc *news.Service, srv *web.Server) {
	svc.OneTimeCodes = twofactor.TOTP{}
	svc.TwoFactorAllStaff = c.TwoFactorAllStaff
	// Confirmations of linking a provider go out with the account mail;
	// without an SMTP server they wait in the outbox like the rest.
	svc.LinkConfirmations = svc.OutboxLinkConfirmations()
	srv.Providers = c.providers()
}

func signInFlags(fs *flag.FlagSet, c *Config) {
	fs.BoolVar(&c.TwoFactorAllStaff, "two-factor-all-staff", false, "require two-factor of reporters and moderators too (editors and admins always need it)")
	fs.StringVar(&c.KakaoClientID, "kakao-client-id", "", "카카오 로그인: REST API key (empty: no 카카오 button)")
	fs.StringVar(&c.KakaoClientSecret, "kakao-client-secret", "", "카카오 로그인: client secret")
	fs.StringVar(&c.NaverClientID, "naver-client-id", "", "네이버 로그인: client id (empty: no 네이버 button)")
	fs.StringVar(&c.NaverClientSecret, "naver-client-secret", "", "네이버 로그인: client secret")
	fs.StringVar(&c.GoogleClientID, "google-client-id", "", "Google login: OAuth client id (empty: no Google button)")
	fs.StringVar(&c.GoogleClientSecret, "google-client-secret", "", "Google login: OAuth client secret")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", "", "any OpenID Connect provider: issuer URL (empty: none)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", "", "OpenID Connect provider: client id")
	fs.StringVar(&c.OIDCClientSecret, "oidc-client-secret", "", "OpenID Connect provider: client secret")
	fs.StringVar(&c.OIDCName, "oidc-name", "회사 계정", "OpenID Connect provider: name on the login button")
}

// providers are the outside logins configured, in the order the login
// page shows them.
func (c SignIn) providers() []*web.Provider {
	var out []*web.Provider
	if c.KakaoClientID != "" {
		p := web.KakaoProvider(c.KakaoClientID, c.KakaoClientSecret)
		if c.kakaoIssuer != "" {
			p.Issuer = c.kakaoIssuer
			// A stand-in provider knows the standard scopes, not 카카오's
			// consent items (account_email, profile_nickname).
			p.Scopes = []string{"openid", "email", "profile"}
		}
		out = append(out, p)
	}
	if c.NaverClientID != "" {
		p := web.NaverProvider(c.NaverClientID, c.NaverClientSecret)
		if c.naverAuthURL != "" {
			p.AuthURL, p.TokenURL, p.UserInfoURL = c.naverAuthURL, c.naverTokenURL, c.naverUserInfoURL
		}
		out = append(out, p)
	}
	if c.GoogleClientID != "" {
		p := web.GoogleProvider(c.GoogleClientID, c.GoogleClientSecret)
		if c.googleIssuer != "" {
			p.Issuer = c.googleIssuer
		}
		out = append(out, p)
	}
	if c.OIDCIssuer != "" && c.OIDCClientID != "" {
		out = append(out, web.OIDCProvider(c.OIDCName, c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret))
	}
	for _, p := range out {
		p.Now = c.providerClock
	}
	return out
}

// runResetTwoFactor removes a staff member's two-factor, for the day a
// phone is lost.
func runResetTwoFactor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	var email string
	fs := newSiteFlagSet("user reset-2fa", stderr, &c)
	fs.StringVar(&email, "email", "", "e-mail of the account")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if email == "" {
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("--email 을 지정해주세요")
	}
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	a, err := news.NewService(st).ResetTwoFactor(ctx, email)
	if err != nil {
		var de *news.Error
		if errors.As(err, &de) {
			return errors.New(de.Message)
		}
		return err
	}
	fmt.Fprintf(stdout, "2단계 인증을 초기화하고 모든 로그인을 끝냈습니다: #%d %s <%s>. 다음 로그인 때 다시 설정합니다.\n", a.ID, a.DisplayName, a.Email)
	return nil
}
