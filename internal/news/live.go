package news

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Live event kinds: what an open page is told.
const (
	// LiveComment: a new visible comment on the article.
	LiveComment = "comment"
	// LiveCounts: the article's comment and reaction counts changed.
	LiveCounts = "counts"
	// LiveUpdateEvent: a live update was posted, corrected or deleted, or
	// the coverage started or ended.
	LiveUpdateEvent = "update"
	// LiveBreaking: a 속보 story was published (sent to every page).
	LiveBreaking = "breaking"
)

// LiveEvent is one event for open pages. Its ID orders every event of the
// site; a browser that saw ID n resumes with the events after n.
type LiveEvent struct {
	ID int64
	// ArticleID is the article whose page shows the event, or 0 for an
	// event every page shows.
	ArticleID int64
	Kind      string
	// Data is the event's JSON.
	Data      []byte
	CreatedAt time.Time
}

// Coverage is an article's live coverage (라이브).
type Coverage struct {
	ArticleID int64
	// Live is true while the coverage runs.
	Live      bool
	StartedAt time.Time
	EndedAt   time.Time // zero while live
}

// LiveUpdate is one short, timestamped update of a live story.
type LiveUpdate struct {
	ID        int64
	ArticleID int64
	AuthorID  int64
	// AuthorName is the reporter's name as shown beside the update.
	AuthorName  string
	Body        string
	Quote       string
	QuoteSource string
	// PhotoID is 0 for an update without a photo. Photo is filled from it
	// for pages.
	PhotoID int64
	Photo   *Photo
	// PhotoWidths are the photo's stored widths, smallest first.
	PhotoWidths []int
	Pinned      bool
	// PreviousBody is the text before the last correction, shown with it.
	PreviousBody string
	CreatedAt    time.Time
	CorrectedAt  time.Time // zero unless corrected
}

// LiveUpdateInput is what a reporter posts or corrects. Nil fields of a
// correction stay as they were.
type LiveUpdateInput struct {
	Body        *string
	Quote       *string
	QuoteSource *string
	PhotoID     *int64
	Pinned      *bool
}

// Audience sources: where a reader came from, told by the Referer's host
// only.
const (
	SourceSearch   = "search"
	SourceSocial   = "social"
	SourceDirect   = "direct"
	SourceInternal = "internal"
	SourceOther    = "other"
)

// AudienceSources lists the sources in the order pages show them.
var AudienceSources = []string{SourceSearch, SourceSocial, SourceDirect, SourceInternal, SourceOther}

// AudienceCount is a number of reads of an article in one minute from one
// source.
type AudienceCount struct {
	ArticleID int64
	Minute    time.Time
	Source    string
	Views     int64
}

// Bucket is a count over a span of time starting at Start.
type Bucket struct {
	Start time.Time
	Count int64
}

// AudienceTop is an article and its reads over a window.
type AudienceTop struct {
	ArticleID int64
	Headline  string
	Views     int64
}

