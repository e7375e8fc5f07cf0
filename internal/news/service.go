package news

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Service is the domain's entry point: workflow, permissions and rules over
// a Store. The web layer and command-line tools talk to it, never to a Store.
type Service struct {
	store Store
	// Now is the clock; tests set their own.
	Now Clock
	// BreakingWindow is how long a 속보 stays in the breaking strip.
	BreakingWindow time.Duration
	// Passwords hashes and checks passwords.
	Passwords PasswordHasher
	// Reactions are the 공감 표현 offered; DefaultReactions when empty.
	Reactions []ReactionKind
	// Changes tells caches what each write touched.
	Changes *ChangeFeed
	// Views counts article page views for 많이 본 뉴스.
	Views *PageViews
	// Live carries events to open pages and counts reads for the newsroom.
	Live *LiveHub

	// DailyCommentCap is how many comments a reader may write on one
	// article in a day (KST); 0 means no cap.
	DailyCommentCap int

	// OneTimeCodes checks authenticator codes; nil turns two-factor off.
	OneTimeCodes OneTimeCodes
	// TwoFactorAllStaff requires two-factor of reporters and moderators
	// too, not only of editors and admins.
	TwoFactorAllStaff bool
	// LinkConfirmations, if set, mails the owner of a registered e-mail a
	// link that confirms linking a provider's login to the account.
	LinkConfirmations LinkConfirmations

	// MailOptions say how mail is written; MailCounters count what was sent.
	MailOptions  MailOptions
	MailCounters MailCounters
	mailer       mailerState

	sessions sessionCache
	gates    gateCache
	recent   recentWriters
	mod      moderation
	readers  readerStates
	paused   pausedCache
	touches  sessionTouches
}

// NewService returns a Service over store with the real clock.
func NewService(store Store) *Service {
	s := &Service{store: store, Now: time.Now, BreakingWindow: 6 * time.Hour, Changes: newChangeFeed(store), DailyCommentCap: DefaultDailyCommentCap}
	s.Views = newPageViews(store, func() time.Time { return s.Now() })
	s.Changes.Subscribe(s.gates.invalidate)
	s.Changes.Subscribe(s.mod.invalidate)
	s.Changes.Subscribe(s.readers.invalidate)
	s.Live = newLiveHub(store, func() time.Time { return s.Now() })
	s.Live.counts = s.liveCounts
	s.Changes.Subscribe(s.Live.countsChanged)
	return s
}

// changed announces what a successful write touched. Every write method of
// the service calls it.
func (s *Service) changed(articleID int64, lists bool) {
	s.Changes.publish(Change{ArticleID: articleID, Lists: lists})
}

// changedFor announces a reader's write that changed their own state on
// pages (and, for a reaction, the article's counts).
func (s *Service) changedFor(accountID, articleID int64, lists bool) {
	s.Changes.publish(Change{ArticleID: articleID, AccountID: accountID, Lists: lists})
}

// PublicArticle returns a published article as readers see it. Returns
// ENOTFOUND for articles that do not exist or are not (yet) public.
func (s *Service) PublicArticle(ctx context.Context, id int64) (Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if a.State != StatePublished || a.PublishedAt.After(s.Now()) {
		return Article{}, Errorf(ENOTFOUND, "기사를 찾을 수 없습니다.")
	}
	if err := s.maskTakenDown(ctx, &a); err != nil {
		return Article{}, err
	}
	return a, nil
}

// Articles lists published articles, newest first.
func (s *Service) Articles(ctx context.Context, f ArticleFilter) ([]Article, *Position, error) {
	f.Now = s.Now()
	if f.Limit <= 0 {
		f.Limit = 20
	}
	list, next, err := s.store.PublishedArticles(ctx, f)
	for i := range list {
		if err == nil {
			err = s.maskTakenDown(ctx, &list[i])
		}
	}
	return list, next, err
}

// Front is what the home page shows.
type Front struct {
	Breaking []Article
	Top      []Article
	Sections []SectionFront
	// Rankings are 많이 본 뉴스 and 댓글 많은 뉴스.
	Rankings Rankings
}

// SectionFront is a section's latest articles on the home page.
type SectionFront struct {
	Section  Section
	Articles []Article
}

