package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"jikji/internal/news"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// xssVectors are the classic ways script gets into a page; each sets
// window.__xss or opens a dialog if it ever runs.
var xssVectors = []string{
	`<script>window.__xss=1</script>`,
	`<img src=x onerror="window.__xss=1;alert(1)">`,
	`<svg onload=window.__xss=1>`,
	`"><script>window.__xss=1</script>`,
	`'><img src=x onerror=window.__xss=1>`,
	`</script><script>window.__xss=1</script>`,
	`</textarea><script>window.__xss=1</script>`,
	`</title><script>window.__xss=1</script>`,
	`<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>`,
	`<a href="javascript:window.__xss=1">링크</a>`,
	`<body onload=window.__xss=1>`,
	`<details open ontoggle=window.__xss=1>`,
	`<style>@import 'http://evil.example/x.css';</style>`,
	`\u003cscript\u003ewindow.__xss=1\u003c/script\u003e`,
	`{{.}}${window.__xss=1}`,
	`<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>`,
}

// TestBrowserXSSVectorsNeverRun posts the classic XSS vectors as comments,
// display names and article fields (headline, deck, body, correction
// note through the newsroom), then opens every page that shows them in
// Chromium with JavaScript on: no script may run and no dialog open.
func TestBrowserXSSVectorsNeverRun(t *testing.T) {
	site := MustRunMain(t, func(c *Config) { c.CommentsPerMinute = 1000; c.SignupsPerIP = 1000 })
	b := mustBrowser(t, true)
	var dialogs atomic.Int32
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}

	desk := mustStaff(t, site, "desk@example.com", "데스크", news.RoleEditor)
	var art struct{ ID int64 }
	desk.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
		"headline": "XSS 시험 " + xssVectors[0] + xssVectors[5],
		"section":  "society",
		"deck":     []string{xssVectors[1], xssVectors[3]},
		"body":     strings.Join(xssVectors, "\n\n") + "\n\n## " + xssVectors[2] + "\n\n> " + xssVectors[4] + "\n> — " + xssVectors[7],
	}, http.StatusCreated, &art)
	desk.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", art.ID), map[string]any{}, http.StatusOK, nil)
	desk.mustJSON(t, "PATCH", fmt.Sprintf("/api/v1/newsroom/articles/%d", art.ID), map[string]any{"correction_note": xssVectors[6]}, http.StatusOK, nil)

	names := []string{`<svg/onload=__xss=1>`, `'"><img src=x>`, `</script><b>x`}
	var userIDs []int64
	for i, name := range names {
		c := mustSignUp(t, site, fmt.Sprintf("x%d@example.com", i), name)
		userIDs = append(userIDs, accountID(t, c))
		for j, v := range xssVectors {
			if j%len(names) == i {
				mustComment(t, c, art.ID, v, http.StatusCreated)
			}
		}
	}

	pages := []string{
		"/", fmt.Sprintf("/articles/%d", art.ID), fmt.Sprintf("/articles/%d/comments?sort=oldest", art.ID),
		fmt.Sprintf("/articles/%d/revisions", art.ID), "/sections/society", "/ranking",
		"/search?q=" + url.QueryEscape(xssVectors[0]), "/search?q=" + url.QueryEscape("XSS 시험"),
		"/login?next=" + url.QueryEscape("javascript:window.__xss=1"), "/feed.xml",
	}
	for _, id := range userIDs {
		pages = append(pages, fmt.Sprintf("/users/%d", id))
	}
	check := func(path string) {
		t.Helper()
		b.run(t, "open "+path, chromedp.Navigate(site.URL+path), chromedp.WaitReady(css("body")))
		ran := value(t, b, chromedp.Evaluate[bool](`typeof window.__xss !== "undefined"`))
		if ran {
			t.Errorf("%s: injected script ran", path)
		}
	}
	for _, p := range pages {
		check(p)
	}
	// The text is there, shown as text.
	check(fmt.Sprintf("/articles/%d", art.ID))
	if got := b.text(t, "#article-headline"); !strings.Contains(got, "<script>window.__xss=1</script>") {
		t.Errorf("headline shows %q", got)
	}
	// The newsroom shows the same fields in its forms.
	loginInBrowser(t, b, site, "desk@example.com", fmt.Sprintf("/newsroom/articles/%d", art.ID))
	for _, p := range []string{fmt.Sprintf("/newsroom/articles/%d", art.ID), "/newsroom", "/newsroom/moderation", "/newsroom/moderation/audit"} {
		check(p)
	}
	if n := dialogs.Load(); n > 0 {
		t.Errorf("%d dialogs opened", n)
	}
}
