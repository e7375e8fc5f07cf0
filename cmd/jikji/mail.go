package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"time"

	"jikji/internal/mailer"
	"jikji/internal/news"
)

// openMail sets how the site writes mail and, with --smtp-url, where it
// goes. Without it, messages stay in the outbox (/newsroom/mail).
func (m *Main) openMail(ctx context.Context) error {
	c := m.Config
	from := c.MailFrom
	if from == "" {
		host := "localhost"
		if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		site, err := m.Service.Site(ctx)
		if err != nil {
			return err
		}
		from = (&mail.Address{Name: site.Name, Address: "noreply@" + host}).String()
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return fmt.Errorf("--mail-from 이 메일 주소가 아닙니다: %q", from)
	}
	m.Service.MailOptions = news.MailOptions{BaseURL: c.BaseURL, From: from}
	if c.SMTPURL == "" {
		return nil
	}
	t, err := mailer.New(c.SMTPURL)
	if err != nil {
		return err
	}
	m.mail = t
	m.closers = append(m.closers, t.Close)
	return nil
}

// runMail sends the outbox in the background; on several nodes, only the
// one holding the mail lease does.
func (m *Main) runMail(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	host, _ := os.Hostname()
	id := make([]byte, 6)
	rand.Read(id)
	holder := host + "/" + hex.EncodeToString(id)
	var transport news.MailTransport
	if m.mail != nil {
		transport = m.mail
		m.Logger.Info("mail", "smtp", mailer.Redacted(m.Config.SMTPURL))
	}
	interval := m.Config.MailInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	go func() {
		defer close(done)
		m.Service.RunMailer(ctx, transport, holder, interval, func(err error) {
			if !stopping(ctx, err) {
				m.Logger.Warn("mail", "err", err)
			}
		})
	}()
	return done
}
