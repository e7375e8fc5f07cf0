package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"

	"github.com/google/go-cmp/cmp"
)

// testArchive covers news.ArchiveStore.
func (open Opener) testArchive(t *testing.T) {
	t.Run("RoundTrip", open.testArchiveRoundTrip)
	t.Run("ErrConflictWithContent", open.testImportOccupied)
	t.Run("ErrMissingParentLeavesNothing", open.testImportRollback)
	t.Run("ErrCutShortLeavesNothing", open.testImportCutShort)
	t.Run("ReplacesEmptySiteSettings", open.testImportReplacesSettings)
}

// MustFillSite gives st one of everything an archive holds: settings,
// sections, labels, reporters, a photo, live, staff and deleted accounts,
// articles in several states with revisions, comments with replies and
// votes, reactions, bookmarks, subscriptions, front-page picks, API tokens
// and page views. Sessions are made too, though archives leave them out.
func MustFillSite(tb testing.TB, st news.Store) {
	tb.Helper()
	ctx := context.Background()
	claimed, err := st.ClaimDemo(ctx)
	Must(tb, err)
	if !claimed {
		tb.Fatal("MustFillSite needs a site without articles")
	}
	Must(tb, st.SaveSite(ctx, news.Site{Name: "직지일보", Slogan: "기록하는 언론", Publisher: "홍길동",
		RegistrationNumber: "서울 아 00001", PrivacyPolicy: "첫 문단\n\n둘째 문단"}))
	economy := MustCreateSection(tb, st, "economy", 2)
	society := MustCreateSection(tb, st, "society", 1)
	Must(tb, st.CreateLabel(ctx, news.Label{Code: news.LabelBreaking, Name: "속보"}))
	Must(tb, st.CreateLabel(ctx, news.Label{Code: "analysis", Name: "분석"}))
	Must(tb, st.CreateLabel(ctx, news.Label{Code: news.LabelExclusive, Name: "단독"}))
	lee := MustCreateReporter(tb, st, "이서희")
	kim := MustCreateReporter(tb, st, "김기자")
	photo := news.Photo{Caption: "샘 올트먼", Credit: "공동취재단", Alt: "연단에 선 올트먼", Width: 1200, Height: 800,
		ContentType: "image/jpeg", CreatedAt: at(-100)}
	Must(tb, st.CreatePhoto(ctx, &photo, []news.PhotoVariant{
		{Width: 640, Height: 427, ContentType: "image/jpeg", Data: []byte("\xff\xd8small\x00\x01")},
		{Width: 1200, Height: 800, ContentType: "image/jpeg", Data: []byte("\xff\xd8large\x00\x02\xff")},
	}))

	reader := MustCreateAccount(tb, st, "reader@example.com")
	other := MustCreateAccount(tb, st, "Other@Example.com")
	leaver := MustCreateAccount(tb, st, "leaver@example.com")
	editor := MustCreateAccount(tb, st, "editor@jikji.example")
	Must(tb, st.SetAccountRole(ctx, editor.ID, news.RoleEditor))

	lead := MustCreateArticle(tb, st, news.Article{
		Section: economy, Labels: []news.Label{{Code: news.LabelBreaking}, {Code: news.LabelExclusive}},
		Headline: `올트먼 "삼성전자·SK하이닉스는 '환상적인 회사'"`, Deck: []string{"첫 부제", "둘째 부제"},
		Body: "본문 첫 문단\n\n## 중간 제목\n\n(photo:1)",
		Blocks: []news.Block{
			{Type: news.BlockParagraph, Text: "본문 첫 문단"},
			{Type: news.BlockIntertitle, Text: "중간 제목"},
			{Type: news.BlockPhoto, Photos: []news.FigurePhoto{{PhotoID: photo.ID, Alt: "연단", Width: 1200, Height: 800, Widths: []int{640, 1200}}},
				Caption: "샘 올트먼", Credit: "공동취재단"},
			{Type: news.BlockQuote, Text: "자체 칩 생산은 AGI 도달 위한 것", Cite: "올트먼"},
		},
		Bylines:     []news.Byline{{ReporterID: lee.ID, Role: "특파원", Dateline: "샌프란시스코"}, {ReporterID: kim.ID, Role: "기자"}},
		PublishedAt: at(-60), UpdatedAt: at(-30), Print: &news.PrintPlacement{Date: "2024-03-18", Page: 1},
		Source:         &news.SourceNotice{Slogan: "세상을 보는 균형", Copyright: "Copyright © Hankookilbo"},
		CorrectionNote: "제목을 바로잡았습니다.", CommentsOpen: true, CreatedAt: at(-120),
	})
	closed := MustCreateArticle(tb, st, news.Article{Section: society, Headline: "댓글 닫힌 기사", Body: "본문",
		Blocks: []news.Block{{Type: news.BlockParagraph, Text: "본문"}}, PublishedAt: at(-50),
		Bylines: []news.Byline{{ReporterID: kim.ID}}})
	draft := news.Article{Section: society, Headline: "초안", Deck: []string{"부제"}, Body: "초안 본문", State: news.StateDraft,
		Bylines: []news.Byline{{ReporterID: lee.ID, Role: "기자", Dateline: "서울"}}, CreatedAt: at(-10)}
	rev := news.Revision{Action: news.ActionCreate, State: news.StateDraft, Headline: draft.Headline, Deck: draft.Deck,
		Body: draft.Body, AccountID: editor.ID, CreatedAt: at(-10)}
	Must(tb, st.CreateDraft(ctx, &draft, &rev))
	draft.Headline = "고친 초안"
	Must(tb, st.UpdateArticle(ctx, &draft, draft.Version, []news.Revision{
		{Action: news.ActionSave, State: news.StateDraft, Headline: draft.Headline, Body: draft.Body, Note: "제목 수정", CreatedAt: at(-5)},
	}))

	top := MustCreateComment(tb, st, news.Comment{ArticleID: lead.ID, AuthorID: reader.ID, Body: "첫 댓글", CreatedAt: at(-40)})
	reply := MustCreateComment(tb, st, news.Comment{ArticleID: lead.ID, ParentID: top.ID, AuthorID: other.ID, Body: "답글", CreatedAt: at(-39)})
	MustCreateComment(tb, st, news.Comment{ArticleID: lead.ID, ParentID: top.ID, AuthorID: leaver.ID, Body: "숨긴 답글",
		State: news.CommentHidden, CreatedAt: at(-38)})
	second := MustCreateComment(tb, st, news.Comment{ArticleID: lead.ID, AuthorID: leaver.ID, Body: "떠난 독자의 댓글", CreatedAt: at(-37)})
	MustCreateComment(tb, st, news.Comment{ArticleID: closed.ID, AuthorID: reader.ID, Body: "지운 댓글", State: news.CommentDeleted, CreatedAt: at(-36)})
	for _, v := range []struct {
		comment, account int64
		kind             string
	}{{top.ID, other.ID, news.VoteLike}, {top.ID, leaver.ID, news.VoteLike}, {top.ID, editor.ID, news.VoteDislike},
		{reply.ID, reader.ID, news.VoteLike}, {second.ID, reader.ID, news.VoteDislike}} {
		_, err := st.VoteComment(ctx, v.comment, v.account, v.kind, true)
		Must(tb, err)
	}
	Must(tb, st.SetReaction(ctx, lead.ID, reader.ID, "like", at(-35)))
	Must(tb, st.SetReaction(ctx, lead.ID, other.ID, "like", at(-34)))
	Must(tb, st.SetReaction(ctx, lead.ID, leaver.ID, "sad", at(-33)))
	Must(tb, st.SetReaction(ctx, closed.ID, reader.ID, "want_more", at(-32)))
	Must(tb, st.SetBookmark(ctx, reader.ID, lead.ID, true, at(-31)))
	Must(tb, st.SetBookmark(ctx, reader.ID, closed.ID, true, at(-30)))
	Must(tb, st.SetBookmark(ctx, other.ID, lead.ID, true, at(-29)))
	Must(tb, st.SetSubscription(ctx, news.Subscription{AccountID: reader.ID, Kind: news.TargetReporter, TargetID: lee.ID, CreatedAt: at(-28)}, true))
	Must(tb, st.SetSubscription(ctx, news.Subscription{AccountID: reader.ID, Kind: news.TargetSection, TargetID: economy.ID, CreatedAt: at(-27)}, true))
	Must(tb, st.SetFrontPicks(ctx, news.FrontTop, []int64{closed.ID, lead.ID}))
	Must(tb, st.SetFrontPicks(ctx, economy.ID, []int64{lead.ID}))
	live := news.APIToken{AccountID: editor.ID, Name: "연동", TokenHash: news.HashToken("live"), CreatedAt: at(-26)}
	Must(tb, st.CreateAPIToken(ctx, &live))
	revoked := news.APIToken{AccountID: editor.ID, Name: "옛 연동", TokenHash: news.HashToken("old"), CreatedAt: at(-25)}
	Must(tb, st.CreateAPIToken(ctx, &revoked))
	Must(tb, st.RevokeAPIToken(ctx, revoked.ID, at(-24)))
	hour := T0.Truncate(time.Hour)
	Must(tb, st.AddPageViews(ctx, []news.PageViewCount{
		{ArticleID: lead.ID, Hour: hour, Views: 12}, {ArticleID: lead.ID, Hour: hour.Add(-time.Hour), Views: 3},
		{ArticleID: closed.ID, Hour: hour, Views: 1},
	}))
	Must(tb, st.CreateSession(ctx, news.Session{TokenHash: news.HashToken("session"), AccountID: reader.ID, CreatedAt: at(-20), ExpiresAt: at(60 * 24)}))
	// The leaver's comments and reactions stay; their bookmarks go.
	Must(tb, st.SetBookmark(ctx, leaver.ID, lead.ID, true, at(-19)))
	Must(tb, st.DeleteAccount(ctx, leaver.ID, at(-18)))
}

