// Package storetest is the behavioural test suite every news.Store runs, so
// that the SQLite and PostgreSQL stores keep the same contract.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Opener returns a fresh, empty, migrated store, closed when t ends.
type Opener func(t *testing.T) news.Store

// Run runs the suite; open returns a fresh, empty, migrated store for each
// subtest (the suite must not assume IDs start at 1).
func Run(t *testing.T, open func(t *testing.T) news.Store) {
	o := Opener(open)
	t.Run("ClaimDemo", o.testClaimDemo)
	t.Run("Site", o.testSite)
	t.Run("Sections", o.testSections)
	t.Run("Labels", o.testLabels)
	t.Run("Reporters", o.testReporters)
	t.Run("Photos", o.testPhotos)
	t.Run("Article", o.testArticle)
	t.Run("PublishedArticles", o.testPublishedArticles)
	t.Run("Accounts", o.testAccounts)
	t.Run("DeleteAccount", o.testDeleteAccount)
	t.Run("Sessions", o.testSessions)
	t.Run("Comments", o.testComments)
	t.Run("CommentPages", o.testCommentPages)
	t.Run("VoteComment", o.testVoteComment)
	t.Run("CommentsByAuthor", o.testCommentsByAuthor)
	t.Run("Reactions", o.testReactions)
	t.Run("Bookmarks", o.testBookmarks)
	t.Run("Subscriptions", o.testSubscriptions)
	t.Run("ChangeLog", o.testChangeLog)
	t.Run("FeedArticles", o.testFeedArticles)
	runDiscovery(t, o)
	t.Run("Newsroom", o.testNewsroom)
	t.Run("Archive", o.testArchive)
	runModeration(t, o)
	runImports(t, o)
	runSignIn(t, o)
	runMail(t, o)
	runLive(t, o)
}

// kst is where the newsroom lives; the suite passes times in KST and expects
// them back in UTC.
var kst = time.FixedZone("KST", 9*60*60)

// T0 is the suite's reference time, at microsecond precision.
var T0 = time.Date(2025, 3, 14, 9, 30, 15, 123456000, kst)

// at returns T0 plus n minutes.
func at(n int) time.Time { return T0.Add(time.Duration(n) * time.Minute) }

var equateEmpty = cmpopts.EquateEmpty()

// DiffIDs reports a mismatch of two id lists.
func DiffIDs(tb testing.TB, what string, want, got []int64) {
	tb.Helper()
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		tb.Errorf("%s ids mismatch (-want +got):\n%s", what, diff)
	}
}

// WantCode fails tb unless err carries code.
func WantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := news.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// Must fails tb if err is not nil.
func Must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func wantUTC(tb testing.TB, what string, times ...time.Time) {
	tb.Helper()
	for _, tm := range times {
		if tm.Location() != time.UTC {
			tb.Errorf("%s: time %v is in %v, want UTC", what, tm, tm.Location())
		}
	}
}

// MustCreateSection creates a section with the slug.
func MustCreateSection(tb testing.TB, st news.Store, slug string, position int) news.Section {
	tb.Helper()
	sec := news.Section{Slug: slug, Name: "섹션 " + slug, Position: position}
	Must(tb, st.CreateSection(context.Background(), &sec))
	if sec.ID == 0 {
		tb.Fatal("CreateSection did not set the id")
	}
	return sec
}

// MustCreateReporter creates a reporter of the name.
func MustCreateReporter(tb testing.TB, st news.Store, name string) news.Reporter {
	tb.Helper()
	r := news.Reporter{Name: name, Role: "기자", Email: name + "@jikji.example", Bio: name + " 기자입니다."}
	Must(tb, st.CreateReporter(context.Background(), &r))
	if r.ID == 0 {
		tb.Fatal("CreateReporter did not set the id")
	}
	return r
}

// MustCreateArticle stores a (published now-ish with a headline unless set)
// and returns it with its ID.
func MustCreateArticle(tb testing.TB, st news.Store, a news.Article) news.Article {
	tb.Helper()
	if a.Headline == "" {
		a.Headline = "제목 없음"
	}
	if a.State == "" {
		a.State = news.StatePublished
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = T0.Add(-24 * time.Hour)
	}
	if a.State == news.StatePublished && a.PublishedAt.IsZero() {
		a.PublishedAt = T0
	}
	Must(tb, st.CreateArticle(context.Background(), &a))
	if a.ID == 0 {
		tb.Fatal("CreateArticle did not set the id")
	}
	return a
}

// MustCreateAccount creates a reader account for the e-mail.
func MustCreateAccount(tb testing.TB, st news.Store, email string) news.Account {
	tb.Helper()
	a := news.Account{Email: email, DisplayName: "독자 " + email, PasswordHash: "hash-" + email,
		Role: news.RoleReader, CreatedAt: T0}
	Must(tb, st.CreateAccount(context.Background(), &a))
	if a.ID == 0 {
		tb.Fatal("CreateAccount did not set the id")
	}
	return a
}

// MustCreateComment stores a visible comment unless c.State is set.
func MustCreateComment(tb testing.TB, st news.Store, c news.Comment) news.Comment {
	tb.Helper()
	if c.State == "" {
		c.State = news.CommentVisible
	}
	if c.Body == "" {
		c.Body = "좋은 기사 감사합니다."
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = T0
	}
	Must(tb, st.CreateComment(context.Background(), &c))
	if c.ID == 0 {
		tb.Fatal("CreateComment did not set the id")
	}
	return c
}

// MustArticle reads an article back.
func MustArticle(tb testing.TB, st news.Store, id int64) news.Article {
	tb.Helper()
	a, err := st.Article(context.Background(), id)
	Must(tb, err)
	return a
}

// MustComment reads a comment back.
func MustComment(tb testing.TB, st news.Store, id int64) news.Comment {
	tb.Helper()
	c, err := st.Comment(context.Background(), id)
	Must(tb, err)
	return c
}

// world is the minimum an article needs: a section and a reporter.
type world struct {
	st       news.Store
	section  news.Section
	reporter news.Reporter
}

func newWorld(t *testing.T, st news.Store) world {
	t.Helper()
	return world{st: st, section: MustCreateSection(t, st, "economy", 1), reporter: MustCreateReporter(t, st, "이서희")}
}

// article creates a published article in the world's section by its reporter.
func (w world) article(t *testing.T, published time.Time) news.Article {
	t.Helper()
	return MustCreateArticle(t, w.st, news.Article{
		Section: w.section, Headline: "기사 " + published.Format(time.RFC3339), PublishedAt: published,
		Bylines: []news.Byline{{ReporterID: w.reporter.ID}}, CommentsOpen: true,
	})
}

func ids[T any](list []T, id func(T) int64) []int64 {
	out := make([]int64, 0, len(list))
	for _, x := range list {
		out = append(out, id(x))
	}
	return out
}

func articleIDs(list []news.Article) []int64 {
	return ids(list, func(a news.Article) int64 { return a.ID })
}

func commentIDs(list []news.Comment) []int64 {
	return ids(list, func(c news.Comment) int64 { return c.ID })
}

