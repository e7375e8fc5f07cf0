package news

import "time"

// Label marks an article, such as 속보 (breaking) or 단독 (exclusive). The
// newsroom can add more.
type Label struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Built-in label codes.
const (
	LabelBreaking  = "breaking"
	LabelExclusive = "exclusive"
)

// Section is a desk of the paper (경제, 사회, …).
type Section struct {
	ID       int64
	Slug     string
	Name     string
	Position int
}

// Reporter is a journalist with a public profile.
type Reporter struct {
	ID    int64
	Name  string
	Role  string // 기자, 특파원, 선임기자 …
	Email string
	Bio   string
}

// Block types of an article body.
const (
	BlockParagraph  = "paragraph"
	BlockIntertitle = "intertitle"
	BlockPhoto      = "photo"
	BlockQuote      = "quote"
	BlockList       = "list"
)

// Block is one element of an article body, in order.
type Block struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"` // paragraph, intertitle and quote
	// Items of a list, each in inline markup; Ordered lists are numbered.
	Items   []string `json:"items,omitempty"`
	Ordered bool     `json:"ordered,omitempty"`
	// Cite names who is quoted, for quotes.
	Cite string `json:"cite,omitempty"`
	// Photos of a figure: one photo, or several sharing one caption.
	Photos  []FigurePhoto `json:"photos,omitempty"`
	Caption string        `json:"caption,omitempty"`
	Credit  string        `json:"credit,omitempty"`
}

// FigurePhoto is a photo as placed in a figure.
type FigurePhoto struct {
	PhotoID int64  `json:"photo_id"`
	Alt     string `json:"alt"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	// Widths lists the stored variants, smallest first, for srcset.
	Widths []int `json:"widths,omitempty"`
}

// Photo is an uploaded (or generated) image with its required caption,
// credit and alternative text. Its bytes live in the store as variants of
// several widths, so every node can serve them.
type Photo struct {
	ID          int64
	Caption     string
	Credit      string
	Alt         string
	Width       int // of the largest variant
	Height      int
	ContentType string // image/jpeg or image/png
	CreatedAt   time.Time
}

// PhotoVariant is a photo re-encoded at one width.
type PhotoVariant struct {
	PhotoID     int64
	Width       int
	Height      int
	ContentType string
	Data        []byte
}

// Byline credits a reporter on an article: "샌프란시스코= 이서희 특파원".
type Byline struct {
	ReporterID int64  `json:"reporter_id"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	Dateline   string `json:"dateline"`
}

// PrintPlacement is where the story ran in the print edition.
type PrintPlacement struct {
	Date string `json:"date"` // YYYY-MM-DD
	Page int    `json:"page"`
}

// SourceNotice credits syndicated or partner content: the publisher's slogan
// and copyright line.
type SourceNotice struct {
	Slogan    string `json:"slogan"`
	Copyright string `json:"copyright"`
}

// Article states.
const (
	StateDraft       = "draft"
	StateSubmitted   = "submitted"
	StateScheduled   = "scheduled"
	StatePublished   = "published"
	StateUnpublished = "unpublished"
)

// Article is a news story.
type Article struct {
	ID          int64
	Section     Section
	Labels      []Label
	Headline    string
	Deck        []string
	Body        string  // the markup the newsroom types
	Blocks      []Block // Body parsed, with photos resolved
	Bylines     []Byline
	State       string
	PublishedAt time.Time
	UpdatedAt   time.Time // zero until edited after publishing
	Print       *PrintPlacement
	Source      *SourceNotice
	// CorrectionNote is the public note of the latest correction, if any.
	CorrectionNote string
	CommentsOpen   bool
	CommentCount   int64
	// Keywords are the story's tags, shown under it and listed at
	// /tags/{slug}; KeywordSlug gives each one's slug.
	Keywords  []string
	CreatedAt time.Time
	Version   int64 // bumped on every save; the ETag of the newsroom API
}

// HasLabel reports whether the article carries the label code.
func (a *Article) HasLabel(code string) bool {
	for _, l := range a.Labels {
		if l.Code == code {
			return true
		}
	}
	return false
}

// LeadPhoto returns the first photo of the body; its PhotoID is 0 if the
// article has none.
func (a *Article) LeadPhoto() FigurePhoto {
	for _, b := range a.Blocks {
		if b.Type == BlockPhoto && len(b.Photos) > 0 {
			return b.Photos[0]
		}
	}
	return FigurePhoto{}
}

// Summary returns the first deck line, or the start of the first paragraph.
func (a *Article) Summary() string {
	if len(a.Deck) > 0 {
		return a.Deck[0]
	}
	for _, b := range a.Blocks {
		if b.Type == BlockParagraph {
			t := InlineText(b.Text)
			r := []rune(t)
			if len(r) > 120 {
				return string(r[:120]) + "…"
			}
			return t
		}
	}
	return ""
}

// ArticleFilter selects published articles for lists, newest first.
type ArticleFilter struct {
	SectionID  int64
	ReporterID int64
	Label      string
	// Before is the keyset cursor: only articles older than this position.
	Before *Position
	Limit  int
	// Now excludes articles scheduled for later.
	Now time.Time
}

// Position is a point in the newest-first order of articles.
type Position struct {
	PublishedAt time.Time
	ID          int64
}

// Site holds the paper's settings, including the footer Korean internet
// newspapers must show.
type Site struct {
	Name               string
	Slogan             string
	Description        string
	RegistrationNumber string // 등록번호
	RegistrationDate   string // 등록일
	Publisher          string // 발행인
	Editor             string // 편집인
	YouthProtection    string // 청소년보호책임자
	Address            string
	Phone              string
	Email              string
	Copyright          string
	PrivacyPolicy      string // the privacy-policy page's text, paragraphs split by blank lines
}
