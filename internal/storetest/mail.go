package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
)

func runMail(t *testing.T, o Opener) {
	t.Run("MailOutbox", o.testMailOutbox)
	t.Run("MailLease", o.testMailLease)
	t.Run("MailPauseAfterPermanentFailures", o.testMailPause)
	t.Run("MailTokens", o.testMailTokens)
	t.Run("CreateAccountWithMail", o.testCreateAccountWithMail)
	t.Run("MailPrefsAndRecipients", o.testMailPrefs)
	t.Run("MailNewsletter", o.testMailNewsletter)
}

func queueOne(t *testing.T, st news.Store, to, dedupe string, when time.Time) int {
	t.Helper()
	n, err := st.QueueMail(context.Background(), &news.MailBody{Subject: "제목 " + dedupe, HTML: "<p>본문</p>", Text: "본문"},
		[]news.OutMail{{Kind: news.MailTest, Dedupe: dedupe, To: to, CreatedAt: when, NextAt: when}}, nil)
	Must(t, err)
	return n
}

func outboxIDs(list []news.OutMail) []int64 {
	return ids(list, func(m news.OutMail) int64 { return m.ID })
}

func (o Opener) testMailOutbox(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	if n := queueOne(t, st, "a@example.com", "k1", at(0)); n != 1 {
		t.Fatalf("queued %d, want 1", n)
	}
	// The same cause queues nothing twice.
	if n := queueOne(t, st, "a@example.com", "k1", at(0)); n != 0 {
		t.Errorf("a second message with one dedupe key was queued")
	}
	queueOne(t, st, "b@example.com", "k2", at(5))

	due, err := st.DueMail(ctx, at(1), 10)
	Must(t, err)
	if len(due) != 1 || due[0].To != "a@example.com" || due[0].Body.Subject != "제목 k1" || due[0].Body.Text != "본문" {
		t.Fatalf("due at 1 = %+v, want the first message with its body", due)
	}
	wantUTC(t, "CreatedAt", due[0].CreatedAt)
	if !due[0].CreatedAt.Equal(at(0)) {
		t.Errorf("CreatedAt = %v, want %v (a stable Message-ID is made of it)", due[0].CreatedAt, at(0))
	}
	first := due[0]

	// An attempt recorded before the hand-over hides the message until
	// retryAt, then brings it back should no answer be recorded.
	Must(t, st.MarkMailSending(ctx, []int64{first.ID}, at(3)))
	due, err = st.DueMail(ctx, at(2), 10)
	Must(t, err)
	DiffIDs(t, "due while sending", nil, outboxIDs(due))
	due, err = st.DueMail(ctx, at(6), 10)
	Must(t, err)
	if len(due) != 2 || due[0].ID != first.ID || due[0].Attempts != 1 || due[0].State != news.MailSending {
		t.Fatalf("due after an unanswered attempt = %+v", due)
	}

	Must(t, st.MarkMailSent(ctx, []int64{first.ID}, at(6)))
	Must(t, st.MarkMailFailed(ctx, due[1].ID, "451 try later", at(20), false, false, 3, at(6)))
	due, err = st.DueMail(ctx, at(10), 10)
	Must(t, err)
	DiffIDs(t, "due after sent and deferred", nil, outboxIDs(due))

	stats, err := st.MailStats(ctx)
	Must(t, err)
	if stats.Sent != 1 || stats.Queued != 1 || stats.Failed != 0 {
		t.Errorf("stats = %+v, want 1 sent, 1 queued", stats)
	}
	recent, err := st.RecentMail(ctx, "", 10)
	Must(t, err)
	if len(recent) != 2 || recent[0].LastError != "451 try later" || recent[1].State != news.MailSent || recent[1].SentAt.IsZero() {
		t.Errorf("recent = %+v", recent)
	}

	// Cursors move with the messages, in one transaction.
	_, err = st.QueueMail(ctx, nil, nil, map[string]string{"reply_cursor": "42"})
	Must(t, err)
	if v, err := st.MailState(ctx, "reply_cursor"); err != nil || v != "42" {
		t.Errorf("MailState = %q, %v; want 42", v, err)
	}
	if v, err := st.MailState(ctx, "unset"); err != nil || v != "" {
		t.Errorf("unset MailState = %q, %v", v, err)
	}
}

