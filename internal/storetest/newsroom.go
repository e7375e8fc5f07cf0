package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testNewsroom covers news.NewsroomStore.
func (open Opener) testNewsroom(t *testing.T) {
	t.Run("DraftAndRevisions", open.testDraftRevisions)
	t.Run("UpdateArticle", open.testUpdateArticle)
	t.Run("NewsroomArticles", open.testNewsroomArticles)
	t.Run("DueArticles", open.testDueArticles)
	t.Run("FrontPicks", open.testFrontPicks)
	t.Run("StaffAndTokens", open.testStaffAndTokens)
}

func (open Opener) testDraftRevisions(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	author := MustCreateAccount(t, st, "reporter@jikji.example")
	a := news.Article{Section: w.section, Headline: "초안", Deck: []string{"부제"}, Body: "본문", State: news.StateDraft,
		Bylines: []news.Byline{{ReporterID: w.reporter.ID, Role: "기자", Dateline: "서울"}}, CreatedAt: at(0)}
	rev := news.Revision{Action: news.ActionCreate, State: news.StateDraft, Headline: a.Headline, Deck: a.Deck,
		Body: a.Body, AccountID: author.ID, CreatedAt: at(0)}
	Must(t, st.CreateDraft(ctx, &a, &rev))
	if a.ID == 0 || a.Version != 1 || rev.ID == 0 || rev.ArticleID != a.ID || rev.Version != 1 {
		t.Fatalf("ids not set: article %d v%d, revision %+v", a.ID, a.Version, rev)
	}
	got := MustArticle(t, st, a.ID)
	if got.State != news.StateDraft || len(got.Bylines) != 1 || got.Bylines[0].Dateline != "서울" {
		t.Errorf("draft read back as %+v", got)
	}
	revs, err := st.Revisions(ctx, a.ID)
	Must(t, err)
	want := []news.Revision{{ID: rev.ID, ArticleID: a.ID, Version: 1, Action: news.ActionCreate, State: news.StateDraft,
		Headline: "초안", Deck: []string{"부제"}, Body: "본문", AccountID: author.ID, AccountName: author.DisplayName,
		CreatedAt: at(0).UTC()}}
	if diff := cmp.Diff(want, revs); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
	wantUTC(t, "revision", revs[0].CreatedAt)

	none, err := st.Revisions(ctx, a.ID+1000)
	Must(t, err)
	if len(none) != 0 {
		t.Errorf("revisions of an unknown article: %v", none)
	}

	bad := news.Article{Section: news.Section{ID: w.section.ID + 1000}, Headline: "x", Body: "x", State: news.StateDraft, CreatedAt: at(0)}
	WantCode(t, st.CreateDraft(ctx, &bad, &news.Revision{Action: news.ActionCreate, CreatedAt: at(0)}), news.EINVALID)
}

