package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"jikji/internal/news"
)

// The phone edition, checked in a real Chromium as a reader holds it: a
// 390×844 phone, the narrowest 320 px one, a tablet and a desktop.

// emulate sizes the page as a phone (mobile, scale 2) or a desktop.
func emulate(width, height int64) chromedp.Action[chromedp.Void] {
	if width < 760 {
		return chromedp.EmulateViewport(width, height, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(width, height)
}

// emulateMedia sets the CSS media type ("print", or "" for the screen) and
// the colour scheme the page sees ("" for the default).
func emulateMedia(media, scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		p := emulation.SetEmulatedMediaParams{Media: media}
		if scheme != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
		}
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, p)
		return err
	})
}

// script runs JavaScript in the page for its effect.
func script(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](js+"; true")(ctx, t)
		return err
	})
}

// eventually reports whether the JavaScript condition holds within two
// seconds (the header slides in and out over a fifth of one).
func eventually(tb testing.TB, b *browser, cond string) bool {
	tb.Helper()
	return value(tb, b, chromedp.Evaluate[bool](`new Promise(done => {
		const end = Date.now() + 2000;
		(function poll() {
			const ok = !!(`+cond+`);
			if (ok || Date.now() > end) done(ok); else setTimeout(poll, 50);
		})();
	})`, chromedp.EvalAwaitPromise))
}

// phoneLayoutProblems lists what is wrong with the page's layout at the
// current width: sideways scrolling, a card taller than what it holds (a
// blank hole), a header taller than 56 px on a phone, and a control smaller
// than a fingertip (44×44 px) on a phone.
const phoneLayoutProblems = `(() => {
	const out = [];
	const w = window.innerWidth, phone = w < 760;
	if (document.documentElement.scrollWidth > w) out.push("scrolls sideways: " + document.documentElement.scrollWidth + "px wide");
	for (const card of document.querySelectorAll(".card")) {
		const box = card.getBoundingClientRect(), cs = getComputedStyle(card);
		let bottom = box.top + parseFloat(cs.borderTopWidth) + parseFloat(cs.paddingTop);
		for (const child of card.children) bottom = Math.max(bottom, child.getBoundingClientRect().bottom + parseFloat(getComputedStyle(child).marginBottom));
		const hole = box.bottom - parseFloat(cs.paddingBottom) - parseFloat(cs.borderBottomWidth) - bottom;
		if (hole > 8) out.push("card with a " + Math.round(hole) + "px hole: " + card.querySelector(".card-headline").textContent.trim().slice(0, 30));
	}
	if (phone) {
		const head = document.querySelector(".masthead").getBoundingClientRect().height;
		if (head > 56) out.push("header " + head + "px tall");
		const controls = "button, summary, select, input:not([type=hidden]), .sections-nav a, .user-nav a, .pager a, .comment-sort a, .state-tabs a, .newsroom-nav a, .keywords a, .me-links a, .reporter-link, .back-link a, .footer-links a";
		for (const el of document.querySelectorAll(controls)) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
			if (el.type === "checkbox" || el.closest("label.check")) continue;
			if (r.width < 43.5 || r.height < 43.5) out.push("small tap target " + Math.round(r.width) + "×" + Math.round(r.height) + ": " + el.outerHTML.slice(0, 80));
		}
	}
	return out;
})()`

