package news

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Windows of the rankings.
const (
	// MostViewedWindow is how far back 많이 본 뉴스 counts page views.
	MostViewedWindow = 24 * time.Hour
	// MostCommentedWindow is how far back 댓글 많은 뉴스 counts comments.
	MostCommentedWindow = 72 * time.Hour
	// pageViewRetention is how long hourly view buckets are kept.
	pageViewRetention = 8 * 24 * time.Hour
	// MaxSearchOffset bounds how deep search results can be paged.
	MaxSearchOffset = 1000
)

// SearchBody is the text of an article the search index holds besides the
// headline: the deck, the body's paragraphs, intertitles, quotes and photo
// captions, the bylines' names and the keywords, one per line.
func (a *Article) SearchBody() string {
	var b strings.Builder
	line := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	for _, d := range a.Deck {
		line(d)
	}
	for _, bl := range a.Blocks {
		line(InlineText(bl.Text))
		for _, it := range bl.Items {
			line(InlineText(it))
		}
		line(bl.Cite)
		line(bl.Caption)
	}
	for _, by := range a.Bylines {
		line(by.Name)
	}
	for _, k := range a.Keywords {
		line(k)
	}
	return b.String()
}

// PlainText is what a reader reads of an article below its headline: the
// deck and the body's text blocks, for search snippets and feed summaries.
func (a *Article) PlainText() string {
	var b strings.Builder
	for _, d := range a.Deck {
		b.WriteString(d)
		b.WriteByte('\n')
	}
	for _, bl := range a.Blocks {
		if bl.Text != "" {
			b.WriteString(InlineText(bl.Text))
			b.WriteByte('\n')
		}
		for _, it := range bl.Items {
			b.WriteString(InlineText(it))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// ParseKSTDate parses a date typed as YYYY-MM-DD and returns the start of
// that day in KST. Returns EINVALID for anything else.
func ParseKSTDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), KST)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "날짜는 2024-03-18 형식으로 입력해주세요.")
	}
	return t, nil
}