// LiveStore persists live events, live coverage and the newsroom's
// audience counts.
type LiveStore interface {
	// AppendLiveEvents stores events and gives them ids in commit order:
	// a reader that has seen id n never later finds a new event below n.
	AppendLiveEvents(ctx context.Context, events []LiveEvent) error
	// LiveEventsSince returns up to limit events of every article after id,
	// in id order.
	LiveEventsSince(ctx context.Context, after int64, limit int) ([]LiveEvent, error)
	// ArticleLiveEvents returns up to limit events of the article and of
	// every page (article 0) with after < id <= upTo, in id order.
	ArticleLiveEvents(ctx context.Context, articleID, after, upTo int64, limit int) ([]LiveEvent, error)
	// LastLiveEventID returns the newest event's id, 0 if there is none.
	LastLiveEventID(ctx context.Context) (int64, error)
	// PruneLiveEvents deletes events created before the given time.
	PruneLiveEvents(ctx context.Context, before time.Time) error

	// Coverage returns an article's live coverage. Returns ENOTFOUND if it
	// never had any.
	Coverage(ctx context.Context, articleID int64) (Coverage, error)
	// SetCoverage stores an article's coverage. Returns EINVALID if the
	// article does not exist.
	SetCoverage(ctx context.Context, c Coverage) error
	// CreateLiveUpdate stores u and sets u.ID. Returns EINVALID if the
	// article does not exist.
	CreateLiveUpdate(ctx context.Context, u *LiveUpdate) error
	// LiveUpdate returns ENOTFOUND for an unknown id.
	LiveUpdate(ctx context.Context, id int64) (LiveUpdate, error)
	// SaveLiveUpdate stores the editable fields of u (body, quote, photo,
	// pinned, previous body, corrected at). Returns ENOTFOUND.
	SaveLiveUpdate(ctx context.Context, u LiveUpdate) error
	// DeleteLiveUpdate returns ENOTFOUND for an unknown id.
	DeleteLiveUpdate(ctx context.Context, id int64) error
	// LiveUpdates returns up to limit updates of an article with ids below
	// before (0: from the newest), newest first.
	LiveUpdates(ctx context.Context, articleID, before int64, limit int) ([]LiveUpdate, error)
	// PinnedLiveUpdates returns an article's pinned updates, newest first.
	PinnedLiveUpdates(ctx context.Context, articleID int64) ([]LiveUpdate, error)

	// AddAudience adds counts to the per-minute and per-hour buckets.
	AddAudience(ctx context.Context, counts []AudienceCount) error
	// TopRead returns the published articles read most from since on,
	// most first, with their reads.
	TopRead(ctx context.Context, since time.Time, limit int) ([]AudienceTop, error)
	// SiteReads counts every article's reads from since on.
	SiteReads(ctx context.Context, since time.Time) (int64, error)
	// ReadsPerMinute returns an article's reads in each minute from since
	// on that has any, oldest first.
	ReadsPerMinute(ctx context.Context, articleID int64, since time.Time) ([]Bucket, error)
	// ReadsPerHour returns an article's reads in each hour from since on
	// that has any, oldest first.
	ReadsPerHour(ctx context.Context, articleID int64, since time.Time) ([]Bucket, error)
	// ReadSources returns an article's reads by source from since on.
	ReadSources(ctx context.Context, articleID int64, since time.Time) (map[string]int64, error)
	// CommentsPerHour returns an article's visible comments written in each
	// hour from since on that has any, oldest first.
	CommentsPerHour(ctx context.Context, articleID int64, since time.Time) ([]Bucket, error)
	// PruneAudience deletes minute buckets before minutes and hour buckets
	// before hours.
	PruneAudience(ctx context.Context, minutes, hours time.Time) error
	// SetNodeStreams records how many streams a node holds open at a time.
	SetNodeStreams(ctx context.Context, node string, streams int64, at time.Time) error
	// OpenStreams adds up the streams of the nodes heard from since.
	OpenStreams(ctx context.Context, since time.Time) (int64, error)
}

// LiveListener is implemented by stores that can wake a node as soon as
// another appends live events (PostgreSQL's LISTEN/NOTIFY). Without it,
// nodes find new events by polling.
type LiveListener interface {
	// ListenLiveEvents calls wake after each commit of new events, until
	// ctx ends or the connection fails.
	ListenLiveEvents(ctx context.Context, wake func()) error
}

// OpenLive opens the stream of a page of a public article (0: a page
// without one) after the event lastID its browser saw last (0: a new
// page), with the events it missed and the id to start from. Returns
// ENOTFOUND for an article that is not public, ErrLiveFull when the node
// holds all the streams it may.
func (s *Service) OpenLive(ctx context.Context, articleID, lastID int64) (*LiveStream, []LiveEvent, int64, error) {
	if articleID != 0 {
		if _, err := s.gate(ctx, articleID); err != nil {
			return nil, nil, 0, err
		}
	}
	return s.Live.Open(ctx, articleID, lastID)
}

