package news

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The newsroom: reporters write drafts and submit them; editors (the desk)
// publish now or at a time, return drafts with a note, unpublish, correct in
// the open and choose the front page; admins manage staff and API tokens.

// CanWrite reports whether the role may use the newsroom: write drafts,
// submit them and upload photos.
func CanWrite(role string) bool {
	return role == RoleReporter || role == RoleEditor || role == RoleAdmin
}

// CanPublish reports whether the role is the desk's: publish, schedule,
// return, unpublish, edit published stories and choose the front page.
func CanPublish(role string) bool { return role == RoleEditor || role == RoleAdmin }

// CanAdminister reports whether the role manages staff and API tokens.
func CanAdminister(role string) bool { return role == RoleAdmin }

var errNoRole = &Error{Code: EFORBIDDEN, Message: "이 기능을 사용할 권한이 없습니다."}

// ErrNoRole is returned to a logged-in caller whose role does not allow the action.
func ErrNoRole() error { return errNoRole }

func require(viewer Account, allowed func(string) bool) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	if !allowed(viewer.Role) {
		return errNoRole
	}
	return nil
}

// DeskState is the state the newsroom shows: a published article whose time
// has not come is StateScheduled.
func (s *Service) DeskState(a *Article) string {
	if a.State == StatePublished && a.PublishedAt.After(s.Now()) {
		return StateScheduled
	}
	return a.State
}

// isLive reports whether readers can see a now.
func (s *Service) isLive(a *Article) bool {
	return a.State == StatePublished && !a.PublishedAt.After(s.Now())
}

// DeskArticle is an article as the newsroom sees it.
type DeskArticle struct {
	Article
	// DeskState is Article.State, or StateScheduled.
	DeskState string
	// ReturnNote is the desk's note while a returned draft waits to be
	// resubmitted.
	ReturnNote string
	Revisions  []Revision
}

// NewsroomArticle returns any article with its revisions, for staff.
// Returns EUNAUTHORIZED, EFORBIDDEN or ENOTFOUND.
func (s *Service) NewsroomArticle(ctx context.Context, viewer Account, id int64) (DeskArticle, error) {
	if err := require(viewer, CanWrite); err != nil {
		return DeskArticle{}, err
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return DeskArticle{}, err
	}
	revs, err := s.store.Revisions(ctx, id)
	if err != nil {
		return DeskArticle{}, fmt.Errorf("revisions of %d: %w", id, err)
	}
	d := DeskArticle{Article: a, DeskState: s.DeskState(&a), Revisions: revs}
	if a.State == StateDraft {
		for i := len(revs) - 1; i >= 0; i-- {
			if revs[i].Action == ActionSubmit {
				break
			}
			if revs[i].Action == ActionReturn {
				d.ReturnNote = revs[i].Note
				break
			}
		}
	}
	return d, nil
}

// DeskCopy returns any article as it is stored, for staff to edit or pick.
// Returns EUNAUTHORIZED, EFORBIDDEN or ENOTFOUND.
func (s *Service) DeskCopy(ctx context.Context, viewer Account, id int64) (Article, error) {
	if err := require(viewer, CanWrite); err != nil {
		return Article{}, err
	}
	return s.store.Article(ctx, id)
}

// NewsroomArticles lists articles for the newsroom. Returns EUNAUTHORIZED,
// EFORBIDDEN, or EINVALID for an unknown state.
func (s *Service) NewsroomArticles(ctx context.Context, viewer Account, q NewsroomQuery) ([]Article, int64, error) {
	if err := require(viewer, CanWrite); err != nil {
		return nil, 0, err
	}
	switch q.State {
	case "", StateDraft, StateSubmitted, StateScheduled, StatePublished, StateUnpublished:
	default:
		return nil, 0, Errorf(EINVALID, "알 수 없는 상태입니다: %s", q.State)
	}
	q.Now = s.Now()
	q.Search = strings.TrimSpace(q.Search)
	if q.Limit <= 0 {
		q.Limit = 20
	}
	return s.store.NewsroomArticles(ctx, q)
}

