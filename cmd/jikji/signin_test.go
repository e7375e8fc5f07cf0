package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"jikji/internal/mailpit"
	"jikji/internal/news"
	"jikji/internal/twofactor"
)

// staffCodes keeps the recovery codes of the staff accounts tests set up
// two-factor for, so that helpers can log them in again: each login uses
// one (a recovery code is never refused for being in the same 30 seconds
// as the last code).
var staffCodes sync.Map // e-mail → *recoveryCodes

type recoveryCodes struct {
	mu     sync.Mutex
	secret string
	codes  []string
}

type twoFactorSetup struct {
	Secret        string   `json:"secret"`
	OTPAuthURL    string   `json:"otpauth_url"`
	RecoveryCodes []string `json:"recovery_codes"`
}

// mustSetUpTwoFactor turns two-factor on for the client's account, as a
// person with an authenticator app does, and returns the setup.
func mustSetUpTwoFactor(tb testing.TB, c *client, email string) twoFactorSetup {
	tb.Helper()
	var setup twoFactorSetup
	c.mustJSON(tb, "POST", "/api/v1/me/2fa", nil, http.StatusOK, &setup)
	code, err := twofactor.Code(setup.Secret, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	c.mustJSON(tb, "POST", "/api/v1/me/2fa/confirm", map[string]string{"code": code}, http.StatusOK, nil)
	staffCodes.Store(news.NormalizeEmail(email), &recoveryCodes{secret: setup.Secret, codes: setup.RecoveryCodes})
	return setup
}

// nextOTP returns an unused recovery code of a staff account set up by
// mustSetUpTwoFactor, or "" for an account without two-factor.
func nextOTP(tb testing.TB, email string) string {
	tb.Helper()
	v, ok := staffCodes.Load(news.NormalizeEmail(email))
	if !ok {
		return ""
	}
	rc := v.(*recoveryCodes)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.codes) == 0 {
		tb.Fatalf("no recovery code left for %s", email)
	}
	code := rc.codes[0]
	rc.codes = rc.codes[1:]
	return code
}

// nextStepCode is the code an authenticator app shows in the next
// 30-second step: accepted (one step of clock skew is allowed) and later
// than the step the setup used, so no test waits for the clock.
func nextStepCode(tb testing.TB, secret string) string {
	tb.Helper()
	code, err := twofactor.Code(secret, time.Now().Add(30*time.Second))
	if err != nil {
		tb.Fatal(err)
	}
	return code
}

