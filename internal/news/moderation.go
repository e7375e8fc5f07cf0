package news

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Moderation: reports, the queue, sanctions, banned words, comment modes,
// 임시조치 and the audit log. The rules live here; stores keep the rows.
//
// A comment containing a banned word is held (pending) for a moderator
// rather than refused: the word list cannot tell an insult from a quote or
// a name, and a refused writer simply tries another spelling.

// DefaultDailyCommentCap is how many comments a reader may write on one
// article in one day (KST), as Korean portals limit them.
const DefaultDailyCommentCap = 20

// MaxTakedownDays is the longest 임시조치 the law allows before a decision.
const MaxTakedownDays = 30

// TakedownNotice replaces the body of an article under 임시조치.
const TakedownNotice = "이 기사는 권리 침해 주장에 따라 정보통신망법 제44조의2에 의한 임시조치(접근 차단) 중입니다."

// ReportReasons are the reasons a reader may give, as Korean portals offer.
var ReportReasons = []string{
	"욕설·비하",
	"음란·선정성",
	"광고·도배",
	"개인정보 노출",
	"명예훼손·권리침해",
	"혐오·차별",
	"기타",
}

// moderation holds what the service caches of moderation: each entry is
// dropped by the change feed when it changes on any node, and lives a few
// seconds at most otherwise.
type moderation struct {
	mu        sync.Mutex
	words     *wordFilter
	wordsAt   time.Time
	modes     map[int64]cachedMode
	takedowns map[int64]bool
	takenAt   time.Time
	sanctions map[int64]cachedSanction
}

type cachedMode struct {
	mode  string
	until time.Time
}

type cachedSanction struct {
	s     Sanction
	until time.Time
}

const moderationTTL = 5 * time.Second

func (m *moderation) invalidate(ch Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case ch.All:
		m.words, m.modes, m.takedowns, m.sanctions = nil, nil, nil, nil
	case ch.Lists:
		// Takedowns, modes and word lists announce themselves as list
		// changes: they show on many pages.
		m.words, m.takedowns = nil, nil
		delete(m.modes, ch.ArticleID)
	}
}

func (m *moderation) dropSanction(accountID int64) {
	m.mu.Lock()
	delete(m.sanctions, accountID)
	m.mu.Unlock()
}

func (s *Service) auditEntry(viewer Account, action, kind string, id int64, reason string) AuditEntry {
	return AuditEntry{ActorID: viewer.ID, Action: action, TargetKind: kind, TargetID: id, Reason: reason, CreatedAt: s.Now()}
}

// cleanReason trims a free-text reason and bounds its length.
func cleanReason(reason string, required bool) (string, error) {
	if !utf8.ValidString(reason) {
		return "", Errorf(EINVALID, "사유에 올바르지 않은 문자가 있습니다.")
	}
	reason = strings.TrimSpace(reason)
	if required && reason == "" {
		return "", Errorf(EINVALID, "사유를 입력해주세요.")
	}
	if utf8.RuneCountInString(reason) > 500 {
		return "", Errorf(EINVALID, "사유는 500자 이내로 입력해주세요.")
	}
	return reason, nil
}

// ReportComment records a reader's report of a visible comment. A reason
// from ReportReasons is required; detail is optional free text. Returns
// ECONFLICT if the reader already reported it.
func (s *Service) ReportComment(ctx context.Context, viewer Account, commentID int64, reason, detail string) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if !slices.Contains(ReportReasons, reason) {
		return Errorf(EINVALID, "신고 사유를 선택해주세요.")
	}
	detail, err := cleanReason(detail, false)
	if err != nil {
		return err
	}
	c, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return err
	}
	if c.State != CommentVisible {
		return Errorf(ENOTFOUND, "댓글을 찾을 수 없습니다.")
	}
	if c.AuthorID == viewer.ID {
		return Errorf(EINVALID, "내가 쓴 댓글은 신고할 수 없습니다.")
	}
	if detail != "" {
		reason += ": " + detail
	}
	return s.store.ReportComment(ctx, &Report{CommentID: commentID, AccountID: viewer.ID, Reason: reason, CreatedAt: s.Now()})
}

// ModerationQueue returns held and reported comments for moderators.
func (s *Service) ModerationQueue(ctx context.Context, viewer Account, order string, offset, limit int) ([]QueueItem, error) {
	if err := require(viewer, CanModerate); err != nil {
		return nil, err
	}
	if order != QueueReports {
		order = QueueNewest
	}
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return s.store.ModerationQueue(ctx, order, offset, limit)
}

