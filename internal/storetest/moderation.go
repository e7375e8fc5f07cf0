package storetest

import (
	"context"
	"testing"
	"time"

	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
)

func runModeration(t *testing.T, o Opener) {
	t.Run("ModerationQueue", o.testModerationQueue)
	t.Run("ModerateCommentKeepsCountsAndAudits", o.testModerateComment)
	t.Run("Sanctions", o.testSanctions)
	t.Run("BannedWordsAndModes", o.testBannedWordsAndModes)
	t.Run("Takedowns", o.testTakedowns)
	t.Run("CountComments", o.testCountComments)
}

func (o Opener) testModerationQueue(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	w := newWorld(t, st)
	a := w.article(t, at(0))
	author := MustCreateAccount(t, st, "author@example.com")
	r1 := MustCreateAccount(t, st, "r1@example.com")
	r2 := MustCreateAccount(t, st, "r2@example.com")
	once := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID, CreatedAt: at(1)})
	twice := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID, CreatedAt: at(2)})
	held := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID, CreatedAt: at(3), State: news.CommentPending})
	MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID, CreatedAt: at(4)}) // never reported

	Must(t, st.ReportComment(ctx, &news.Report{CommentID: once.ID, AccountID: r1.ID, Reason: "욕설·비하", CreatedAt: at(5)}))
	Must(t, st.ReportComment(ctx, &news.Report{CommentID: twice.ID, AccountID: r1.ID, Reason: "광고·도배", CreatedAt: at(6)}))
	Must(t, st.ReportComment(ctx, &news.Report{CommentID: twice.ID, AccountID: r2.ID, Reason: "기타", CreatedAt: at(7)}))
	WantCode(t, st.ReportComment(ctx, &news.Report{CommentID: twice.ID, AccountID: r2.ID, Reason: "기타", CreatedAt: at(8)}), news.ECONFLICT)
	WantCode(t, st.ReportComment(ctx, &news.Report{CommentID: 1 << 40, AccountID: r2.ID, Reason: "기타", CreatedAt: at(8)}), news.ENOTFOUND)

	newest, err := st.ModerationQueue(ctx, news.QueueNewest, 0, 10)
	Must(t, err)
	DiffIDs(t, "newest", []int64{held.ID, twice.ID, once.ID}, ids(newest, func(it news.QueueItem) int64 { return it.Comment.ID }))
	most, err := st.ModerationQueue(ctx, news.QueueReports, 0, 10)
	Must(t, err)
	DiffIDs(t, "most reported", []int64{twice.ID, once.ID, held.ID}, ids(most, func(it news.QueueItem) int64 { return it.Comment.ID }))
	if most[0].Reports != 2 || len(most[0].Reasons) != 2 || most[0].ArticleHeadline != a.Headline {
		t.Errorf("queue item %+v", most[0])
	}
	wantUTC(t, "last reported", most[0].LastReportedAt)
	page, err := st.ModerationQueue(ctx, news.QueueReports, 1, 1)
	Must(t, err)
	DiffIDs(t, "offset page", []int64{once.ID}, ids(page, func(it news.QueueItem) int64 { return it.Comment.ID }))

	// Dismissing resolves the reports: the comment leaves the queue.
	Must(t, st.ModerateComment(ctx, twice.ID, news.CommentVisible, news.AuditEntry{ActorID: r1.ID, Action: news.AuditDismiss, TargetKind: news.TargetComment, TargetID: twice.ID, CreatedAt: at(9)}))
	newest, err = st.ModerationQueue(ctx, news.QueueNewest, 0, 10)
	Must(t, err)
	DiffIDs(t, "after dismiss", []int64{held.ID, once.ID}, ids(newest, func(it news.QueueItem) int64 { return it.Comment.ID }))
}