func TestBrowserPhoneEdition(t *testing.T) {
	site := MustRunMain(t)
	id := seedArticleID(t, site)
	article := articlePathFor(id)
	mustStaff(t, site, "desk@jikji.example", "박데스크", news.RoleEditor)
	other := mustSignUp(t, site, "other@example.com", "다른독자")
	var theirs struct{ ID int64 }
	other.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "남이 쓴 댓글입니다."}, http.StatusCreated, &theirs)

	b := mustBrowser(t, true)
	signUpInBrowser(t, b, site, "phone@example.com", "폰독자")
	// The reader's own comment and a reply of theirs, written through the API
	// with the browser's session.
	b.run(t, "comment", chromedp.Navigate(site.URL+article), chromedp.WaitVisible(css(`#comments`)))
	post := `fetch("/api/v1/articles/%d/comments", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(%s)}).then(r => r.json()).then(c => c.id)`
	mine := value(t, b, chromedp.Evaluate[int64](fmt.Sprintf(post, id, `{body: "제가 쓴 댓글입니다."}`), chromedp.EvalAwaitPromise))
	reply := value(t, b, chromedp.Evaluate[int64](fmt.Sprintf(post, id, fmt.Sprintf(`{body: "제가 단 답글입니다. 좁은 화면에서도 읽혀야 합니다.", parent_id: %d}`, theirs.ID)), chromedp.EvalAwaitPromise))

	pages := []string{"/", article, "/sections/economy", "/ranking", article + "/comments", "/me", "/me/saved", "/search?q=AI"}
	for _, size := range [][2]int64{{320, 640}, {390, 844}, {768, 1024}, {1280, 900}, {1440, 900}} {
		b.run(t, "resize", emulate(size[0], size[1]))
		for _, p := range pages {
			b.run(t, "open "+p, chromedp.Navigate(site.URL+p), chromedp.WaitReady(css(`body`)))
			for _, problem := range value(t, b, chromedp.Evaluate[[]string](phoneLayoutProblems)) {
				t.Errorf("%s at %dpx: %s", p, size[0], problem)
			}
		}
	}

	t.Run("Header", func(t *testing.T) {
		b.run(t, "phone", emulate(390, 844), chromedp.Navigate(site.URL+article), chromedp.WaitVisible(css(`.article-body`)))
		if top := value(t, b, chromedp.Evaluate[float64](`document.getElementById("article-headline").getBoundingClientRect().top`)); top > 120 {
			t.Errorf("the headline starts %vpx down a 390×844 screen, want within 120", top)
		}
		if got := b.attr(t, `.sections-nav a[href="/sections/economy"]`, "aria-current"); got != "true" {
			t.Errorf("the story's section is marked %q in the section bar, want true", got)
		}
		if got := b.text(t, `.edition-date`); !strings.HasPrefix(got, time.Now().In(news.KST).Format("2006년 1월 2일 ")) {
			t.Errorf("the masthead's date reads %q", got)
		}
		// Search and the account menu wait behind their icons.
		if value(t, b, chromedp.Evaluate[bool](`document.querySelector("#site-search-q").checkVisibility() || document.querySelector('.user-nav a[href="/me"]').checkVisibility()`)) {
			t.Errorf("search box or account menu shown before their icons are tapped")
		}
		b.run(t, "open the search", chromedp.Click(css(`.search-toggle`)), chromedp.WaitVisible(css(`#site-search-q`)))
		// The popover's toggle event, which moves the focus, comes a moment
		// after it shows.
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.activeElement === document.querySelector("#site-search-q")`))
		cancel()
		if err != nil {
			t.Errorf("the search box does not take the focus when opened: %v", err)
		}
		b.run(t, "open the menu", chromedp.Click(css(`.search-close`)), chromedp.Click(css(`.account-toggle`)), chromedp.WaitVisible(css(`.user-nav a[href="/me/saved"]`)))
		// Scrolling down hides the header; scrolling up brings it back.
		away := `document.querySelector(".masthead").classList.contains("masthead-away")`
		top := `document.querySelector(".masthead").getBoundingClientRect().top`
		b.run(t, "close the menu", chromedp.Click(css(`.account-toggle`)), script(`window.scrollTo(0, 1200)`))
		if !eventually(t, b, away) {
			t.Errorf("the header stays while the reader scrolls down")
		}
		b.run(t, "scroll up", script(`window.scrollTo(0, 900)`))
		if !eventually(t, b, "!("+away+") && "+top+" === 0") {
			t.Errorf("the header does not come back when the reader scrolls up: top %v", value(t, b, chromedp.Evaluate[float64](top)))
		}
	})

	t.Run("TextSize", func(t *testing.T) {
		size := `getComputedStyle(document.querySelector(".article-body")).fontSize`
		b.run(t, "open", chromedp.Navigate(site.URL+article), chromedp.WaitVisible(css(`.article-body`)))
		before := value(t, b, chromedp.Evaluate[string](size))
		b.run(t, "bigger",
			chromedp.Click(css(`button[popovertarget="text-size-panel"]`)),
			chromedp.WaitVisible(css(`#text-size-panel button[data-text-size="5"]`)),
			chromedp.Click(css(`#text-size-panel button[data-text-size="5"]`)),
			chromedp.Reload(), chromedp.WaitVisible(css(`.article-body`)),
		)
		after := value(t, b, chromedp.Evaluate[string](size))
		if after == before {
			t.Errorf("after choosing 아주 크게 and a reload the story is still %s", after)
		}
		if b.attr(t, `#text-size-panel button[data-text-size="5"]`, "aria-pressed") != "true" {
			t.Errorf("after a reload 아주 크게 is not shown as chosen")
		}
		b.run(t, "back to normal", chromedp.Click(css(`button[popovertarget="text-size-panel"]`)),
			chromedp.WaitVisible(css(`#text-size-panel button[data-text-size="3"]`)), chromedp.Click(css(`#text-size-panel button[data-text-size="3"]`)))
		if got := value(t, b, chromedp.Evaluate[string](size)); got != before {
			t.Errorf("보통 sets the story in %s, want %s", got, before)
		}
	})

	t.Run("CommentMenu", func(t *testing.T) {
		b.run(t, "open", emulate(320, 640), chromedp.Navigate(site.URL+article+"#comments"), chromedp.WaitVisible(css(`#comments`)))
		has := func(comment int64, sel string) bool {
			return value(t, b, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector(%q)`, fmt.Sprintf("#comment-%d > .comment-actions %s", comment, sel))))
		}
		for _, c := range []int64{mine, reply} {
			if has(c, `.report-form`) {
				t.Errorf("comment %d is the reader's own, and offers 신고", c)
			}
			if !has(c, `form[action$="/delete"]`) {
				t.Errorf("comment %d is the reader's own, and offers no 삭제", c)
			}
		}
		if !has(theirs.ID, `.report-form`) || has(theirs.ID, `form[action$="/delete"]`) {
			t.Errorf("someone else's comment should offer 신고 and not 삭제")
		}
		b.run(t, "open the menu", chromedp.Click(css(fmt.Sprintf(`#comment-%d .comment-menu summary`, theirs.ID))),
			chromedp.WaitVisible(css(fmt.Sprintf(`#report-%d`, theirs.ID))))
		for _, problem := range value(t, b, chromedp.Evaluate[[]string](phoneLayoutProblems)) {
			t.Errorf("comments at 320px with the menu open: %s", problem)
		}
		// A comment posted without a reload comes with its actions: 삭제, not 신고.
		b.run(t, "post", chromedp.SendKeys(css(`#comment-body`), "방금 쓴 댓글"), chromedp.Click(css(`.comment-form button[type=submit]`)),
			waitText(`.comment-list`, "방금 쓴 댓글"))
		fresh := value(t, b, chromedp.Evaluate[[]string](`(c => [c.id, c.querySelector(".comment-delete").getAttribute("action"), String(!!c.querySelector(".report-form"))])(document.querySelector(".comment-list .thread:first-child .comment"))`))
		if want := "/comments/" + strings.TrimPrefix(fresh[0], "comment-") + "/delete"; fresh[1] != want || fresh[2] != "false" {
			t.Errorf("a comment just posted deletes through %q (want %q), offers 신고: %s", fresh[1], want, fresh[2])
		}
		// A reply keeps a readable measure at 320 px.
		if w := value(t, b, chromedp.Evaluate[float64](fmt.Sprintf(`document.querySelector("#comment-%d .comment-body").getBoundingClientRect().width`, reply))); w < 240 {
			t.Errorf("a reply's text is %vpx wide at 320px", w)
		}
	})

	t.Run("PrintAndDark", func(t *testing.T) {
		visible := func(sel string) bool {
			return value(t, b, chromedp.Evaluate[bool](fmt.Sprintf(`[...document.querySelectorAll(%q)].some(e => e.checkVisibility())`, sel)))
		}
		b.run(t, "print", emulate(1280, 900), chromedp.Navigate(site.URL+article), chromedp.WaitVisible(css(`.article-body`)), emulateMedia("print", ""))
		for _, sel := range []string{".masthead", ".sections-nav", ".site-footer", ".reader-tools", ".comments", ".reactions"} {
			if visible(sel) {
				t.Errorf("the printout shows %s", sel)
			}
		}
		for _, sel := range []string{"#article-headline", ".article-body .photo img", ".photo .credit", ".byline", ".print-address"} {
			if !visible(sel) {
				t.Errorf("the printout lacks %s", sel)
			}
		}
		background := `getComputedStyle(document.body).backgroundColor`
		b.run(t, "screen", emulateMedia("", ""))
		if got := value(t, b, chromedp.Evaluate[string](background)); got != "rgb(255, 255, 255)" {
			t.Errorf("light page background %s", got)
		}
		b.run(t, "dark", emulateMedia("", "dark"))
		dark := value(t, b, chromedp.Evaluate[[]string](`[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector(".article-headline")).color]`))
		if dark[0] != "rgb(20, 22, 25)" || dark[1] != "rgb(230, 232, 235)" {
			t.Errorf("under a dark device the page is %s with headline %s, want dark with light text", dark[0], dark[1])
		}
		b.run(t, "light again", emulateMedia("", ""))
	})

	// The masthead's search and menu open without JavaScript: they are
	// popovers the browser itself shows.
	t.Run("WithoutJavaScript", func(t *testing.T) {
		nb := mustBrowser(t, false)
		nb.run(t, "menu", emulate(390, 844), chromedp.Navigate(site.URL+article), chromedp.WaitVisible(css(`.article-body`)),
			chromedp.Click(css(`.account-toggle`)), chromedp.WaitVisible(css(`.user-nav a[href="/login"]`)),
			chromedp.Click(css(`.account-toggle`)),
			chromedp.Click(css(`.search-toggle`)), chromedp.WaitVisible(css(`#site-search-q`)),
			chromedp.SendKeys(css(`#site-search-q`), "올트먼"), chromedp.Submit(css(`#site-search-q`)),
			chromedp.WaitVisible(css(`.search-page`)),
		)
		if got := nb.attr(t, `#search-q`, "value"); got != "올트먼" {
			t.Errorf("the header search sent %q", got)
		}
		nb.onlyLocal(t, site.URL)
	})

	t.Run("Newsroom", func(t *testing.T) {
		nb := mustBrowser(t, true)
		loginInBrowser(t, nb, site, "desk@jikji.example", "/newsroom")
		for _, w := range []int64{320, 390, 768, 1280} {
			for _, p := range []string{"/newsroom", fmt.Sprintf("/newsroom/articles/%d", id), "/newsroom/front", "/newsroom/moderation"} {
				nb.run(t, "open "+p, emulate(w, 800), chromedp.Navigate(site.URL+p), chromedp.WaitVisible(css(`.newsroom`)))
				for _, problem := range value(t, nb, chromedp.Evaluate[[]string](phoneLayoutProblems)) {
					t.Errorf("%s at %dpx: %s", p, w, problem)
				}
			}
		}
		nb.run(t, "list", emulate(390, 844), chromedp.Navigate(site.URL+"/newsroom"), chromedp.WaitVisible(css(`.newsroom-table`)))
		// No word broken a syllable a line: every cell of the list is one line
		// high or holds more than one word.
		split := value(t, nb, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".newsroom-table td, .newsroom-table th")].filter(c => {
			const t = c.textContent.trim(), r = document.createRange();
			r.selectNodeContents(c);
			return t && !t.includes(" ") && r.getClientRects().length > 0 && r.getBoundingClientRect().height > parseFloat(getComputedStyle(c).lineHeight) * 1.5;
		}).map(c => c.textContent.trim())`))
		if len(split) > 0 {
			t.Errorf("newsroom list splits words over lines on a phone: %q", split)
		}
		nb.run(t, "editor", chromedp.Navigate(site.URL+fmt.Sprintf("/newsroom/articles/%d", id)), chromedp.WaitVisible(css(`#body`)))
		if font := value(t, nb, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#body")).fontFamily`)); strings.Contains(font, "monospace") {
			t.Errorf("the body editor is set in %s", font)
		}
		if accept := nb.attr(t, `#photo-file`, "accept"); !strings.Contains(accept, "image/jpeg") {
			t.Errorf("the photo field accepts %q", accept)
		}
		// 저장 stays within thumb reach while the body is long.
		bottom := value(t, nb, chromedp.Evaluate[float64](`document.querySelector(".form-actions button[value=save]").getBoundingClientRect().bottom`))
		if bottom > 844 {
			t.Errorf("저장 is %vpx down a 844px screen", bottom)
		}
		shots(t, nb, site, []shot{{name: "newsroom-editor", path: fmt.Sprintf("/newsroom/articles/%d", id), ready: `#body`}})
	})

	shots(t, b, site, []shot{{name: "home", path: "/", ready: `.top-stories`}, {name: "article", path: article, ready: `.article-body`, phoneOnly: true}})
	b.onlyLocal(t, site.URL)
}

type shot struct {
	name, path, ready string
	// phoneOnly: the desktop picture is taken elsewhere (docs/article.png).
	phoneOnly bool
}

// shots saves phone and desktop pictures of pages into the folder
// JIKJI_SCREENSHOT_DIR names (make screenshot: docs/), for the README.
func shots(t *testing.T, b *browser, site *testSite, list []shot) {
	t.Helper()
	dir := os.Getenv("JIKJI_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	for _, s := range list {
		for _, size := range []struct {
			suffix string
			w, h   int64
		}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
			if s.phoneOnly && size.suffix != "phone" {
				continue
			}
			b.run(t, "picture "+s.name, emulate(size.w, size.h), chromedp.Navigate(site.URL+s.path), chromedp.WaitVisible(css(s.ready)))
			value(t, b, chromedp.Evaluate[bool](`Promise.all([...document.images].map(i => { i.loading = "eager"; return i.decode().catch(() => {}); })).then(() => true)`, chromedp.EvalAwaitPromise))
			png := value(t, b, chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(dir, s.name+"-"+size.suffix+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
