package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium (or another Chrome) for the browser
// tests. Without one the tests skip loudly, and fail when
// JIKJI_REQUIRE_BROWSER=1 (as in CI).
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "BROWSER TESTS DID NOT RUN: no chromium found (apt-get install chromium)"
	fmt.Fprintln(os.Stderr, "\n*** "+msg+" ***")
	if os.Getenv("JIKJI_REQUIRE_BROWSER") == "1" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// browser is a headless Chromium tab; with script false, JavaScript is off.
type browser struct {
	ctx context.Context
	// requests records every URL the page asked for.
	mu       sync.Mutex
	requests []string
}

func mustBrowser(tb testing.TB, script bool) *browser {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(tb)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &browser{ctx: ctx}
	// The first action starts the browser, so it runs without a deadline.
	setup := []chromedp.Action[chromedp.Void]{chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
		return err
	})}
	if !script {
		setup = append(setup, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, setup...); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.mu.Unlock()
		}
	}); err != nil {
		tb.Fatal(err)
	}
	return b
}

// run runs steps, each flow bounded in time.
func (b *browser) run(tb testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// value runs one action and returns its value.
func value[T any](tb testing.TB, b *browser, a chromedp.Action[T]) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func (b *browser) text(tb testing.TB, sel string) string {
	tb.Helper()
	return strings.Join(strings.Fields(value(tb, b, chromedp.Text(css(sel)))), " ")
}

func (b *browser) attr(tb testing.TB, sel, name string) string {
	tb.Helper()
	return value(tb, b, chromedp.AttributeValue(css(sel), name)).Value
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// onlyLocal fails if the page asked any host but the site itself.
func (b *browser) onlyLocal(tb testing.TB, site string) {
	tb.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.requests {
		if !strings.HasPrefix(u, site+"/") && !strings.HasPrefix(u, "data:") {
			tb.Errorf("page requested another host: %s", u)
		}
	}
}

// waitText waits until the element's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	check := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, want))
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// Polled from Go rather than in the page, so that it survives the
		// navigations of form posts when JavaScript is off.
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := check(ctx, t)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("waiting for %q in %s: not there (last error %v)", want, sel, err)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

func signUpInBrowser(tb testing.TB, b *browser, site *testSite, email, name string) {
	tb.Helper()
	b.run(tb, "sign up",
		chromedp.Navigate(site.URL+"/signup"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.SendKeys(css(`#display_name`), name),
		chromedp.Submit(css(`#display_name`)),
		chromedp.WaitVisible(css(`.user-nav a[href="/me"]`)),
	)
}

func TestBrowserReaderFlowsWithJavaScript(t *testing.T) {
	site := MustRunMain(t)
	b := mustBrowser(t, true)
	id := seedArticleID(t, site)
	article := fmt.Sprintf("%s/articles/%d", site.URL, id)

	// Anonymous readers are asked to log in, and come back afterwards.
	b.run(t, "anonymous save",
		chromedp.Navigate(article),
		chromedp.WaitVisible(css(`.bookmark-button`)),
		chromedp.Click(css(`.bookmark-button`)),
		chromedp.WaitVisible(css(`#email`)),
	)
	loc := value(t, b, chromedp.Location())
	if !strings.Contains(loc, "/login?next=") {
		t.Fatalf("anonymous save went to %s, want the login page", loc)
	}

	signUpInBrowser(t, b, site, "reader@example.com", "독자1")
	b.run(t, "open article", chromedp.Navigate(article), chromedp.WaitVisible(css(`#comment-body`)))

	// The live counter counts characters as the server does: an emoji and
	// a composed syllable are one each.
	b.run(t, "type comment",
		chromedp.SendKeys(css(`#comment-body`), "좋은 기사 감사합니다 😀"),
		waitText(`#comment-counter`, "13 / 250"),
	)
	b.run(t, "post comment",
		chromedp.Click(css(`.comment-form button[type=submit]`)),
		waitText(`.comment-list`, "좋은 기사 감사합니다 😀"),
		waitText(`.comment-count`, "1"),
		waitText(`#comment-counter`, "0 / 250"),
	)

	b.run(t, "react",
		chromedp.Click(css(`button.reaction-like`)),
		chromedp.WaitVisible(css(`button.reaction-like[aria-pressed="true"]`)),
		waitText(`button.reaction-like .reaction-count`, "1"),
	)
	b.run(t, "second reaction is refused",
		chromedp.Click(css(`button.reaction-warm`)),
		waitText(`#toasts`, "중복 선택 불가 안내"),
		waitText(`#toasts`, "이미 공감 표현을 선택하신 기사입니다. 변경을 원하시면 취소 후 다시 선택해주세요."),
	)
	b.run(t, "cancel and choose again",
		chromedp.Click(css(`.reaction-cancel-form button`)),
		waitText(`button.reaction-like .reaction-count`, "0"),
		chromedp.Click(css(`button.reaction-warm`)),
		chromedp.WaitVisible(css(`button.reaction-warm[aria-pressed="true"]`)),
		waitText(`button.reaction-warm .reaction-count`, "1"),
	)
	b.run(t, "save and unsave",
		chromedp.Click(css(`.bookmark-button`)),
		waitText(`#toasts`, "기사가 저장 되었습니다."),
		chromedp.WaitVisible(css(`.bookmark-button[aria-pressed="true"]`)),
		chromedp.Click(css(`.bookmark-button`)),
		waitText(`#toasts`, "기사 저장이 취소되었습니다."),
	)
	b.run(t, "subscribe to the reporter",
		chromedp.Click(css(`.byline-short .subscribe-button`)),
		waitText(`.byline-short .subscribe-button`, "구독중"),
	)
	// None of it reloaded the page, and all of it holds after a reload.
	b.run(t, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`#comments`)))
	if got := b.text(t, `.byline-short .subscribe-button`); got != "구독중" {
		t.Errorf("after reload the subscribe button says %q", got)
	}
	if got := b.text(t, `.comment-count`); got != "1" {
		t.Errorf("after reload 댓글 %s", got)
	}
	if b.attr(t, `button.reaction-warm`, "aria-pressed") != "true" {
		t.Errorf("after reload 훈훈해요 is not shown as chosen")
	}
	b.onlyLocal(t, site.URL)
}

func TestBrowserReaderFlowsWithoutJavaScript(t *testing.T) {
	site := MustRunMain(t)
	b := mustBrowser(t, false)
	id := seedArticleID(t, site)
	article := fmt.Sprintf("%s/articles/%d", site.URL, id)

	signUpInBrowser(t, b, site, "nojs@example.com", "자바스크립트끔")
	b.run(t, "post comment",
		chromedp.Navigate(article),
		chromedp.WaitVisible(css(`#comment-body`)),
		chromedp.SendKeys(css(`#comment-body`), "스크립트 없이 쓴 댓글"),
	)
	// Proof that scripts are really off: the live counter stands still.
	if got := b.text(t, `#comment-counter`); got != "0 / 250" {
		t.Fatalf("counter shows %q with JavaScript off", got)
	}
	b.run(t, "send comment",
		chromedp.Click(css(`.comment-form button[type=submit]`)),
		waitText(`.comment-list`, "스크립트 없이 쓴 댓글"),
	)
	if got := b.text(t, `.comment-count`); got != "1" {
		t.Errorf("댓글 %s after posting", got)
	}
	b.run(t, "react",
		chromedp.Click(css(`button.reaction-like`)),
		chromedp.WaitVisible(css(`button.reaction-like[aria-pressed="true"]`)),
	)
	b.run(t, "second reaction is refused",
		chromedp.Click(css(`button.reaction-sad`)),
		waitText(`#toasts`, "중복 선택 불가 안내"),
		waitText(`#toasts`, "이미 공감 표현을 선택하신 기사입니다."),
	)
	b.run(t, "cancel and choose again",
		chromedp.Click(css(`.reaction-cancel-form button`)),
		chromedp.WaitVisible(css(`button.reaction-like[aria-pressed="false"]`)),
		chromedp.Click(css(`button.reaction-sad`)),
		chromedp.WaitVisible(css(`button.reaction-sad[aria-pressed="true"]`)),
	)
	b.run(t, "save",
		chromedp.Click(css(`.bookmark-button`)),
		waitText(`#toasts`, "기사가 저장 되었습니다."),
	)
	b.run(t, "unsave",
		chromedp.Click(css(`.bookmark-button`)),
		waitText(`#toasts`, "기사 저장이 취소되었습니다."),
	)
	b.run(t, "subscribe",
		chromedp.Click(css(`.byline-short .subscribe-button`)),
		waitText(`.byline-short .subscribe-button`, "구독중"),
		chromedp.Navigate(site.URL+"/me/feed"),
		waitText(`main`, seedHeadline),
	)
	b.onlyLocal(t, site.URL)
}

// TestScreenshot renders the seed article as a phone and a desktop see it.
// With JIKJI_SCREENSHOT=path it saves the desktop picture (make screenshot).
func TestScreenshot(t *testing.T) {
	site := MustRunMain(t)
	b := mustBrowser(t, true)
	id := seedArticleID(t, site)
	url := fmt.Sprintf("%s/articles/%d", site.URL, id)

	b.run(t, "phone layout",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(url),
		chromedp.WaitVisible(css(`.article-body`)),
	)
	if value(t, b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
		t.Errorf("the article page scrolls sideways on a phone")
	}
	b.run(t, "desktop layout",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(url),
		chromedp.WaitVisible(css(`.article-body`)),
	)
	value(t, b, chromedp.Evaluate[bool](`Promise.all([...document.images].map(i => { i.loading = "eager"; return i.decode().catch(() => {}); })).then(() => true)`, chromedp.EvalAwaitPromise))
	png := value(t, b, chromedp.CaptureScreenshot())
	if len(png) < 10000 {
		t.Fatalf("screenshot is only %d bytes", len(png))
	}
	missing := value(t, b, chromedp.Evaluate[int](`[...document.querySelectorAll(".article-body img")].filter(i => !i.getAttribute("width") || !i.getAttribute("height") || i.naturalWidth === 0).length`))
	if missing > 0 {
		t.Errorf("%d article images lack width/height or failed to load", missing)
	}
	b.onlyLocal(t, site.URL)
	if out := os.Getenv("JIKJI_SCREENSHOT"); out != "" {
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