func (open Opener) testClaimDemo(t *testing.T) {
	t.Run("OnceOnly", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		ok, err := st.ClaimDemo(ctx)
		Must(t, err)
		if !ok {
			t.Fatal("first ClaimDemo = false, want true")
		}
		ok, err = st.ClaimDemo(ctx)
		Must(t, err)
		if ok {
			t.Fatal("second ClaimDemo = true, want false")
		}
	})
	t.Run("FalseWhenArticleExists", func(t *testing.T) {
		st := open(t)
		newWorld(t, st).article(t, T0)
		ok, err := st.ClaimDemo(t.Context())
		Must(t, err)
		if ok {
			t.Fatal("ClaimDemo with an article = true, want false")
		}
	})
	t.Run("ConcurrentExactlyOne", func(t *testing.T) {
		st := open(t)
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
			errs []error
		)
		for range 8 {
			wg.Go(func() {
				ok, err := st.ClaimDemo(context.Background())
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				if ok {
					wins++
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			t.Error(err)
		}
		if wins != 1 {
			t.Fatalf("%d of 8 concurrent ClaimDemo calls got true, want 1", wins)
		}
	})
}

func (open Opener) testSite(t *testing.T) {
	t.Run("ErrNotFoundBeforeSave", func(t *testing.T) {
		st := open(t)
		_, err := st.Site(t.Context())
		WantCode(t, err, news.ENOTFOUND)
	})
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		site := news.Site{
			Name: "직지일보", Slogan: "기록이 역사가 됩니다", Description: "직지의 뉴스",
			RegistrationNumber: "서울 아00000", RegistrationDate: "2025-01-02", Publisher: "홍길동",
			Editor: "김편집", YouthProtection: "이보호", Address: "서울시 중구", Phone: "02-000-0000",
			Email: "news@jikji.example", Copyright: "© 직지일보", PrivacyPolicy: "첫 문단\n\n둘째 문단",
		}
		Must(t, st.SaveSite(t.Context(), site))
		got, err := st.Site(t.Context())
		Must(t, err)
		if diff := cmp.Diff(site, got); diff != "" {
			t.Errorf("site mismatch (-want +got):\n%s", diff)
		}
		site.Name = "직지신문"
		Must(t, st.SaveSite(t.Context(), site))
		got, err = st.Site(t.Context())
		Must(t, err)
		if diff := cmp.Diff(site, got); diff != "" {
			t.Errorf("site after second save mismatch (-want +got):\n%s", diff)
		}
	})
}

func (open Opener) testSections(t *testing.T) {
	t.Run("OrderedByPosition", func(t *testing.T) {
		st := open(t)
		c := MustCreateSection(t, st, "culture", 3)
		a := MustCreateSection(t, st, "politics", 1)
		b := MustCreateSection(t, st, "economy", 2)
		got, err := st.Sections(t.Context())
		Must(t, err)
		if diff := cmp.Diff([]news.Section{a, b, c}, got); diff != "" {
			t.Errorf("sections mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		st := open(t)
		got, err := st.Sections(t.Context())
		Must(t, err)
		if len(got) != 0 {
			t.Errorf("sections of an empty store = %v", got)
		}
	})
	t.Run("ErrConflictDuplicateSlug", func(t *testing.T) {
		st := open(t)
		MustCreateSection(t, st, "economy", 1)
		err := st.CreateSection(t.Context(), &news.Section{Slug: "economy", Name: "경제2"})
		WantCode(t, err, news.ECONFLICT)
	})
	t.Run("BySlug", func(t *testing.T) {
		st := open(t)
		MustCreateSection(t, st, "politics", 1)
		want := MustCreateSection(t, st, "economy", 2)
		got, err := st.SectionBySlug(t.Context(), "economy")
		Must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("section mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrNotFoundBySlug", func(t *testing.T) {
		st := open(t)
		MustCreateSection(t, st, "economy", 1)
		_, err := st.SectionBySlug(t.Context(), "sports")
		WantCode(t, err, news.ENOTFOUND)
	})
}

func (open Opener) testLabels(t *testing.T) {
	t.Run("InCreationOrder", func(t *testing.T) {
		st := open(t)
		want := []news.Label{{Code: "exclusive", Name: "단독"}, {Code: "breaking", Name: "속보"}, {Code: "analysis", Name: "분석"}}
		for _, l := range want {
			Must(t, st.CreateLabel(t.Context(), l))
		}
		got, err := st.Labels(t.Context())
		Must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("labels mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrConflictDuplicateCode", func(t *testing.T) {
		st := open(t)
		Must(t, st.CreateLabel(t.Context(), news.Label{Code: "breaking", Name: "속보"}))
		err := st.CreateLabel(t.Context(), news.Label{Code: "breaking", Name: "긴급"})
		WantCode(t, err, news.ECONFLICT)
	})
}

func (open Opener) testReporters(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		a := MustCreateReporter(t, st, "이서희")
		b := MustCreateReporter(t, st, "김민수")
		got, err := st.Reporter(t.Context(), b.ID)
		Must(t, err)
		if diff := cmp.Diff(b, got); diff != "" {
			t.Errorf("reporter mismatch (-want +got):\n%s", diff)
		}
		list, err := st.Reporters(t.Context())
		Must(t, err)
		if diff := cmp.Diff([]news.Reporter{a, b}, list); diff != "" {
			t.Errorf("reporters mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		r := MustCreateReporter(t, st, "이서희")
		_, err := st.Reporter(t.Context(), r.ID+1000)
		WantCode(t, err, news.ENOTFOUND)
	})
}

func (open Opener) testPhotos(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		p := news.Photo{Caption: "광화문 광장", Credit: "직지일보 사진부", Alt: "광장에 모인 시민들",
			Width: 1280, Height: 853, ContentType: "image/jpeg", CreatedAt: T0}
		variants := []news.PhotoVariant{
			{Width: 640, Height: 426, ContentType: "image/jpeg", Data: []byte("medium")},
			{Width: 1280, Height: 853, ContentType: "image/jpeg", Data: []byte("large")},
			{Width: 320, Height: 213, ContentType: "image/png", Data: []byte{0, 1, 2, 255}},
		}
		Must(t, st.CreatePhoto(ctx, &p, variants))
		if p.ID == 0 {
			t.Fatal("CreatePhoto did not set the id")
		}
		got, err := st.Photo(ctx, p.ID)
		Must(t, err)
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("photo mismatch (-want +got):\n%s", diff)
		}
		wantUTC(t, "photo", got.CreatedAt)
		widths, err := st.PhotoWidths(ctx, p.ID)
		Must(t, err)
		if diff := cmp.Diff([]int{320, 640, 1280}, widths); diff != "" {
			t.Errorf("widths mismatch (-want +got):\n%s", diff)
		}
		for _, v := range variants {
			v.PhotoID = p.ID
			got, err := st.PhotoVariant(ctx, p.ID, v.Width)
			Must(t, err)
			if diff := cmp.Diff(v, got); diff != "" {
				t.Errorf("variant %d mismatch (-want +got):\n%s", v.Width, diff)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		p := news.Photo{Caption: "c", Credit: "k", Alt: "a", Width: 640, Height: 480, ContentType: "image/png", CreatedAt: T0}
		Must(t, st.CreatePhoto(t.Context(), &p, []news.PhotoVariant{{Width: 640, Height: 480, ContentType: "image/png", Data: []byte("x")}}))
		_, err := st.Photo(t.Context(), p.ID+1000)
		WantCode(t, err, news.ENOTFOUND)
		_, err = st.PhotoVariant(t.Context(), p.ID, 320)
		WantCode(t, err, news.ENOTFOUND)
		_, err = st.PhotoVariant(t.Context(), p.ID+1000, 640)
		WantCode(t, err, news.ENOTFOUND)
	})
}

func (open Opener) testArticle(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		second := MustCreateReporter(t, st, "김민수")
		Must(t, st.CreateLabel(ctx, news.Label{Code: news.LabelBreaking, Name: "속보"}))
		Must(t, st.CreateLabel(ctx, news.Label{Code: news.LabelExclusive, Name: "단독"}))
		p := news.Photo{Caption: "광장", Credit: "사진부", Alt: "시민들", Width: 1280, Height: 853, ContentType: "image/jpeg", CreatedAt: T0}
		Must(t, st.CreatePhoto(ctx, &p, []news.PhotoVariant{{Width: 1280, Height: 853, ContentType: "image/jpeg", Data: []byte("x")}}))

		in := news.Article{
			Section:  w.section,
			Labels:   []news.Label{{Code: news.LabelExclusive}, {Code: news.LabelBreaking}},
			Headline: "한국은행, 기준금리 동결",
			Deck:     []string{"물가 안정 우선", "연내 인하 가능성"},
			Body:     "본문 마크업",
			Blocks: []news.Block{
				{Type: news.BlockParagraph, Text: "첫 문단."},
				{Type: news.BlockIntertitle, Text: "소제목"},
				{Type: news.BlockPhoto, Photos: []news.FigurePhoto{{PhotoID: p.ID, Alt: "시민들", Width: 1280, Height: 853, Widths: []int{1280}}},
					Caption: "광장", Credit: "사진부"},
				{Type: news.BlockQuote, Text: "물가가 우선이다", Cite: "총재"},
			},
			// The second reporter first: byline order is the order given.
			Bylines: []news.Byline{
				{ReporterID: second.ID, Role: "선임기자", Dateline: "세종="},
				{ReporterID: w.reporter.ID, Role: "특파원", Dateline: "샌프란시스코="},
			},
			State:          news.StatePublished,
			PublishedAt:    at(0),
			UpdatedAt:      at(90),
			Print:          &news.PrintPlacement{Date: "2025-03-15", Page: 3},
			Source:         &news.SourceNotice{Slogan: "함께 만드는 뉴스", Copyright: "© 파트너"},
			CorrectionNote: "제목의 오자를 바로잡았습니다.",
			CommentsOpen:   true,
			CreatedAt:      at(-60),
		}
		a := in
		Must(t, st.CreateArticle(ctx, &a))
		if a.ID == 0 || a.Version == 0 {
			t.Fatalf("CreateArticle set ID %d, Version %d; want both set", a.ID, a.Version)
		}
		want := in
		want.ID, want.Version = a.ID, a.Version
		want.Labels = []news.Label{{Code: news.LabelExclusive, Name: "단독"}, {Code: news.LabelBreaking, Name: "속보"}}
		want.Bylines = []news.Byline{
			{ReporterID: second.ID, Name: "김민수", Role: "선임기자", Dateline: "세종="},
			{ReporterID: w.reporter.ID, Name: "이서희", Role: "특파원", Dateline: "샌프란시스코="},
		}
		got := MustArticle(t, st, a.ID)
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
			t.Errorf("article mismatch (-want +got):\n%s", diff)
		}
		wantUTC(t, "article", got.PublishedAt, got.UpdatedAt, got.CreatedAt)
	})
	t.Run("MinimalDraft", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		in := news.Article{Section: w.section, Headline: "초고", State: news.StateDraft, CreatedAt: at(0)}
		a := in
		Must(t, st.CreateArticle(t.Context(), &a))
		want := in
		want.ID, want.Version = a.ID, a.Version
		got := MustArticle(t, st, a.ID)
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
			t.Errorf("article mismatch (-want +got):\n%s", diff)
		}
		if !got.UpdatedAt.IsZero() || !got.PublishedAt.IsZero() {
			t.Errorf("UpdatedAt %v, PublishedAt %v; want both zero", got.UpdatedAt, got.PublishedAt)
		}
		if got.Print != nil || got.Source != nil {
			t.Errorf("Print %v, Source %v; want both nil", got.Print, got.Source)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		a := newWorld(t, st).article(t, T0)
		_, err := st.Article(t.Context(), a.ID+1000)
		WantCode(t, err, news.ENOTFOUND)
	})
	t.Run("ErrInvalidSection", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		a := news.Article{Section: news.Section{ID: w.section.ID + 1000}, Headline: "h", State: news.StatePublished,
			PublishedAt: T0, CreatedAt: T0}
		WantCode(t, st.CreateArticle(t.Context(), &a), news.EINVALID)
		assertNoArticles(t, st)
	})
	t.Run("ErrInvalidReporter", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		a := news.Article{Section: w.section, Headline: "h", State: news.StatePublished, PublishedAt: T0, CreatedAt: T0,
			Bylines: []news.Byline{{ReporterID: w.reporter.ID}, {ReporterID: w.reporter.ID + 1000}}}
		WantCode(t, st.CreateArticle(t.Context(), &a), news.EINVALID)
		assertNoArticles(t, st)
	})
}

