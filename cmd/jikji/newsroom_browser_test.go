package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jikji/internal/news"

	"github.com/chromedp/chromedp"
)

// loginInBrowser logs in through the login page, coming back to next.
func loginInBrowser(tb testing.TB, b *browser, site *testSite, email, next string) {
	tb.Helper()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(site.URL + next),
		// The newsroom sends a visitor without a session to the login page.
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), email),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
	}
	if code := nextOTP(tb, email); code != "" {
		steps = append(steps, chromedp.WaitVisible(css(`#otp`)), chromedp.SendKeys(css(`#otp`), code), chromedp.Submit(css(`#otp`)))
	}
	b.run(tb, "log in as "+email, append(steps, chromedp.WaitVisible(css(`.newsroom`)))...)
}

// TestBrowserNewsroomReporterToFrontPage: a reporter writes a story with a
// photo and submits it, an editor publishes it, and it shows on the home
// page — all without JavaScript, as the newsroom must work without it.
func TestBrowserNewsroomReporterToFrontPage(t *testing.T) {
	site := MustRunMain(t)
	mustStaff(t, site, "reporter@jikji.example", "김기자", news.RoleReporter)
	mustStaff(t, site, "desk@jikji.example", "박데스크", news.RoleEditor)
	photoFile := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(photoFile, testPNG(t, 800, 600), 0o600); err != nil {
		t.Fatal(err)
	}
	const headline = "브라우저로 쓴 뉴스룸 기사"

	reporter := mustBrowser(t, false)
	loginInBrowser(t, reporter, site, "reporter@jikji.example", "/newsroom/articles/new")
	reporter.run(t, "write a draft",
		chromedp.WaitVisible(css(`#headline`)),
		chromedp.SetValue(css(`#section`), "society"),
		chromedp.SendKeys(css(`#headline`), headline),
		chromedp.SendKeys(css(`#deck`), "기자가 쓰고 데스크가 발행했다"),
		chromedp.SendKeys(css(`#body`), "첫 문단입니다.\n\n## 중간제목\n\n둘째 문단입니다."),
		chromedp.Click(css(`button[value=save]`)),
		waitText(`#toasts`, "저장했습니다."),
	)
	reporter.run(t, "attach a photo",
		chromedp.SetUploadFiles(css(`#photo-file`), []string{photoFile}),
		chromedp.SendKeys(css(`#photo-caption`), "뉴스룸에서 올린 사진"),
		chromedp.SendKeys(css(`#photo-credit`), "김기자"),
		chromedp.SendKeys(css(`#photo-alt`), "색이 번지는 그림"),
		chromedp.Submit(css(`#photo-alt`)),
		waitText(`#toasts`, "사진을 본문 끝에 넣었습니다."),
	)
	if body := value(t, reporter, chromedp.Evaluate[string](`document.querySelector('#body').value`)); !strings.Contains(body, "![색이 번지는 그림](photo:") {
		t.Fatalf("body after the upload: %q", body)
	}
	editURL := value(t, reporter, chromedp.Location())
	reporter.run(t, "submit to the desk",
		chromedp.Click(css(`.submit-button`)),
		waitText(`#toasts`, "데스크에 출고했습니다."),
	)
	if got := reporter.text(t, `.newsroom-title .state-badge`); got != "출고" {
		t.Errorf("state after submitting: %q", got)
	}
	// A reporter has no publish button, and the server refuses anyway.
	if n := value(t, reporter, chromedp.Evaluate[int](`document.querySelectorAll('.publish-button').length`)); n != 0 {
		t.Errorf("reporter sees %d publish buttons", n)
	}

	editor := mustBrowser(t, false)
	loginInBrowser(t, editor, site, "desk@jikji.example", "/newsroom?state=submitted")
	editor.run(t, "open the submitted story",
		waitText(`.newsroom-table`, headline),
		chromedp.Navigate(editURL),
		chromedp.WaitVisible(css(`.publish-button`)),
		chromedp.Click(css(`.publish-button`)),
		waitText(`#toasts`, "발행했습니다."),
		waitText(`.newsroom-title .state-badge`, "발행"),
	)
	editor.run(t, "home page",
		chromedp.Navigate(site.URL+"/"),
		waitText(`.top-stories`, headline),
	)
	editor.run(t, "article page",
		chromedp.Click(css(`.top-stories .card-lead .card-headline a`)),
		waitText(`#article-headline`, headline),
		waitText(`.article-body figcaption`, "뉴스룸에서 올린 사진"),
		waitText(`.article-footer`, ""),
	)
	if alt := editor.attr(t, `.article-body figure img`, "alt"); alt != "색이 번지는 그림" {
		t.Errorf("photo alt %q", alt)
	}
	editor.onlyLocal(t, site.URL)
}
