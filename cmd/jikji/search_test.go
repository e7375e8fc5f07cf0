package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"

	_ "modernc.org/sqlite"
)

type searchAnswer struct {
	Total   int `json:"total"`
	Results []struct {
		ID          int64  `json:"id"`
		URL         string `json:"url"`
		Headline    string `json:"headline"`
		Snippet     string `json:"snippet"`
		PublishedAt string `json:"published_at"`
		Section     struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
		} `json:"section"`
	} `json:"results"`
	Next string `json:"next"`
}

func searchAPI(tb testing.TB, s *testSite, params url.Values) searchAnswer {
	tb.Helper()
	var ans searchAnswer
	s.getJSON(tb, "/api/v1/search?"+params.Encode(), http.StatusOK, &ans)
	return ans
}

func TestSearchFindsSeedArticle(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	for _, q := range []string{"삼성", "하이닉스", "올트먼", "칩", "AGI", "HBM", "스타트업 10곳", "hbm 하이닉스"} {
		t.Run(q, func(t *testing.T) {
			ans := searchAPI(t, s, url.Values{"q": {q}})
			var found bool
			for _, r := range ans.Results {
				if r.ID != id {
					continue
				}
				found = true
				if r.URL != s.URL+fmt.Sprintf("/articles/%d", id) || r.Headline != seedHeadline {
					t.Errorf("result = %+v", r)
				}
				if r.PublishedAt != "2024-03-18T04:30:00+09:00" || r.Section.Slug == "" {
					t.Errorf("result time %q, section %+v", r.PublishedAt, r.Section)
				}
				if !strings.Contains(r.Snippet, "<mark>") && !strings.Contains(r.Headline, q) {
					t.Errorf("snippet %q marks nothing", r.Snippet)
				}
			}
			if !found {
				t.Errorf("%q did not find the seed article: %+v", q, ans)
			}
			if ans.Total < len(ans.Results) {
				t.Errorf("total %d < %d results", ans.Total, len(ans.Results))
			}
		})
	}
	t.Run("Absent", func(t *testing.T) {
		ans := searchAPI(t, s, url.Values{"q": {"냉장고수리점"}})
		if ans.Total != 0 || len(ans.Results) != 0 || ans.Next != "" {
			t.Errorf("absent word found %+v", ans)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		var e apiErr
		s.getJSON(t, "/api/v1/search?q=칩&section=nope", http.StatusBadRequest, &e)
		if e.Code != news.EINVALID {
			t.Errorf("unknown section: %+v", e)
		}
		s.getJSON(t, "/api/v1/search?q=칩&sort=best", http.StatusBadRequest, &e)
		if e.Code != news.EINVALID || e.Error == "" {
			t.Errorf("unknown order: %+v", e)
		}
		s.getJSON(t, "/api/v1/search?q=칩&from=2024/03/18", http.StatusBadRequest, &e)
		s.getJSON(t, "/api/v1/search?q=칩&cursor=!!", http.StatusBadRequest, &e)
	})
}

func TestSearchFiltersAndPages(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	// Every Korean article ends a sentence with 다.
	all := searchAPI(t, s, url.Values{"q": {"다"}, "limit": {"100"}})
	if all.Total < 3 || all.Total != len(all.Results) {
		t.Fatalf("다: total %d, %d results", all.Total, len(all.Results))
	}
	var paged []int64
	next := ""
	for range 100 {
		ans := searchAPI(t, s, url.Values{"q": {"다"}, "limit": {"2"}, "cursor": {next}})
		if ans.Total != all.Total {
			t.Errorf("page total %d, want %d", ans.Total, all.Total)
		}
		for _, r := range ans.Results {
			paged = append(paged, r.ID)
		}
		if next = ans.Next; next == "" {
			break
		}
	}
	var want []int64
	for _, r := range all.Results {
		want = append(want, r.ID)
	}
	if !slices.Equal(want, paged) {
		t.Errorf("paged ids %v, want %v", paged, want)
	}

	inDay := searchAPI(t, s, url.Values{"q": {"올트먼"}, "from": {"2024-03-18"}, "to": {"2024-03-18"}})
	if len(inDay.Results) != 1 || inDay.Results[0].ID != id {
		t.Errorf("seed day: %+v", inDay)
	}
	after := searchAPI(t, s, url.Values{"q": {"올트먼"}, "from": {"2024-03-19"}})
	for _, r := range after.Results {
		if r.ID == id {
			t.Errorf("from 2024-03-19 found the seed article of 2024-03-18")
		}
	}
	section := all.Results[0].Section.Slug
	inSection := searchAPI(t, s, url.Values{"q": {"다"}, "section": {section}, "limit": {"100"}})
	if inSection.Total == 0 {
		t.Errorf("section %s found nothing", section)
	}
	for _, r := range inSection.Results {
		if r.Section.Slug != section {
			t.Errorf("section filter %s let through %+v", section, r)
		}
	}
}

func TestSearchPage(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	status, page := s.get(t, "/search?q="+url.QueryEscape("하이닉스"))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	text := visibleText(page)
	for _, want := range []string{"‘하이닉스’ 검색 결과", "검색 결과 1건", "2024.03.18 04:30"} {
		if !strings.Contains(text, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	if !strings.Contains(page, fmt.Sprintf(`href="/articles/%d"`, id)) || !strings.Contains(page, "<mark>하이닉스</mark>") {
		t.Errorf("search page lacks the highlighted seed article")
	}

	// What the reader typed is shown escaped; only <mark> is markup.
	_, page = s.get(t, "/search?q="+url.QueryEscape(`<script>alert(1)</script> 칩`))
	if strings.Contains(page, "<script>alert") {
		t.Errorf("the query reached the page unescaped")
	}
	_, page = s.get(t, "/search?q="+url.QueryEscape("냉장고수리점"))
	if !strings.Contains(visibleText(page), "검색 결과가 없습니다") {
		t.Errorf("no-result page lacks its message")
	}
	_, page = s.get(t, "/search")
	if !strings.Contains(page, `name="q"`) || strings.Contains(page, "검색 결과 ") {
		t.Errorf("empty search page should show only the form")
	}
	if status, _ := s.get(t, "/search?q=칩&page=0"); status != http.StatusBadRequest {
		t.Errorf("page=0: status %d", status)
	}
}

// TestSearchOrdersAndParticles checks what a reader sees of the two orders
// and of words typed with particles, through the page and the API.
func TestSearchOrdersAndParticles(t *testing.T) {
	s := mustNewsroom(t)
	editor := s.clients[news.RoleEditor]
	publish := func(headline, body string) int64 {
		var a deskArticle
		editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
			"headline": headline, "section": "society", "body": body}, http.StatusCreated, &a)
		editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID), nil, http.StatusOK, &a)
		return a.ID
	}
	inHeadline := publish("해상풍력 단지 첫 가동", "서해안에서 발전이 시작됐다.")
	inBody := publish("서해안 발전소 소식", "해상풍력 단지가 전력을 보내기 시작했다.")
	ids := func(ans searchAnswer) []int64 {
		var out []int64
		for _, r := range ans.Results {
			out = append(out, r.ID)
		}
		return out
	}
	// The body match is newer: only the order tells them apart.
	if got := ids(searchAPI(t, s.testSite, url.Values{"q": {"해상풍력의"}})); !slices.Equal(got, []int64{inHeadline, inBody}) {
		t.Errorf("relevance (default) = %v, want headline match first %v", got, []int64{inHeadline, inBody})
	}
	if got := ids(searchAPI(t, s.testSite, url.Values{"q": {"해상풍력을"}, "sort": {"newest"}})); !slices.Equal(got, []int64{inBody, inHeadline}) {
		t.Errorf("newest = %v, want %v", got, []int64{inBody, inHeadline})
	}
	if got := ids(searchAPI(t, s.testSite, url.Values{"q": {`"단지 해상풍력"`}})); len(got) != 0 {
		t.Errorf("a phrase out of order found %v", got)
	}
	_, page := s.get(t, "/search?sort=newest&q="+url.QueryEscape("해상풍력이"))
	text := visibleText(page)
	if !strings.Contains(text, "검색 결과 2건") || !strings.Contains(page, `<strong aria-current="true">최신순</strong>`) ||
		!strings.Contains(page, "sort=relevance") {
		t.Errorf("newest page lacks its count or order links:\n%s", text)
	}
	if strings.Index(page, fmt.Sprintf(`href="/articles/%d"`, inBody)) > strings.Index(page, fmt.Sprintf(`href="/articles/%d"`, inHeadline)) {
		t.Errorf("newest page lists the older story first")
	}
	if !strings.Contains(page, "<mark>해상풍력</mark>") {
		t.Errorf("the stem is not marked in the results")
	}

	// Unpublishing takes the story out of the very next search.
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/unpublish", inBody), nil, http.StatusOK, nil)
	if got := ids(searchAPI(t, s.testSite, url.Values{"q": {"해상풍력"}})); !slices.Equal(got, []int64{inHeadline}) {
		t.Errorf("after unpublishing: %v, want %v", got, []int64{inHeadline})
	}
	// Staff find the unpublished story by its body in the newsroom.
	var list struct {
		Articles []struct {
			ID int64 `json:"id"`
		} `json:"articles"`
	}
	editor.mustJSON(t, "GET", "/api/v1/newsroom/articles?q="+url.QueryEscape("해상풍력"), nil, http.StatusOK, &list)
	var staff []int64
	for _, a := range list.Articles {
		staff = append(staff, a.ID)
	}
	if !slices.Equal(staff, []int64{inBody, inHeadline}) {
		t.Errorf("newsroom search = %v, want both stories %v", staff, []int64{inBody, inHeadline})
	}
}