// Search finds published articles matching every term of q, in q.Sort's
// order. The limit is clamped to 1–100 (20 by default). Returns EINVALID
// for a negative offset, an unknown order or a date range that ends before
// it starts; an offset beyond MaxSearchOffset finds nothing more.
func (s *Service) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	if q.Offset < 0 {
		return SearchResult{}, Errorf(EINVALID, "잘못된 페이지 위치입니다.")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return SearchResult{}, Errorf(EINVALID, "검색 기간의 끝이 시작보다 앞설 수 없습니다.")
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
	case SortRelevance, SortNewest:
	default:
		return SearchResult{}, Errorf(EINVALID, "정렬은 relevance(정확도순) 또는 newest(최신순)만 쓸 수 있습니다.")
	}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 100)
	if len(q.Terms) == 0 || q.Offset > MaxSearchOffset {
		return SearchResult{}, nil
	}
	q.Now = s.Now()
	res, err := s.store.SearchArticles(ctx, q)
	if err != nil {
		return SearchResult{}, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// RelatedArticles returns up to limit published articles whose headlines
// share terms with a's, those of its section first.
func (s *Service) RelatedArticles(ctx context.Context, a *Article, limit int) ([]Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	list, err := s.store.RelatedArticles(ctx, RelatedQuery{
		ArticleID: a.ID, SectionID: a.Section.ID, Headline: a.Headline, Limit: limit, Now: s.Now(),
	})
	if err != nil {
		return nil, fmt.Errorf("related articles of %d: %w", a.ID, err)
	}
	return list, nil
}

// Rankings are the home page's and /ranking's lists.
type Rankings struct {
	// MostViewed is 많이 본 뉴스: page views of the last MostViewedWindow.
	MostViewed []RankedArticle
	// MostCommented is 댓글 많은 뉴스: comments of the last MostCommentedWindow.
	MostCommented []RankedArticle
}

// Rankings returns the top limit of each ranking.
func (s *Service) Rankings(ctx context.Context, limit int) (Rankings, error) {
	now := s.Now()
	var r Rankings
	var err error
	if r.MostViewed, err = s.store.MostViewed(ctx, now.Add(-MostViewedWindow), now, limit); err != nil {
		return Rankings{}, fmt.Errorf("most viewed: %w", err)
	}
	if r.MostCommented, err = s.store.MostCommented(ctx, now.Add(-MostCommentedWindow), now, limit); err != nil {
		return Rankings{}, fmt.Errorf("most commented: %w", err)
	}
	return r, nil
}

// RecentArticles returns up to max published articles published from since
// on, newest first (for the Google News sitemap).
func (s *Service) RecentArticles(ctx context.Context, since time.Time, max int) ([]Article, error) {
	var out []Article
	f := ArticleFilter{Now: s.Now(), Limit: 100}
	for len(out) < max {
		list, next, err := s.store.PublishedArticles(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if a.PublishedAt.Before(since) || len(out) == max {
				return out, nil
			}
			out = append(out, a)
		}
		if next == nil {
			break
		}
		f.Before = next
	}
	return out, nil
}

// SitemapPages lists the pages of the article sitemap.
func (s *Service) SitemapPages(ctx context.Context, size int) ([]SitemapPage, error) {
	return s.store.SitemapPages(ctx, s.Now(), size)
}

// SitemapArticles lists the articles of one sitemap page.
func (s *Service) SitemapArticles(ctx context.Context, page, size int) ([]SitemapEntry, error) {
	return s.store.SitemapArticles(ctx, s.Now(), page, size)
}

// Reindex rebuilds the search index of every article (all) or of those
// missing from it, and reports how many it indexed.
// Progress, if not nil, is called as batches are done.
func (s *Service) Reindex(ctx context.Context, all bool, progress func(done, total int)) (int, error) {
	n, err := s.store.ReindexArticles(ctx, all, progress)
	if err != nil {
		return n, fmt.Errorf("reindex: %w", err)
	}
	if n > 0 {
		s.changed(0, true)
	}
	return n, nil
}

// pageViewKey is one article's bucket of one hour.
type pageViewKey struct {
	articleID int64
	hour      int64 // Unix seconds of the hour's start
}

// PageViews counts article page views in memory and writes them to the
// store in batches, so that reading an article never waits for a write.
// Only the article and the hour are kept, never who read it.
type PageViews struct {
	store DiscoveryStore
	now   Clock

	mu     sync.Mutex
	counts map[pageViewKey]int64
}

func newPageViews(store DiscoveryStore, now Clock) *PageViews {
	return &PageViews{store: store, now: now, counts: map[pageViewKey]int64{}}
}

// Count records one view of an article. It never blocks on the store.
func (p *PageViews) Count(articleID int64) {
	hour := p.now().Truncate(time.Hour).Unix()
	p.mu.Lock()
	p.counts[pageViewKey{articleID, hour}]++
	p.mu.Unlock()
}

// Flush writes the views counted since the last flush. If the store fails,
// the views are kept for the next flush.
func (p *PageViews) Flush(ctx context.Context) error {
	p.mu.Lock()
	if len(p.counts) == 0 {
		p.mu.Unlock()
		return nil
	}
	batch := p.counts
	p.counts = map[pageViewKey]int64{}
	p.mu.Unlock()
	views := make([]PageViewCount, 0, len(batch))
	for k, n := range batch {
		views = append(views, PageViewCount{ArticleID: k.articleID, Hour: time.Unix(k.hour, 0).UTC(), Views: n})
	}
	if err := p.store.AddPageViews(ctx, views); err != nil {
		p.mu.Lock()
		for k, n := range batch {
			p.counts[k] += n
		}
		p.mu.Unlock()
		return fmt.Errorf("flush page views: %w", err)
	}
	return nil
}

// Run flushes every interval and prunes old buckets every hour until ctx
// ends, then flushes once more.
func (p *PageViews) Run(ctx context.Context, every time.Duration, onError func(error)) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := p.Flush(context.WithoutCancel(ctx)); err != nil {
				onError(err)
			}
			return
		case <-ticker.C:
			if err := p.Flush(ctx); err != nil {
				onError(err)
			}
		case <-prune.C:
			if err := p.store.PrunePageViews(ctx, p.now().Add(-pageViewRetention)); err != nil {
				onError(err)
			}
		}
	}
}