func (o Opener) testMailLease(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	claim := func(holder string, now time.Time) bool {
		t.Helper()
		ok, err := st.ClaimMailLease(ctx, holder, now, time.Minute)
		Must(t, err)
		return ok
	}
	if !claim("node-a", at(0)) {
		t.Fatal("the first node did not get the free lease")
	}
	if claim("node-b", at(0).Add(30*time.Second)) {
		t.Error("a second node took a live lease")
	}
	if !claim("node-a", at(0).Add(40*time.Second)) {
		t.Error("the holder could not renew its lease")
	}
	if !claim("node-b", at(3)) {
		t.Error("a lapsed lease was not taken over")
	}
	if claim("node-a", at(3)) {
		t.Error("the old holder took the lease back while the new one held it")
	}
}

func (o Opener) testMailPause(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	for i := range 3 {
		queueOne(t, st, "Gone@example.com", fmt.Sprint("p", i), at(0))
	}
	queueOne(t, st, "gone@example.com", "later", at(1))
	due, err := st.DueMail(ctx, at(0), 10)
	Must(t, err)
	if len(due) != 3 {
		t.Fatalf("due = %d, want 3", len(due))
	}
	for i, m := range due[:2] {
		Must(t, st.MarkMailFailed(ctx, m.ID, "550 no such user", at(5), true, true, 3, at(i)))
	}
	if paused, _ := st.AddressPaused(ctx, "gone@example.com"); paused {
		t.Fatal("paused after two permanent failures, want three")
	}
	Must(t, st.MarkMailFailed(ctx, due[2].ID, "550 no such user", at(5), true, true, 3, at(2)))
	if paused, err := st.AddressPaused(ctx, "GONE@example.com"); err != nil || !paused {
		t.Fatalf("AddressPaused = %v, %v after three permanent failures", paused, err)
	}
	due, err = st.DueMail(ctx, at(10), 10)
	Must(t, err)
	DiffIDs(t, "due to a paused address", nil, outboxIDs(due))
	// New mail to a paused address waits as paused.
	queueOne(t, st, "gone@example.com", "after", at(11))
	stats, err := st.MailStats(ctx)
	Must(t, err)
	if stats.Failed != 3 || stats.Paused != 2 || stats.Queued != 0 {
		t.Errorf("stats = %+v, want 3 failed, 2 paused", stats)
	}
}

