package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"jikji/internal/gen"
	"jikji/internal/news"
	"jikji/internal/search"
)

// runDiscovery runs the cases of news.DiscoveryStore: search, related
// articles, page views and rankings, sitemaps.
func runDiscovery(t *testing.T, open Opener) {
	t.Run("Search", open.testSearch)
	t.Run("SearchFilters", open.testSearchFilters)
	t.Run("SearchPages", open.testSearchPages)
	t.Run("SearchAcrossYears", open.testSearchAcrossYears)
	t.Run("SearchFollowsEdits", open.testSearchFollowsEdits)
	t.Run("SearchAnalyser", open.testAnalyser)
	t.Run("SearchOrders", open.testSearchOrders)
	t.Run("SearchTakedown", open.testSearchTakedown)
	t.Run("Reindex", open.testReindex)
	t.Run("BulkReindex", open.testBulkReindex)
	t.Run("RelatedArticles", open.testRelatedArticles)
	t.Run("PageViews", open.testPageViews)
	t.Run("MostCommented", open.testMostCommented)
	t.Run("Sitemap", open.testSitemap)
}

// paragraphs turns lines of text into paragraph blocks.
func paragraphs(lines ...string) []news.Block {
	var out []news.Block
	for _, l := range lines {
		out = append(out, news.Block{Type: news.BlockParagraph, Text: l})
	}
	return out
}

// seedLike is the seed article's headline, deck and part of its body.
func seedLike(w world) news.Article {
	return news.Article{
		Section:  w.section,
		Headline: `올트먼 "삼성전자·SK하이닉스는 '환상적인 회사'"... AI 칩 협력 시사`,
		Deck: []string{
			"올트먼, 오픈AI 본사서 한국 기자들 만나",
			`"6개월간 두 번 방문, 좋은 만남이었다"`,
			"협업할 한국 AI 스타트업 10곳도 선발",
		},
		Blocks: append(paragraphs(
			"샘 올트먼 오픈AI 최고경영자(CEO)가 삼성전자와 SK하이닉스를 두고 '환상적인 회사'라고 평가했다.",
			"두 회사는 AI 칩 생산에 필수적인 고대역폭메모리(HBM) 시장을 양분하고 있다.",
		), news.Block{Type: news.BlockIntertitle, Text: `올트먼 "자체 칩 생산은 AGI 도달 위한 것"`},
			news.Block{Type: news.BlockParagraph, Text: "다만 올트먼은 AI 칩 생산 추진은 수익 극대화가 아닌 '일반인공지능(AGI) 구현'을 위한 것임을 분명히 했다."}),
		Bylines:      []news.Byline{{ReporterID: w.reporter.ID, Role: "특파원", Dateline: "샌프란시스코"}},
		PublishedAt:  at(-60),
		CommentsOpen: true,
	}
}

