package news

import (
	"context"
	"time"
)

// Moderation actions, as the audit log records them.
const (
	AuditHide          = "hide"
	AuditRestore       = "restore"
	AuditDelete        = "delete"
	AuditApprove       = "approve"
	AuditDismiss       = "dismiss" // reports looked at, comment left as it was
	AuditSuspend       = "suspend"
	AuditBan           = "ban"
	AuditLift          = "lift" // a suspension or ban lifted
	AuditBannedWords   = "banned_words"
	AuditCommentMode   = "comment_mode"
	AuditTakedown      = "takedown"
	AuditTakedownClose = "takedown_decide"
)

// Audit targets.
const (
	TargetComment = "comment"
	TargetArticle = "article"
	TargetAccount = "account"
	TargetSite    = "site"
)

// Per-article comment modes. An article whose CommentsOpen is false is
// closed whatever its mode says.
const (
	CommentModeOpen   = "open"
	CommentModePremod = "premoderated" // new comments wait for a moderator
	CommentModeClosed = "closed"
)

// Report is a reader's report of a comment.
type Report struct {
	ID         int64
	CommentID  int64
	AccountID  int64
	Reason     string
	CreatedAt  time.Time
	ResolvedAt time.Time // zero while a moderator has not looked at it
}

// QueueItem is a comment waiting for a moderator: held (pending) or
// reported and not yet looked at.
type QueueItem struct {
	Comment         Comment
	ArticleHeadline string
	Reports         int64 // unresolved reports
	Reasons         []string
	LastReportedAt  time.Time
}

// Queue orders.
const (
	QueueNewest  = "newest"  // newest comment first
	QueueReports = "reports" // most unresolved reports first
)

// Sanction stops an account from commenting and reacting until Until, or
// for good when Ban is set.
type Sanction struct {
	AccountID int64
	Ban       bool
	Until     time.Time
	Reason    string
	ByID      int64
	CreatedAt time.Time
}

// Active reports whether the sanction applies at now.
func (s Sanction) Active(now time.Time) bool {
	return s.AccountID != 0 && (s.Ban || now.Before(s.Until))
}

// Takedown kinds and states. 임시조치 (정보통신망법 제44조의2): on a rights
// claim the publisher blocks access for up to 30 days, then decides.
const (
	TakedownActive   = "active"   // access blocked
	TakedownRestored = "restored" // decided: the content comes back
	TakedownRemoved  = "removed"  // decided: the content stays down for good
)

// Takedown is a temporary takedown of an article or a comment on a claim.
type Takedown struct {
	ID         int64
	TargetKind string // TargetArticle or TargetComment
	TargetID   int64
	Claimant   string // who claims (name, contact)
	Claim      string // what right is infringed, and how
	State      string
	Decision   string // the reason given when decided
	CreatedAt  time.Time
	Until      time.Time // end of the takedown period
	DecidedAt  time.Time
	ByID       int64
	ByName     string // filled in when read
}

// AuditEntry records one moderator action: who, what, when and why.
type AuditEntry struct {
	ID         int64
	ActorID    int64
	ActorName  string // filled in when read
	Action     string
	TargetKind string
	TargetID   int64
	Reason     string
	CreatedAt  time.Time
}

// ModerationStore keeps reports, sanctions, the banned-word list, comment
// modes, takedowns and the audit log. Every write that is a moderator's
// action takes its AuditEntry and records it in the same transaction.
type ModerationStore interface {
	// ReportComment records r and sets r.ID. Returns ECONFLICT if the
	// account has already reported the comment, ENOTFOUND if the comment
	// does not exist.
	ReportComment(ctx context.Context, r *Report) error
	// ModerationQueue returns held comments and comments with unresolved
	// reports, in the order given (QueueNewest or QueueReports), at most
	// limit of them after skipping offset.
	ModerationQueue(ctx context.Context, order string, offset, limit int) ([]QueueItem, error)
	// ModerateComment sets the comment's state (keeping counts exact, as
	// SetCommentState does), resolves its reports and records e, in one
	// transaction. Returns ENOTFOUND for an unknown comment.
	ModerateComment(ctx context.Context, commentID int64, state string, e AuditEntry) error

	// SetSanction replaces the account's sanction (a zero Until and no Ban
	// lifts it) and records e. Returns ENOTFOUND for an unknown account.
	SetSanction(ctx context.Context, s Sanction, e AuditEntry) error
	// Sanction returns the account's latest sanction, or ENOTFOUND if it
	// has none.
	Sanction(ctx context.Context, accountID int64) (Sanction, error)
	// Sanctions lists the sanctions in force at now, newest first.
	Sanctions(ctx context.Context, now time.Time) ([]Sanction, error)

	// BannedWords returns the banned-word list in the order saved.
	BannedWords(ctx context.Context) ([]string, error)
	// SetBannedWords replaces the list and records e.
	SetBannedWords(ctx context.Context, words []string, e AuditEntry) error

	// CommentMode returns the article's comment mode, CommentModeOpen if
	// none was set.
	CommentMode(ctx context.Context, articleID int64) (string, error)
	// SetCommentMode sets the article's comment mode and records e.
	// Returns ENOTFOUND for an unknown article.
	SetCommentMode(ctx context.Context, articleID int64, mode string, e AuditEntry) error

	// CreateTakedown records t (setting t.ID) and e; for a comment it also
	// hides the comment, keeping counts exact. Returns ENOTFOUND for an
	// unknown target.
	CreateTakedown(ctx context.Context, t *Takedown, e AuditEntry) error
	// DecideTakedown closes an active takedown with state TakedownRestored
	// (a comment becomes visible again) or TakedownRemoved, and records e.
	// Returns ENOTFOUND for an unknown id, ECONFLICT if already decided.
	DecideTakedown(ctx context.Context, id int64, state, decision string, at time.Time, e AuditEntry) (Takedown, error)
	// Takedown returns ENOTFOUND for an unknown id.
	Takedown(ctx context.Context, id int64) (Takedown, error)
	// Takedowns lists takedowns, newest first.
	Takedowns(ctx context.Context, limit int) ([]Takedown, error)
	// ArticlesTakenDown returns the ids of articles under a takedown that
	// is active or decided as removed.
	ArticlesTakenDown(ctx context.Context) ([]int64, error)

	// AuditLog returns entries newest first, those with an id below
	// before when it is not 0.
	AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error)

	// CountComments counts the account's comments on the article created at
	// or after since, in any state.
	CountComments(ctx context.Context, accountID, articleID int64, since time.Time) (int64, error)
}