func (o Opener) testMailTokens(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	a := MustCreateAccount(t, st, "reader@example.com")
	other := MustCreateAccount(t, st, "taken@example.com")
	Must(t, st.CreateSession(ctx, news.Session{TokenHash: "s1", AccountID: a.ID, CreatedAt: at(0), ExpiresAt: at(600)}))
	body := func() *news.MailBody { return &news.MailBody{Subject: "s", HTML: "h", Text: "t"} }
	issue := func(hash, purpose, email string, created time.Time, life time.Duration) {
		t.Helper()
		Must(t, st.IssueMailToken(ctx, news.MailToken{Hash: hash, Purpose: purpose, AccountID: a.ID, Email: email, ExpiresAt: created.Add(life)},
			body(), news.OutMail{Kind: purpose, Dedupe: purpose + ":" + hash, AccountID: a.ID, To: email, CreatedAt: created, NextAt: created}))
	}
	issue("r1", news.MailReset, a.Email, at(0), 30*time.Minute)
	issue("r2", news.MailReset, a.Email, at(1), 30*time.Minute)
	if n, err := st.CountMailTokens(ctx, a.ID, news.MailReset, at(-60)); err != nil || n != 2 {
		t.Errorf("CountMailTokens = %d, %v; want 2", n, err)
	}
	if due, _ := st.DueMail(ctx, at(1), 10); len(due) != 2 {
		t.Errorf("token mail queued with its token: %d messages, want 2", len(due))
	}
	_, err := st.MailToken(ctx, "r1", at(31))
	WantCode(t, err, news.ENOTFOUND)
	_, err = st.ResetPassword(ctx, "r1", "new-hash", at(31))
	WantCode(t, err, news.ENOTFOUND)

	id, err := st.ResetPassword(ctx, "r2", "new-hash", at(10))
	Must(t, err)
	if id != a.ID {
		t.Errorf("ResetPassword = %d, want %d", id, a.ID)
	}
	if got, _ := st.Account(ctx, a.ID); got.PasswordHash != "new-hash" {
		t.Errorf("password hash = %q after reset", got.PasswordHash)
	}
	_, err = st.SessionAccount(ctx, "s1", at(11))
	WantCode(t, err, news.ENOTFOUND)
	_, err = st.ResetPassword(ctx, "r2", "again", at(11))
	WantCode(t, err, news.ENOTFOUND)

	// Confirming the address marks it confirmed, once.
	issue("c1", news.MailConfirm, a.Email, at(20), time.Hour)
	tok, err := st.ConfirmMailToken(ctx, "c1", at(21), nil, nil)
	Must(t, err)
	if tok.Email != a.Email || tok.Purpose != news.MailConfirm {
		t.Errorf("confirmed token = %+v", tok)
	}
	p, err := st.MailPrefs(ctx, a.ID)
	Must(t, err)
	if p.ConfirmedAt.IsZero() {
		t.Error("address not confirmed")
	}
	_, err = st.ConfirmMailToken(ctx, "c1", at(22), nil, nil)
	WantCode(t, err, news.ENOTFOUND)

	// An address change moves the account and tells the old address.
	issue("e1", news.MailEmailChange, "new@example.com", at(30), time.Hour)
	issue("e2", news.MailEmailChange, other.Email, at(30), time.Hour)
	notice := &news.MailBody{Subject: "바뀜", HTML: "h", Text: "t"}
	_, err = st.ConfirmMailToken(ctx, "e1", at(31), notice, &news.OutMail{Kind: news.MailEmailChanged, Dedupe: "changed:e1", AccountID: a.ID, To: a.Email, CreatedAt: at(31), NextAt: at(31)})
	Must(t, err)
	if got, _ := st.Account(ctx, a.ID); got.Email != "new@example.com" {
		t.Errorf("email = %q after change", got.Email)
	}
	recent, _ := st.RecentMail(ctx, "", 1)
	if len(recent) != 1 || recent[0].To != a.Email || recent[0].Body.Subject != "바뀜" {
		t.Errorf("old address not told: %+v", recent)
	}
	_, err = st.ConfirmMailToken(ctx, "e2", at(32), nil, nil)
	WantCode(t, err, news.EEMAILTAKEN)
}

