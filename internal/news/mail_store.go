package news

import (
	"context"
	"time"
)

// Mail kinds: what caused a message. Each is also the dedupe key's prefix.
const (
	MailReset        = "reset"
	MailConfirm      = "confirm"
	MailEmailChange  = "email_change"
	MailEmailChanged = "email_changed"
	MailReply        = "reply"
	MailFollow       = "follow"
	MailDigest       = "digest"
	MailNewsletter   = "newsletter"
	MailTest         = "test"
)

// Outbox states.
const (
	MailQueued  = "queued"
	MailSending = "sending" // handed to the SMTP server, its answer not yet recorded
	MailSent    = "sent"
	MailFailed  = "failed"
	MailPaused  = "paused" // the address is paused after repeated permanent failures
)

// Notification lists a reader can leave with one click.
const (
	ListReplies    = "replies"
	ListFollows    = "follows"
	ListNewsletter = "newsletter"
)

// MailBody is what a message says; one body is shared by every recipient of
// a newsletter edition.
type MailBody struct {
	ID      int64
	Subject string
	HTML    string
	Text    string
}

// OutMail is one message in the outbox.
type OutMail struct {
	ID        int64
	BodyID    int64
	Kind      string
	Dedupe    string // one message per cause: a second with the same key is not queued
	AccountID int64  // 0 for a message to no account
	To        string
	List      string // the notification list it belongs to, "" for account mail
	State     string
	Attempts  int
	NextAt    time.Time
	CreatedAt time.Time
	SentAt    time.Time
	LastError string

	// Filled when the sender reads due messages.
	Body           MailBody
	UnsubscribeKey string
}

// MailToken is a single-use link's record; only its hash is kept.
type MailToken struct {
	Hash      string
	Purpose   string // MailReset, MailConfirm or MailEmailChange
	AccountID int64
	Email     string // the address it confirms
	ExpiresAt time.Time
	UsedAt    time.Time
}

// MailPrefs are a reader's notification switches and address state.
type MailPrefs struct {
	AccountID   int64
	ConfirmedAt time.Time // zero while the address is unconfirmed
	Replies     bool
	Follows     string // FollowsOff, FollowsInstant or FollowsDigest
	DigestMin   int    // minute of the KST day the digest is sent
	Newsletter  bool
	// UnsubscribeKey is the secret in one-click unsubscribe links.
	UnsubscribeKey string
}

// Follow alert modes.
const (
	FollowsOff     = "off"
	FollowsInstant = "instant"
	FollowsDigest  = "digest"
)

// MailSettings are the site's mail settings, set by editors.
type MailSettings struct {
	// NewsletterOn sends the morning newsletter each day at NewsletterMin
	// (minute of the KST day).
	NewsletterOn  bool
	NewsletterMin int
	// ConfirmToComment keeps readers with an unconfirmed address from commenting.
	ConfirmToComment bool
}

// MailStats counts the outbox by state.
type MailStats struct {
	Queued, Sending, Sent, Failed, Paused int64
	// Oldest is when the oldest message still waiting was queued.
	Oldest time.Time
}

// ReplyNotice is a reply whose parent's author asked to be told.
type ReplyNotice struct {
	ReplyID      int64
	ArticleID    int64
	Headline     string
	ReplyAuthor  string
	ReplyBody    string
	ParentBody   string
	RecipientID  int64
	RecipientTo  string
	RecipientKey string
}

// Recipient is an account that receives a notification.
type Recipient struct {
	AccountID int64
	Email     string
}

