package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"
)

// mustStaff signs up an account and gives it the role.
func mustStaff(tb testing.TB, s *testSite, email, name, role string) *client {
	tb.Helper()
	c := mustSignUp(tb, s, email, name)
	if role != news.RoleReader {
		a, err := s.Store.AccountByEmail(context.Background(), email)
		if err != nil {
			tb.Fatal(err)
		}
		if err := s.Store.SetAccountRole(context.Background(), a.ID, role); err != nil {
			tb.Fatal(err)
		}
		if s.Service.TwoFactorRequired(role) {
			mustSetUpTwoFactor(tb, c, email)
		}
	}
	return c
}

// send sends a request with headers and returns status, headers and body.
func (c *client) send(tb testing.TB, method, path string, body io.Reader, header http.Header) (int, http.Header, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, c.site.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, out
}

// multipartPhoto builds an upload form; empty fields are left out.
func multipartPhoto(tb testing.TB, data []byte, caption, credit, alt string) (io.Reader, http.Header) {
	tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"caption": caption, "credit": credit, "alt": alt} {
		if v != "" {
			w.WriteField(k, v)
		}
	}
	if data != nil {
		fw, _ := w.CreateFormFile("file", "photo.png")
		fw.Write(data)
	}
	w.Close()
	return &buf, http.Header{"Content-Type": {w.FormDataContentType()}}
}

