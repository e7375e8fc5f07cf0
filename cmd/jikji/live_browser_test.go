package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"jikji/internal/news"

	"github.com/chromedp/chromedp"
)

// waitTrue waits until a script expression is true in the page.
func waitTrue(expr string) chromedp.Action[chromedp.Void] {
	check := chromedp.Evaluate[bool](expr)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := check(ctx, t)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("waiting for %s: not true (last error %v)", expr, err)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

const streamOpen = `document.documentElement.getAttribute("data-live") === "open"`

// TestBrowserLivePage: an open story page learns of a comment written
// elsewhere as "새 댓글 1개 보기" without moving, keeps what it missed while
// its connection was down, shows a live update posted in the newsroom, and
// an open home page shows a 속보 strip.
func TestBrowserLivePage(t *testing.T) {
	site := MustRunMain(t)
	b := mustBrowser(t, true)
	id := seedArticleID(t, site)
	article := fmt.Sprintf("%s/articles/%d", site.URL, id)
	commentsAPI := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	other := mustSignUp(t, site, "other-reader@example.com", "다른독자")

	b.run(t, "open the story", chromedp.Navigate(article), chromedp.WaitVisible(css(`#comments`)), waitTrue(streamOpen))
	scrolled := value(t, b, chromedp.Evaluate[float64](`window.scrollTo(0, 400), window.scrollY`))
	other.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "다른 창에서 쓴 댓글"}, http.StatusCreated, nil)
	b.run(t, "notice of the new comment", waitText(`.live-notice`, "새 댓글 1개 보기"), waitText(`.comment-count`, "1"))
	if got := value(t, b, chromedp.Evaluate[float64](`window.scrollY`)); got != scrolled {
		t.Errorf("the page moved from %v to %v when the comment came", scrolled, got)
	}
	if value(t, b, chromedp.Evaluate[bool](`document.querySelector(".comment-list").textContent.includes("다른 창에서 쓴 댓글")`)) {
		t.Error("the comment was put in the list before the reader asked")
	}

	// The connection drops; a comment written meanwhile still arrives.
	site.Service.Live.EndStreams()
	other.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "끊긴 사이에 쓴 댓글"}, http.StatusCreated, nil)
	b.run(t, "resume after the drop", waitText(`.live-notice`, "새 댓글 2개 보기"), waitTrue(streamOpen))
	b.run(t, "show the new comments",
		chromedp.Click(css(`.live-notice`)),
		waitText(`.comment-list`, "다른 창에서 쓴 댓글"),
		waitText(`.comment-list`, "끊긴 사이에 쓴 댓글"),
		waitTrue(`document.querySelector(".live-notice").hidden`),
	)

	editor := mustStaff(t, site, "browser-editor@example.com", "박데스크", news.RoleEditor)
	editor.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/articles/%d/live", id), map[string]bool{"live": true}, http.StatusOK, nil)
	b.run(t, "reopen the live story", chromedp.Reload(), chromedp.WaitVisible(css(`#live`)), waitTrue(streamOpen))
	res := editor.form(t, fmt.Sprintf("/newsroom/articles/%d/updates", id), url.Values{"body": {"뉴스룸에서 올린 첫 업데이트"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting an update from the newsroom: %d", res.StatusCode)
	}
	b.run(t, "update appears", waitText(`#live .live-updates`, "뉴스룸에서 올린 첫 업데이트"), waitText(`#live .live-updates`, "박데스크"))

	b.run(t, "open the home page", chromedp.Navigate(site.URL+"/"), waitTrue(streamOpen))
	var a deskArticle
	editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
		"headline": "브라우저 속보 시험", "section": "society", "body": "본문입니다.", "labels": []string{"breaking"},
	}, http.StatusCreated, &a)
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID), map[string]any{}, http.StatusOK, nil)
	b.run(t, "breaking strip", waitText(`.live-strip`, "브라우저 속보 시험"))

	// The newsroom sees the two reads of the story this test made (open,
	// reload), drawn as charts with their tables.
	if err := site.Service.Live.FlushReads(context.Background()); err != nil {
		t.Fatal(err)
	}
	loginInBrowser(t, b, site, "browser-editor@example.com", fmt.Sprintf("/newsroom/live?article=%d", id))
	b.run(t, "newsroom live page", chromedp.WaitVisible(css(`#chart-minutes svg`)))
	if got := b.text(t, `.live-story-hour`); got != "2" {
		t.Errorf("reads of the story in the last hour = %q, want 2", got)
	}
	charts := value(t, b, chromedp.Evaluate[[]int](`[...document.querySelectorAll("figure.live-chart")].map(f =>
		f.querySelector("svg rect.chart-bar") && f.querySelector("table") ? f.querySelectorAll("tbody tr").length : -1)`))
	if fmt.Sprint(charts) != "[60 168 24]" {
		t.Errorf("charts with their tables: %v rows, want [60 168 24]", charts)
	}
	sum := value(t, b, chromedp.Evaluate[int](`[...document.querySelectorAll("#chart-minutes tbody td")].reduce((n, td) => n + parseInt(td.textContent, 10), 0)`))
	if sum != 2 {
		t.Errorf("the minute table adds up to %d reads, want 2", sum)
	}
	b.onlyLocal(t, site.URL)
}