// liveUpdateMax is how long an update may be: live updates are short.
const liveUpdateMax = 1000

// liveJSONTime is how times travel in events and the API: RFC 3339 in KST.
func liveJSONTime(t time.Time) string { return t.In(KST).Format(time.RFC3339) }

// ReferrerSource classifies a Referer host (lower-case, without port) as
// seen from a site at ownHost. An empty host is a direct visit.
func ReferrerSource(host, ownHost string) string {
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	ownHost = strings.TrimPrefix(strings.ToLower(ownHost), "www.")
	switch {
	case host == "":
		return SourceDirect
	case host == ownHost:
		return SourceInternal
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if host == n || strings.HasSuffix(host, "."+n) {
				return true
			}
		}
		return false
	}
	switch {
	case has("naver.com", "daum.net", "bing.com", "duckduckgo.com", "zum.com", "nate.com", "baidu.com", "yandex.ru", "yandex.com", "ecosia.org", "search.yahoo.com", "search.brave.com"):
		return SourceSearch
	case strings.HasPrefix(host, "google.") || strings.Contains(host, ".google."):
		return SourceSearch
	case has("facebook.com", "fb.com", "t.co", "twitter.com", "x.com", "instagram.com", "threads.net", "kakao.com", "band.us", "youtube.com", "linkedin.com", "reddit.com", "telegram.org", "t.me", "tiktok.com"):
		return SourceSocial
	}
	return SourceOther
}

// liveUpdateJSON is an update as events and the API carry it.
type liveUpdateJSON struct {
	ID           int64  `json:"id"`
	ArticleID    int64  `json:"article_id"`
	Body         string `json:"body"`
	Quote        string `json:"quote,omitempty"`
	QuoteSource  string `json:"quote_source,omitempty"`
	PhotoID      int64  `json:"photo_id,omitempty"`
	Photo        any    `json:"photo,omitempty"`
	Pinned       bool   `json:"pinned"`
	Author       string `json:"author"`
	CreatedAt    string `json:"created_at"`
	CorrectedAt  string `json:"corrected_at,omitempty"`
	PreviousBody string `json:"previous_body,omitempty"`
}

// JSON returns the update as the API and events carry it.
func (u LiveUpdate) JSON() any {
	j := liveUpdateJSON{ID: u.ID, ArticleID: u.ArticleID, Body: u.Body, Quote: u.Quote, QuoteSource: u.QuoteSource,
		PhotoID: u.PhotoID, Pinned: u.Pinned, Author: u.AuthorName, CreatedAt: liveJSONTime(u.CreatedAt), PreviousBody: u.PreviousBody}
	if !u.CorrectedAt.IsZero() {
		j.CorrectedAt = liveJSONTime(u.CorrectedAt)
	}
	if p := u.Photo; p != nil {
		j.Photo = map[string]any{"width": p.Width, "height": p.Height, "alt": p.Alt, "caption": p.Caption, "credit": p.Credit, "widths": u.PhotoWidths}
	}
	return j
}

// PhotoWidth is the stored width an update's photo is shown at: the
// middle one, which suits most screens.
func (u LiveUpdate) PhotoWidth() int {
	if len(u.PhotoWidths) > 0 {
		return u.PhotoWidths[len(u.PhotoWidths)/2]
	}
	if u.Photo != nil {
		return u.Photo.Width
	}
	return 0
}

// PhotoHeight is the photo's height at PhotoWidth.
func (u LiveUpdate) PhotoHeight() int {
	if u.Photo == nil {
		return 0
	}
	return u.Photo.Height * u.PhotoWidth() / max(u.Photo.Width, 1)
}