// checkDesk validates what the newsroom form adds to an article: labels that
// exist, bylines, print placement and comments.
func (s *Service) checkDesk(ctx context.Context, a *Article) error {
	if len(a.Labels) > 0 {
		known, err := s.store.Labels(ctx)
		if err != nil {
			return err
		}
		var labels []Label
		for _, l := range a.Labels {
			i := slices.IndexFunc(known, func(k Label) bool { return k.Code == l.Code })
			if i < 0 {
				return Errorf(EINVALID, "없는 라벨입니다: %s", l.Code)
			}
			if !slices.ContainsFunc(labels, func(k Label) bool { return k.Code == l.Code }) {
				labels = append(labels, known[i])
			}
		}
		a.Labels = labels
	}
	for i := range a.Bylines {
		b := &a.Bylines[i]
		r, err := s.store.Reporter(ctx, b.ReporterID)
		if IsNotFound(err) {
			return Errorf(EINVALID, "없는 기자입니다: %d", b.ReporterID)
		}
		if err != nil {
			return err
		}
		b.Name = r.Name
		b.Role = strings.TrimSpace(b.Role)
		if b.Role == "" {
			b.Role = r.Role
		}
		b.Dateline = strings.TrimSpace(b.Dateline)
	}
	if a.Print != nil {
		if a.Print.Page <= 0 || a.Print.Page > 999 {
			return Errorf(EINVALID, "지면 면수는 1 이상이어야 합니다.")
		}
		if _, err := time.Parse("2006-01-02", a.Print.Date); err != nil {
			return Errorf(EINVALID, "지면 날짜는 YYYY-MM-DD 형식으로 입력해주세요.")
		}
	}
	if a.Source != nil && strings.TrimSpace(a.Source.Slogan) == "" && strings.TrimSpace(a.Source.Copyright) == "" {
		a.Source = nil
	}
	a.CorrectionNote = strings.TrimSpace(a.CorrectionNote)
	if utf8.RuneCountInString(a.CorrectionNote) > 1000 {
		return Errorf(EINVALID, "정정 안내는 1000자 이내로 입력해주세요.")
	}
	return nil
}

func revisionOf(a *Article, action string, viewer Account, at time.Time) Revision {
	return Revision{
		Action: action, State: a.State, Public: a.State == StatePublished,
		Headline: a.Headline, Deck: slices.Clone(a.Deck), Body: a.Body, CorrectionNote: a.CorrectionNote,
		AccountID: viewer.ID, AccountName: viewer.DisplayName, CreatedAt: at,
	}
}

// CreateDraft stores a new draft written in the newsroom. Returns
// EUNAUTHORIZED, EFORBIDDEN, or EINVALID for a missing headline, section or
// body and for unknown labels, reporters or photos.
func (s *Service) CreateDraft(ctx context.Context, viewer Account, a *Article) error {
	if err := require(viewer, CanWrite); err != nil {
		return err
	}
	if err := s.prepare(ctx, a); err != nil {
		return err
	}
	if err := s.checkDesk(ctx, a); err != nil {
		return err
	}
	now := s.Now()
	a.State, a.PublishedAt, a.UpdatedAt, a.CreatedAt = StateDraft, time.Time{}, time.Time{}, now
	rev := revisionOf(a, ActionCreate, viewer, now)
	if err := s.store.CreateDraft(ctx, a, &rev); err != nil {
		return fmt.Errorf("create draft: %w", err)
	}
	s.changed(a.ID, false)
	return nil
}

// PreviewArticle prepares a as it would be saved, for the preview, without
// saving it.
func (s *Service) PreviewArticle(ctx context.Context, viewer Account, a *Article) error {
	if err := require(viewer, CanWrite); err != nil {
		return err
	}
	if err := s.prepare(ctx, a); err != nil {
		return err
	}
	if err := s.checkDesk(ctx, a); err != nil {
		return err
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.Now()
	}
	return nil
}

// save writes a (loaded at version) with one revision, adding a baseline
// revision for articles made before revisions were kept (the demo content),
// so their first correction has something to compare with.
func (s *Service) save(ctx context.Context, a *Article, old *Article, version int64, rev Revision) error {
	revs := []Revision{rev}
	existing, err := s.store.Revisions(ctx, a.ID)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		base := revisionOf(old, ActionCreate, Account{}, old.CreatedAt)
		if old.State == StatePublished && !old.PublishedAt.IsZero() {
			base.CreatedAt = old.PublishedAt
		}
		revs = []Revision{base, rev}
	}
	if err := s.store.UpdateArticle(ctx, a, version, revs); err != nil {
		return fmt.Errorf("save article %d: %w", a.ID, err)
	}
	return nil
}