func TestTwoFactorLoginAPI(t *testing.T) {
	s := MustRunMain(t)
	const email = "desk@jikji.example"
	desk := mustSignUp(t, s, email, "데스크")
	a, err := s.Store.AccountByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetAccountRole(context.Background(), a.ID, news.RoleEditor); err != nil {
		t.Fatal(err)
	}

	// Without two-factor, the password opens nothing of the newsroom.
	var e apiErr
	desk.mustJSON(t, "GET", "/api/v1/newsroom/articles", nil, http.StatusForbidden, &e)
	if e.Code != "otp_setup_required" {
		t.Fatalf("newsroom API without two-factor: %+v", e)
	}
	if st, h, _ := desk.send(t, "GET", "/newsroom", nil, nil); st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/me/2fa?next=") {
		t.Fatalf("/newsroom without two-factor: %d to %q", st, h.Get("Location"))
	}
	// A newsroom form goes to the setup too, and comes back where it was.
	if res := desk.form(t, "/newsroom/labels", url.Values{"name": {"단독"}}); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/me/2fa?next=%2Fnewsroom%2Ffront" {
		t.Fatalf("newsroom form without two-factor: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	other := newClient(t, s) // a second browser, logged in before two-factor
	other.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "correct horse battery"}, http.StatusOK, nil)
	setup := mustSetUpTwoFactor(t, desk, email)
	if len(setup.RecoveryCodes) != 10 || !strings.HasPrefix(setup.OTPAuthURL, "otpauth://totp/") {
		t.Fatalf("setup: %+v", setup)
	}
	desk.mustJSON(t, "GET", "/api/v1/newsroom/articles", nil, http.StatusOK, nil)
	// Turning it on ended the other session: it may have been a thief's.
	other.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)

	login := func(otp string) (int, apiErr) {
		var e apiErr
		body := map[string]string{"email": email, "password": "correct horse battery"}
		if otp != "" {
			body["otp"] = otp
		}
		c := newClient(t, s)
		st, out := c.do(t, "POST", "/api/v1/auth/login", body)
		if st != http.StatusOK {
			decode(t, out, &e)
		} else {
			c.mustJSON(t, "GET", "/api/v1/newsroom/articles", nil, http.StatusOK, nil)
		}
		return st, e
	}
	if st, e := login(""); st != http.StatusUnauthorized || e.Code != "otp_required" {
		t.Fatalf("password alone: %d %+v", st, e)
	}
	if st, e := login("000000"); st != http.StatusUnauthorized || e.Code != "otp_invalid" {
		t.Fatalf("wrong code: %d %+v", st, e)
	}
	code := nextStepCode(t, setup.Secret)
	if st, e := login(code); st != http.StatusOK {
		t.Fatalf("current code: %d %+v", st, e)
	}
	if st, e := login(code); st != http.StatusUnauthorized || e.Code != "otp_invalid" {
		t.Fatalf("the same code again: %d %+v", st, e)
	}
	rc := setup.RecoveryCodes[3]
	if st, e := login(strings.ToUpper(rc)); st != http.StatusOK {
		t.Fatalf("recovery code: %d %+v", st, e)
	}
	if st, e := login(rc); st != http.StatusUnauthorized || e.Code != "otp_invalid" {
		t.Fatalf("recovery code used twice: %d %+v", st, e)
	}

	// Guessing codes is throttled per account.
	var limited bool
	for range 12 {
		if st, _ := login("123456"); st == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("twelve wrong codes in a row were never throttled")
	}

	// Logins and the setup are in the audit log.
	admin := mustStaff(t, s, "admin@jikji.example", "관리자", news.RoleAdmin)
	var log struct {
		Entries []struct {
			Action   string `json:"action"`
			TargetID int64  `json:"target_id"`
		} `json:"entries"`
	}
	admin.mustJSON(t, "GET", "/api/v1/newsroom/moderation/audit", nil, http.StatusOK, &log)
	seen := map[string]int{}
	for _, e := range log.Entries {
		if e.TargetID == a.ID {
			seen[e.Action]++
		}
	}
	if seen[news.AuditTwoFactorOn] != 1 || seen[news.AuditLogin] < 2 {
		t.Errorf("audit log of the desk account: %v", seen)
	}

	// The command line resets two-factor for a lost phone.
	var out, errOut strings.Builder
	site := []string{"--data", s.Config.Data}
	if err := runUser(context.Background(), append([]string{"reset-2fa", "--email", "DESK@jikji.example"}, site...), nil, &out, &errOut); err != nil {
		t.Fatalf("reset-2fa: %v (%s)", err, errOut.String())
	}
	desk.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil) // every session ended
	// The password alone logs in again, and the newsroom asks for a new
	// setup before anything else.
	again := newClient(t, s)
	again.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "correct horse battery"}, http.StatusOK, nil)
	again.mustJSON(t, "GET", "/api/v1/newsroom/articles", nil, http.StatusForbidden, &e)
	if e.Code != "otp_setup_required" {
		t.Errorf("newsroom after reset: %+v", e)
	}
}

