package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"jikji/internal/news"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Provider is an outside login: 카카오, 네이버, Google or an operator's
// own OpenID Connect server.
type Provider struct {
	// Name is the path segment (/auth/{name}/…) and the key identities
	// are kept under: kakao, naver, google or oidc.
	Name string
	// Label names the provider on buttons and on /me.
	Label        string
	ClientID     string
	ClientSecret string
	// Issuer is the OpenID Connect issuer, whose discovery document gives
	// the endpoints and keys. Empty for OAuth-only providers (Naver).
	Issuer string
	// AuthURL, TokenURL and UserInfoURL are the endpoints of an OAuth-only
	// provider.
	AuthURL, TokenURL, UserInfoURL string
	Scopes                         []string
	// AuthStyle is how the client secret reaches the token endpoint.
	AuthStyle oauth2.AuthStyle
	// Now is the clock ID tokens are checked against; nil for the
	// service's.
	Now func() time.Time

	mu   sync.Mutex
	oidc *oidc.Provider
}

// Known providers' endpoints and scopes; the operator gives only the
// client id and secret.
func KakaoProvider(clientID, secret string) *Provider {
	return &Provider{Name: "kakao", Label: "카카오", ClientID: clientID, ClientSecret: secret,
		Issuer: "https://kauth.kakao.com", Scopes: []string{oidc.ScopeOpenID, "account_email", "profile_nickname"},
		AuthStyle: oauth2.AuthStyleInParams}
}

// NaverProvider speaks OAuth 2.0 with a user-info call; it has no OpenID
// Connect.
func NaverProvider(clientID, secret string) *Provider {
	return &Provider{Name: "naver", Label: "네이버", ClientID: clientID, ClientSecret: secret,
		AuthURL: "https://nid.naver.com/oauth2.0/authorize", TokenURL: "https://nid.naver.com/oauth2.0/token",
		UserInfoURL: "https://openapi.naver.com/v1/nid/me", AuthStyle: oauth2.AuthStyleInParams}
}

