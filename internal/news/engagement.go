package news

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	// x/text is the Go project's Unicode normalisation; counting comments
	// after NFC is a domain rule, so the domain imports it.
	"golang.org/x/text/unicode/norm"
)

// MaxCommentLength is the longest comment, in characters (code points after
// NFC), as the live counter in the browser counts them.
const MaxCommentLength = 250

// NormalizeComment brings comment text to the form it is stored and counted
// in: line endings become \n, then NFC, so Hangul typed as conjoining jamo
// counts like composed syllables. It reports an error for invalid UTF-8.
func NormalizeComment(body string) (string, error) {
	if !utf8.ValidString(body) {
		return "", Errorf(EINVALID, "댓글에 올바르지 않은 문자가 있습니다.")
	}
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	body = norm.NFC.String(body)
	return strings.TrimFunc(body, unicode.IsSpace), nil
}

// CommentLength is the length the 250-character limit applies to.
func CommentLength(normalized string) int { return utf8.RuneCountInString(normalized) }

// ValidateComment normalises body and checks it is neither blank nor too
// long. Returns EINVALID, ECOMMENTEMPTY or ECOMMENTLONG.
func ValidateComment(body string) (string, error) {
	body, err := NormalizeComment(body)
	if err != nil {
		return "", err
	}
	if strings.TrimFunc(body, isInvisible) == "" {
		return "", Errorf(ECOMMENTEMPTY, "댓글 내용을 입력해주세요.")
	}
	if strings.IndexFunc(body, isBidiControl) >= 0 {
		// They reorder what follows on screen: a comment could show text
		// other than what it holds.
		return "", Errorf(EINVALID, "댓글에 쓸 수 없는 문자(글자 방향 제어 문자)가 있습니다.")
	}
	if n := CommentLength(body); n > MaxCommentLength {
		return "", Errorf(ECOMMENTLONG, "댓글은 %d자까지 쓸 수 있습니다. (지금 %d자)", MaxCommentLength, n)
	}
	return body, nil
}

// isInvisible reports whether r shows as nothing: white space, format
// characters (zero-width spaces and joiners, bidirectional controls), the
// Hangul fillers (U+3164, U+FFA0, U+115F, U+1160) and the other code points
// Unicode says to ignore when displaying, variation selectors, and the
// blank Braille pattern.
func isInvisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r) || r == '\u2800'
}

// isBidiControl reports whether r is a bidirectional embedding, override or
// isolate (U+202A–U+202E, U+2066–U+2069).
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// PostComment adds a comment, or a reply when parentID is set, to a public
// article whose comments are open. A reply to a reply joins its parent's
// thread, as replies are one level deep.
func (s *Service) PostComment(ctx context.Context, viewer Account, articleID, parentID int64, body string) (Comment, error) {
	if viewer.ID == 0 {
		return Comment{}, errLoginRequired
	}
	body, err := ValidateComment(body)
	if err != nil {
		return Comment{}, err
	}
	a, err := s.gate(ctx, articleID)
	if err != nil {
		return Comment{}, err
	}
	if !a.commentsOpen {
		return Comment{}, Errorf(ECLOSED, "댓글 작성이 닫힌 기사입니다.")
	}
	if parentID != 0 {
		parent, err := s.store.Comment(ctx, parentID)
		if IsNotFound(err) || (err == nil && parent.ArticleID != articleID) {
			return Comment{}, Errorf(EINVALID, "답글을 달 댓글을 찾을 수 없습니다.")
		}
		if err != nil {
			return Comment{}, err
		}
		if parent.ParentID != 0 {
			parentID = parent.ParentID
		}
	}
	if err := s.mayComment(ctx, viewer); err != nil {
		return Comment{}, err
	}
	state, err := s.admitComment(ctx, viewer, articleID, body)
	if err != nil {
		return Comment{}, err
	}
	c := Comment{
		ArticleID: articleID, ParentID: parentID, AuthorID: viewer.ID, AuthorName: viewer.DisplayName,
		Body: body, State: state, CreatedAt: s.Now(),
	}
	if err := s.store.CreateComment(ctx, &c); err != nil {
		return Comment{}, err
	}
	s.recent.note(viewer.ID, s.Now())
	s.changed(articleID, false)
	s.announceComment(c)
	return c, nil
}

