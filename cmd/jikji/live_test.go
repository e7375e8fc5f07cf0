package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
)

// sseEvent is one server-sent event as a browser would dispatch it.
type sseEvent struct {
	ID    string
	Event string
	Data  string
}

// sseStream reads a live stream in the background.
type sseStream struct {
	events chan sseEvent
	// lastID is the last id the stream set, as EventSource keeps it.
	lastID chan string
	status int
	header http.Header
	cancel context.CancelFunc
	done   chan struct{}
}

// openStream opens /api/v1/live for an article (0: none) with a
// Last-Event-ID (empty: a new page).
func openStream(tb testing.TB, site *testSite, article int64, lastID string) *sseStream {
	tb.Helper()
	path := "/api/v1/live"
	if article != 0 {
		path += "?article=" + strconv.FormatInt(article, 10)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", site.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		tb.Fatalf("GET %s: %v", path, err)
	}
	s := &sseStream{events: make(chan sseEvent, 1000), lastID: make(chan string, 1), status: res.StatusCode,
		header: res.Header, cancel: cancel, done: make(chan struct{})}
	s.lastID <- lastID
	tb.Cleanup(s.close)
	go func() {
		defer close(s.done)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if len(data) > 0 {
					ev.Data = strings.Join(data, "\n")
					s.events <- ev
				}
				ev, data = sseEvent{}, nil
			case strings.HasPrefix(line, ":"):
			case strings.HasPrefix(line, "id: "):
				ev.ID = strings.TrimPrefix(line, "id: ")
				<-s.lastID
				s.lastID <- ev.ID
			case strings.HasPrefix(line, "event: "):
				ev.Event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			}
		}
	}()
	return s
}

func (s *sseStream) close() {
	s.cancel()
	<-s.done
}

// last returns the last event id the stream has set.
func (s *sseStream) last() string {
	id := <-s.lastID
	s.lastID <- id
	return id
}

// next waits for the next event of the kind, passing over others.
func (s *sseStream) next(tb testing.TB, kind string, within time.Duration) sseEvent {
	tb.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev := <-s.events:
			if ev.Event == kind {
				return ev
			}
		case <-s.done:
			tb.Fatalf("stream ended while waiting for a %s event", kind)
		case <-deadline:
			tb.Fatalf("no %s event within %v", kind, within)
		}
	}
}

// drain returns the events that arrive within d.
func (s *sseStream) drain(d time.Duration) []sseEvent {
	var out []sseEvent
	deadline := time.After(d)
	for {
		select {
		case ev := <-s.events:
			out = append(out, ev)
		case <-deadline:
			return out
		}
	}
}

func decodeEvent[T any](tb testing.TB, ev sseEvent) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal([]byte(ev.Data), &v); err != nil {
		tb.Fatalf("event %s data %q: %v", ev.Event, ev.Data, err)
	}
	return v
}

type commentEvent struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	Author    struct {
		DisplayName string `json:"display_name"`
	} `json:"author"`
}

type updateEvent struct {
	Action string `json:"action"`
	Update struct {
		ID           int64  `json:"id"`
		Body         string `json:"body"`
		Author       string `json:"author"`
		CreatedAt    string `json:"created_at"`
		PreviousBody string `json:"previous_body"`
		Pinned       bool   `json:"pinned"`
	} `json:"update"`
}

