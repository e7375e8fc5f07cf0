package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"jikji/internal/news"
	"jikji/internal/twofactor"
)

// pendingCookie holds a login that waits for its second factor; only the
// second-step form reads it.
const pendingCookie = "jikji_pending"

func init() {
	statusOf[news.EOTPREQUIRED] = http.StatusUnauthorized
	statusOf[news.EOTPINVALID] = http.StatusUnauthorized
	statusOf[news.EOTPSETUP] = http.StatusForbidden
	statusOf[news.EACCOUNTEXISTS] = http.StatusConflict
	auditNames[news.AuditLogin] = "로그인"
	auditNames[news.AuditTwoFactorOn] = "2단계 인증 설정"
	auditNames[news.AuditTwoFactorReset] = "2단계 인증 초기화"
	auditNames[news.AuditSessionEnded] = "세션 종료"
	auditNames[news.AuditSessionsEnded] = "모든 세션 종료"
}

// otpLimit bounds the one-time codes tried per account: six digits in
// ten guesses a quarter-hour is about one chance in a hundred thousand.
func newOTPLimiter() *limiter { return newLimiter(10, 15*time.Minute) }

// checkOTP throttles, then checks the second factor of an account with
// two-factor on.
func (s *Server) checkOTP(w http.ResponseWriter, r *http.Request, a news.Account, code string) error {
	if !a.TwoFactor {
		return nil
	}
	if code == "" {
		return s.Svc.SecondFactor(r.Context(), a, code)
	}
	key := "otp:" + a.Email
	if err := s.limited(w, s.otpByAccount, key); err != nil {
		return err
	}
	if err := s.Svc.SecondFactor(r.Context(), a, code); err != nil {
		return err
	}
	s.otpByAccount.reset(key)
	return nil
}

// completeLogin logs in an account whose password (or provider) was
// checked: at once without two-factor, else through the code step.
func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, a news.Account, next string) error {
	if !a.TwoFactor {
		if err := s.login(w, r, a); err != nil {
			return err
		}
		http.Redirect(w, r, s.afterLogin(a, next), http.StatusSeeOther)
		return nil
	}
	token, err := s.Svc.BeginPending(r.Context(), a, r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: token, Path: "/login", MaxAge: 600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	return s.render(w, r, http.StatusOK, "login_otp", "2단계 인증", otpForm{Next: next})
}

// afterLogin sends staff who must set up two-factor to its page first.
func (s *Server) afterLogin(a news.Account, next string) string {
	if s.Svc.NeedsTwoFactorSetup(a) {
		return "/me/2fa?next=" + url.QueryEscape(next)
	}
	return next
}

type otpForm struct {
	Next  string
	Error string
}

func (s *Server) loginOTPSubmit(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(pendingCookie)
	if err != nil || c.Value == "" {
		return s.render(w, r, http.StatusUnauthorized, "login", "로그인", authForm{Next: next, Error: "로그인 시간이 지났습니다. 이메일과 비밀번호부터 다시 입력해주세요."})
	}
	a, err := s.Svc.PendingAccount(r.Context(), c.Value)
	if err == nil {
		key := "otp:" + a.Email
		if err = s.limited(w, s.otpByAccount, key); err == nil {
			var token string
			var sess news.Session
			a, token, sess, err = s.Svc.FinishPending(r.Context(), c.Value, r.PostFormValue("otp"), r.UserAgent())
			if err == nil {
				s.otpByAccount.reset(key)
				http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
				s.setSession(w, r, token, sess.ExpiresAt)
				http.Redirect(w, r, s.afterLogin(a, next), http.StatusSeeOther)
				return nil
			}
		}
	}
	switch news.ErrorCode(err) {
	case news.EINTERNAL:
		return err
	case news.EUNAUTHORIZED:
		return s.render(w, r, http.StatusUnauthorized, "login", "로그인", authForm{Next: next, Error: news.ErrorMessage(err)})
	}
	return s.render(w, r, httpStatus(err), "login_otp", "2단계 인증", otpForm{Next: next, Error: news.ErrorMessage(err)})
}

// twoFactorView is the two-factor page: the state, or a setup under way.
type twoFactorView struct {
	Next     string
	Enabled  bool
	Required bool
	Setup    *news.TwoFactorSetup
	// QR is the setup's otpauth:// URL drawn as a PNG data URL.
	QR      template.URL
	Secret  string
	Pending bool
	Error   string
}

func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	view := twoFactorView{Next: safeNext(r.URL.Query().Get("next")), Enabled: v.TwoFactor, Required: s.Svc.TwoFactorRequired(v.Role)}
	return s.render(w, r, http.StatusOK, "twofactor", "2단계 인증", view)
}

