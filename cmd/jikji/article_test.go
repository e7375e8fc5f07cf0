package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"
)

func TestArticlePageShowsEverySeedElement(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	status, page := s.get(t, fmt.Sprintf("/articles/%d", id))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	text := visibleText(page)
	want := []string{
		"속보", "단독",
		seedHeadline,
		"올트먼, 오픈AI 본사서 한국 기자들 만나",
		`"6개월간 두 번 방문, 좋은 만남이었다"`,
		"협업할 한국 AI 스타트업 10곳도 선발",
		"입력 2024.03.18 04:30",
		"1면",
		"구독",
		"답하고 있다. 중소기업벤처부 제공",
		"간판 등이 없다. 샌프란시스코=이서희 특파원·공동취재단",
		"신사옥에서 근무하고 있다. 샌프란시스코=공동취재단",
		`올트먼 "자체 칩 생산은 AGI 도달 위한 것"`,
		`K스타트업과 협업도... "올트먼, 한국 문화 큰 관심"`,
		"샌프란시스코= 이서희 특파원",
		"세상을 보는 균형, 한국일보",
		"Copyright © Hankookilbo",
		"댓글 0",
		"0 / 250",
		"첫번째 댓글을 남겨주세요.",
		// The legal footer of a Korean internet newspaper.
		"등록번호", "발행인", "편집인", "청소년보호책임자", "개인정보처리방침",
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("article page lacks %q", w)
		}
	}
	if strings.Contains(text, "수정 ") {
		t.Errorf("an article never edited shows a 수정 time")
	}
	// Intertitles are headings, photos are figures with alt text.
	for _, frag := range []string{`<h1 id="article-headline"`, `<h2 class="intertitle">`, `<figcaption>`, `<main id="main"`, `<nav class="sections-nav" aria-label="섹션">`} {
		if !strings.Contains(page, frag) {
			t.Errorf("page lacks %s", frag)
		}
	}
	if strings.Count(page, `alt=""`) > 0 {
		t.Errorf("an article photo has empty alt text")
	}
	// The two photos of the office share one caption.
	if n := strings.Count(page, "신사옥 외부엔 이 조형물 외에"); n != 1 {
		t.Errorf("shared caption appears %d times, want once", n)
	}
}

// TestTimesAreKSTWhateverTheServerZone runs the check in a child process
// whose zone is Los Angeles, as a server abroad would have.
func TestTimesAreKSTWhateverTheServerZone(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestKSTInServerZone$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TZ=America/Los_Angeles", "JIKJI_KST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("child in America/Los_Angeles: %v\n%s", err, out)
	}
}