func TestSessionsAPI(t *testing.T) {
	s := MustRunMain(t)
	phone := mustSignUp(t, s, "me@jikji.example", "독자")
	laptop := newClient(t, s)
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/login", strings.NewReader(`{"email":"me@jikji.example","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15")
	res, err := laptop.http.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %v", res, err)
	}
	res.Body.Close()

	type sessions struct {
		Sessions []struct {
			ID         int64  `json:"id"`
			Current    bool   `json:"current"`
			UserAgent  string `json:"user_agent"`
			Device     string `json:"device"`
			LastSeenAt string `json:"last_seen_at"`
		} `json:"sessions"`
	}
	var list sessions
	phone.mustJSON(t, "GET", "/api/v1/me/sessions", nil, http.StatusOK, &list)
	if len(list.Sessions) != 2 {
		t.Fatalf("sessions: %+v", list)
	}
	var laptopID int64
	for _, sess := range list.Sessions {
		if _, err := time.Parse(time.RFC3339, sess.LastSeenAt); err != nil || !strings.HasSuffix(sess.LastSeenAt, "+09:00") {
			t.Errorf("last_seen_at %q", sess.LastSeenAt)
		}
		if strings.Contains(sess.UserAgent, "Macintosh") {
			laptopID = sess.ID
			if sess.Current || sess.Device != "Safari · Mac" {
				t.Errorf("laptop session: %+v", sess)
			}
		} else if !sess.Current {
			t.Errorf("the phone's own session is not marked current: %+v", sess)
		}
	}
	// Another reader cannot end the session; its owner can.
	stranger := mustSignUp(t, s, "stranger@jikji.example", "낯선 독자")
	stranger.mustJSON(t, "DELETE", "/api/v1/me/sessions/"+itoa(laptopID), nil, http.StatusNotFound, nil)
	laptop.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, nil)
	if st, _ := phone.do(t, "DELETE", "/api/v1/me/sessions/"+itoa(laptopID), nil); st != http.StatusNoContent {
		t.Fatalf("end session: %d", st)
	}
	laptop.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	phone.mustJSON(t, "GET", "/api/v1/me/sessions", nil, http.StatusOK, &list)
	if len(list.Sessions) != 1 || !list.Sessions[0].Current {
		t.Fatalf("after ending the laptop: %+v", list)
	}
	newClient(t, s).mustJSON(t, "GET", "/api/v1/me/sessions", nil, http.StatusUnauthorized, nil)

	// The page does the same for a person without JavaScript.
	tablet := newClient(t, s)
	tablet.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "me@jikji.example", "password": "correct horse battery"}, http.StatusOK, nil)
	_, page := phone.page(t, "/me/sessions")
	if n := strings.Count(page, `action="/me/sessions/`); n != 2 { // the tablet's own form, and "all others"
		t.Fatalf("%d end-session forms on /me/sessions:\n%s", n, visibleText(page))
	}
	if res := phone.form(t, "/me/sessions/others/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end others: %d", res.StatusCode)
	}
	tablet.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	phone.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, nil)

	// An admin ends every session of a staff member, and it is audited.
	reporter := mustStaff(t, s, "rep@jikji.example", "기자", news.RoleReporter)
	rep, _ := s.Store.AccountByEmail(context.Background(), "rep@jikji.example")
	admin := mustStaff(t, s, "admin@jikji.example", "관리자", news.RoleAdmin)
	reporter.mustJSON(t, "DELETE", "/api/v1/newsroom/staff/"+itoa(rep.ID)+"/sessions", nil, http.StatusForbidden, nil)
	var ended struct{ Ended int64 }
	admin.mustJSON(t, "DELETE", "/api/v1/newsroom/staff/"+itoa(rep.ID)+"/sessions", nil, http.StatusOK, &ended)
	if ended.Ended != 1 {
		t.Errorf("ended %d sessions, want 1", ended.Ended)
	}
	reporter.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	var log struct {
		Entries []struct {
			Action   string `json:"action"`
			TargetID int64  `json:"target_id"`
		} `json:"entries"`
	}
	admin.mustJSON(t, "GET", "/api/v1/newsroom/moderation/audit", nil, http.StatusOK, &log)
	if len(log.Entries) == 0 || log.Entries[0].Action != news.AuditSessionsEnded || log.Entries[0].TargetID != rep.ID {
		t.Errorf("audit log: %+v", log.Entries)
	}
}

