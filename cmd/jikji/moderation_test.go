package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
)

type postedComment struct {
	ID     int64  `json:"id"`
	State  string `json:"state"`
	Status string `json:"status"`
}

// mustComment posts a comment and checks the status it is answered with.
func mustComment(tb testing.TB, c *client, articleID int64, body string, want int) postedComment {
	tb.Helper()
	var out postedComment
	c.mustJSON(tb, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", articleID), map[string]any{"body": body}, want, &out)
	return out
}

// publicCount is the 댓글 N an anonymous reader sees on the article page,
// and whether the page shows text.
func publicCount(tb testing.TB, s *testSite, articleID int64, text string) (int, bool) {
	tb.Helper()
	_, page := s.get(tb, articlePathFor(articleID))
	vt := visibleText(page)
	i := strings.Index(vt, "댓글 ")
	if i < 0 {
		tb.Fatalf("no 댓글 count on the page")
	}
	n, _ := strconv.Atoi(strings.Fields(vt[i+len("댓글 "):])[0])
	return n, strings.Contains(vt, text)
}

func articlePathFor(id int64) string { return fmt.Sprintf("/articles/%d", id) }

func accountID(tb testing.TB, c *client) int64 {
	tb.Helper()
	var me struct{ ID int64 }
	c.mustJSON(tb, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	return me.ID
}

func TestModerationQueueHideRestoreAndAudit(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	writer := mustSignUp(t, s, "writer@example.com", "글쓴이")
	r1 := mustSignUp(t, s, "r1@example.com", "신고자1")
	r2 := mustSignUp(t, s, "r2@example.com", "신고자2")
	mod := mustStaff(t, s, "mod@example.com", "관리자", news.RoleModerator)
	reader := mustSignUp(t, s, "plain@example.com", "그냥독자")

	a := mustComment(t, writer, id, "첫 댓글입니다 하나", http.StatusCreated)
	b := mustComment(t, writer, id, "문제의 댓글입니다 둘", http.StatusCreated)
	r1.mustJSON(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", b.ID), map[string]string{"reason": "욕설·비하"}, http.StatusCreated, nil)
	r2.mustJSON(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", b.ID), map[string]string{"reason": "기타", "detail": "불쾌합니다"}, http.StatusCreated, nil)
	r1.mustJSON(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", b.ID), map[string]string{"reason": "욕설·비하"}, http.StatusConflict, nil)
	r1.mustJSON(t, "POST", fmt.Sprintf("/api/v1/comments/%d/reports", a.ID), map[string]string{"reason": "아무거나"}, http.StatusBadRequest, nil)
	// A report through the form, as a reader without JavaScript sends it.
	if res := r2.form(t, fmt.Sprintf("/comments/%d/report", a.ID), url.Values{"reason": {"광고·도배"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report form: %d", res.StatusCode)
	}

	// Only moderators and up see the queue.
	reader.mustJSON(t, "GET", "/api/v1/newsroom/moderation/queue", nil, http.StatusForbidden, nil)
	newClient(t, s).mustJSON(t, "GET", "/api/v1/newsroom/moderation/queue", nil, http.StatusUnauthorized, nil)
	if st, _ := reader.page(t, "/newsroom/moderation"); st != http.StatusForbidden {
		t.Errorf("reader on the moderation page: %d", st)
	}
	var q struct {
		Items []struct {
			Comment struct{ ID int64 } `json:"comment"`
			Body    string             `json:"body"`
			Reports int64              `json:"reports"`
			Reasons []string           `json:"reasons"`
		} `json:"items"`
	}
	mod.mustJSON(t, "GET", "/api/v1/newsroom/moderation/queue?sort=reports", nil, http.StatusOK, &q)
	if len(q.Items) != 2 || q.Items[0].Comment.ID != b.ID || q.Items[0].Reports != 2 || q.Items[1].Comment.ID != a.ID {
		t.Fatalf("most-reported queue: %+v", q.Items)
	}
	mod.mustJSON(t, "GET", "/api/v1/newsroom/moderation/queue?sort=newest", nil, http.StatusOK, &q)
	if q.Items[0].Comment.ID != b.ID || q.Items[1].Comment.ID != a.ID {
		t.Errorf("newest queue: %+v", q.Items)
	}
	if st, page := mod.page(t, "/newsroom/moderation?sort=reports"); st != http.StatusOK || !strings.Contains(visibleText(page), "문제의 댓글입니다 둘") || !strings.Contains(visibleText(page), "신고 2건") {
		t.Errorf("moderation page %d: %s", st, visibleText(page))
	}

	// The count and text are on the cached public page; hiding takes both
	// away within the one-second promise.
	if n, shown := publicCount(t, s, id, "문제의 댓글입니다 둘"); n != 2 || !shown {
		t.Fatalf("before hiding: 댓글 %d, shown %v", n, shown)
	}
	mod.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/comments/%d", b.ID), map[string]string{"action": "hide", "reason": "욕설"}, http.StatusOK, nil)
	within(t, time.Second, func() error {
		if n, shown := publicCount(t, s, id, "문제의 댓글입니다 둘"); n != 1 || shown {
			return fmt.Errorf("after hiding: 댓글 %d, shown %v", n, shown)
		}
		return nil
	})
	var list struct {
		Count    int64 `json:"count"`
		Comments []struct {
			ID int64 `json:"id"`
		} `json:"comments"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/comments", id), http.StatusOK, &list)
	if list.Count != 1 || len(list.Comments) != 1 || list.Comments[0].ID != a.ID {
		t.Errorf("API after hiding: %+v", list)
	}
	mod.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/comments/%d", b.ID), map[string]string{"action": "restore", "reason": "오판"}, http.StatusOK, nil)
	within(t, time.Second, func() error {
		if n, shown := publicCount(t, s, id, "문제의 댓글입니다 둘"); n != 2 || !shown {
			return fmt.Errorf("after restoring: 댓글 %d, shown %v", n, shown)
		}
		return nil
	})
	// Deleting through the newsroom form.
	if res := mod.form(t, fmt.Sprintf("/newsroom/moderation/comments/%d", a.ID), url.Values{"action": {"delete"}, "reason": {"광고"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete form: %d", res.StatusCode)
	}
	within(t, time.Second, func() error {
		if n, _ := publicCount(t, s, id, "첫 댓글입니다 하나"); n != 1 {
			return fmt.Errorf("after deleting: 댓글 %d", n)
		}
		return nil
	})

	var audit struct {
		Entries []struct {
			Actor, Action, Reason, TargetKind string
			TargetID                          int64 `json:"target_id"`
			At                                string
		} `json:"entries"`
	}
	mod.mustJSON(t, "GET", "/api/v1/newsroom/moderation/audit", nil, http.StatusOK, &audit)
	var got []string
	for _, e := range audit.Entries {
		got = append(got, fmt.Sprintf("%s %s %d %s", e.Actor, e.Action, e.TargetID, e.Reason))
		if !strings.HasSuffix(e.At, "+09:00") {
			t.Errorf("audit time %q", e.At)
		}
	}
	want := []string{
		fmt.Sprintf("관리자 delete %d 광고", a.ID),
		fmt.Sprintf("관리자 restore %d 오판", b.ID),
		fmt.Sprintf("관리자 hide %d 욕설", b.ID),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, page := mod.page(t, "/newsroom/moderation/audit"); !strings.Contains(visibleText(page), "관리자") || !strings.Contains(visibleText(page), "숨김") {
		t.Errorf("audit page: %s", visibleText(page))
	}
}

func TestBannedWordsHoldCommentsEvenWhenDisguised(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.SignupsPerIP = 100 })
	id := seedArticleID(t, s)
	mod := mustStaff(t, s, "mod@example.com", "관리자", news.RoleEditor)
	mod.mustJSON(t, "PUT", "/api/v1/newsroom/moderation/banned-words", map[string]any{"words": []string{"바보", "idiot", " 바보 ", ""}}, http.StatusOK, nil)
	var words struct{ Words []string }
	mod.mustJSON(t, "GET", "/api/v1/newsroom/moderation/banned-words", nil, http.StatusOK, &words)
	if strings.Join(words.Words, ",") != "바보,idiot" {
		t.Fatalf("banned words %q", words.Words)
	}
	held := []string{"너 바보지", "바 보", "바.보", "바1보", "ㅂㅏㅂㅗ", "what an IDIOT", "i d i o t", "1d10t", "ｉｄｉｏｔ"}
	clean := []string{"바다에 가고 싶다", "보바 밀크티", "ideal"}
	for i, body := range held {
		// Different readers: the per-reader rate limit is not under test.
		c := mustSignUp(t, s, fmt.Sprintf("h%d@example.com", i), fmt.Sprintf("독자%d", i))
		if got := mustComment(t, c, id, body, http.StatusAccepted); got.Status != "pending" {
			t.Errorf("%q: %+v, want pending", body, got)
		}
	}
	for i, body := range clean {
		c := mustSignUp(t, s, fmt.Sprintf("c%d@example.com", i), fmt.Sprintf("깨끗%d", i))
		mustComment(t, c, id, body, http.StatusCreated)
	}
	var list struct {
		Count int64 `json:"count"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/comments", id), http.StatusOK, &list)
	if list.Count != int64(len(clean)) {
		t.Errorf("count %d, want %d: held comments must not count", list.Count, len(clean))
	}
	if _, page := s.get(t, articlePathFor(id)); strings.Contains(visibleText(page), "너 바보지") {
		t.Error("a held comment is on the page")
	}
	// Approving one shows it.
	var q struct {
		Items []struct {
			Comment struct {
				ID    int64
				State string
			} `json:"comment"`
			Body string
		} `json:"items"`
	}
	mod.mustJSON(t, "GET", "/api/v1/newsroom/moderation/queue", nil, http.StatusOK, &q)
	if len(q.Items) != len(held) {
		t.Fatalf("queue holds %d, want %d", len(q.Items), len(held))
	}
	var first int64
	for _, it := range q.Items {
		if it.Body == "너 바보지" {
			first = it.Comment.ID
		}
	}
	mod.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/comments/%d", first), map[string]string{"action": "approve"}, http.StatusOK, nil)
	within(t, time.Second, func() error {
		if n, shown := publicCount(t, s, id, "너 바보지"); n != len(clean)+1 || !shown {
			return fmt.Errorf("after approval: 댓글 %d, shown %v", n, shown)
		}
		return nil
	})
	// The list is edited in the newsroom too.
	if res := mod.form(t, "/newsroom/moderation/words", url.Values{"words": {"바보\n멍청이"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("words form: %d", res.StatusCode)
	}
	if _, page := mod.page(t, "/newsroom/moderation/tools"); !strings.Contains(page, "멍청이") {
		t.Error("tools page does not show the saved words")
	}
}

func TestCommentModes(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	mod := mustStaff(t, s, "mod@example.com", "관리자", news.RoleModerator)
	reader := mustSignUp(t, s, "reader@example.com", "독자")
	path := fmt.Sprintf("/api/v1/newsroom/articles/%d/comment-mode", id)
	reader.mustJSON(t, "PUT", path, map[string]string{"mode": "closed"}, http.StatusForbidden, nil)
	mod.mustJSON(t, "PUT", path, map[string]string{"mode": "nonsense"}, http.StatusBadRequest, nil)

	mod.mustJSON(t, "PUT", path, map[string]string{"mode": "premoderated"}, http.StatusOK, nil)
	p := mustComment(t, reader, id, "사전 검토를 거칠 댓글", http.StatusAccepted)
	if p.Status != "pending" {
		t.Fatalf("premoderated answer %+v", p)
	}
	// The form says so too.
	res := reader.form(t, fmt.Sprintf("/articles/%d/comments", id), url.Values{"body": {"폼으로 쓴 댓글"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form post: %d", res.StatusCode)
	}
	mod.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/comments/%d", p.ID), map[string]string{"action": "approve"}, http.StatusOK, nil)
	within(t, time.Second, func() error {
		if n, shown := publicCount(t, s, id, "사전 검토를 거칠 댓글"); n != 1 || !shown {
			return fmt.Errorf("approved: 댓글 %d shown %v", n, shown)
		}
		return nil
	})

	mod.mustJSON(t, "PUT", path, map[string]string{"mode": "closed"}, http.StatusOK, nil)
	status, body := reader.do(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "닫힌 기사"})
	var e apiErr
	json.Unmarshal(body, &e)
	if status != http.StatusForbidden || e.Code != news.ECLOSED {
		t.Errorf("closed: %d %s", status, body)
	}
	mod.mustJSON(t, "PUT", path, map[string]string{"mode": "open"}, http.StatusOK, nil)
	mustComment(t, reader, id, "다시 열렸다", http.StatusCreated)
}

func TestSuspendedAndBannedReadersCannotCommentOrReact(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	mod := mustStaff(t, s, "mod@example.com", "관리자", news.RoleModerator)
	bad := mustSignUp(t, s, "bad@example.com", "말썽꾼")
	badID := accountID(t, bad)
	editor := mustStaff(t, s, "desk@example.com", "데스크", news.RoleEditor)
	mod.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/moderation/sanctions/%d", accountID(t, editor)), map[string]any{"days": 1, "reason": "x"}, http.StatusForbidden, nil)
	mod.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/moderation/sanctions/%d", badID), map[string]any{"days": 3, "reason": "반복된 욕설"}, http.StatusOK, nil)

	check := func(what string, status int, body []byte, wantText string) {
		t.Helper()
		var e apiErr
		json.Unmarshal(body, &e)
		if status != http.StatusForbidden || e.Code != "suspended" || !strings.Contains(e.Error, wantText) {
			t.Errorf("%s: %d %s", what, status, body)
		}
	}
	st, body := bad.do(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "또 왔다"})
	check("comment while suspended", st, body, "까지 댓글 작성과 공감 표현이 정지된 계정입니다")
	st, body = bad.do(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "like"})
	check("reaction while suspended", st, body, "반복된 욕설")

	mod.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/moderation/sanctions/%d", badID), map[string]any{"ban": true, "reason": "도배"}, http.StatusOK, nil)
	st, body = bad.do(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "또 왔다"})
	check("comment while banned", st, body, "영구 제한")
	var sanctions struct {
		Sanctions []struct {
			AccountID int64 `json:"account_id"`
			Ban       bool
		}
	}
	mod.mustJSON(t, "GET", "/api/v1/newsroom/moderation/sanctions", nil, http.StatusOK, &sanctions)
	if len(sanctions.Sanctions) != 1 || !sanctions.Sanctions[0].Ban {
		t.Errorf("sanctions %+v", sanctions)
	}
	// The no-JavaScript form shows the message as a notice.
	res := bad.form(t, fmt.Sprintf("/articles/%d/comments", id), url.Values{"body": {"폼으로"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("form while banned: %d", res.StatusCode)
	}
	mod.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/newsroom/moderation/sanctions/%d", badID), nil, http.StatusOK, nil)
	mustComment(t, bad, id, "반성합니다", http.StatusCreated)
	bad.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "like"}, http.StatusOK, nil)
}

func TestTakedownOfArticleAndComment(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	mod := mustStaff(t, s, "mod@example.com", "관리자", news.RoleModerator)
	editor := mustStaff(t, s, "desk@example.com", "데스크", news.RoleEditor)
	writer := mustSignUp(t, s, "writer@example.com", "글쓴이")
	c := mustComment(t, writer, id, "홍길동은 전과자다", http.StatusCreated)

	// A moderator may take down a comment, not an article.
	mod.mustJSON(t, "POST", "/api/v1/newsroom/moderation/takedowns", map[string]any{"target_kind": "article", "target_id": id, "claimant": "홍길동", "claim": "명예훼손", "days": 30}, http.StatusForbidden, nil)
	mod.mustJSON(t, "POST", "/api/v1/newsroom/moderation/takedowns", map[string]any{"target_kind": "comment", "target_id": c.ID, "claimant": "홍길동", "claim": "명예훼손", "days": 31}, http.StatusBadRequest, nil)
	var tc struct {
		ID    int64
		State string
		Until string
	}
	mod.mustJSON(t, "POST", "/api/v1/newsroom/moderation/takedowns", map[string]any{"target_kind": "comment", "target_id": c.ID, "claimant": "홍길동 (hong@example.com)", "claim": "허위 사실로 명예 훼손", "days": 30}, http.StatusCreated, &tc)
	within(t, time.Second, func() error {
		if n, shown := publicCount(t, s, id, "홍길동은 전과자다"); n != 0 || shown {
			return fmt.Errorf("comment under takedown: 댓글 %d shown %v", n, shown)
		}
		return nil
	})

	_, page := s.get(t, articlePathFor(id))
	if !strings.Contains(visibleText(page), "샌프란시스코") {
		t.Fatal("seed article body missing before takedown")
	}
	var ta struct{ ID int64 }
	editor.mustJSON(t, "POST", "/api/v1/newsroom/moderation/takedowns", map[string]any{"target_kind": "article", "target_id": id, "claimant": "주식회사 가나다", "claim": "초상권 침해", "days": 14}, http.StatusCreated, &ta)
	within(t, time.Second, func() error {
		_, page := s.get(t, articlePathFor(id))
		vt := visibleText(page)
		if !strings.Contains(vt, "임시조치") || strings.Contains(vt, "자체 칩 생산은") {
			return fmt.Errorf("article under takedown shows: %.300s", vt)
		}
		return nil
	})
	var api struct{ Blocks []struct{ Text string } }
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &api)
	if len(api.Blocks) != 1 || !strings.Contains(api.Blocks[0].Text, "임시조치") {
		t.Errorf("API blocks under takedown: %+v", api.Blocks)
	}
	// Decisions are recorded; restoring brings both back.
	mod.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/takedowns/%d/decision", tc.ID), map[string]any{"restore": true, "decision": "공인의 공적 활동에 대한 사실"}, http.StatusOK, nil)
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/takedowns/%d/decision", ta.ID), map[string]any{"restore": true, "decision": "권리 침해 아님"}, http.StatusOK, nil)
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/moderation/takedowns/%d/decision", ta.ID), map[string]any{"restore": false, "decision": "다시"}, http.StatusConflict, nil)
	within(t, time.Second, func() error {
		n, shown := publicCount(t, s, id, "홍길동은 전과자다")
		_, page := s.get(t, articlePathFor(id))
		if n != 1 || !shown || !strings.Contains(visibleText(page), "샌프란시스코") {
			return fmt.Errorf("after restoring: 댓글 %d shown %v", n, shown)
		}
		return nil
	})
	var list struct {
		Takedowns []struct {
			Claimant, Claim, State, Decision string
			CreatedAt                        string `json:"created_at"`
			Until                            string
			DecidedAt                        string `json:"decided_at"`
		}
	}
	editor.mustJSON(t, "GET", "/api/v1/newsroom/moderation/takedowns", nil, http.StatusOK, &list)
	if len(list.Takedowns) != 2 || list.Takedowns[0].Claim != "초상권 침해" || list.Takedowns[0].Decision != "권리 침해 아님" ||
		list.Takedowns[0].DecidedAt == "" || list.Takedowns[0].Until == "" || list.Takedowns[0].State != "restored" {
		t.Errorf("takedowns %+v", list.Takedowns)
	}
	if _, page := editor.page(t, "/newsroom/moderation/tools"); !strings.Contains(visibleText(page), "초상권 침해") {
		t.Error("tools page does not list the takedown")
	}
}

func TestWriteRateLimitsAndDailyCap(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.CommentsPerMinute = 3; c.ReactionsPerMinute = 4; c.DailyCommentCap = 5 })
	id := seedArticleID(t, s)
	c := mustSignUp(t, s, "fast@example.com", "빠른손")
	for i := range 3 {
		mustComment(t, c, id, fmt.Sprintf("댓글 %d", i), http.StatusCreated)
	}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/articles/%d/comments", s.URL, id), strings.NewReader(`{"body":"넷째"}`))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e apiErr
	json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || e.Code != "rate_limited" || !strings.Contains(e.Error, "초 후에 다시") {
		t.Errorf("4th comment in a minute: %d, Retry-After %q, %+v", res.StatusCode, res.Header.Get("Retry-After"), e)
	}
	// The form goes back to the comment box with the message, Retry-After
	// and the text kept (TestNoScriptCommentKeepsItsText).
	req, _ = http.NewRequest("POST", fmt.Sprintf("%s/articles/%d/comments", s.URL, id), strings.NewReader("body=form"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Retry-After") == "" {
		t.Errorf("form over the limit: %d", res.StatusCode)
	}
	if _, page := c.page(t, res.Header.Get("Location")); !strings.Contains(page, "초 후에 다시") {
		t.Errorf("form over the limit: the page does not say when to retry")
	}
	// Reactions have their own budget.
	for i := range 4 {
		if st, _ := c.do(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil); st != http.StatusOK {
			t.Fatalf("bookmark %d: %d", i, st)
		}
	}
	if st, _ := c.do(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "like"}); st != http.StatusTooManyRequests {
		t.Errorf("5th reaction-type write: %d", st)
	}

	// The daily cap per article, in a site without the per-minute limit.
	capped := MustRunMain(t, func(c *Config) { c.CommentsPerMinute = 1000; c.DailyCommentCap = 3 })
	cid := seedArticleID(t, capped)
	d := mustSignUp(t, capped, "daily@example.com", "매일")
	for i := range 3 {
		mustComment(t, d, cid, fmt.Sprintf("오늘 %d", i), http.StatusCreated)
	}
	st, body := d.do(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", cid), map[string]string{"body": "넷째"})
	if st != http.StatusTooManyRequests || !strings.Contains(string(body), "하루 3개까지") {
		t.Errorf("over the daily cap: %d %s", st, body)
	}

	// Per address: many readers behind one address share a budget.
	ip := MustRunMain(t, func(c *Config) { c.WritesPerMinutePerIP = 5 })
	iid := seedArticleID(t, ip)
	var last int
	for i := range 6 {
		r := mustSignUp(t, ip, fmt.Sprintf("nat%d@example.com", i), fmt.Sprintf("같은망%d", i))
		last, _ = r.do(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", iid), map[string]string{"reaction": "like"})
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("6th write from one address: %d", last)
	}

	// --rate-limit=false turns every limit off, the daily cap too.
	off := MustRunMain(t, func(c *Config) { c.RateLimit = false; c.CommentsPerMinute = 1; c.DailyCommentCap = 1 })
	oid := seedArticleID(t, off)
	o := mustSignUp(t, off, "off@example.com", "무제한")
	for i := range 4 {
		mustComment(t, o, oid, fmt.Sprintf("제한 없음 %d", i), http.StatusCreated)
	}
}

func TestLoginErrorsDoNotRevealRegisteredEmails(t *testing.T) {
	s := MustRunMain(t)
	mustSignUp(t, s, "known@example.com", "가입자")
	try := func(email, password string) (int, apiErr) {
		st, body := newClient(t, s).do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
		var e apiErr
		json.Unmarshal(body, &e)
		return st, e
	}
	st1, e1 := try("known@example.com", "wrong password here")
	st2, e2 := try("nobody@example.com", "wrong password here")
	if st1 != st2 || e1 != e2 || st1 != http.StatusUnauthorized {
		t.Errorf("wrong password: %d %+v; unknown e-mail: %d %+v", st1, e1, st2, e2)
	}
	// The login form too.
	form := func(email string) string {
		req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(url.Values{"email": {email}, "password": {"wrong password here"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := res.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return strings.ReplaceAll(visibleText(b.String()), email, "EMAIL")
	}
	if a, b := form("known@example.com"), form("nobody@example.com"); a != b {
		t.Errorf("login form pages differ:\n%s\n%s", a, b)
	}
	// A weak password is refused the same way whether or not the e-mail
	// is taken: the password is checked first.
	c := newClient(t, s)
	st, body := c.do(t, "POST", "/api/v1/auth/signup", map[string]string{"email": "known@example.com", "password": "short", "display_name": "다른사람"})
	st2b, body2 := c.do(t, "POST", "/api/v1/auth/signup", map[string]string{"email": "fresh@example.com", "password": "short", "display_name": "다른사람"})
	if st != st2b || string(body) != string(body2) || st != http.StatusBadRequest {
		t.Errorf("weak password: %d %s vs %d %s", st, body, st2b, body2)
	}
	st, body = c.do(t, "POST", "/api/v1/auth/signup", map[string]string{"email": "x@example.com", "password": "password123", "display_name": "흔한암호"})
	if st != http.StatusBadRequest || !strings.Contains(string(body), "weak_password") {
		t.Errorf("common password: %d %s", st, body)
	}
}