// MustExport returns every record of st's archive.
func MustExport(tb testing.TB, st news.Store) []news.Record {
	tb.Helper()
	var recs []news.Record
	Must(tb, st.Export(context.Background(), func(r news.Record) error {
		recs = append(recs, r)
		return nil
	}))
	return recs
}

// Records returns a next function for Import that yields recs.
func Records(recs []news.Record) func() (news.Record, bool, error) {
	i := 0
	return func() (news.Record, bool, error) {
		if i == len(recs) {
			return news.Record{}, false, nil
		}
		i++
		return recs[i-1], true, nil
	}
}

// DiffRecords reports a mismatch of two archives, field by field.
func DiffRecords(tb testing.TB, want, got []news.Record) {
	tb.Helper()
	if diff := cmp.Diff(want, got, equateEmpty, cmp.Comparer(bytes.Equal)); diff != "" {
		tb.Errorf("archive records differ (-want +got):\n%s", diff)
	}
}

// counts tallies records by kind.
func counts(recs []news.Record) map[string]int {
	out := map[string]int{}
	for _, r := range recs {
		out[r.Kind()]++
	}
	return out
}

func (open Opener) testArchiveRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	MustFillSite(t, src)
	recs := MustExport(t, src)
	for _, r := range recs {
		if r.Kind() == "" {
			t.Fatalf("export emitted an empty record")
		}
	}
	want := map[string]int{"site": 1, "marker": 1, "section": 2, "label": 3, "reporter": 2, "photo": 1, "account": 4,
		"article": 3, "revision": 2, "comment": 5, "vote": 5, "reaction": 4, "bookmark": 3, "subscription": 2,
		"front_picks": 2, "api_token": 2, "page_views": 3}
	if diff := cmp.Diff(want, counts(recs)); diff != "" {
		t.Errorf("records by kind (-want +got):\n%s", diff)
	}
	// Parents come first: every kind appears after the kinds it refers to.
	order := []string{"site", "marker", "section", "label", "reporter", "photo", "account", "article", "revision",
		"comment", "vote", "reaction", "bookmark", "subscription", "front_picks", "api_token", "page_views"}
	pos := map[string]int{}
	for i, k := range order {
		pos[k] = i
	}
	for i := 1; i < len(recs); i++ {
		if pos[recs[i].Kind()] < pos[recs[i-1].Kind()] {
			t.Fatalf("record %d (%s) comes after a %s", i, recs[i].Describe(), recs[i-1].Kind())
		}
	}

	dst := open(t)
	var progressed int64
	Must(t, dst.Import(ctx, Records(recs), func(n int64) { progressed = n }))
	if progressed != int64(len(recs)) {
		t.Errorf("progress ended at %d, want %d", progressed, len(recs))
	}
	DiffRecords(t, recs, MustExport(t, dst))

	// Counters were computed from the rows.
	for _, r := range recs {
		switch {
		case r.Article != nil:
			got := MustArticle(t, dst, r.Article.ID)
			if got.CommentCount != r.Article.CommentCount {
				t.Errorf("article %d: %d comments, want %d", got.ID, got.CommentCount, r.Article.CommentCount)
			}
			wantCounts, err := src.ReactionCounts(ctx, r.Article.ID)
			Must(t, err)
			gotCounts, err := dst.ReactionCounts(ctx, r.Article.ID)
			Must(t, err)
			if diff := cmp.Diff(wantCounts, gotCounts, equateEmpty); diff != "" {
				t.Errorf("reaction counts of %d (-want +got):\n%s", r.Article.ID, diff)
			}
		case r.Comment != nil:
			got := MustComment(t, dst, r.Comment.ID)
			if got.Likes != r.Comment.Likes || got.Dislikes != r.Comment.Dislikes || got.ReplyCount != r.Comment.ReplyCount {
				t.Errorf("comment %d counts: %d/%d/%d, want %d/%d/%d", got.ID, got.Likes, got.Dislikes, got.ReplyCount,
					r.Comment.Likes, r.Comment.Dislikes, r.Comment.ReplyCount)
			}
		}
	}
	// The search index was built: nothing is left to index, and the lead
	// article is found by its headline and by a byline.
	if n, err := dst.ReindexArticles(ctx, false, nil); err != nil || n != 0 {
		t.Errorf("reindex after import: %d, %v; want 0 left", n, err)
	}
	for _, typed := range []string{"올트먼", "이서희"} {
		res, err := dst.SearchArticles(ctx, news.SearchQuery{Terms: search.ParseQuery(typed).StoreTerms(), Now: T0, Limit: 10})
		Must(t, err)
		if res.Total != 1 {
			t.Errorf("search %q after import: %d results, want 1", typed, res.Total)
		}
	}
	// The demo marker came along: a node starting on the imported site
	// does not load the demo.
	if claimed, err := dst.ClaimDemo(ctx); err != nil || claimed {
		t.Errorf("ClaimDemo after import = %v, %v; want false", claimed, err)
	}
	// New rows get ids after the imported ones.
	maxID := map[string]int64{}
	for _, r := range recs {
		switch {
		case r.Section != nil:
			maxID["section"] = max(maxID["section"], r.Section.ID)
		case r.Account != nil:
			maxID["account"] = max(maxID["account"], r.Account.ID)
		case r.Article != nil:
			maxID["article"] = max(maxID["article"], r.Article.ID)
		case r.Comment != nil:
			maxID["comment"] = max(maxID["comment"], r.Comment.ID)
		}
	}
	sec := MustCreateSection(t, dst, "culture", 3)
	acc := MustCreateAccount(t, dst, "new@example.com")
	art := MustCreateArticle(t, dst, news.Article{Section: sec, Headline: "새 기사"})
	com := MustCreateComment(t, dst, news.Comment{ArticleID: art.ID, AuthorID: acc.ID})
	if sec.ID <= maxID["section"] || acc.ID <= maxID["account"] || art.ID <= maxID["article"] || com.ID <= maxID["comment"] {
		t.Errorf("new ids %d/%d/%d/%d do not follow the imported %v", sec.ID, acc.ID, art.ID, com.ID, maxID)
	}
	// Passwords still work: the hash came along.
	for _, r := range recs {
		if r.Account != nil && r.Account.DeletedAt.IsZero() {
			got, err := dst.AccountByEmail(ctx, r.Account.Email)
			Must(t, err)
			if got.PasswordHash != r.Account.PasswordHash {
				t.Errorf("account %d: password hash not kept", got.ID)
			}
		}
	}
}

