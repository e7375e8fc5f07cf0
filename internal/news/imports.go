package news

import (
	"context"
	"strconv"
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

// ImportedComment is a comment of another site; replies name their parent
// by its source id. Its author is AuthorID, or if that is 0 the imported
// commenter known by AuthorKey in the source, made (named AuthorName) if
// there is none yet.
type ImportedComment struct {
	SourceID       string
	ParentSourceID string
	AuthorID       int64
	AuthorKey      string
	AuthorName     string
	Body           string
	CreatedAt      time.Time
}

// ImportedPhoto is an image of another site with its variants, as it is to
// be stored, and its old links (whose empty Target becomes the URL of its
// largest variant).
type ImportedPhoto struct {
	Source    string
	SourceID  string
	Photo     Photo
	Variants  []PhotoVariant
	Redirects []Redirect
}

// PhotoPath is the URL path of a photo's variant of that width.
func PhotoPath(photoID int64, width int) string {
	return "/photos/" + strconv.FormatInt(photoID, 10) + "/" + strconv.Itoa(width) + ".jpg"
}

// Import outcomes of one article.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportResult is what ImportArticles did with one article.
type ImportResult struct {
	Outcome    string // ImportCreated, ImportUpdated or ImportUnchanged
	Comments   int    // comments added
	Commenters int    // imported commenters made
}

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
	// redirect saved. It returns one result per article. On any error
	// nothing of the batch is written. Returns EINVALID if a section,
	// reporter or commenter does not exist.
	ImportArticles(ctx context.Context, batch []ImportedArticle) ([]ImportResult, error)
	// ImportPhotos stores photos in one transaction, each with its variants,
	// its source id and its old links, and sets each Photo.ID.
	ImportPhotos(ctx context.Context, photos []ImportedPhoto) error
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

// KeywordArticles returns the published articles carrying the keyword with
// that slug, newest first, and the keyword as the newest of them writes it.
// Returns ENOTFOUND for a keyword no published article carries.
func (s *Service) KeywordArticles(ctx context.Context, slug string, before *Position) (string, []Article, *Position, error) {
	slug = KeywordSlug(slug)
	if slug == "" {
		return "", nil, nil, Errorf(ENOTFOUND, "없는 키워드입니다.")
	}
	list, next, err := s.store.KeywordArticles(ctx, slug, ArticleFilter{Now: s.Now(), Before: before, Limit: 20})
	if err != nil {
		return "", nil, nil, err
	}
	if len(list) == 0 {
		return "", nil, nil, Errorf(ENOTFOUND, "없는 키워드입니다.")
	}
	name := slug
	for _, k := range list[0].Keywords {
		if KeywordSlug(k) == slug {
			name = k
		}
	}
	for i := range list {
		if err := s.maskTakenDown(ctx, &list[i]); err != nil {
			return "", nil, nil, err
		}
	}
	return name, list, next, nil
}

// OldLink returns where an old link of the site's former platform now
// leads. path is the request's path, and for links by query the path
// with that query ("/?p=12"). A trailing slash does not matter, and an
// image size WordPress made ("photo-300x200.jpg") leads where its original
// does. Returns ENOTFOUND for a path that is no old link.
func (s *Service) OldLink(ctx context.Context, path string) (string, error) {
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	if path == "" || len(path) > 2000 {
		return "", Errorf(ENOTFOUND, "없는 주소입니다.")
	}
	target, err := s.store.RedirectTarget(ctx, path)
	if IsNotFound(err) && strings.Contains(path, "/wp-content/uploads/") {
		if original, ok := StripImageSize(path); ok {
			target, err = s.store.RedirectTarget(ctx, original)
		}
	}
	return target, err
}

// StripImageSize turns the name of a size WordPress made of an image
// ("a/photo-300x200.jpg") into its original's ("a/photo.jpg").
func StripImageSize(p string) (string, bool) {
	dot := strings.LastIndexByte(p, '.')
	if dot < 0 || strings.ContainsRune(p[dot:], '/') {
		return "", false
	}
	stem := p[:dot]
	dash := strings.LastIndexByte(stem, '-')
	if dash < 0 {
		return "", false
	}
	w, h, ok := strings.Cut(stem[dash+1:], "x")
	if !ok || !allDigits(w) || !allDigits(h) {
		return "", false
	}
	return stem[:dash] + p[dot:], true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
