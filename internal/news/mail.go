package news

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	"sync/atomic"
	texttemplate "text/template"
	"time"
)

//go:embed mailtemplates
var mailTemplateFS embed.FS

var (
	mailHTML = htmltemplate.Must(htmltemplate.ParseFS(mailTemplateFS, "mailtemplates/mail.html"))
	mailText = texttemplate.Must(texttemplate.ParseFS(mailTemplateFS, "mailtemplates/mail.txt"))
)

// UnsubscribeKeyMark stands for the recipient's unsubscribe key in a body
// shared by many recipients; the sender puts each one's key in its place.
const UnsubscribeKeyMark = "JIKJIUNSUBSCRIBEKEY"

// Mail timing and limits.
const (
	ResetTokenLifetime   = 30 * time.Minute
	ConfirmTokenLifetime = 48 * time.Hour
	// resetsPerAddress is how many reset mails one address gets per hour.
	resetsPerAddress = 3
	// mailMaxAttempts is how many times a message is tried before it fails.
	mailMaxAttempts = 8
	// MailPauseAfter permanent failures pause an address.
	MailPauseAfter = 3
	// mailUnclearRetry is when a message handed over without a recorded
	// answer (the process died) is tried again.
	mailUnclearRetry = 2 * time.Minute
)

// MailOptions tell the service how to write mail.
type MailOptions struct {
	// BaseURL is the public origin of links in mail.
	BaseURL string
	// From is the sender address ("직지일보 <news@example.com>").
	From string
}

// Envelope is a message ready for an SMTP server.
type Envelope struct {
	MessageID string
	From      string
	To        string
	Subject   string
	HTML      string
	Text      string
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058), "" for
	// account mail.
	Unsubscribe string
}

// MailTransport hands messages to an SMTP server.
type MailTransport interface {
	// Send delivers the messages in order and returns one error (nil for
	// accepted) per message. An error whose Permanent method reports true
	// is a 5xx answer about that message.
	Send(ctx context.Context, msgs []Envelope) []error
}

// MailCounters are the sender's totals on this node, for /metrics.
type MailCounters struct {
	Sent, Retried, Failed atomic.Int64
}

// mailContent is what the mail templates show.
type mailContent struct {
	Subject     string
	Heading     string
	Paragraphs  []string
	Quote       string
	Button      mailButton
	Articles    []mailArticle
	Note        string
	List        string
	ListReason  string
	Unsubscribe string
	Site        Site
	BaseURL     string
}

type mailButton struct{ URL, Label string }

type mailArticle struct {
	Kicker, Headline, Deck, URL, Meta string
}

// renderMail writes the HTML and text bodies of c.
func (s *Service) renderMail(ctx context.Context, c mailContent) (*MailBody, error) {
	site, err := s.Site(ctx)
	if err != nil {
		return nil, err
	}
	c.Site, c.BaseURL = site, s.MailOptions.BaseURL
	if c.List != "" {
		c.Unsubscribe = s.MailOptions.BaseURL + "/mail/unsubscribe?k=" + UnsubscribeKeyMark + "&l=" + c.List
		c.ListReason = listReasons[c.List]
	}
	var h, t bytes.Buffer
	if err := mailHTML.Execute(&h, c); err != nil {
		return nil, fmt.Errorf("render mail: %w", err)
	}
	if err := mailText.Execute(&t, c); err != nil {
		return nil, fmt.Errorf("render mail: %w", err)
	}
	return &MailBody{Subject: c.Subject, HTML: h.String(), Text: t.String()}, nil
}

var listReasons = map[string]string{
	ListReplies:    "내 댓글에 답글이 달리면 받는 알림입니다.",
	ListFollows:    "구독한 기자·섹션의 새 기사 알림입니다.",
	ListNewsletter: "아침 뉴스레터를 신청하셔서 받는 메일입니다.",
}

// Envelope turns an outbox message into what the SMTP server is given:
// its stable Message-ID, so that a retry is recognisably the same message,
// and the recipient's own unsubscribe link.
func (s *Service) Envelope(m OutMail) Envelope {
	e := Envelope{
		MessageID: MessageID(m, s.MailOptions.BaseURL),
		From:      s.MailOptions.From,
		To:        m.To,
		Subject:   m.Body.Subject,
		HTML:      m.Body.HTML,
		Text:      m.Body.Text,
	}
	if m.List != "" && m.UnsubscribeKey != "" {
		e.Unsubscribe = s.MailOptions.BaseURL + "/mail/unsubscribe?k=" + m.UnsubscribeKey + "&l=" + m.List
		e.HTML = strings.ReplaceAll(e.HTML, UnsubscribeKeyMark, m.UnsubscribeKey)
		e.Text = strings.ReplaceAll(e.Text, UnsubscribeKeyMark, m.UnsubscribeKey)
	}
	return e
}

