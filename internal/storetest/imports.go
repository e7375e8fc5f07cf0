package storetest

import (
	"context"
	"fmt"
	"testing"

	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
)

func runImports(t *testing.T, open Opener) {
	t.Run("Keywords", open.testKeywords)
	t.Run("ImportArticles", open.testImportArticles)
	t.Run("ImportArticlesRollback", open.testImportArticlesRollback)
	t.Run("ImportedCommenters", open.testImportedCommenters)
	t.Run("Redirects", open.testRedirects)
	t.Run("ImportSources", open.testImportSources)
	t.Run("BodyReadsBack", open.testBodyReadsBack)
	t.Run("ImportPhotos", open.testImportPhotos)
	t.Run("ImportedCommenterByKey", open.testImportedCommenterByKey)
}

// testBodyReadsBack: a body that its blocks write back is stored once, as
// blocks; any other is kept as typed. Either way it reads back the same.
func (open Opener) testBodyReadsBack(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	blocks := news.ParseBody("첫 문단\n\n- 하나\n- **둘**\n\n## 중간 제목")
	for _, body := range []string{news.FormatBody(blocks), "첫   문단\n\n\n- 하나\n- **둘**\n\n##   중간 제목\n"} {
		a := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "본문", Body: body, Blocks: blocks})
		if got := MustArticle(t, st, a.ID); got.Body != body {
			t.Errorf("body read back %q, want %q", got.Body, body)
		}
	}
}

func (open Opener) testKeywords(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	tagged := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "반도체 수출 늘어",
		Keywords: []string{"반도체", "Samsung Electronics"}, Blocks: []news.Block{{Type: news.BlockParagraph, Text: "본문"}},
		PublishedAt: at(-10)})
	older := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "반도체 업황",
		Keywords: []string{"반도체"}, PublishedAt: at(-20)})
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "반도체 없는 기사", PublishedAt: at(-5)})
	MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "초안", State: news.StateDraft,
		Keywords: []string{"반도체"}})

	got := MustArticle(t, st, tagged.ID)
	if diff := cmp.Diff([]string{"반도체", "Samsung Electronics"}, got.Keywords); diff != "" {
		t.Errorf("keywords read back (-want +got):\n%s", diff)
	}
	list, next, err := st.KeywordArticles(t.Context(), "반도체", news.ArticleFilter{Now: T0, Limit: 1})
	Must(t, err)
	DiffIDs(t, "keyword page 1", []int64{tagged.ID}, articleIDs(list))
	if next == nil {
		t.Fatal("keyword page 1 has no next position")
	}
	list, _, err = st.KeywordArticles(t.Context(), "반도체", news.ArticleFilter{Now: T0, Limit: 5, Before: next})
	Must(t, err)
	DiffIDs(t, "keyword page 2", []int64{older.ID}, articleIDs(list))
	list, _, err = st.KeywordArticles(t.Context(), news.KeywordSlug("Samsung Electronics"), news.ArticleFilter{Now: T0})
	Must(t, err)
	DiffIDs(t, "keyword samsung-electronics", []int64{tagged.ID}, articleIDs(list))

	// A keyword is searchable though it appears nowhere else in the story.
	ids, _ := searchIDs(t, st, "samsung", news.SearchQuery{})
	DiffIDs(t, "search for a keyword", []int64{tagged.ID}, ids)
}

// importedPost is a post of a source site with two comments and a reply.
func importedPost(w world, commenter int64, sourceID, headline, checksum string) news.ImportedArticle {
	return news.ImportedArticle{
		Source: "https://old.example", SourceID: sourceID, Checksum: checksum,
		Article: news.Article{Section: w.section, Headline: headline, State: news.StatePublished,
			Body: "첫 문단", Blocks: []news.Block{{Type: news.BlockParagraph, Text: "첫 문단"}},
			Bylines: []news.Byline{{ReporterID: w.reporter.ID, Name: w.reporter.Name}}, Keywords: []string{"서울"},
			PublishedAt: at(-60), CreatedAt: at(-60), CommentsOpen: true},
		Comments: []news.ImportedComment{
			{SourceID: sourceID + "-1", AuthorID: commenter, Body: "첫 댓글", CreatedAt: at(-50)},
			{SourceID: sourceID + "-2", ParentSourceID: sourceID + "-1", AuthorID: commenter, Body: "답글", CreatedAt: at(-49)},
			// A reply to a comment that was not imported (spam) is left out.
			{SourceID: sourceID + "-3", ParentSourceID: "spam-9", AuthorID: commenter, Body: "스팸에 단 답글", CreatedAt: at(-48)},
		},
		Redirects: []news.Redirect{{Path: "/?p=" + sourceID}, {Path: "/2025/03/" + headline}},
	}
}

