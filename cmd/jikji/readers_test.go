package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCommentLengthIsCountedInCodePointsAfterNFC(t *testing.T) {
	// One reader posts every case: lift the per-reader comment limit.
	s := MustRunMain(t, func(c *Config) { c.CommentsPerMinute = 100 })
	c := mustSignUp(t, s, "len@example.com", "길이재기")
	path := fmt.Sprintf("/api/v1/articles/%d/comments", seedArticleID(t, s))
	jamo := "\u1100\u1161" // ㄱ + ㅏ typed as conjoining jamo: one syllable 가 after NFC
	cases := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"OK250Hangul", strings.Repeat("가", 250), http.StatusCreated, ""},
		{"ErrTooLong251Hangul", strings.Repeat("가", 251), http.StatusBadRequest, "comment_too_long"},
		{"OK250Jamo", strings.Repeat(jamo, 250), http.StatusCreated, ""},
		{"ErrTooLong251Jamo", strings.Repeat(jamo, 251), http.StatusBadRequest, "comment_too_long"},
		{"OK250LoneJamo", strings.Repeat("ㅋ", 250), http.StatusCreated, ""},
		{"OK250Emoji", strings.Repeat("😀", 250), http.StatusCreated, ""},
		{"ErrTooLong251Emoji", strings.Repeat("😀", 251), http.StatusBadRequest, "comment_too_long"},
		{"OK250CRLF", strings.Repeat("가\r\n", 83) + "가", http.StatusCreated, ""},
		{"ErrEmpty", "", http.StatusBadRequest, "comment_empty"},
		{"ErrBlank", " \n\t\u3000 ", http.StatusBadRequest, "comment_empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := c.do(t, "POST", path, map[string]string{"body": tc.body})
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if tc.code != "" && !strings.Contains(string(body), `"code":"`+tc.code+`"`) {
				t.Errorf("body %s lacks code %s", body, tc.code)
			}
		})
	}
	// Invalid UTF-8 cannot be sent as JSON text; send it as raw bytes.
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader("{\"body\":\"\xff\xfe\"}"))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("invalid UTF-8: status %d", res.StatusCode)
	}
	var list struct {
		Count    int64 `json:"count"`
		Comments []struct {
			Body string `json:"body"`
		} `json:"comments"`
	}
	c.mustJSON(t, "GET", path+"?limit=100", nil, http.StatusOK, &list)
	if list.Count != 5 || len(list.Comments) != 5 {
		t.Errorf("count %d, %d comments; want only the 5 accepted", list.Count, len(list.Comments))
	}
	for _, cm := range list.Comments {
		if strings.Contains(cm.Body, "\r") || strings.Contains(cm.Body, "\u1100") {
			t.Errorf("stored comment was not normalised: %q", cm.Body[:20])
		}
	}
}