// MessageID is the message's stable Message-ID: the same for every attempt.
func MessageID(m OutMail, baseURL string) string {
	host := "jikji.invalid"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return fmt.Sprintf("<%d.%d@%s>", m.ID, m.CreatedAt.UnixMicro(), host)
}

// newToken returns a random URL-safe token.
func newToken() string {
	raw := make([]byte, 32)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// RequestPasswordReset mails a single-use reset link to the address when
// it belongs to a live account. It answers nil whether or not it does, so
// that nobody learns which addresses are registered.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	a, err := s.store.AccountByEmail(ctx, NormalizeEmail(email))
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.Now()
	// Each address gets a few links an hour at most, whoever asks.
	n, err := s.store.CountMailTokens(ctx, a.ID, MailReset, now.Add(-time.Hour))
	if err != nil || n >= resetsPerAddress {
		return err
	}
	token := newToken()
	link := s.MailOptions.BaseURL + "/password-reset?token=" + token
	body, err := s.renderMail(ctx, mailContent{
		Subject: "[" + s.siteName(ctx) + "] 비밀번호 재설정 안내",
		Heading: "비밀번호를 다시 설정해주세요",
		Paragraphs: []string{
			a.DisplayName + "님, 비밀번호 재설정을 요청하셨습니다.",
			"아래 버튼을 눌러 새 비밀번호를 정해주세요. 이 링크는 30분 동안 한 번만 쓸 수 있습니다.",
		},
		Button: mailButton{URL: link, Label: "비밀번호 재설정"},
		Note:   "요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.",
	})
	if err != nil {
		return err
	}
	tok := MailToken{Hash: HashToken(token), Purpose: MailReset, AccountID: a.ID, Email: a.Email, ExpiresAt: now.Add(ResetTokenLifetime)}
	return s.store.IssueMailToken(ctx, tok, body, OutMail{
		Kind: MailReset, Dedupe: MailReset + ":" + tok.Hash, AccountID: a.ID, To: a.Email, CreatedAt: now, NextAt: now,
	})
}

// PasswordResetValid reports whether a reset token can still be used.
func (s *Service) PasswordResetValid(ctx context.Context, token string) bool {
	tok, err := s.store.MailToken(ctx, HashToken(token), s.Now())
	return err == nil && tok.Purpose == MailReset
}

var errBadResetLink = &Error{Code: EINVALID, Message: "비밀번호 재설정 링크가 만료되었거나 이미 사용되었습니다. 다시 요청해주세요."}

// ResetPassword sets a new password with a reset token, ends every
// session of the account and returns the account. Returns EWEAKPASSWORD
// for a weak password and EINVALID for an unknown, used or expired token.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (Account, error) {
	if err := checkPassword(password); err != nil {
		return Account{}, err
	}
	if token == "" || len(token) > 100 {
		return Account{}, errBadResetLink
	}
	hash, now := HashToken(token), s.Now()
	if tok, err := s.store.MailToken(ctx, hash, now); IsNotFound(err) || (err == nil && tok.Purpose != MailReset) {
		return Account{}, errBadResetLink
	} else if err != nil {
		return Account{}, err
	}
	pwHash, err := s.Passwords.Hash(ctx, password)
	if err != nil {
		return Account{}, err
	}
	id, err := s.store.ResetPassword(ctx, hash, pwHash, now)
	if IsNotFound(err) {
		return Account{}, errBadResetLink
	}
	if err != nil {
		return Account{}, err
	}
	// Every node forgets the sessions it kept for the account.
	s.sessions.clear()
	s.Changes.publish(Change{All: true})
	return s.store.Account(ctx, id)
}

func (s *Service) siteName(ctx context.Context) string {
	site, err := s.Site(ctx)
	if err != nil {
		return DefaultSite.Name
	}
	return site.Name
}

// MailOverview is what the newsroom's mail page shows.
type MailOverview struct {
	Stats     MailStats
	Recent    []OutMail
	Failed    []OutMail
	Settings  MailSettings
	Sending   bool // an SMTP server is configured
	Counters  *MailCounters
	LastError string
}