// mustBeEmpty fails unless st holds no article, account, section or reporter.
func mustBeEmpty(tb testing.TB, st news.Store) {
	tb.Helper()
	ctx := context.Background()
	for _, r := range MustExport(tb, st) {
		switch r.Kind() {
		case "article", "account", "section", "reporter", "photo", "comment", "site":
			tb.Errorf("store still holds %s", r.Describe())
		}
	}
	if _, err := st.Site(ctx); news.ErrorCode(err) != news.ENOTFOUND {
		tb.Errorf("site settings: %v, want not found", err)
	}
}

func (open Opener) testImportOccupied(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	MustFillSite(t, src)
	recs := MustExport(t, src)

	withAccount := open(t)
	MustCreateAccount(t, withAccount, "someone@example.com")
	err := withAccount.Import(ctx, Records(recs), nil)
	WantCode(t, err, news.ECONFLICT)
	var e *news.Error
	if !errors.As(err, &e) || e.Message != news.ImportOccupiedMessage {
		t.Errorf("error %v, want the message %q", err, news.ImportOccupiedMessage)
	}
	if got := counts(MustExport(t, withAccount)); got["account"] != 1 || got["article"] != 0 {
		t.Errorf("refused import changed the site: %v", got)
	}

	withArticle := open(t)
	w := newWorld(t, withArticle)
	w.article(t, at(0))
	WantCode(t, withArticle.Import(ctx, Records(recs), nil), news.ECONFLICT)
	if got := counts(MustExport(t, withArticle)); got["article"] != 1 || got["section"] != 1 {
		t.Errorf("refused import changed the site: %v", got)
	}
}

