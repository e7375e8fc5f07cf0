// Package mailer hands the outbox's messages to an SMTP server, written and
// sent with github.com/wneessen/go-mail.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"jikji/internal/news"
)

var _ news.MailTransport = (*SMTP)(nil)

// SMTP sends through one server, keeping its connection open between
// batches while it answers.
type SMTP struct {
	host     string
	port     int
	implicit bool // smtps://: TLS from the first byte
	user     string
	pass     string
	// TLSConfig is used for STARTTLS and smtps; tests trust their own CA.
	TLSConfig *tls.Config

	mu     sync.Mutex
	client *gomail.Client
}

// New parses an --smtp-url: smtp://user:pass@host:587 (STARTTLS whenever the
// server offers it) or smtps://user:pass@host:465 (TLS from the start).
func New(rawURL string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("--smtp-url 는 smtp://사용자:비밀번호@호스트:포트 형식입니다")
	}
	s := &SMTP{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, fmt.Errorf("--smtp-url 은 smtp:// 또는 smtps:// 로 시작합니다: %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port <= 0 || s.port > 65535 {
			return nil, fmt.Errorf("--smtp-url 의 포트가 올바르지 않습니다: %q", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	s.TLSConfig = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	return s, nil
}

// Redacted is the URL without its password, for logs.
func Redacted(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "smtp://…"
	}
	return u.Redacted()
}

// loopback reports whether host is this machine, the only place a
// password may travel unencrypted.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *SMTP) dial(ctx context.Context) (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(30 * time.Second),
		gomail.WithTLSConfig(s.TLSConfig),
	}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.user != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if !s.implicit && !loopback(s.host) {
			// Whatever the server says about STARTTLS, a password goes
			// to another machine only over TLS: refuse rather than send it.
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("SMTP %s:%d: %w", s.host, s.port, err)
	}
	return c, nil
}

// Close ends the connection, if one is open.
func (s *SMTP) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		return nil
	}
	err := s.client.Close()
	s.client = nil
	return err
}

// permanentError is a 5xx answer about one message.
type permanentError struct{ err error }

func (e permanentError) Error() string   { return e.err.Error() }
func (e permanentError) Unwrap() error   { return e.err }
func (e permanentError) Permanent() bool { return true }

// Send delivers msgs in order over one connection, dialling (again) when
// there is none or it broke. The batch goes in one go-mail Send, so the
// connection is checked once per batch rather than once per message.
func (s *SMTP) Send(ctx context.Context, msgs []news.Envelope) []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	errs := make([]error, len(msgs))
	composed := make([]*gomail.Msg, 0, len(msgs))
	index := make([]int, 0, len(msgs))
	for i, e := range msgs {
		m, err := Compose(e)
		if err != nil {
			errs[i] = permanentError{err}
			continue
		}
		composed, index = append(composed, m), append(index, i)
	}
	for try := 0; len(composed) > 0; try++ {
		if s.client == nil {
			c, err := s.dial(ctx)
			if err != nil {
				// The server cannot be reached: every message waits.
				for _, i := range index {
					errs[i] = err
				}
				return errs
			}
			s.client = c
		}
		err := s.client.Send(composed...)
		var se *gomail.SendError
		if err != nil && errors.As(err, &se) && se.Reason == gomail.ErrConnCheck && try == 0 {
			// The kept connection went away between batches.
			s.client.Close()
			s.client = nil
			continue
		}
		broken := false
		for j, m := range composed {
			if m.HasSendError() {
				e := m.SendError()
				errs[index[j]] = classify(e)
				broken = broken || !isAnswer(e)
			}
		}
		if err != nil && !broken && !anyErr(composed) {
			// An error that names no message: the whole batch waits.
			for _, i := range index {
				errs[i] = err
			}
			broken = true
		}
		if broken {
			// A broken connection: start the next batch on a new one.
			s.client.Close()
			s.client = nil
		}
		break
	}
	return errs
}

func anyErr(msgs []*gomail.Msg) bool {
	for _, m := range msgs {
		if m.HasSendError() {
			return true
		}
	}
	return false
}

// isAnswer reports whether err is the server's answer about a message
// (the connection is fine) rather than a failure of the connection.
func isAnswer(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.ErrorCode() >= 400 && se.ErrorCode() < 600 && se.Reason != gomail.ErrSMTPDataClose
}

// classify marks 5xx answers about a message as permanent.
func classify(err error) error {
	var se *gomail.SendError
	if err == nil || !errors.As(err, &se) {
		return err
	}
	if code := se.ErrorCode(); code >= 500 && code < 600 {
		switch se.Reason {
		case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			return permanentError{err}
		}
	}
	return err
}

// Compose writes an envelope as a MIME message: text/plain and text/html
// alternatives in UTF-8, headers in RFC 2047 B-encoding where they are not
// ASCII, the stable Message-ID, and for notifications the RFC 8058
// one-click unsubscribe headers.
func Compose(e news.Envelope) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithEncoding(gomail.EncodingB64), gomail.WithCharset(gomail.CharsetUTF8), gomail.WithNoDefaultUserAgent())
	if err := m.From(e.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", e.From, err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("to %q: %w", e.To, err)
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(strings.Trim(e.MessageID, "<>"))
	m.SetDate()
	if e.Unsubscribe != "" {
		m.SetGenHeader("List-Unsubscribe", "<"+e.Unsubscribe+">")
		m.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	return m, nil
}
