package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"jikji/internal/news"
)

// runReindex rebuilds the search index of every article, for instance after
// the tokenizer changed. It may run while servers are serving the site:
// each batch of articles is its own short transaction, and the servers'
// caches learn of it through the change log.
func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newSiteFlagSet("reindex", stderr, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	svc := news.NewService(st)
	start := time.Now()
	n, err := svc.Reindex(ctx, true)
	if err != nil {
		return err
	}
	if err := svc.Changes.Flush(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "기사 %d건의 검색 색인을 다시 만들었습니다 (%s).\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
