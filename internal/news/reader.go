package news

import "time"

// Roles, from least to most trusted.
const (
	RoleReader    = "reader"
	RoleModerator = "moderator"
	RoleReporter  = "reporter"
	RoleEditor    = "editor"
	RoleAdmin     = "admin"
)

// Account is a person who logs in: a reader or a member of staff.
type Account struct {
	ID           int64
	Email        string
	DisplayName  string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
	DeletedAt    time.Time // readers who left show as 탈퇴한 회원
	TwoFactor    bool      // an authenticator app is set up and confirmed
}

// Session is a login. The store keeps only the hash of its token.
type Session struct {
	TokenHash string
	AccountID int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// UserAgent and LastSeenAt show a person their own sessions; no
	// address is kept.
	UserAgent  string
	LastSeenAt time.Time
	// Pending marks a login that waits for its second factor: it logs
	// no one in.
	Pending bool
}

// Comment states.
const (
	CommentVisible = "visible"
	CommentDeleted = "deleted"
	CommentHidden  = "hidden"
	CommentPending = "pending"
)

// Comment is a reader's comment or a reply to one (one level deep).
type Comment struct {
	ID        int64
	ArticleID int64
	ParentID  int64 // 0 for a top-level comment
	AuthorID  int64
	// AuthorName is the author's display name, or 탈퇴한 회원.
	AuthorName string
	// AuthorImported marks a comment brought over from another site by a
	// commenter who has no login here.
	AuthorImported bool
	Body           string
	State          string
	Likes          int64
	Dislikes       int64
	ReplyCount     int64
	CreatedAt      time.Time
	// ArticleHeadline is set by CommentsByAuthor, for a commenter's profile.
	ArticleHeadline string
}

// Comment sort orders.
const (
	SortNewest = "newest"
	SortOldest = "oldest"
	SortLikes  = "likes"
)

// CommentQuery selects a page of an article's top-level comments, or of the
// replies to one comment when ParentID is set.
type CommentQuery struct {
	ArticleID int64
	ParentID  int64
	Sort      string
	// After is the keyset cursor: the sort key and ID of the last comment seen.
	After *CommentPosition
	Limit int
}

// CommentPosition is a point in one of the comment orders.
type CommentPosition struct {
	Key int64 // created_at in microseconds, or likes
	ID  int64
}

// Votes on a comment.
const (
	VoteLike    = "like"
	VoteDislike = "dislike"
)

// Reaction kinds (공감 표현) by default, in display order.
var DefaultReactions = []ReactionKind{
	{Code: "like", Name: "좋아요"},
	{Code: "warm", Name: "훈훈해요"},
	{Code: "sad", Name: "슬퍼요"},
	{Code: "angry", Name: "화나요"},
	{Code: "want_more", Name: "후속기사 원해요"},
}

// ReactionKind is one of the 공감 표현 readers can choose.
type ReactionKind struct {
	Code string
	Name string
}

// Subscription targets.
const (
	TargetReporter = "reporter"
	TargetSection  = "section"
)

// Subscription is a reader following a reporter or a section.
type Subscription struct {
	AccountID int64
	Kind      string // TargetReporter or TargetSection
	TargetID  int64
	CreatedAt time.Time
}

// Bookmark is a saved article.
type Bookmark struct {
	AccountID int64
	Article   Article
	SavedAt   time.Time
}

// AccountStats are a commenter's public totals.
type AccountStats struct {
	Comments      int64
	LikesReceived int64
}
