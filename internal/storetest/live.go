package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
)

func runLive(t *testing.T, open Opener) {
	t.Run("LiveEvents", open.testLiveEvents)
	t.Run("LiveEventsConcurrent", open.testLiveEventsConcurrent)
	t.Run("LiveCoverage", open.testLiveCoverage)
	t.Run("Audience", open.testAudience)
}

func eventIDs(events []news.LiveEvent) []int64 {
	var ids []int64
	for _, ev := range events {
		ids = append(ids, ev.ID)
	}
	return ids
}

func (open Opener) testLiveEvents(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	last, err := st.LastLiveEventID(ctx)
	Must(t, err)
	if last != 0 {
		t.Fatalf("LastLiveEventID of an empty store = %d, want 0", last)
	}
	Must(t, st.AppendLiveEvents(ctx, []news.LiveEvent{
		{ArticleID: 7, Kind: news.LiveComment, Data: []byte(`{"id":1}`), CreatedAt: at(0)},
		{ArticleID: 8, Kind: news.LiveCounts, Data: []byte(`{"comments":3}`), CreatedAt: at(0)},
		{ArticleID: 0, Kind: news.LiveBreaking, Data: []byte(`{"headline":"속보"}`), CreatedAt: at(1)},
		{ArticleID: 7, Kind: news.LiveUpdateEvent, Data: []byte(`{"action":"posted"}`), CreatedAt: at(2)},
	}))
	all, err := st.LiveEventsSince(ctx, 0, 100)
	Must(t, err)
	if len(all) != 4 {
		t.Fatalf("LiveEventsSince(0) = %d events, want 4", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID {
			t.Fatalf("events not in id order: %v", eventIDs(all))
		}
	}
	if got := all[0]; got.ArticleID != 7 || got.Kind != news.LiveComment || string(got.Data) != `{"id":1}` || !got.CreatedAt.Equal(at(0)) {
		t.Errorf("first event = %+v", got)
	}
	wantUTC(t, "live event", all[0].CreatedAt)
	last, err = st.LastLiveEventID(ctx)
	Must(t, err)
	if last != all[3].ID {
		t.Errorf("LastLiveEventID = %d, want %d", last, all[3].ID)
	}
	after, err := st.LiveEventsSince(ctx, all[1].ID, 100)
	Must(t, err)
	DiffIDs(t, "events after the second", []int64{all[2].ID, all[3].ID}, eventIDs(after))
	limited, err := st.LiveEventsSince(ctx, 0, 2)
	Must(t, err)
	DiffIDs(t, "first two events", []int64{all[0].ID, all[1].ID}, eventIDs(limited))

	// A page of article 7 resumes with its own events and the site-wide ones.
	mine, err := st.ArticleLiveEvents(ctx, 7, all[0].ID, all[3].ID, 100)
	Must(t, err)
	DiffIDs(t, "article 7 after its first event", []int64{all[2].ID, all[3].ID}, eventIDs(mine))
	upTo, err := st.ArticleLiveEvents(ctx, 7, 0, all[2].ID, 100)
	Must(t, err)
	DiffIDs(t, "article 7 up to the breaking event", []int64{all[0].ID, all[2].ID}, eventIDs(upTo))
	site, err := st.ArticleLiveEvents(ctx, 0, 0, last, 100)
	Must(t, err)
	DiffIDs(t, "site-wide events", []int64{all[2].ID}, eventIDs(site))

	Must(t, st.PruneLiveEvents(ctx, at(1)))
	left, err := st.LiveEventsSince(ctx, 0, 100)
	Must(t, err)
	DiffIDs(t, "events after pruning", []int64{all[2].ID, all[3].ID}, eventIDs(left))
}

// Writers appending at once never leave a reader, who follows by id, a gap
// that fills in later.
func (open Opener) testLiveEventsConcurrent(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	const writers, each = 4, 10
	var seen []int64
	var pos int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := st.AppendLiveEvents(ctx, []news.LiveEvent{{ArticleID: int64(w + 1), Kind: news.LiveCounts, Data: []byte(`{}`), CreatedAt: at(i)}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	follow := func() {
		events, err := st.LiveEventsSince(ctx, pos, 1000)
		Must(t, err)
		for _, ev := range events {
			seen = append(seen, ev.ID)
			pos = ev.ID
		}
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		follow()
	}
	follow()
	all, err := st.LiveEventsSince(ctx, 0, 1000)
	Must(t, err)
	if len(all) != writers*each {
		t.Fatalf("stored %d events, want %d", len(all), writers*each)
	}
	DiffIDs(t, "events a follower saw", eventIDs(all), seen)
}

func (open Opener) testLiveCoverage(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	a := w.article(t, at(-60))
	_, err := st.Coverage(ctx, a.ID)
	WantCode(t, err, news.ENOTFOUND)
	WantCode(t, st.SetCoverage(ctx, news.Coverage{ArticleID: a.ID + 1000, Live: true, StartedAt: at(0)}), news.EINVALID)

	Must(t, st.SetCoverage(ctx, news.Coverage{ArticleID: a.ID, Live: true, StartedAt: at(0)}))
	c, err := st.Coverage(ctx, a.ID)
	Must(t, err)
	if diff := cmp.Diff(news.Coverage{ArticleID: a.ID, Live: true, StartedAt: at(0).UTC()}, c); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}

	var ids []int64
	for i, body := range []string{"첫 소식", "둘째 소식", "셋째 소식"} {
		u := news.LiveUpdate{ArticleID: a.ID, AuthorID: 3, AuthorName: "이서희", Body: body, CreatedAt: at(i + 1)}
		if i == 1 {
			u.Quote, u.QuoteSource, u.Pinned = "자체 칩 생산은 AGI 도달 위한 것", "올트먼", true
		}
		Must(t, st.CreateLiveUpdate(ctx, &u))
		ids = append(ids, u.ID)
	}
	WantCode(t, st.CreateLiveUpdate(ctx, &news.LiveUpdate{ArticleID: a.ID + 1000, Body: "x", CreatedAt: at(0)}), news.EINVALID)

	list, err := st.LiveUpdates(ctx, a.ID, 0, 10)
	Must(t, err)
	var got []int64
	for _, u := range list {
		got = append(got, u.ID)
	}
	DiffIDs(t, "updates newest first", []int64{ids[2], ids[1], ids[0]}, got)
	second := list[1]
	want := news.LiveUpdate{ID: ids[1], ArticleID: a.ID, AuthorID: 3, AuthorName: "이서희", Body: "둘째 소식",
		Quote: "자체 칩 생산은 AGI 도달 위한 것", QuoteSource: "올트먼", Pinned: true, CreatedAt: at(2).UTC()}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
	page, err := st.LiveUpdates(ctx, a.ID, ids[1], 10)
	Must(t, err)
	if len(page) != 1 || page[0].ID != ids[0] {
		t.Errorf("updates below the second = %+v, want only the first", page)
	}
	pinned, err := st.PinnedLiveUpdates(ctx, a.ID)
	Must(t, err)
	if len(pinned) != 1 || pinned[0].ID != ids[1] {
		t.Errorf("pinned = %+v, want the second", pinned)
	}

	first, err := st.LiveUpdate(ctx, ids[0])
	Must(t, err)
	first.PreviousBody, first.Body, first.CorrectedAt = first.Body, "첫 소식(정정)", at(10)
	Must(t, st.SaveLiveUpdate(ctx, first))
	back, err := st.LiveUpdate(ctx, ids[0])
	Must(t, err)
	if back.Body != "첫 소식(정정)" || back.PreviousBody != "첫 소식" || !back.CorrectedAt.Equal(at(10)) {
		t.Errorf("corrected update = %+v", back)
	}
	wantUTC(t, "live update", back.CreatedAt, back.CorrectedAt)

	Must(t, st.DeleteLiveUpdate(ctx, ids[2]))
	_, err = st.LiveUpdate(ctx, ids[2])
	WantCode(t, err, news.ENOTFOUND)
	WantCode(t, st.DeleteLiveUpdate(ctx, ids[2]), news.ENOTFOUND)
	WantCode(t, st.SaveLiveUpdate(ctx, news.LiveUpdate{ID: ids[2], Body: "x"}), news.ENOTFOUND)

	Must(t, st.SetCoverage(ctx, news.Coverage{ArticleID: a.ID, Live: false, StartedAt: at(0), EndedAt: at(30)}))
	c, err = st.Coverage(ctx, a.ID)
	Must(t, err)
	if c.Live || !c.EndedAt.Equal(at(30)) {
		t.Errorf("ended coverage = %+v", c)
	}
}

func (open Opener) testAudience(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	w := newWorld(t, st)
	a := w.article(t, at(-600))
	b := w.article(t, at(-600))
	draft := MustCreateArticle(t, st, news.Article{Headline: "초고", State: news.StateDraft, Section: w.section})
	minute := T0.Truncate(time.Minute)
	Must(t, st.AddAudience(ctx, []news.AudienceCount{
		{ArticleID: a.ID, Minute: minute, Source: news.SourceSearch, Views: 3},
		{ArticleID: a.ID, Minute: minute, Source: news.SourceDirect, Views: 1},
		{ArticleID: a.ID, Minute: minute.Add(-2 * time.Minute), Source: news.SourceSocial, Views: 2},
		{ArticleID: a.ID, Minute: minute.Add(-90 * time.Minute), Source: news.SourceSearch, Views: 5},
		{ArticleID: b.ID, Minute: minute, Source: news.SourceInternal, Views: 4},
		{ArticleID: draft.ID, Minute: minute, Source: news.SourceDirect, Views: 50},
	}))
	// A second flush adds to the same buckets.
	Must(t, st.AddAudience(ctx, []news.AudienceCount{{ArticleID: a.ID, Minute: minute.Add(20 * time.Second), Source: news.SourceSearch, Views: 1}}))

	top, err := st.TopRead(ctx, minute.Add(-5*time.Minute), 10)
	Must(t, err)
	wantTop := []news.AudienceTop{{ArticleID: a.ID, Headline: a.Headline, Views: 7}, {ArticleID: b.ID, Headline: b.Headline, Views: 4}}
	if diff := cmp.Diff(wantTop, top); diff != "" {
		t.Errorf("top read, drafts left out (-want +got):\n%s", diff)
	}
	reads, err := st.SiteReads(ctx, minute.Add(-5*time.Minute))
	Must(t, err)
	if reads != 61 {
		t.Errorf("site reads = %d, want 61", reads)
	}
	perMinute, err := st.ReadsPerMinute(ctx, a.ID, minute.Add(-59*time.Minute))
	Must(t, err)
	wantMinutes := []news.Bucket{{Start: minute.Add(-2 * time.Minute).UTC(), Count: 2}, {Start: minute.UTC(), Count: 5}}
	if diff := cmp.Diff(wantMinutes, perMinute); diff != "" {
		t.Errorf("reads per minute (-want +got):\n%s", diff)
	}
	perHour, err := st.ReadsPerHour(ctx, a.ID, minute.Add(-24*time.Hour))
	Must(t, err)
	var total int64
	for _, b := range perHour {
		total += b.Count
		if !b.Start.Equal(b.Start.Truncate(time.Hour)) {
			t.Errorf("hour bucket starts at %v", b.Start)
		}
	}
	if total != 12 {
		t.Errorf("reads per hour add up to %d, want 12 (%+v)", total, perHour)
	}
	sources, err := st.ReadSources(ctx, a.ID, minute.Add(-24*time.Hour))
	Must(t, err)
	if diff := cmp.Diff(map[string]int64{news.SourceSearch: 9, news.SourceDirect: 1, news.SourceSocial: 2}, sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}

	reader := MustCreateAccount(t, st, "reader@jikji.example")
	MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: reader.ID, CreatedAt: T0})
	MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: reader.ID, CreatedAt: T0.Add(time.Minute)})
	MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: reader.ID, CreatedAt: T0.Add(-3 * time.Hour)})
	MustCreateComment(t, st, news.Comment{ArticleID: a.ID, AuthorID: reader.ID, CreatedAt: T0, State: news.CommentDeleted})
	comments, err := st.CommentsPerHour(ctx, a.ID, T0.Add(-24*time.Hour))
	Must(t, err)
	hour := T0.Truncate(time.Hour).UTC()
	wantComments := []news.Bucket{{Start: hour.Add(-3 * time.Hour), Count: 1}, {Start: hour, Count: 2}}
	if diff := cmp.Diff(wantComments, comments); diff != "" {
		t.Errorf("comments per hour (-want +got):\n%s", diff)
	}

	Must(t, st.PruneAudience(ctx, minute.Add(-time.Minute), minute.Add(-time.Hour)))
	perMinute, err = st.ReadsPerMinute(ctx, a.ID, minute.Add(-3*time.Hour))
	Must(t, err)
	if len(perMinute) != 1 {
		t.Errorf("minute buckets after pruning = %+v, want only the current minute", perMinute)
	}

	Must(t, st.SetNodeStreams(ctx, "a", 10, T0))
	Must(t, st.SetNodeStreams(ctx, "b", 5, T0))
	Must(t, st.SetNodeStreams(ctx, "a", 7, T0.Add(time.Second)))
	Must(t, st.SetNodeStreams(ctx, "old", 100, T0.Add(-time.Hour)))
	n, err := st.OpenStreams(ctx, T0.Add(-20*time.Second))
	Must(t, err)
	if n != 12 {
		t.Errorf("open streams = %d, want 12 (nodes not heard from lately left out)", n)
	}
}