// MailStore keeps the outbox, tokens and reader mail preferences.
type MailStore interface {
	// QueueMail stores body and the messages that use it in one
	// transaction, skipping messages whose Dedupe key is already in the
	// outbox, and sets the named cursors (MailState) in the same
	// transaction. Returns how many messages were queued.
	QueueMail(ctx context.Context, body *MailBody, msgs []OutMail, cursors map[string]string) (int, error)
	// QueueNewsletter stores body and queues it, in one transaction, to
	// every live account that asked for the newsletter and whose address
	// is not paused, once per edition; it records edition as the
	// "newsletter_edition" state. Returns how many were queued.
	QueueNewsletter(ctx context.Context, body *MailBody, edition string, now time.Time) (int, error)
	// MailState returns a named value kept by the mail jobs, "" if unset.
	MailState(ctx context.Context, name string) (string, error)

	// CreateAccountWithMail stores a new account as CreateAccount does and,
	// in the same transaction, the confirmation token and its message
	// (their AccountID set to the new id). Returns EEMAILTAKEN as
	// CreateAccount does.
	CreateAccountWithMail(ctx context.Context, a *Account, tok MailToken, body *MailBody, msg OutMail) error
	// IssueMailToken stores a token and queues its message in one
	// transaction.
	IssueMailToken(ctx context.Context, tok MailToken, body *MailBody, msg OutMail) error
	// CountMailTokens counts tokens of the purpose issued to the account
	// since the time (by their expiry minus lifetime).
	CountMailTokens(ctx context.Context, accountID int64, purpose string, since time.Time) (int, error)
	// MailToken returns an unused, unexpired token. Returns ENOTFOUND
	// otherwise.
	MailToken(ctx context.Context, hash string, now time.Time) (MailToken, error)
	// ResetPassword uses a reset token: sets the account's password hash,
	// ends every session of the account and marks the token (and every
	// other reset token of the account) used, in one transaction.
	// Returns ENOTFOUND for an unknown, used or expired token.
	ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (int64, error)
	// ConfirmMailToken uses a confirmation token: marks the address
	// confirmed, and for an address change sets the account's e-mail and
	// queues notice (to the old address) in the same transaction.
	// Returns ENOTFOUND for an unknown, used or expired token and
	// EEMAILTAKEN when the new address was registered meanwhile.
	ConfirmMailToken(ctx context.Context, hash string, now time.Time, notice *MailBody, noticeMsg *OutMail) (MailToken, error)

	// MailPrefs returns the account's preferences; an account without any
	// gets the defaults (everything off, unconfirmed) with a new key.
	MailPrefs(ctx context.Context, accountID int64) (MailPrefs, error)
	// SaveMailPrefs stores the switches (not the confirmation or key).
	SaveMailPrefs(ctx context.Context, p MailPrefs) error
	// Unsubscribe turns off one list for the account holding key.
	// Returns ENOTFOUND for an unknown key.
	Unsubscribe(ctx context.Context, key, list string) error
	// MailSettings returns the site's mail settings (defaults if unset).
	MailSettings(ctx context.Context) (MailSettings, error)
	SaveMailSettings(ctx context.Context, s MailSettings) error
	// AddressPaused reports whether mail to the address is paused.
	AddressPaused(ctx context.Context, email string) (bool, error)

	// ClaimMailLease makes holder the one sender until now+ttl, if no other
	// holder's lease is live. Reports whether holder has it.
	ClaimMailLease(ctx context.Context, holder string, now time.Time, ttl time.Duration) (bool, error)
	// DueMail returns up to limit queued or sending messages due at now,
	// oldest first, with their body and the recipient's unsubscribe key.
	DueMail(ctx context.Context, now time.Time, limit int) ([]OutMail, error)
	// MarkMailSending records an attempt on each message before it is
	// handed over: state sending, one more attempt, and retryAt as the
	// time it is tried again should no answer ever be recorded.
	MarkMailSending(ctx context.Context, ids []int64, retryAt time.Time) error
	// MarkMailSent records delivery.
	MarkMailSent(ctx context.Context, ids []int64, at time.Time) error
	// MarkMailFailed records a failed attempt: failed for good when final,
	// else queued again at retryAt. A permanent failure counts against the
	// address; at pauseAfter of them the address is paused and its waiting
	// messages with it.
	MarkMailFailed(ctx context.Context, id int64, errText string, retryAt time.Time, final, permanent bool, pauseAfter int, now time.Time) error
	// MailStats counts the outbox by state.
	MailStats(ctx context.Context) (MailStats, error)
	// RecentMail lists the newest messages, newest first; state "" is any.
	RecentMail(ctx context.Context, state string, limit int) ([]OutMail, error)

	// ReplyNotices returns, for visible replies with id after afterID (up
	// to limit, by id), those whose parent's author wants reply mail and is
	// not the reply's author, and the last reply id looked at.
	ReplyNotices(ctx context.Context, afterID int64, limit int) ([]ReplyNotice, int64, error)
	// FollowRecipients lists live accounts with follows = mode that follow
	// one of the reporters or the section.
	FollowRecipients(ctx context.Context, mode string, reporterIDs []int64, sectionID int64) ([]Recipient, error)
	// DigestRecipients lists live accounts with daily digests due at
	// minute (digest minute ≤ minute) that have no message with the dedupe
	// key "digest:<date>:<id>" yet and follow a reporter or section that
	// published in (since, upTo]: a day without news sends no digest.
	DigestRecipients(ctx context.Context, date string, minute int, since, upTo time.Time) ([]Recipient, error)
	// PublishedBetween lists the ids of articles published in (after,
	// upTo], oldest first, up to limit.
	PublishedBetween(ctx context.Context, after, upTo time.Time, limit int) ([]int64, error)
}