// SetCoverage starts (live) or ends the live coverage of a published
// story. Ending it leaves the updates in place; the page then reads as a
// normal story. Returns EUNAUTHORIZED, EFORBIDDEN (editors and up only),
// ENOTFOUND for an article that is not public.
func (s *Service) SetCoverage(ctx context.Context, viewer Account, articleID int64, live bool) (Coverage, error) {
	if err := require(viewer, CanPublish); err != nil {
		return Coverage{}, err
	}
	if _, err := s.PublicArticle(ctx, articleID); err != nil {
		return Coverage{}, err
	}
	c, err := s.store.Coverage(ctx, articleID)
	if err != nil && !IsNotFound(err) {
		return Coverage{}, err
	}
	if err == nil && c.Live == live {
		return c, nil
	}
	now := s.Now()
	c.ArticleID, c.Live = articleID, live
	if live {
		c.StartedAt, c.EndedAt = now, time.Time{}
	} else {
		c.EndedAt = now
	}
	if err := s.store.SetCoverage(ctx, c); err != nil {
		return Coverage{}, fmt.Errorf("set coverage of %d: %w", articleID, err)
	}
	s.changed(articleID, true)
	action := "ended"
	if live {
		action = "started"
	}
	s.Live.emit(articleID, LiveUpdateEvent, map[string]any{"action": action, "article_id": articleID})
	return c, nil
}

// Coverage returns an article's live coverage; a story that never had any
// is returned as not live.
func (s *Service) Coverage(ctx context.Context, articleID int64) (Coverage, error) {
	c, err := s.store.Coverage(ctx, articleID)
	if IsNotFound(err) {
		return Coverage{ArticleID: articleID}, nil
	}
	return c, err
}