func TestLiveStream(t *testing.T) {
	site := MustRunMain(t, func(c *Config) { c.LiveHeartbeat = 200 * time.Millisecond })
	id := seedArticleID(t, site)
	commentsAPI := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	reader := mustSignUp(t, site, "live-reader@example.com", "실시간독자")

	page := openStream(t, site, id, "")
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: status %d, type %q", page.status, page.header.Get("Content-Type"))
	}
	home := openStream(t, site, 0, "")
	outer := t // streams that outlive a subtest

	t.Run("CommentAndCounts", func(t *testing.T) {
		reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "첫 실시간 댓글"}, http.StatusCreated, nil)
		c := decodeEvent[commentEvent](t, page.next(t, "comment", 3*time.Second))
		if c.Body != "첫 실시간 댓글" || c.ArticleID != id || c.Author.DisplayName != "실시간독자" || !strings.HasSuffix(c.CreatedAt, "+09:00") {
			t.Errorf("comment event = %+v", c)
		}
		counts := decodeEvent[struct {
			Comments int64 `json:"comments"`
		}](t, page.next(t, "counts", 3*time.Second))
		if counts.Comments != 1 {
			t.Errorf("counts event: %d comments, want 1", counts.Comments)
		}
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "warm"}, http.StatusOK, nil)
		r := decodeEvent[struct {
			Reactions map[string]int64 `json:"reactions"`
		}](t, page.next(t, "counts", 3*time.Second))
		if r.Reactions["warm"] != 1 {
			t.Errorf("counts event after a reaction: %v", r.Reactions)
		}
		// A page without the article takes no article's events.
		for _, ev := range home.drain(300 * time.Millisecond) {
			t.Errorf("home page stream got %s %s", ev.Event, ev.Data)
		}
	})

	t.Run("ResumeWithLastEventID", func(t *testing.T) {
		reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "끊기기 전 댓글"}, http.StatusCreated, nil)
		page.next(t, "comment", 3*time.Second)
		seen := page.last()
		page.close()
		for _, body := range []string{"끊긴 동안 댓글 하나", "끊긴 동안 댓글 둘"} {
			reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": body}, http.StatusCreated, nil)
		}
		// Let the events be written before the browser comes back.
		time.Sleep(300 * time.Millisecond)
		back := openStream(outer, site, id, seen)
		var bodies []string
		for _, ev := range back.drain(500 * time.Millisecond) {
			if ev.Event == "comment" {
				bodies = append(bodies, decodeEvent[commentEvent](t, ev).Body)
			}
		}
		if want := []string{"끊긴 동안 댓글 하나", "끊긴 동안 댓글 둘"}; strings.Join(bodies, "|") != strings.Join(want, "|") {
			t.Errorf("resumed stream's comments = %q, want %q once each, in order", bodies, want)
		}
		page = back
	})

	t.Run("Heartbeat", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", site.URL+"/api/v1/live", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), ":") {
				return
			}
		}
		t.Error("no heartbeat line on an idle stream")
	})

	editor := mustStaff(t, site, "live-editor@example.com", "편집자", news.RoleEditor)
	reporter := mustStaff(t, site, "live-reporter@example.com", "김기자", news.RoleReporter)

	t.Run("Breaking", func(t *testing.T) {
		var a deskArticle
		editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
			"headline": "속보 시험: 큰 소식", "section": "society", "body": "본문입니다.", "labels": []string{"breaking"},
		}, http.StatusCreated, &a)
		editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID), map[string]any{}, http.StatusOK, nil)
		for _, s := range []*sseStream{home, page} {
			b := decodeEvent[struct {
				ID       int64  `json:"id"`
				Headline string `json:"headline"`
				URL      string `json:"url"`
			}](t, s.next(t, "breaking", 3*time.Second))
			if b.ID != a.ID || b.Headline != "속보 시험: 큰 소식" || b.URL != fmt.Sprintf("/articles/%d", a.ID) {
				t.Errorf("breaking event = %+v", b)
			}
		}
	})

	t.Run("LiveCoverage", func(t *testing.T) {
		live := fmt.Sprintf("/api/v1/newsroom/articles/%d/live", id)
		updates := fmt.Sprintf("/api/v1/newsroom/articles/%d/updates", id)
		if status, _ := reporter.do(t, "PUT", live, map[string]bool{"live": true}); status != http.StatusForbidden {
			t.Errorf("reporter starting coverage: %d, want 403", status)
		}
		if status, _ := reporter.do(t, "POST", updates, map[string]string{"body": "아직 라이브 아님"}); status != http.StatusConflict {
			t.Errorf("update before coverage: %d, want 409", status)
		}
		editor.mustJSON(t, "PUT", live, map[string]bool{"live": true}, http.StatusOK, nil)
		var first, second struct {
			ID int64 `json:"id"`
		}
		reporter.mustJSON(t, "POST", updates, map[string]any{"body": "오전 9시 현장 도착"}, http.StatusCreated, &first)
		ev := decodeEvent[updateEvent](t, page.next(t, "update", 3*time.Second))
		for ev.Action != "posted" {
			ev = decodeEvent[updateEvent](t, page.next(t, "update", 3*time.Second))
		}
		if ev.Update.ID != first.ID || ev.Update.Body != "오전 9시 현장 도착" || ev.Update.Author != "김기자" || !strings.HasSuffix(ev.Update.CreatedAt, "+09:00") {
			t.Errorf("update event = %+v", ev)
		}
		reporter.mustJSON(t, "POST", updates, map[string]any{"body": "두 번째 소식", "pinned": true}, http.StatusCreated, &second)
		page.next(t, "update", 3*time.Second)
		if status, _ := reporter.do(t, "POST", updates, map[string]string{"body": ""}); status != http.StatusBadRequest {
			t.Errorf("empty update: %d, want 400", status)
		}

		// The public list, newest first, paged.
		var list struct {
			Updates []struct {
				ID   int64  `json:"id"`
				Body string `json:"body"`
			} `json:"updates"`
			Next string `json:"next"`
		}
		site.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/updates?limit=1", id), http.StatusOK, &list)
		if len(list.Updates) != 1 || list.Updates[0].ID != second.ID || list.Next == "" {
			t.Fatalf("first page of updates = %+v", list)
		}
		site.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/updates?limit=1&cursor=%s", id, list.Next), http.StatusOK, &list)
		if len(list.Updates) != 1 || list.Updates[0].ID != first.ID || list.Next != "" {
			t.Fatalf("second page of updates = %+v", list)
		}

		_, html := site.get(t, fmt.Sprintf("/articles/%d", id))
		if !strings.Contains(html, `"@type":"LiveBlogPosting"`) || !strings.Contains(html, "liveBlogUpdate") {
			t.Error("live story's page lacks LiveBlogPosting structured data")
		}
		if text := visibleText(html); !strings.Contains(text, "오전 9시 현장 도착") || !strings.Contains(text, "김기자") || !strings.Contains(text, "라이브") {
			t.Error("live story's page lacks its updates")
		}

		// A correction shows, with the text before it.
		editPath := fmt.Sprintf("%s/%d", updates, first.ID)
		reporter.mustJSON(t, "PATCH", editPath, map[string]any{"body": "오전 9시 10분 현장 도착"}, http.StatusOK, nil)
		ev = decodeEvent[updateEvent](t, page.next(t, "update", 3*time.Second))
		if ev.Action != "edited" || ev.Update.PreviousBody != "오전 9시 현장 도착" {
			t.Errorf("correction event = %+v", ev)
		}
		within(t, time.Second, func() error {
			_, html := site.get(t, fmt.Sprintf("/articles/%d", id))
			if text := visibleText(html); !strings.Contains(text, "오전 9시 10분 현장 도착") || !strings.Contains(text, "정정 전: 오전 9시 현장 도착") {
				return fmt.Errorf("page does not show the correction")
			}
			return nil
		})
		if status, _ := reporter.do(t, "DELETE", fmt.Sprintf("%s/%d", updates, second.ID), nil); status != http.StatusOK {
			t.Errorf("delete update: %d", status)
		}
		if ev := decodeEvent[updateEvent](t, page.next(t, "update", 3*time.Second)); ev.Action != "deleted" || ev.Update.ID != second.ID {
			t.Errorf("delete event = %+v", ev)
		}
		if status, _ := reporter.do(t, "DELETE", fmt.Sprintf("%s/%d", updates, second.ID), nil); status != http.StatusNotFound {
			t.Errorf("deleting twice: %d, want 404", status)
		}

		editor.mustJSON(t, "PUT", live, map[string]bool{"live": false}, http.StatusOK, nil)
		_, html = site.get(t, fmt.Sprintf("/articles/%d", id))
		if strings.Contains(html, "LiveBlogPosting") || !strings.Contains(html, `"@type":"NewsArticle"`) {
			t.Error("ended coverage still reads as a live blog")
		}
		if !strings.Contains(visibleText(html), "오전 9시 10분 현장 도착") {
			t.Error("ended coverage lost its updates")
		}
		if status, _ := reporter.do(t, "POST", updates, map[string]string{"body": "끝난 뒤"}); status != http.StatusConflict {
			t.Errorf("update after coverage ended: %d, want 409", status)
		}
	})

	t.Run("UnknownArticle", func(t *testing.T) {
		if status, _ := site.get(t, "/api/v1/live?article=999999"); status != http.StatusNotFound {
			t.Errorf("stream of an unknown article: %d, want 404", status)
		}
		if status, _ := site.get(t, "/api/v1/live?article=abc"); status != http.StatusBadRequest {
			t.Errorf("stream of a malformed id: %d, want 400", status)
		}
	})
}