// EditArticle saves the newsroom's changes to an article: a holds every
// field, version the version they were made on (0 for the current one).
// Reporters may edit drafts and submitted stories only; editing a live
// story sets its 수정 time and keeps a public revision. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EPRECONDITION if someone saved in
// between, or EINVALID.
func (s *Service) EditArticle(ctx context.Context, viewer Account, a *Article, version int64) error {
	if err := require(viewer, CanWrite); err != nil {
		return err
	}
	old, err := s.store.Article(ctx, a.ID)
	if err != nil {
		return err
	}
	if version == 0 {
		version = old.Version
	}
	if version != old.Version {
		return errStale
	}
	if !CanPublish(viewer.Role) && old.State != StateDraft && old.State != StateSubmitted {
		return Errorf(EFORBIDDEN, "발행된 기사는 데스크만 고칠 수 있습니다.")
	}
	if err := s.requireOwnDraft(ctx, viewer, &old); err != nil {
		return err
	}
	if err := s.prepare(ctx, a); err != nil {
		return err
	}
	if err := s.checkDesk(ctx, a); err != nil {
		return err
	}
	now := s.Now()
	a.State, a.PublishedAt, a.UpdatedAt, a.CreatedAt = old.State, old.PublishedAt, old.UpdatedAt, old.CreatedAt
	live := s.isLive(&old)
	if live {
		a.UpdatedAt = now
	}
	if err := s.save(ctx, a, &old, version, revisionOf(a, ActionSave, viewer, now)); err != nil {
		return err
	}
	s.changed(a.ID, old.State == StatePublished)
	return nil
}

var errNotOwnDraft = &Error{Code: EFORBIDDEN, Message: "다른 기자의 기사는 고치거나 출고할 수 없습니다. 직접 쓰거나 바이라인에 이름이 오른 기사만 고칠 수 있습니다."}

// requireOwnDraft lets editors and admins through, and a reporter only to
// an article they created or are bylined on (a byline's reporter whose
// e-mail is theirs). Returns EFORBIDDEN otherwise.
func (s *Service) requireOwnDraft(ctx context.Context, viewer Account, a *Article) error {
	if CanPublish(viewer.Role) {
		return nil
	}
	revs, err := s.store.Revisions(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("article %d revisions: %w", a.ID, err)
	}
	for _, r := range revs {
		if r.Action == ActionCreate && r.AccountID == viewer.ID {
			return nil
		}
	}
	email := NormalizeEmail(viewer.Email)
	for _, b := range a.Bylines {
		r, err := s.store.Reporter(ctx, b.ReporterID)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("byline reporter %d: %w", b.ReporterID, err)
		}
		if email != "" && NormalizeEmail(r.Email) == email {
			return nil
		}
	}
	return errNotOwnDraft
}

var errStale = &Error{Code: EPRECONDITION, Message: "그사이 다른 사람이 기사를 고쳤습니다. 새로 불러온 뒤 다시 고쳐주세요."}

// transition changes an article's state with a revision; change returns
// false when there is nothing to do (the action is idempotent).
func (s *Service) transition(ctx context.Context, viewer Account, id int64, action, note string,
	change func(a *Article, now time.Time) (bool, error)) (Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return Article{}, err
	}
	old := a
	now := s.Now()
	wasListed := a.State == StatePublished
	ok, err := change(&a, now)
	if err != nil || !ok {
		return a, err
	}
	rev := revisionOf(&a, action, viewer, now)
	rev.Note = note
	if err := s.save(ctx, &a, &old, old.Version, rev); err != nil {
		return Article{}, err
	}
	s.changed(a.ID, wasListed || a.State == StatePublished)
	return a, nil
}