// Comment moderation actions.
const (
	ModHide    = "hide"
	ModRestore = "restore"
	ModDelete  = "delete"
	ModApprove = "approve"
	ModDismiss = "dismiss"
)

// ModerateComment hides, restores, deletes or approves a comment, or
// dismisses its reports, and logs the action. Counts change with the
// comment's visibility, and pages showing it drop from the caches at once.
func (s *Service) ModerateComment(ctx context.Context, viewer Account, commentID int64, action, reason string) (Comment, error) {
	if err := require(viewer, CanModerate); err != nil {
		return Comment{}, err
	}
	reason, err := cleanReason(reason, false)
	if err != nil {
		return Comment{}, err
	}
	c, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return Comment{}, err
	}
	state, audit := c.State, ""
	switch action {
	case ModHide:
		state, audit = CommentHidden, AuditHide
	case ModRestore:
		state, audit = CommentVisible, AuditRestore
	case ModApprove:
		if c.State != CommentPending {
			return Comment{}, Errorf(EINVALID, "승인을 기다리는 댓글이 아닙니다.")
		}
		state, audit = CommentVisible, AuditApprove
	case ModDelete:
		state, audit = CommentDeleted, AuditDelete
	case ModDismiss:
		audit = AuditDismiss
	default:
		return Comment{}, Errorf(EINVALID, "알 수 없는 조치입니다: %s", action)
	}
	if err := s.store.ModerateComment(ctx, commentID, state, s.auditEntry(viewer, audit, TargetComment, commentID, reason)); err != nil {
		return Comment{}, err
	}
	s.changed(c.ArticleID, false)
	c.State = state
	return c, nil
}

// SuspendReader stops a reader commenting and reacting for d, or for good
// when ban is set; d 0 and no ban lifts a sanction. Staff above moderators
// cannot be sanctioned by a moderator.
func (s *Service) SuspendReader(ctx context.Context, viewer Account, accountID int64, d time.Duration, ban bool, reason string) (Sanction, error) {
	if err := require(viewer, CanModerate); err != nil {
		return Sanction{}, err
	}
	lift := d <= 0 && !ban
	reason, err := cleanReason(reason, !lift)
	if err != nil {
		return Sanction{}, err
	}
	target, err := s.store.Account(ctx, accountID)
	if err != nil {
		return Sanction{}, err
	}
	if target.ID == viewer.ID {
		return Sanction{}, Errorf(EINVALID, "자기 자신은 제재할 수 없습니다.")
	}
	if target.Role != RoleReader && !CanAdminister(viewer.Role) {
		return Sanction{}, Errorf(EFORBIDDEN, "직원 계정은 관리자만 제재할 수 있습니다.")
	}
	if d > 10*365*24*time.Hour {
		return Sanction{}, Errorf(EINVALID, "정지 기간이 너무 깁니다. 영구 제한은 '영구 정지'를 고르세요.")
	}
	now := s.Now()
	sn := Sanction{AccountID: accountID, Ban: ban, Reason: reason, ByID: viewer.ID, CreatedAt: now}
	action := AuditLift
	switch {
	case ban:
		action = AuditBan
	case d > 0:
		sn.Until, action = now.Add(d), AuditSuspend
	}
	desc := reason
	if action == AuditSuspend {
		desc = fmt.Sprintf("%s까지: %s", FormatKST(sn.Until), reason)
	}
	if err := s.store.SetSanction(ctx, sn, s.auditEntry(viewer, action, TargetAccount, accountID, desc)); err != nil {
		return Sanction{}, err
	}
	s.mod.dropSanction(accountID)
	return sn, nil
}

// Sanctions lists the sanctions in force.
func (s *Service) Sanctions(ctx context.Context, viewer Account) ([]Sanction, error) {
	if err := require(viewer, CanModerate); err != nil {
		return nil, err
	}
	return s.store.Sanctions(ctx, s.Now())
}

// ESUSPENDED is the code of a write refused to a suspended or banned reader.
const ESUSPENDED = "suspended"