// searchIDs runs a query as a reader typed it and returns the ids found.
func searchIDs(t *testing.T, st news.Store, typed string, q news.SearchQuery) ([]int64, int) {
	t.Helper()
	q.Terms = search.ParseQuery(typed).StoreTerms()
	if q.Now.IsZero() {
		q.Now = T0
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	res, err := st.SearchArticles(t.Context(), q)
	Must(t, err)
	for _, a := range res.Articles {
		wantUTC(t, "search result", a.PublishedAt)
	}
	return articleIDs(res.Articles), res.Total
}

func (open Opener) testSearch(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	seed := MustCreateArticle(t, st, seedLike(w))
	other := MustCreateArticle(t, st, news.Article{
		Section: w.section, Headline: "황사와 미세먼지 겹쳐 서울 도심 뿌옇게", PublishedAt: at(-30),
		Blocks: paragraphs("기상청은 내일까지 대기가 정체돼 미세먼지 농도가 높겠다고 밝혔다."),
	})

	t.Run("FindsSeed", func(t *testing.T) {
		for _, typed := range []string{"삼성", "하이닉스", "올트먼", "칩", "AGI", "HBM", "스타트업 10곳", "agi", `"AI 칩"`, "삼성전자 HBM", w.reporter.Name} {
			got, total := searchIDs(t, st, typed, news.SearchQuery{})
			if !slices.Contains(got, seed.ID) {
				t.Errorf("%q found %v, want the seed article %d", typed, got, seed.ID)
			}
			if slices.Contains(got, other.ID) {
				t.Errorf("%q found the dust article too", typed)
			}
			if total != len(got) {
				t.Errorf("%q: total %d, want %d", typed, total, len(got))
			}
		}
	})
	t.Run("AbsentFindsNothing", func(t *testing.T) {
		for _, typed := range []string{"냉장고", "삼성 냉장고", "zyxwv", "2019"} {
			got, total := searchIDs(t, st, typed, news.SearchQuery{})
			if len(got) != 0 || total != 0 {
				t.Errorf("%q found %v (total %d), want nothing", typed, got, total)
			}
		}
		got, _ := searchIDs(t, st, "", news.SearchQuery{})
		DiffIDs(t, "empty query", nil, got)
	})
	t.Run("HeadlineAboveBody", func(t *testing.T) {
		// The body match is newer, so only the headline weight can put the
		// headline match first.
		inHeadline := MustCreateArticle(t, st, news.Article{
			Section: w.section, Headline: "반도체 수출 석 달째 증가", PublishedAt: at(-20),
			Blocks: paragraphs("지난달 수출이 늘었다고 산업통상자원부가 밝혔다. 전체 수출도 증가세를 이어갔다."),
		})
		inBody := MustCreateArticle(t, st, news.Article{
			Section: w.section, Headline: "지난달 수출 증가세 이어가", PublishedAt: at(-10),
			Blocks: paragraphs("산업통상자원부는 반도체 수출이 늘었다고 밝혔다. 자동차와 선박도 함께 늘었다."),
		})
		got, _ := searchIDs(t, st, "반도체", news.SearchQuery{})
		DiffIDs(t, "반도체", []int64{inHeadline.ID, inBody.ID}, got)
	})
	t.Run("NewerBreaksTies", func(t *testing.T) {
		older := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "직지 특별전 개막", PublishedAt: at(-50),
			Blocks: paragraphs("금속활자본을 한자리에 모은 특별전이 열렸다.")})
		newer := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "직지 특별전 개막", PublishedAt: at(-40),
			Blocks: paragraphs("금속활자본을 한자리에 모은 특별전이 열렸다.")})
		got, _ := searchIDs(t, st, "특별전", news.SearchQuery{})
		DiffIDs(t, "특별전", []int64{newer.ID, older.ID}, got)
	})
	t.Run("OnlyPublic", func(t *testing.T) {
		body := paragraphs("비공개 단어 클로버잎 이야기.")
		MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "초안 클로버잎", State: news.StateDraft, Blocks: body})
		MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "내린 기사 클로버잎", State: news.StateUnpublished, PublishedAt: at(-5), Blocks: body})
		later := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "예약 기사 클로버잎", PublishedAt: at(30), Blocks: body})
		got, total := searchIDs(t, st, "클로버잎", news.SearchQuery{})
		if len(got) != 0 || total != 0 {
			t.Errorf("found %v (total %d) among drafts, unpublished and scheduled articles, want nothing", got, total)
		}
		got, _ = searchIDs(t, st, "클로버잎", news.SearchQuery{Now: at(31)})
		DiffIDs(t, "once the scheduled time has come", []int64{later.ID}, got)
	})
}

func (open Opener) testSearchFilters(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	culture := MustCreateSection(t, st, "culture", 2)
	mk := func(sec news.Section, minutes int) news.Article {
		return MustCreateArticle(t, st, news.Article{Section: sec, Headline: "태풍 북상 소식", PublishedAt: at(minutes),
			Blocks: paragraphs("태풍이 북상하고 있다.")})
	}
	a := mk(w.section, -3*24*60)
	b := mk(culture, -2*24*60)
	c := mk(w.section, -24*60)

	got, total := searchIDs(t, st, "태풍", news.SearchQuery{})
	DiffIDs(t, "all", []int64{c.ID, b.ID, a.ID}, got)
	if total != 3 {
		t.Errorf("total %d, want 3", total)
	}
	got, total = searchIDs(t, st, "태풍", news.SearchQuery{SectionID: w.section.ID})
	DiffIDs(t, "section", []int64{c.ID, a.ID}, got)
	if total != 2 {
		t.Errorf("section total %d, want 2", total)
	}
	got, _ = searchIDs(t, st, "태풍", news.SearchQuery{From: at(-2 * 24 * 60)})
	DiffIDs(t, "from (inclusive)", []int64{c.ID, b.ID}, got)
	got, _ = searchIDs(t, st, "태풍", news.SearchQuery{To: at(-24 * 60)})
	DiffIDs(t, "to (exclusive)", []int64{b.ID, a.ID}, got)
	got, _ = searchIDs(t, st, "태풍", news.SearchQuery{From: at(-2*24*60 - 1), To: at(-2*24*60 + 1)})
	DiffIDs(t, "from and to", []int64{b.ID}, got)
}

