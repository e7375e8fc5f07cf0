package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Shared by the crash and backup tests: many readers writing comments,
// reactions and bookmarks, and a record of every write the server
// acknowledged.

type ackedWrite struct {
	kind      string // comment, reaction, bookmark
	commentID int64
	accountID int64
	articleID int64
	reaction  string
	at        time.Time // when the acknowledgement arrived
}

type writeLoad struct {
	mu    sync.Mutex
	acked []ackedWrite
	stop  chan struct{}
	wg    sync.WaitGroup
	sent  int
}

type loadReader struct {
	c  *client
	id int64
}

// startWriteLoad starts one goroutine per reader writing until stop. A
// request that fails (the server killed under it) is simply not recorded.
func startWriteLoad(site *testSite, readers []loadReader, articles []int64) *writeLoad {
	l := &writeLoad{stop: make(chan struct{})}
	kinds := []string{"like", "warm", "sad", "angry", "want_more"}
	for i, r := range readers {
		l.wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for n := 0; ; n++ {
				select {
				case <-l.stop:
					return
				default:
				}
				a := articles[rng.IntN(len(articles))]
				var w ackedWrite
				switch n % 3 {
				case 0:
					var out struct{ ID int64 }
					if st := tryJSON(r.c, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a), map[string]string{"body": fmt.Sprintf("독자 %d의 %d번째 댓글", r.id, n)}, &out); st == http.StatusCreated {
						w = ackedWrite{kind: "comment", commentID: out.ID, articleID: a}
					}
				case 1:
					k := kinds[(i+int(a))%len(kinds)] // the same kind each time for this pair
					if st := tryJSON(r.c, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", a), map[string]string{"reaction": k}, nil); st == http.StatusOK {
						w = ackedWrite{kind: "reaction", accountID: r.id, articleID: a, reaction: k}
					}
				case 2:
					if st := tryJSON(r.c, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", a), nil, nil); st == http.StatusOK {
						w = ackedWrite{kind: "bookmark", accountID: r.id, articleID: a}
					}
				}
				l.mu.Lock()
				l.sent++
				if w.kind != "" {
					w.at = time.Now()
					l.acked = append(l.acked, w)
				}
				l.mu.Unlock()
			}
		})
	}
	return l
}

func (l *writeLoad) halt() []ackedWrite {
	close(l.stop)
	l.wg.Wait()
	return l.acked
}

func (l *writeLoad) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// tryJSON sends a request and returns its status, or 0 if it failed.
func tryJSON(c *client, method, path string, body any, v any) int {
	st, out, err := c.try(method, path, body)
	if err != nil {
		return 0
	}
	if v != nil && st < 300 {
		if jsonErr := jsonUnmarshal(out, v); jsonErr != nil {
			return 0
		}
	}
	return st
}

// loadReaders signs up n readers and returns them with their ids.
func loadReaders(tb testing.TB, site *testSite, n int) []loadReader {
	tb.Helper()
	out := make([]loadReader, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			c := mustSignUp(tb, site, fmt.Sprintf("load%03d@example.com", i), fmt.Sprintf("부하%03d", i))
			out[i] = loadReader{c: c, id: accountID(tb, c)}
		})
	}
	wg.Wait()
	return out
}

// articleIDs returns the first published articles.
func articleIDs(tb testing.TB, c *client, n int) []int64 {
	tb.Helper()
	var list struct {
		Articles []struct{ ID int64 } `json:"articles"`
	}
	c.mustJSON(tb, "GET", fmt.Sprintf("/api/v1/articles?limit=%d", n), nil, http.StatusOK, &list)
	var ids []int64
	for _, a := range list.Articles {
		ids = append(ids, a.ID)
	}
	if len(ids) == 0 {
		tb.Fatal("no articles")
	}
	return ids
}

// checkDurable finds every acknowledged write (those acknowledged before
// cutoff, when it is set) in the database, and every count equal to the
// rows it counts.
func checkDurable(tb testing.TB, db *sql.DB, acked []ackedWrite, cutoff time.Time) {
	tb.Helper()
	comments := map[int64]bool{}
	reactions := map[[2]int64]string{}
	bookmarks := map[[2]int64]bool{}
	rows := func(query string, scan func(*sql.Rows) error) {
		tb.Helper()
		r, err := db.Query(query)
		if err != nil {
			tb.Fatalf("%s: %v", query, err)
		}
		defer r.Close()
		for r.Next() {
			if err := scan(r); err != nil {
				tb.Fatal(err)
			}
		}
		if err := r.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	rows(`SELECT id FROM comments`, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		comments[id] = true
		return err
	})
	rows(`SELECT article_id, account_id, kind FROM reactions`, func(r *sql.Rows) error {
		var a, u int64
		var k string
		err := r.Scan(&a, &u, &k)
		reactions[[2]int64{a, u}] = k
		return err
	})
	rows(`SELECT article_id, account_id FROM bookmarks`, func(r *sql.Rows) error {
		var a, u int64
		err := r.Scan(&a, &u)
		bookmarks[[2]int64{a, u}] = true
		return err
	})
	lost, checked := 0, 0
	for _, w := range acked {
		if !cutoff.IsZero() && !w.at.Before(cutoff) {
			continue
		}
		checked++
		var ok bool
		switch w.kind {
		case "comment":
			ok = comments[w.commentID]
		case "reaction":
			ok = reactions[[2]int64{w.articleID, w.accountID}] == w.reaction
		case "bookmark":
			ok = bookmarks[[2]int64{w.articleID, w.accountID}]
		}
		if !ok {
			if lost++; lost <= 10 {
				tb.Errorf("acknowledged %s lost: %+v", w.kind, w)
			}
		}
	}
	if lost > 0 {
		tb.Errorf("%d of %d acknowledged writes lost", lost, checked)
	}
	tb.Logf("%d acknowledged writes checked", checked)
	var bad int
	if err := db.QueryRow(`SELECT count(*) FROM articles a WHERE a.comment_count <>
		(SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.state = 'visible')`).Scan(&bad); err != nil {
		tb.Fatal(err)
	}
	if bad > 0 {
		tb.Errorf("%d articles have a comment count unlike their rows", bad)
	}
	if err := db.QueryRow(`SELECT count(*) FROM
		(SELECT article_id, kind, count(*) AS n FROM reactions GROUP BY article_id, kind) r
		FULL OUTER JOIN (SELECT article_id, kind, count FROM reaction_counts WHERE count <> 0) rc
		ON rc.article_id = r.article_id AND rc.kind = r.kind
		WHERE r.n IS NULL OR rc.count IS NULL OR r.n <> rc.count`).Scan(&bad); err != nil {
		tb.Fatal(err)
	}
	if bad > 0 {
		tb.Errorf("%d reaction counts unlike their rows", bad)
	}
}

// try is do without failing the test: a server killed mid-request is
// expected here.
func (c *client) try(method, path string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.site.URL+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, out, nil
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