// Submit sends a draft to the desk. Submitting twice changes nothing.
// Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, or ECONFLICT for a story
// already published.
func (s *Service) Submit(ctx context.Context, viewer Account, id int64) (Article, error) {
	if err := require(viewer, CanWrite); err != nil {
		return Article{}, err
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if err := s.requireOwnDraft(ctx, viewer, &a); err != nil {
		return Article{}, err
	}
	return s.transition(ctx, viewer, id, ActionSubmit, "", func(a *Article, now time.Time) (bool, error) {
		switch a.State {
		case StateSubmitted:
			return false, nil
		case StateDraft:
			a.State = StateSubmitted
			return true, nil
		}
		return false, Errorf(ECONFLICT, "이미 발행했거나 내린 기사는 출고할 수 없습니다.")
	})
}

// Publish publishes an article now (at zero or not after now) or schedules
// it for at. Publishing a live story again changes nothing. A story that
// was unpublished keeps its first 입력 time. Returns EUNAUTHORIZED,
// EFORBIDDEN (reporters cannot publish), ENOTFOUND.
func (s *Service) Publish(ctx context.Context, viewer Account, id int64, at time.Time) (Article, error) {
	if err := require(viewer, CanPublish); err != nil {
		return Article{}, err
	}
	action := ActionPublish
	if at.After(s.Now()) {
		action = ActionSchedule
	}
	published := false
	a, err := s.transition(ctx, viewer, id, action, "", func(a *Article, now time.Time) (bool, error) {
		if !at.After(now) {
			if s.isLive(a) {
				return false, nil
			}
			if a.PublishedAt.IsZero() || a.PublishedAt.After(now) {
				a.PublishedAt = now
			}
		} else {
			if a.State == StatePublished && a.PublishedAt.Equal(at) {
				return false, nil
			}
			if s.isLive(a) {
				return false, Errorf(ECONFLICT, "이미 발행된 기사는 예약할 수 없습니다.")
			}
			a.PublishedAt = at
		}
		a.State = StatePublished
		published = true
		return true, nil
	})
	if err == nil && published {
		s.announceBreaking(a)
	}
	return a, err
}

// Return sends a submitted story back to its reporter with a note. Returns
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID without a note, ECONFLICT
// for a published story.
func (s *Service) Return(ctx context.Context, viewer Account, id int64, note string) (Article, error) {
	if err := require(viewer, CanPublish); err != nil {
		return Article{}, err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return Article{}, Errorf(EINVALID, "반려 사유를 입력해주세요.")
	}
	if utf8.RuneCountInString(note) > 1000 {
		return Article{}, Errorf(EINVALID, "반려 사유는 1000자 이내로 입력해주세요.")
	}
	return s.transition(ctx, viewer, id, ActionReturn, note, func(a *Article, now time.Time) (bool, error) {
		switch a.State {
		case StateDraft, StateSubmitted:
			a.State = StateDraft
			return true, nil
		}
		return false, Errorf(ECONFLICT, "발행했거나 예약한 기사는 반려할 수 없습니다. 먼저 내려주세요.")
	})
}

// Unpublish takes a published or scheduled story off the site; doing it
// twice changes nothing. Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND,
// ECONFLICT for a story never published.
func (s *Service) Unpublish(ctx context.Context, viewer Account, id int64) (Article, error) {
	if err := require(viewer, CanPublish); err != nil {
		return Article{}, err
	}
	return s.transition(ctx, viewer, id, ActionUnpublish, "", func(a *Article, now time.Time) (bool, error) {
		switch a.State {
		case StateUnpublished:
			return false, nil
		case StatePublished:
			if a.PublishedAt.After(now) {
				// A scheduled story that never ran goes back to the desk.
				a.State, a.PublishedAt = StateSubmitted, time.Time{}
				return true, nil
			}
			a.State = StateUnpublished
			return true, nil
		}
		return false, Errorf(ECONFLICT, "발행되지 않은 기사입니다.")
	})
}

// AnnounceDue tells caches about scheduled stories whose time came after
// since and by now, and returns now to pass as since next time. The stories
// themselves are public from their time on whether or not it runs.
func (s *Service) AnnounceDue(ctx context.Context, since time.Time) (time.Time, error) {
	return s.announceDue(ctx, since, s.Now())
}

func (s *Service) announceDue(ctx context.Context, since, now time.Time) (time.Time, error) {
	if since.IsZero() || !now.After(since) {
		return now, nil
	}
	ids, err := s.store.DueArticles(ctx, since, now)
	if err != nil {
		return since, fmt.Errorf("due articles: %w", err)
	}
	for _, id := range ids {
		s.changed(id, true)
	}
	return now, nil
}

// RunSchedule announces due stories every interval until ctx ends. It reads
// the real clock, not s.Now, so that tests may set their clock while it runs.
func (s *Service) RunSchedule(ctx context.Context, interval time.Duration, onError func(error)) {
	since := time.Now()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			next, err := s.announceDue(ctx, since, time.Now())
			if err != nil {
				onError(err)
			}
			since = next
		}
	}
}