func TestCommentsThreadsSortingAndDeletion(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	path := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	alice := mustSignUp(t, s, "alice@example.com", "앨리스")
	bob := mustSignUp(t, s, "bob@example.com", "바비")

	type comment struct {
		ID       int64  `json:"id"`
		Body     string `json:"body"`
		ParentID *int64 `json:"parent_id"`
		Likes    int64  `json:"likes"`
		Dislikes int64  `json:"dislikes"`
		State    string `json:"state"`
		Author   struct {
			ID          *int64 `json:"id"`
			DisplayName string `json:"display_name"`
		} `json:"author"`
		CreatedAt string `json:"created_at"`
	}
	var first, second, reply comment
	alice.mustJSON(t, "POST", path, map[string]any{"body": "첫 댓글"}, http.StatusCreated, &first)
	bob.mustJSON(t, "POST", path, map[string]any{"body": "두번째 댓글"}, http.StatusCreated, &second)
	bob.mustJSON(t, "POST", path, map[string]any{"body": "앨리스에게 답글", "parent_id": first.ID}, http.StatusCreated, &reply)
	if reply.ParentID == nil || *reply.ParentID != first.ID || !strings.HasSuffix(first.CreatedAt, "+09:00") {
		t.Fatalf("reply %+v", reply)
	}
	// A reply to a reply joins the same thread: one level deep.
	var deep comment
	alice.mustJSON(t, "POST", path, map[string]any{"body": "답글의 답글", "parent_id": reply.ID}, http.StatusCreated, &deep)
	if deep.ParentID == nil || *deep.ParentID != first.ID {
		t.Errorf("reply to a reply has parent %v, want %d", deep.ParentID, first.ID)
	}

	// Likes and dislikes, one each per reader.
	for range 2 {
		bob.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/votes/like", second.ID), nil, http.StatusOK, nil)
	}
	var voted comment
	alice.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/votes/dislike", second.ID), nil, http.StatusOK, &voted)
	if voted.Likes != 1 || voted.Dislikes != 1 {
		t.Errorf("likes %d dislikes %d, want 1 and 1", voted.Likes, voted.Dislikes)
	}

	var list struct {
		Count    int64     `json:"count"`
		Comments []comment `json:"comments"`
		Next     string    `json:"next"`
	}
	anon := newClient(t, s)
	order := func(sort string) []string {
		anon.mustJSON(t, "GET", path+"?sort="+sort, nil, http.StatusOK, &list)
		var out []string
		for _, c := range list.Comments {
			out = append(out, c.Body)
		}
		return out
	}
	if got := order("newest"); fmt.Sprint(got) != "[두번째 댓글 첫 댓글]" {
		t.Errorf("newest: %v", got)
	}
	if got := order("oldest"); fmt.Sprint(got) != "[첫 댓글 두번째 댓글]" {
		t.Errorf("oldest: %v", got)
	}
	if got := order("likes"); got[0] != "두번째 댓글" {
		t.Errorf("likes: %v", got)
	}
	if list.Count != 4 {
		t.Errorf("댓글 %d, want 4 (comments and replies)", list.Count)
	}
	var e apiErr
	anon.mustJSON(t, "GET", path+"?sort=random", nil, http.StatusBadRequest, &e)

	// Only the author deletes; the comment then shows as deleted and its
	// replies stay.
	bob.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/comments/%d", first.ID), nil, http.StatusForbidden, &e)
	alice.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/comments/%d", first.ID), nil, http.StatusOK, nil)
	within(t, time.Second, func() error {
		anon.mustJSON(t, "GET", path+"?sort=oldest", nil, http.StatusOK, &list)
		if list.Count != 3 {
			return fmt.Errorf("댓글 %d after deleting one, want 3", list.Count)
		}
		return nil
	})
	if list.Comments[0].State != "deleted" || list.Comments[0].Body != "" {
		t.Errorf("deleted comment shows %+v", list.Comments[0])
	}
	var replies struct {
		Comments []comment `json:"comments"`
	}
	anon.mustJSON(t, "GET", fmt.Sprintf("/api/v1/comments/%d/replies", first.ID), nil, http.StatusOK, &replies)
	if len(replies.Comments) != 2 {
		t.Errorf("%d replies kept, want 2", len(replies.Comments))
	}
	_, page := anon.page(t, fmt.Sprintf("/articles/%d", id))
	text := visibleText(page)
	for _, w := range []string{"댓글 3", "삭제된 댓글입니다.", "앨리스에게 답글", "두번째 댓글"} {
		if !strings.Contains(text, w) {
			t.Errorf("article page lacks %q", w)
		}
	}
	if strings.Contains(text, "첫번째 댓글을 남겨주세요.") {
		t.Errorf("empty-state prompt shown beside comments")
	}
}

func TestCommentPaginationIsCompleteAndStable(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	id := seedArticleID(t, s)
	path := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	c := mustSignUp(t, s, "many@example.com", "다작러")
	for i := range 45 {
		c.mustJSON(t, "POST", path, map[string]any{"body": fmt.Sprintf("댓글 %02d", i)}, http.StatusCreated, nil)
	}
	for _, sort := range []string{"newest", "oldest", "likes"} {
		seen := map[int64]bool{}
		next := ""
		for pages := 0; ; pages++ {
			var list struct {
				Comments []struct{ ID int64 } `json:"comments"`
				Next     string               `json:"next"`
			}
			c.mustJSON(t, "GET", path+"?limit=20&sort="+sort+"&cursor="+next, nil, http.StatusOK, &list)
			for _, cm := range list.Comments {
				if seen[cm.ID] {
					t.Fatalf("%s: comment %d on two pages", sort, cm.ID)
				}
				seen[cm.ID] = true
			}
			if next = list.Next; next == "" || pages > 5 {
				break
			}
		}
		if len(seen) != 45 {
			t.Errorf("%s: %d comments over all pages, want 45", sort, len(seen))
		}
	}
}

