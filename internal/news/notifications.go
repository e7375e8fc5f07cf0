package news

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// NotificationPrefs are the switches of /me/notifications, as readers and
// the API see them.
type NotificationPrefs struct {
	Replies    bool   `json:"replies"`
	Follows    string `json:"follows"`     // off, instant or digest
	DigestTime string `json:"digest_time"` // KST "HH:MM"
	Newsletter bool   `json:"newsletter"`
	// Read only: the address, whether it is confirmed, and whether mail
	// to it is paused after repeated failures.
	Email     string `json:"email"`
	Confirmed bool   `json:"confirmed"`
	Paused    bool   `json:"paused"`
}

// ParseClock parses a KST "HH:MM" into a minute of the day.
func ParseClock(hm string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(hm))
	if err != nil {
		return 0, Errorf(EINVALID, "시각은 07:30 처럼 입력해주세요.")
	}
	return t.Hour()*60 + t.Minute(), nil
}

// FormatClock writes a minute of the day as "HH:MM".
func FormatClock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// NotificationPrefs returns the viewer's switches.
func (s *Service) NotificationPrefs(ctx context.Context, viewer Account) (NotificationPrefs, error) {
	if viewer.ID == 0 {
		return NotificationPrefs{}, errLoginRequired
	}
	p, err := s.store.MailPrefs(ctx, viewer.ID)
	if err != nil {
		return NotificationPrefs{}, err
	}
	paused, err := s.store.AddressPaused(ctx, viewer.Email)
	if err != nil {
		return NotificationPrefs{}, err
	}
	return NotificationPrefs{
		Replies: p.Replies, Follows: p.Follows, DigestTime: FormatClock(p.DigestMin), Newsletter: p.Newsletter,
		Email: viewer.Email, Confirmed: !p.ConfirmedAt.IsZero(), Paused: paused,
	}, nil
}

// SetNotificationPrefs saves the viewer's switches. Returns EINVALID for an
// unknown follow mode or a malformed time.
func (s *Service) SetNotificationPrefs(ctx context.Context, viewer Account, in NotificationPrefs) (NotificationPrefs, error) {
	if viewer.ID == 0 {
		return NotificationPrefs{}, errLoginRequired
	}
	p, err := s.store.MailPrefs(ctx, viewer.ID)
	if err != nil {
		return NotificationPrefs{}, err
	}
	switch in.Follows {
	case "":
		in.Follows = FollowsOff
	case FollowsOff, FollowsInstant, FollowsDigest:
	default:
		return NotificationPrefs{}, Errorf(EINVALID, "구독 알림은 off, instant, digest 중 하나입니다.")
	}
	if in.DigestTime != "" {
		if p.DigestMin, err = ParseClock(in.DigestTime); err != nil {
			return NotificationPrefs{}, err
		}
	}
	p.Replies, p.Follows, p.Newsletter = in.Replies, in.Follows, in.Newsletter
	if err := s.store.SaveMailPrefs(ctx, p); err != nil {
		return NotificationPrefs{}, err
	}
	return s.NotificationPrefs(ctx, viewer)
}

// Unsubscribe turns one list off for the holder of a one-click link; no
// login is needed. Returns ENOTFOUND for an unknown key or list.
func (s *Service) Unsubscribe(ctx context.Context, key, list string) error {
	switch list {
	case ListReplies, ListFollows, ListNewsletter:
	default:
		return Errorf(ENOTFOUND, "수신 거부 링크가 올바르지 않습니다.")
	}
	if key == "" || len(key) > 100 {
		return Errorf(ENOTFOUND, "수신 거부 링크가 올바르지 않습니다.")
	}
	return s.store.Unsubscribe(ctx, key, list)
}

// ListName is a list's name as readers see it.
func ListName(list string) string {
	switch list {
	case ListReplies:
		return "댓글 답글 알림"
	case ListFollows:
		return "구독 기자·섹션 새 기사 알림"
	case ListNewsletter:
		return "아침 뉴스레터"
	}
	return ""
}

// MailSettings returns the site's mail settings.
func (s *Service) MailSettings(ctx context.Context) (MailSettings, error) {
	return s.store.MailSettings(ctx)
}

// SaveMailSettings lets editors set the newsletter time and the comment rule.
func (s *Service) SaveMailSettings(ctx context.Context, viewer Account, m MailSettings) error {
	if err := require(viewer, CanPublish); err != nil {
		return err
	}
	if m.NewsletterMin < 0 || m.NewsletterMin >= 24*60 {
		return Errorf(EINVALID, "뉴스레터 시각이 올바르지 않습니다.")
	}
	return s.store.SaveMailSettings(ctx, m)
}

// kstDay returns t's KST date and minute of the day.
func kstDay(t time.Time) (string, int) {
	k := t.In(KST)
	return k.Format("2006-01-02"), k.Hour()*60 + k.Minute()
}