// assertNoArticles checks a failed CreateArticle left nothing behind.
func assertNoArticles(t *testing.T, st news.Store) {
	t.Helper()
	list, _, err := st.PublishedArticles(t.Context(), news.ArticleFilter{Limit: 10})
	Must(t, err)
	if len(list) != 0 {
		t.Errorf("a failed CreateArticle left %d articles", len(list))
	}
}

func (open Opener) testPublishedArticles(t *testing.T) {
	t.Run("NewestFirstPublishedOnly", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		old := w.article(t, at(-10))
		newest := w.article(t, at(5))
		mid := w.article(t, at(0))
		for _, state := range []string{news.StateDraft, news.StateSubmitted, news.StateScheduled, news.StateUnpublished} {
			MustCreateArticle(t, st, news.Article{Section: w.section, State: state, PublishedAt: at(1)})
		}
		list, next, err := st.PublishedArticles(t.Context(), news.ArticleFilter{Limit: 10, Now: at(10)})
		Must(t, err)
		DiffIDs(t, "published", []int64{newest.ID, mid.ID, old.ID}, articleIDs(list))
		if next != nil {
			t.Errorf("next = %+v at the end, want nil", next)
		}
		if len(list) > 0 {
			if diff := cmp.Diff(MustArticle(t, st, newest.ID), list[0], equateEmpty); diff != "" {
				t.Errorf("listed article differs from Article (-want +got):\n%s", diff)
			}
		}
	})
	t.Run("NowExcludesFuture", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		past := w.article(t, at(-1))
		exact := w.article(t, at(0))
		w.article(t, at(1))
		list, _, err := st.PublishedArticles(t.Context(), news.ArticleFilter{Limit: 10, Now: at(0)})
		Must(t, err)
		DiffIDs(t, "published", []int64{exact.ID, past.ID}, articleIDs(list))
	})
	t.Run("Filters", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		other := MustCreateSection(t, st, "society", 2)
		kim := MustCreateReporter(t, st, "김민수")
		Must(t, st.CreateLabel(ctx, news.Label{Code: news.LabelBreaking, Name: "속보"}))
		Must(t, st.CreateLabel(ctx, news.Label{Code: news.LabelExclusive, Name: "단독"}))
		a1 := MustCreateArticle(t, st, news.Article{Section: w.section, PublishedAt: at(1),
			Bylines: []news.Byline{{ReporterID: w.reporter.ID}}, Labels: []news.Label{{Code: news.LabelBreaking}}})
		a2 := MustCreateArticle(t, st, news.Article{Section: other, PublishedAt: at(2),
			Bylines: []news.Byline{{ReporterID: kim.ID}, {ReporterID: w.reporter.ID}}, Labels: []news.Label{{Code: news.LabelExclusive}}})
		a3 := MustCreateArticle(t, st, news.Article{Section: other, PublishedAt: at(3),
			Bylines: []news.Byline{{ReporterID: kim.ID}}, Labels: []news.Label{{Code: news.LabelExclusive}, {Code: news.LabelBreaking}}})
		MustCreateArticle(t, st, news.Article{Section: other, State: news.StateDraft,
			Bylines: []news.Byline{{ReporterID: kim.ID}}, Labels: []news.Label{{Code: news.LabelBreaking}}})
		for _, tc := range []struct {
			name string
			f    news.ArticleFilter
			want []int64
		}{
			{"Section", news.ArticleFilter{SectionID: other.ID}, []int64{a3.ID, a2.ID}},
			{"Reporter", news.ArticleFilter{ReporterID: w.reporter.ID}, []int64{a2.ID, a1.ID}},
			{"Label", news.ArticleFilter{Label: news.LabelBreaking}, []int64{a3.ID, a1.ID}},
			{"SectionAndLabel", news.ArticleFilter{SectionID: other.ID, Label: news.LabelBreaking}, []int64{a3.ID}},
			{"UnknownLabel", news.ArticleFilter{Label: "analysis"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.f.Limit, tc.f.Now = 10, at(10)
				list, _, err := st.PublishedArticles(ctx, tc.f)
				Must(t, err)
				DiffIDs(t, tc.name, tc.want, articleIDs(list))
			})
		}
	})
	t.Run("PagesCoverAllOnce", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		var want []int64
		for i := range 45 {
			// Three articles share each minute, so ties are broken by id.
			want = append(want, w.article(t, at(i/3)).ID)
		}
		slices.Reverse(want)
		var got []int64
		var sizes []int
		f := news.ArticleFilter{Limit: 20, Now: at(100)}
		for range 10 {
			list, next, err := st.PublishedArticles(t.Context(), f)
			Must(t, err)
			got = append(got, articleIDs(list)...)
			sizes = append(sizes, len(list))
			if next == nil {
				break
			}
			f.Before = next
		}
		if diff := cmp.Diff([]int{20, 20, 5}, sizes); diff != "" {
			t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
		}
		DiffIDs(t, "all pages", want, got)
	})
	t.Run("NoNextAtExactEnd", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		for i := range 4 {
			w.article(t, at(i))
		}
		list, next, err := st.PublishedArticles(t.Context(), news.ArticleFilter{Limit: 2, Now: at(10)})
		Must(t, err)
		if len(list) != 2 || next == nil {
			t.Fatalf("first page: %d articles, next %v; want 2 and a position", len(list), next)
		}
		list, next, err = st.PublishedArticles(t.Context(), news.ArticleFilter{Limit: 2, Now: at(10), Before: next})
		Must(t, err)
		if len(list) != 2 || next != nil {
			t.Fatalf("last page: %d articles, next %v; want 2 and nil", len(list), next)
		}
	})
}