func TestReactionsOnePerReader(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	path := fmt.Sprintf("/api/v1/articles/%d/reaction", id)
	c := mustSignUp(t, s, "react@example.com", "공감러")
	type state struct {
		Counts map[string]int64 `json:"counts"`
		Mine   *string          `json:"mine"`
	}
	var st state
	c.mustJSON(t, "PUT", path, map[string]string{"reaction": "like"}, http.StatusOK, &st)
	if st.Counts["like"] != 1 || st.Mine == nil || *st.Mine != "like" {
		t.Fatalf("after like: %+v", st)
	}
	// The same again is fine and changes nothing.
	c.mustJSON(t, "PUT", path, map[string]string{"reaction": "like"}, http.StatusOK, &st)
	if st.Counts["like"] != 1 {
		t.Errorf("like counted twice")
	}
	var e apiErr
	c.mustJSON(t, "PUT", path, map[string]string{"reaction": "angry"}, http.StatusConflict, &e)
	want := apiErr{Title: "중복 선택 불가 안내", Error: "이미 공감 표현을 선택하신 기사입니다. 변경을 원하시면 취소 후 다시 선택해주세요.", Code: "reaction_exists"}
	if e != want {
		t.Errorf("duplicate reaction answered %+v", e)
	}
	c.mustJSON(t, "DELETE", path, nil, http.StatusOK, &st)
	if st.Counts["like"] != 0 || st.Mine != nil {
		t.Errorf("after cancel: %+v", st)
	}
	c.mustJSON(t, "PUT", path, map[string]string{"reaction": "want_more"}, http.StatusOK, &st)
	if st.Counts["want_more"] != 1 || *st.Mine != "want_more" {
		t.Errorf("after choosing again: %+v", st)
	}
	c.mustJSON(t, "PUT", path, map[string]string{"reaction": "bored"}, http.StatusBadRequest, &e)

	var pub state
	newClient(t, s).mustJSON(t, "GET", fmt.Sprintf("/api/v1/articles/%d/reactions", id), nil, http.StatusOK, &pub)
	if len(pub.Counts) != 5 || pub.Mine != nil || pub.Counts["want_more"] != 1 {
		t.Errorf("public reactions %+v", pub)
	}
}

func TestReactionCountsExactUnderConcurrency(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	id := seedArticleID(t, s)
	path := fmt.Sprintf("/api/v1/articles/%d/reaction", id)
	const readers = 200
	clients := make([]*client, readers)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clients[i] = mustSignUp(t, s, fmt.Sprintf("r%d@example.com", i), fmt.Sprintf("독자%d", i))
		}()
	}
	wg.Wait()
	kinds := []string{"like", "warm", "sad", "angry", "want_more"}
	var failures atomic.Int32
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, _ := c.do(t, "PUT", path, map[string]string{"reaction": kinds[i%5]}); status != http.StatusOK {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	if failures.Load() > 0 {
		t.Fatalf("%d reactions failed", failures.Load())
	}
	// One reader races two different reactions: exactly one stands.
	racer := mustSignUp(t, s, "racer@example.com", "경주자")
	results := make(chan int, 2)
	for _, k := range []string{"like", "sad"} {
		go func() {
			status, _ := racer.do(t, "PUT", path, map[string]string{"reaction": k})
			results <- status
		}()
	}
	a, b := <-results, <-results
	if !(a == 200 && b == 409 || a == 409 && b == 200) {
		t.Errorf("racing reactions answered %d and %d, want one 200 and one 409", a, b)
	}
	var st struct {
		Counts map[string]int64 `json:"counts"`
	}
	newClient(t, s).mustJSON(t, "GET", fmt.Sprintf("/api/v1/articles/%d/reactions", id), nil, http.StatusOK, &st)
	var total int64
	for _, n := range st.Counts {
		total += n
	}
	if total != readers+1 {
		t.Errorf("total reactions %d, want %d: %v", total, readers+1, st.Counts)
	}
	for _, k := range []string{"warm", "angry", "want_more"} {
		if st.Counts[k] != readers/5 {
			t.Errorf("%s = %d, want %d", k, st.Counts[k], readers/5)
		}
	}
}

