package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jikji/internal/mailpit"
)

// TestBrowserPasswordReset: a reader who forgot their password asks for a
// link on the login page, follows the mailed link in the browser, sets a
// new password and logs in with it.
func TestBrowserPasswordReset(t *testing.T) {
	mp := mailpit.Start(t)
	site := MustRunMain(t, withMailpit(mp))
	mustSignUp(t, site, "forgot@example.com", "잊은독자")
	b := mustBrowser(t, false)
	b.run(t, "ask for a link",
		chromedp.Navigate(site.URL+"/login"),
		chromedp.Click(css(`a[href="/password-reset"]`)),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "forgot@example.com"),
		chromedp.Submit(css(`#email`)),
		chromedp.WaitVisible(css(`[role=status]`)),
	)
	m := mp.WaitFor(t, "forgot@example.com", "비밀번호 재설정", 10*time.Second)
	link := resetLink.FindString(m.Text)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", m.Text)
	}
	const newPassword = "바뀐 비밀번호 7788"
	b.run(t, "follow the link and set a password",
		chromedp.Navigate(site.URL+link),
		chromedp.WaitVisible(css(`#password`)),
		chromedp.SendKeys(css(`#password`), newPassword),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.user-nav a[href="/me"]`)),
	)
	b.run(t, "log out and in again with the new password",
		chromedp.Click(css(`.user-nav form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`.user-nav a[href^="/login"]`)),
		chromedp.Navigate(site.URL+"/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "forgot@example.com"),
		chromedp.SendKeys(css(`#password`), newPassword),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.user-nav a[href="/me"]`)),
	)
	// The used link does not work twice.
	b.run(t, "open the used link", chromedp.Navigate(site.URL+link), chromedp.WaitVisible(css(`.form-error`)))
	if got := b.text(t, `.form-error`); !strings.Contains(got, "만료되었거나 이미 사용") {
		t.Errorf("used link says %q", got)
	}
}