// DeleteComment lets a reader delete their own comment; it then shows as
// deleted, and its replies stay. Moderators and up may delete any.
func (s *Service) DeleteComment(ctx context.Context, viewer Account, commentID int64) (Comment, error) {
	if viewer.ID == 0 {
		return Comment{}, errLoginRequired
	}
	c, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return Comment{}, err
	}
	if c.AuthorID != viewer.ID && !CanModerate(viewer.Role) {
		return Comment{}, Errorf(EFORBIDDEN, "내가 쓴 댓글만 삭제할 수 있습니다.")
	}
	if c.State == CommentDeleted {
		return c, nil
	}
	if c.AuthorID != viewer.ID {
		// A moderator's deletion is logged.
		return s.ModerateComment(ctx, viewer, commentID, ModDelete, "")
	}
	if err := s.store.SetCommentState(ctx, commentID, CommentDeleted); err != nil {
		return Comment{}, err
	}
	s.recent.note(viewer.ID, s.Now())
	s.changed(c.ArticleID, false)
	c.State = CommentDeleted
	return c, nil
}

// CanModerate reports whether a role may moderate comments.
func CanModerate(role string) bool {
	return role == RoleModerator || role == RoleEditor || role == RoleAdmin
}

// VoteComment likes or dislikes (on) a visible comment, or takes the vote
// back (!on).
func (s *Service) VoteComment(ctx context.Context, viewer Account, commentID int64, kind string, on bool) (Comment, error) {
	if viewer.ID == 0 {
		return Comment{}, errLoginRequired
	}
	if kind != VoteLike && kind != VoteDislike {
		return Comment{}, Errorf(EINVALID, "알 수 없는 평가입니다.")
	}
	c, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return Comment{}, err
	}
	if c.State != CommentVisible {
		return Comment{}, Errorf(ENOTFOUND, "댓글을 찾을 수 없습니다.")
	}
	if err := s.checkSanction(ctx, viewer); err != nil {
		return Comment{}, err
	}
	voted, err := s.store.VoteComment(ctx, commentID, viewer.ID, kind, on)
	if err != nil {
		return Comment{}, err
	}
	s.recent.note(viewer.ID, s.Now())
	s.changed(c.ArticleID, false)
	return voted, nil
}

// Comments returns a page of an article's comments (or of one comment's
// replies). Returns ENOTFOUND for an article that is not public.
func (s *Service) Comments(ctx context.Context, q CommentQuery) ([]Comment, *CommentPosition, error) {
	if _, err := s.PublicArticle(ctx, q.ArticleID); err != nil {
		return nil, nil, err
	}
	switch q.Sort {
	case "":
		q.Sort = SortNewest
	case SortNewest, SortOldest, SortLikes:
	default:
		return nil, nil, Errorf(EINVALID, "정렬 방식은 newest, oldest, likes 중 하나여야 합니다.")
	}
	if q.Limit <= 0 {
		q.Limit = 20
	}
	list, next, err := s.store.Comments(ctx, q)
	return PublicComments(list), next, err
}

// ReactionKinds returns the 공감 표현 readers may choose.
func (s *Service) ReactionKinds() []ReactionKind {
	if len(s.Reactions) == 0 {
		return DefaultReactions
	}
	return s.Reactions
}

func (s *Service) reactionKind(code string) (ReactionKind, bool) {
	for _, k := range s.ReactionKinds() {
		if k.Code == code {
			return k, true
		}
	}
	return ReactionKind{}, false
}

// ErrReactionExists is the notice shown when a reader who has already
// reacted chooses another reaction.
func ErrReactionExists() error {
	return &Error{
		Code:    EREACTIONEXIST,
		Title:   "중복 선택 불가 안내",
		Message: "이미 공감 표현을 선택하신 기사입니다. 변경을 원하시면 취소 후 다시 선택해주세요.",
	}
}