func TestBookmarksAndSubscriptions(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	c := mustSignUp(t, s, "saver@example.com", "저장왕")
	var msg struct {
		Message string `json:"message"`
	}
	c.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, &msg)
	if msg.Message != "기사가 저장 되었습니다." {
		t.Errorf("save notice %q", msg.Message)
	}
	var marks struct {
		Bookmarks []struct {
			ID       int64  `json:"id"`
			Headline string `json:"headline"`
		} `json:"bookmarks"`
		Next string `json:"next"`
	}
	c.mustJSON(t, "GET", "/api/v1/me/bookmarks", nil, http.StatusOK, &marks)
	if len(marks.Bookmarks) != 1 || marks.Bookmarks[0].ID != id {
		t.Errorf("bookmarks %+v", marks)
	}
	if _, page := c.page(t, "/me/saved"); !strings.Contains(visibleText(page), seedHeadline) {
		t.Errorf("저장한 기사 page lacks the saved article")
	}
	c.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, &msg)
	if msg.Message != "기사 저장이 취소되었습니다." {
		t.Errorf("unsave notice %q", msg.Message)
	}
	c.mustJSON(t, "GET", "/api/v1/me/bookmarks", nil, http.StatusOK, &marks)
	if len(marks.Bookmarks) != 0 {
		t.Errorf("bookmark kept after unsaving")
	}

	var a struct {
		Bylines []struct {
			ReporterID int64 `json:"reporter_id"`
		} `json:"bylines"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &a)
	reporter := a.Bylines[0].ReporterID
	var sub struct {
		Subscribed  bool  `json:"subscribed"`
		Subscribers int64 `json:"subscribers"`
	}
	c.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/reporters/%d/subscription", reporter), nil, http.StatusOK, &sub)
	if !sub.Subscribed || sub.Subscribers != 1 {
		t.Errorf("subscription %+v", sub)
	}
	if _, page := c.page(t, fmt.Sprintf("/reporters/%d", reporter)); !strings.Contains(visibleText(page), "구독자 1명") {
		t.Errorf("reporter page lacks the subscriber count")
	}
	c.mustJSON(t, "PUT", "/api/v1/sections/culture/subscription", nil, http.StatusOK, &sub)
	var feed struct {
		Articles []struct {
			ID       int64  `json:"id"`
			Headline string `json:"headline"`
			Section  struct{ Slug string }
		} `json:"articles"`
	}
	c.mustJSON(t, "GET", "/api/v1/me/feed", nil, http.StatusOK, &feed)
	var seed, culture bool
	for _, f := range feed.Articles {
		seed = seed || f.Headline == seedHeadline
		culture = culture || f.Section.Slug == "culture"
		var full struct {
			Bylines []struct {
				ReporterID int64 `json:"reporter_id"`
			} `json:"bylines"`
		}
		s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", f.ID), http.StatusOK, &full)
		if f.Section.Slug != "culture" && (len(full.Bylines) == 0 || full.Bylines[0].ReporterID != reporter) {
			t.Errorf("feed has %q, from neither the reporter nor the section", f.Headline)
		}
	}
	if !seed || !culture {
		t.Errorf("feed lacks the reporter's (%v) or the section's (%v) articles", seed, culture)
	}
	var e apiErr
	c.mustJSON(t, "PUT", "/api/v1/reporters/999999/subscription", nil, http.StatusNotFound, &e)
}

func TestReaderActionsNeedALogin(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	anon := newClient(t, s)
	for _, r := range []struct{ method, path string }{
		{"POST", fmt.Sprintf("/api/v1/articles/%d/comments", id)},
		{"PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id)},
		{"DELETE", fmt.Sprintf("/api/v1/articles/%d/reaction", id)},
		{"PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id)},
		{"GET", "/api/v1/me/bookmarks"},
		{"GET", "/api/v1/me/feed"},
		{"GET", "/api/v1/me"},
		{"PUT", "/api/v1/reporters/1/subscription"},
		{"PUT", "/api/v1/sections/economy/subscription"},
	} {
		var e apiErr
		anon.mustJSON(t, r.method, r.path, map[string]string{"body": "x", "reaction": "like"}, http.StatusUnauthorized, &e)
		if e.Code != "unauthorized" || e.Error == "" {
			t.Errorf("%s %s: %+v", r.method, r.path, e)
		}
	}
	// Pages send an anonymous visitor to log in and back afterwards.
	article := fmt.Sprintf("/articles/%d", id)
	res := anon.form(t, article+"/bookmark", url.Values{"on": {"1"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(article+"#reactions") {
		t.Fatalf("anonymous save: %d to %q", res.StatusCode, loc)
	}
	res = anon.form(t, "/signup", url.Values{"email": {"back@example.com"}, "password": {"correct horse battery"}, "display_name": {"돌아온독자"}, "next": {article}})
	if loc := res.Header.Get("Location"); loc != article {
		t.Errorf("after sign-up went to %q, want %q", loc, article)
	}
	for _, p := range []string{"/me", "/me/saved", "/me/feed"} {
		res, _ := newClient(t, s).http.Get(s.URL + p)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			t.Errorf("anonymous %s: %d %s", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestAccountsSessionsAndDeletion(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	c := newClient(t, s)
	var e apiErr
	for _, in := range []map[string]string{
		{"email": "not-an-email", "password": "correct horse battery", "display_name": "이름"},
		{"email": "short@example.com", "password": "짧다", "display_name": "이름"},
		{"email": "common@example.com", "password": "password123", "display_name": "이름"},
		{"email": "name@example.com", "password": "correct horse battery", "display_name": "가"},
	} {
		if status, body := c.do(t, "POST", "/api/v1/auth/signup", in); status != http.StatusBadRequest {
			t.Errorf("sign-up %v: %d %s", in, status, body)
		}
	}
	mustSignUp(t, s, "Dup@Example.com", "첫가입")
	c.mustJSON(t, "POST", "/api/v1/auth/signup", map[string]string{"email": "dup@example.com", "password": "correct horse battery", "display_name": "두번째"}, http.StatusConflict, &e)
	if e.Code != "email_taken" {
		t.Errorf("duplicate e-mail: %+v", e)
	}

	// Wrong password and unknown e-mail get the same answer.
	var e1, e2 apiErr
	c.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "dup@example.com", "password": "wrong password!"}, http.StatusUnauthorized, &e1)
	c.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "nobody@example.com", "password": "wrong password!"}, http.StatusUnauthorized, &e2)
	if e1 != e2 {
		t.Errorf("login errors differ: %+v vs %+v", e1, e2)
	}

	// A login sets a new HttpOnly, SameSite=Lax session cookie.
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/login", strings.NewReader(`{"email":"DUP@example.com","password":"correct horse battery"}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "jikji_session", Value: "planted-by-an-attacker"})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "jikji_session" {
			cookie = ck
		}
	}
	if res.StatusCode != http.StatusOK || cookie == nil || cookie.Value == "planted-by-an-attacker" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("login: %d cookie %+v", res.StatusCode, cookie)
	}

	// A reader who leaves keeps their comments, shown as 탈퇴한 회원.
	leaver := mustSignUp(t, s, "leaver@example.com", "떠날사람")
	leaver.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "떠나기 전 댓글"}, http.StatusCreated, nil)
	leaver.mustJSON(t, "DELETE", "/api/v1/me", map[string]string{"password": "wrong password!"}, http.StatusUnauthorized, &e)
	leaver.mustJSON(t, "DELETE", "/api/v1/me", map[string]string{"password": "correct horse battery"}, http.StatusNoContent, nil)
	leaver.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, &e)
	var list struct {
		Comments []struct {
			Body   string `json:"body"`
			Author struct {
				ID          *int64 `json:"id"`
				DisplayName string `json:"display_name"`
			} `json:"author"`
		} `json:"comments"`
	}
	c.mustJSON(t, "GET", fmt.Sprintf("/api/v1/articles/%d/comments", id), nil, http.StatusOK, &list)
	if len(list.Comments) != 1 || list.Comments[0].Author.DisplayName != "탈퇴한 회원" || list.Comments[0].Author.ID != nil || list.Comments[0].Body != "떠나기 전 댓글" {
		t.Errorf("departed reader's comment: %+v", list.Comments)
	}
	// The e-mail can be used again.
	mustSignUp(t, s, "leaver@example.com", "돌아온사람")
}