// MailOverview returns the outbox's state for editors.
func (s *Service) MailOverview(ctx context.Context, viewer Account) (MailOverview, error) {
	if err := require(viewer, CanPublish); err != nil {
		return MailOverview{}, err
	}
	var o MailOverview
	var err error
	if o.Stats, err = s.store.MailStats(ctx); err != nil {
		return o, err
	}
	if o.Recent, err = s.store.RecentMail(ctx, "", 30); err != nil {
		return o, err
	}
	if o.Failed, err = s.store.RecentMail(ctx, MailFailed, 30); err != nil {
		return o, err
	}
	if o.Settings, err = s.store.MailSettings(ctx); err != nil {
		return o, err
	}
	o.Sending, o.Counters = s.mailer.sending.Load(), &s.MailCounters
	if e := s.mailer.lastError.Load(); e != nil {
		o.LastError = *e
	}
	return o, nil
}

// MailStats counts the outbox by state, for /metrics.
func (s *Service) MailStats(ctx context.Context) (MailStats, error) {
	return s.store.MailStats(ctx)
}

// mailerState is what the sender shares with the pages.
type mailerState struct {
	sending   atomic.Bool
	lastError atomic.Pointer[string]
}

// permanent reports whether a send error is a 5xx answer about the message.
func permanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// mailBackoff is the wait before attempt n+1: 1, 2, 4 … minutes, at most 6 hours.
func mailBackoff(attempts int) time.Duration {
	d := time.Minute << min(attempts, 9)
	return min(d, 6*time.Hour)
}

// RunMailer sends the outbox and runs the mail jobs (reply and follow
// notices, digests, the newsletter) every interval until ctx is done. Only
// the node holding the mail lease does either, so a cluster sends each
// message from one place. Without a transport, messages wait in the outbox.
func (s *Service) RunMailer(ctx context.Context, transport MailTransport, holder string, interval time.Duration, onErr func(error)) {
	s.mailer.sending.Store(transport != nil)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.MailRound(ctx, transport, holder, interval); err != nil && ctx.Err() == nil {
			msg := err.Error()
			s.mailer.lastError.Store(&msg)
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// MailRound is one turn of the sender: claim the lease, run the jobs, send
// what is due.
func (s *Service) MailRound(ctx context.Context, transport MailTransport, holder string, interval time.Duration) error {
	// The lease outlives a few rounds, and is renewed before each batch, so
	// that a long send keeps it; a node that died hands it over soon.
	ttl := 3*interval + 2*time.Second
	ok, err := s.store.ClaimMailLease(ctx, holder, s.Now(), ttl)
	if err != nil || !ok {
		return err
	}
	if err := s.runMailJobs(ctx); err != nil {
		return err
	}
	if transport == nil {
		return nil
	}
	for ctx.Err() == nil {
		n, err := s.sendDue(ctx, transport)
		if err != nil || n == 0 {
			return err
		}
		if ok, err := s.store.ClaimMailLease(ctx, holder, s.Now(), ttl); err != nil || !ok {
			return err
		}
	}
	return nil
}

// sendDue sends one batch of due messages and returns how many it tried.
func (s *Service) sendDue(ctx context.Context, transport MailTransport) (int, error) {
	now := s.Now()
	due, err := s.store.DueMail(ctx, now, 500)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	ids := make([]int64, len(due))
	envs := make([]Envelope, len(due))
	for i, m := range due {
		ids[i], envs[i] = m.ID, s.Envelope(m)
	}
	// Recorded before the hand-over: should the process die before the
	// answer is, the message is tried once more, with the same Message-ID.
	if err := s.store.MarkMailSending(ctx, ids, now.Add(mailUnclearRetry)); err != nil {
		return 0, err
	}
	errs := transport.Send(ctx, envs)
	var sent []int64
	for i, m := range due {
		var err error
		if i < len(errs) {
			err = errs[i]
		} else {
			err = errors.New("not sent")
		}
		if err == nil {
			sent = append(sent, m.ID)
			continue
		}
		attempts := m.Attempts + 1
		perm := permanent(err)
		final := perm || attempts >= mailMaxAttempts
		if final {
			s.MailCounters.Failed.Add(1)
		} else {
			s.MailCounters.Retried.Add(1)
		}
		msg := err.Error()
		s.mailer.lastError.Store(&msg)
		if err := s.store.MarkMailFailed(ctx, m.ID, truncate(msg, 500), now.Add(mailBackoff(attempts-1)), final, perm, MailPauseAfter, now); err != nil {
			return 0, err
		}
	}
	if len(sent) > 0 {
		if err := s.store.MarkMailSent(ctx, sent, s.Now()); err != nil {
			return 0, err
		}
		s.MailCounters.Sent.Add(int64(len(sent)))
	}
	return len(due), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// runMailJobs turns what happened since the last round into messages.
func (s *Service) runMailJobs(ctx context.Context) error {
	return errors.Join(s.queueReplyNotices(ctx), s.queueFollowAlerts(ctx), s.queueDigests(ctx), s.queueNewsletter(ctx))
}