func (o Opener) testMailPrefs(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	w := newWorld(t, st)
	other := MustCreateReporter(t, st, "김기자")
	a := MustCreateAccount(t, st, "a@example.com")
	b := MustCreateAccount(t, st, "b@example.com")
	c := MustCreateAccount(t, st, "c@example.com")

	p, err := st.MailPrefs(ctx, a.ID)
	Must(t, err)
	if p.Replies || p.Newsletter || p.Follows != news.FollowsOff || p.UnsubscribeKey == "" {
		t.Fatalf("default prefs = %+v", p)
	}
	again, _ := st.MailPrefs(ctx, a.ID)
	if again.UnsubscribeKey != p.UnsubscribeKey {
		t.Error("the unsubscribe key changed between reads")
	}
	p.Replies, p.Follows, p.DigestMin, p.Newsletter = true, news.FollowsInstant, 8*60, true
	Must(t, st.SaveMailPrefs(ctx, p))
	got, _ := st.MailPrefs(ctx, a.ID)
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("saved prefs (-want +got):\n%s", diff)
	}
	Must(t, st.SaveMailPrefs(ctx, news.MailPrefs{AccountID: b.ID, Follows: news.FollowsDigest, DigestMin: 7 * 60}))
	Must(t, st.SaveMailPrefs(ctx, news.MailPrefs{AccountID: c.ID, Follows: news.FollowsInstant}))

	for _, sub := range []news.Subscription{
		{AccountID: a.ID, Kind: news.TargetReporter, TargetID: w.reporter.ID, CreatedAt: at(0)},
		{AccountID: b.ID, Kind: news.TargetSection, TargetID: w.section.ID, CreatedAt: at(0)},
		{AccountID: c.ID, Kind: news.TargetReporter, TargetID: other.ID, CreatedAt: at(0)},
	} {
		Must(t, st.SetSubscription(ctx, sub, true))
	}
	to, err := st.FollowRecipients(ctx, news.FollowsInstant, []int64{w.reporter.ID}, w.section.ID)
	Must(t, err)
	if diff := cmp.Diff([]news.Recipient{{AccountID: a.ID, Email: a.Email}}, to); diff != "" {
		t.Errorf("instant recipients (-want +got):\n%s", diff)
	}
	to, err = st.FollowRecipients(ctx, news.FollowsDigest, nil, w.section.ID)
	Must(t, err)
	if len(to) != 1 || to[0].AccountID != b.ID {
		t.Errorf("digest recipients by section = %+v", to)
	}
	// No story in what b follows yet: no digest.
	if to, _ := st.DigestRecipients(ctx, "2025-03-14", 7*60, at(-60), at(60)); len(to) != 0 {
		t.Errorf("a digest without news: %+v", to)
	}
	art := w.article(t, at(0))
	if to, _ := st.DigestRecipients(ctx, "2025-03-14", 6*60, at(-60), at(60)); len(to) != 0 {
		t.Errorf("digest due before its time: %+v", to)
	}
	if to, _ := st.DigestRecipients(ctx, "2025-03-14", 7*60, at(1), at(60)); len(to) != 0 {
		t.Errorf("digest of a story older than the window: %+v", to)
	}
	to, _ = st.DigestRecipients(ctx, "2025-03-14", 7*60, at(-60), at(60))
	if len(to) != 1 || to[0].AccountID != b.ID {
		t.Fatalf("digest due = %+v", to)
	}
	Must(t, func() error {
		_, err := st.QueueMail(ctx, &news.MailBody{Subject: "d"}, []news.OutMail{{Kind: news.MailDigest,
			Dedupe: fmt.Sprintf("digest:2025-03-14:%d", b.ID), AccountID: b.ID, To: b.Email, CreatedAt: at(0), NextAt: at(0)}}, nil)
		return err
	}())
	if to, _ := st.DigestRecipients(ctx, "2025-03-14", 8*60, at(-60), at(60)); len(to) != 0 {
		t.Errorf("a second digest on one day: %+v", to)
	}

	// Replies: the parent's author hears of a reply by someone else.
	parent := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: a.ID})
	_, start, err := st.ReplyNotices(ctx, 1<<62, 1)
	Must(t, err)
	if start != parent.ID {
		t.Errorf("newest comment id = %d, want %d", start, parent.ID)
	}
	own := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: parent.ID, AuthorID: a.ID})
	reply := MustCreateComment(t, st, news.Comment{ArticleID: art.ID, ParentID: parent.ID, AuthorID: b.ID, Body: "반론입니다"})
	notices, last, err := st.ReplyNotices(ctx, start, 100)
	Must(t, err)
	if last != reply.ID || len(notices) != 1 || notices[0].ReplyID != reply.ID || notices[0].RecipientTo != a.Email ||
		notices[0].ReplyBody != "반론입니다" || notices[0].RecipientKey != p.UnsubscribeKey {
		t.Errorf("notices = %+v, last %d (own reply %d)", notices, last, own.ID)
	}

	// One click turns one list off.
	Must(t, st.Unsubscribe(ctx, p.UnsubscribeKey, news.ListReplies))
	got, _ = st.MailPrefs(ctx, a.ID)
	if got.Replies || !got.Newsletter {
		t.Errorf("after unsubscribing from replies: %+v", got)
	}
	WantCode(t, st.Unsubscribe(ctx, "nope", news.ListReplies), news.ENOTFOUND)
	if notices, _, _ := st.ReplyNotices(ctx, start, 100); len(notices) != 0 {
		t.Errorf("notices after unsubscribing: %+v", notices)
	}

	ids, err := st.PublishedBetween(ctx, at(-1), at(0), 10)
	Must(t, err)
	DiffIDs(t, "published between", []int64{art.ID}, ids)
	ids, _ = st.PublishedBetween(ctx, at(0), at(10), 10)
	DiffIDs(t, "published after", nil, ids)

	m := news.MailSettings{NewsletterOn: true, NewsletterMin: 6*60 + 30, ConfirmToComment: true}
	Must(t, st.SaveMailSettings(ctx, m))
	if got, err := st.MailSettings(ctx); err != nil || got != m {
		t.Errorf("MailSettings = %+v, %v; want %+v", got, err, m)
	}
}

