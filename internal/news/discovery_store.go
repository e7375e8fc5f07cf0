package news

import (
	"context"
	"time"
)

// DiscoveryStore persists what readers use to find articles: the full-text
// index, page-view counts for the rankings, and the lists feeds and
// sitemaps are built from. The stores keep each article's index entry
// current in the same transaction as every write of the article.
type DiscoveryStore interface {
	// SearchArticles returns the published articles (published_at <= q.Now)
	// that contain every token of q.Tokens, best first: headline matches
	// weigh more than body matches, newer articles break ties. Total counts
	// all matches, not only the page. With no tokens it finds nothing.
	SearchArticles(ctx context.Context, q SearchQuery) (SearchResult, error)
	// RelatedArticles returns published articles other than q.ArticleID that
	// share at least one of q.Terms, those of q.SectionID first, then by how
	// well they match, newer first.
	RelatedArticles(ctx context.Context, q RelatedQuery) ([]Article, error)
	// ReindexArticles rebuilds the search index entries of every article
	// (all) or only of those that have none, and reports how many it wrote.
	ReindexArticles(ctx context.Context, all bool) (int, error)

	// AddPageViews adds the counts to the hourly buckets of their articles.
	// Views of an article that does not exist (any more) are dropped.
	AddPageViews(ctx context.Context, views []PageViewCount) error
	// MostViewed returns the published articles (published_at <= now) with
	// the most views in the buckets from since on, most first.
	MostViewed(ctx context.Context, since, now time.Time, limit int) ([]RankedArticle, error)
	// MostCommented returns the published articles (published_at <= now)
	// with the most visible comments written from since on, most first.
	MostCommented(ctx context.Context, since, now time.Time, limit int) ([]RankedArticle, error)
	// PrunePageViews deletes the buckets of hours before the given time.
	PrunePageViews(ctx context.Context, before time.Time) error

	// SitemapPages groups the published articles (published_at <= now) by
	// id into pages of size ids each: page n holds ids n*size+1 … (n+1)*size.
	// Only pages that hold an article are returned, in order.
	SitemapPages(ctx context.Context, now time.Time, size int) ([]SitemapPage, error)
	// SitemapArticles returns the published articles (published_at <= now)
	// of one page of SitemapPages, by id.
	SitemapArticles(ctx context.Context, now time.Time, page, size int) ([]SitemapEntry, error)
	// PhotoVariantSize returns the length in bytes of one stored variant.
	// Returns ENOTFOUND if there is no such variant.
	PhotoVariantSize(ctx context.Context, photoID int64, width int) (int64, error)
}

// SearchQuery selects published articles containing every token.
type SearchQuery struct {
	// Tokens come from the search package's query parser; the stores
	// match them against their index of the same tokens.
	Tokens    []string
	SectionID int64
	// From and To bound published_at: From <= published_at < To; zero
	// means unbounded.
	From, To time.Time
	Offset   int
	Limit    int
	// Now excludes articles scheduled for later.
	Now time.Time
}

// SearchResult is a page of matches and the number of all matches.
type SearchResult struct {
	Articles []Article
	Total    int
}

// RelatedQuery asks for articles that share terms with one article.
type RelatedQuery struct {
	ArticleID int64
	SectionID int64
	// Headline is the article's headline: an article whose headline shares
	// any of its telling index terms (search.RelatedTerms) is related.
	Headline string
	Limit    int
	Now      time.Time
}

// PageViewCount is the number of views of an article in one hour. No reader
// is identified: neither address nor account is kept.
type PageViewCount struct {
	ArticleID int64
	Hour      time.Time // truncated to the hour
	Views     int64
}

// RankedArticle is an article in a ranking with what it was ranked by.
type RankedArticle struct {
	Article Article
	Count   int64
}

// SitemapPage is one page of the article sitemap.
type SitemapPage struct {
	Page    int
	LastMod time.Time
}

// SitemapEntry is what a sitemap lists of an article.
type SitemapEntry struct {
	ID          int64
	PublishedAt time.Time
	UpdatedAt   time.Time
}