func (open Opener) testAccounts(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		st := open(t)
		in := news.Account{Email: "Mina@Example.com", DisplayName: "미나", PasswordHash: "$argon2id$x",
			Role: news.RoleReader, CreatedAt: at(0)}
		a := in
		Must(t, st.CreateAccount(t.Context(), &a))
		in.ID = a.ID
		got, err := st.Account(t.Context(), a.ID)
		Must(t, err)
		if diff := cmp.Diff(in, got); diff != "" {
			t.Errorf("account mismatch (-want +got):\n%s", diff)
		}
		wantUTC(t, "account", got.CreatedAt)
		got, err = st.AccountByEmail(t.Context(), "mINA@example.COM")
		Must(t, err)
		if diff := cmp.Diff(in, got); diff != "" {
			t.Errorf("account by e-mail mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrEmailTakenIgnoringCase", func(t *testing.T) {
		st := open(t)
		MustCreateAccount(t, st, "mina@example.com")
		a := news.Account{Email: "MINA@example.com", DisplayName: "다른 미나", PasswordHash: "h", Role: news.RoleReader, CreatedAt: T0}
		WantCode(t, st.CreateAccount(t.Context(), &a), news.EEMAILTAKEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		a := MustCreateAccount(t, st, "mina@example.com")
		_, err := st.Account(t.Context(), a.ID+1000)
		WantCode(t, err, news.ENOTFOUND)
		_, err = st.AccountByEmail(t.Context(), "nobody@example.com")
		WantCode(t, err, news.ENOTFOUND)
	})
	t.Run("SetRole", func(t *testing.T) {
		st := open(t)
		a := MustCreateAccount(t, st, "mina@example.com")
		Must(t, st.SetAccountRole(t.Context(), a.ID, news.RoleModerator))
		got, err := st.Account(t.Context(), a.ID)
		Must(t, err)
		if got.Role != news.RoleModerator {
			t.Errorf("role = %q, want %q", got.Role, news.RoleModerator)
		}
	})
	t.Run("SetRoleErrNotFound", func(t *testing.T) {
		st := open(t)
		a := MustCreateAccount(t, st, "mina@example.com")
		WantCode(t, st.SetAccountRole(t.Context(), a.ID+1000, news.RoleEditor), news.ENOTFOUND)
		Must(t, st.DeleteAccount(t.Context(), a.ID, at(1)))
		WantCode(t, st.SetAccountRole(t.Context(), a.ID, news.RoleEditor), news.ENOTFOUND)
	})
}

func (open Opener) testDeleteAccount(t *testing.T) {
	t.Run("ErasesAndKeepsComments", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		art := w.article(t, at(0))
		acc := MustCreateAccount(t, st, "Mina@Example.com")
		other := MustCreateAccount(t, st, "jun@example.com")
		Must(t, st.CreateSession(ctx, news.Session{TokenHash: "tok", AccountID: acc.ID, CreatedAt: at(0), ExpiresAt: at(1000)}))
		Must(t, st.SetBookmark(ctx, acc.ID, art.ID, true, at(1)))
		Must(t, st.SetSubscription(ctx, news.Subscription{AccountID: acc.ID, Kind: news.TargetReporter, TargetID: w.reporter.ID, CreatedAt: at(1)}, true))
		Must(t, st.SetSubscription(ctx, news.Subscription{AccountID: acc.ID, Kind: news.TargetSection, TargetID: w.section.ID, CreatedAt: at(1)}, true))
		Must(t, st.SetReaction(ctx, art.ID, acc.ID, "warm", at(1)))
		c := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID, Body: "남는 댓글", CreatedAt: at(2)})

		Must(t, st.DeleteAccount(ctx, acc.ID, at(3)))

		got, err := st.Account(ctx, acc.ID)
		Must(t, err)
		if !got.DeletedAt.Equal(at(3)) {
			t.Errorf("DeletedAt = %v, want %v", got.DeletedAt, at(3))
		}
		wantUTC(t, "account", got.DeletedAt)
		if got.Email != "" || got.DisplayName != "" || got.PasswordHash != "" {
			t.Errorf("deleted account keeps e-mail %q, name %q, hash %q", got.Email, got.DisplayName, got.PasswordHash)
		}
		_, err = st.AccountByEmail(ctx, "mina@example.com")
		WantCode(t, err, news.ENOTFOUND)
		_, err = st.SessionAccount(ctx, "tok", at(4))
		WantCode(t, err, news.ENOTFOUND)
		bms, _, err := st.Bookmarks(ctx, acc.ID, news.ArticleFilter{Limit: 10, Now: at(100)})
		Must(t, err)
		if len(bms) != 0 {
			t.Errorf("%d bookmarks remain", len(bms))
		}
		subs, err := st.Subscriptions(ctx, acc.ID)
		Must(t, err)
		if len(subs) != 0 {
			t.Errorf("%d subscriptions remain", len(subs))
		}
		n, err := st.SubscriberCount(ctx, news.TargetReporter, w.reporter.ID)
		Must(t, err)
		if n != 0 {
			t.Errorf("reporter still has %d subscribers", n)
		}
		counts, err := st.ReactionCounts(ctx, art.ID)
		Must(t, err)
		if diff := cmp.Diff(map[string]int64{"warm": 1}, counts); diff != "" {
			t.Errorf("reactions mismatch (-want +got):\n%s", diff)
		}
		gc := MustComment(t, st, c.ID)
		if gc.Body != "남는 댓글" || gc.State != news.CommentVisible || gc.AuthorName != "탈퇴한 회원" {
			t.Errorf("comment after deletion: body %q, state %q, author %q; want kept, visible, 탈퇴한 회원", gc.Body, gc.State, gc.AuthorName)
		}
		if got := MustArticle(t, st, art.ID).CommentCount; got != 1 {
			t.Errorf("CommentCount = %d, want 1", got)
		}
		// Someone else's data is untouched.
		if _, err := st.Account(ctx, other.ID); err != nil {
			t.Errorf("other account: %v", err)
		}
		// The e-mail is free again.
		again := news.Account{Email: "mina@example.com", DisplayName: "미나", PasswordHash: "h2", Role: news.RoleReader, CreatedAt: at(5)}
		Must(t, st.CreateAccount(ctx, &again))
		if again.ID == acc.ID {
			t.Error("a new account reused the deleted account's id")
		}
		found, err := st.AccountByEmail(ctx, "MINA@example.com")
		Must(t, err)
		if found.ID != again.ID {
			t.Errorf("AccountByEmail found %d, want the new account %d", found.ID, again.ID)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		a := MustCreateAccount(t, st, "mina@example.com")
		WantCode(t, st.DeleteAccount(t.Context(), a.ID+1000, T0), news.ENOTFOUND)
	})
}

