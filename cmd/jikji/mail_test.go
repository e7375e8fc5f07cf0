package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"jikji/internal/mailpit"
	"jikji/internal/news"
)

// withMailpit sends the site's mail to mp, looking at the outbox often.
func withMailpit(mp *mailpit.Server) func(*Config) {
	return func(c *Config) {
		c.SMTPURL = mp.URL()
		c.MailFrom = "직지일보 <news@jikji.test>"
		c.MailInterval = 100 * time.Millisecond
	}
}

var resetLink = regexp.MustCompile(`/password-reset\?token=([A-Za-z0-9_-]+)`)
var confirmLink = regexp.MustCompile(`/confirm-email\?token=([A-Za-z0-9_-]+)`)

func TestPasswordResetByMail(t *testing.T) {
	mp := mailpit.Start(t)
	site := MustRunMain(t, withMailpit(mp))
	reader := mustSignUp(t, site, "reader@example.com", "독자")
	// The sign-up's confirmation arrives first.
	mp.WaitFor(t, "reader@example.com", "이메일 주소를 확인해주세요", 10*time.Second)

	anon := newClient(t, site)
	var known, unknown map[string]string
	anon.mustJSON(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "Reader@Example.com"}, http.StatusAccepted, &known)
	anon.mustJSON(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "nobody@example.com"}, http.StatusAccepted, &unknown)
	if known["message"] != unknown["message"] {
		t.Errorf("answers differ for a registered and an unknown address: %q / %q", known, unknown)
	}
	m := mp.WaitFor(t, "reader@example.com", "비밀번호 재설정", 10*time.Second)
	if m.Subject != "[직지일보] 비밀번호 재설정 안내" || m.From.Address != "news@jikji.test" {
		t.Errorf("reset mail: subject %q from %q", m.Subject, m.From.Address)
	}
	link := resetLink.FindStringSubmatch(m.Text)
	if link == nil || !strings.Contains(m.HTML, "/password-reset?token="+link[1]) || !strings.Contains(m.Text, "30분") {
		t.Fatalf("no reset link in the mail:\n%s", m.Text)
	}
	if h := mp.Headers(t, m.ID); len(h["List-Unsubscribe"]) != 0 {
		t.Errorf("account mail carries List-Unsubscribe: %v", h["List-Unsubscribe"])
	}
	for _, s := range mp.List(t) {
		if len(s.To) > 0 && s.To[0].Address == "nobody@example.com" {
			t.Error("mail went to an unregistered address")
		}
	}
	// The page the link opens asks for a new password.
	if status, page := anon.page(t, "/password-reset?token="+link[1]); status != 200 || !strings.Contains(page, `name="password"`) {
		t.Fatalf("reset page: %d", status)
	}

	var me struct{ Email string }
	anon.mustJSON(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": link[1], "password": "새 비밀번호 2026"}, http.StatusOK, &me)
	if me.Email != "reader@example.com" {
		t.Errorf("confirm answered %+v", me)
	}
	// Every other session ended; the old password no longer works.
	if status, _ := reader.do(t, "GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("the old session still works after a reset: %d", status)
	}
	newClient(t, site).mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "reader@example.com", "password": "correct horse battery"}, http.StatusUnauthorized, nil)
	newClient(t, site).mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "reader@example.com", "password": "새 비밀번호 2026"}, http.StatusOK, nil)
	// The link is single-use.
	var e apiErr
	anon.mustJSON(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": link[1], "password": "또 다른 비밀번호 99"}, http.StatusBadRequest, &e)
	if e.Code != news.EINVALID {
		t.Errorf("second use: %+v", e)
	}
}

// confirmByMail follows the confirmation link in the reader's mail.
func confirmByMail(t *testing.T, mp *mailpit.Server, c *client, email string) {
	t.Helper()
	m := mp.WaitFor(t, email, "이메일 주소를 확인해주세요", 10*time.Second)
	link := confirmLink.FindStringSubmatch(m.Text)
	if link == nil {
		t.Fatalf("no confirmation link in:\n%s", m.Text)
	}
	c.mustJSON(t, "POST", "/api/v1/auth/confirm-email", map[string]string{"token": link[1]}, http.StatusOK, nil)
}