func GoogleProvider(clientID, secret string) *Provider {
	return &Provider{Name: "google", Label: "Google", ClientID: clientID, ClientSecret: secret,
		Issuer: "https://accounts.google.com", Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// OIDCProvider is any OpenID Connect server, named label on the button.
func OIDCProvider(label, issuer, clientID, secret string) *Provider {
	if label == "" {
		label = "회사 계정"
	}
	return &Provider{Name: "oidc", Label: label, ClientID: clientID, ClientSecret: secret, Issuer: issuer,
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// discover fetches and keeps the issuer's discovery document; a failure is
// tried again at the next login rather than stopping the server.
func (p *Provider) discover(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oidc != nil {
		return p.oidc, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", p.Name, err)
	}
	p.oidc = op
	return op, nil
}

func (s *Server) oauthConfig(ctx context.Context, p *Provider) (*oauth2.Config, error) {
	cfg := &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Scopes: p.Scopes,
		RedirectURL: s.absURL("/auth/" + p.Name + "/callback")}
	if p.Issuer == "" {
		cfg.Endpoint = oauth2.Endpoint{AuthURL: p.AuthURL, TokenURL: p.TokenURL, AuthStyle: p.AuthStyle}
		return cfg, nil
	}
	op, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	cfg.Endpoint = op.Endpoint()
	cfg.Endpoint.AuthStyle = p.AuthStyle
	return cfg, nil
}

func (s *Server) provider(name string) (*Provider, error) {
	for _, p := range s.Providers {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, errNotFound
}

// flowCookie carries one login's state, nonce and PKCE verifier from the
// start to the callback in the browser that began it; it lives ten
// minutes and only under /auth/.
const flowCookie = "jikji_oauth"

type flowState struct {
	Provider string `json:"p"`
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Link     bool   `json:"l,omitempty"`
}

func randomToken() string {
	raw := make([]byte, 24)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func (s *Server) providerStart(w http.ResponseWriter, r *http.Request) error {
	p, err := s.provider(r.PathValue("provider"))
	if err != nil {
		return err
	}
	flow := flowState{Provider: p.Name, State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.URL.Query().Get("next")), Link: r.URL.Query().Get("link") == "1"}
	if flow.Link && viewer(r).ID == 0 {
		http.Redirect(w, r, loginURL("/me"), http.StatusSeeOther)
		return nil
	}
	cfg, err := s.oauthConfig(r.Context(), p)
	if err != nil {
		s.Logger.Error("provider unreachable", "provider", p.Name, "err", err)
		return news.Errorf(news.EBUSY, "%s 로그인 서버에 연결할 수 없습니다. 잠시 후 다시 시도해주세요.", p.Label)
	}
	raw, _ := json.Marshal(flow)
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: "/auth/",
		MaxAge: 600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(flow.Verifier)}
	if p.Issuer != "" {
		opts = append(opts, oidc.Nonce(flow.Nonce))
	}
	http.Redirect(w, r, cfg.AuthCodeURL(flow.State, opts...), http.StatusSeeOther)
	return nil
}

var errRefusedFlow = news.Errorf(news.EINVALID, "로그인 요청을 확인할 수 없습니다. 처음부터 다시 시도해주세요.")

func (s *Server) takeFlow(w http.ResponseWriter, r *http.Request) (flowState, error) {
	c, err := r.Cookie(flowCookie)
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: "", Path: "/auth/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	if err != nil {
		return flowState{}, errRefusedFlow
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	var flow flowState
	if err != nil || json.Unmarshal(raw, &flow) != nil {
		return flowState{}, errRefusedFlow
	}
	state := r.URL.Query().Get("state")
	if flow.Provider != r.PathValue("provider") || flow.State == "" || subtle.ConstantTimeCompare([]byte(state), []byte(flow.State)) != 1 {
		return flowState{}, errRefusedFlow
	}
	return flow, nil
}

func (s *Server) providerCallback(w http.ResponseWriter, r *http.Request) error {
	p, err := s.provider(r.PathValue("provider"))
	if err != nil {
		return err
	}
	flow, err := s.takeFlow(w, r)
	if err != nil {
		return err
	}
	if e := r.URL.Query().Get("error"); e != "" {
		s.setFlash(w, r, flash{Message: p.Label + " 로그인을 취소했습니다.", Error: true})
		http.Redirect(w, r, loginURL(flow.Next), http.StatusSeeOther)
		return nil
	}
	claims, err := s.providerClaims(r.Context(), p, flow, r.URL.Query().Get("code"))
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			s.Logger.Warn("provider login refused", "provider", p.Name, "err", err)
			return news.Errorf(news.EINVALID, "%s 로그인을 확인하지 못했습니다. 처음부터 다시 시도해주세요.", p.Label)
		}
		return err
	}
	if flow.Link {
		v, err := s.callerFor(r, reader, false)
		if err != nil {
			http.Redirect(w, r, loginURL("/me"), http.StatusSeeOther)
			return nil
		}
		if err := s.Svc.LinkIdentity(r.Context(), v, claims); err != nil {
			return err
		}
		s.setFlash(w, r, flash{Message: p.Label + " 로그인을 연결했습니다."})
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil
	}
	a, pending, err := s.Svc.ProviderLogin(r.Context(), claims)
	if news.ErrorCode(err) == news.EACCOUNTEXISTS {
		http.SetCookie(w, &http.Cookie{Name: linkCookie, Value: pending, Path: "/auth/link", MaxAge: 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
		http.Redirect(w, r, "/auth/link?next="+url.QueryEscape(flow.Next), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	return s.completeLogin(w, r, a, flow.Next)
}

// providerClaims exchanges the code (with the PKCE verifier) and learns
// who logged in: from the verified ID token, whose nonce must be this
// login's, and the user-info endpoint where the token lacks the e-mail.
func (s *Server) providerClaims(ctx context.Context, p *Provider, flow flowState, code string) (news.ProviderClaims, error) {
	if code == "" {
		return news.ProviderClaims{}, errRefusedFlow
	}
	cfg, err := s.oauthConfig(ctx, p)
	if err != nil {
		return news.ProviderClaims{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		return news.ProviderClaims{}, fmt.Errorf("exchange code: %w", err)
	}
	if p.Issuer == "" {
		return naverClaims(ctx, p, cfg.Client(ctx, tok))
	}
	op, err := p.discover(ctx)
	if err != nil {
		return news.ProviderClaims{}, err
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return news.ProviderClaims{}, errors.New("no id_token in the token response")
	}
	now := s.Svc.Now
	if p.Now != nil {
		now = p.Now
	}
	idToken, err := op.Verifier(&oidc.Config{ClientID: p.ClientID, Now: now}).Verify(ctx, rawID)
	if err != nil {
		return news.ProviderClaims{}, fmt.Errorf("verify id token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(flow.Nonce)) != 1 {
		return news.ProviderClaims{}, errors.New("id token nonce is not this login's")
	}
	var c struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
		Nickname      string `json:"nickname"`
	}
	if err := idToken.Claims(&c); err != nil {
		return news.ProviderClaims{}, fmt.Errorf("id token claims: %w", err)
	}
	if c.Email == "" && op.UserInfoEndpoint() != "" {
		info, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return news.ProviderClaims{}, fmt.Errorf("user info: %w", err)
		}
		if info.Subject != idToken.Subject {
			return news.ProviderClaims{}, errors.New("user info is of another subject")
		}
		if err := info.Claims(&c); err != nil {
			return news.ProviderClaims{}, fmt.Errorf("user info claims: %w", err)
		}
	}
	name := c.Name
	if c.Nickname != "" {
		name = c.Nickname
	}
	return news.ProviderClaims{Provider: p.Name, Subject: idToken.Subject, Email: c.Email,
		EmailVerified: c.EmailVerified == nil || *c.EmailVerified, Name: name}, nil
}

// naverClaims reads Naver's user-info answer:
// {"resultcode":"00","message":"success","response":{"id":…,"email":…,"name":…,"nickname":…}}.
// Naver gives only addresses it verified.
func naverClaims(ctx context.Context, p *Provider, client *http.Client) (news.ProviderClaims, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.UserInfoURL, nil)
	if err != nil {
		return news.ProviderClaims{}, err
	}
	res, err := client.Do(req)
	if err != nil {
		return news.ProviderClaims{}, fmt.Errorf("user info: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return news.ProviderClaims{}, fmt.Errorf("user info: %w", err)
	}
	var out struct {
		ResultCode string `json:"resultcode"`
		Response   struct {
			ID       string `json:"id"`
			Email    string `json:"email"`
			Name     string `json:"name"`
			Nickname string `json:"nickname"`
		} `json:"response"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil || out.ResultCode != "00" || out.Response.ID == "" {
		return news.ProviderClaims{}, fmt.Errorf("user info: status %d: %.200s", res.StatusCode, body)
	}
	name := out.Response.Nickname
	if name == "" {
		name = out.Response.Name
	}
	return news.ProviderClaims{Provider: p.Name, Subject: out.Response.ID, Email: out.Response.Email, EmailVerified: true, Name: name}, nil
}

// linkCookie holds a provider login that waits for the owner of its
// e-mail's account.
const linkCookie = "jikji_link"

type linkView struct {
	Next     string
	Provider string
	Email    string
	CanMail  bool
	Error    string
}

func (s *Server) providerLabel(name string) string {
	if p, err := s.provider(name); err == nil {
		return p.Label
	}
	return name
}

func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	return s.renderLink(w, r, http.StatusOK, next, "")
}

func (s *Server) renderLink(w http.ResponseWriter, r *http.Request, status int, next, msg string) error {
	c, err := r.Cookie(linkCookie)
	if err != nil {
		return s.render(w, r, http.StatusUnauthorized, "login", "로그인", authForm{Next: next, Error: "연결 요청 시간이 지났습니다. 처음부터 다시 로그인해주세요."})
	}
	a, claims, err := s.Svc.PendingIdentityOwner(r.Context(), c.Value)
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		return s.render(w, r, http.StatusUnauthorized, "login", "로그인", authForm{Next: next, Error: news.ErrorMessage(err)})
	}
	return s.render(w, r, status, "link", "계정 연결", linkView{Next: next, Provider: s.providerLabel(claims.Provider),
		Email: a.Email, CanMail: s.Svc.LinkConfirmations != nil, Error: msg})
}

func (s *Server) linkSubmit(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(linkCookie)
	if err != nil {
		return s.renderLink(w, r, http.StatusUnauthorized, next, "")
	}
	owner, _, err := s.Svc.PendingIdentityOwner(r.Context(), c.Value)
	if err != nil {
		return s.renderLink(w, r, http.StatusUnauthorized, next, "")
	}
	// The owner's password is guessed no faster here than at /login.
	if err := s.limited(w, s.loginByAccount, owner.Email); err != nil {
		return s.renderLink(w, r, httpStatus(err), next, news.ErrorMessage(err))
	}
	a, err := s.Svc.ConfirmPendingIdentity(r.Context(), c.Value, r.PostFormValue("password"))
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		return s.renderLink(w, r, httpStatus(err), next, news.ErrorMessage(err))
	}
	s.loginByAccount.reset(owner.Email)
	http.SetCookie(w, &http.Cookie{Name: linkCookie, Value: "", Path: "/auth/link", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	s.setFlash(w, r, flash{Message: "계정을 연결했습니다. 다음부터는 이 로그인으로 바로 들어올 수 있습니다."})
	return s.completeLogin(w, r, a, next)
}

// linkMailSubmit asks for the confirmation mail instead of the password.
func (s *Server) linkMailSubmit(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(linkCookie)
	if err != nil {
		return s.renderLink(w, r, http.StatusUnauthorized, next, "")
	}
	err = s.Svc.SendPendingIdentityMail(r.Context(), c.Value, func(token string) string {
		return s.absURL("/auth/link/confirm?token=" + url.QueryEscape(token))
	}, s.providerLabel)
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		return s.renderLink(w, r, httpStatus(err), next, news.ErrorMessage(err))
	}
	s.setFlash(w, r, flash{Message: "가입한 이메일로 확인 메일을 보냈습니다. 메일의 링크를 누르면 연결됩니다."})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// linkConfirmPage shows the button that confirms a mailed link: a GET
// alone (a mail scanner following links) changes nothing.
func (s *Server) linkConfirmPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "link_confirm", "계정 연결 확인", r.URL.Query().Get("token"))
}

func (s *Server) linkConfirmSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Svc.ConfirmPendingIdentityByMail(r.Context(), r.PostFormValue("token"))
	if err != nil {
		return err
	}
	s.setFlash(w, r, flash{Message: "계정을 연결했습니다."})
	return s.completeLogin(w, r, a, "/me")
}

func (s *Server) unlinkSubmit(r *http.Request, v news.Account, _ int64, _ none) (done, error) {
	if err := s.Svc.UnlinkIdentity(r.Context(), v, r.PathValue("provider")); err != nil {
		return done{}, err
	}
	return done{Notice: s.providerLabel(r.PathValue("provider")) + " 로그인 연결을 해제했습니다."}, nil
}

type identityJSON struct {
	Provider  string `json:"provider"`
	Email     string `json:"email"`
	CreatedAt string `json:"created_at"`
}

type identitiesJSON struct {
	Identities []identityJSON `json:"identities"`
}

func (s *Server) apiIdentities(r *http.Request, v news.Account, _ int64, _ none) (identitiesJSON, error) {
	list, err := s.Svc.Identities(r.Context(), v)
	if err != nil {
		return identitiesJSON{}, err
	}
	out := identitiesJSON{Identities: make([]identityJSON, len(list))}
	for i, id := range list {
		out.Identities[i] = identityJSON{Provider: id.Provider, Email: id.Email, CreatedAt: news.RFC3339KST(id.CreatedAt)}
	}
	return out, nil
}

func (s *Server) apiUnlink(r *http.Request, v news.Account, _ int64, _ none) (none, error) {
	return none{}, s.Svc.UnlinkIdentity(r.Context(), v, r.PathValue("provider"))
}

// providerButton is a login button as the template draws it.
type providerButton struct {
	Name  string
	Label string
}

// providerButtons lists the configured providers for the login page.
func (s *Server) providerButtons() []providerButton {
	out := make([]providerButton, len(s.Providers))
	for i, p := range s.Providers {
		out[i] = providerButton{Name: p.Name, Label: p.Label}
	}
	return out
}

// meView is /me: the account, its linked logins and the providers that
// could still be linked.
type meView struct {
	news.Account
	Linked            []providerButton
	Linkable          []providerButton
	HasPassword       bool
	TwoFactorRequired bool
}

func (s *Server) meView(r *http.Request, v news.Account) (meView, error) {
	view := meView{Account: v, HasPassword: v.PasswordHash != "", TwoFactorRequired: s.Svc.TwoFactorRequired(v.Role)}
	list, err := s.Svc.Identities(r.Context(), v)
	if err != nil {
		return meView{}, err
	}
	linked := map[string]bool{}
	for _, id := range list {
		linked[id.Provider] = true
		view.Linked = append(view.Linked, providerButton{Name: id.Provider, Label: s.providerLabel(id.Provider)})
	}
	for _, p := range s.Providers {
		if !linked[p.Name] {
			view.Linkable = append(view.Linkable, providerButton{Name: p.Name, Label: p.Label})
		}
	}
	return view, nil
}