func (s *Server) twoFactorBeginSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	view := twoFactorView{Next: safeNext(r.PostFormValue("next")), Enabled: v.TwoFactor, Required: s.Svc.TwoFactorRequired(v.Role)}
	setup, err := s.Svc.BeginTwoFactor(r.Context(), v)
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		view.Error = news.ErrorMessage(err)
		return s.render(w, r, httpStatus(err), "twofactor", "2단계 인증", view)
	}
	view.Setup, view.Secret, view.Pending = &setup, setup.Secret, true
	if view.QR, err = qrDataURL(setup.URL); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "twofactor", "2단계 인증", view)
}

func (s *Server) twoFactorConfirmSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	next := safeNext(r.PostFormValue("next"))
	err := s.Svc.ConfirmTwoFactor(r.Context(), v, r.PostFormValue("code"), sessionToken(r))
	if err == nil {
		s.setFlash(w, r, flash{Message: "2단계 인증을 켰습니다. 다른 기기의 로그인은 모두 종료되었습니다."})
		if next == "/" {
			next = "/me"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	if news.ErrorCode(err) == news.EINTERNAL {
		return err
	}
	view := twoFactorView{Next: next, Required: s.Svc.TwoFactorRequired(v.Role), Error: news.ErrorMessage(err)}
	if tf, perr := s.Svc.PendingTwoFactor(r.Context(), v); perr == nil {
		view.Pending, view.Secret = true, tf.Secret
		issuer := "Jikji"
		if site, serr := s.Svc.Site(r.Context()); serr == nil && site.Name != "" {
			issuer = site.Name
		}
		if view.QR, err = qrDataURL(otpauthURL(issuer, tf.Secret, v.Email)); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "twofactor", "2단계 인증", view)
}

// qrDataURL draws an otpauth:// URL as a QR code inside the page: the
// secret never leaves in a separate, cacheable request.
func qrDataURL(otpauth string) (template.URL, error) {
	png, err := twofactor.QRCode(otpauth, 240)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// otpauthURL rebuilds the URL of a pending setup for its QR code, as
// the setup made it (Key URI Format: issuer, account, secret, SHA-1, six
// digits, 30 seconds).
func otpauthURL(issuer, secret, account string) string {
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: q.Encode()}).String()
}

type twoFactorJSON struct {
	Secret        string   `json:"secret"`
	OTPAuthURL    string   `json:"otpauth_url"`
	RecoveryCodes []string `json:"recovery_codes"`
}

func (s *Server) apiBeginTwoFactor(r *http.Request, v news.Account, _ int64, _ none) (twoFactorJSON, error) {
	setup, err := s.Svc.BeginTwoFactor(r.Context(), v)
	if err != nil {
		return twoFactorJSON{}, err
	}
	return twoFactorJSON{Secret: setup.Secret, OTPAuthURL: setup.URL, RecoveryCodes: setup.RecoveryCodes}, nil
}

type confirmTwoFactorIn struct {
	Code string `json:"code"`
}

type twoFactorStateJSON struct {
	TwoFactor bool `json:"two_factor"`
}

func (s *Server) apiConfirmTwoFactor(r *http.Request, v news.Account, _ int64, in confirmTwoFactorIn) (twoFactorStateJSON, error) {
	if err := s.Svc.ConfirmTwoFactor(r.Context(), v, in.Code, sessionToken(r)); err != nil {
		return twoFactorStateJSON{}, err
	}
	return twoFactorStateJSON{TwoFactor: true}, nil
}

// sessionToken is the request's session cookie, if any.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) twoFactorDisableSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	if err := s.disableTwoFactor(w, r, v, r.PostFormValue("password"), r.PostFormValue("otp")); err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		view := twoFactorView{Next: "/me", Enabled: v.TwoFactor, Required: s.Svc.TwoFactorRequired(v.Role), Error: news.ErrorMessage(err)}
		return s.render(w, r, httpStatus(err), "twofactor", "2단계 인증", view)
	}
	s.setFlash(w, r, flash{Message: "2단계 인증을 껐습니다. 다른 기기의 로그인도 모두 종료되었습니다."})
	http.Redirect(w, r, "/me", http.StatusSeeOther)
	return nil
}

// disableTwoFactor turns two-factor off (throttled like any code) and logs
// the person in again: turning it off ended every session.
func (s *Server) disableTwoFactor(w http.ResponseWriter, r *http.Request, v news.Account, password, code string) error {
	key := "otp:" + v.Email
	if err := s.limited(w, s.otpByAccount, key); err != nil {
		return err
	}
	if err := s.Svc.DisableTwoFactor(r.Context(), v, password, code); err != nil {
		return err
	}
	s.otpByAccount.reset(key)
	v.TwoFactor = false
	return s.login(w, r, v)
}

type disableTwoFactorIn struct {
	Password string `json:"password"`
	OTP      string `json:"otp"`
}

func (s *Server) apiDisableTwoFactor(w http.ResponseWriter, r *http.Request) error {
	// Not a jsonAction: turning two-factor off ends every session, and
	// this browser's is started anew.
	v, err := s.callerFor(r, reader, false)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	var in disableTwoFactorIn
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.disableTwoFactor(w, r, v, in.Password, in.OTP); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