// React records the viewer's 공감 표현. Choosing the same again is fine;
// choosing another while one stands returns EREACTIONEXIST with the notice.
func (s *Service) React(ctx context.Context, viewer Account, articleID int64, kind string) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if _, ok := s.reactionKind(kind); !ok {
		return Errorf(EINVALID, "알 수 없는 공감 표현입니다.")
	}
	if _, err := s.gate(ctx, articleID); err != nil {
		return err
	}
	if err := s.checkSanction(ctx, viewer); err != nil {
		return err
	}
	err := s.store.SetReaction(ctx, articleID, viewer.ID, kind, s.Now())
	if ErrorCode(err) == EREACTIONEXIST {
		return ErrReactionExists()
	}
	if err != nil {
		return err
	}
	s.changedFor(viewer.ID, articleID, false)
	return nil
}

// Unreact cancels the viewer's 공감 표현.
func (s *Service) Unreact(ctx context.Context, viewer Account, articleID int64) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if _, err := s.gate(ctx, articleID); err != nil {
		return err
	}
	if err := s.store.DeleteReaction(ctx, articleID, viewer.ID); err != nil {
		return err
	}
	s.changedFor(viewer.ID, articleID, false)
	return nil
}

// ReactionState is an article's reaction counts and the viewer's choice.
type ReactionState struct {
	Counts map[string]int64
	Mine   string
}

// ReactionState returns the counts of every kind (zeros included) and the
// viewer's own reaction, if the viewer is logged in.
func (s *Service) ReactionState(ctx context.Context, viewer Account, articleID int64) (ReactionState, error) {
	vs, err := s.ViewerState(ctx, viewer, articleID)
	if err != nil {
		return ReactionState{}, err
	}
	st := ReactionState{Counts: map[string]int64{}, Mine: vs.Reaction}
	for _, k := range s.ReactionKinds() {
		st.Counts[k.Code] = vs.Counts[k.Code]
	}
	return st, nil
}

// Bookmark notices, as the seed page words them.
const (
	NoticeSaved   = "기사가 저장 되었습니다."
	NoticeUnsaved = "기사 저장이 취소되었습니다."
)

// SetBookmark saves or unsaves a public article and returns the notice.
func (s *Service) SetBookmark(ctx context.Context, viewer Account, articleID int64, on bool) (string, error) {
	if viewer.ID == 0 {
		return "", errLoginRequired
	}
	if _, err := s.gate(ctx, articleID); err != nil {
		return "", err
	}
	if err := s.store.SetBookmark(ctx, viewer.ID, articleID, on, s.Now()); err != nil {
		return "", err
	}
	s.changedFor(viewer.ID, 0, false)
	if on {
		return NoticeSaved, nil
	}
	return NoticeUnsaved, nil
}

// Subscribe follows (on) or unfollows a reporter or section.
func (s *Service) Subscribe(ctx context.Context, viewer Account, kind string, targetID int64, on bool) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if kind != TargetReporter && kind != TargetSection {
		return Errorf(EINVALID, "알 수 없는 구독 대상입니다.")
	}
	if err := s.store.SetSubscription(ctx, Subscription{AccountID: viewer.ID, Kind: kind, TargetID: targetID, CreatedAt: s.Now()}, on); err != nil {
		return err
	}
	// Reporter and section pages show subscriber counts.
	s.changedFor(viewer.ID, 0, true)
	return nil
}

// Feed returns the newest articles from what the viewer follows.
func (s *Service) Feed(ctx context.Context, viewer Account, before *Position, limit int) ([]Article, *Position, error) {
	if viewer.ID == 0 {
		return nil, nil, errLoginRequired
	}
	return s.store.FeedArticles(ctx, viewer.ID, ArticleFilter{Before: before, Limit: limit, Now: s.Now()})
}

// Profile is a commenter's public page.
type Profile struct {
	Account  Account
	Stats    AccountStats
	Comments []Comment
	Next     *CommentPosition
}