func TestKSTInServerZone(t *testing.T) {
	if os.Getenv("JIKJI_KST_CHILD") != "1" {
		t.Skip("run by TestTimesAreKSTWhateverTheServerZone")
	}
	if name, _ := time.Now().Zone(); name == "KST" {
		t.Fatal("the child runs in KST; the test would prove nothing")
	}
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	_, page := s.get(t, fmt.Sprintf("/articles/%d", id))
	if text := visibleText(page); !strings.Contains(text, "입력 2024.03.18 04:30") {
		t.Errorf("page shows the time in the server's zone, not KST")
	}
	var a struct {
		PublishedAt string  `json:"published_at"`
		UpdatedAt   *string `json:"updated_at"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &a)
	if a.PublishedAt != "2024-03-18T04:30:00+09:00" {
		t.Errorf("published_at = %q", a.PublishedAt)
	}
	if a.UpdatedAt != nil {
		t.Errorf("updated_at = %q, want null", *a.UpdatedAt)
	}
}

func TestEditedArticleShowsUpdatedTime(t *testing.T) {
	s := MustRunMain(t)
	ctx := context.Background()
	sec, err := s.Store.SectionBySlug(ctx, "society")
	if err != nil {
		t.Fatal(err)
	}
	a := news.Article{
		Section: sec, Headline: "수정된 기사", Body: "본문입니다.", State: news.StatePublished,
		PublishedAt: time.Date(2025, 1, 2, 0, 5, 0, 0, time.UTC),
		UpdatedAt:   time.Date(2025, 1, 2, 3, 0, 0, 0, time.UTC),
	}
	if err := s.Service.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	_, page := s.get(t, fmt.Sprintf("/articles/%d", a.ID))
	text := visibleText(page)
	for _, w := range []string{"입력 2025.01.02 09:05", "수정 2025.01.02 12:00"} {
		if !strings.Contains(text, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestUnknownPagesAre404(t *testing.T) {
	s := MustRunMain(t)
	for _, path := range []string{
		"/articles/999999", "/articles/abc", "/articles/-1", "/articles/0",
		"/articles/99999999999999999999999", "/articles/%ED%95%9C",
		"/sections/nope", "/reporters/abc", "/reporters/424242", "/nope", "/photos/1/abc.jpg",
		"/photos/999/480.jpg", "/static/none.css",
	} {
		status, page := s.get(t, path)
		if status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, status)
			continue
		}
		if !strings.Contains(page, "찾을 수 없습니다") {
			t.Errorf("GET %s: 404 page is not the Korean one", path)
		}
	}
	for _, path := range []string{"/api/v1/articles/999999", "/api/v1/articles/abc", "/api/v1/nope"} {
		var e struct{ Error, Code string }
		s.getJSON(t, path, http.StatusNotFound, &e)
		if e.Code != "not_found" || e.Error == "" {
			t.Errorf("GET %s: error %+v", path, e)
		}
	}
	var e struct{ Error, Code string }
	s.getJSON(t, "/api/v1/articles?cursor=@@@", http.StatusBadRequest, &e)
	if e.Code != "invalid" {
		t.Errorf("bad cursor: %+v", e)
	}
	s.getJSON(t, "/api/v1/articles?limit=ten", http.StatusBadRequest, &e)
}

func TestDraftsAndScheduledArticlesAreNotPublic(t *testing.T) {
	s := MustRunMain(t)
	ctx := context.Background()
	sec, _ := s.Store.SectionBySlug(ctx, "society")
	draft := news.Article{Section: sec, Headline: "초안", Body: "아직 쓰는 중", State: news.StateDraft}
	later := news.Article{Section: sec, Headline: "예약", Body: "내일 나갈 기사", State: news.StatePublished, PublishedAt: time.Now().Add(24 * time.Hour)}
	for _, a := range []*news.Article{&draft, &later} {
		if err := s.Service.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if status, _ := s.get(t, fmt.Sprintf("/articles/%d", a.ID)); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", a.Headline, status)
		}
	}
}

func TestHTMLInArticleFieldsIsEscaped(t *testing.T) {
	s := MustRunMain(t)
	ctx := context.Background()
	sec, _ := s.Store.SectionBySlug(ctx, "society")
	a := news.Article{
		Section: sec, Headline: `<script>alert("h")</script>`, Deck: []string{`<img src=x onerror=alert(1)>`},
		Body:  "<b>굵게</b> & <script>alert(2)</script>\n\n## <i>중간</i>",
		State: news.StatePublished, PublishedAt: time.Now().Add(-time.Minute), CommentsOpen: true,
	}
	if err := s.Service.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	_, page := s.get(t, fmt.Sprintf("/articles/%d", a.ID))
	for _, bad := range []string{`<script>alert`, `<img src=x`, `<b>굵게`, `<i>중간`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	if !strings.Contains(page, `&lt;script&gt;alert(&#34;h&#34;)&lt;/script&gt;`) {
		t.Errorf("headline not shown escaped")
	}
}

func TestArticlesAPI(t *testing.T) {
	s := MustRunMain(t)
	type summary struct {
		ID          int64        `json:"id"`
		URL         string       `json:"url"`
		Headline    string       `json:"headline"`
		Labels      []news.Label `json:"labels"`
		PublishedAt string       `json:"published_at"`
		Section     struct{ Slug, Name string }
	}
	var page struct {
		Articles []summary `json:"articles"`
		Next     string    `json:"next"`
	}
	var all []summary
	path := "/api/v1/articles?limit=3"
	for {
		s.getJSON(t, path, http.StatusOK, &page)
		if len(page.Articles) > 3 {
			t.Fatalf("limit 3 gave %d", len(page.Articles))
		}
		all = append(all, page.Articles...)
		if page.Next == "" {
			break
		}
		path = "/api/v1/articles?limit=3&cursor=" + page.Next
	}
	if len(all) < 7 {
		t.Fatalf("demo has %d articles, want at least 7", len(all))
	}
	seen := map[int64]bool{}
	for i, a := range all {
		if seen[a.ID] {
			t.Errorf("article %d listed twice", a.ID)
		}
		seen[a.ID] = true
		if a.URL != fmt.Sprintf("%s/articles/%d", s.URL, a.ID) {
			t.Errorf("url %q", a.URL)
		}
		if !strings.HasSuffix(a.PublishedAt, "+09:00") || a.Section.Slug == "" || a.Section.Name == "" {
			t.Errorf("article %d: %+v", a.ID, a)
		}
		if i > 0 && a.PublishedAt > all[i-1].PublishedAt {
			t.Errorf("not newest first at %d", i)
		}
	}
	// limit is clamped to 1–100.
	s.getJSON(t, "/api/v1/articles?limit=0", http.StatusOK, &page)
	if len(page.Articles) != 1 {
		t.Errorf("limit=0 gave %d, want 1", len(page.Articles))
	}

	id := seedArticleID(t, s)
	var a struct {
		summary
		Deck   []string `json:"deck"`
		Blocks []struct {
			Type    string `json:"type"`
			Text    string `json:"text"`
			Caption string `json:"caption"`
			Credit  string `json:"credit"`
			Photos  []struct {
				URL string `json:"url"`
				Alt string `json:"alt"`
			} `json:"photos"`
		} `json:"blocks"`
		Bylines      []news.Byline       `json:"bylines"`
		Print        news.PrintPlacement `json:"print"`
		SourceNotice news.SourceNotice   `json:"source_notice"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &a)
	if len(a.Deck) != 3 || a.Print != (news.PrintPlacement{Date: "2024-03-18", Page: 1}) {
		t.Errorf("deck %q print %+v", a.Deck, a.Print)
	}
	if a.SourceNotice != (news.SourceNotice{Slogan: "세상을 보는 균형, 한국일보", Copyright: "Copyright © Hankookilbo"}) {
		t.Errorf("source notice %+v", a.SourceNotice)
	}
	if len(a.Bylines) != 1 || a.Bylines[0].Name != "이서희" || a.Bylines[0].Role != "특파원" || a.Bylines[0].Dateline != "샌프란시스코" || a.Bylines[0].ReporterID == 0 {
		t.Errorf("bylines %+v", a.Bylines)
	}
	labels := []news.Label{{Code: "breaking", Name: "속보"}, {Code: "exclusive", Name: "단독"}}
	if fmt.Sprint(a.Labels) != fmt.Sprint(labels) {
		t.Errorf("labels %+v", a.Labels)
	}
	counts := map[string]int{}
	for _, b := range a.Blocks {
		counts[b.Type]++
		if b.Type == "photo" {
			if b.Caption == "" || b.Credit == "" || len(b.Photos) == 0 || b.Photos[0].Alt == "" || !strings.HasPrefix(b.Photos[0].URL, s.URL+"/photos/") {
				t.Errorf("photo block %+v", b)
			}
			status, _ := s.get(t, strings.TrimPrefix(b.Photos[0].URL, s.URL))
			if status != http.StatusOK {
				t.Errorf("photo %s: %d", b.Photos[0].URL, status)
			}
		}
	}
	if counts["photo"] != 3 || counts["intertitle"] != 2 || counts["paragraph"] < 8 {
		t.Errorf("block counts %v", counts)
	}
}

func TestDemoLoadsOnceEvenWithTwoNodes(t *testing.T) {
	dir := t.TempDir()
	c := Config{Addr: "127.0.0.1:0", Data: dir, Demo: true, BreakingWindow: time.Hour, PasswordCost: 4}
	var wg sync.WaitGroup
	sites := make([]*testSite, 2)
	for i := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sites[i] = startMain(t, c)
		}()
	}
	wg.Wait()
	count := func(s *testSite) int {
		var page struct {
			Articles []struct{ ID int64 } `json:"articles"`
		}
		s.getJSON(t, "/api/v1/articles?limit=100", http.StatusOK, &page)
		return len(page.Articles)
	}
	n := count(sites[0])
	if n < 7 || count(sites[1]) != n {
		t.Fatalf("nodes see %d and %d articles", n, count(sites[1]))
	}
	// A third start of the same site does not load it again.
	if got := count(startMain(t, c)); got != n {
		t.Errorf("after restart %d articles, want %d", got, n)
	}
}

func TestHomeAndListPages(t *testing.T) {
	s := MustRunMain(t)
	status, page := s.get(t, "/")
	if status != http.StatusOK {
		t.Fatalf("home: %d", status)
	}
	text := visibleText(page)
	for _, w := range []string{"주요 뉴스", "경제", "사회", seedHeadline} {
		if !strings.Contains(text, w) {
			t.Errorf("home lacks %q", w)
		}
	}
	status, page = s.get(t, "/sections/economy")
	if status != http.StatusOK || !strings.Contains(visibleText(page), seedHeadline) {
		t.Errorf("economy section: %d, seed article missing", status)
	}
	var a struct {
		Bylines []news.Byline `json:"bylines"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", seedArticleID(t, s)), http.StatusOK, &a)
	status, page = s.get(t, fmt.Sprintf("/reporters/%d", a.Bylines[0].ReporterID))
	if text := visibleText(page); status != http.StatusOK || !strings.Contains(text, "이서희 특파원") || !strings.Contains(text, seedHeadline) {
		t.Errorf("reporter page: %d", status)
	}
	if status, page = s.get(t, "/privacy"); status != http.StatusOK || !strings.Contains(page, "개인정보") {
		t.Errorf("privacy page: %d", status)
	}
}

func TestBreakingStripShowsFreshBreakingNews(t *testing.T) {
	s := MustRunMain(t)
	ctx := context.Background()
	sec, _ := s.Store.SectionBySlug(ctx, "society")
	fresh := news.Article{Section: sec, Headline: "방금 들어온 속보", Body: "속보 본문", State: news.StatePublished,
		PublishedAt: time.Now().Add(-10 * time.Minute), Labels: []news.Label{{Code: news.LabelBreaking}}}
	if err := s.Service.CreateArticle(ctx, &fresh); err != nil {
		t.Fatal(err)
	}
	_, page := s.get(t, "/")
	strip := page[strings.Index(page, `<section class="breaking"`)+1:]
	strip = strip[:strings.Index(strip, "</section>")]
	if !strings.Contains(strip, "방금 들어온 속보") {
		t.Errorf("fresh 속보 not in the breaking strip")
	}
	if strings.Contains(strip, "올트먼") {
		t.Errorf("a 2024 속보 is still in the breaking strip")
	}
}
