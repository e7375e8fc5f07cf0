package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
	"jikji/internal/twofactor"

	"github.com/chromedp/chromedp"
)

// TestBrowserEditorTwoFactor: an editor cannot reach the newsroom with a
// password alone; sets up an authenticator app from the page (the test
// computes the app's codes from the secret shown), logs out, logs in with a
// code, and uses a recovery code once — a second use is refused. Without
// JavaScript, as every newsroom form works.
func TestBrowserEditorTwoFactor(t *testing.T) {
	site := MustRunMain(t)
	const email = "desk@jikji.example"
	mustSignUp(t, site, email, "박데스크")
	a, err := site.Store.AccountByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Store.SetAccountRole(context.Background(), a.ID, news.RoleEditor); err != nil {
		t.Fatal(err)
	}
	b := mustBrowser(t, false)
	password := func(what string) {
		b.run(t, what,
			chromedp.Navigate(site.URL+"/newsroom"),
			chromedp.WaitVisible(css(`#email`)),
			chromedp.SendKeys(css(`#email`), email),
			chromedp.SendKeys(css(`#password`), "correct horse battery"),
			chromedp.Submit(css(`#password`)),
		)
	}
	logout := func() {
		b.run(t, "log out", chromedp.Navigate(site.URL+"/me"), chromedp.Submit(css(`form[action="/logout"] button`)),
			chromedp.WaitVisible(css(`a[href^="/login"]`)))
	}

	password("log in with the password")
	b.run(t, "sent to set up two-factor", chromedp.WaitVisible(css(`form[action="/me/2fa"] button.primary`)))
	if loc := value(t, b, chromedp.Location()); !strings.Contains(loc, "/me/2fa?next=%2Fnewsroom") {
		t.Fatalf("after the password the editor is at %s", loc)
	}
	b.run(t, "the newsroom stays shut", chromedp.Navigate(site.URL+"/newsroom"), chromedp.WaitVisible(css(`form[action="/me/2fa"] button.primary`)))
	b.run(t, "start the setup", chromedp.Submit(css(`form[action="/me/2fa"] button.primary`)), chromedp.WaitVisible(css(`.otp-secret`)))
	secret := b.text(t, `.otp-secret`)
	if src := b.attr(t, `img[alt="인증 앱에 등록할 QR 코드"]`, "src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR code src %.40q", src)
	}
	codes := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.recovery-codes code')].map(e => e.textContent)`))
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	code, err := twofactor.Code(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.run(t, "confirm with the app's code",
		chromedp.SendKeys(css(`#code`), code),
		chromedp.Submit(css(`#code`)),
		chromedp.WaitVisible(css(`.newsroom`)),
	)

	logout()
	password("log in again")
	b.run(t, "asked for a code", chromedp.WaitVisible(css(`#otp`)))
	b.run(t, "the password alone opened nothing", chromedp.Navigate(site.URL+"/newsroom"), chromedp.WaitVisible(css(`#email`)))
	password("log in with a code")
	b.run(t, "enter the app's code",
		chromedp.WaitVisible(css(`#otp`)),
		chromedp.SendKeys(css(`#otp`), nextStepCode(t, secret)),
		chromedp.Submit(css(`#otp`)),
		chromedp.WaitVisible(css(`.newsroom`)),
	)

	logout()
	password("log in with a recovery code")
	b.run(t, "enter a recovery code",
		chromedp.WaitVisible(css(`#otp`)),
		chromedp.SendKeys(css(`#otp`), codes[0]),
		chromedp.Submit(css(`#otp`)),
		chromedp.WaitVisible(css(`.newsroom`)),
	)

	logout()
	password("the same recovery code again")
	b.run(t, "refused",
		chromedp.WaitVisible(css(`#otp`)),
		chromedp.SendKeys(css(`#otp`), codes[0]),
		chromedp.Submit(css(`#otp`)),
		waitText(`.form-error`, "인증 코드가 올바르지 않습니다"),
	)
	b.run(t, "still outside", chromedp.Navigate(site.URL+"/newsroom"), chromedp.WaitVisible(css(`#email`)))
	b.onlyLocal(t, site.URL)
}
