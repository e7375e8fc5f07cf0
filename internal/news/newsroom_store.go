package news

import (
	"context"
	"time"
)

// Revision actions: what a save did.
const (
	ActionCreate    = "create"
	ActionSave      = "save"
	ActionSubmit    = "submit"
	ActionPublish   = "publish"
	ActionSchedule  = "schedule"
	ActionReturn    = "return"
	ActionUnpublish = "unpublish"
)

// Revision is one saved state of an article. Every save keeps one, so the
// desk can see who changed what, and readers can see how a published story
// was corrected.
type Revision struct {
	ID        int64
	ArticleID int64
	// Version is the article's version after this save.
	Version int64
	Action  string
	// State is the article's state after this save.
	State string
	// Public is true when the article was published (or scheduled) after
	// this save: only public revisions appear on the revisions page.
	Public         bool
	Headline       string
	Deck           []string
	Body           string
	CorrectionNote string
	// Note is the desk's note, such as why a draft was returned.
	Note      string
	AccountID int64
	// AccountName is filled in when revisions are read.
	AccountName string
	CreatedAt   time.Time
}

// NewsroomQuery selects articles for the newsroom's lists, newest created
// first.
type NewsroomQuery struct {
	// State is one of the article states or "" for all. StateScheduled
	// means published with a time after Now; StatePublished means published
	// at or before Now.
	State string
	Now   time.Time
	// Search keeps articles whose text holds every term of it: SearchTerms
	// (the search package's analysis of Search) through the search index
	// for the stories in it, the newest newsroomIndexMatches of them;
	// SearchWords, each contained in the headline or body, for the others
	// (drafts, submitted, unpublished and taken-down stories). A Search
	// without terms finds nothing.
	Search      string
	SearchTerms []SearchTerm
	SearchWords []string
	// BeforeID is the keyset cursor: only articles with a smaller id.
	BeforeID int64
	Limit    int
}

// NewsroomIndexMatches bounds how many published stories the newsroom's
// search takes from the search index, newest first.
const NewsroomIndexMatches = 1000

// APIToken is a personal token for the newsroom API. The store keeps only
// the hash of the token, which is shown once when issued.
type APIToken struct {
	ID        int64
	AccountID int64
	// AccountName and AccountEmail are filled in when tokens are read.
	AccountName  string
	AccountEmail string
	Name         string
	TokenHash    string
	CreatedAt    time.Time
	RevokedAt    time.Time // zero while the token works
}

// FrontTop is the front-page slot of the top stories; the other slots are
// section ids (their leads).
const FrontTop int64 = 0

// NewsroomStore persists the desk's work: revisions, lists by state, front
// page picks, staff and API tokens.
type NewsroomStore interface {
	// CreateDraft stores a new article and its first revision in one
	// transaction, and sets a.ID, a.Version, rev.ID, rev.ArticleID and
	// rev.Version. Returns EINVALID if its section or a byline's reporter
	// does not exist.
	CreateDraft(ctx context.Context, a *Article, rev *Revision) error
	// UpdateArticle saves every field of a (but its comment count and
	// creation time) if the stored version is still version, sets a.Version
	// to version+1 and appends revs (each with that version) in the same
	// transaction. Returns ENOTFOUND for an unknown article, EPRECONDITION
	// if the version changed meanwhile, and EINVALID for an unknown section
	// or reporter.
	UpdateArticle(ctx context.Context, a *Article, version int64, revs []Revision) error
	// Revisions returns an article's revisions, oldest first (none for an
	// unknown article).
	Revisions(ctx context.Context, articleID int64) ([]Revision, error)
	// NewsroomArticles returns articles in any state matching q, newest
	// created first, and the id to continue before (0 at the end).
	NewsroomArticles(ctx context.Context, q NewsroomQuery) ([]Article, int64, error)
	// DueArticles returns the ids of published articles whose publication
	// time is after after and at or before upTo: scheduled stories that
	// have just gone live.
	DueArticles(ctx context.Context, after, upTo time.Time) ([]int64, error)

	// FrontPicks returns the editors' picks of every front-page slot (FrontTop
	// or a section id), each in order.
	FrontPicks(ctx context.Context) (map[int64][]int64, error)
	// SetFrontPicks replaces the picks of one slot. Returns EINVALID for an
	// unknown article.
	SetFrontPicks(ctx context.Context, slot int64, articleIDs []int64) error

	// StaffAccounts returns live accounts whose role is not reader, by id.
	StaffAccounts(ctx context.Context) ([]Account, error)
	// CreateAPIToken stores t and sets t.ID. Returns EINVALID for an
	// unknown account.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokens returns every token, newest first, revoked ones included.
	APITokens(ctx context.Context) ([]APIToken, error)
	// RevokeAPIToken marks a token revoked at the given time; revoking a
	// revoked token changes nothing. Returns ENOTFOUND for an unknown id.
	RevokeAPIToken(ctx context.Context, id int64, at time.Time) error
	// APITokenAccount returns the live account of a token that is not
	// revoked. Returns ENOTFOUND otherwise.
	APITokenAccount(ctx context.Context, tokenHash string) (Account, error)
}