// PublicProfile returns what a reader chose to publish: display name,
// totals and visible comments, never the e-mail. Deleted accounts are not
// found.
func (s *Service) PublicProfile(ctx context.Context, accountID int64, after *CommentPosition) (Profile, error) {
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return Profile{}, err
	}
	if !a.DeletedAt.IsZero() {
		return Profile{}, Errorf(ENOTFOUND, "탈퇴한 회원입니다.")
	}
	stats, err := s.store.AccountStats(ctx, accountID)
	if err != nil {
		return Profile{}, err
	}
	comments, next, err := s.store.CommentsByAuthor(ctx, accountID, after, 20)
	if err != nil {
		return Profile{}, err
	}
	return Profile{Account: Account{ID: a.ID, DisplayName: a.DisplayName, Role: a.Role, CreatedAt: a.CreatedAt}, Stats: stats, Comments: comments, Next: next}, nil
}

// Thread is a top-level comment with its first replies.
type Thread struct {
	Comment
	Replies []Comment
}

// Threads returns a page of an article's public comments, each with up to
// replies of its public replies, oldest first. Returns ENOTFOUND if the
// article is not public, EINVALID for an unknown sort.
func (s *Service) Threads(ctx context.Context, q CommentQuery, replies int) ([]Thread, *CommentPosition, error) {
	list, next, err := s.Comments(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	threads := make([]Thread, len(list))
	for i, c := range list {
		threads[i].Comment = c
		if c.ReplyCount == 0 {
			continue
		}
		// The article was found public by Comments above.
		rs, _, err := s.store.Comments(ctx, CommentQuery{ArticleID: q.ArticleID, ParentID: c.ID, Sort: SortOldest, Limit: replies})
		if err != nil {
			return nil, nil, err
		}
		threads[i].Replies = PublicComments(rs)
	}
	return threads, next, nil
}

// PublicComment returns a comment on a public article, whatever the
// comment's own state (lists leave out the ones readers must not see).
// Returns ENOTFOUND if either does not exist or the article is not public.
func (s *Service) PublicComment(ctx context.Context, id int64) (Comment, error) {
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return Comment{}, err
	}
	if _, err := s.gate(ctx, c.ArticleID); err != nil {
		return Comment{}, err
	}
	return c, nil
}

// ReactionTally returns the count of every kind of reaction (zeros
// included) on an article, without anyone's own choice.
func (s *Service) ReactionTally(ctx context.Context, articleID int64) (ReactionState, error) {
	return s.ReactionState(ctx, Account{}, articleID)
}

// IsSaved reports whether the viewer saved the article. Returns
// EUNAUTHORIZED for an anonymous viewer and ENOTFOUND unless the article is
// public now, as saved lists show only public stories.
func (s *Service) IsSaved(ctx context.Context, viewer Account, articleID int64) (bool, error) {
	if viewer.ID == 0 {
		return false, errLoginRequired
	}
	if _, err := s.gate(ctx, articleID); err != nil {
		return false, err
	}
	return s.store.IsBookmarked(ctx, viewer.ID, articleID)
}

// SavedArticles returns the articles the viewer saved that are public now,
// newest saved first: a story unpublished or taken down since it was saved
// leaves the list (and comes back if it returns). Returns EUNAUTHORIZED for
// an anonymous viewer.
func (s *Service) SavedArticles(ctx context.Context, viewer Account, before *Position, limit int) ([]Bookmark, *Position, error) {
	if viewer.ID == 0 {
		return nil, nil, errLoginRequired
	}
	if limit <= 0 {
		limit = 20
	}
	list, next, err := s.store.Bookmarks(ctx, viewer.ID, ArticleFilter{Before: before, Limit: limit, Now: s.Now()})
	if err != nil {
		return nil, nil, err
	}
	public := list[:0]
	for _, b := range list {
		down, err := s.takenDown(ctx, b.Article.ID)
		if err != nil {
			return nil, nil, err
		}
		if !down {
			public = append(public, b)
		}
	}
	return public, next, nil
}

// SubscriberCount returns how many readers follow a reporter or section.
func (s *Service) SubscriberCount(ctx context.Context, kind string, targetID int64) (int64, error) {
	return s.store.SubscriberCount(ctx, kind, targetID)
}

// IsSubscribed reports whether the viewer follows a reporter or section;
// an anonymous viewer follows nothing.
func (s *Service) IsSubscribed(ctx context.Context, viewer Account, kind string, targetID int64) (bool, error) {
	if viewer.ID == 0 {
		return false, nil
	}
	return s.store.IsSubscribed(ctx, viewer.ID, kind, targetID)
}