func (open Opener) testSessions(t *testing.T) {
	t.Run("ValidUntilExpiry", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		acc := MustCreateAccount(t, st, "mina@example.com")
		Must(t, st.CreateSession(ctx, news.Session{TokenHash: "abc", AccountID: acc.ID, CreatedAt: at(0), ExpiresAt: at(60)}))
		got, err := st.SessionAccount(ctx, "abc", at(59))
		Must(t, err)
		if diff := cmp.Diff(acc, got); diff != "" {
			t.Errorf("session account mismatch (-want +got):\n%s", diff)
		}
		// A session is expired from its ExpiresAt on.
		_, err = st.SessionAccount(ctx, "abc", at(60))
		WantCode(t, err, news.ENOTFOUND)
		_, err = st.SessionAccount(ctx, "abc", at(61))
		WantCode(t, err, news.ENOTFOUND)
	})
	t.Run("ErrNotFoundUnknown", func(t *testing.T) {
		st := open(t)
		acc := MustCreateAccount(t, st, "mina@example.com")
		Must(t, st.CreateSession(t.Context(), news.Session{TokenHash: "abc", AccountID: acc.ID, CreatedAt: at(0), ExpiresAt: at(60)}))
		_, err := st.SessionAccount(t.Context(), "abd", at(1))
		WantCode(t, err, news.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		acc := MustCreateAccount(t, st, "mina@example.com")
		Must(t, st.CreateSession(ctx, news.Session{TokenHash: "one", AccountID: acc.ID, CreatedAt: at(0), ExpiresAt: at(60)}))
		Must(t, st.CreateSession(ctx, news.Session{TokenHash: "two", AccountID: acc.ID, CreatedAt: at(0), ExpiresAt: at(60)}))
		Must(t, st.DeleteSession(ctx, "one"))
		_, err := st.SessionAccount(ctx, "one", at(1))
		WantCode(t, err, news.ENOTFOUND)
		if _, err := st.SessionAccount(ctx, "two", at(1)); err != nil {
			t.Errorf("other session: %v", err)
		}
		Must(t, st.DeleteSession(ctx, "one"))
		Must(t, st.DeleteSession(ctx, "never"))
	})
	t.Run("ErrNotFoundDeletedAccount", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		acc := MustCreateAccount(t, st, "mina@example.com")
		Must(t, st.CreateSession(ctx, news.Session{TokenHash: "abc", AccountID: acc.ID, CreatedAt: at(0), ExpiresAt: at(60)}))
		Must(t, st.DeleteAccount(ctx, acc.ID, at(1)))
		_, err := st.SessionAccount(ctx, "abc", at(2))
		WantCode(t, err, news.ENOTFOUND)
	})
}

func (open Opener) testComments(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		art := w.article(t, at(0))
		acc := MustCreateAccount(t, st, "mina@example.com")
		c := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID, Body: "첫 댓글", CreatedAt: at(1)})
		want := news.Comment{ID: c.ID, ArticleID: art.ID, AuthorID: acc.ID, AuthorName: acc.DisplayName,
			Body: "첫 댓글", State: news.CommentVisible, CreatedAt: at(1)}
		got := MustComment(t, st, c.ID)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("comment mismatch (-want +got):\n%s", diff)
		}
		wantUTC(t, "comment", got.CreatedAt)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		art := w.article(t, at(0))
		acc := MustCreateAccount(t, st, "mina@example.com")
		c := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID})
		_, err := st.Comment(t.Context(), c.ID+1000)
		WantCode(t, err, news.ENOTFOUND)
		WantCode(t, st.SetCommentState(t.Context(), c.ID+1000, news.CommentHidden), news.ENOTFOUND)
	})
	t.Run("ErrInvalidTarget", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		art := w.article(t, at(0))
		acc := MustCreateAccount(t, st, "mina@example.com")
		parent := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID})
		c := news.Comment{ArticleID: art.ID + 1000, AuthorID: acc.ID, Body: "b", State: news.CommentVisible, CreatedAt: T0}
		WantCode(t, st.CreateComment(t.Context(), &c), news.EINVALID)
		c = news.Comment{ArticleID: art.ID, ParentID: parent.ID + 1000, AuthorID: acc.ID, Body: "b", State: news.CommentVisible, CreatedAt: T0}
		WantCode(t, st.CreateComment(t.Context(), &c), news.EINVALID)
		if got := MustArticle(t, st, art.ID).CommentCount; got != 1 {
			t.Errorf("CommentCount = %d after failed creates, want 1", got)
		}
	})
	t.Run("CountsVisibleOnly", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		art := w.article(t, at(0))
		acc := MustCreateAccount(t, st, "mina@example.com")
		top := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID, CreatedAt: at(1)})
		MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID, CreatedAt: at(2), State: news.CommentPending})
		reply := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: top.ID, AuthorID: acc.ID, CreatedAt: at(3)})
		MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: top.ID, AuthorID: acc.ID, CreatedAt: at(4), State: news.CommentPending})
		check := func(step string, comments, replies int64) {
			t.Helper()
			if got := MustArticle(t, st, art.ID).CommentCount; got != comments {
				t.Errorf("%s: CommentCount = %d, want %d", step, got, comments)
			}
			if got := MustComment(t, st, top.ID).ReplyCount; got != replies {
				t.Errorf("%s: ReplyCount = %d, want %d", step, got, replies)
			}
		}
		check("created", 2, 1)
		Must(t, st.SetCommentState(t.Context(), reply.ID, news.CommentDeleted))
		check("reply deleted", 1, 0)
		Must(t, st.SetCommentState(t.Context(), reply.ID, news.CommentDeleted))
		check("reply deleted again", 1, 0)
		Must(t, st.SetCommentState(t.Context(), top.ID, news.CommentHidden))
		check("top hidden", 0, 0)
		Must(t, st.SetCommentState(t.Context(), top.ID, news.CommentVisible))
		check("top visible again", 1, 0)
		Must(t, st.SetCommentState(t.Context(), reply.ID, news.CommentVisible))
		check("reply visible again", 2, 1)
		if got := MustComment(t, st, reply.ID).State; got != news.CommentVisible {
			t.Errorf("state = %q, want visible", got)
		}
	})
	t.Run("RepliesByParent", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		art := w.article(t, at(0))
		acc := MustCreateAccount(t, st, "mina@example.com")
		a := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID, CreatedAt: at(1)})
		b := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: acc.ID, CreatedAt: at(2)})
		r1 := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: a.ID, AuthorID: acc.ID, CreatedAt: at(3)})
		MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: b.ID, AuthorID: acc.ID, CreatedAt: at(4)})
		r3 := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: a.ID, AuthorID: acc.ID, CreatedAt: at(5), State: news.CommentDeleted})
		top, _, err := st.Comments(t.Context(), news.CommentQuery{ArticleID: art.ID, Sort: news.SortNewest, Limit: 10})
		Must(t, err)
		DiffIDs(t, "top-level", []int64{b.ID, a.ID}, commentIDs(top))
		// Replies in every state, for the caller to show deleted ones as deleted.
		replies, _, err := st.Comments(t.Context(), news.CommentQuery{ArticleID: art.ID, ParentID: a.ID, Sort: news.SortOldest, Limit: 10})
		Must(t, err)
		DiffIDs(t, "replies", []int64{r1.ID, r3.ID}, commentIDs(replies))
		if len(replies) == 2 && (replies[1].State != news.CommentDeleted || replies[0].AuthorName != acc.DisplayName) {
			t.Errorf("replies = %+v; want the second deleted and author names set", replies)
		}
	})
}