func (open Opener) testSearchPages(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	var want []int64
	for i := range 5 {
		a := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "국회 본회의 법안 처리", PublishedAt: at(-i),
			Blocks: paragraphs("국회는 본회의를 열었다.")})
		want = append(want, a.ID)
	}
	// A search kept to one core (others wait) finds the same pages.
	for _, oneCore := range []bool{false, true} {
		var got []int64
		for offset := 0; offset < 6; offset += 2 {
			ids, total := searchIDs(t, st, "국회", news.SearchQuery{Offset: offset, Limit: 2, OneCore: oneCore})
			if total != 5 {
				t.Errorf("offset %d, one core %v: total %d, want 5", offset, oneCore, total)
			}
			got = append(got, ids...)
		}
		DiffIDs(t, fmt.Sprintf("pages, one core %v", oneCore), want, got)
	}
	ids, total := searchIDs(t, st, "국회", news.SearchQuery{Offset: 10, Limit: 2})
	if len(ids) != 0 || total != 5 {
		t.Errorf("past the end: %v, total %d; want nothing, total 5", ids, total)
	}
}

// testSearchAcrossYears checks both orders and paging over stories years
// apart, which a store may keep in separate parts of its index.
func (open Opener) testSearchAcrossYears(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	day := 24 * 60
	var newest []int64
	for i := range 7 {
		// 0, 50, 100 … 300 days back: the stories fall in five quarters.
		a := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: fmt.Sprintf("지역 소식 %d", i), PublishedAt: at(-i * 50 * day),
			Blocks: paragraphs("폭설로 도로가 막혔다.")})
		newest = append(newest, a.ID)
	}
	// The oldest story's headline holds the word.
	old := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "폭설 피해 집계", PublishedAt: at(-700 * day),
		Blocks: paragraphs("피해가 컸다.")})
	newest = append(newest, old.ID)
	for _, oneCore := range []bool{false, true} {
		var got []int64
		for offset := 0; offset < 9; offset += 3 {
			ids, total := searchIDs(t, st, "폭설", news.SearchQuery{Sort: news.SortNewest, Offset: offset, Limit: 3, OneCore: oneCore})
			if total != 8 {
				t.Errorf("newest, offset %d: total %d, want 8", offset, total)
			}
			got = append(got, ids...)
		}
		DiffIDs(t, fmt.Sprintf("newest first over the years, one core %v", oneCore), newest, got)
		ids, _ := searchIDs(t, st, "폭설", news.SearchQuery{Limit: 3, OneCore: oneCore})
		DiffIDs(t, fmt.Sprintf("relevance: the headline match first, one core %v", oneCore), []int64{old.ID, newest[0], newest[1]}, ids)
	}
	ids, total := searchIDs(t, st, "폭설", news.SearchQuery{Sort: news.SortNewest, From: at(-260 * day), To: at(-40 * day)})
	if total != 5 {
		t.Errorf("from and to: total %d, want 5", total)
	}
	DiffIDs(t, "from and to over the years", newest[1:6], ids)
}