func (o Opener) testMailNewsletter(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	var want []int64
	for i := range 5 {
		a := MustCreateAccount(t, st, fmt.Sprintf("n%d@example.com", i))
		Must(t, st.SaveMailPrefs(ctx, news.MailPrefs{AccountID: a.ID, Newsletter: i != 2, Follows: news.FollowsOff}))
		if i != 2 {
			want = append(want, a.ID)
		}
	}
	body := &news.MailBody{Subject: "뉴스레터", HTML: "<p>" + news.UnsubscribeKeyMark + "</p>", Text: "t"}
	n, err := st.QueueNewsletter(ctx, body, "2025-03-14", at(0))
	Must(t, err)
	if n != 4 {
		t.Errorf("queued %d, want 4", n)
	}
	if v, _ := st.MailState(ctx, "newsletter_edition"); v != "2025-03-14" {
		t.Errorf("edition = %q", v)
	}
	if n, _ := st.QueueNewsletter(ctx, &news.MailBody{Subject: "again"}, "2025-03-14", at(1)); n != 0 {
		t.Errorf("one edition queued twice: %d", n)
	}
	due, err := st.DueMail(ctx, at(1), 10)
	Must(t, err)
	got := ids(due, func(m news.OutMail) int64 { return m.AccountID })
	DiffIDs(t, "newsletter recipients", want, got)
	for _, m := range due {
		if m.Body.Subject != "뉴스레터" || m.List != news.ListNewsletter || m.UnsubscribeKey == "" || m.BodyID != body.ID {
			t.Fatalf("newsletter message = %+v", m)
		}
	}
}

func (o Opener) testCreateAccountWithMail(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	create := func(email, hash string) (news.Account, error) {
		a := news.Account{Email: email, DisplayName: "새 독자", PasswordHash: "h", Role: news.RoleReader, CreatedAt: at(0)}
		err := st.CreateAccountWithMail(ctx, &a, news.MailToken{Hash: hash, Purpose: news.MailConfirm, Email: email, ExpiresAt: at(60)},
			&news.MailBody{Subject: "확인", HTML: "h", Text: "t"},
			news.OutMail{Kind: news.MailConfirm, Dedupe: "confirm:" + hash, To: email, CreatedAt: at(0), NextAt: at(0)})
		return a, err
	}
	a, err := create("new@example.com", "t1")
	Must(t, err)
	if a.ID == 0 {
		t.Fatal("no id set")
	}
	tok, err := st.MailToken(ctx, "t1", at(1))
	Must(t, err)
	if tok.AccountID != a.ID {
		t.Errorf("token of account %d, want %d", tok.AccountID, a.ID)
	}
	due, _ := st.DueMail(ctx, at(1), 10)
	if len(due) != 1 || due[0].AccountID != a.ID || due[0].To != "new@example.com" {
		t.Fatalf("queued with the account: %+v", due)
	}
	// A taken address creates nothing, mail included.
	_, err = create("NEW@example.com", "t2")
	WantCode(t, err, news.EEMAILTAKEN)
	if _, err := st.MailToken(ctx, "t2", at(1)); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("a refused sign-up left its token: %v", err)
	}
	if due, _ := st.DueMail(ctx, at(1), 10); len(due) != 1 {
		t.Errorf("a refused sign-up left its mail: %d queued", len(due))
	}
}
