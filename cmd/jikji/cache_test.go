package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
)

// freshness is the promise: everyone sees another reader's write within a
// second, through the cached pages.
const freshness = time.Second

// anonymousSees polls an anonymous page until it shows (or stops showing)
// want, failing past the freshness promise.
func anonymousSees(t *testing.T, s *testSite, path, want string, present bool) {
	t.Helper()
	anon := newClient(t, s)
	within(t, freshness, func() error {
		status, page := anon.page(t, path)
		if status != http.StatusOK && status != http.StatusNotFound {
			return fmt.Errorf("GET %s: %d", path, status)
		}
		if got := strings.Contains(visibleText(page), want); got != present {
			return fmt.Errorf("GET %s: shows %q = %v, want %v", path, want, got, present)
		}
		return nil
	})
}

func TestCacheFollowsEveryKindOfWrite(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	id := seedArticleID(t, s)
	article := fmt.Sprintf("/articles/%d", id)
	commentsAPI := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	anon := newClient(t, s)
	// Warm every page the writes below change, so each check below is of a
	// page that was cached before the write.
	for _, p := range []string{article, "/", "/sections/economy", commentsAPI, fmt.Sprintf("/api/v1/articles/%d/reactions", id)} {
		anon.page(t, p)
		anon.page(t, p)
	}
	reader := mustSignUp(t, s, "writer@example.com", "쓰는독자")

	t.Run("Comment", func(t *testing.T) {
		var c struct{ ID int64 }
		reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": "캐시를 지나가는 댓글"}, http.StatusCreated, &c)
		anonymousSees(t, s, article, "댓글 1", true)
		anonymousSees(t, s, article, "캐시를 지나가는 댓글", true)

		t.Run("Vote", func(t *testing.T) {
			reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/votes/like", c.ID), nil, http.StatusOK, nil)
			anonymousSees(t, s, article, "좋아요 1", true)
		})
		t.Run("Delete", func(t *testing.T) {
			reader.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/comments/%d", c.ID), nil, http.StatusOK, nil)
			anonymousSees(t, s, article, "캐시를 지나가는 댓글", false)
			anonymousSees(t, s, article, "댓글 0", true)
		})
	})

	t.Run("Reaction", func(t *testing.T) {
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "sad"}, http.StatusOK, nil)
		anonymousSees(t, s, article, "슬퍼요 1", true)
		within(t, freshness, func() error {
			var st struct{ Counts map[string]int64 }
			anon.mustJSON(t, "GET", fmt.Sprintf("/api/v1/articles/%d/reactions", id), nil, http.StatusOK, &st)
			if st.Counts["sad"] != 1 {
				return fmt.Errorf("reactions API says sad = %d", st.Counts["sad"])
			}
			return nil
		})
	})

	t.Run("Subscription", func(t *testing.T) {
		reader.mustJSON(t, "PUT", "/api/v1/sections/economy/subscription", nil, http.StatusOK, nil)
		anonymousSees(t, s, "/sections/economy", "구독자 1명", true)
	})

	t.Run("PublishAndUnpublish", func(t *testing.T) {
		editor := mustStaff(t, s, "desk@example.com", "데스크", news.RoleEditor)
		var a deskArticle
		editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
			"headline": "캐시가 곧바로 알아챈 새 기사", "section": "economy", "body": "본문입니다.",
		}, http.StatusCreated, &a)
		path := fmt.Sprintf("/articles/%d", a.ID)
		anon.page(t, path) // a 404, cached too
		editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID), nil, http.StatusOK, nil)
		anonymousSees(t, s, "/", "캐시가 곧바로 알아챈 새 기사", true)
		anonymousSees(t, s, "/sections/economy", "캐시가 곧바로 알아챈 새 기사", true)
		anonymousSees(t, s, path, "캐시가 곧바로 알아챈 새 기사", true)

		editor.mustJSON(t, "PATCH", fmt.Sprintf("/api/v1/newsroom/articles/%d", a.ID), map[string]string{"headline": "캐시가 곧바로 알아챈 고친 기사"}, http.StatusOK, nil)
		anonymousSees(t, s, path, "캐시가 곧바로 알아챈 고친 기사", true)
		anonymousSees(t, s, "/", "캐시가 곧바로 알아챈 고친 기사", true)
		editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/unpublish", a.ID), nil, http.StatusOK, nil)
		anonymousSees(t, s, "/", "캐시가 곧바로 알아챈 고친 기사", false)
		within(t, freshness, func() error {
			if st, _ := anon.page(t, path); st != http.StatusNotFound {
				return fmt.Errorf("unpublished article answers %d", st)
			}
			return nil
		})
	})
}