// testSearchFollowsEdits checks that the newsroom's writes keep the index
// current: a draft is not found, its publication is, an edited headline is
// found by its new words only, and an unpublished story disappears.
func (open Opener) testSearchFollowsEdits(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	ctx := t.Context()
	a := news.Article{Section: w.section, Headline: "무지개송어 양식장 첫 출하", State: news.StateDraft,
		Blocks: paragraphs("강원 산골의 양식장이 첫 출하를 했다."), Bylines: []news.Byline{{ReporterID: w.reporter.ID}},
		CreatedAt: at(-100)}
	rev := news.Revision{Action: news.ActionCreate, State: news.StateDraft, Headline: a.Headline, CreatedAt: at(-100)}
	Must(t, st.CreateDraft(ctx, &a, &rev))
	found := func(typed string) []int64 {
		t.Helper()
		ids, _ := searchIDs(t, st, typed, news.SearchQuery{})
		return ids
	}
	DiffIDs(t, "draft", nil, found("무지개송어"))

	save := func(change func(*news.Article), action string) {
		t.Helper()
		change(&a)
		Must(t, st.UpdateArticle(ctx, &a, a.Version, []news.Revision{{Action: action, State: a.State, Headline: a.Headline, CreatedAt: T0}}))
	}
	save(func(a *news.Article) { a.State, a.PublishedAt = news.StatePublished, at(-10) }, news.ActionPublish)
	DiffIDs(t, "published", []int64{a.ID}, found("무지개송어"))

	save(func(a *news.Article) {
		a.Headline = "산천어 양식장 첫 출하"
		a.Blocks = paragraphs("강원 산골의 양식장이 산천어를 처음 내보냈다.")
	}, news.ActionSave)
	DiffIDs(t, "old headline", nil, found("무지개송어"))
	DiffIDs(t, "new headline", []int64{a.ID}, found("산천어"))

	save(func(a *news.Article) { a.State = news.StateUnpublished }, news.ActionUnpublish)
	DiffIDs(t, "unpublished", nil, found("산천어"))
}

func (open Opener) testReindex(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	seed := MustCreateArticle(t, st, seedLike(w))
	// A draft is read and passed over by a full reindex, never indexed.
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "하이닉스 초안", State: news.StateDraft})
	n, err := st.ReindexArticles(t.Context(), false, nil)
	Must(t, err)
	if n != 0 {
		t.Errorf("reindex of missing entries wrote %d, want 0: CreateArticle indexes", n)
	}
	n, err = st.ReindexArticles(t.Context(), true, nil)
	Must(t, err)
	if n != 2 {
		t.Errorf("full reindex went through %d articles, want 2", n)
	}
	got, _ := searchIDs(t, st, "하이닉스", news.SearchQuery{})
	DiffIDs(t, "after reindex", []int64{seed.ID}, got)
}

func (open Opener) testRelatedArticles(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	other := MustCreateSection(t, st, "world", 2)
	seed := MustCreateArticle(t, st, seedLike(w))
	sameSection := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "SK하이닉스 HBM 증산", PublishedAt: at(-90),
		Blocks: paragraphs("메모리 업황이 살아나고 있다.")})
	otherSection := MustCreateArticle(t, st, news.Article{Section: other, Headline: "올트먼 방한, 하이닉스 방문", PublishedAt: at(-10),
		Blocks: paragraphs("오픈AI 최고경영자가 다시 한국을 찾는다.")})
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "장마 시작", PublishedAt: at(-5),
		Blocks: paragraphs("남부지방부터 비가 내린다.")})
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "하이닉스 초안", State: news.StateDraft})

	list, err := st.RelatedArticles(t.Context(), news.RelatedQuery{ArticleID: seed.ID, SectionID: w.section.ID, Headline: seed.Headline, Limit: 5, Now: T0})
	Must(t, err)
	DiffIDs(t, "related", []int64{sameSection.ID, otherSection.ID}, articleIDs(list))
	list, err = st.RelatedArticles(t.Context(), news.RelatedQuery{ArticleID: seed.ID, SectionID: w.section.ID, Headline: seed.Headline, Limit: 1, Now: T0})
	Must(t, err)
	DiffIDs(t, "related, limit 1", []int64{sameSection.ID}, articleIDs(list))
	list, err = st.RelatedArticles(t.Context(), news.RelatedQuery{ArticleID: seed.ID, SectionID: w.section.ID, Limit: 5, Now: T0})
	Must(t, err)
	DiffIDs(t, "related without a headline", nil, articleIDs(list))
}