func (o Opener) testModerateComment(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	w := newWorld(t, st)
	a := w.article(t, at(0))
	mod := MustCreateAccount(t, st, "mod@example.com")
	author := MustCreateAccount(t, st, "author@example.com")
	top := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID})
	reply := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID, ParentID: top.ID})
	held := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID, State: news.CommentPending})
	counts := func(wantArticle, wantReplies int64) {
		t.Helper()
		if got := MustArticle(t, st, a.ID).CommentCount; got != wantArticle {
			t.Errorf("comment count %d, want %d", got, wantArticle)
		}
		if got := MustComment(t, st, top.ID).ReplyCount; got != wantReplies {
			t.Errorf("reply count %d, want %d", got, wantReplies)
		}
	}
	counts(2, 1)
	entry := func(action string, id int64) news.AuditEntry {
		return news.AuditEntry{ActorID: mod.ID, Action: action, TargetKind: news.TargetComment, TargetID: id, Reason: "사유 " + action, CreatedAt: at(10)}
	}
	Must(t, st.ModerateComment(ctx, reply.ID, news.CommentHidden, entry(news.AuditHide, reply.ID)))
	counts(1, 0)
	Must(t, st.ModerateComment(ctx, reply.ID, news.CommentHidden, entry(news.AuditHide, reply.ID))) // again: no change
	counts(1, 0)
	Must(t, st.ModerateComment(ctx, held.ID, news.CommentVisible, entry(news.AuditApprove, held.ID)))
	counts(2, 0)
	Must(t, st.ModerateComment(ctx, reply.ID, news.CommentVisible, entry(news.AuditRestore, reply.ID)))
	counts(3, 1)
	Must(t, st.ModerateComment(ctx, top.ID, news.CommentDeleted, entry(news.AuditDelete, top.ID)))
	counts(2, 1)
	WantCode(t, st.ModerateComment(ctx, 1<<40, news.CommentHidden, entry(news.AuditHide, 1)), news.ENOTFOUND)

	log, err := st.AuditLog(ctx, 0, 10)
	Must(t, err)
	var got []string
	for _, e := range log {
		got = append(got, e.Action)
		if e.ActorName != mod.DisplayName || e.Reason != "사유 "+e.Action {
			t.Errorf("audit entry %+v", e)
		}
		wantUTC(t, "audit", e.CreatedAt)
	}
	if diff := cmp.Diff([]string{news.AuditDelete, news.AuditRestore, news.AuditApprove, news.AuditHide, news.AuditHide}, got); diff != "" {
		t.Errorf("audit actions (-want +got):\n%s", diff)
	}
	older, err := st.AuditLog(ctx, log[1].ID, 10)
	Must(t, err)
	if len(older) != 3 || older[0].ID != log[2].ID {
		t.Errorf("audit page before %d: %d entries", log[1].ID, len(older))
	}
}

func (o Opener) testSanctions(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	mod := MustCreateAccount(t, st, "mod@example.com")
	bad := MustCreateAccount(t, st, "bad@example.com")
	worse := MustCreateAccount(t, st, "worse@example.com")
	_, err := st.Sanction(ctx, bad.ID)
	WantCode(t, err, news.ENOTFOUND)
	e := news.AuditEntry{ActorID: mod.ID, Action: news.AuditSuspend, TargetKind: news.TargetAccount, TargetID: bad.ID, CreatedAt: at(0)}
	Must(t, st.SetSanction(ctx, news.Sanction{AccountID: bad.ID, Until: at(60), Reason: "욕설", ByID: mod.ID, CreatedAt: at(0)}, e))
	Must(t, st.SetSanction(ctx, news.Sanction{AccountID: worse.ID, Ban: true, Reason: "도배", ByID: mod.ID, CreatedAt: at(1)}, e))
	WantCode(t, st.SetSanction(ctx, news.Sanction{AccountID: 1 << 40, Ban: true, CreatedAt: at(1)}, e), news.ENOTFOUND)
	sn, err := st.Sanction(ctx, bad.ID)
	Must(t, err)
	if !sn.Until.Equal(at(60)) || sn.Ban || sn.Reason != "욕설" || !sn.Active(at(59)) || sn.Active(at(61)) {
		t.Errorf("sanction %+v", sn)
	}
	wantUTC(t, "sanction", sn.Until, sn.CreatedAt)
	active, err := st.Sanctions(ctx, at(30))
	Must(t, err)
	DiffIDs(t, "active", []int64{worse.ID, bad.ID}, ids(active, func(s news.Sanction) int64 { return s.AccountID }))
	active, err = st.Sanctions(ctx, at(90))
	Must(t, err)
	DiffIDs(t, "after suspension", []int64{worse.ID}, ids(active, func(s news.Sanction) int64 { return s.AccountID }))
	// Lifting replaces the row.
	Must(t, st.SetSanction(ctx, news.Sanction{AccountID: worse.ID, Reason: "해제", ByID: mod.ID, CreatedAt: at(2)}, e))
	if sn, _ := st.Sanction(ctx, worse.ID); sn.Active(at(3)) {
		t.Errorf("lifted sanction still active: %+v", sn)
	}
}

func (o Opener) testBannedWordsAndModes(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	w := newWorld(t, st)
	a := w.article(t, at(0))
	mod := MustCreateAccount(t, st, "mod@example.com")
	e := news.AuditEntry{ActorID: mod.ID, Action: news.AuditBannedWords, TargetKind: news.TargetSite, CreatedAt: at(0)}
	words, err := st.BannedWords(ctx)
	Must(t, err)
	if len(words) != 0 {
		t.Errorf("new site has banned words %q", words)
	}
	Must(t, st.SetBannedWords(ctx, []string{"바보", "idiot", "멍청이"}, e))
	Must(t, st.SetBannedWords(ctx, []string{"멍청이", "바보"}, e))
	words, err = st.BannedWords(ctx)
	Must(t, err)
	if diff := cmp.Diff([]string{"멍청이", "바보"}, words); diff != "" {
		t.Errorf("banned words (-want +got):\n%s", diff)
	}
	mode, err := st.CommentMode(ctx, a.ID)
	Must(t, err)
	if mode != news.CommentModeOpen {
		t.Errorf("default mode %q", mode)
	}
	Must(t, st.SetCommentMode(ctx, a.ID, news.CommentModePremod, e))
	Must(t, st.SetCommentMode(ctx, a.ID, news.CommentModeClosed, e))
	if mode, _ := st.CommentMode(ctx, a.ID); mode != news.CommentModeClosed {
		t.Errorf("mode %q, want closed", mode)
	}
	WantCode(t, st.SetCommentMode(ctx, 1<<40, news.CommentModeClosed, e), news.ENOTFOUND)
	log, err := st.AuditLog(ctx, 0, 100)
	Must(t, err)
	if len(log) != 4 {
		t.Errorf("%d audit entries, want 4", len(log))
	}
}