// TestLiveStreamsBounded: a node holds as many streams as it is told, and
// shutting down ends those it holds (the site's cleanup would otherwise
// wait for them and fail).
func TestLiveStreamsBounded(t *testing.T) {
	held := make([]*sseStream, 0, 2)
	t.Cleanup(func() {
		for _, s := range held {
			select {
			case <-s.done:
			case <-time.After(5 * time.Second):
				t.Error("a stream outlived its server's shutdown")
			}
		}
	})
	site := MustRunMain(t, func(c *Config) { c.LiveStreams = 2 })
	for range 2 {
		s := openStream(t, site, 0, "")
		if s.status != http.StatusOK {
			t.Fatalf("stream within the bound: %d", s.status)
		}
		held = append(held, s)
	}
	res, err := http.Get(site.URL + "/api/v1/live")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("stream past the bound: %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	held[0].close()
	within(t, 2*time.Second, func() error {
		s := openStream(t, site, 0, "")
		if s.status != http.StatusOK {
			s.close()
			return fmt.Errorf("stream after one closed: %d", s.status)
		}
		held[0] = s
		return nil
	})
}

// TestLiveAcrossNodes: writes through one node reach streams on another,
// through PostgreSQL, and a browser resumes on another node than before.
func TestLiveAcrossNodes(t *testing.T) {
	dbURL := mustPostgres(t)
	a := startNode(t, dbURL)
	b := startNode(t, dbURL)
	id := seedArticleID(t, a)
	reader := mustSignUp(t, a, "nodes-reader@example.com", "두노드독자")
	commentsAPI := fmt.Sprintf("/api/v1/articles/%d/comments", id)

	onB := openStream(t, b, id, "")
	start := time.Now()
	reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "a에서 쓴 댓글"}, http.StatusCreated, nil)
	c := decodeEvent[commentEvent](t, onB.next(t, "comment", 3*time.Second))
	if c.Body != "a에서 쓴 댓글" {
		t.Errorf("comment on b = %+v", c)
	}
	t.Logf("comment reached the other node in %v", time.Since(start))

	editor := mustStaff(t, a, "nodes-editor@example.com", "편집자", news.RoleEditor)
	editor.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/articles/%d/live", id), map[string]bool{"live": true}, http.StatusOK, nil)
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/updates", id), map[string]any{"body": "a에서 올린 업데이트"}, http.StatusCreated, nil)
	for {
		ev := decodeEvent[updateEvent](t, onB.next(t, "update", 3*time.Second))
		if ev.Action == "posted" {
			if ev.Update.Body != "a에서 올린 업데이트" {
				t.Errorf("update on b = %+v", ev)
			}
			break
		}
	}
	// b's cached page drops the story when the update lands.
	within(t, 2*time.Second, func() error {
		if _, html := b.get(t, fmt.Sprintf("/articles/%d", id)); !strings.Contains(html, "a에서 올린 업데이트") {
			return fmt.Errorf("b's page lacks the update")
		}
		return nil
	})

	// The browser leaves b and comes back through a.
	seen := onB.last()
	onB.close()
	reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "끊긴 동안 b에 쓴 댓글"}, http.StatusCreated, nil)
	time.Sleep(300 * time.Millisecond)
	onA := openStream(t, a, id, seen)
	var got []string
	for _, ev := range onA.drain(700 * time.Millisecond) {
		if ev.Event == "comment" {
			got = append(got, decodeEvent[commentEvent](t, ev).Body)
		}
	}
	if len(got) != 1 || got[0] != "끊긴 동안 b에 쓴 댓글" {
		t.Errorf("resumed on the other node: comments %q, want the one missed, once", got)
	}
}