// Revisions returns all of an article's revisions, for staff.
func (s *Service) Revisions(ctx context.Context, viewer Account, id int64) ([]Revision, error) {
	if err := require(viewer, CanWrite); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, id); err != nil {
		return nil, err
	}
	return s.store.Revisions(ctx, id)
}

// RevisionChange is a published revision and what it changed from the one
// before it.
type RevisionChange struct {
	Revision
	// First is true for the first published revision, which has no diff.
	First   bool
	Diff    []DiffPart
	Added   int // words
	Removed int
}

// PublicRevisions returns a live article and its published revisions,
// newest first, each with the words added and removed since the previous
// one. Returns ENOTFOUND for articles readers cannot see.
func (s *Service) PublicRevisions(ctx context.Context, id int64) (Article, []RevisionChange, error) {
	a, err := s.PublicArticle(ctx, id)
	if err != nil {
		return Article{}, nil, err
	}
	revs, err := s.store.Revisions(ctx, id)
	if err != nil {
		return Article{}, nil, fmt.Errorf("revisions of %d: %w", id, err)
	}
	var public []Revision
	for _, r := range revs {
		if r.Public {
			public = append(public, r)
		}
	}
	if len(public) == 0 {
		public = []Revision{revisionOf(&a, ActionPublish, Account{}, a.PublishedAt)}
		public[0].Version = a.Version
	}
	out := make([]RevisionChange, 0, len(public))
	var prev string
	for i, r := range public {
		text := RevisionText(r)
		c := RevisionChange{Revision: r, First: i == 0}
		if i > 0 {
			c.Diff = DiffWords(prev, text)
			for _, p := range c.Diff {
				switch p.Op {
				case DiffAdded:
					c.Added += len(strings.Fields(p.Text))
				case DiffRemoved:
					c.Removed += len(strings.Fields(p.Text))
				}
			}
		}
		prev = text
		out = append(out, c)
	}
	slices.Reverse(out)
	return a, out, nil
}

// RevisionText is the text readers see of a revision, for diffs: headline,
// deck, the body's text and the correction note, one block a line.
func RevisionText(r Revision) string {
	var b strings.Builder
	b.WriteString(r.Headline)
	for _, d := range r.Deck {
		b.WriteString("\n" + d)
	}
	for _, bl := range ParseBody(r.Body) {
		switch bl.Type {
		case BlockPhoto:
			for _, p := range bl.Photos {
				b.WriteString("\n[사진: " + p.Alt + "]")
			}
		default:
			b.WriteString("\n" + bl.Text)
			if bl.Cite != "" {
				b.WriteString(" — " + bl.Cite)
			}
		}
	}
	if r.CorrectionNote != "" {
		b.WriteString("\n바로잡습니다: " + r.CorrectionNote)
	}
	return b.String()
}

// Front page picks.

// FrontPicks returns the editors' picks, by slot (FrontTop or a section id).
func (s *Service) FrontPicks(ctx context.Context) (map[int64][]int64, error) {
	return s.store.FrontPicks(ctx)
}

// SetFrontPicks sets the ordered picks of one slot: FrontTop or a section's
// id. Returns EUNAUTHORIZED, EFORBIDDEN, or EINVALID for an unknown or
// duplicate article or too many picks.
func (s *Service) SetFrontPicks(ctx context.Context, viewer Account, slot int64, ids []int64) error {
	if err := require(viewer, CanPublish); err != nil {
		return err
	}
	if len(ids) > 20 {
		return Errorf(EINVALID, "한 자리에 고를 수 있는 기사는 20개까지입니다.")
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			return Errorf(EINVALID, "같은 기사를 두 번 고를 수 없습니다: %d", id)
		}
		seen[id] = true
		if _, err := s.store.Article(ctx, id); IsNotFound(err) {
			return Errorf(EINVALID, "없는 기사입니다: %d", id)
		} else if err != nil {
			return err
		}
	}
	if err := s.store.SetFrontPicks(ctx, slot, ids); err != nil {
		return fmt.Errorf("set front picks: %w", err)
	}
	s.changed(0, true)
	return nil
}

