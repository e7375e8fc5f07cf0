//go:build load

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"jikji/internal/news"
)

// TestLoadArchiveProgress exports and imports enough records to see
// progress lines. It is load-sized: under the race detector pure-Go SQLite
// would take minutes.
func TestLoadArchiveProgress(t *testing.T) {
	s := MustRunMain(t)
	ctx := context.Background()
	id := seedArticleID(t, s)
	acc := news.Account{Email: "many@example.com", DisplayName: "많이", Role: news.RoleReader}
	if err := s.Store.CreateAccount(ctx, &acc); err != nil {
		t.Fatal(err)
	}
	// Writes arriving together share commits.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 64 {
		wg.Go(func() {
			for i := w; i < 10000; i += 64 {
				c := news.Comment{ArticleID: id, AuthorID: acc.ID, Body: fmt.Sprint("댓글 ", i), State: news.CommentVisible}
				if err := s.Store.CreateComment(ctx, &c); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "big.tar")
	out := mustJikji(t, "export", "--data", s.Config.Data, "--out", file)
	if !strings.Contains(out, "내보내는 중: 기록 10000건") {
		t.Errorf("no progress line in:\n%s", out)
	}
	out = mustJikji(t, "import", file, "--data", t.TempDir())
	if !strings.Contains(out, "가져오는 중: 기록 10000/") {
		t.Errorf("no progress line in:\n%s", out)
	}
}
