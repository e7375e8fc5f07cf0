package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"jikji/internal/gen"
	"jikji/internal/news"
	"jikji/internal/password"
)

// GeneratedPassword is every generated reader's password, so that load tests
// can log in as any of them (reader1@example.com …).
const GeneratedPassword = "jikji-load-test"

func runGenerate(ctx context.Context, args []string, stderr io.Writer) error {
	var c Config
	var o gen.Options
	fs := newSiteFlagSet("generate", stderr, &c)
	fs.IntVar(&o.Articles, "articles", 1000, "articles to make (about 2,000 Korean characters each)")
	fs.IntVar(&o.Comments, "comments", 0, "comments spread over the articles, recent ones drawing most")
	fs.IntVar(&o.ThreadComments, "thread-comments", 0, "comments on the newest article, as on a breaking story")
	fs.IntVar(&o.Readers, "readers", 1000, "reader accounts (reader1@example.com … with password "+GeneratedPassword+")")
	fs.IntVar(&o.Reporters, "reporters", 30, "reporters")
	fs.IntVar(&o.ReactionsPerReader, "reactions-per-reader", 0, "공감 표현 each reader has made on the newest articles")
	seed := fs.Uint64("seed", 1, "random seed; the same seed makes the same site")
	searchIndex := fs.Bool("search-index", true, "build the search index (false makes a million articles much faster; run jikji reindex later)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o.Seed = *seed
	o.Now = time.Now()
	logger := newLogger(stderr, c.LogLevel)
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	hash, err := password.New(c.PasswordCost, 1).Hash(ctx, GeneratedPassword)
	if err != nil {
		return err
	}
	o.PasswordHash = hash

	// The generator emits on its own goroutine; Import pulls.
	records := make(chan news.Record, 1024)
	genErr := make(chan error, 1)
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(records)
		genErr <- gen.New(o).Records(func(r news.Record) error {
			select {
			case records <- r:
				return nil
			case <-genCtx.Done():
				return genCtx.Err()
			}
		})
	}()
	started := time.Now()
	next := func() (news.Record, bool, error) {
		r, ok := <-records
		return r, ok, nil
	}
	progress := func(n int64) {
		fmt.Fprintf(stderr, "\r%d records, %.0f/s", n, float64(n)/time.Since(started).Seconds())
	}
	// The index is built after the import, in bulk, as jikji reindex
	// builds it: many times faster than article by article.
	if err := st.Import(news.WithoutSearchIndex(ctx), next, progress); err != nil {
		cancel()
		return fmt.Errorf("generate: %w", err)
	}
	if err := <-genErr; err != nil {
		return err
	}
	fmt.Fprintln(stderr)
	if *searchIndex {
		indexed := time.Now()
		n, err := st.ReindexArticles(ctx, false, reindexProgress(stderr, indexed))
		fmt.Fprintln(stderr)
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		logger.Info("search index built", "articles", n, "seconds", time.Since(indexed).Round(time.Second).Seconds(),
			"per_second", int(float64(n)/max(time.Since(indexed).Seconds(), 0.001)))
	}
	logger.Info("site generated", "articles", o.Articles, "comments", o.Comments+o.ThreadComments,
		"readers", o.Readers, "seconds", time.Since(started).Round(time.Second).Seconds())
	return nil
}