func (o Opener) testTakedowns(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	w := newWorld(t, st)
	a := w.article(t, at(0))
	other := w.article(t, at(1))
	editor := MustCreateAccount(t, st, "desk@example.com")
	author := MustCreateAccount(t, st, "author@example.com")
	c := MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: author.ID})
	e := news.AuditEntry{ActorID: editor.ID, Action: news.AuditTakedown, CreatedAt: at(2)}

	ta := news.Takedown{TargetKind: news.TargetArticle, TargetID: a.ID, Claimant: "홍길동 (010-0000-0000)", Claim: "명예훼손",
		State: news.TakedownActive, CreatedAt: at(2), Until: at(2).AddDate(0, 0, 30), ByID: editor.ID}
	Must(t, st.CreateTakedown(ctx, &ta, e))
	tc := news.Takedown{TargetKind: news.TargetComment, TargetID: c.ID, Claimant: "김철수", Claim: "사생활 침해",
		State: news.TakedownActive, CreatedAt: at(3), Until: at(3).AddDate(0, 0, 30), ByID: editor.ID}
	Must(t, st.CreateTakedown(ctx, &tc, e))
	if got := MustComment(t, st, c.ID).State; got != news.CommentHidden {
		t.Errorf("comment under takedown is %s", got)
	}
	if got := MustArticle(t, st, a.ID).CommentCount; got != 0 {
		t.Errorf("comment count %d under takedown", got)
	}
	bad := news.Takedown{TargetKind: news.TargetArticle, TargetID: 1 << 40, State: news.TakedownActive, CreatedAt: at(3), Until: at(4)}
	WantCode(t, st.CreateTakedown(ctx, &bad, e), news.ENOTFOUND)

	down, err := st.ArticlesTakenDown(ctx)
	Must(t, err)
	DiffIDs(t, "taken down", []int64{a.ID}, down)
	got, err := st.Takedown(ctx, ta.ID)
	Must(t, err)
	if got.Claimant != ta.Claimant || got.Claim != "명예훼손" || got.State != news.TakedownActive || !got.Until.Equal(ta.Until) || got.ByName != editor.DisplayName {
		t.Errorf("takedown %+v", got)
	}
	wantUTC(t, "takedown", got.CreatedAt, got.Until)

	dc, err := st.DecideTakedown(ctx, tc.ID, news.TakedownRestored, "침해 아님", at(10), e)
	Must(t, err)
	if dc.State != news.TakedownRestored || dc.Decision != "침해 아님" || !dc.DecidedAt.Equal(at(10)) {
		t.Errorf("decided %+v", dc)
	}
	if got := MustComment(t, st, c.ID).State; got != news.CommentVisible {
		t.Errorf("restored comment is %s", got)
	}
	if got := MustArticle(t, st, a.ID).CommentCount; got != 1 {
		t.Errorf("comment count %d after restore", got)
	}
	_, err = st.DecideTakedown(ctx, tc.ID, news.TakedownRemoved, "다시", at(11), e)
	WantCode(t, err, news.ECONFLICT)
	_, err = st.DecideTakedown(ctx, ta.ID, news.TakedownRemoved, "침해 인정", at(12), e)
	Must(t, err)
	down, err = st.ArticlesTakenDown(ctx)
	Must(t, err)
	DiffIDs(t, "removed stays down", []int64{a.ID}, down)
	list, err := st.Takedowns(ctx, 10)
	Must(t, err)
	DiffIDs(t, "takedowns", []int64{tc.ID, ta.ID}, ids(list, func(t news.Takedown) int64 { return t.ID }))
	_ = other
}

func (o Opener) testCountComments(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	w := newWorld(t, st)
	a := w.article(t, at(0))
	b := w.article(t, at(0))
	me := MustCreateAccount(t, st, "me@example.com")
	for i := range 3 {
		MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: me.ID, CreatedAt: at(i * 60)})
	}
	MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: me.ID, CreatedAt: at(200), State: news.CommentPending})
	MustCreateComment(t, st, news.Comment{ArticleID: b.ID, AuthorID: me.ID, CreatedAt: at(200)})
	n, err := st.CountComments(ctx, me.ID, a.ID, at(60))
	Must(t, err)
	if n != 3 {
		t.Errorf("counted %d comments since +60m, want 3", n)
	}
	if n, _ := st.CountComments(ctx, me.ID, a.ID, at(0).Add(-time.Hour)); n != 4 {
		t.Errorf("counted %d comments in all, want 4", n)
	}
}