// checkSanction refuses a suspended or banned reader, with when it ends.
func (s *Service) checkSanction(ctx context.Context, viewer Account) error {
	now := s.Now()
	s.mod.mu.Lock()
	e, ok := s.mod.sanctions[viewer.ID]
	s.mod.mu.Unlock()
	if !ok || now.After(e.until) {
		sn, err := s.store.Sanction(ctx, viewer.ID)
		if err != nil && !IsNotFound(err) {
			return err
		}
		e = cachedSanction{s: sn, until: now.Add(moderationTTL)}
		s.mod.mu.Lock()
		if s.mod.sanctions == nil || len(s.mod.sanctions) > 100_000 {
			s.mod.sanctions = map[int64]cachedSanction{}
		}
		s.mod.sanctions[viewer.ID] = e
		s.mod.mu.Unlock()
	}
	if !e.s.Active(now) {
		return nil
	}
	if e.s.Ban {
		return Errorf(ESUSPENDED, "운영 원칙을 위반해 댓글 작성과 공감 표현이 영구 제한된 계정입니다. (사유: %s)", e.s.Reason)
	}
	return Errorf(ESUSPENDED, "운영 원칙을 위반해 %s까지 댓글 작성과 공감 표현이 정지된 계정입니다. (사유: %s)", FormatKST(e.s.Until), e.s.Reason)
}

// BannedWords returns the banned-word list.
func (s *Service) BannedWords(ctx context.Context, viewer Account) ([]string, error) {
	if err := require(viewer, CanModerate); err != nil {
		return nil, err
	}
	return s.store.BannedWords(ctx)
}

// SetBannedWords replaces the banned-word list: one word or phrase per
// entry, trimmed, blank and duplicate entries dropped.
func (s *Service) SetBannedWords(ctx context.Context, viewer Account, words []string, reason string) ([]string, error) {
	if err := require(viewer, CanModerate); err != nil {
		return nil, err
	}
	reason, err := cleanReason(reason, false)
	if err != nil {
		return nil, err
	}
	var clean []string
	for _, w := range words {
		if !utf8.ValidString(w) {
			return nil, Errorf(EINVALID, "금칙어에 올바르지 않은 문자가 있습니다.")
		}
		w = strings.TrimSpace(w)
		if w == "" || slices.Contains(clean, w) {
			continue
		}
		if sk, _ := skeletons(w); sk == "" {
			return nil, Errorf(EINVALID, "글자가 없는 금칙어는 쓸 수 없습니다: %q", w)
		}
		if utf8.RuneCountInString(w) > 50 {
			return nil, Errorf(EINVALID, "금칙어는 50자 이내여야 합니다.")
		}
		clean = append(clean, w)
	}
	if len(clean) > 2000 {
		return nil, Errorf(EINVALID, "금칙어는 2,000개까지 등록할 수 있습니다.")
	}
	if reason == "" {
		reason = fmt.Sprintf("금칙어 %d개", len(clean))
	}
	if err := s.store.SetBannedWords(ctx, clean, s.auditEntry(viewer, AuditBannedWords, TargetSite, 0, reason)); err != nil {
		return nil, err
	}
	s.changed(0, true)
	return clean, nil
}

func (s *Service) wordFilter(ctx context.Context) (wordFilter, error) {
	now := s.Now()
	s.mod.mu.Lock()
	f, at := s.mod.words, s.mod.wordsAt
	s.mod.mu.Unlock()
	if f != nil && now.Sub(at) < moderationTTL {
		return *f, nil
	}
	words, err := s.store.BannedWords(ctx)
	if err != nil {
		return wordFilter{}, err
	}
	nf := newWordFilter(words)
	s.mod.mu.Lock()
	s.mod.words, s.mod.wordsAt = &nf, now
	s.mod.mu.Unlock()
	return nf, nil
}

// CommentMode returns the article's comment mode.
func (s *Service) CommentMode(ctx context.Context, articleID int64) (string, error) {
	now := s.Now()
	s.mod.mu.Lock()
	e, ok := s.mod.modes[articleID]
	s.mod.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.mode, nil
	}
	mode, err := s.store.CommentMode(ctx, articleID)
	if err != nil {
		return "", err
	}
	s.mod.mu.Lock()
	if s.mod.modes == nil || len(s.mod.modes) > 100_000 {
		s.mod.modes = map[int64]cachedMode{}
	}
	s.mod.modes[articleID] = cachedMode{mode: mode, until: now.Add(moderationTTL)}
	s.mod.mu.Unlock()
	return mode, nil
}

// SetCommentMode makes an article's comments open, pre-moderated or closed.
func (s *Service) SetCommentMode(ctx context.Context, viewer Account, articleID int64, mode, reason string) error {
	if err := require(viewer, CanModerate); err != nil {
		return err
	}
	switch mode {
	case CommentModeOpen, CommentModePremod, CommentModeClosed:
	default:
		return Errorf(EINVALID, "댓글 방식은 open, premoderated, closed 중 하나입니다.")
	}
	reason, err := cleanReason(reason, false)
	if err != nil {
		return err
	}
	if reason == "" {
		reason = mode
	} else {
		reason = mode + ": " + reason
	}
	if err := s.store.SetCommentMode(ctx, articleID, mode, s.auditEntry(viewer, AuditCommentMode, TargetArticle, articleID, reason)); err != nil {
		return err
	}
	s.changed(articleID, true)
	return nil
}