// withPicks lists the picked live articles of a slot first, in the editors'
// order, then the newest others matching f, up to f.Limit in all (more if
// the editors picked more).
func (s *Service) withPicks(ctx context.Context, picks []int64, f ArticleFilter) ([]Article, error) {
	var out []Article
	seen := map[int64]bool{}
	for _, id := range picks {
		a, err := s.store.Article(ctx, id)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !s.isLive(&a) || (f.SectionID != 0 && a.Section.ID != f.SectionID) {
			continue
		}
		seen[id] = true
		out = append(out, a)
	}
	want := f.Limit
	f.Limit += len(out)
	rest, _, err := s.store.PublishedArticles(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, a := range rest {
		if len(out) >= want {
			break
		}
		if !seen[a.ID] {
			out = append(out, a)
		}
	}
	return out, nil
}

// Labels and reporters.

// CreateLabel adds a label the newsroom can use. Returns EUNAUTHORIZED,
// EFORBIDDEN, EINVALID, or ECONFLICT for a code in use.
func (s *Service) CreateLabel(ctx context.Context, viewer Account, l Label) error {
	if err := require(viewer, CanPublish); err != nil {
		return err
	}
	l.Code, l.Name = strings.TrimSpace(l.Code), strings.TrimSpace(l.Name)
	if l.Code == "" || l.Name == "" || len(l.Code) > 40 || utf8.RuneCountInString(l.Name) > 20 {
		return Errorf(EINVALID, "라벨 코드(영문)와 이름(20자 이내)을 입력해주세요.")
	}
	for _, r := range l.Code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return Errorf(EINVALID, "라벨 코드는 영문 소문자, 숫자, -, _ 로만 씁니다.")
		}
	}
	if err := s.store.CreateLabel(ctx, l); err != nil {
		return err
	}
	s.changed(0, false)
	return nil
}

// CreateReporter adds a reporter who can be credited in bylines. Returns
// EUNAUTHORIZED, EFORBIDDEN or EINVALID.
func (s *Service) CreateReporter(ctx context.Context, viewer Account, r *Reporter) error {
	if err := require(viewer, CanPublish); err != nil {
		return err
	}
	r.Name, r.Role = strings.TrimSpace(r.Name), strings.TrimSpace(r.Role)
	if r.Name == "" || utf8.RuneCountInString(r.Name) > 40 {
		return Errorf(EINVALID, "기자 이름을 입력해주세요.")
	}
	if r.Role == "" {
		r.Role = "기자"
	}
	return s.store.CreateReporter(ctx, r)
}

// Photos.

// Photo size rules for uploads.
const (
	// MaxPhotoPixels refuses decompression bombs: images whose dimensions
	// would take gigabytes once decoded.
	MaxPhotoPixels = 40_000_000
	// MaxPhotoSide is the longest side accepted, in pixels.
	MaxPhotoSide = 20_000
)

// CreatePhoto stores an uploaded photo whose variants the caller has already
// decoded and re-encoded. Returns EUNAUTHORIZED, EFORBIDDEN, or EINVALID
// when the caption, credit or alternative text is missing.
func (s *Service) CreatePhoto(ctx context.Context, viewer Account, p *Photo, variants []PhotoVariant) error {
	if err := require(viewer, CanWrite); err != nil {
		return err
	}
	p.Caption, p.Credit, p.Alt = strings.TrimSpace(p.Caption), strings.TrimSpace(p.Credit), strings.TrimSpace(p.Alt)
	switch {
	case p.Caption == "":
		return Errorf(EINVALID, "사진 설명(캡션)을 입력해주세요.")
	case p.Credit == "":
		return Errorf(EINVALID, "사진 출처(크레디트)를 입력해주세요.")
	case p.Alt == "":
		return Errorf(EINVALID, "대체 텍스트를 입력해주세요. 화면을 볼 수 없는 독자에게 읽어 줄 설명입니다.")
	case utf8.RuneCountInString(p.Caption) > 500 || utf8.RuneCountInString(p.Credit) > 100 || utf8.RuneCountInString(p.Alt) > 300:
		return Errorf(EINVALID, "사진 설명은 500자, 출처는 100자, 대체 텍스트는 300자 이내로 입력해주세요.")
	case len(variants) == 0:
		return Errorf(EINVALID, "사진이 없습니다.")
	}
	last := variants[len(variants)-1]
	p.Width, p.Height, p.ContentType, p.CreatedAt = last.Width, last.Height, last.ContentType, s.Now()
	if err := s.store.CreatePhoto(ctx, p, variants); err != nil {
		return fmt.Errorf("create photo: %w", err)
	}
	return nil
}