func (open Opener) testImportRollback(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	MustFillSite(t, src)
	recs := MustExport(t, src)
	cases := map[string]func([]news.Record) []news.Record{
		"CommentOfMissingArticle": func(recs []news.Record) []news.Record {
			for i, r := range recs {
				if r.Comment != nil {
					c := *r.Comment
					c.ArticleID += 1000
					recs[i] = news.Record{Comment: &c}
					break
				}
			}
			return recs
		},
		"ReplyToMissingComment": func(recs []news.Record) []news.Record {
			for i, r := range recs {
				if r.Comment != nil && r.Comment.ParentID != 0 {
					c := *r.Comment
					c.ParentID += 1000
					recs[i] = news.Record{Comment: &c}
					break
				}
			}
			return recs
		},
		"BylineOfMissingReporter": func(recs []news.Record) []news.Record {
			for i, r := range recs {
				if r.Article != nil && len(r.Article.Bylines) > 0 {
					a := *r.Article
					a.Bylines = []news.Byline{{ReporterID: a.Bylines[0].ReporterID + 1000}}
					recs[i] = news.Record{Article: &a}
					break
				}
			}
			return recs
		},
		"DuplicateAccount": func(recs []news.Record) []news.Record {
			for i, r := range recs {
				if r.Account != nil {
					return append(recs[:i+1:i+1], recs[i:]...)
				}
			}
			return recs
		},
		"SubscriptionToMissingReporter": func(recs []news.Record) []news.Record {
			for i, r := range recs {
				if r.Subscription != nil {
					sub := *r.Subscription
					sub.TargetID += 1000
					recs[i] = news.Record{Subscription: &sub}
				}
			}
			return recs
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			dst := open(t)
			bad := spoil(append([]news.Record(nil), recs...))
			err := dst.Import(ctx, Records(bad), nil)
			WantCode(t, err, news.EINVALID)
			mustBeEmpty(t, dst)
			// The same store takes the good archive afterwards.
			Must(t, dst.Import(ctx, Records(recs), nil))
			DiffRecords(t, recs, MustExport(t, dst))
		})
	}
}