func (s *Service) articleURL(id int64) string {
	return s.MailOptions.BaseURL + "/articles/" + strconv.FormatInt(id, 10)
}

func (s *Service) mailArticle(a Article) mailArticle {
	m := mailArticle{Headline: a.Headline, URL: s.articleURL(a.ID), Meta: a.Section.Name + " · " + FormatKST(a.PublishedAt)}
	if len(a.Deck) > 0 {
		m.Deck = a.Deck[0]
	}
	var names []string
	for _, b := range a.Bylines {
		names = append(names, b.Name)
	}
	if len(names) > 0 {
		m.Meta = strings.Join(names, "·") + " · " + m.Meta
	}
	for _, l := range a.Labels {
		m.Kicker = l.Name
		break
	}
	return m
}

func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// queueReplyNotices mails the authors of comments that got replies.
func (s *Service) queueReplyNotices(ctx context.Context) error {
	cursor, err := s.store.MailState(ctx, "reply_cursor")
	if err != nil {
		return err
	}
	after, _ := strconv.ParseInt(cursor, 10, 64)
	if cursor == "" {
		// The first round starts from now: old replies are not news.
		_, last, err := s.store.ReplyNotices(ctx, 1<<62, 1)
		if err != nil {
			return err
		}
		after = last
	}
	notices, last, err := s.store.ReplyNotices(ctx, after, 500)
	if err != nil {
		return err
	}
	if cursor != "" && last == after {
		return nil
	}
	next := map[string]string{"reply_cursor": strconv.FormatInt(last, 10)}
	if len(notices) == 0 {
		_, err := s.store.QueueMail(ctx, nil, nil, next)
		return err
	}
	for i, n := range notices {
		body, err := s.renderMail(ctx, mailContent{
			Subject:    "[" + s.siteName(ctx) + "] " + n.ReplyAuthor + "님이 내 댓글에 답글을 남겼습니다",
			Heading:    "내 댓글에 새 답글이 달렸습니다",
			Paragraphs: []string{"기사 「" + n.Headline + "」에 남기신 댓글에 " + n.ReplyAuthor + "님이 답글을 남겼습니다.", "내 댓글: " + excerpt(n.ParentBody, 80)},
			Quote:      excerpt(n.ReplyBody, 250),
			Button:     mailButton{URL: s.articleURL(n.ArticleID) + "#comment-" + strconv.FormatInt(n.ReplyID, 10), Label: "답글 보기"},
			List:       ListReplies,
		})
		if err != nil {
			return err
		}
		var cur map[string]string
		if i == len(notices)-1 {
			cur = next
		}
		now := s.Now()
		if _, err := s.store.QueueMail(ctx, body, []OutMail{{
			Kind: MailReply, Dedupe: MailReply + ":" + strconv.FormatInt(n.ReplyID, 10), AccountID: n.RecipientID,
			To: n.RecipientTo, List: ListReplies, CreatedAt: now, NextAt: now,
		}}, cur); err != nil {
			return err
		}
	}
	return nil
}

// queueFollowAlerts mails, at once, the followers of the reporters and
// section of each story published since the last round.
func (s *Service) queueFollowAlerts(ctx context.Context) error {
	now := s.Now()
	cursor, err := s.store.MailState(ctx, "follow_cursor")
	if err != nil {
		return err
	}
	if cursor == "" {
		_, err := s.store.QueueMail(ctx, nil, nil, map[string]string{"follow_cursor": strconv.FormatInt(now.UnixMicro(), 10)})
		return err
	}
	afterUS, _ := strconv.ParseInt(cursor, 10, 64)
	ids, err := s.store.PublishedBetween(ctx, time.UnixMicro(afterUS), now, 100)
	if err != nil || len(ids) == 0 {
		return err
	}
	for _, id := range ids {
		a, err := s.PublicArticle(ctx, id)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		var reporters []int64
		for _, b := range a.Bylines {
			if b.ReporterID != 0 {
				reporters = append(reporters, b.ReporterID)
			}
		}
		to, err := s.store.FollowRecipients(ctx, FollowsInstant, reporters, a.Section.ID)
		if err != nil {
			return err
		}
		var body *MailBody
		if len(to) > 0 {
			who := a.Section.Name
			if len(a.Bylines) > 0 {
				who = a.Bylines[0].Name + " 기자"
			}
			body, err = s.renderMail(ctx, mailContent{
				Subject:    "[" + s.siteName(ctx) + "] " + a.Headline,
				Heading:    "구독하신 " + who + "의 새 기사",
				Articles:   []mailArticle{s.mailArticle(a)},
				Button:     mailButton{URL: s.articleURL(a.ID), Label: "기사 읽기"},
				List:       ListFollows,
				Paragraphs: nil,
			})
			if err != nil {
				return err
			}
		}
		msgs := make([]OutMail, len(to))
		for i, r := range to {
			msgs[i] = OutMail{Kind: MailFollow, Dedupe: fmt.Sprintf("%s:%d:%d", MailFollow, a.ID, r.AccountID),
				AccountID: r.AccountID, To: r.Email, List: ListFollows, CreatedAt: now, NextAt: now}
		}
		if _, err := s.store.QueueMail(ctx, body, msgs, map[string]string{"follow_cursor": strconv.FormatInt(a.PublishedAt.UnixMicro(), 10)}); err != nil {
			return err
		}
	}
	return nil
}

