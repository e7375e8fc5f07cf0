package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"jikji/internal/mailer"
	"jikji/internal/mailpit"
	"jikji/internal/news"
)

// BenchmarkNewsletter measures the newsletter target: 100,000 subscribers
// queued (one transaction, one statement) and the rate at which the
// sender hands messages to a local SMTP server (Mailpit), over ten
// seconds of sending. Run with: go test ./cmd/jikji -run '^$' -bench Newsletter -benchtime 1x
func BenchmarkNewsletter(b *testing.B) {
	const subscribers = 100_000
	mp := mailpit.Start(b)
	site := MustRunMain(b, func(c *Config) { c.MailFrom = "직지일보 <news@jikji.test>"; c.MailInterval = time.Hour })
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(site.Config.Data, "jikji.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO accounts (email, display_name, password_hash, role, created_at)
		SELECT 'sub' || i || '@example.com', '구독자' || i, '', 'reader', 0 FROM n`, subscribers); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO mail_prefs (account_id, confirmed_at, newsletter, unsubscribe_key)
		SELECT id, 1, 1, lower(hex(randomblob(16))) FROM accounts WHERE email LIKE 'sub%'`); err != nil {
		b.Fatal(err)
	}
	// The site's own sender (every hour here) hands the lease to the bench.
	if _, err := db.ExecContext(ctx, `DELETE FROM mail_lease`); err != nil {
		b.Fatal(err)
	}
	svc := site.Service
	if err := site.Store.SaveMailSettings(ctx, news.MailSettings{NewsletterOn: true}); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		b.ResetTimer()
		start := time.Now()
		if err := svc.MailRound(ctx, nil, "bench", time.Minute); err != nil {
			b.Fatal(err)
		}
		queueTime := time.Since(start)
		st, err := svc.MailStats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if st.Queued < subscribers {
			b.Fatalf("queued %d, want %d", st.Queued, subscribers)
		}
		b.ReportMetric(queueTime.Seconds(), "s-to-queue-100k")

		smtp, err := mailer.New(mp.URL())
		if err != nil {
			b.Fatal(err)
		}
		sendCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		before := svc.MailCounters.Sent.Load()
		start = time.Now()
		svc.MailRound(sendCtx, smtp, "bench", time.Minute)
		elapsed := time.Since(start)
		cancel()
		smtp.Close()
		sent := svc.MailCounters.Sent.Load() - before
		b.ReportMetric(float64(sent)/elapsed.Seconds(), "msgs/s-sent")
	}
}
