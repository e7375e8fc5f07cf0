package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"jikji/internal/news"
)

// mailLimits throttle the mail that strangers can make the site send.
type mailLimits struct {
	resetByIP      *limiter
	resetByAddress *limiter
}

// routeMail adds the routes of password reset, address confirmation,
// one-click unsubscribe, notification switches and the newsroom's outbox.
func (s *Server) routeMail(mux *http.ServeMux) {
	s.mailLimits = mailLimits{resetByIP: newLimiter(10, time.Hour), resetByAddress: newLimiter(5, time.Hour)}

	mux.Handle("GET /password-reset", s.page(s.passwordResetPage))
	mux.Handle("POST /password-reset", s.page(s.passwordResetSubmit))
	mux.Handle("POST /password-reset/confirm", s.page(s.passwordResetConfirmSubmit))
	mux.Handle("POST /api/v1/auth/password-reset", s.api(s.apiPasswordReset))
	mux.Handle("POST /api/v1/auth/password-reset/confirm", s.api(s.apiPasswordResetConfirm))

	mux.Handle("GET /confirm-email", s.page(s.confirmEmailPage))
	mux.Handle("POST /confirm-email", s.page(s.confirmEmailSubmit))
	mux.Handle("POST /api/v1/auth/confirm-email", s.api(s.apiConfirmEmail))

	mux.Handle("GET /mail/unsubscribe", s.page(s.unsubscribePage))
	mux.Handle("POST /mail/unsubscribe", s.page(s.unsubscribeSubmit))

	mux.Handle("GET /me/notifications", s.page(s.view(reader, s.notificationsPage)))
	mux.Handle("POST /me/notifications", s.page(formAction(s, reader, backAt("/me/notifications"), s.notificationsSubmit)))
	mux.Handle("POST /me/email", s.page(formAction(s, reader, backAt("/me/notifications"), s.changeEmailSubmit)))
	mux.Handle("POST /me/confirm-email", s.page(formAction(s, reader, backAt("/me/notifications"), s.resendConfirmationSubmit)))
	mux.Handle("GET /api/v1/me/notifications", s.api(jsonAction(s, reader, http.StatusOK, s.apiNotifications)))
	mux.Handle("PUT /api/v1/me/notifications", s.api(jsonAction(s, reader, http.StatusOK, s.apiSetNotifications)))
	mux.Handle("PUT /api/v1/me/email", s.api(jsonAction(s, reader, http.StatusAccepted, s.apiChangeEmail)))

	mux.Handle("GET /newsroom/mail", s.page(s.view(desk, s.newsroomMailPage)))
	mux.Handle("POST /newsroom/mail/settings", s.page(formAction(s, desk, backAt("/newsroom/mail"), s.mailSettingsSubmit)))
	mux.Handle("GET /newsroom/mail/newsletter/preview", s.page(s.view(desk, s.newsletterPreview)))
	mux.Handle("POST /newsroom/mail/newsletter/test", s.page(formAction(s, desk, backAt("/newsroom/mail"), s.newsletterTestSubmit)))
	mux.Handle("GET /api/v1/newsroom/mail", s.api(jsonAction(s, desk, http.StatusOK, s.apiMailOverview)))
}

// requestReset asks for a reset link, throttled per client address (429)
// and, silently, per e-mail address, so that the answer never tells
// whether an address is registered.
func (s *Server) requestReset(w http.ResponseWriter, r *http.Request, email string) error {
	if err := s.limited(w, s.mailLimits.resetByIP, s.clientIP(r)); err != nil {
		return err
	}
	if s.RateLimit {
		if ok, _ := s.mailLimits.resetByAddress.allow(news.NormalizeEmail(email)); !ok {
			return nil
		}
	}
	return s.Svc.RequestPasswordReset(r.Context(), email)
}

type resetForm struct {
	Token string
	Email string
	Sent  bool
	Valid bool
	Error string
}

func (s *Server) passwordResetPage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "private, no-store")
	// The token is in the address: keep it out of Referer headers.
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := r.URL.Query().Get("token")
	if token == "" {
		return s.render(w, r, http.StatusOK, "password_reset", "비밀번호 찾기", resetForm{})
	}
	f := resetForm{Token: token, Valid: s.Svc.PasswordResetValid(r.Context(), token)}
	if !f.Valid {
		f.Error = "비밀번호 재설정 링크가 만료되었거나 이미 사용되었습니다. 다시 요청해주세요."
	}
	return s.render(w, r, http.StatusOK, "password_reset", "새 비밀번호 설정", f)
}

func (s *Server) passwordResetSubmit(w http.ResponseWriter, r *http.Request) error {
	email := strings.TrimSpace(r.PostFormValue("email"))
	if err := s.requestReset(w, r, email); err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		return s.render(w, r, httpStatus(err), "password_reset", "비밀번호 찾기", resetForm{Email: email, Error: news.ErrorMessage(err)})
	}
	return s.render(w, r, http.StatusOK, "password_reset", "비밀번호 찾기", resetForm{Email: email, Sent: true})
}