// FrontPage assembles the home page: fresh 속보 stories, the top stories and
// the latest of each section.
func (s *Service) FrontPage(ctx context.Context) (Front, error) {
	now := s.Now()
	var f Front
	breaking, _, err := s.store.PublishedArticles(ctx, ArticleFilter{Label: LabelBreaking, Now: now, Limit: 5})
	if err != nil {
		return Front{}, err
	}
	for _, a := range breaking {
		if now.Sub(a.PublishedAt) <= s.BreakingWindow {
			f.Breaking = append(f.Breaking, a)
		}
	}
	picks, err := s.store.FrontPicks(ctx)
	if err != nil {
		return Front{}, err
	}
	if f.Top, err = s.withPicks(ctx, picks[FrontTop], ArticleFilter{Now: now, Limit: 5}); err != nil {
		return Front{}, err
	}
	sections, err := s.store.Sections(ctx)
	if err != nil {
		return Front{}, err
	}
	for _, sec := range sections {
		list, err := s.withPicks(ctx, picks[sec.ID], ArticleFilter{SectionID: sec.ID, Now: now, Limit: 4})
		if err != nil {
			return Front{}, err
		}
		if len(list) > 0 {
			f.Sections = append(f.Sections, SectionFront{Section: sec, Articles: list})
		}
	}
	if f.Rankings, err = s.Rankings(ctx, 5); err != nil {
		return Front{}, err
	}
	return f, nil
}

// CreateArticle validates a, turns its body into blocks with their photos
// resolved, and stores it. Returns EINVALID for a missing headline, section
// or body, or a body that refers to an unknown photo.
func (s *Service) CreateArticle(ctx context.Context, a *Article) error {
	if err := s.prepare(ctx, a); err != nil {
		return err
	}
	if a.State == "" {
		a.State = StateDraft
	}
	a.CreatedAt = s.Now()
	if err := s.store.CreateArticle(ctx, a); err != nil {
		return err
	}
	s.changed(a.ID, a.State == StatePublished)
	return nil
}

// prepare validates the fields every save needs and derives Blocks from Body.
func (s *Service) prepare(ctx context.Context, a *Article) error {
	a.Headline = strings.TrimSpace(a.Headline)
	switch {
	case a.Headline == "":
		return Errorf(EINVALID, "제목을 입력해주세요.")
	case utf8.RuneCountInString(a.Headline) > 200:
		return Errorf(EINVALID, "제목은 200자 이내로 입력해주세요.")
	case a.Section.ID == 0:
		return Errorf(EINVALID, "섹션을 선택해주세요.")
	case strings.TrimSpace(a.Body) == "":
		return Errorf(EINVALID, "본문을 입력해주세요.")
	}
	deck := a.Deck[:0:0]
	for _, d := range a.Deck {
		if d = strings.TrimSpace(d); d != "" {
			deck = append(deck, d)
		}
	}
	a.Deck = deck
	blocks, err := s.ResolveBlocks(ctx, ParseBody(a.Body))
	if err != nil {
		return err
	}
	a.Blocks = blocks
	return nil
}

// ResolveBlocks fills each figure's photos with their size and each figure's
// caption and credit from its first photo. Returns EINVALID for a photo that
// does not exist.
func (s *Service) ResolveBlocks(ctx context.Context, blocks []Block) ([]Block, error) {
	for i := range blocks {
		b := &blocks[i]
		for j := range b.Photos {
			fp := &b.Photos[j]
			p, err := s.store.Photo(ctx, fp.PhotoID)
			if IsNotFound(err) {
				return nil, Errorf(EINVALID, "본문에 없는 사진(%d)이 들어 있습니다.", fp.PhotoID)
			}
			if err != nil {
				return nil, fmt.Errorf("resolve photo %d: %w", fp.PhotoID, err)
			}
			fp.Width, fp.Height = p.Width, p.Height
			if fp.Widths, err = s.store.PhotoWidths(ctx, fp.PhotoID); err != nil {
				return nil, fmt.Errorf("resolve photo %d: %w", fp.PhotoID, err)
			}
			if strings.TrimSpace(fp.Alt) == "" {
				fp.Alt = p.Alt
			}
			if j == 0 {
				b.Caption, b.Credit = p.Caption, p.Credit
			}
		}
	}
	return blocks, nil
}