// TestNewsroomLivePage: the newsroom's live page counts the reads the test
// made, by source, and shows them as charts with their tables.
func TestNewsroomLivePage(t *testing.T) {
	site := MustRunMain(t)
	id := seedArticleID(t, site)
	path := fmt.Sprintf("/articles/%d", id)
	read := func(referer string) {
		req, _ := http.NewRequest("GET", site.URL+path, nil)
		if referer != "" {
			req.Header.Set("Referer", referer)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	for range 3 {
		read("https://www.google.com/")
	}
	read("https://search.naver.com/search.naver?query=x")
	read("https://m.facebook.com/")
	read("")
	read("")
	read(site.URL + "/")
	editor := mustStaff(t, site, "dash-editor@example.com", "편집자", news.RoleEditor)
	// A read is counted once its answer is written, a moment after the
	// client has it.
	var html string
	within(t, 2*time.Second, func() error {
		if err := site.Service.Live.FlushReads(context.Background()); err != nil {
			return err
		}
		var status int
		if status, html = editor.page(t, "/newsroom/live"); status != http.StatusOK {
			t.Fatalf("/newsroom/live: %d", status)
		}
		if !strings.Contains(visibleText(html), "최근 5분 조회수 8") {
			return fmt.Errorf("reads not all counted yet")
		}
		return nil
	})
	text := visibleText(html)
	for _, want := range []string{"최근 5분 조회수 8", "검색 4 50%", "소셜 미디어 1 12%", "직접 방문 2 25%", "사이트 내부 1 12%", seedHeadline} {
		if !strings.Contains(text, want) {
			t.Errorf("newsroom live page lacks %q", want)
		}
	}
	if n := strings.Count(html, `<svg class="chart"`); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	// The minute chart's table holds the 8 reads in its last minutes.
	minutes := regexp.MustCompile(`(?s)id="chart-minutes".*?</figure>`).FindString(html)
	rows := regexp.MustCompile(`<td>(\d+)</td>`).FindAllStringSubmatch(minutes, -1)
	sum := 0
	for _, r := range rows {
		n, _ := strconv.Atoi(r[1])
		sum += n
	}
	if len(rows) != 60 || sum != 8 || rows[59][1] == "0" {
		t.Errorf("minute table: %d rows adding up to %d, last %v; want 60 rows, 8 reads, this minute's last", len(rows), sum, rows[len(rows)-1:])
	}
	if status, _ := mustSignUp(t, site, "dash-reader@example.com", "독자").page(t, "/newsroom/live"); status != http.StatusForbidden {
		t.Errorf("a reader on /newsroom/live: %d, want 403", status)
	}
}