func TestLoginIsThrottled(t *testing.T) {
	s := MustRunMain(t)
	mustSignUp(t, s, "target@example.com", "표적")
	c := newClient(t, s)
	var status int
	var retry string
	for i := 0; i < 12; i++ {
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/login", strings.NewReader(`{"email":"target@example.com","password":"guess guess"}`))
		req.Header.Set("Content-Type", "application/json")
		res, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		status, retry = res.StatusCode, res.Header.Get("Retry-After")
	}
	if status != http.StatusTooManyRequests || retry == "" {
		t.Errorf("12th failed login: %d, Retry-After %q; want 429 with Retry-After", status, retry)
	}
	// Off for load tests.
	off := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	mustSignUp(t, off, "target@example.com", "표적")
	for i := 0; i < 12; i++ {
		if st, _ := newClient(t, off).do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "target@example.com", "password": "guess guess"}); st != http.StatusUnauthorized {
			t.Fatalf("with --rate-limit=false attempt %d got %d", i, st)
		}
	}
}

func TestCrossSiteFormPostsAreRefused(t *testing.T) {
	s := MustRunMain(t)
	c := mustSignUp(t, s, "victim@example.com", "피해자")
	id := seedArticleID(t, s)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/articles/%d/bookmark", s.URL, id), strings.NewReader("on=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d, want 403", res.StatusCode)
	}
	var marks struct {
		Bookmarks []any `json:"bookmarks"`
	}
	c.mustJSON(t, "GET", "/api/v1/me/bookmarks", nil, http.StatusOK, &marks)
	if len(marks.Bookmarks) != 0 {
		t.Errorf("a cross-site post saved a bookmark")
	}
}