// testPNG encodes a w×h image with a gradient, so it compresses like a photo.
func testPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a valid PNG header that claims 100000×100000 pixels.
func bombPNG() []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	// IHDR: length at 8, type at 12, width and height at 16 and 20, CRC
	// of type and data at 29.
	binary.BigEndian.PutUint32(b[16:], 100000)
	binary.BigEndian.PutUint32(b[20:], 100000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

type deskArticle struct {
	ID             int64   `json:"id"`
	Headline       string  `json:"headline"`
	Body           string  `json:"body"`
	State          string  `json:"state"`
	Version        int64   `json:"version"`
	PublishedAt    string  `json:"published_at"`
	UpdatedAt      *string `json:"updated_at"`
	CorrectionNote string  `json:"correction_note"`
	ReturnNote     string  `json:"return_note"`
	Section        struct {
		Slug string `json:"slug"`
	} `json:"section"`
	Blocks []struct {
		Type   string `json:"type"`
		Photos []struct {
			ID int64 `json:"id"`
		} `json:"photos"`
	} `json:"blocks"`
}

func mustDraft(tb testing.TB, c *client, headline string) deskArticle {
	tb.Helper()
	var a deskArticle
	c.mustJSON(tb, "POST", "/api/v1/newsroom/articles", map[string]any{
		"headline": headline, "section": "society", "body": "첫 문단입니다.\n\n둘째 문단입니다.",
	}, http.StatusCreated, &a)
	return a
}

type newsroomSite struct {
	*testSite
	clients map[string]*client
}

var roles = []string{"anonymous", news.RoleReader, news.RoleModerator, news.RoleReporter, news.RoleEditor, news.RoleAdmin}

func mustNewsroom(tb testing.TB, configure ...func(*Config)) *newsroomSite {
	tb.Helper()
	s := MustRunMain(tb, configure...)
	ns := &newsroomSite{testSite: s, clients: map[string]*client{"anonymous": newClient(tb, s)}}
	for _, role := range roles[1:] {
		ns.clients[role] = mustStaff(tb, s, role+"@jikji.example", role+" 계정", role)
	}
	return ns
}

func TestNewsroomRoutesByRole(t *testing.T) {
	s := mustNewsroom(t)
	ctx := context.Background()
	admin := s.clients[news.RoleAdmin]
	editor := s.clients[news.RoleEditor]
	// Articles in the states each route needs, one per route so that the
	// table's requests do not disturb one another.
	// Reporters edit and submit only drafts they wrote or are bylined on;
	// the desk edits any.
	reporter := s.clients[news.RoleReporter]
	draft := mustDraft(t, reporter, "저장용 초안").ID
	toSubmit := mustDraft(t, reporter, "출고용 초안").ID
	othersDraft := mustDraft(t, editor, "다른 기자의 초안").ID
	othersToSubmit := mustDraft(t, editor, "다른 기자의 출고용 초안").ID
	othersFormSubmit := mustDraft(t, editor, "다른 기자의 폼 출고용 초안").ID
	byline := news.Reporter{Name: "기자 계정", Role: "기자", Email: "Reporter@Jikji.Example"}
	if err := s.Store.CreateReporter(ctx, &byline); err != nil {
		t.Fatal(err)
	}
	var bylined deskArticle
	editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
		"headline": "바이라인 초안", "section": "society", "body": "본문",
		"bylines": []map[string]any{{"reporter_id": byline.ID, "name": byline.Name}},
	}, http.StatusCreated, &bylined)
	toPublish := mustDraft(t, editor, "발행용 초안").ID
	toReturn := mustDraft(t, editor, "반려용 초안").ID
	toUnpublish := mustDraft(t, editor, "내릴 기사").ID
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", toUnpublish), nil, http.StatusOK, nil)
	mustStaff(t, s.testSite, "dummy@jikji.example", "역할 바꿀 회원", news.RoleReader)
	editorAccount, _ := s.Store.AccountByEmail(ctx, "editor@jikji.example")
	var tokenIDs []int64
	for range 2 {
		var tok struct{ ID int64 }
		admin.mustJSON(t, "POST", "/api/v1/newsroom/tokens", map[string]string{"email": editorAccount.Email, "name": "폐기용"}, http.StatusCreated, &tok)
		tokenIDs = append(tokenIDs, tok.ID)
	}
	seed := seedArticleID(t, s.testSite)
	img := testPNG(t, 64, 48)
	mustStaff(t, s.testSite, "sessions@jikji.example", "세션 끝낼 기자", news.RoleReporter)
	sessionsTarget, _ := s.Store.AccountByEmail(ctx, "sessions@jikji.example")

	writers := []string{news.RoleReporter, news.RoleEditor, news.RoleAdmin}
	desk := []string{news.RoleEditor, news.RoleAdmin}
	admins := []string{news.RoleAdmin}
	everyone := roles[1:]
	type route struct {
		method, path string
		api          bool
		allowed      []string
		ok           int
		body         func() (io.Reader, http.Header)
	}
	form := func(v url.Values) func() (io.Reader, http.Header) {
		return func() (io.Reader, http.Header) {
			return strings.NewReader(v.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		}
	}
	js := func(v any) func() (io.Reader, http.Header) {
		return func() (io.Reader, http.Header) {
			b, _ := json.Marshal(v)
			return bytes.NewReader(b), http.Header{"Content-Type": {"application/json"}}
		}
	}
	articleForm := url.Values{"headline": {"폼으로 쓴 기사"}, "section": {"society"}, "body": {"본문"}, "comments_open": {"1"}}
	p := func(format string, id int64) string { return fmt.Sprintf(format, id) }
	routes := []route{
		{"GET", "/newsroom", false, writers, 200, nil},
		{"GET", "/newsroom?state=draft&q=초안", false, writers, 200, nil},
		{"GET", "/newsroom/articles/new", false, writers, 200, nil},
		{"POST", "/newsroom/articles", false, writers, 303, form(articleForm)},
		{"GET", p("/newsroom/articles/%d", draft), false, writers, 200, nil},
		{"POST", p("/newsroom/articles/%d", draft), false, writers, 303, form(articleForm)},
		{"POST", p("/newsroom/articles/%d/submit", toSubmit), false, writers, 303, nil},
		{"POST", p("/newsroom/articles/%d", othersDraft), false, desk, 303, form(articleForm)},
		{"POST", p("/newsroom/articles/%d/submit", othersFormSubmit), false, desk, 303, nil},
		{"POST", p("/newsroom/articles/%d/publish", toPublish), false, desk, 303, form(url.Values{"when": {"now"}})},
		{"POST", p("/newsroom/articles/%d/return", toReturn), false, desk, 303, form(url.Values{"note": {"보강해주세요"}})},
		{"POST", p("/newsroom/articles/%d/unpublish", toUnpublish), false, desk, 303, nil},
		{"POST", p("/newsroom/articles/%d/photos", draft), false, writers, 303, func() (io.Reader, http.Header) {
			return multipartPhoto(t, img, "설명", "출처", "대체 텍스트")
		}},
		{"GET", "/newsroom/front", false, desk, 200, nil},
		{"POST", "/newsroom/front", false, desk, 303, form(url.Values{"slot": {"top"}, "ids": {""}})},
		{"POST", "/newsroom/labels", false, desk, 303, form(url.Values{"code": {"analysis"}, "name": {"분석"}})},
		{"POST", "/newsroom/reporters", false, desk, 303, form(url.Values{"name": {"새기자"}})},
		{"GET", "/newsroom/staff", false, admins, 200, nil},
		{"POST", "/newsroom/staff/role", false, admins, 303, form(url.Values{"email": {"dummy@jikji.example"}, "role": {"reader"}})},
		{"POST", "/newsroom/tokens", false, admins, 200, form(url.Values{"email": {editorAccount.Email}, "name": {"스크립트"}})},
		{"POST", p("/newsroom/tokens/%d/revoke", tokenIDs[0]), false, admins, 303, nil},

		{"GET", "/api/v1/newsroom/articles", true, writers, 200, nil},
		{"GET", "/api/v1/newsroom/articles?state=submitted", true, writers, 200, nil},
		{"POST", "/api/v1/newsroom/articles", true, writers, 201, js(map[string]string{"headline": "API 초안", "section": "society", "body": "본문"})},
		{"GET", p("/api/v1/newsroom/articles/%d", draft), true, writers, 200, nil},
		{"PATCH", p("/api/v1/newsroom/articles/%d", draft), true, writers, 200, js(map[string]string{"headline": "고친 제목"})},
		{"PATCH", p("/api/v1/newsroom/articles/%d", othersDraft), true, desk, 200, js(map[string]string{"headline": "남이 고친 제목"})},
		{"PATCH", p("/api/v1/newsroom/articles/%d", bylined.ID), true, writers, 200, js(map[string]string{"headline": "바이라인 기자가 고친 제목"})},
		{"POST", p("/api/v1/newsroom/articles/%d/submit", othersToSubmit), true, desk, 200, nil},
		{"GET", p("/api/v1/newsroom/articles/%d/revisions", draft), true, writers, 200, nil},
		{"POST", p("/api/v1/newsroom/articles/%d/submit", toSubmit), true, writers, 200, nil},
		{"POST", p("/api/v1/newsroom/articles/%d/publish", toPublish), true, desk, 200, nil},
		{"POST", p("/api/v1/newsroom/articles/%d/return", toReturn), true, desk, 200, js(map[string]string{"note": "다시"})},
		{"POST", p("/api/v1/newsroom/articles/%d/unpublish", toUnpublish), true, desk, 200, nil},
		{"POST", "/api/v1/newsroom/photos", true, writers, 201, func() (io.Reader, http.Header) {
			return multipartPhoto(t, img, "설명", "출처", "대체 텍스트")
		}},
		{"GET", "/api/v1/newsroom/front", true, desk, 200, nil},
		{"PUT", "/api/v1/newsroom/front/top", true, desk, 200, js(map[string][]int64{"articles": {seed}})},
		{"GET", "/api/v1/newsroom/staff", true, admins, 200, nil},
		{"PUT", "/api/v1/newsroom/staff/role", true, admins, 200, js(map[string]string{"email": "dummy@jikji.example", "role": "reader"})},
		{"GET", "/api/v1/newsroom/tokens", true, admins, 200, nil},
		{"POST", "/api/v1/newsroom/tokens", true, admins, 201, js(map[string]string{"email": editorAccount.Email, "name": "연동"})},
		{"DELETE", p("/api/v1/newsroom/tokens/%d", tokenIDs[1]), true, admins, 204, nil},

		// Sign-in: two-factor and sessions are everyone's own; ending a
		// staff member's sessions is the admin's.
		{"GET", "/me/2fa", false, everyone, 200, nil},
		{"GET", "/me/sessions", false, everyone, 200, nil},
		{"POST", "/me/sessions/others/delete", false, everyone, 303, nil},
		{"POST", p("/newsroom/staff/%d/sessions/delete", sessionsTarget.ID), false, admins, 303, nil},
		{"GET", "/api/v1/me/sessions", true, everyone, 200, nil},
		{"DELETE", "/api/v1/me/sessions", true, everyone, 200, nil},
		{"GET", "/api/v1/me/identities", true, everyone, 200, nil},
		// Only those whose role does not require two-factor may turn it
		// off; none of these has it on.
		{"DELETE", "/api/v1/me/2fa", true, []string{news.RoleReader, news.RoleModerator, news.RoleReporter}, 409,
			js(map[string]string{"password": "correct horse battery", "otp": "123456"})},
		{"DELETE", p("/api/v1/newsroom/staff/%d/sessions", sessionsTarget.ID), true, admins, 200, nil},
	}
	for _, rt := range routes {
		for _, role := range roles {
			t.Run(rt.method+" "+rt.path+" "+role, func(t *testing.T) {
				var body io.Reader
				header := http.Header{}
				if rt.body != nil {
					body, header = rt.body()
				}
				status, h, out := s.clients[role].send(t, rt.method, rt.path, body, header)
				want := rt.ok
				switch {
				case role == "anonymous" && rt.api:
					want = http.StatusUnauthorized
				case role == "anonymous":
					want = http.StatusSeeOther
					if loc := h.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
						t.Errorf("anonymous went to %q, want the login page", loc)
					}
				case !contains(rt.allowed, role):
					want = http.StatusForbidden
				}
				if status != want {
					t.Fatalf("status %d, want %d: %.300s", status, want, out)
				}
				if rt.api && status >= 400 {
					var e apiErr
					if err := json.Unmarshal(out, &e); err != nil || e.Error == "" || e.Code == "" {
						t.Errorf("API error body %s", out)
					}
				}
				if !rt.api && status == http.StatusForbidden && !strings.Contains(string(out), "접근 권한이 없습니다") {
					t.Errorf("403 page is not the Korean one")
				}
			})
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestNewsroomWorkflow(t *testing.T) {
	s := mustNewsroom(t)
	reporter, editor := s.clients[news.RoleReporter], s.clients[news.RoleEditor]
	a := mustDraft(t, reporter, "워크플로 기사")
	if a.State != news.StateDraft || a.Version != 1 {
		t.Fatalf("new draft: %+v", a)
	}
	path := fmt.Sprintf("/api/v1/newsroom/articles/%d", a.ID)

	t.Run("ReporterCannotPublish", func(t *testing.T) {
		var e apiErr
		reporter.mustJSON(t, "POST", path+"/publish", nil, http.StatusForbidden, &e)
		if e.Code != "forbidden" {
			t.Errorf("error %+v", e)
		}
	})
	t.Run("SubmitIsIdempotent", func(t *testing.T) {
		var got deskArticle
		reporter.mustJSON(t, "POST", path+"/submit", nil, http.StatusOK, &got)
		reporter.mustJSON(t, "POST", path+"/submit", nil, http.StatusOK, &got)
		if got.State != news.StateSubmitted {
			t.Errorf("state %q", got.State)
		}
	})
	t.Run("ReturnWithNote", func(t *testing.T) {
		var e apiErr
		editor.mustJSON(t, "POST", path+"/return", map[string]string{"note": " "}, http.StatusBadRequest, &e)
		var got deskArticle
		editor.mustJSON(t, "POST", path+"/return", map[string]string{"note": "둘째 문단 출처를 밝혀주세요."}, http.StatusOK, &got)
		if got.State != news.StateDraft {
			t.Errorf("returned state %q", got.State)
		}
		reporter.mustJSON(t, "GET", path, nil, http.StatusOK, &got)
		if got.ReturnNote != "둘째 문단 출처를 밝혀주세요." {
			t.Errorf("return note %q", got.ReturnNote)
		}
		_, page := reporter.page(t, fmt.Sprintf("/newsroom/articles/%d", a.ID))
		if !strings.Contains(visibleText(page), "데스크 반려 사유 둘째 문단 출처를 밝혀주세요.") {
			t.Errorf("edit page does not show the return note")
		}
		reporter.mustJSON(t, "POST", path+"/submit", nil, http.StatusOK, &got)
	})
	t.Run("IfMatch", func(t *testing.T) {
		status, h, _ := reporter.send(t, "GET", path, nil, nil)
		tag := h.Get("ETag")
		if status != 200 || tag == "" {
			t.Fatalf("GET: %d, ETag %q", status, tag)
		}
		body := func(headline string) io.Reader {
			b, _ := json.Marshal(map[string]string{"headline": headline})
			return bytes.NewReader(b)
		}
		hdr := http.Header{"Content-Type": {"application/json"}, "If-Match": {tag}}
		status, h2, out := reporter.send(t, "PATCH", path, body("첫 편집자"), hdr)
		if status != 200 || h2.Get("ETag") == tag {
			t.Fatalf("PATCH with a fresh If-Match: %d %s (ETag %q)", status, out, h2.Get("ETag"))
		}
		status, _, out = editor.send(t, "PATCH", path, body("둘째 편집자"), hdr)
		if status != http.StatusPreconditionFailed || !strings.Contains(string(out), "precondition_failed") {
			t.Fatalf("PATCH with a stale If-Match: %d %s", status, out)
		}
		var got deskArticle
		editor.mustJSON(t, "GET", path, nil, 200, &got)
		if got.Headline != "첫 편집자" {
			t.Errorf("headline %q after a refused save", got.Headline)
		}
	})
	t.Run("PublishIsIdempotent", func(t *testing.T) {
		var first, second deskArticle
		editor.mustJSON(t, "POST", path+"/publish", nil, http.StatusOK, &first)
		editor.mustJSON(t, "POST", path+"/publish", map[string]string{}, http.StatusOK, &second)
		if first.State != news.StatePublished || second.PublishedAt != first.PublishedAt || second.Version != first.Version {
			t.Errorf("publish twice: %+v then %+v", first, second)
		}
		if status, _ := s.get(t, fmt.Sprintf("/articles/%d", a.ID)); status != 200 {
			t.Errorf("published article: status %d", status)
		}
		var e apiErr
		reporter.mustJSON(t, "PATCH", path, map[string]string{"headline": "기자가 고침"}, http.StatusForbidden, &e)
	})
	t.Run("Unpublish", func(t *testing.T) {
		var got deskArticle
		editor.mustJSON(t, "POST", path+"/unpublish", nil, http.StatusOK, &got)
		editor.mustJSON(t, "POST", path+"/unpublish", nil, http.StatusOK, &got)
		if got.State != news.StateUnpublished {
			t.Errorf("state %q", got.State)
		}
		within(t, 5*time.Second, func() error {
			status, _ := s.get(t, fmt.Sprintf("/articles/%d", a.ID))
			if status != http.StatusNotFound {
				return fmt.Errorf("unpublished article answers %d", status)
			}
			return nil
		})
		var list struct{ Articles []deskArticle }
		editor.mustJSON(t, "GET", "/api/v1/newsroom/articles?state=unpublished", nil, 200, &list)
		if len(list.Articles) != 1 || list.Articles[0].ID != a.ID {
			t.Errorf("unpublished list: %+v", list.Articles)
		}
	})
	t.Run("Token", func(t *testing.T) {
		var tok struct {
			ID    int64
			Token string
		}
		s.clients[news.RoleAdmin].mustJSON(t, "POST", "/api/v1/newsroom/tokens", map[string]string{"email": "reporter@jikji.example", "name": "통신"}, 201, &tok)
		bare := newClient(t, s.testSite)
		bearer := http.Header{"Authorization": {"Bearer " + tok.Token}, "Content-Type": {"application/json"}}
		status, _, out := bare.send(t, "POST", "/api/v1/newsroom/articles", strings.NewReader(`{"headline":"통신 기사","section":"economy","body":"연합"}`), bearer)
		if status != 201 {
			t.Fatalf("token create: %d %s", status, out)
		}
		status, _, _ = bare.send(t, "POST", path+"/publish", nil, bearer)
		if status != 403 {
			t.Errorf("reporter token publish: %d, want 403", status)
		}
		s.clients[news.RoleAdmin].mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/newsroom/tokens/%d", tok.ID), nil, 204, nil)
		status, _, _ = bare.send(t, "GET", "/api/v1/newsroom/articles", nil, bearer)
		if status != 401 {
			t.Errorf("revoked token: %d, want 401", status)
		}
	})
}

// clock is a test clock the site reads through Service.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestNewsroomScheduledPublish(t *testing.T) {
	s := mustNewsroom(t)
	clk := &clock{t: time.Now().Truncate(time.Second)}
	s.Service.Now = clk.Now
	editor := s.clients[news.RoleEditor]
	a := mustDraft(t, editor, "예약 발행 기사")
	at := clk.Now().Add(2 * time.Hour)
	var got deskArticle
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID),
		map[string]string{"at": at.In(news.KST).Format(time.RFC3339)}, 200, &got)
	if got.State != news.StateScheduled || got.PublishedAt != news.RFC3339KST(at) {
		t.Fatalf("scheduled: %+v", got)
	}
	if status, _ := s.get(t, fmt.Sprintf("/articles/%d", a.ID)); status != 404 {
		t.Errorf("before its time: status %d, want 404", status)
	}
	var list struct{ Articles []deskArticle }
	editor.mustJSON(t, "GET", "/api/v1/newsroom/articles?state=scheduled", nil, 200, &list)
	if len(list.Articles) != 1 || list.Articles[0].ID != a.ID {
		t.Errorf("scheduled list: %+v", list.Articles)
	}
	since := clk.Now()
	clk.Add(2*time.Hour + time.Minute)
	// The server announces due stories so caches drop stale pages; the test
	// does it at once instead of waiting for the ticker.
	if _, err := s.Service.AnnounceDue(context.Background(), since); err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, func() error {
		status, page := s.get(t, fmt.Sprintf("/articles/%d", a.ID))
		if status != 200 || !strings.Contains(page, "예약 발행 기사") {
			return fmt.Errorf("the story is not public once its time came: %d", status)
		}
		return nil
	})
	within(t, 5*time.Second, func() error {
		_, home := s.get(t, "/")
		if !strings.Contains(home, "예약 발행 기사") {
			return errors.New("the home page lacks the scheduled story")
		}
		return nil
	})
	editor.mustJSON(t, "GET", fmt.Sprintf("/api/v1/newsroom/articles/%d", a.ID), nil, 200, &got)
	if got.State != news.StatePublished {
		t.Errorf("state after its time: %q", got.State)
	}
}