func (s *Server) passwordResetConfirmSubmit(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := r.PostFormValue("token")
	if err := s.limited(w, s.mailLimits.resetByIP, s.clientIP(r)); err != nil {
		return err
	}
	a, err := s.Svc.ResetPassword(r.Context(), token, r.PostFormValue("password"))
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		f := resetForm{Token: token, Valid: news.ErrorCode(err) == news.EWEAKPASSWORD, Error: news.ErrorMessage(err)}
		return s.render(w, r, httpStatus(err), "password_reset", "새 비밀번호 설정", f)
	}
	// Every other session ended with the reset; this browser starts anew,
	// through the code step if the account uses two-factor.
	s.setFlash(w, r, flash{Message: "비밀번호를 바꿨습니다. 다른 기기에서는 모두 로그아웃되었습니다."})
	return s.completeLogin(w, r, a, "/me")
}

func (s *Server) apiPasswordReset(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.requestReset(w, r, in.Email); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"message": "가입된 주소라면 비밀번호 재설정 메일을 보냈습니다. 30분 안에 메일의 링크를 눌러주세요."})
	return nil
}

func (s *Server) apiPasswordResetConfirm(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.limited(w, s.mailLimits.resetByIP, s.clientIP(r)); err != nil {
		return err
	}
	a, err := s.Svc.ResetPassword(r.Context(), in.Token, in.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meJSON(a))
	return nil
}

type confirmView struct {
	Token string
	Done  string // the confirmed address
	Error string
}

func (s *Server) confirmEmailPage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	// A button, not the link itself, confirms: mail scanners that open
	// every link confirm nothing.
	return s.render(w, r, http.StatusOK, "confirm_email", "이메일 주소 확인", confirmView{Token: r.URL.Query().Get("token")})
}

func (s *Server) confirmEmailSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PostFormValue("token")
	email, err := s.Svc.ConfirmEmail(r.Context(), token)
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		return s.render(w, r, httpStatus(err), "confirm_email", "이메일 주소 확인", confirmView{Error: news.ErrorMessage(err)})
	}
	return s.render(w, r, http.StatusOK, "confirm_email", "이메일 주소 확인", confirmView{Done: email})
}

func (s *Server) apiConfirmEmail(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	email, err := s.Svc.ConfirmEmail(r.Context(), in.Token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"email": email, "confirmed": true})
	return nil
}

type unsubscribeView struct {
	Key, List, ListName string
	Done                bool
	Error               string
}

func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	q := r.URL.Query()
	v := unsubscribeView{Key: q.Get("k"), List: q.Get("l"), ListName: news.ListName(q.Get("l"))}
	if v.ListName == "" {
		v.Error = "수신 거부 링크가 올바르지 않습니다."
	}
	return s.render(w, r, http.StatusOK, "unsubscribe", "수신 거부", v)
}

// unsubscribeSubmit is both the page's button and RFC 8058's one-click
// POST, which mail services send to the List-Unsubscribe address with the
// key and list in its query and "List-Unsubscribe=One-Click" as the body.
func (s *Server) unsubscribeSubmit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	key, list := q.Get("k"), q.Get("l")
	if key == "" {
		key, list = r.PostFormValue("k"), r.PostFormValue("l")
	}
	v := unsubscribeView{Key: key, List: list, ListName: news.ListName(list)}
	if err := s.Svc.Unsubscribe(r.Context(), key, list); err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		v.Error = news.ErrorMessage(err)
		return s.render(w, r, httpStatus(err), "unsubscribe", "수신 거부", v)
	}
	v.Done = true
	return s.render(w, r, http.StatusOK, "unsubscribe", "수신 거부", v)
}

type newsroomMailView struct {
	news.MailOverview
	NewsletterTime string
	Viewer         news.Account
}

func (s *Server) newsroomMailPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	o, err := s.Svc.MailOverview(r.Context(), v)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "newsroom_mail", "메일 발송", newsroomMailView{MailOverview: o, NewsletterTime: news.FormatClock(o.Settings.NewsletterMin), Viewer: v})
}

// mailSettingsForm is the newsroom's mail settings form.
type mailSettingsForm struct{ news.MailSettings }

func (f *mailSettingsForm) parseForm(v url.Values) error {
	f.NewsletterOn = v.Get("newsletter_on") == "1"
	f.ConfirmToComment = v.Get("confirm_to_comment") == "1"
	var err error
	f.NewsletterMin, err = news.ParseClock(v.Get("newsletter_time"))
	return err
}

func (s *Server) mailSettingsSubmit(r *http.Request, v news.Account, _ int64, in mailSettingsForm) (done, error) {
	return done{Notice: "메일 설정을 저장했습니다."}, s.Svc.SaveMailSettings(r.Context(), v, in.MailSettings)
}