func decode(tb testing.TB, body []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("%v in %s", err, body)
	}
}

// TestTwoFactorSetupPageRetry: a wrong first code keeps the setup under
// way, with its QR code shown again, and the recovery codes stay those
// shown once.
func TestTwoFactorSetupPageRetry(t *testing.T) {
	s := MustRunMain(t)
	c := mustSignUp(t, s, "careful@jikji.example", "조심하는 독자")
	req, _ := http.NewRequest("POST", s.URL+"/me/2fa", nil)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `src="data:image/png;base64,`) || strings.Count(page, "<li><code>") != 10 {
		t.Fatalf("setup page: %d\n%s", res.StatusCode, visibleText(page))
	}
	secret := page[strings.Index(page, `class="otp-secret">`)+len(`class="otp-secret">`):]
	secret = secret[:strings.Index(secret, "<")]
	wrong := "000000"
	if code, _ := twofactor.Code(secret, time.Now()); code == wrong {
		wrong = "111111"
	}
	res = c.form(t, "/me/2fa/confirm", url.Values{"code": {wrong}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong first code: %d", res.StatusCode)
	}
	_, again := c.page(t, "/me/2fa")
	if strings.Contains(again, "사용하고 있습니다") {
		t.Fatal("two-factor turned on by a wrong code")
	}
	code, _ := twofactor.Code(secret, time.Now())
	if res := c.form(t, "/me/2fa/confirm", url.Values{"code": {code}, "next": {"/me"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right code: %d", res.StatusCode)
	}
	_, done := c.page(t, "/me/2fa")
	if !strings.Contains(done, "2단계 인증을 사용하고 있습니다") || !strings.Contains(done, `action="/me/2fa/disable"`) {
		t.Errorf("after the right code: %s", visibleText(done))
	}

	// A reader may turn it off again, with the password and a code.
	var e apiErr
	c.mustJSON(t, "DELETE", "/api/v1/me/2fa", map[string]string{"password": "correct horse battery", "otp": wrong}, http.StatusUnauthorized, &e)
	if e.Code != "otp_invalid" {
		t.Errorf("turning off with a wrong code: %+v", e)
	}
	c.mustJSON(t, "DELETE", "/api/v1/me/2fa", map[string]string{"password": "not it", "otp": nextStepCode(t, secret)}, http.StatusUnauthorized, &e)
	if st, out := c.do(t, "DELETE", "/api/v1/me/2fa", map[string]string{"password": "correct horse battery", "otp": nextStepCode(t, secret)}); st != http.StatusNoContent {
		t.Fatalf("turn off: %d %s", st, out)
	}
	c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, nil) // still logged in, on a new session
	newClient(t, s).mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "careful@jikji.example", "password": "correct horse battery"}, http.StatusOK, nil)
}

// A reset link proves the mailbox, not the second factor: after a reset
// the browser still gives a code before it is logged in.
func TestPasswordResetAsksForTheCode(t *testing.T) {
	mp := mailpit.Start(t)
	s := MustRunMain(t, withMailpit(mp))
	const email = "reset-desk@jikji.example"
	mustStaff(t, s, email, "데스크", news.RoleEditor)
	c := newClient(t, s)
	c.mustJSON(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": email}, http.StatusAccepted, nil)
	link := resetLink.FindStringSubmatch(mp.WaitFor(t, email, "비밀번호 재설정", 10*time.Second).Text)
	if link == nil {
		t.Fatal("no reset link in the mail")
	}
	st, h, body := c.send(t, "POST", "/password-reset/confirm", strings.NewReader(url.Values{"token": {link[1]}, "password": {"새 비밀번호 2026"}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if st != http.StatusOK || !strings.Contains(string(body), `action="/login/otp"`) {
		t.Fatalf("after the reset: %d to %q, want the code step", st, h.Get("Location"))
	}
	c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	res := c.form(t, "/login/otp", url.Values{"otp": {nextOTP(t, email)}, "next": {"/me"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/me" {
		t.Fatalf("code step: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, nil)
}
