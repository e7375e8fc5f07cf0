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
	missing := fs.Bool("missing", false, "index only the findable articles missing from the index (as serve does after start), then report its size")
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
	n, err := svc.Reindex(ctx, !*missing, reindexProgress(stderr, start))
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	if err := svc.Changes.Flush(ctx); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(stdout, "기사 %d건의 검색 색인을 다시 만들었습니다 (%s, 초당 %.0f건).\n", n, took.Round(time.Millisecond),
		float64(n)/max(took.Seconds(), 0.001))
	stats, err := st.SearchIndexStats(ctx)
	if err != nil {
		return err
	}
	perArticle := 0.0
	if stats.Articles > 0 {
		perArticle = float64(stats.Bytes) / float64(stats.Articles)
	}
	fmt.Fprintf(stdout, "검색 색인: 검색되는 기사 %d건, %.1f MB, 기사당 %.0f바이트.\n", stats.Articles,
		float64(stats.Bytes)/1e6, perArticle)
	return nil
}

// reindexProgress prints how far an index build is, its rate and the time
// left, on one line.
func reindexProgress(w io.Writer, start time.Time) func(done, total int) {
	return func(done, total int) {
		rate := float64(done) / max(time.Since(start).Seconds(), 0.001)
		left := time.Duration(float64(total-done)/max(rate, 1)) * time.Second
		fmt.Fprintf(w, "\r%d/%d건 (%.0f%%), 초당 %.0f건, 남은 시간 약 %s   ", done, total,
			100*float64(done)/float64(max(total, 1)), rate, left.Round(time.Second))
	}
}