// validateUpdate applies in to u and checks the result.
func (s *Service) validateUpdate(ctx context.Context, u *LiveUpdate, in LiveUpdateInput) error {
	if in.Body != nil {
		u.Body = strings.TrimSpace(strings.ReplaceAll(*in.Body, "\r\n", "\n"))
	}
	if in.Quote != nil {
		u.Quote = strings.TrimSpace(*in.Quote)
	}
	if in.QuoteSource != nil {
		u.QuoteSource = strings.TrimSpace(*in.QuoteSource)
	}
	if in.PhotoID != nil {
		u.PhotoID = *in.PhotoID
	}
	if in.Pinned != nil {
		u.Pinned = *in.Pinned
	}
	switch {
	case u.Body == "":
		return Errorf(EINVALID, "업데이트 내용을 입력해주세요.")
	case utf8.RuneCountInString(u.Body) > liveUpdateMax:
		return Errorf(EINVALID, "업데이트는 %d자 이내로 입력해주세요.", liveUpdateMax)
	case utf8.RuneCountInString(u.Quote) > liveUpdateMax || utf8.RuneCountInString(u.QuoteSource) > 100:
		return Errorf(EINVALID, "인용문이 너무 깁니다.")
	case u.QuoteSource != "" && u.Quote == "":
		return Errorf(EINVALID, "인용문을 입력해주세요.")
	case u.PhotoID < 0:
		return Errorf(EINVALID, "없는 사진입니다.")
	}
	if u.PhotoID != 0 {
		if _, err := s.store.Photo(ctx, u.PhotoID); IsNotFound(err) {
			return Errorf(EINVALID, "없는 사진(%d)입니다.", u.PhotoID)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// PostLiveUpdate adds an update to a story whose coverage is live; open
// pages show it at once. Returns EUNAUTHORIZED, EFORBIDDEN (reporters and
// up only), ENOTFOUND, ECONFLICT when the story is not live, EINVALID for
// an empty or too long text or an unknown photo.
func (s *Service) PostLiveUpdate(ctx context.Context, viewer Account, articleID int64, in LiveUpdateInput) (LiveUpdate, error) {
	if err := require(viewer, CanWrite); err != nil {
		return LiveUpdate{}, err
	}
	if _, err := s.PublicArticle(ctx, articleID); err != nil {
		return LiveUpdate{}, err
	}
	c, err := s.Coverage(ctx, articleID)
	if err != nil {
		return LiveUpdate{}, err
	}
	if !c.Live {
		return LiveUpdate{}, Errorf(ECONFLICT, "라이브 중인 기사가 아닙니다. 편집자가 먼저 라이브를 시작해야 합니다.")
	}
	u := LiveUpdate{ArticleID: articleID, AuthorID: viewer.ID, AuthorName: viewer.DisplayName, CreatedAt: s.Now()}
	if err := s.validateUpdate(ctx, &u, in); err != nil {
		return LiveUpdate{}, err
	}
	if err := s.store.CreateLiveUpdate(ctx, &u); err != nil {
		return LiveUpdate{}, fmt.Errorf("post live update to %d: %w", articleID, err)
	}
	s.changed(articleID, false)
	s.announceUpdate(ctx, "posted", u)
	return u, nil
}

// liveUpdateOf returns an update of the article. Returns ENOTFOUND.
func (s *Service) liveUpdateOf(ctx context.Context, articleID, updateID int64) (LiveUpdate, error) {
	u, err := s.store.LiveUpdate(ctx, updateID)
	if err == nil && u.ArticleID != articleID {
		err = Errorf(ENOTFOUND, "업데이트를 찾을 수 없습니다.")
	}
	return u, err
}

// EditLiveUpdate corrects or pins an update. A changed text keeps the text
// before it and the time of the correction, both shown. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
func (s *Service) EditLiveUpdate(ctx context.Context, viewer Account, articleID, updateID int64, in LiveUpdateInput) (LiveUpdate, error) {
	if err := require(viewer, CanWrite); err != nil {
		return LiveUpdate{}, err
	}
	u, err := s.liveUpdateOf(ctx, articleID, updateID)
	if err != nil {
		return LiveUpdate{}, err
	}
	before := u.Body
	if err := s.validateUpdate(ctx, &u, in); err != nil {
		return LiveUpdate{}, err
	}
	if u.Body != before {
		u.PreviousBody, u.CorrectedAt = before, s.Now()
	}
	if err := s.store.SaveLiveUpdate(ctx, u); err != nil {
		return LiveUpdate{}, fmt.Errorf("edit live update %d: %w", updateID, err)
	}
	s.changed(articleID, false)
	s.announceUpdate(ctx, "edited", u)
	return u, nil
}

// DeleteLiveUpdate removes an update; open pages drop it. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) DeleteLiveUpdate(ctx context.Context, viewer Account, articleID, updateID int64) error {
	if err := require(viewer, CanWrite); err != nil {
		return err
	}
	if _, err := s.liveUpdateOf(ctx, articleID, updateID); err != nil {
		return err
	}
	if err := s.store.DeleteLiveUpdate(ctx, updateID); err != nil {
		return fmt.Errorf("delete live update %d: %w", updateID, err)
	}
	s.changed(articleID, false)
	s.Live.emit(articleID, LiveUpdateEvent, map[string]any{"action": "deleted", "update": map[string]int64{"id": updateID, "article_id": articleID}})
	return nil
}

// LiveUpdates returns a public story's updates, newest first, up to limit
// (clamped to 1–100) below the id before (0: from the newest), and the id
// to continue from (0 at the end). Returns ENOTFOUND for a story that is
// not public.
func (s *Service) LiveUpdates(ctx context.Context, articleID, before int64, limit int) ([]LiveUpdate, int64, error) {
	if _, err := s.PublicArticle(ctx, articleID); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	list, err := s.store.LiveUpdates(ctx, articleID, before, limit+1)
	if err != nil {
		return nil, 0, fmt.Errorf("live updates of %d: %w", articleID, err)
	}
	var next int64
	if len(list) > limit {
		list = list[:limit]
		next = list[limit-1].ID
	}
	return list, next, s.fillUpdatePhotos(ctx, list)
}

func (s *Service) fillUpdatePhotos(ctx context.Context, list []LiveUpdate) error {
	for i := range list {
		if list[i].PhotoID == 0 {
			continue
		}
		p, err := s.store.Photo(ctx, list[i].PhotoID)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		list[i].Photo = &p
		if list[i].PhotoWidths, err = s.store.PhotoWidths(ctx, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// LiveBlog is what a story's page shows of its live coverage.
type LiveBlog struct {
	Coverage Coverage
	// Pinned updates show first; Updates holds the rest, newest first.
	Pinned  []LiveUpdate
	Updates []LiveUpdate
	// More is true when older updates than those shown exist.
	More bool
}

// liveBlogPage is how many updates a story's page shows.
const liveBlogPage = 50

// LiveBlog returns the coverage and updates of a story, or nil for a
// story that never had live coverage.
func (s *Service) LiveBlog(ctx context.Context, articleID int64) (*LiveBlog, error) {
	c, err := s.store.Coverage(ctx, articleID)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b := &LiveBlog{Coverage: c}
	if b.Pinned, err = s.store.PinnedLiveUpdates(ctx, articleID); err != nil {
		return nil, err
	}
	all, err := s.store.LiveUpdates(ctx, articleID, 0, liveBlogPage+1)
	if err != nil {
		return nil, err
	}
	if len(all) > liveBlogPage {
		all, b.More = all[:liveBlogPage], true
	}
	for _, u := range all {
		if !u.Pinned {
			b.Updates = append(b.Updates, u)
		}
	}
	if err := s.fillUpdatePhotos(ctx, b.Pinned); err != nil {
		return nil, err
	}
	return b, s.fillUpdatePhotos(ctx, b.Updates)
}

// announceUpdate tells open pages of a posted or corrected update, with
// its photo's sizes.
func (s *Service) announceUpdate(ctx context.Context, action string, u LiveUpdate) {
	list := []LiveUpdate{u}
	if err := s.fillUpdatePhotos(ctx, list); err != nil {
		list[0].Photo = nil
	}
	s.Live.emit(u.ArticleID, LiveUpdateEvent, map[string]any{"action": action, "update": list[0].JSON()})
}

// liveCommentJSON is a new comment as an event carries it, in the shape of
// the API's comments.
type liveCommentJSON struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id"`
	ParentID  int64  `json:"parent_id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	Author    struct {
		ID          int64  `json:"id"`
		DisplayName string `json:"display_name"`
	} `json:"author"`
}

// announceComment tells open pages of a new visible comment.
func (s *Service) announceComment(c Comment) {
	if c.State != CommentVisible {
		return
	}
	j := liveCommentJSON{ID: c.ID, ArticleID: c.ArticleID, ParentID: c.ParentID, Body: c.Body, CreatedAt: liveJSONTime(c.CreatedAt)}
	j.Author.ID, j.Author.DisplayName = c.AuthorID, c.AuthorName
	s.Live.emit(c.ArticleID, LiveComment, j)
}

// announceBreaking tells every open page of a 속보 story just published.
func (s *Service) announceBreaking(a Article) {
	if !s.isLive(&a) || !a.HasLabel(LabelBreaking) {
		return
	}
	s.Live.emit(0, LiveBreaking, map[string]any{
		"id": a.ID, "headline": a.Headline, "url": "/articles/" + fmt.Sprint(a.ID), "published_at": liveJSONTime(a.PublishedAt),
	})
}

// liveCounts is the counts event of an article.
func (s *Service) liveCounts(ctx context.Context, articleID int64) ([]byte, error) {
	a, err := s.store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	reactions, err := s.store.ReactionCounts(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"article_id": articleID, "comments": a.CommentCount, "reactions": reactions})
}

// Dashboard is what /newsroom/live shows.
type Dashboard struct {
	Now time.Time
	// OpenStreams are the pages open on every node now; RecentReads the
	// article reads of the last five minutes.
	OpenStreams int64
	RecentReads int64
	Top         []AudienceTop
	// Story is the article looked at closely (0 when there is none).
	Story           AudienceTop
	PerMinute       []Bucket // the last hour, every minute
	PerHour         []Bucket // the last 7 days, every hour
	CommentsPerHour []Bucket // the last 24 hours, every hour
	Sources         map[string]int64
	Reactions       map[string]int64
}

// Windows of the newsroom's live page.
const (
	dashboardRecent = 5 * time.Minute
	streamFreshness = 20 * time.Second
	minuteRetention = 2 * time.Hour
	hourRetention   = 8 * 24 * time.Hour
)

// LiveDashboard gathers the newsroom's view of readers now, and of one
// story when storyID is set (else of the story read most now). Returns
// EUNAUTHORIZED, EFORBIDDEN (staff only), ENOTFOUND for an unknown story.
func (s *Service) LiveDashboard(ctx context.Context, viewer Account, storyID int64) (Dashboard, error) {
	if err := require(viewer, CanWrite); err != nil {
		return Dashboard{}, err
	}
	now := s.Now()
	d := Dashboard{Now: now}
	var err error
	if d.OpenStreams, err = s.store.OpenStreams(ctx, now.Add(-streamFreshness)); err != nil {
		return Dashboard{}, err
	}
	recentFrom := now.Add(-dashboardRecent).Truncate(time.Minute)
	if d.RecentReads, err = s.store.SiteReads(ctx, recentFrom); err != nil {
		return Dashboard{}, err
	}
	if d.Top, err = s.store.TopRead(ctx, recentFrom, 10); err != nil {
		return Dashboard{}, err
	}
	if storyID == 0 {
		if len(d.Top) == 0 {
			return d, nil
		}
		storyID = d.Top[0].ArticleID
	}
	a, err := s.store.Article(ctx, storyID)
	if err != nil {
		return Dashboard{}, err
	}
	d.Story = AudienceTop{ArticleID: a.ID, Headline: a.Headline}
	minuteFrom := now.Truncate(time.Minute).Add(-59 * time.Minute)
	perMinute, err := s.store.ReadsPerMinute(ctx, storyID, minuteFrom)
	if err != nil {
		return Dashboard{}, err
	}
	d.PerMinute = fillBuckets(perMinute, minuteFrom, time.Minute, 60)
	for _, b := range d.PerMinute {
		d.Story.Views += b.Count
	}
	hourFrom := now.Truncate(time.Hour).Add(-167 * time.Hour)
	perHour, err := s.store.ReadsPerHour(ctx, storyID, hourFrom)
	if err != nil {
		return Dashboard{}, err
	}
	d.PerHour = fillBuckets(perHour, hourFrom, time.Hour, 168)
	commentFrom := now.Truncate(time.Hour).Add(-23 * time.Hour)
	comments, err := s.store.CommentsPerHour(ctx, storyID, commentFrom)
	if err != nil {
		return Dashboard{}, err
	}
	d.CommentsPerHour = fillBuckets(comments, commentFrom, time.Hour, 24)
	if d.Sources, err = s.store.ReadSources(ctx, storyID, hourFrom); err != nil {
		return Dashboard{}, err
	}
	if d.Reactions, err = s.store.ReactionCounts(ctx, storyID); err != nil {
		return Dashboard{}, err
	}
	return d, nil
}

// fillBuckets lays sparse buckets on n spans of step from from, with zeros
// where nothing was counted.
func fillBuckets(sparse []Bucket, from time.Time, step time.Duration, n int) []Bucket {
	out := make([]Bucket, n)
	for i := range out {
		out[i].Start = from.Add(time.Duration(i) * step)
	}
	for _, b := range sparse {
		i := int(b.Start.Sub(from) / step)
		if i >= 0 && i < n {
			out[i].Count += b.Count
		}
	}
	return out
}