// admitComment decides the state a new comment starts in, or refuses it:
// suspended readers and closed articles are refused, as is a reader over
// the daily cap; pre-moderated articles and comments with a banned word
// are held.
func (s *Service) admitComment(ctx context.Context, viewer Account, articleID int64, body string) (string, error) {
	if err := s.checkSanction(ctx, viewer); err != nil {
		return "", err
	}
	mode, err := s.CommentMode(ctx, articleID)
	if err != nil {
		return "", err
	}
	if mode == CommentModeClosed {
		return "", Errorf(ECLOSED, "댓글 작성이 닫힌 기사입니다.")
	}
	if s.DailyCommentCap > 0 && !CanModerate(viewer.Role) {
		now := s.Now().In(KST)
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, KST)
		n, err := s.store.CountComments(ctx, viewer.ID, articleID, day)
		if err != nil {
			return "", err
		}
		if n >= int64(s.DailyCommentCap) {
			return "", &RetryError{
				Err:   Errorf(ERATELIMITED, "한 기사에는 하루 %d개까지 댓글을 쓸 수 있습니다. 내일 다시 참여해주세요.", s.DailyCommentCap),
				After: day.AddDate(0, 0, 1).Sub(now),
			}
		}
	}
	f, err := s.wordFilter(ctx)
	if err != nil {
		return "", err
	}
	if mode == CommentModePremod || f.match(body) != "" {
		return CommentPending, nil
	}
	return CommentVisible, nil
}

// RetryError is a refusal that may be retried after a while; the web
// layer sends After as Retry-After.
type RetryError struct {
	Err   *Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }
func (e *RetryError) Unwrap() error { return e.Err }

// TakeDown starts a 임시조치 of an article or comment on a rights claim, for
// days (1–30): the article's body is replaced by a notice, the comment is
// hidden.
func (s *Service) TakeDown(ctx context.Context, viewer Account, kind string, id int64, claimant, claim string, days int) (Takedown, error) {
	if err := require(viewer, CanModerate); err != nil {
		return Takedown{}, err
	}
	if kind == TargetArticle && !CanPublish(viewer.Role) {
		return Takedown{}, Errorf(EFORBIDDEN, "기사 임시조치는 데스크와 관리자만 할 수 있습니다.")
	}
	claimant, err := cleanReason(claimant, true)
	if err != nil {
		return Takedown{}, Errorf(EINVALID, "권리 침해를 주장한 사람을 입력해주세요.")
	}
	if claim, err = cleanReason(claim, true); err != nil {
		return Takedown{}, Errorf(EINVALID, "침해 주장 내용을 입력해주세요.")
	}
	if days < 1 || days > MaxTakedownDays {
		return Takedown{}, Errorf(EINVALID, "임시조치 기간은 1일에서 %d일 사이입니다.", MaxTakedownDays)
	}
	now := s.Now()
	t := Takedown{TargetKind: kind, TargetID: id, Claimant: claimant, Claim: claim, State: TakedownActive,
		CreatedAt: now, Until: now.AddDate(0, 0, days), ByID: viewer.ID}
	articleID := id
	if kind == TargetComment {
		c, err := s.store.Comment(ctx, id)
		if err != nil {
			return Takedown{}, err
		}
		articleID = c.ArticleID
	}
	if err := s.store.CreateTakedown(ctx, &t, s.auditEntry(viewer, AuditTakedown, kind, id, claimant+": "+claim)); err != nil {
		return Takedown{}, err
	}
	s.changed(articleID, kind == TargetArticle)
	return t, nil
}

// DecideTakedown closes a 임시조치: restore the content or keep it down.
func (s *Service) DecideTakedown(ctx context.Context, viewer Account, id int64, restore bool, decision string) (Takedown, error) {
	if err := require(viewer, CanModerate); err != nil {
		return Takedown{}, err
	}
	decision, err := cleanReason(decision, true)
	if err != nil {
		return Takedown{}, err
	}
	t, err := s.store.Takedown(ctx, id)
	if err != nil {
		return Takedown{}, err
	}
	if t.TargetKind == TargetArticle && !CanPublish(viewer.Role) {
		return Takedown{}, Errorf(EFORBIDDEN, "기사 임시조치는 데스크와 관리자만 결정할 수 있습니다.")
	}
	state := TakedownRemoved
	if restore {
		state = TakedownRestored
	}
	t, err = s.store.DecideTakedown(ctx, id, state, decision, s.Now(),
		s.auditEntry(viewer, AuditTakedownClose, t.TargetKind, t.TargetID, state+": "+decision))
	if err != nil {
		return Takedown{}, err
	}
	articleID := t.TargetID
	if t.TargetKind == TargetComment {
		if c, err := s.store.Comment(ctx, t.TargetID); err == nil {
			articleID = c.ArticleID
		}
	}
	s.changed(articleID, t.TargetKind == TargetArticle)
	return t, nil
}