// TestSearchTimeLimit checks that a search that cannot finish in time is
// answered 503 with Retry-After, as JSON for the API and a page for people.
func TestSearchTimeLimit(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.SearchTimeout = time.Nanosecond })
	res, err := http.Get(s.URL + "/api/v1/search?q=" + url.QueryEscape("올트먼"))
	if err != nil {
		t.Fatal(err)
	}
	var e apiErr
	json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || e.Code != news.EBUSY {
		t.Errorf("status %d, Retry-After %q, error %+v", res.StatusCode, res.Header.Get("Retry-After"), e)
	}
	if status, page := s.get(t, "/search?q="+url.QueryEscape("올트먼")); status != http.StatusServiceUnavailable ||
		!strings.Contains(visibleText(page), "잠시 후 다시 시도해주세요") {
		t.Errorf("page: status %d", status)
	}
	// An empty search does not search, so it is never refused.
	if status, _ := s.get(t, "/search"); status != http.StatusOK {
		t.Errorf("empty search: status %d", status)
	}
}

// rankedIDs returns the article ids linked in the section of a heading id.
func rankedIDs(page, headingID string) []int64 {
	i := strings.Index(page, `id="`+headingID+`"`)
	if i < 0 {
		return nil
	}
	rest := page[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	var ids []int64
	for _, m := range regexp.MustCompile(`href="/articles/(\d+)"`).FindAllStringSubmatch(rest, -1) {
		var id int64
		fmt.Sscan(m[1], &id)
		ids = append(ids, id)
	}
	return ids
}

// openDB opens the site's SQLite file beside the server, read-only.
func openDB(tb testing.TB, s *testSite) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Config.Data, "jikji.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestRankings(t *testing.T) {
	s := MustRunMain(t)
	seed := seedArticleID(t, s)
	var list struct {
		Articles []struct{ ID int64 } `json:"articles"`
	}
	s.getJSON(t, "/api/v1/articles?limit=3", http.StatusOK, &list)
	other := list.Articles[0].ID
	if other == seed {
		other = list.Articles[1].ID
	}
	db := openDB(t, s)
	views := func() (n int64) {
		t.Helper()
		if err := db.QueryRow(`SELECT coalesce(sum(views), 0) FROM page_views`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Reading an article writes nothing: views wait in memory for a flush.
	for range 3 {
		s.get(t, fmt.Sprintf("/articles/%d", other))
	}
	s.get(t, fmt.Sprintf("/articles/%d/any-slug", seed))
	s.get(t, "/articles/999999") // not found: not counted
	if n := views(); n != 0 {
		t.Fatalf("page views reached the database on the request path: %d", n)
	}
	if err := s.Service.Views.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := views(); n != 4 {
		t.Errorf("after a flush the database holds %d views, want 4", n)
	}

	// Two comments on the seed article put it on top of 댓글 많은 뉴스.
	c := mustSignUp(t, s, "ranker@jikji.example", "랭킹독자")
	for _, body := range []string{"첫 댓글", "둘째 댓글"} {
		c.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", seed), map[string]any{"body": body}, http.StatusCreated, nil)
	}

	_, page := s.get(t, "/ranking")
	if got := rankedIDs(page, "most-viewed-heading"); len(got) < 2 || got[0] != other || got[1] != seed {
		t.Errorf("많이 본 뉴스 = %v, want %d then %d", got, other, seed)
	}
	if got := rankedIDs(page, "most-commented-heading"); len(got) < 1 || got[0] != seed {
		t.Errorf("댓글 많은 뉴스 = %v, want %d first", got, seed)
	}
	if !strings.Contains(visibleText(page), "댓글 2") {
		t.Errorf("ranking page lacks the comment count")
	}
	_, home := s.get(t, "/")
	if got := rankedIDs(home, "most-viewed-heading"); len(got) == 0 || got[0] != other {
		t.Errorf("home 많이 본 뉴스 = %v, want %d first", got, other)
	}
	if !strings.Contains(visibleText(home), "댓글 많은 뉴스") {
		t.Errorf("home page lacks 댓글 많은 뉴스")
	}

	// No reader's address is kept anywhere: no column of any table is
	// named for one, and page_views holds only article, hour and count.
	rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var pageViewCols []string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		lc := strings.ToLower(col)
		// A session keeps its browser's user agent, and only for its
		// owner's list of logged-in devices (/me/sessions); no other table
		// may hold one.
		ownDevice := table == "sessions" && lc == "user_agent"
		// The outbox and its paused list hold e-mail addresses, not
		// network ones.
		mailTo := (table == "mail_outbox" && lc == "to_addr") || (table == "mail_addresses" && lc == "addr")
		if lc == "ip" || strings.HasPrefix(lc, "ip_") || strings.HasSuffix(lc, "_ip") || (strings.Contains(lc, "addr") && !mailTo) || (strings.Contains(lc, "user_agent") && !ownDevice) {
			t.Errorf("table %s has a column %s that may hold a reader's address", table, col)
		}
		if table == "page_views" {
			pageViewCols = append(pageViewCols, col)
		}
	}
	if !slices.Equal(pageViewCols, []string{"article_id", "hour", "views"}) {
		t.Errorf("page_views columns = %v", pageViewCols)
	}
}

func TestRelatedArticles(t *testing.T) {
	s := MustRunMain(t)
	ctx := context.Background()
	secs, err := s.Store.Sections(ctx)
	if err != nil || len(secs) < 2 {
		t.Fatalf("sections: %v %v", secs, err)
	}
	now := time.Now()
	create := func(sec news.Section, headline string, age time.Duration) int64 {
		t.Helper()
		a := news.Article{Section: sec, Headline: headline, Body: headline + " 관련 본문입니다.",
			State: news.StatePublished, PublishedAt: now.Add(-age), CommentsOpen: true}
		if err := s.Service.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	target := create(secs[0], "직지심체요절 복원 특별전 개막", time.Hour)
	otherSection := create(secs[1], "직지심체요절 다시 읽기", time.Minute)
	sameSection := create(secs[0], "직지심체요절 관광 효과 분석", 48*time.Hour)

	_, page := s.get(t, fmt.Sprintf("/articles/%d", target))
	got := rankedIDs(page, "related-heading")
	if i := strings.Index(page, `id="related-heading"`); i < 0 || i > strings.Index(page, `id="reactions"`) {
		t.Fatalf("related articles are missing or not before the reactions")
	}
	if slices.Contains(got, target) {
		t.Errorf("an article is related to itself")
	}
	i, j := slices.Index(got, sameSection), slices.Index(got, otherSection)
	if i < 0 || j < 0 || i > j {
		t.Errorf("related = %v, want %d (same section) before %d", got, sameSection, otherSection)
	}
}