func TestNotificationsByMail(t *testing.T) {
	mp := mailpit.Start(t)
	site := MustRunMain(t, withMailpit(mp))
	editor := mustStaff(t, site, "editor@jikji.test", "편집자", news.RoleEditor)
	alice := mustSignUp(t, site, "alice@example.com", "앨리스")
	bob := mustSignUp(t, site, "bob@example.com", "보브")
	carol := mustSignUp(t, site, "carol@example.com", "캐럴")
	confirmByMail(t, mp, alice, "alice@example.com")

	var prefs news.NotificationPrefs
	alice.mustJSON(t, "GET", "/api/v1/me/notifications", nil, http.StatusOK, &prefs)
	if prefs.Replies || prefs.Newsletter || prefs.Follows != "off" || !prefs.Confirmed {
		t.Fatalf("default switches = %+v, want all off and the address confirmed", prefs)
	}
	alice.mustJSON(t, "PUT", "/api/v1/me/notifications", map[string]any{"replies": true, "follows": "instant", "newsletter": true}, http.StatusOK, &prefs)
	var e apiErr
	alice.mustJSON(t, "PUT", "/api/v1/me/notifications", map[string]any{"follows": "hourly"}, http.StatusBadRequest, &e)
	newClient(t, site).mustJSON(t, "GET", "/api/v1/me/notifications", nil, http.StatusUnauthorized, nil)

	// A reply to Alice's comment.
	article := seedArticleID(t, site)
	path := fmt.Sprintf("/api/v1/articles/%d/comments", article)
	var first, reply struct{ ID int64 }
	alice.mustJSON(t, "POST", path, map[string]any{"body": "앨리스의 의견입니다"}, http.StatusCreated, &first)
	bob.mustJSON(t, "POST", path, map[string]any{"body": "보브의 반론입니다", "parent_id": first.ID}, http.StatusCreated, &reply)
	m := mp.WaitFor(t, "alice@example.com", "답글", 10*time.Second)
	if !strings.Contains(m.Subject, "보브님이 내 댓글에 답글을 남겼습니다") || !strings.Contains(m.Text, "보브의 반론입니다") ||
		!strings.Contains(m.HTML, fmt.Sprintf("/articles/%d#comment-%d", article, reply.ID)) {
		t.Errorf("reply mail: %q\n%s", m.Subject, m.Text)
	}
	h := mp.Headers(t, m.ID)
	unsub := strings.Trim(strings.Join(h["List-Unsubscribe"], ""), "<>")
	if !strings.HasPrefix(unsub, site.URL+"/mail/unsubscribe?") || strings.Join(h["List-Unsubscribe-Post"], "") != "List-Unsubscribe=One-Click" {
		t.Fatalf("unsubscribe headers: %v", h)
	}
	if !strings.Contains(m.Text, unsub) || !strings.Contains(m.Text, "Copyright") {
		t.Errorf("the footer lacks the unsubscribe link or the legal line:\n%s", m.Text)
	}
	// One click: a bare POST, no login, no cookies.
	res, err := http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", res.StatusCode)
	}
	alice.mustJSON(t, "GET", "/api/v1/me/notifications", nil, http.StatusOK, &prefs)
	if prefs.Replies || !prefs.Newsletter || prefs.Follows != "instant" {
		t.Errorf("after one-click unsubscribe from replies: %+v", prefs)
	}

	// A new story by a reporter Alice follows, at once; Carol gets it in
	// her daily digest.
	reporter := news.Reporter{Name: "이서희", Role: "기자"}
	if err := site.Store.CreateReporter(t.Context(), &reporter); err != nil {
		t.Fatal(err)
	}
	alice.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/reporters/%d/subscription", reporter.ID), nil, http.StatusOK, nil)
	carol.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/reporters/%d/subscription", reporter.ID), nil, http.StatusOK, nil)
	var story deskArticle
	editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
		"headline": "올트먼 “자체 칩 생산은 AGI 도달 위한 것”", "section": "society", "body": "본문입니다.",
		"bylines": []map[string]any{{"reporter_id": reporter.ID, "name": reporter.Name}},
	}, http.StatusCreated, &story)
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", story.ID), nil, http.StatusOK, nil)
	m = mp.WaitFor(t, "alice@example.com", "올트먼", 10*time.Second)
	if m.Subject != "[직지일보] 올트먼 “자체 칩 생산은 AGI 도달 위한 것”" || !strings.Contains(m.Text, fmt.Sprintf("/articles/%d", story.ID)) || !strings.Contains(m.Text, "이서희 기자") {
		t.Errorf("follow alert: %q\n%s", m.Subject, m.Text)
	}
	if h := mp.Headers(t, m.ID); !strings.Contains(strings.Join(h["List-Unsubscribe"], ""), "l=follows") {
		t.Errorf("follow alert unsubscribes from %v", h["List-Unsubscribe"])
	}
	carol.mustJSON(t, "PUT", "/api/v1/me/notifications", map[string]any{"follows": "digest", "digest_time": "00:00"}, http.StatusOK, nil)
	m = mp.WaitFor(t, "carol@example.com", "오늘의 구독 기사 모음", 10*time.Second)
	if !strings.Contains(m.Text, "올트먼") {
		t.Errorf("digest lacks the story:\n%s", m.Text)
	}

	// The morning newsletter: preview, test send, then the edition.
	if status, body := editor.page(t, "/newsroom/mail/newsletter/preview"); status != 200 || !strings.Contains(body, "아침") {
		t.Errorf("newsletter preview: %d", status)
	}
	if res := editor.form(t, "/newsroom/mail/newsletter/test", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("test send: %d", res.StatusCode)
	}
	mp.WaitFor(t, "editor@jikji.test", "[테스트]", 10*time.Second)
	if res := editor.form(t, "/newsroom/mail/settings", url.Values{"newsletter_on": {"1"}, "newsletter_time": {"00:00"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("newsletter settings: %d", res.StatusCode)
	}
	m = mp.WaitFor(t, "alice@example.com", "아침 뉴스레터]", 10*time.Second)
	if !strings.Contains(m.HTML, "style=") || !strings.Contains(m.Text, "/articles/") {
		t.Errorf("newsletter:\n%s", m.Text)
	}
	if h := mp.Headers(t, m.ID); !strings.Contains(strings.Join(h["List-Unsubscribe"], ""), "l=newsletter") {
		t.Errorf("newsletter unsubscribes from %v", h["List-Unsubscribe"])
	}
	for _, s := range mp.List(t) {
		if strings.Contains(s.Subject, "아침 뉴스레터]") && !strings.Contains(s.Subject, "[테스트]") && s.To[0].Address != "alice@example.com" {
			t.Errorf("newsletter went to %s, who did not ask for it", s.To[0].Address)
		}
	}

	// The newsroom sees the outbox.
	if status, page := editor.page(t, "/newsroom/mail"); status != 200 || !strings.Contains(page, "발송함") {
		t.Errorf("/newsroom/mail: %d", status)
	}
	if status, _ := alice.page(t, "/newsroom/mail"); status != http.StatusForbidden {
		t.Errorf("a reader sees /newsroom/mail: %d", status)
	}
	_, metrics := site.get(t, "/metrics")
	if !strings.Contains(metrics, `jikji_mail_outbox{state="sent"}`) || !strings.Contains(metrics, "jikji_mail_sent_total") {
		t.Errorf("/metrics lacks the mail figures")
	}
	if n := strings.Count(metrics, "# TYPE jikji_mail_outbox gauge"); n != 1 {
		t.Errorf("/metrics has %d TYPE lines for jikji_mail_outbox, want 1", n)
	}
}

// startMailChild runs `jikji serve` as a process with extra flags.
func startMailChild(tb testing.TB, bin, addr, data string, extra ...string) *exec.Cmd {
	tb.Helper()
	args := append([]string{"serve", "--addr", addr, "--data", data, "--rate-limit=false", "--password-cost=4", "--log-level=warn"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	within(tb, 60*time.Second, func() error {
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("healthz %d", res.StatusCode)
		}
		return nil
	})
	return cmd
}

func TestQueuedMailSurvivesKill(t *testing.T) {
	mp := mailpit.Start(t)
	bin := mustBuildJikji(t)
	addr, data := freeAddr(t), t.TempDir()
	// No SMTP yet: every message waits in the outbox.
	first := startMailChild(t, bin, addr, data, "--mail-interval", "100ms")
	site := &testSite{URL: "http://" + addr}
	const readers = 12
	for i := range readers {
		mustSignUp(t, site, fmt.Sprintf("r%02d@example.com", i), fmt.Sprintf("독자%02d", i))
	}
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()

	second := startMailChild(t, bin, addr, data, "--smtp-url", mp.URL(), "--mail-interval", "100ms")
	mp.WaitCount(t, readers, 20*time.Second)
	// Later rounds must not send anything again.
	time.Sleep(500 * time.Millisecond)
	got := map[string]int{}
	ids := map[string]bool{}
	for _, m := range mp.List(t) {
		got[m.To[0].Address]++
		ids[m.MessageID] = true
	}
	for i := range readers {
		if n := got[fmt.Sprintf("r%02d@example.com", i)]; n != 1 {
			t.Errorf("r%02d got %d confirmation mails, want 1", i, n)
		}
	}
	if len(ids) != readers || len(got) != readers {
		t.Errorf("%d messages with %d Message-IDs to %d addresses, want %d each", len(mp.List(t)), len(ids), len(got), readers)
	}
	second.Process.Signal(syscall.SIGTERM)
	second.Wait()
}

// TestMailOneSenderAcrossNodes: two nodes on one PostgreSQL database, both
// with SMTP; every message is delivered once, whichever node holds the
// lease.
func TestMailOneSenderAcrossNodes(t *testing.T) {
	db := mustPostgres(t)
	mp := mailpit.Start(t)
	a := startNode(t, db, withMailpit(mp))
	b := startNode(t, db, withMailpit(mp))
	const readers = 10
	for i := range readers {
		node := a
		if i%2 == 1 {
			node = b
		}
		c := mustSignUp(t, node, fmt.Sprintf("pg%02d@example.com", i), fmt.Sprintf("독자%02d", i))
		c.mustJSON(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": fmt.Sprintf("pg%02d@example.com", i)}, http.StatusAccepted, nil)
	}
	mp.WaitCount(t, 2*readers, 20*time.Second)
	time.Sleep(500 * time.Millisecond)
	list := mp.List(t)
	ids := map[string]bool{}
	for _, m := range list {
		ids[m.MessageID] = true
	}
	if len(list) != 2*readers || len(ids) != 2*readers {
		t.Errorf("%d messages with %d Message-IDs, want %d each", len(list), len(ids), 2*readers)
	}
}

// TestAddressChangeAndPausedAddress: a reader moves to a new address
// (confirmed there, the old one told); mail to an address the server
// refuses three times stops, and its reader is told on their next visit.
func TestAddressChangeAndPausedAddress(t *testing.T) {
	mp := mailpit.Start(t, "--smtp-allowed-recipients", `@example\.com$`)
	site := MustRunMain(t, withMailpit(mp), func(c *Config) { c.RateLimit = false })
	dana := mustSignUp(t, site, "dana@example.com", "다나")
	var e apiErr
	dana.mustJSON(t, "PUT", "/api/v1/me/email", map[string]string{"email": "dana.new@example.com", "password": "틀린 비밀번호"}, http.StatusUnauthorized, &e)
	dana.mustJSON(t, "PUT", "/api/v1/me/email", map[string]string{"email": "dana.new@example.com", "password": "correct horse battery"}, http.StatusAccepted, nil)
	m := mp.WaitFor(t, "dana.new@example.com", "새 이메일 주소를 확인해주세요", 10*time.Second)
	link := confirmLink.FindStringSubmatch(m.Text)
	if link == nil {
		t.Fatalf("no link:\n%s", m.Text)
	}
	// The link opens a page; its button confirms.
	if status, page := newClient(t, site).page(t, "/confirm-email?token="+link[1]); status != 200 || !strings.Contains(page, `action="/confirm-email"`) {
		t.Fatalf("confirm page: %d", status)
	}
	if res := newClient(t, site).form(t, "/confirm-email", url.Values{"token": {link[1]}}); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	m = mp.WaitFor(t, "dana@example.com", "이메일 주소가 바뀌었습니다", 10*time.Second)
	if !strings.Contains(m.Text, "da***@example.com") {
		t.Errorf("the old address is not told the new one:\n%s", m.Text)
	}
	newClient(t, site).mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "dana.new@example.com", "password": "correct horse battery"}, http.StatusOK, nil)

	// The server refuses every mail to this reader: after three, it stops.
	gone := mustSignUp(t, site, "gone@refused.test", "사라진독자")
	for range 2 {
		gone.mustJSON(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "gone@refused.test"}, http.StatusAccepted, nil)
	}
	within(t, 10*time.Second, func() error {
		var p news.NotificationPrefs
		gone.mustJSON(t, "GET", "/api/v1/me/notifications", nil, http.StatusOK, &p)
		if !p.Paused {
			return fmt.Errorf("not paused yet")
		}
		return nil
	})
	_, page := gone.page(t, "/")
	if !strings.Contains(page, "메일 발송이 멈췄습니다") {
		t.Error("the reader is not told on their next visit that mail to them stopped")
	}
	if _, page := gone.page(t, "/ranking"); strings.Contains(page, "메일 발송이 멈췄습니다") {
		t.Error("the notice repeats on every page")
	}
}