func (open Opener) testPageViews(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	ctx := t.Context()
	a := w.article(t, at(-600))
	b := w.article(t, at(-300))
	c := w.article(t, at(-200))
	draft := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "초안", State: news.StateDraft})
	hour := T0.Truncate(time.Hour)
	Must(t, st.AddPageViews(ctx, []news.PageViewCount{
		{ArticleID: a.ID, Hour: hour, Views: 3},
		{ArticleID: b.ID, Hour: hour, Views: 5},
		{ArticleID: draft.ID, Hour: hour, Views: 100},
		{ArticleID: c.ID, Hour: hour.Add(-30 * time.Hour), Views: 50}, // outside the window
		{ArticleID: 1 << 40, Hour: hour, Views: 7},                    // no such article: dropped
	}))
	// A second batch adds to the same buckets.
	Must(t, st.AddPageViews(ctx, []news.PageViewCount{
		{ArticleID: a.ID, Hour: hour, Views: 4},
		{ArticleID: a.ID, Hour: hour.Add(-time.Hour), Views: 1},
	}))
	got, err := st.MostViewed(ctx, T0.Add(-24*time.Hour), T0, 10)
	Must(t, err)
	type ranked struct{ ID, Count int64 }
	var list []ranked
	for _, r := range got {
		list = append(list, ranked{r.Article.ID, r.Count})
		if r.Article.Section.Slug == "" || len(r.Article.Bylines) == 0 {
			t.Errorf("ranked article %d lacks its section or bylines", r.Article.ID)
		}
	}
	want := []ranked{{a.ID, 8}, {b.ID, 5}}
	if !slices.Equal(want, list) {
		t.Errorf("most viewed = %v, want %v", list, want)
	}
	got, err = st.MostViewed(ctx, T0.Add(-24*time.Hour), T0, 1)
	Must(t, err)
	if len(got) != 1 || got[0].Article.ID != a.ID {
		t.Errorf("most viewed, limit 1: %v", got)
	}

	Must(t, st.PrunePageViews(ctx, hour))
	got, err = st.MostViewed(ctx, T0.Add(-48*time.Hour), T0, 10)
	Must(t, err)
	list = list[:0]
	for _, r := range got {
		list = append(list, ranked{r.Article.ID, r.Count})
	}
	want = []ranked{{a.ID, 7}, {b.ID, 5}}
	if !slices.Equal(want, list) {
		t.Errorf("after pruning older hours: most viewed = %v, want %v", list, want)
	}
}

func (open Opener) testMostCommented(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	ctx := t.Context()
	reader := MustCreateAccount(t, st, "reader@jikji.example")
	a := w.article(t, at(-600))
	b := w.article(t, at(-300))
	comment := func(articleID int64, minutes int, state string) {
		MustCreateComment(t, st, news.Comment{ArticleID: articleID, AuthorID: reader.ID, Body: "의견입니다", State: state, CreatedAt: at(minutes)})
	}
	comment(a.ID, -10, news.CommentVisible)
	comment(b.ID, -10, news.CommentVisible)
	comment(b.ID, -9, news.CommentVisible)
	comment(a.ID, -8, news.CommentHidden)
	comment(a.ID, -8, news.CommentHidden)
	comment(a.ID, -5*24*60, news.CommentVisible) // too old to count
	got, err := st.MostCommented(ctx, T0.Add(-72*time.Hour), T0, 10)
	Must(t, err)
	var ids []int64
	var counts []int64
	for _, r := range got {
		ids = append(ids, r.Article.ID)
		counts = append(counts, r.Count)
	}
	DiffIDs(t, "most commented", []int64{b.ID, a.ID}, ids)
	if !slices.Equal(counts, []int64{2, 1}) {
		t.Errorf("comment counts = %v, want [2 1]", counts)
	}
}

func (open Opener) testSitemap(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	ctx := t.Context()
	var published []news.Article
	for i := range 5 {
		published = append(published, w.article(t, at(-100+i)))
	}
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "초안", State: news.StateDraft})
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "예약", PublishedAt: at(60)})

	// Pages of two ids each; ids need not start at 1.
	pages, err := st.SitemapPages(ctx, T0, 2)
	Must(t, err)
	var listed []int64
	for _, p := range pages {
		entries, err := st.SitemapArticles(ctx, T0, p.Page, 2)
		Must(t, err)
		if len(entries) == 0 {
			t.Errorf("page %d is listed but empty", p.Page)
		}
		var last time.Time
		for _, e := range entries {
			listed = append(listed, e.ID)
			wantUTC(t, "sitemap entry", e.PublishedAt)
			if e.PublishedAt.After(last) {
				last = e.PublishedAt
			}
		}
		if !p.LastMod.Equal(last) {
			t.Errorf("page %d: lastmod %v, want %v", p.Page, p.LastMod, last)
		}
	}
	DiffIDs(t, "sitemap", articleIDs(published), listed)

	_, err = st.PhotoVariantSize(ctx, 1<<40, 320)
	WantCode(t, err, news.ENOTFOUND)
	p := news.Photo{Caption: "캡션", Credit: "직지일보", Alt: "사진", Width: 640, Height: 480, ContentType: "image/jpeg", CreatedAt: T0}
	Must(t, st.CreatePhoto(context.Background(), &p, []news.PhotoVariant{
		{Width: 320, Height: 240, ContentType: "image/jpeg", Data: make([]byte, 1234)},
		{Width: 640, Height: 480, ContentType: "image/jpeg", Data: make([]byte, 4321)},
	}))
	n, err := st.PhotoVariantSize(ctx, p.ID, 640)
	Must(t, err)
	if n != 4321 {
		t.Errorf("variant size %d, want 4321", n)
	}
}