func TestLoggedInReadersNeverSeeEachOthersState(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	id := seedArticleID(t, s)
	article := fmt.Sprintf("/articles/%d", id)
	alice := mustSignUp(t, s, "alice@example.com", "앨리스")
	bob := mustSignUp(t, s, "bob@example.com", "바비")
	// Both read the page first, so each personal copy is made from the one
	// cached page.
	alice.page(t, article)
	bob.page(t, article)
	alice.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "angry"}, http.StatusOK, nil)
	alice.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
	var a struct {
		Bylines []news.Byline `json:"bylines"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &a)
	alice.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/reporters/%d/subscription", a.Bylines[0].ReporterID), nil, http.StatusOK, nil)
	var c struct{ ID int64 }
	alice.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "앨리스의 댓글"}, http.StatusCreated, &c)

	// Alice sees her own state at once.
	_, page := alice.page(t, article)
	for _, want := range []string{`reaction-angry" aria-pressed="true"`, `bookmark-button" aria-pressed="true"`, `aria-pressed="true" aria-label="이서희 특파원 구독"`, fmt.Sprintf(`action="/comments/%d/delete"`, c.ID), "앨리스의 댓글", ">앨리스</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("alice's page lacks %s", want)
		}
	}
	// Bob and an anonymous reader see none of it, however many times they
	// look and whatever the cache holds.
	anon := newClient(t, s)
	for range 3 {
		for who, cl := range map[string]*client{"bob": bob, "anonymous": anon} {
			_, page := cl.page(t, article)
			for _, leak := range []string{`aria-pressed="true"`, fmt.Sprintf(`action="/comments/%d/delete"`, c.ID), "저장됨", "구독중", ">앨리스</a>\n      <a href=\"/me/saved\""} {
				if strings.Contains(page, leak) {
					t.Errorf("%s sees %s", who, leak)
				}
			}
			if who == "bob" && !strings.Contains(page, ">바비</a>") {
				t.Errorf("bob's page does not name him")
			}
		}
	}
}

func TestPersonalStateWithoutPageCache(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false; c.NoPageCache = true })
	id := seedArticleID(t, s)
	alice := mustSignUp(t, s, "alice@example.com", "앨리스")
	alice.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "warm"}, http.StatusOK, nil)
	_, page := alice.page(t, fmt.Sprintf("/articles/%d", id))
	if !strings.Contains(page, `reaction-warm" aria-pressed="true"`) || !strings.Contains(page, ">앨리스</a>") {
		t.Errorf("without the page cache, a logged-in page does not show the reader's own state")
	}
	_, anon := newClient(t, s).page(t, fmt.Sprintf("/articles/%d", id))
	if strings.Contains(anon, `aria-pressed="true"`) {
		t.Errorf("an anonymous page shows a reader's state")
	}
}

// A logged-in reader's copy of a cached page is the same whether it is sent
// compressed (joined from kept compressed pieces) or not, and the data that
// rides in its hole markers never carries more than the page shows.
func TestLoggedInPageSameCompressedOrNot(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	article := fmt.Sprintf("/articles/%d", id)
	reader := mustSignUp(t, s, "holes@example.com", "구멍독자")
	reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "warm"}, http.StatusOK, nil)
	reader.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "구멍 시험 댓글"}, http.StatusCreated, nil)
	for _, path := range []string{article, article + "/comments", "/", fmt.Sprintf("/sections/%s", "society")} {
		// The Go client asks for gzip and unpacks it.
		status, packed := reader.page(t, path)
		req, err := http.NewRequest("GET", s.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "identity")
		res, err := reader.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if status != http.StatusOK || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d compressed, %d plain", path, status, res.StatusCode)
		}
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("GET %s with identity: Content-Encoding %q", path, res.Header.Get("Content-Encoding"))
		}
		if packed != string(plain) {
			t.Errorf("GET %s: the compressed and plain copies differ (%d and %d bytes)", path, len(packed), len(plain))
		}
		if !strings.Contains(packed, ">구멍독자</a>") {
			t.Errorf("GET %s: the reader's menu does not name them", path)
		}
		if strings.Contains(packed, "holes@example.com") {
			t.Errorf("GET %s: the page carries the reader's e-mail", path)
		}
	}
}
