package news

import (
	"context"
	"fmt"
	"time"
)

// ArchiveVersion is the version of the archive format that Export writes and
// Import reads: a tar of JSON Lines files, one per kind of record, and the
// photos' bytes.
const ArchiveVersion = 1

// Record is one item of a site's archive. Exactly one field is set. Records
// come parents first, in the order of the fields: site, markers, sections,
// labels, reporters, photos, accounts, articles, revisions, comments (top
// level before replies), then what readers and the desk did. Derived data
// (the search index, counters) and short-lived data (sessions, the change
// log) are not archived.
type Record struct {
	Site         *Site              `json:"site,omitempty"`
	Marker       *ArchiveMarker     `json:"marker,omitempty"`
	Section      *Section           `json:"section,omitempty"`
	Label        *Label             `json:"label,omitempty"`
	Reporter     *Reporter          `json:"reporter,omitempty"`
	Photo        *ArchivePhoto      `json:"photo,omitempty"`
	Account      *Account           `json:"account,omitempty"`
	Article      *Article           `json:"article,omitempty"`
	Revision     *Revision          `json:"revision,omitempty"`
	Comment      *Comment           `json:"comment,omitempty"`
	Vote         *ArchiveVote       `json:"vote,omitempty"`
	Reaction     *ArchiveReaction   `json:"reaction,omitempty"`
	Bookmark     *ArchiveBookmark   `json:"bookmark,omitempty"`
	Subscription *Subscription      `json:"subscription,omitempty"`
	FrontPicks   *ArchiveFrontPicks `json:"front_picks,omitempty"`
	APIToken     *APIToken          `json:"api_token,omitempty"`
	PageViews    *PageViewCount     `json:"page_views,omitempty"`
}

// ImportOccupiedMessage is why Import refuses a site that holds content.
const ImportOccupiedMessage = "이 사이트에는 이미 기사나 회원이 있어 가져올 수 없습니다. 기사와 회원이 없는 새 데이터베이스에 가져와주세요."

// Kind names the record's kind in the archive format: "site", "marker",
// "section", "label", "reporter", "photo", "account", "article",
// "revision", "comment", "vote", "reaction", "bookmark", "subscription",
// "front_picks", "api_token" or "page_views"; "" for an empty record.
func (r Record) Kind() string {
	switch {
	case r.Site != nil:
		return "site"
	case r.Marker != nil:
		return "marker"
	case r.Section != nil:
		return "section"
	case r.Label != nil:
		return "label"
	case r.Reporter != nil:
		return "reporter"
	case r.Photo != nil:
		return "photo"
	case r.Account != nil:
		return "account"
	case r.Article != nil:
		return "article"
	case r.Revision != nil:
		return "revision"
	case r.Comment != nil:
		return "comment"
	case r.Vote != nil:
		return "vote"
	case r.Reaction != nil:
		return "reaction"
	case r.Bookmark != nil:
		return "bookmark"
	case r.Subscription != nil:
		return "subscription"
	case r.FrontPicks != nil:
		return "front_picks"
	case r.APIToken != nil:
		return "api_token"
	case r.PageViews != nil:
		return "page_views"
	}
	return ""
}

// Describe names the record for messages: its kind in Korean and its key.
func (r Record) Describe() string {
	switch {
	case r.Site != nil:
		return "사이트 설정"
	case r.Marker != nil:
		return "표식 " + r.Marker.Name
	case r.Section != nil:
		return fmt.Sprintf("섹션 %d", r.Section.ID)
	case r.Label != nil:
		return "라벨 " + r.Label.Code
	case r.Reporter != nil:
		return fmt.Sprintf("기자 %d", r.Reporter.ID)
	case r.Photo != nil:
		return fmt.Sprintf("사진 %d", r.Photo.Photo.ID)
	case r.Account != nil:
		return fmt.Sprintf("회원 %d", r.Account.ID)
	case r.Article != nil:
		return fmt.Sprintf("기사 %d", r.Article.ID)
	case r.Revision != nil:
		return fmt.Sprintf("기사 %d의 수정 기록 %d", r.Revision.ArticleID, r.Revision.ID)
	case r.Comment != nil:
		return fmt.Sprintf("댓글 %d", r.Comment.ID)
	case r.Vote != nil:
		return fmt.Sprintf("댓글 %d에 회원 %d의 평가", r.Vote.CommentID, r.Vote.AccountID)
	case r.Reaction != nil:
		return fmt.Sprintf("기사 %d에 회원 %d의 공감", r.Reaction.ArticleID, r.Reaction.AccountID)
	case r.Bookmark != nil:
		return fmt.Sprintf("회원 %d의 저장 기사 %d", r.Bookmark.AccountID, r.Bookmark.ArticleID)
	case r.Subscription != nil:
		return fmt.Sprintf("회원 %d의 구독 %s %d", r.Subscription.AccountID, r.Subscription.Kind, r.Subscription.TargetID)
	case r.FrontPicks != nil:
		return fmt.Sprintf("1면 배치 %d", r.FrontPicks.Slot)
	case r.APIToken != nil:
		return fmt.Sprintf("API 토큰 %d", r.APIToken.ID)
	case r.PageViews != nil:
		return fmt.Sprintf("기사 %d의 조회수", r.PageViews.ArticleID)
	}
	return "빈 기록"
}

// ArchiveMarker is a once-in-a-site's-life fact, such as "demo content was
// loaded", so that an imported site does not load it again.
type ArchiveMarker struct {
	Name      string
	CreatedAt time.Time
}

// ArchiveFrontPicks are the editors' picks of one front-page slot, in order.
type ArchiveFrontPicks struct {
	Slot       int64
	ArticleIDs []int64
}

// ArchivePhoto is a photo with the bytes of every variant.
type ArchivePhoto struct {
	Photo    Photo
	Variants []PhotoVariant
}

// ArchiveVote is one reader's like or dislike of a comment.
type ArchiveVote struct {
	CommentID int64
	AccountID int64
	Kind      string
}

// ArchiveReaction is one reader's 공감 표현 on an article.
type ArchiveReaction struct {
	ArticleID int64
	AccountID int64
	Kind      string
	CreatedAt time.Time
}

// ArchiveBookmark is one saved article.
type ArchiveBookmark struct {
	AccountID int64
	ArticleID int64
	SavedAt   time.Time
}

// ArchiveStore moves a whole site between databases.
type ArchiveStore interface {
	// Export calls emit for every record of the site, parents first, from
	// one consistent snapshot.
	Export(ctx context.Context, emit func(Record) error) error
	// Import loads records into a site that holds no article and no account,
	// keeping their IDs, in one transaction: on any error the site is left
	// as it was. Counters (comment counts, likes, reaction counts) are
	// computed from the rows, not taken from the records. progress, if not
	// nil, is called now and then with the number of records loaded.
	// Returns ECONFLICT if the site holds an article or an account.
	Import(ctx context.Context, next func() (Record, bool, error), progress func(n int64)) error
}

type skipSearchIndexKey struct{}

// WithoutSearchIndex asks Import not to build the search index, for
// generated load-test sites of a million articles; `jikji reindex` builds it
// later.
func WithoutSearchIndex(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipSearchIndexKey{}, true)
}

// SkipsSearchIndex reports whether ctx came from WithoutSearchIndex.
func SkipsSearchIndex(ctx context.Context) bool {
	skip, _ := ctx.Value(skipSearchIndexKey{}).(bool)
	return skip
}