func (open Opener) testUpdateArticle(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	other := MustCreateReporter(t, st, "김기자")
	a := w.article(t, at(0))
	v := a.Version

	t.Run("OK", func(t *testing.T) {
		a.Headline, a.Body, a.CorrectionNote, a.UpdatedAt = "고친 제목", "고친 본문", "숫자를 바로잡았습니다.", at(30)
		a.Bylines = []news.Byline{{ReporterID: other.ID, Role: "선임기자"}}
		a.Labels = []news.Label{{Code: news.LabelBreaking}}
		revs := []news.Revision{
			{Action: news.ActionCreate, State: news.StatePublished, Public: true, Headline: "원래 제목", CreatedAt: at(0)},
			{Action: news.ActionSave, State: news.StatePublished, Public: true, Headline: a.Headline, Body: a.Body, CreatedAt: at(30)},
		}
		Must(t, st.UpdateArticle(ctx, &a, v, revs))
		if a.Version != v+1 {
			t.Errorf("version = %d, want %d", a.Version, v+1)
		}
		got := MustArticle(t, st, a.ID)
		if got.Headline != "고친 제목" || got.CorrectionNote != "숫자를 바로잡았습니다." || !got.UpdatedAt.Equal(at(30)) ||
			got.Version != v+1 || len(got.Bylines) != 1 || got.Bylines[0].ReporterID != other.ID || !got.HasLabel(news.LabelBreaking) {
			t.Errorf("updated article read back as %+v", got)
		}
		list, err := st.Revisions(ctx, a.ID)
		Must(t, err)
		if len(list) != 2 || list[0].Headline != "원래 제목" || list[1].Version != v+1 || !list[1].Public || list[0].AccountID != 0 {
			t.Errorf("revisions: %+v", list)
		}
	})
	t.Run("ErrPreconditionStaleVersion", func(t *testing.T) {
		stale := a
		stale.Headline = "늦은 저장"
		WantCode(t, st.UpdateArticle(ctx, &stale, v, nil), news.EPRECONDITION)
		if got := MustArticle(t, st, a.ID); got.Headline != "고친 제목" {
			t.Errorf("stale save went through: %q", got.Headline)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		missing := a
		missing.ID += 1000
		WantCode(t, st.UpdateArticle(ctx, &missing, 1, nil), news.ENOTFOUND)
	})
	t.Run("ErrInvalidReporterRollsBack", func(t *testing.T) {
		cur := MustArticle(t, st, a.ID)
		bad := cur
		bad.Headline = "없는 기자"
		bad.Bylines = []news.Byline{{ReporterID: other.ID + 1000}}
		WantCode(t, st.UpdateArticle(ctx, &bad, cur.Version, []news.Revision{{Action: news.ActionSave, CreatedAt: at(40)}}), news.EINVALID)
		got := MustArticle(t, st, a.ID)
		if got.Headline != cur.Headline || got.Version != cur.Version || len(got.Bylines) != 1 {
			t.Errorf("failed update left changes: %+v", got)
		}
		list, _ := st.Revisions(ctx, a.ID)
		if len(list) != 2 {
			t.Errorf("failed update left %d revisions, want 2", len(list))
		}
	})
}

func (open Opener) testNewsroomArticles(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	mk := func(headline, state string, published time.Time, body ...string) int64 {
		return MustCreateArticle(t, st, news.Article{Section: w.section, Headline: headline, State: state, PublishedAt: published,
			Body: strings.Join(body, "\n\n"), Blocks: paragraphs(body...)}).ID
	}
	draft := mk("경제 초안", news.StateDraft, time.Time{})
	submitted := mk("출고된 기사", news.StateSubmitted, time.Time{})
	live := mk("발행된 경제 기사", news.StatePublished, at(0))
	scheduled := mk("예약 기사", news.StatePublished, at(60))
	gone := mk("내린 기사", news.StateUnpublished, at(-60))
	// Full text: a published story and a draft that say it only in the body.
	liveBody := mk("발행된 산업 기사", news.StatePublished, at(-30), "반도체 공급망을 점검했다.")
	draftBody := mk("산업 초안", news.StateDraft, time.Time{}, "반도체 설비 투자가 늘었다.")
	now := at(10)
	searching := func(q news.NewsroomQuery, typed string) news.NewsroomQuery {
		pq := search.ParseQuery(typed)
		q.Search, q.SearchTerms, q.SearchWords = typed, pq.StoreTerms(), pq.Words()
		return q
	}
	for _, tc := range []struct {
		name string
		q    news.NewsroomQuery
		want []int64
	}{
		{"All", news.NewsroomQuery{}, []int64{draftBody, liveBody, gone, scheduled, live, submitted, draft}},
		{"Draft", news.NewsroomQuery{State: news.StateDraft}, []int64{draftBody, draft}},
		{"Submitted", news.NewsroomQuery{State: news.StateSubmitted}, []int64{submitted}},
		{"Published", news.NewsroomQuery{State: news.StatePublished}, []int64{liveBody, live}},
		{"Scheduled", news.NewsroomQuery{State: news.StateScheduled}, []int64{scheduled}},
		{"Unpublished", news.NewsroomQuery{State: news.StateUnpublished}, []int64{gone}},
		{"Search", searching(news.NewsroomQuery{}, "경제"), []int64{live, draft}},
		{"SearchAndState", searching(news.NewsroomQuery{State: news.StateDraft}, "경제"), []int64{draft}},
		{"SearchFullText", searching(news.NewsroomQuery{}, "반도체의"), []int64{draftBody, liveBody}},
		{"SearchFullTextPublished", searching(news.NewsroomQuery{State: news.StatePublished}, "반도체"), []int64{liveBody}},
		{"SearchNothing", searching(news.NewsroomQuery{}, "냉장고"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Now = now
			list, next, err := st.NewsroomArticles(ctx, tc.q)
			Must(t, err)
			DiffIDs(t, tc.name, tc.want, articleIDs(list))
			if next != 0 {
				t.Errorf("next = %d, want 0", next)
			}
		})
	}
	t.Run("PagesCoverAllOnce", func(t *testing.T) {
		var got []int64
		q := news.NewsroomQuery{Now: now, Limit: 2}
		for range 10 {
			list, next, err := st.NewsroomArticles(ctx, q)
			Must(t, err)
			got = append(got, articleIDs(list)...)
			if next == 0 {
				break
			}
			q.BeforeID = next
		}
		DiffIDs(t, "pages", []int64{draftBody, liveBody, gone, scheduled, live, submitted, draft}, got)
	})
}

func (open Opener) testDueArticles(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	early := w.article(t, at(0)).ID
	due := w.article(t, at(5)).ID
	w.article(t, at(20))
	ids, err := st.DueArticles(ctx, at(0), at(10))
	Must(t, err)
	DiffIDs(t, "due", []int64{due}, ids)
	ids, err = st.DueArticles(ctx, at(-1), at(5))
	Must(t, err)
	DiffIDs(t, "due", []int64{early, due}, ids)
}

func (open Opener) testFrontPicks(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	a, b, c := w.article(t, at(0)).ID, w.article(t, at(1)).ID, w.article(t, at(2)).ID
	picks, err := st.FrontPicks(ctx)
	Must(t, err)
	if len(picks) != 0 {
		t.Errorf("picks of a new site: %v", picks)
	}
	Must(t, st.SetFrontPicks(ctx, news.FrontTop, []int64{c, a}))
	Must(t, st.SetFrontPicks(ctx, w.section.ID, []int64{b}))
	Must(t, st.SetFrontPicks(ctx, news.FrontTop, []int64{b, c, a}))
	picks, err = st.FrontPicks(ctx)
	Must(t, err)
	want := map[int64][]int64{news.FrontTop: {b, c, a}, w.section.ID: {b}}
	if diff := cmp.Diff(want, picks); diff != "" {
		t.Errorf("picks (-want +got):\n%s", diff)
	}
	WantCode(t, st.SetFrontPicks(ctx, news.FrontTop, []int64{a, c + 1000}), news.EINVALID)
	picks, _ = st.FrontPicks(ctx)
	DiffIDs(t, "picks after a failed set", []int64{b, c, a}, picks[news.FrontTop])
	Must(t, st.SetFrontPicks(ctx, w.section.ID, nil))
	picks, _ = st.FrontPicks(ctx)
	if _, ok := picks[w.section.ID]; ok {
		t.Errorf("cleared slot still has picks: %v", picks)
	}
}

func (open Opener) testStaffAndTokens(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	MustCreateAccount(t, st, "reader@jikji.example")
	editor := MustCreateAccount(t, st, "editor@jikji.example")
	Must(t, st.SetAccountRole(ctx, editor.ID, news.RoleEditor))
	staff, err := st.StaffAccounts(ctx)
	Must(t, err)
	if len(staff) != 1 || staff[0].ID != editor.ID || staff[0].Role != news.RoleEditor {
		t.Errorf("staff: %+v", staff)
	}

	tok := news.APIToken{AccountID: editor.ID, Name: "통신 기사 연동", TokenHash: news.HashToken("secret"), CreatedAt: at(0)}
	Must(t, st.CreateAPIToken(ctx, &tok))
	if tok.ID == 0 {
		t.Fatal("CreateAPIToken did not set the id")
	}
	got, err := st.APITokenAccount(ctx, news.HashToken("secret"))
	Must(t, err)
	if got.ID != editor.ID || got.Role != news.RoleEditor {
		t.Errorf("token account: %+v", got)
	}
	_, err = st.APITokenAccount(ctx, news.HashToken("other"))
	WantCode(t, err, news.ENOTFOUND)

	list, err := st.APITokens(ctx)
	Must(t, err)
	want := []news.APIToken{{ID: tok.ID, AccountID: editor.ID, AccountName: editor.DisplayName, AccountEmail: editor.Email,
		Name: "통신 기사 연동", TokenHash: news.HashToken("secret"), CreatedAt: at(0).UTC()}}
	if diff := cmp.Diff(want, list, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}

	Must(t, st.RevokeAPIToken(ctx, tok.ID, at(10)))
	Must(t, st.RevokeAPIToken(ctx, tok.ID, at(20)))
	_, err = st.APITokenAccount(ctx, news.HashToken("secret"))
	WantCode(t, err, news.ENOTFOUND)
	list, _ = st.APITokens(ctx)
	if len(list) != 1 || !list[0].RevokedAt.Equal(at(10)) {
		t.Errorf("revoked token: %+v", list)
	}
	WantCode(t, st.RevokeAPIToken(ctx, tok.ID+1000, at(10)), news.ENOTFOUND)

	// A deleted account's tokens stop working.
	tok2 := news.APIToken{AccountID: editor.ID, Name: "두 번째", TokenHash: news.HashToken("second"), CreatedAt: at(0)}
	Must(t, st.CreateAPIToken(ctx, &tok2))
	Must(t, st.DeleteAccount(ctx, editor.ID, at(30)))
	_, err = st.APITokenAccount(ctx, news.HashToken("second"))
	WantCode(t, err, news.ENOTFOUND)
}
