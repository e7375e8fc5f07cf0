package main

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testSite is a running jikji serve on a random port with its own data.
type testSite struct {
	*Main
	URL string
}

// MustRunMain boots the real program on 127.0.0.1:0 with a temporary data
// folder and demo content, and stops it when the test ends.
func MustRunMain(tb testing.TB, configure ...func(*Config)) *testSite {
	tb.Helper()
	c := Config{Addr: "127.0.0.1:0", Data: tb.TempDir(), Demo: true, BreakingWindow: 6 * time.Hour, PasswordCost: 4, RateLimit: true, ReindexMissing: true}
	for _, f := range configure {
		f(&c)
	}
	return startMain(tb, c)
}

func startMain(tb testing.TB, c Config) *testSite {
	tb.Helper()
	m := &Main{Config: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		cancel()
		m.Close()
		tb.Fatalf("open: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
		}
		m.Close()
	})
	return &testSite{Main: m, URL: "http://" + m.Addr}
}

// get fetches a path and returns status and body.
func (s *testSite) get(tb testing.TB, path string) (int, string) {
	tb.Helper()
	res, err := http.Get(s.URL + path)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res.StatusCode, string(body)
}

func (s *testSite) getJSON(tb testing.TB, path string, wantStatus int, v any) {
	tb.Helper()
	status, body := s.get(tb, path)
	if status != wantStatus {
		tb.Fatalf("GET %s: status %d, want %d; body %s", path, status, wantStatus, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

var (
	tagRE   = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// visibleText reduces HTML to the text a reader sees, with whitespace
// collapsed, so tests can look for phrases as they appear on screen.
func visibleText(page string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(page, " ")), " "))
}

const seedHeadline = `올트먼 "삼성전자·SK하이닉스는 '환상적인 회사'"... AI 칩 협력 시사`

// seedArticleID finds the seed article through the public API.
func seedArticleID(tb testing.TB, s *testSite) int64 {
	tb.Helper()
	path := "/api/v1/articles?limit=100"
	for {
		var list struct {
			Articles []struct {
				ID       int64  `json:"id"`
				Headline string `json:"headline"`
			} `json:"articles"`
			Next string `json:"next"`
		}
		s.getJSON(tb, path, http.StatusOK, &list)
		for _, a := range list.Articles {
			if a.Headline == seedHeadline {
				return a.ID
			}
		}
		if list.Next == "" {
			tb.Fatal("seed article not found")
		}
		path = "/api/v1/articles?limit=100&cursor=" + list.Next
	}
}

// within retries check until it passes or d has gone by: what another
// reader sees may lag a write by up to the freshness promise of one second.
func within(tb testing.TB, d time.Duration, check func() error) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("not within %v: %v", d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
