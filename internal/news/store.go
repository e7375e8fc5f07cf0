package news

import (
	"context"
	"time"
)

// Store persists the domain. Business rules live in Service; a Store only
// keeps data and its invariants (unique keys, counters kept exact in the same
// transaction as the rows they count). Every method that finds nothing
// returns an *Error with ENOTFOUND, never a zero value and nil.
type Store interface {
	// ClaimDemo records, once in a site's life, that demo content is being
	// loaded. It reports true to exactly one caller, and only while the site
	// holds no article, even when several nodes start together.
	ClaimDemo(ctx context.Context) (bool, error)

	// Site returns the settings. Returns ENOTFOUND before any were saved.
	Site(ctx context.Context) (Site, error)
	SaveSite(ctx context.Context, s Site) error

	// Sections returns all sections in display order.
	Sections(ctx context.Context) ([]Section, error)
	// SectionBySlug returns ENOTFOUND for an unknown slug.
	SectionBySlug(ctx context.Context, slug string) (Section, error)
	// CreateSection returns ECONFLICT if the slug is taken.
	CreateSection(ctx context.Context, s *Section) error

	// Labels returns every label the newsroom may use.
	Labels(ctx context.Context) ([]Label, error)
	// CreateLabel returns ECONFLICT if the code is taken.
	CreateLabel(ctx context.Context, l Label) error

	CreateReporter(ctx context.Context, r *Reporter) error
	// Reporter returns ENOTFOUND for an unknown id.
	Reporter(ctx context.Context, id int64) (Reporter, error)
	Reporters(ctx context.Context) ([]Reporter, error)

	// CreatePhoto stores a photo and its variants and sets p.ID.
	CreatePhoto(ctx context.Context, p *Photo, variants []PhotoVariant) error
	// Photo returns ENOTFOUND for an unknown id.
	Photo(ctx context.Context, id int64) (Photo, error)
	// PhotoVariant returns the variant of exactly that width, or ENOTFOUND.
	PhotoVariant(ctx context.Context, photoID int64, width int) (PhotoVariant, error)
	// PhotoWidths lists the widths stored for a photo, smallest first.
	PhotoWidths(ctx context.Context, photoID int64) ([]int, error)

	// CreateArticle stores a new article and sets a.ID and a.Version.
	// Returns EINVALID if its section or a byline's reporter does not exist.
	CreateArticle(ctx context.Context, a *Article) error
	// Article returns ENOTFOUND for an unknown id, whatever its state.
	Article(ctx context.Context, id int64) (Article, error)
	// PublishedArticles returns published articles matching f, newest first,
	// and the position to continue from (nil at the end).
	PublishedArticles(ctx context.Context, f ArticleFilter) ([]Article, *Position, error)
}

// Clock returns the current time; tests inject their own.
type Clock func() time.Time