func (open Opener) testCommentPages(t *testing.T) {
	st := open(t)
	ctx := t.Context()
	w := newWorld(t, st)
	art := w.article(t, at(0))
	other := w.article(t, at(1))
	var voters []news.Account
	for i := range 4 {
		voters = append(voters, MustCreateAccount(t, st, fmt.Sprintf("voter%d@example.com", i)))
	}
	var all []news.Comment
	for i := range 25 {
		// Pairs share a time and likes repeat, so ties are broken by id.
		c := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: voters[i%4].ID, CreatedAt: at(i / 2)})
		for _, v := range voters[:i%5%4] {
			_, err := st.VoteComment(ctx, c.ID, v.ID, news.VoteLike, true)
			Must(t, err)
		}
		all = append(all, MustComment(t, st, c.ID))
	}
	MustCreateComment(t, st, news.Comment{ArticleID: other.ID, AuthorID: voters[0].ID, CreatedAt: at(3)})
	MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: all[0].ID, AuthorID: voters[0].ID, CreatedAt: at(3)})
	for i := range all {
		all[i] = MustComment(t, st, all[i].ID) // all[0] has a reply now
	}

	orders := map[string]func(a, b news.Comment) int{
		news.SortNewest: func(a, b news.Comment) int {
			if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
				return c
			}
			return cmpInt(b.ID, a.ID)
		},
		news.SortOldest: func(a, b news.Comment) int {
			if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
				return c
			}
			return cmpInt(a.ID, b.ID)
		},
		news.SortLikes: func(a, b news.Comment) int {
			if c := cmpInt(b.Likes, a.Likes); c != 0 {
				return c
			}
			return cmpInt(b.ID, a.ID)
		},
	}
	for _, sort := range []string{news.SortNewest, news.SortOldest, news.SortLikes} {
		t.Run(sort, func(t *testing.T) {
			want := slices.Clone(all)
			slices.SortFunc(want, orders[sort])
			q := news.CommentQuery{ArticleID: art.ID, Sort: sort, Limit: 10}
			var got []news.Comment
			var sizes []int
			for range 10 {
				list, next, err := st.Comments(ctx, q)
				Must(t, err)
				got = append(got, list...)
				sizes = append(sizes, len(list))
				if next == nil {
					break
				}
				q.After = next
			}
			if diff := cmp.Diff([]int{10, 10, 5}, sizes); diff != "" {
				t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("comments mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (open Opener) testVoteComment(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		art := w.article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		jun := MustCreateAccount(t, st, "jun@example.com")
		c := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: mina.ID})
		for _, step := range []struct {
			name          string
			account       int64
			kind          string
			on            bool
			likes, dislik int64
		}{
			{"like", jun.ID, news.VoteLike, true, 1, 0},
			{"like again", jun.ID, news.VoteLike, true, 1, 0},
			{"dislike too", jun.ID, news.VoteDislike, true, 1, 1},
			{"another like", mina.ID, news.VoteLike, true, 2, 1},
			{"unlike", jun.ID, news.VoteLike, false, 1, 1},
			{"unlike again", jun.ID, news.VoteLike, false, 1, 1},
			{"undislike", jun.ID, news.VoteDislike, false, 1, 0},
		} {
			got, err := st.VoteComment(ctx, c.ID, step.account, step.kind, step.on)
			Must(t, err)
			if got.ID != c.ID || got.Likes != step.likes || got.Dislikes != step.dislik {
				t.Errorf("%s: comment %d has %d likes, %d dislikes; want %d: %d, %d", step.name,
					got.ID, got.Likes, got.Dislikes, c.ID, step.likes, step.dislik)
			}
			stored := MustComment(t, st, c.ID)
			if stored.Likes != step.likes || stored.Dislikes != step.dislik {
				t.Errorf("%s: stored %d likes, %d dislikes; want %d, %d", step.name, stored.Likes, stored.Dislikes, step.likes, step.dislik)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		st := open(t)
		w := newWorld(t, st)
		art := w.article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		c := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: mina.ID})
		_, err := st.VoteComment(t.Context(), c.ID+1000, mina.ID, news.VoteLike, true)
		WantCode(t, err, news.ENOTFOUND)
	})
}

func (open Opener) testCommentsByAuthor(t *testing.T) {
	st := open(t)
	ctx := t.Context()
	w := newWorld(t, st)
	a1 := w.article(t, at(0))
	a2 := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "두 번째 기사", PublishedAt: at(1)})
	mina := MustCreateAccount(t, st, "mina@example.com")
	jun := MustCreateAccount(t, st, "jun@example.com")
	c1 := MustCreateComment(t, st, news.Comment{ArticleID: a1.ID, AuthorID: mina.ID, CreatedAt: at(2)})
	c2 := MustCreateComment(t, st, news.Comment{ArticleID: a2.ID, AuthorID: mina.ID, CreatedAt: at(3)})
	c3 := MustCreateComment(t, st, news.Comment{ArticleID: a1.ID, ParentID: c1.ID, AuthorID: mina.ID, CreatedAt: at(4)})
	c4 := MustCreateComment(t, st, news.Comment{ArticleID: a1.ID, AuthorID: mina.ID, CreatedAt: at(4)})
	hidden := MustCreateComment(t, st, news.Comment{ArticleID: a1.ID, AuthorID: mina.ID, CreatedAt: at(5)})
	MustCreateComment(t, st, news.Comment{ArticleID: a1.ID, AuthorID: mina.ID, CreatedAt: at(6), State: news.CommentPending})
	MustCreateComment(t, st, news.Comment{ArticleID: a1.ID, AuthorID: jun.ID, CreatedAt: at(7)})
	Must(t, st.SetCommentState(ctx, hidden.ID, news.CommentHidden))
	for _, vote := range []struct {
		comment, account int64
		kind             string
	}{
		{c1.ID, jun.ID, news.VoteLike}, {c1.ID, mina.ID, news.VoteLike}, {c2.ID, jun.ID, news.VoteLike},
		{c2.ID, jun.ID, news.VoteDislike}, {hidden.ID, jun.ID, news.VoteLike},
	} {
		_, err := st.VoteComment(ctx, vote.comment, vote.account, vote.kind, true)
		Must(t, err)
	}

	t.Run("VisibleNewestFirst", func(t *testing.T) {
		var got []news.Comment
		var after *news.CommentPosition
		for range 10 {
			list, next, err := st.CommentsByAuthor(ctx, mina.ID, after, 2)
			Must(t, err)
			got = append(got, list...)
			if next == nil {
				break
			}
			after = next
		}
		// c3 and c4 share a time: the later id first.
		want := []int64{c4.ID, c3.ID, c2.ID, c1.ID}
		if c3.ID > c4.ID {
			want[0], want[1] = c3.ID, c4.ID
		}
		DiffIDs(t, "by author", want, commentIDs(got))
		heads := map[int64]string{a1.ID: a1.Headline, a2.ID: "두 번째 기사"}
		for _, c := range got {
			if c.ArticleHeadline != heads[c.ArticleID] || c.AuthorName != mina.DisplayName {
				t.Errorf("comment %d: headline %q, author %q; want %q, %q", c.ID, c.ArticleHeadline, c.AuthorName, heads[c.ArticleID], mina.DisplayName)
			}
		}
	})
	t.Run("Stats", func(t *testing.T) {
		got, err := st.AccountStats(ctx, mina.ID)
		Must(t, err)
		if diff := cmp.Diff(news.AccountStats{Comments: 4, LikesReceived: 3}, got); diff != "" {
			t.Errorf("stats mismatch (-want +got):\n%s", diff)
		}
		got, err = st.AccountStats(ctx, jun.ID)
		Must(t, err)
		if diff := cmp.Diff(news.AccountStats{Comments: 1}, got); diff != "" {
			t.Errorf("stats mismatch (-want +got):\n%s", diff)
		}
	})
}

