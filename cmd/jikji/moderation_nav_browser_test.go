package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"jikji/internal/news"
)

var clearCookies = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
	return err
})

// TestBrowserNewsroomLinksToModeration: whoever may moderate reaches the
// moderation queue from every newsroom page they see, by a link; a reporter
// is not offered one.
func TestBrowserNewsroomLinksToModeration(t *testing.T) {
	site := MustRunMain(t)
	id := seedArticleID(t, site)
	for _, role := range []string{news.RoleAdmin, news.RoleEditor, news.RoleModerator, news.RoleReporter} {
		mustStaff(t, site, role+"@jikji.example", role, role)
	}
	b := mustBrowser(t, false)
	modLink := `.newsroom-nav a[href="/newsroom/moderation"]`
	count := func(sel string) int {
		return value(t, b, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	}
	pages := map[string][]string{
		news.RoleAdmin:     {"/newsroom", "/newsroom/articles/new", fmt.Sprintf("/newsroom/articles/%d", id), "/newsroom/front", "/newsroom/staff", "/newsroom/moderation/tools", "/newsroom/moderation/audit"},
		news.RoleEditor:    {"/newsroom", "/newsroom/articles/new", fmt.Sprintf("/newsroom/articles/%d", id), "/newsroom/front", "/newsroom/moderation/tools"},
		news.RoleModerator: {"/newsroom/moderation/tools", "/newsroom/moderation/audit"},
	}
	for _, role := range []string{news.RoleAdmin, news.RoleEditor, news.RoleModerator} {
		t.Run(role, func(t *testing.T) {
			b.run(t, "forget the last login", clearCookies)
			loginInBrowser(t, b, site, role+"@jikji.example", pages[role][0])
			for _, path := range pages[role] {
				b.run(t, "open "+path, chromedp.Navigate(site.URL+path), chromedp.WaitVisible(css(`.newsroom`)))
				if count(modLink) != 1 {
					t.Errorf("%s on %s: no link to the moderation queue in the newsroom menu", role, path)
				}
			}
			// The link leads there.
			b.run(t, "follow the link",
				chromedp.Click(css(modLink)),
				waitText(`h1`, "댓글 관리"),
			)
			if loc := value(t, b, chromedp.Location()); !strings.HasSuffix(loc, "/newsroom/moderation") {
				t.Errorf("the link went to %s", loc)
			}
		})
	}
	t.Run(news.RoleReporter, func(t *testing.T) {
		b.run(t, "forget the last login", clearCookies)
		loginInBrowser(t, b, site, news.RoleReporter+"@jikji.example", "/newsroom")
		if n := count(`a[href="/newsroom/moderation"]`); n != 0 {
			t.Errorf("a reporter is offered %d links to moderation", n)
		}
	})
}
