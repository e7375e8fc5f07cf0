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
	ChangeStore
	ViewerStore
	DiscoveryStore
	NewsroomStore
	ArchiveStore
	ModerationStore
	ImportStore
	SignInStore
	MailStore
	LiveStore

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

	// CreateAccount stores a new account and sets a.ID. Returns EEMAILTAKEN
	// if another live account has the e-mail (compared case-insensitively).
	CreateAccount(ctx context.Context, a *Account) error
	// Account returns ENOTFOUND for an unknown id; a deleted account is
	// returned with DeletedAt set.
	Account(ctx context.Context, id int64) (Account, error)
	// AccountByEmail finds a live account by e-mail, case-insensitively.
	// Returns ENOTFOUND if there is none.
	AccountByEmail(ctx context.Context, email string) (Account, error)
	// SetAccountRole returns ENOTFOUND for an unknown or deleted account.
	SetAccountRole(ctx context.Context, id int64, role string) error
	// DeleteAccount marks the account deleted at the given time, erases its
	// e-mail, name and password hash, and removes its sessions, bookmarks and
	// subscriptions in one transaction. Its comments stay (shown as 탈퇴한
	// 회원) and its reactions keep counting. Returns ENOTFOUND if unknown.
	DeleteAccount(ctx context.Context, id int64, at time.Time) error

	CreateSession(ctx context.Context, sess Session) error
	// SessionAccount returns the live account of an unexpired session.
	// Returns ENOTFOUND if the session is unknown or expired at now, or its
	// account deleted.
	SessionAccount(ctx context.Context, tokenHash string, now time.Time) (Account, error)
	// DeleteSession removes a session; removing an unknown one is not an error.
	DeleteSession(ctx context.Context, tokenHash string) error

	// CreateComment stores c and sets c.ID. A visible comment raises its
	// article's CommentCount (and its parent's ReplyCount) in the same
	// transaction. Returns EINVALID if the article or parent does not exist.
	CreateComment(ctx context.Context, c *Comment) error
	// Comment returns ENOTFOUND for an unknown id.
	Comment(ctx context.Context, id int64) (Comment, error)
	// Comments returns a page of comments in every state (the caller shows
	// deleted ones as deleted), ordered by q.Sort with ties broken by id, and
	// the position to continue from (nil at the end).
	Comments(ctx context.Context, q CommentQuery) ([]Comment, *CommentPosition, error)
	// SetCommentState changes a comment's state, keeping the article's
	// CommentCount and the parent's ReplyCount exact. Returns ENOTFOUND.
	SetCommentState(ctx context.Context, id int64, state string) error
	// VoteComment adds (on) or removes (!on) the account's like or dislike
	// of a comment, at most one of each kind per account, and returns the
	// comment with its new counts. Repeating a vote changes nothing.
	// Returns ENOTFOUND for an unknown comment.
	VoteComment(ctx context.Context, commentID, accountID int64, kind string, on bool) (Comment, error)
	// CommentsByAuthor returns an account's visible comments, newest first,
	// with ArticleHeadline set.
	CommentsByAuthor(ctx context.Context, accountID int64, after *CommentPosition, limit int) ([]Comment, *CommentPosition, error)
	// AccountStats counts an account's visible comments and the likes they got.
	AccountStats(ctx context.Context, accountID int64) (AccountStats, error)

	// SetReaction records the account's reaction to an article. Choosing the
	// reaction it already has changes nothing; choosing another while one
	// stands returns EREACTIONEXIST. Counts change in the same transaction.
	// Returns EINVALID if the article does not exist.
	SetReaction(ctx context.Context, articleID, accountID int64, kind string, at time.Time) error
	// DeleteReaction removes the account's reaction, if any.
	DeleteReaction(ctx context.Context, articleID, accountID int64) error
	// ReactionCounts returns the count of each kind that has any.
	ReactionCounts(ctx context.Context, articleID int64) (map[string]int64, error)
	// Reaction returns the account's reaction kind, or "" if none.
	Reaction(ctx context.Context, articleID, accountID int64) (string, error)

	// SetBookmark saves (on) or unsaves an article; repeating changes nothing.
	// Returns EINVALID if the article does not exist.
	SetBookmark(ctx context.Context, accountID, articleID int64, on bool, at time.Time) error
	IsBookmarked(ctx context.Context, accountID, articleID int64) (bool, error)
	// Bookmarks returns saved articles that are published by f.Now, newest
	// saved first, f.Limit at most, after f.Before; Position holds the time
	// saved and the article id.
	Bookmarks(ctx context.Context, accountID int64, f ArticleFilter) ([]Bookmark, *Position, error)

	// SetSubscription follows (on) or unfollows a reporter or section;
	// repeating changes nothing. Returns EINVALID for an unknown target.
	SetSubscription(ctx context.Context, sub Subscription, on bool) error
	IsSubscribed(ctx context.Context, accountID int64, kind string, targetID int64) (bool, error)
	Subscriptions(ctx context.Context, accountID int64) ([]Subscription, error)
	SubscriberCount(ctx context.Context, kind string, targetID int64) (int64, error)
	// FeedArticles returns published articles (published_at <= f.Now) by the
	// reporters or in the sections the account follows, newest first.
	FeedArticles(ctx context.Context, accountID int64, f ArticleFilter) ([]Article, *Position, error)
}

// Clock returns the current time; tests inject their own.
type Clock func() time.Time