func (open Opener) testReactions(t *testing.T) {
	t.Run("OneKindPerAccount", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		art := w.article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		jun := MustCreateAccount(t, st, "jun@example.com")
		check := func(step string, want map[string]int64, minaKind string) {
			t.Helper()
			got, err := st.ReactionCounts(ctx, art.ID)
			Must(t, err)
			if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
				t.Errorf("%s: counts mismatch (-want +got):\n%s", step, diff)
			}
			kind, err := st.Reaction(ctx, art.ID, mina.ID)
			Must(t, err)
			if kind != minaKind {
				t.Errorf("%s: reaction = %q, want %q", step, kind, minaKind)
			}
		}
		check("none", nil, "")
		Must(t, st.SetReaction(ctx, art.ID, mina.ID, "like", at(1)))
		check("like", map[string]int64{"like": 1}, "like")
		Must(t, st.SetReaction(ctx, art.ID, mina.ID, "like", at(2)))
		check("like again", map[string]int64{"like": 1}, "like")
		WantCode(t, st.SetReaction(ctx, art.ID, mina.ID, "sad", at(3)), news.EREACTIONEXIST)
		check("another kind", map[string]int64{"like": 1}, "like")
		Must(t, st.SetReaction(ctx, art.ID, jun.ID, "sad", at(3)))
		check("someone else", map[string]int64{"like": 1, "sad": 1}, "like")
		Must(t, st.DeleteReaction(ctx, art.ID, mina.ID))
		check("deleted", map[string]int64{"sad": 1}, "")
		Must(t, st.DeleteReaction(ctx, art.ID, mina.ID))
		check("deleted again", map[string]int64{"sad": 1}, "")
		Must(t, st.SetReaction(ctx, art.ID, mina.ID, "sad", at(4)))
		check("chose another", map[string]int64{"sad": 2}, "sad")
	})
	t.Run("ErrInvalidArticle", func(t *testing.T) {
		st := open(t)
		art := newWorld(t, st).article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		WantCode(t, st.SetReaction(t.Context(), art.ID+1000, mina.ID, "like", at(1)), news.EINVALID)
	})
	t.Run("ConcurrentAccountsExact", func(t *testing.T) {
		st := open(t)
		art := newWorld(t, st).article(t, at(0))
		kinds := []string{"like", "warm", "sad", "angry", "want_more"}
		var accounts []news.Account
		for i := range 50 {
			accounts = append(accounts, MustCreateAccount(t, st, fmt.Sprintf("r%d@example.com", i)))
		}
		want := map[string]int64{}
		errs := make([]error, len(accounts))
		var wg sync.WaitGroup
		for i, acc := range accounts {
			kind := kinds[i%len(kinds)]
			want[kind]++
			wg.Go(func() { errs[i] = st.SetReaction(context.Background(), art.ID, acc.ID, kind, at(1)) })
		}
		wg.Wait()
		for _, err := range errs {
			Must(t, err)
		}
		got, err := st.ReactionCounts(t.Context(), art.ID)
		Must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("counts mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("ConcurrentKindsOneStands", func(t *testing.T) {
		st := open(t)
		art := newWorld(t, st).article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		kinds := []string{"like", "angry"}
		errs := make([]error, len(kinds))
		var wg sync.WaitGroup
		for i, kind := range kinds {
			wg.Go(func() { errs[i] = st.SetReaction(context.Background(), art.ID, mina.ID, kind, at(1)) })
		}
		wg.Wait()
		var ok int
		for _, err := range errs {
			switch news.ErrorCode(err) {
			case "":
				ok++
			case news.EREACTIONEXIST:
			default:
				t.Errorf("SetReaction: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of 2 racing SetReaction calls succeeded, want 1", ok)
		}
		kind, err := st.Reaction(t.Context(), art.ID, mina.ID)
		Must(t, err)
		got, err := st.ReactionCounts(t.Context(), art.ID)
		Must(t, err)
		if diff := cmp.Diff(map[string]int64{kind: 1}, got); kind == "" || diff != "" {
			t.Errorf("reaction %q, counts mismatch (-want +got):\n%s", kind, diff)
		}
	})
}

func (open Opener) testBookmarks(t *testing.T) {
	t.Run("Toggle", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		art := newWorld(t, st).article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		isSaved := func(want bool) {
			t.Helper()
			got, err := st.IsBookmarked(ctx, mina.ID, art.ID)
			Must(t, err)
			if got != want {
				t.Errorf("IsBookmarked = %v, want %v", got, want)
			}
		}
		isSaved(false)
		Must(t, st.SetBookmark(ctx, mina.ID, art.ID, true, at(1)))
		Must(t, st.SetBookmark(ctx, mina.ID, art.ID, true, at(2)))
		isSaved(true)
		list, next, err := st.Bookmarks(ctx, mina.ID, news.ArticleFilter{Limit: 10, Now: at(100)})
		Must(t, err)
		if len(list) != 1 || next != nil {
			t.Fatalf("Bookmarks: %d, next %v; want 1 and nil", len(list), next)
		}
		// Saving again keeps the first time.
		want := news.Bookmark{AccountID: mina.ID, Article: MustArticle(t, st, art.ID), SavedAt: at(1)}
		if diff := cmp.Diff(want, list[0], equateEmpty); diff != "" {
			t.Errorf("bookmark mismatch (-want +got):\n%s", diff)
		}
		wantUTC(t, "bookmark", list[0].SavedAt)
		Must(t, st.SetBookmark(ctx, mina.ID, art.ID, false, at(3)))
		Must(t, st.SetBookmark(ctx, mina.ID, art.ID, false, at(4)))
		isSaved(false)
		list, _, err = st.Bookmarks(ctx, mina.ID, news.ArticleFilter{Limit: 10, Now: at(100)})
		Must(t, err)
		if len(list) != 0 {
			t.Errorf("%d bookmarks after unsaving", len(list))
		}
	})
	t.Run("OnlyPublicListed", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		mina := MustCreateAccount(t, st, "mina@example.com")
		kept := w.article(t, at(0))
		pulled := w.article(t, at(1))
		scheduled := w.article(t, at(50))
		for i, a := range []news.Article{kept, pulled, scheduled} {
			Must(t, st.SetBookmark(ctx, mina.ID, a.ID, true, at(2+i)))
		}
		saved := func(now time.Time) []int64 {
			t.Helper()
			list, _, err := st.Bookmarks(ctx, mina.ID, news.ArticleFilter{Limit: 10, Now: now})
			Must(t, err)
			return ids(list, func(b news.Bookmark) int64 { return b.Article.ID })
		}
		DiffIDs(t, "before the schedule", []int64{pulled.ID, kept.ID}, saved(at(10)))
		DiffIDs(t, "after the schedule", []int64{scheduled.ID, pulled.ID, kept.ID}, saved(at(60)))
		// Unpublished after it was saved: the bookmark stays but is not listed.
		pulled.State = news.StateDraft
		Must(t, st.UpdateArticle(ctx, &pulled, pulled.Version, []news.Revision{{Action: news.ActionUnpublish, State: news.StateDraft, Headline: pulled.Headline, CreatedAt: at(61)}}))
		DiffIDs(t, "after unpublishing", []int64{scheduled.ID, kept.ID}, saved(at(62)))
		on, err := st.IsBookmarked(ctx, mina.ID, pulled.ID)
		Must(t, err)
		if !on {
			t.Error("unpublishing dropped the bookmark itself; republishing should bring it back")
		}
	})
	t.Run("ErrInvalidArticle", func(t *testing.T) {
		st := open(t)
		art := newWorld(t, st).article(t, at(0))
		mina := MustCreateAccount(t, st, "mina@example.com")
		WantCode(t, st.SetBookmark(t.Context(), mina.ID, art.ID+1000, true, at(1)), news.EINVALID)
	})
	t.Run("NewestSavedFirstPages", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		mina := MustCreateAccount(t, st, "mina@example.com")
		jun := MustCreateAccount(t, st, "jun@example.com")
		var want []int64
		for i := range 5 {
			art := w.article(t, at(-i)) // saved order differs from published order
			// Two share a save time, so ties are broken by article id.
			Must(t, st.SetBookmark(ctx, mina.ID, art.ID, true, at(10+i/2*2)))
			want = append(want, art.ID)
		}
		Must(t, st.SetBookmark(ctx, jun.ID, want[0], true, at(50)))
		slices.Reverse(want)
		var got []int64
		var sizes []int
		var before *news.Position
		for range 10 {
			list, next, err := st.Bookmarks(ctx, mina.ID, news.ArticleFilter{Before: before, Limit: 2, Now: at(100)})
			Must(t, err)
			for _, b := range list {
				if b.AccountID != mina.ID {
					t.Errorf("bookmark of account %d, want %d", b.AccountID, mina.ID)
				}
			}
			got = append(got, ids(list, func(b news.Bookmark) int64 { return b.Article.ID })...)
			sizes = append(sizes, len(list))
			if next == nil {
				break
			}
			before = next
		}
		if diff := cmp.Diff([]int{2, 2, 1}, sizes); diff != "" {
			t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
		}
		DiffIDs(t, "bookmarks", want, got)
	})
}