func (s *Server) newsletterPreview(w http.ResponseWriter, r *http.Request, v news.Account) error {
	body, err := s.Svc.NewsletterPreview(r.Context(), v)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(body.Text))
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(body.HTML))
	return nil
}

func (s *Server) newsletterTestSubmit(r *http.Request, v news.Account, _ int64, _ none) (done, error) {
	return done{Notice: v.Email + " 주소로 테스트 뉴스레터를 보냈습니다."}, s.Svc.SendTestNewsletter(r.Context(), v)
}

type mailOverviewJSON struct {
	Queued  int64  `json:"queued"`
	Sending int64  `json:"sending"`
	Sent    int64  `json:"sent"`
	Failed  int64  `json:"failed"`
	Paused  int64  `json:"paused"`
	Oldest  string `json:"oldest_waiting,omitempty"`
	SMTP    bool   `json:"smtp"`
	Error   string `json:"last_error,omitempty"`
}

func (s *Server) apiMailOverview(r *http.Request, v news.Account, _ int64, _ none) (mailOverviewJSON, error) {
	o, err := s.Svc.MailOverview(r.Context(), v)
	if err != nil {
		return mailOverviewJSON{}, err
	}
	j := mailOverviewJSON{Queued: o.Stats.Queued, Sending: o.Stats.Sending, Sent: o.Stats.Sent, Failed: o.Stats.Failed,
		Paused: o.Stats.Paused, SMTP: o.Sending, Error: o.LastError}
	if !o.Stats.Oldest.IsZero() {
		j.Oldest = news.RFC3339KST(o.Stats.Oldest)
	}
	return j, nil
}

// mailNoticeCookie marks a browser told (or checked) today about its
// reader's paused address.
const mailNoticeCookie = "jikji_mail_checked"

// mailNotice tells a logged-in reader, once a day on a page visit, that
// mail to their address is paused after repeated permanent failures. The
// notice rides the page's own notice slot.
func (s *Server) mailNotice(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer(r)
		if v.ID != 0 && r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/static/") {
			if _, err := r.Cookie(mailNoticeCookie); err != nil {
				if _, pending := r.Cookie(flashCookie); pending != nil {
					if msg, err := s.Svc.MailNotice(r.Context(), v); err == nil {
						http.SetCookie(w, &http.Cookie{Name: mailNoticeCookie, Value: "1", Path: "/", MaxAge: 24 * 60 * 60,
							HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
						if msg != "" {
							r.AddCookie(flashCookieFor(s, r, msg))
						}
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// flashCookieFor builds the flash cookie a redirect would have set,
// so the page being served shows msg in its notice slot.
func flashCookieFor(s *Server, r *http.Request, msg string) *http.Cookie {
	rec := &headerRecorder{h: http.Header{}}
	s.setFlash(rec, r, flash{Title: "메일 발송이 멈췄습니다", Message: msg, Error: true})
	c, _ := http.ParseSetCookie(rec.h.Get("Set-Cookie"))
	if c == nil {
		return &http.Cookie{Name: flashCookie}
	}
	return &http.Cookie{Name: c.Name, Value: c.Value}
}

// headerRecorder keeps the headers written to it and nothing else.
type headerRecorder struct{ h http.Header }

func (h *headerRecorder) Header() http.Header         { return h.h }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(int)             {}

// writeMailMetrics writes the outbox by state (from the database, so any
// node tells the cluster's truth) and this node's sending totals.
func (s *Server) writeMailMetrics(w io.Writer) {
	c := &s.Svc.MailCounters
	vm.WriteCounterUint64(w, "jikji_mail_sent_total", uint64(c.Sent.Load()))
	vm.WriteCounterUint64(w, "jikji_mail_retries_total", uint64(c.Retried.Load()))
	vm.WriteCounterUint64(w, "jikji_mail_failed_total", uint64(c.Failed.Load()))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := s.Svc.MailStats(ctx)
	if err != nil {
		s.Logger.Warn("mail metrics", "err", err)
		return
	}
	// One family, one TYPE line, a series per state.
	vm.WriteMetadataIfNeeded(w, "jikji_mail_outbox", "gauge")
	for _, g := range []struct {
		state string
		n     int64
	}{{news.MailQueued, st.Queued}, {news.MailSending, st.Sending}, {news.MailSent, st.Sent}, {news.MailFailed, st.Failed}, {news.MailPaused, st.Paused}} {
		fmt.Fprintf(w, "jikji_mail_outbox{state=%q} %d\n", g.state, g.n)
	}
	age := 0.0
	if !st.Oldest.IsZero() {
		age = time.Since(st.Oldest).Seconds()
	}
	vm.WriteGaugeFloat64(w, "jikji_mail_oldest_waiting_seconds", age)
}