func TestNewsroomCorrectionAndRevisions(t *testing.T) {
	s := mustNewsroom(t)
	clk := &clock{t: time.Date(2025, 3, 14, 0, 30, 0, 0, time.UTC)}
	s.Service.Now = clk.Now
	editor := s.clients[news.RoleEditor]
	a := mustDraft(t, editor, "반도체 수출 20% 늘어")
	path := fmt.Sprintf("/api/v1/newsroom/articles/%d", a.ID)
	editor.mustJSON(t, "POST", path+"/publish", nil, 200, nil)
	clk.Add(90 * time.Minute)
	editor.mustJSON(t, "PATCH", path, map[string]string{
		"headline": "반도체 수출 25% 늘어", "body": "첫 문단입니다.\n\n셋째 문단으로 바꿨습니다.",
		"correction_note": "수출 증가율을 20%에서 25%로 바로잡습니다.",
	}, 200, nil)

	_, page := s.get(t, fmt.Sprintf("/articles/%d", a.ID))
	text := visibleText(page)
	for _, want := range []string{"입력 2025.03.14 09:30", "수정 2025.03.14 11:00", "바로잡습니다 수출 증가율을 20%에서 25%로 바로잡습니다."} {
		if !strings.Contains(text, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	var pub struct {
		UpdatedAt      *string `json:"updated_at"`
		CorrectionNote string  `json:"correction_note"`
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", a.ID), 200, &pub)
	if pub.UpdatedAt == nil || *pub.UpdatedAt != "2025-03-14T11:00:00+09:00" || pub.CorrectionNote == "" {
		t.Errorf("API: updated_at %v, note %q", pub.UpdatedAt, pub.CorrectionNote)
	}

	status, page := s.get(t, fmt.Sprintf("/articles/%d/revisions", a.ID))
	if status != 200 {
		t.Fatalf("revisions page: %d", status)
	}
	for _, want := range []string{`<del>20%</del>`, `<ins>25%</ins>`, `<del>둘째`, `<ins>셋째`, "최초 발행", "단어"} {
		if !strings.Contains(page, want) {
			t.Errorf("revisions page lacks %s", want)
		}
	}
	var revs struct {
		Revisions []struct {
			Action  string
			First   bool
			Added   int
			Removed int
			Diff    []news.DiffPart
		}
	}
	s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/revisions", a.ID), 200, &revs)
	if len(revs.Revisions) != 2 || !revs.Revisions[1].First || revs.Revisions[0].Added == 0 || revs.Revisions[0].Removed == 0 {
		t.Fatalf("revisions API: %+v", revs.Revisions)
	}
	var added, removed []string
	for _, p := range revs.Revisions[0].Diff {
		switch p.Op {
		case news.DiffAdded:
			added = append(added, p.Text)
		case news.DiffRemoved:
			removed = append(removed, p.Text)
		}
	}
	if !contains(added, "25%") || !contains(removed, "20%") {
		t.Errorf("diff added %q removed %q", added, removed)
	}
	// Drafts have no public history.
	d := mustDraft(t, editor, "초안")
	if status, _ := s.get(t, fmt.Sprintf("/articles/%d/revisions", d.ID)); status != 404 {
		t.Errorf("draft revisions page: %d, want 404", status)
	}
}

func TestNewsroomFrontPagePicks(t *testing.T) {
	s := mustNewsroom(t)
	editor := s.clients[news.RoleEditor]
	a := mustDraft(t, editor, "데스크가 고른 오래된 기사")
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID), nil, 200, nil)
	b := mustDraft(t, editor, "가장 새 기사")
	editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", b.ID), nil, 200, nil)
	seed := seedArticleID(t, s.testSite)
	editor.mustJSON(t, "PUT", "/api/v1/newsroom/front/top", map[string][]int64{"articles": {seed, a.ID}}, 200, nil)
	front, err := s.Service.FrontPage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(front.Top) < 3 || front.Top[0].ID != seed || front.Top[1].ID != a.ID || front.Top[2].ID != b.ID {
		var ids []int64
		for _, x := range front.Top {
			ids = append(ids, x.ID)
		}
		t.Errorf("top stories %v, want %d, %d, then %d by time", ids, seed, a.ID, b.ID)
	}
	within(t, 5*time.Second, func() error {
		_, home := s.get(t, "/")
		i, j := strings.Index(home, "데스크가 고른 오래된 기사"), strings.Index(home, "가장 새 기사")
		if i < 0 || j < 0 || i > j {
			return errors.New("the home page does not show the pick first")
		}
		return nil
	})
}

func TestNewsroomPhotoUpload(t *testing.T) {
	s := mustNewsroom(t, func(c *Config) { c.MaxUploadMB = 1 })
	reporter := s.clients[news.RoleReporter]
	upload := func(data []byte, caption, credit, alt string) (int, []byte) {
		body, h := multipartPhoto(t, data, caption, credit, alt)
		status, _, out := reporter.send(t, "POST", "/api/v1/newsroom/photos", body, h)
		return status, out
	}
	t.Run("OK", func(t *testing.T) {
		status, out := upload(testPNG(t, 1000, 500), "청계천 산책로", "직지일보 사진부", "물가를 걷는 시민들")
		if status != 201 {
			t.Fatalf("status %d: %s", status, out)
		}
		var p struct {
			ID       int64
			URL      string
			Markup   string
			Variants []struct {
				Width, Height int
				URL           string
			}
		}
		json.Unmarshal(out, &p)
		if len(p.Variants) != 3 || p.Variants[0].Width != 480 || p.Variants[1].Width != 960 || p.Variants[2].Width != 1000 || p.Variants[2].Height != 500 {
			t.Fatalf("variants %+v", p.Variants)
		}
		if p.Markup != fmt.Sprintf("![물가를 걷는 시민들](photo:%d)", p.ID) {
			t.Errorf("markup %q", p.Markup)
		}
		res, err := http.Get(p.Variants[0].URL)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
			t.Errorf("variant: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 480 || cfg.Height != 240 {
			t.Errorf("variant decodes as %+v, %v", cfg, err)
		}
	})
	for _, tc := range []struct {
		name                 string
		data                 []byte
		caption, credit, alt string
		status               int
		message              string
	}{
		{"ErrNotAnImage", []byte("%PDF-1.4 이것은 사진이 아닙니다"), "설명", "출처", "대체", 400, "이미지만 올릴 수 있습니다"},
		{"ErrTooLarge", bytes.Repeat([]byte{0xFF}, 2<<20), "설명", "출처", "대체", 413, "1MB 이하로"},
		{"ErrDecompressionBomb", bombPNG(), "설명", "출처", "대체", 400, "100000×100000"},
		{"ErrNoCaption", testPNG(t, 10, 10), "", "출처", "대체", 400, "캡션"},
		{"ErrNoCredit", testPNG(t, 10, 10), "설명", "", "대체", 400, "크레디트"},
		{"ErrNoAlt", testPNG(t, 10, 10), "설명", "출처", "", 400, "대체 텍스트"},
		{"ErrNoFile", nil, "설명", "출처", "대체", 400, "파일"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := upload(tc.data, tc.caption, tc.credit, tc.alt)
			var e apiErr
			json.Unmarshal(out, &e)
			if status != tc.status || !strings.Contains(e.Error, tc.message) {
				t.Errorf("status %d, error %q; want %d with %q", status, e.Error, tc.status, tc.message)
			}
		})
	}
}

func TestUserAddCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"user", "add", "--data", dir, "--password-cost", "4", "--email", "Chief@Jikji.example",
		"--name", "편집국장", "--role", "admin"}, &out, &errOut)
	if err == nil {
		t.Fatal("user add without a password on stdin succeeded")
	}
	err = runUser(context.Background(), []string{"add", "--data", dir, "--password-cost", "4", "--email", "chief@jikji.example",
		"--name", "편집국장", "--role", "admin"}, strings.NewReader("correct horse battery\n"), &out, &errOut)
	if err != nil {
		t.Fatalf("user add: %v (%s)", err, errOut.String())
	}
	if !strings.Contains(out.String(), "admin") {
		t.Errorf("output %q", out.String())
	}
	err = runUser(context.Background(), []string{"add", "--data", dir, "--email", "x@jikji.example", "--name", "누구", "--role", "king"},
		strings.NewReader("correct horse battery\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "역할") {
		t.Errorf("unknown role: %v", err)
	}
	// The admin can log in to the site and reach the staff page.
	s := startMain(t, Config{Addr: "127.0.0.1:0", Data: dir, PasswordCost: 4, RateLimit: true, BreakingWindow: time.Hour})
	c := newClient(t, s)
	c.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "chief@jikji.example", "password": "correct horse battery"}, 200, nil)
	// An admin is sent to set up two-factor before the newsroom.
	if status, _ := c.page(t, "/newsroom/staff"); status != http.StatusSeeOther {
		t.Errorf("staff page before two-factor: %d", status)
	}
	mustSetUpTwoFactor(t, c, "chief@jikji.example")
	if status, _ := c.page(t, "/newsroom/staff"); status != 200 {
		t.Errorf("staff page: %d", status)
	}
}
