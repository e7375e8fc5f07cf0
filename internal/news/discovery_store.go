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
	// that match every term of q.Terms, in q.Sort's order: SortNewest by
	// published_at, newest first; SortRelevance ranks the newest
	// RelevanceCandidates matches, those whose headline matches every term
	// first, newest first, then the rest, newest first.
	// Total counts all matches up to MaxSearchTotal and stops there
	// (TotalCapped). It never scores or sorts every match: both orders take
	// the first Offset+Limit from the index. With no terms it finds
	// nothing. An article leaves the results in the same transaction that
	// unpublishes, takes down or deletes it.
	SearchArticles(ctx context.Context, q SearchQuery) (SearchResult, error)
	// RelatedArticles returns published articles other than q.ArticleID whose
	// headline shares at least one of q.Terms: among the newest few hundred
	// such, those of q.SectionID first, newer first.
	RelatedArticles(ctx context.Context, q RelatedQuery) ([]Article, error)
	// ReindexArticles rebuilds the search index entries of every article
	// (all) or only of the findable articles that have none, in short
	// transactions, and reports how many it went through. Progress, if not
	// nil, is called after each transaction with the articles done and to do.
	ReindexArticles(ctx context.Context, all bool, progress func(done, total int)) (int, error)
	// SearchIndexStats reports how many articles the search index holds and
	// the bytes it takes.
	SearchIndexStats(ctx context.Context) (SearchIndexStats, error)

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

// SortRelevance (정확도순) puts stories whose headline holds every term
// above those that hold them in the text only, newer first in each. The
// other order of search results is SortNewest (최신순), by publishing time.
const SortRelevance = "relevance"

// RelevanceCandidates is how many of the newest matches the relevance
// order ranks: every page a reader can reach (MaxSearchOffset and a page
// of 100), so paging is consistent.
const RelevanceCandidates = MaxSearchOffset + 100

// MaxSearchTotal is where search stops counting matches: the page then says
// "10,000건 이상".
const MaxSearchTotal = 10000

// SearchTerm is one word or phrase of a search as index tokens (the search
// package's query parser makes them).
type SearchTerm struct {
	// Tokens occur adjacent and in this order in a matching story.
	Tokens []string
	// Prefix: the last token may be the start of a longer token.
	Prefix bool
	// Phrase is set for a phrase the reader quoted. A store may match a
	// word's tokens in any order when its index answers that without
	// reading the stories; a phrase's always in order.
	Phrase bool
}

// SearchQuery selects published articles matching every term.
type SearchQuery struct {
	Terms []SearchTerm
	// Sort is SortRelevance (also for "") or SortNewest.
	Sort      string
	SectionID int64
	// From and To bound published_at: From <= published_at < To; zero
	// means unbounded.
	From, To time.Time
	Offset   int
	Limit    int
	// Now excludes articles scheduled for later.
	Now time.Time
	// OneCore asks the store to use one core: other searches are waiting,
	// and article pages need the rest. Otherwise a store may spread a
	// search over several to answer sooner.
	OneCore bool
}

// SearchResult is a page of matches and the number of all matches.
type SearchResult struct {
	Articles []Article
	// Total is the number of matches, at most MaxSearchTotal.
	Total int
	// TotalCapped is set when there are more than MaxSearchTotal matches.
	TotalCapped bool
}

// SearchIndexStats is the size of the search index.
type SearchIndexStats struct {
	Articles int64
	Bytes    int64
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