func (open Opener) testSubscriptions(t *testing.T) {
	t.Run("FollowUnfollow", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		mina := MustCreateAccount(t, st, "mina@example.com")
		jun := MustCreateAccount(t, st, "jun@example.com")
		rep := news.Subscription{AccountID: mina.ID, Kind: news.TargetReporter, TargetID: w.reporter.ID, CreatedAt: at(1)}
		sec := news.Subscription{AccountID: mina.ID, Kind: news.TargetSection, TargetID: w.section.ID, CreatedAt: at(2)}
		Must(t, st.SetSubscription(ctx, rep, true))
		again := rep
		again.CreatedAt = at(5)
		Must(t, st.SetSubscription(ctx, again, true))
		Must(t, st.SetSubscription(ctx, sec, true))
		Must(t, st.SetSubscription(ctx, news.Subscription{AccountID: jun.ID, Kind: news.TargetReporter, TargetID: w.reporter.ID, CreatedAt: at(3)}, true))

		count := func(kind string, id, want int64) {
			t.Helper()
			got, err := st.SubscriberCount(ctx, kind, id)
			Must(t, err)
			if got != want {
				t.Errorf("SubscriberCount(%s %d) = %d, want %d", kind, id, got, want)
			}
		}
		subscribed := func(kind string, id int64, want bool) {
			t.Helper()
			got, err := st.IsSubscribed(ctx, mina.ID, kind, id)
			Must(t, err)
			if got != want {
				t.Errorf("IsSubscribed(%s %d) = %v, want %v", kind, id, got, want)
			}
		}
		count(news.TargetReporter, w.reporter.ID, 2)
		count(news.TargetSection, w.section.ID, 1)
		subscribed(news.TargetReporter, w.reporter.ID, true)
		subscribed(news.TargetSection, w.section.ID, true)
		// A reporter and a section may share an id; kinds are kept apart.
		subscribed(news.TargetSection, w.reporter.ID+1000, false)

		got, err := st.Subscriptions(ctx, mina.ID)
		Must(t, err)
		// Order is not part of the contract.
		slices.SortFunc(got, func(a, b news.Subscription) int { return a.CreatedAt.Compare(b.CreatedAt) })
		if diff := cmp.Diff([]news.Subscription{rep, sec}, got); diff != "" {
			t.Errorf("subscriptions mismatch (-want +got):\n%s", diff)
		}
		for _, s := range got {
			wantUTC(t, "subscription", s.CreatedAt)
		}

		Must(t, st.SetSubscription(ctx, rep, false))
		Must(t, st.SetSubscription(ctx, rep, false))
		count(news.TargetReporter, w.reporter.ID, 1)
		subscribed(news.TargetReporter, w.reporter.ID, false)
		got, err = st.Subscriptions(ctx, mina.ID)
		Must(t, err)
		if diff := cmp.Diff([]news.Subscription{sec}, got); diff != "" {
			t.Errorf("subscriptions mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrInvalidTarget", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		w := newWorld(t, st)
		mina := MustCreateAccount(t, st, "mina@example.com")
		for _, sub := range []news.Subscription{
			{AccountID: mina.ID, Kind: news.TargetReporter, TargetID: w.reporter.ID + 1000, CreatedAt: T0},
			{AccountID: mina.ID, Kind: news.TargetSection, TargetID: w.section.ID + 1000, CreatedAt: T0},
			{AccountID: mina.ID, Kind: "label", TargetID: w.section.ID, CreatedAt: T0},
		} {
			WantCode(t, st.SetSubscription(ctx, sub, true), news.EINVALID)
		}
		got, err := st.Subscriptions(ctx, mina.ID)
		Must(t, err)
		if len(got) != 0 {
			t.Errorf("%d subscriptions after invalid ones", len(got))
		}
	})
}

func (open Opener) testFeedArticles(t *testing.T) {
	st := open(t)
	ctx := t.Context()
	s1 := MustCreateSection(t, st, "economy", 1)
	s2 := MustCreateSection(t, st, "society", 2)
	r1 := MustCreateReporter(t, st, "이서희")
	r2 := MustCreateReporter(t, st, "김민수")
	r3 := MustCreateReporter(t, st, "박지은")
	mina := MustCreateAccount(t, st, "mina@example.com")
	jun := MustCreateAccount(t, st, "jun@example.com")
	lonely := MustCreateAccount(t, st, "lonely@example.com")
	by := func(r news.Reporter) []news.Byline { return []news.Byline{{ReporterID: r.ID}} }
	a1 := MustCreateArticle(t, st, news.Article{Section: s1, Bylines: by(r1), PublishedAt: at(1)})
	MustCreateArticle(t, st, news.Article{Section: s1, Bylines: by(r2), PublishedAt: at(2)})
	a3 := MustCreateArticle(t, st, news.Article{Section: s2, Bylines: by(r3), PublishedAt: at(3)})
	// Followed both ways; listed once.
	a4 := MustCreateArticle(t, st, news.Article{Section: s2, Bylines: []news.Byline{{ReporterID: r2.ID}, {ReporterID: r1.ID}}, PublishedAt: at(4)})
	MustCreateArticle(t, st, news.Article{Section: s2, Bylines: by(r1), State: news.StateDraft})
	MustCreateArticle(t, st, news.Article{Section: s1, Bylines: by(r1), PublishedAt: at(100)})
	a5 := MustCreateArticle(t, st, news.Article{Section: s1, Bylines: by(r1), PublishedAt: at(5)})
	for _, sub := range []news.Subscription{
		{AccountID: mina.ID, Kind: news.TargetReporter, TargetID: r1.ID, CreatedAt: T0},
		{AccountID: mina.ID, Kind: news.TargetSection, TargetID: s2.ID, CreatedAt: T0},
		{AccountID: jun.ID, Kind: news.TargetReporter, TargetID: r2.ID, CreatedAt: T0},
	} {
		Must(t, st.SetSubscription(ctx, sub, true))
	}

	t.Run("FollowedNewestFirst", func(t *testing.T) {
		var got []int64
		f := news.ArticleFilter{Limit: 2, Now: at(10)}
		for range 10 {
			list, next, err := st.FeedArticles(ctx, mina.ID, f)
			Must(t, err)
			got = append(got, articleIDs(list)...)
			if next == nil {
				break
			}
			f.Before = next
		}
		DiffIDs(t, "feed", []int64{a5.ID, a4.ID, a3.ID, a1.ID}, got)
	})
	t.Run("WithDetails", func(t *testing.T) {
		list, _, err := st.FeedArticles(ctx, mina.ID, news.ArticleFilter{Limit: 1, Now: at(10)})
		Must(t, err)
		if len(list) != 1 {
			t.Fatalf("%d articles, want 1", len(list))
		}
		if diff := cmp.Diff(MustArticle(t, st, a5.ID), list[0], equateEmpty); diff != "" {
			t.Errorf("feed article differs from Article (-want +got):\n%s", diff)
		}
	})
	t.Run("EmptyWithoutSubscriptions", func(t *testing.T) {
		list, next, err := st.FeedArticles(ctx, lonely.ID, news.ArticleFilter{Limit: 10, Now: at(10)})
		Must(t, err)
		if len(list) != 0 || next != nil {
			t.Errorf("feed of an account that follows nothing: %d articles, next %v", len(list), next)
		}
	})
}

func (open Opener) testChangeLog(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		st := open(t)
		ctx := t.Context()
		Must(t, st.RecordChanges(ctx, []news.Change{{ArticleID: 1}}))
		_, seq, err := st.ChangesSince(ctx, 0)
		Must(t, err)
		want := []news.Change{{ArticleID: 7}, {ArticleID: 7, AccountID: 3}, {AccountID: 4, Lists: true}, {All: true}}
		Must(t, st.RecordChanges(ctx, want[:2]))
		Must(t, st.RecordChanges(ctx, want[2:]))
		got, _, err := st.ChangesSince(ctx, seq)
		Must(t, err)
		// A store may read its latest entries again (a cache drops an entry
		// twice at worst); what was recorded since comes last, in order.
		if len(got) > len(want) {
			got = got[len(got)-len(want):]
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("changes mismatch (-want +got):\n%s", diff)
		}
	})
}
