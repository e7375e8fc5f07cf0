package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitLocation waits until the page's URL holds part (a form post without
// JavaScript navigates).
func waitLocation(part string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			loc, err := chromedp.Location()(ctx, t)
			if err == nil && strings.Contains(loc, part) {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("the page is at %s, not at %s", loc, part)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// TestBrowserNoScriptKeepsTextAndPlace posts a refused comment and reacts
// with JavaScript off: the box keeps what was typed, and each answer lands
// back where the reader was on the page.
func TestBrowserNoScriptKeepsTextAndPlace(t *testing.T) {
	site := MustRunMain(t)
	b := mustBrowser(t, false)
	id := seedArticleID(t, site)
	article := fmt.Sprintf("%s/articles/%d", site.URL, id)
	signUpInBrowser(t, b, site, "keep@example.com", "글지킴이")

	long := strings.Repeat("가나다라마바사아자차", 25) + "끝"
	b.run(t, "post a comment one character too long",
		chromedp.Navigate(article),
		chromedp.WaitVisible(css(`#comment-body`)),
		chromedp.SetValue(css(`#comment-body`), long),
		chromedp.Click(css(`.comment-form button[type=submit]`)),
		waitText(`#toasts`, "250자까지"),
	)
	if got := value(t, b, chromedp.Value(css(`#comment-body`))); got != long {
		t.Errorf("the box holds %d characters after the refusal, want the %d typed", len([]rune(got)), len([]rune(long)))
	}
	location := func() string { return value(t, b, chromedp.Location()) }
	if loc := location(); !strings.HasSuffix(loc, "#comments") {
		t.Errorf("after the refused comment the reader is at %s, want #comments", loc)
	}
	b.run(t, "the page is not at its top after the refused comment", waitScrolled())

	b.run(t, "shorten and send",
		chromedp.SetValue(css(`#comment-body`), "고쳐 쓴 댓글"),
		chromedp.Click(css(`.comment-form button[type=submit]`)),
		waitText(`.comment-list`, "고쳐 쓴 댓글"),
	)
	if got := value(t, b, chromedp.Value(css(`#comment-body`))); got != "" {
		t.Errorf("after a comment went through the box still holds %q", got)
	}
	if loc := location(); !strings.Contains(loc, "#comment-") {
		t.Errorf("after posting the reader is at %s, want the new comment", loc)
	}

	for _, step := range []struct {
		what, button, anchor string
	}{
		{"react", `button.reaction-like`, "#reactions"},
		{"save", `.bookmark-button`, "#reactions"},
		{"like a comment", `.comment-list .vote-form button.vote`, "#comment-"},
	} {
		b.run(t, step.what,
			chromedp.Navigate(article),
			chromedp.WaitVisible(css(step.button)),
			chromedp.Click(css(step.button)),
			waitLocation(step.anchor),
			waitScrolled(),
		)
	}
	b.onlyLocal(t, site.URL)
}

// waitScrolled waits until the loaded page is scrolled away from its top,
// as it is at an anchor further down.
func waitScrolled() chromedp.Action[chromedp.Void] {
	check := chromedp.Evaluate[bool](`document.readyState === "complete" && window.scrollY > 0`)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			if ok, err := check(ctx, t); err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("the page stays at its top")
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}