func (open Opener) testImportCutShort(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	MustFillSite(t, src)
	recs := MustExport(t, src)
	dst := open(t)
	cut := errors.New("unexpected end of archive")
	next := Records(recs)
	n := 0
	err := dst.Import(ctx, func() (news.Record, bool, error) {
		if n++; n > len(recs)-3 {
			return news.Record{}, false, cut
		}
		return next()
	}, nil)
	if !errors.Is(err, cut) {
		t.Fatalf("Import = %v, want the reader's error", err)
	}
	mustBeEmpty(t, dst)
}

func (open Opener) testImportReplacesSettings(t *testing.T) {
	ctx := context.Background()
	src := open(t)
	MustFillSite(t, src)
	recs := MustExport(t, src)
	// A site that has settings, sections and reporters but no article and
	// no account takes the archive in their place.
	dst := open(t)
	Must(t, dst.SaveSite(ctx, news.Site{Name: "빈 사이트"}))
	MustCreateSection(t, dst, "economy", 1)
	MustCreateReporter(t, dst, "누군가")
	Must(t, dst.CreateLabel(ctx, news.Label{Code: news.LabelBreaking, Name: "속보"}))
	Must(t, dst.Import(ctx, Records(recs), nil))
	DiffRecords(t, recs, MustExport(t, dst))
}