func mustImportedCommenter(tb testing.TB, st news.Store, name string) news.Account {
	tb.Helper()
	a := news.ImportedCommenter(name, T0)
	Must(tb, st.CreateAccount(context.Background(), &a))
	return a
}

func (open Opener) testImportArticles(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	commenter := mustImportedCommenter(t, st, "워드프레스 독자")
	batch := []news.ImportedArticle{
		importedPost(w, commenter.ID, "10", "첫 기사", "a"),
		importedPost(w, commenter.ID, "11", "둘째 기사", "b"),
	}
	outcomes, err := st.ImportArticles(t.Context(), batch)
	Must(t, err)
	if diff := cmp.Diff([]news.ImportResult{{Outcome: news.ImportCreated, Comments: 2}, {Outcome: news.ImportCreated, Comments: 2}}, outcomes); diff != "" {
		t.Fatalf("first import outcomes (-want +got):\n%s", diff)
	}
	first := batch[0].Article.ID
	a := MustArticle(t, st, first)
	if a.Headline != "첫 기사" || a.CommentCount != 2 || len(a.Bylines) != 1 || a.Bylines[0].ReporterID != w.reporter.ID {
		t.Errorf("imported article = %q with %d comments and bylines %+v", a.Headline, a.CommentCount, a.Bylines)
	}
	top, _, err := st.Comments(t.Context(), news.CommentQuery{ArticleID: first, Sort: news.SortOldest, Limit: 10})
	Must(t, err)
	if len(top) != 1 || top[0].Body != "첫 댓글" || top[0].ReplyCount != 1 || !top[0].AuthorImported ||
		top[0].AuthorName != "워드프레스 독자" {
		t.Fatalf("top-level comments = %+v", top)
	}
	replies, _, err := st.Comments(t.Context(), news.CommentQuery{ArticleID: first, ParentID: top[0].ID, Sort: news.SortOldest, Limit: 10})
	Must(t, err)
	if len(replies) != 1 || replies[0].Body != "답글" {
		t.Fatalf("replies = %+v", replies)
	}
	target, err := st.RedirectTarget(t.Context(), "/?p=10")
	Must(t, err)
	if want := fmt.Sprintf("/articles/%d", first); target != want {
		t.Errorf("redirect of /?p=10 = %q, want %q", target, want)
	}

	// The same export again: nothing is written twice.
	again := []news.ImportedArticle{
		importedPost(w, commenter.ID, "10", "첫 기사", "a"),
		importedPost(w, commenter.ID, "11", "둘째 기사", "b"),
	}
	outcomes, err = st.ImportArticles(t.Context(), again)
	Must(t, err)
	if diff := cmp.Diff([]news.ImportResult{{Outcome: news.ImportUnchanged}, {Outcome: news.ImportUnchanged}}, outcomes); diff != "" {
		t.Fatalf("re-import outcomes (-want +got):\n%s", diff)
	}
	if again[0].Article.ID != first {
		t.Errorf("re-import gave id %d, want %d", again[0].Article.ID, first)
	}

	// A newer export: the post was edited and got one more comment.
	edited := importedPost(w, commenter.ID, "10", "고친 첫 기사", "c")
	edited.Article.Keywords = []string{"부산"}
	edited.Comments = append(edited.Comments, news.ImportedComment{SourceID: "10-4", ParentSourceID: "10-1",
		AuthorID: commenter.ID, Body: "새 답글", CreatedAt: at(-10)})
	newer := []news.ImportedArticle{edited, importedPost(w, commenter.ID, "12", "새 기사", "d")}
	outcomes, err = st.ImportArticles(t.Context(), newer)
	Must(t, err)
	if diff := cmp.Diff([]news.ImportResult{{Outcome: news.ImportUpdated, Comments: 1}, {Outcome: news.ImportCreated, Comments: 2}}, outcomes); diff != "" {
		t.Fatalf("newer import outcomes (-want +got):\n%s", diff)
	}
	a = MustArticle(t, st, first)
	if a.Headline != "고친 첫 기사" || a.CommentCount != 3 || len(a.Bylines) != 1 {
		t.Errorf("updated article = %q with %d comments, %d bylines; want the new headline, 3 comments, 1 byline",
			a.Headline, a.CommentCount, len(a.Bylines))
	}
	if diff := cmp.Diff([]string{"부산"}, a.Keywords); diff != "" {
		t.Errorf("updated keywords (-want +got):\n%s", diff)
	}
	list, _, err := st.KeywordArticles(t.Context(), "서울", news.ArticleFilter{Now: T0})
	Must(t, err)
	DiffIDs(t, "articles still tagged 서울", []int64{newer[1].Article.ID, batch[1].Article.ID}, articleIDs(list))
	top, _, err = st.Comments(t.Context(), news.CommentQuery{ArticleID: first, Sort: news.SortOldest, Limit: 10})
	Must(t, err)
	if len(top) != 1 || top[0].ReplyCount != 2 {
		t.Errorf("after the newer import: %d top-level comments, reply count %d; want 1 and 2", len(top), top[0].ReplyCount)
	}
	ids, _ := searchIDs(t, st, "고친", news.SearchQuery{})
	DiffIDs(t, "search for the edited headline", []int64{first}, ids)
}