// testBulkReindex builds the index of a site imported without it, as
// jikji generate --search-index=false followed by jikji reindex does: large
// enough that the stores take their bulk path, with a draft and a taken
// down story among the articles.
func (open Opener) testBulkReindex(t *testing.T) {
	st := open(t)
	ctx := t.Context()
	const articles = 1200
	var recs []news.Record
	Must(t, gen.New(gen.Options{Articles: articles, Seed: 7, Now: T0}).Records(func(r news.Record) error {
		if r.Article != nil && r.Article.ID == 600 {
			r.Article.State = news.StateDraft
			r.Article.PublishedAt = time.Time{}
		}
		recs = append(recs, r)
		return nil
	}))
	Must(t, st.Import(news.WithoutSearchIndex(ctx), Records(recs), nil))
	if got, _ := searchIDs(t, st, "발표", news.SearchQuery{}); len(got) != 0 {
		t.Fatalf("before reindex: %d results, want none", len(got))
	}
	var calls, last int
	n, err := st.ReindexArticles(ctx, false, func(done, total int) {
		calls++
		if done < last || total != articles-1 {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	})
	Must(t, err)
	if n != articles-1 || last != n || calls == 0 {
		t.Errorf("reindex wrote %d in %d steps (last %d), want %d", n, calls, last, articles-1)
	}
	// Every findable article is found by its headline as a phrase.
	for _, r := range recs {
		a := r.Article
		if a == nil || a.ID%97 != 0 && a.ID != 600 && a.ID != articles {
			continue
		}
		got, _ := searchIDs(t, st, `"`+a.Headline+`"`, news.SearchQuery{Limit: 100})
		if found := slices.Contains(got, a.ID); found != (a.ID != 600) {
			t.Errorf("article %d (%s) found by its headline: %v", a.ID, a.State, found)
		}
	}
	if n, err := st.ReindexArticles(ctx, false, nil); err != nil || n != 0 {
		t.Errorf("second reindex of missing entries: %d, %v; want 0", n, err)
	}
	// The index keeps working as articles are written after the build.
	fresh := MustCreateArticle(t, st, news.Article{Section: gen.Sections()[1], Headline: "산천어 축제 개막", PublishedAt: at(-1),
		Blocks: paragraphs("화천에서 산천어 축제가 열렸다.")})
	got, _ := searchIDs(t, st, "산천어", news.SearchQuery{})
	DiffIDs(t, "article written after the bulk build", []int64{fresh.ID}, got)

	// A full rebuild of a full index goes through every article and
	// leaves the same index.
	n, err = st.ReindexArticles(ctx, true, nil)
	Must(t, err)
	if n != articles+1 {
		t.Errorf("full reindex went through %d articles, want %d", n, articles+1)
	}
	got, _ = searchIDs(t, st, "산천어", news.SearchQuery{})
	DiffIDs(t, "after a full rebuild", []int64{fresh.ID}, got)
	for _, r := range recs {
		if a := r.Article; a != nil && (a.ID == 600 || a.ID == 97) {
			got, _ := searchIDs(t, st, `"`+a.Headline+`"`, news.SearchQuery{Limit: 100})
			if found := slices.Contains(got, a.ID); found != (a.ID != 600) {
				t.Errorf("after a full rebuild, article %d (%s) found by its headline: %v", a.ID, a.State, found)
			}
		}
	}
	if stats, err := st.SearchIndexStats(ctx); err != nil || stats.Articles != articles || stats.Bytes <= 0 {
		t.Errorf("index after a full rebuild: %+v, %v; want %d articles and their size", stats, err, articles)
	}
}
