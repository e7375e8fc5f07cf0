package news

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// RoleImported is the role of a commenter brought over from another site:
// shown by name and marked as imported, never able to log in.
const RoleImported = "imported"

// ImportedMark is how an imported commenter's name is marked.
const ImportedMark = "가져온 댓글"

// Kinds of item an import keeps the source ids of.
const (
	SourcePost       = "post"
	SourceAttachment = "attachment"
	SourceAuthor     = "author"
	SourceComment    = "comment"
	SourceCommenter  = "commenter"
)

// MaxKeywords bounds the keywords of one article.
const MaxKeywords = 50

// KeywordSlug is the URL form of a keyword: lower-cased, with runs of
// anything but letters and digits turned into one hyphen. Hangul stays
// as it is, so /tags/서울시 reads as it is written.
func KeywordSlug(keyword string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(keyword) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return b.String()
}

// CleanKeywords trims keywords and drops empty ones and those whose slug
// repeats an earlier one, keeping at most MaxKeywords.
func CleanKeywords(keywords []string) []string {
	out := make([]string, 0, len(keywords))
	seen := make(map[string]bool, len(keywords))
	for _, k := range keywords {
		k = strings.Join(strings.Fields(k), " ")
		slug := KeywordSlug(k)
		if slug == "" || seen[slug] {
			continue
		}
		seen[slug] = true
		out = append(out, k)
		if len(out) == MaxKeywords {
			break
		}
	}
	return out
}

// Redirect sends an old URL to where its content now lives. Path is the
// URL's decoded path without a trailing slash ("/2024/03/18/서울"), or
// "/?p=123" and "/?page_id=123" for WordPress's query links. Target is a
// path of this site.
type Redirect struct {
	Path   string
	Target string
}

// ImportSource records what an import made of one item of a source site,
// so that importing the same or a newer export again adds only what is new
// and updates only what changed.
type ImportSource struct {
	Source   string // the source site, its base URL
	Kind     string // SourcePost, SourceAttachment, …
	SourceID string
	TargetID int64
	Checksum string
}

// ImportedArticle is a post of another site as it is to be stored.
type ImportedArticle struct {
	Source   string
	SourceID string
	// Checksum changes whenever anything imported from the post changes.
	Checksum string
	Article  Article
	Comments []ImportedComment
	// Redirects with an empty Target lead to the article's page.
	Redirects []Redirect
}

// ImportedComment is a comment of another site. Its author is an imported
// commenter's account; replies name their parent by its source id.
type ImportedComment struct {
	SourceID       string
	ParentSourceID string
	AuthorID       int64
	Body           string
	CreatedAt      time.Time
}

// Import outcomes of one article.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportStore keeps what imports from other sites need: where each item
// went, the old links, and keywords.
type ImportStore interface {
	// ImportSource returns what the item became. Returns ENOTFOUND if it
	// was never imported.
	ImportSource(ctx context.Context, source, kind, sourceID string) (ImportSource, error)
	// SaveImportSource records what an item became, replacing any record
	// of the same item.
	SaveImportSource(ctx context.Context, src ImportSource) error
	// ImportArticles stores a batch of imported articles in one
	// transaction: an article not imported before is created; one imported
	// before with another checksum has its fields, bylines and keywords
	// replaced; one with the same checksum is left alone. Comments not
	// imported before are added in either case (a reply after its parent),
	// and the counts kept exact. Each article's ID is set, and each
	// redirect saved. It returns one outcome per article (ImportCreated,
	// ImportUpdated or ImportUnchanged). On any error nothing of the batch
	// is written. Returns EINVALID if a section, reporter or commenter
	// does not exist.
	ImportArticles(ctx context.Context, batch []ImportedArticle) ([]string, error)
	// SaveRedirects records old links, replacing the target of a path
	// already known.
	SaveRedirects(ctx context.Context, redirects []Redirect) error
	// RedirectTarget returns where an old path now lives. Returns ENOTFOUND
	// for a path that is not an old link.
	RedirectTarget(ctx context.Context, path string) (string, error)
	// KeywordArticles returns published articles carrying the keyword with
	// that slug, newest first, as PublishedArticles does.
	KeywordArticles(ctx context.Context, slug string, f ArticleFilter) ([]Article, *Position, error)
}

// ImportedCommenter returns a new account for a commenter of another site:
// no e-mail, no password, role RoleImported.
func ImportedCommenter(name string, at time.Time) Account {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "익명"
	}
	return Account{DisplayName: name, Role: RoleImported, CreatedAt: at}
}