// Staff and tokens.

// StaffAccounts lists the accounts with a role beyond reader, for admins.
func (s *Service) StaffAccounts(ctx context.Context, viewer Account) ([]Account, error) {
	if err := require(viewer, CanAdminister); err != nil {
		return nil, err
	}
	return s.store.StaffAccounts(ctx)
}

// SetRole gives the account with the e-mail a role. Admins cannot change
// their own role, so a site always keeps the admin who is doing it.
// Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND or EINVALID.
func (s *Service) SetRole(ctx context.Context, viewer Account, email, role string) (Account, error) {
	if err := require(viewer, CanAdminister); err != nil {
		return Account{}, err
	}
	if !ValidRole(role) {
		return Account{}, Errorf(EINVALID, "알 수 없는 역할입니다: %s", role)
	}
	a, err := s.store.AccountByEmail(ctx, NormalizeEmail(email))
	if IsNotFound(err) {
		return Account{}, Errorf(ENOTFOUND, "그 이메일로 가입한 회원이 없습니다.")
	}
	if err != nil {
		return Account{}, err
	}
	if a.ID == viewer.ID {
		return Account{}, Errorf(EINVALID, "자기 자신의 역할은 바꿀 수 없습니다.")
	}
	if err := s.store.SetAccountRole(ctx, a.ID, role); err != nil {
		return Account{}, err
	}
	// Sessions on this node hold the old role: it counts from the next
	// request here (elsewhere once their short cache lapses).
	s.sessions.clear()
	a.Role = role
	return a, nil
}

// APITokenPrefix starts every personal API token, so one that leaks is easy
// to recognise.
const APITokenPrefix = "jikji_"

// IssueAPIToken creates a personal API token for a staff member and returns
// it; only its hash is kept. Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND
// for an unknown e-mail, or EINVALID for a reader or a missing name.
func (s *Service) IssueAPIToken(ctx context.Context, viewer Account, email, name string) (APIToken, string, error) {
	if err := require(viewer, CanAdminister); err != nil {
		return APIToken{}, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return APIToken{}, "", Errorf(EINVALID, "토큰 이름(용도)을 60자 이내로 입력해주세요.")
	}
	a, err := s.store.AccountByEmail(ctx, NormalizeEmail(email))
	if IsNotFound(err) {
		return APIToken{}, "", Errorf(ENOTFOUND, "그 이메일로 가입한 회원이 없습니다.")
	}
	if err != nil {
		return APIToken{}, "", err
	}
	if !CanWrite(a.Role) {
		return APIToken{}, "", Errorf(EINVALID, "기자, 데스크, 관리자에게만 API 토큰을 발급할 수 있습니다.")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token := APITokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := APIToken{AccountID: a.ID, AccountName: a.DisplayName, AccountEmail: a.Email, Name: name, TokenHash: HashToken(token), CreatedAt: s.Now()}
	if err := s.store.CreateAPIToken(ctx, &t); err != nil {
		return APIToken{}, "", fmt.Errorf("issue token: %w", err)
	}
	return t, token, nil
}

// APITokens lists every token for admins.
func (s *Service) APITokens(ctx context.Context, viewer Account) ([]APIToken, error) {
	if err := require(viewer, CanAdminister); err != nil {
		return nil, err
	}
	return s.store.APITokens(ctx)
}

// RevokeAPIToken stops a token from working. Returns EUNAUTHORIZED,
// EFORBIDDEN or ENOTFOUND.
func (s *Service) RevokeAPIToken(ctx context.Context, viewer Account, id int64) error {
	if err := require(viewer, CanAdminister); err != nil {
		return err
	}
	return s.store.RevokeAPIToken(ctx, id, s.Now())
}

// TokenAccount returns the account of a personal API token. Returns
// EUNAUTHORIZED for an unknown or revoked token.
func (s *Service) TokenAccount(ctx context.Context, token string) (Account, error) {
	if !strings.HasPrefix(token, APITokenPrefix) || len(token) > 100 {
		return Account{}, errBadToken
	}
	a, err := s.store.APITokenAccount(ctx, HashToken(token))
	if IsNotFound(err) {
		return Account{}, errBadToken
	}
	return a, err
}

var errBadToken = &Error{Code: EUNAUTHORIZED, Message: "API 토큰이 올바르지 않거나 폐기되었습니다."}