// Takedowns lists takedowns for the newsroom.
func (s *Service) Takedowns(ctx context.Context, viewer Account) ([]Takedown, error) {
	if err := require(viewer, CanModerate); err != nil {
		return nil, err
	}
	return s.store.Takedowns(ctx, 100)
}

// takenDown reports whether an article is under 임시조치 (or was removed
// after one).
func (s *Service) takenDown(ctx context.Context, id int64) (bool, error) {
	now := s.Now()
	s.mod.mu.Lock()
	set, at := s.mod.takedowns, s.mod.takenAt
	s.mod.mu.Unlock()
	if set == nil || now.Sub(at) >= moderationTTL {
		ids, err := s.store.ArticlesTakenDown(ctx)
		if err != nil {
			return false, err
		}
		set = make(map[int64]bool, len(ids))
		for _, id := range ids {
			set[id] = true
		}
		s.mod.mu.Lock()
		s.mod.takedowns, s.mod.takenAt = set, now
		s.mod.mu.Unlock()
	}
	return set[id], nil
}

// maskTakenDown replaces the body of an article under 임시조치 with the notice.
func (s *Service) maskTakenDown(ctx context.Context, a *Article) error {
	down, err := s.takenDown(ctx, a.ID)
	if err != nil || !down {
		return err
	}
	a.Deck = nil
	a.Body = ""
	a.Blocks = []Block{{Type: BlockParagraph, Text: TakedownNotice}}
	return nil
}

// AuditLog returns moderators' actions, newest first.
func (s *Service) AuditLog(ctx context.Context, viewer Account, before int64, limit int) ([]AuditEntry, error) {
	if err := require(viewer, CanModerate); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return s.store.AuditLog(ctx, before, limit)
}

// PublicComments drops the comments readers must not see at all: hidden
// and held ones, unless visible replies hang on them (then they show as
// removed, keeping the thread).
func PublicComments(list []Comment) []Comment {
	out := list[:0:0]
	for _, c := range list {
		if (c.State == CommentHidden || c.State == CommentPending) && c.ReplyCount == 0 {
			continue
		}
		out = append(out, c)
	}
	return out
}

// ModerationTools is what the moderators' tools page shows.
type ModerationTools struct {
	Words     []string
	Sanctions []NamedSanction
	Takedowns []PlacedTakedown
}

// NamedSanction is a sanction with the sanctioned reader's display name.
type NamedSanction struct {
	Sanction
	Name string
}

// PlacedTakedown is a takedown with the article its target belongs to, and
// for a comment the comment's id (0 when the target no longer exists).
type PlacedTakedown struct {
	Takedown
	ArticleID int64
	CommentID int64
}

// ModerationTools gathers banned words, sanctions and takedowns for
// moderators. Returns EUNAUTHORIZED or EFORBIDDEN.
func (s *Service) ModerationTools(ctx context.Context, viewer Account) (ModerationTools, error) {
	var mt ModerationTools
	var err error
	if mt.Words, err = s.BannedWords(ctx, viewer); err != nil {
		return mt, err
	}
	sanctions, err := s.Sanctions(ctx, viewer)
	if err != nil {
		return mt, err
	}
	for _, sn := range sanctions {
		row := NamedSanction{Sanction: sn}
		if a, err := s.store.Account(ctx, sn.AccountID); err == nil {
			row.Name = a.DisplayName
		} else if !IsNotFound(err) {
			return mt, err
		}
		mt.Sanctions = append(mt.Sanctions, row)
	}
	takedowns, err := s.Takedowns(ctx, viewer)
	if err != nil {
		return mt, err
	}
	for _, t := range takedowns {
		row := PlacedTakedown{Takedown: t, ArticleID: t.TargetID}
		if t.TargetKind == TargetComment {
			row.ArticleID = 0
			if c, err := s.store.Comment(ctx, t.TargetID); err == nil {
				row.ArticleID, row.CommentID = c.ArticleID, c.ID
			} else if !IsNotFound(err) {
				return mt, err
			}
		}
		mt.Takedowns = append(mt.Takedowns, row)
	}
	return mt, nil
}