func (open Opener) testImportArticlesRollback(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	commenter := mustImportedCommenter(t, st, "독자")
	bad := importedPost(w, commenter.ID, "21", "없는 섹션의 기사", "x")
	bad.Article.Section = news.Section{ID: w.section.ID + 1000}
	_, err := st.ImportArticles(t.Context(), []news.ImportedArticle{importedPost(w, commenter.ID, "20", "좋은 기사", "y"), bad})
	WantCode(t, err, news.EINVALID)
	list, _, err := st.PublishedArticles(t.Context(), news.ArticleFilter{Now: T0})
	Must(t, err)
	DiffIDs(t, "articles after a failed batch", nil, articleIDs(list))
	_, err = st.ImportSource(t.Context(), "https://old.example", news.SourcePost, "20")
	WantCode(t, err, news.ENOTFOUND)
	_, err = st.RedirectTarget(t.Context(), "/?p=20")
	WantCode(t, err, news.ENOTFOUND)
}

func (open Opener) testImportedCommenters(t *testing.T) {
	st := open(t)
	// Imported commenters have no e-mail: several of them do not collide,
	// and none can be found by e-mail to log in.
	one := mustImportedCommenter(t, st, "홍길동")
	two := mustImportedCommenter(t, st, "김철수")
	if one.ID == two.ID {
		t.Fatal("two imported commenters share an id")
	}
	_, err := st.AccountByEmail(t.Context(), "")
	WantCode(t, err, news.ENOTFOUND)
	// A reader may sign up with any e-mail.
	MustCreateAccount(t, st, "hong@example.com")
}

func (open Opener) testRedirects(t *testing.T) {
	st := open(t)
	_, err := st.RedirectTarget(t.Context(), "/archives/1")
	WantCode(t, err, news.ENOTFOUND)
	Must(t, st.SaveRedirects(t.Context(), []news.Redirect{
		{Path: "/archives/1", Target: "/articles/5"},
		{Path: "/category/경제", Target: "/sections/economy"},
		{Path: "/archives/1", Target: "/articles/6"}, // the last one wins
	}))
	for path, want := range map[string]string{"/archives/1": "/articles/6", "/category/경제": "/sections/economy"} {
		got, err := st.RedirectTarget(t.Context(), path)
		Must(t, err)
		if got != want {
			t.Errorf("RedirectTarget(%q) = %q, want %q", path, got, want)
		}
	}
}

func (open Opener) testImportSources(t *testing.T) {
	st := open(t)
	_, err := st.ImportSource(t.Context(), "https://a.example", news.SourceAuthor, "admin")
	WantCode(t, err, news.ENOTFOUND)
	Must(t, st.SaveImportSource(t.Context(), news.ImportSource{Source: "https://a.example", Kind: news.SourceAuthor,
		SourceID: "admin", TargetID: 7, Checksum: "x"}))
	Must(t, st.SaveImportSource(t.Context(), news.ImportSource{Source: "https://b.example", Kind: news.SourceAuthor,
		SourceID: "admin", TargetID: 8}))
	Must(t, st.SaveImportSource(t.Context(), news.ImportSource{Source: "https://a.example", Kind: news.SourceAuthor,
		SourceID: "admin", TargetID: 9, Checksum: "y"}))
	// Two source sites with the same ids never collide.
	for source, want := range map[string]news.ImportSource{
		"https://a.example": {Source: "https://a.example", Kind: news.SourceAuthor, SourceID: "admin", TargetID: 9, Checksum: "y"},
		"https://b.example": {Source: "https://b.example", Kind: news.SourceAuthor, SourceID: "admin", TargetID: 8},
	} {
		got, err := st.ImportSource(t.Context(), source, news.SourceAuthor, "admin")
		Must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("import source of %s (-want +got):\n%s", source, diff)
		}
	}
}