func TestCommenterProfile(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	author := mustSignUp(t, s, "writer@example.com", "글쓴이")
	fan := mustSignUp(t, s, "fan@example.com", "애독자")
	var cm struct{ ID int64 }
	author.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "공개될 댓글"}, http.StatusCreated, &cm)
	fan.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/comments/%d/votes/like", cm.ID), nil, http.StatusOK, nil)
	var me struct{ ID int64 }
	author.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	status, page := newClient(t, s).page(t, fmt.Sprintf("/users/%d", me.ID))
	text := visibleText(page)
	if status != http.StatusOK || !strings.Contains(text, "공개될 댓글") || !strings.Contains(text, "작성한 댓글 1") || !strings.Contains(text, "받은 좋아요 1") {
		t.Errorf("profile page %d: %s", status, text)
	}
	if strings.Contains(page, "writer@example.com") {
		t.Errorf("profile page shows the e-mail")
	}
}

// A story unpublished or taken down after a reader saved it leaves their
// saved lists, and comes back when it is public again.
func TestSavedListsShowOnlyPublicStories(t *testing.T) {
	sites := map[string]func(t *testing.T) *testSite{
		"SQLite":     func(t *testing.T) *testSite { return MustRunMain(t) },
		"PostgreSQL": func(t *testing.T) *testSite { return startNode(t, mustPostgres(t)) },
	}
	for name, start := range sites {
		t.Run(name, func(t *testing.T) {
			s := start(t)
			id := seedArticleID(t, s)
			editor := mustStaff(t, s, "desk@example.com", "데스크", "editor")
			reader := mustSignUp(t, s, "saver@example.com", "저장왕")
			reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
			saved := func(want bool) {
				t.Helper()
				var marks struct {
					Bookmarks []struct {
						ID int64 `json:"id"`
					} `json:"bookmarks"`
				}
				reader.mustJSON(t, "GET", "/api/v1/me/bookmarks", nil, http.StatusOK, &marks)
				if got := len(marks.Bookmarks) == 1 && marks.Bookmarks[0].ID == id; got != want || len(marks.Bookmarks) > 1 {
					t.Errorf("/api/v1/me/bookmarks lists %+v, want the story listed: %v", marks.Bookmarks, want)
				}
				if _, page := reader.page(t, "/me/saved"); strings.Contains(visibleText(page), seedHeadline) != want {
					t.Errorf("/me/saved shows the story: %v, want %v", !want, want)
				}
			}
			saved(true)
			path := fmt.Sprintf("/api/v1/newsroom/articles/%d", id)
			editor.mustJSON(t, "POST", path+"/unpublish", nil, http.StatusOK, nil)
			saved(false)
			editor.mustJSON(t, "POST", path+"/publish", nil, http.StatusOK, nil)
			saved(true)
			editor.mustJSON(t, "POST", "/api/v1/newsroom/moderation/takedowns", map[string]any{"target_kind": "article", "target_id": id, "claimant": "홍길동", "claim": "명예훼손", "days": 30}, http.StatusCreated, nil)
			saved(false)
		})
	}
}