// queueDigests mails each reader who chose a daily digest, once a KST
// day at their time, the stories of the last day from what they follow.
func (s *Service) queueDigests(ctx context.Context) error {
	now := s.Now()
	date, minute := kstDay(now)
	to, err := s.store.DigestRecipients(ctx, date, minute, now.Add(-24*time.Hour), now)
	if err != nil {
		return err
	}
	for _, r := range to {
		list, _, err := s.store.FeedArticles(ctx, r.AccountID, ArticleFilter{Now: now, Limit: 20})
		if err != nil {
			return err
		}
		c := mailContent{
			Subject: "[" + s.siteName(ctx) + "] 오늘의 구독 기사 모음 (" + now.In(KST).Format("1월 2일") + ")",
			Heading: "구독하신 기자·섹션의 새 기사",
			List:    ListFollows,
		}
		for _, a := range list {
			if now.Sub(a.PublishedAt) <= 24*time.Hour {
				c.Articles = append(c.Articles, s.mailArticle(a))
			}
		}
		body, err := s.renderMail(ctx, c)
		if err != nil {
			return err
		}
		if _, err := s.store.QueueMail(ctx, body, []OutMail{{
			Kind: MailDigest, Dedupe: fmt.Sprintf("%s:%s:%d", MailDigest, date, r.AccountID),
			AccountID: r.AccountID, To: r.Email, List: ListFollows, CreatedAt: now, NextAt: now,
		}}, nil); err != nil {
			return err
		}
	}
	return nil
}

// queueNewsletter sends the morning newsletter once a KST day at the time
// editors set.
func (s *Service) queueNewsletter(ctx context.Context) error {
	settings, err := s.store.MailSettings(ctx)
	if err != nil || !settings.NewsletterOn {
		return err
	}
	now := s.Now()
	date, minute := kstDay(now)
	if minute < settings.NewsletterMin {
		return nil
	}
	last, err := s.store.MailState(ctx, "newsletter_edition")
	if err != nil || last == date {
		return err
	}
	body, err := s.Newsletter(ctx)
	if err != nil {
		return err
	}
	_, err = s.store.QueueNewsletter(ctx, body, date, now)
	return err
}

// Newsletter renders today's morning newsletter: the desk's top stories.
func (s *Service) Newsletter(ctx context.Context) (*MailBody, error) {
	now := s.Now()
	picks, err := s.store.FrontPicks(ctx)
	if err != nil {
		return nil, err
	}
	top, err := s.withPicks(ctx, picks[FrontTop], ArticleFilter{Now: now, Limit: 8})
	if err != nil {
		return nil, err
	}
	name := s.siteName(ctx)
	c := mailContent{
		Subject:    "[" + name + " 아침 뉴스레터] " + now.In(KST).Format("1월 2일") + " 주요 뉴스",
		Heading:    now.In(KST).Format("2006년 1월 2일") + " 아침, 꼭 읽어야 할 뉴스",
		Paragraphs: []string{name + " 편집국이 고른 오늘의 주요 기사입니다."},
		List:       ListNewsletter,
	}
	for _, a := range top {
		c.Articles = append(c.Articles, s.mailArticle(a))
	}
	return s.renderMail(ctx, c)
}

// NewsletterPreview renders the newsletter for an editor.
func (s *Service) NewsletterPreview(ctx context.Context, viewer Account) (*MailBody, error) {
	if err := require(viewer, CanPublish); err != nil {
		return nil, err
	}
	return s.Newsletter(ctx)
}

// SendTestNewsletter queues today's newsletter to the editor alone.
func (s *Service) SendTestNewsletter(ctx context.Context, viewer Account) error {
	if err := require(viewer, CanPublish); err != nil {
		return err
	}
	body, err := s.Newsletter(ctx)
	if err != nil {
		return err
	}
	body.Subject = "[테스트] " + body.Subject
	now := s.Now()
	_, err = s.store.QueueMail(ctx, body, []OutMail{{
		Kind: MailTest, Dedupe: fmt.Sprintf("%s:%d:%d", MailTest, viewer.ID, now.UnixNano()),
		AccountID: viewer.ID, To: viewer.Email, List: ListNewsletter, CreatedAt: now, NextAt: now,
	}}, nil)
	return err
}