func (open Opener) testImportPhotos(t *testing.T) {
	st := open(t)
	photos := []news.ImportedPhoto{
		{Source: "https://old.example", SourceID: "11", Photo: news.Photo{Caption: "아파트 단지", Credit: "사진=김민준 기자", Alt: "단지 전경",
			Width: 640, Height: 427, ContentType: "image/jpeg", CreatedAt: T0},
			Variants:  []news.PhotoVariant{{Width: 480, Height: 320, ContentType: "image/jpeg", Data: []byte("small")}, {Width: 640, Height: 427, ContentType: "image/jpeg", Data: []byte("large")}},
			Redirects: []news.Redirect{{Path: "/wp-content/uploads/2024/03/apartment.jpg"}}},
		{Source: "https://old.example", SourceID: "14", Photo: news.Photo{Caption: "승강장", Credit: "독자 제공", Alt: "승강장",
			Width: 300, Height: 200, ContentType: "image/jpeg", CreatedAt: T0},
			Variants: []news.PhotoVariant{{Width: 300, Height: 200, ContentType: "image/jpeg", Data: []byte("only")}}},
	}
	Must(t, st.ImportPhotos(t.Context(), photos))
	if photos[0].Photo.ID == 0 || photos[1].Photo.ID == 0 || photos[0].Photo.ID == photos[1].Photo.ID {
		t.Fatalf("photo ids %d and %d", photos[0].Photo.ID, photos[1].Photo.ID)
	}
	got, err := st.Photo(t.Context(), photos[0].Photo.ID)
	Must(t, err)
	if got.Caption != "아파트 단지" || got.Credit != "사진=김민준 기자" || got.Alt != "단지 전경" {
		t.Errorf("photo read back %+v", got)
	}
	v, err := st.PhotoVariant(t.Context(), photos[0].Photo.ID, 640)
	Must(t, err)
	if string(v.Data) != "large" {
		t.Errorf("variant 640 holds %q", v.Data)
	}
	src, err := st.ImportSource(t.Context(), "https://old.example", news.SourceAttachment, "14")
	Must(t, err)
	if src.TargetID != photos[1].Photo.ID {
		t.Errorf("attachment 14 became %d, want %d", src.TargetID, photos[1].Photo.ID)
	}
	target, err := st.RedirectTarget(t.Context(), "/wp-content/uploads/2024/03/apartment.jpg")
	Must(t, err)
	if want := news.PhotoPath(photos[0].Photo.ID, 640); target != want {
		t.Errorf("the file's old link leads to %q, want %q", target, want)
	}
}

// testImportedCommenterByKey: a commenter named by key is made once, in
// the batch's transaction, and found again by a later batch.
func (open Opener) testImportedCommenterByKey(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	post := func(id string) news.ImportedArticle {
		return news.ImportedArticle{Source: "https://old.example", SourceID: id, Checksum: id,
			Article: news.Article{Section: w.section, Headline: "기사 " + id, State: news.StatePublished, PublishedAt: at(-5), CreatedAt: at(-5)},
			Comments: []news.ImportedComment{
				{SourceID: id + "-1", AuthorKey: "daeun", AuthorName: "정다은", Body: "첫 댓글", CreatedAt: at(-4)},
				{SourceID: id + "-2", AuthorKey: "daeun", AuthorName: "정다은", Body: "또 댓글", CreatedAt: at(-3)},
			}}
	}
	res, err := st.ImportArticles(t.Context(), []news.ImportedArticle{post("1"), post("2")})
	Must(t, err)
	if res[0].Commenters != 1 || res[1].Commenters != 0 {
		t.Errorf("commenters made: %+v, want one in all", res)
	}
	third := []news.ImportedArticle{post("3")}
	res, err = st.ImportArticles(t.Context(), third)
	Must(t, err)
	if res[0].Commenters != 0 {
		t.Errorf("a later batch made the commenter again: %+v", res)
	}
	src, err := st.ImportSource(t.Context(), "https://old.example", news.SourceCommenter, "daeun")
	Must(t, err)
	list, _, err := st.Comments(t.Context(), news.CommentQuery{ArticleID: third[0].Article.ID, Sort: news.SortOldest, Limit: 5})
	Must(t, err)
	if len(list) != 2 || list[0].AuthorID != src.TargetID || !list[0].AuthorImported || list[0].AuthorName != "정다은" {
		t.Errorf("comments of the third post: %+v (commenter %d)", list, src.TargetID)
	}
}
