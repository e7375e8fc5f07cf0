package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// The newsroom's article desk: the list, the editor, the workflow and the
// revisions, as pages (which work without JavaScript: every action is a
// form that posts and redirects back with a notice) and as the JSON API for
// integrations (a session cookie or a personal API token).

type stateTab struct {
	Code, Name string
	Current    bool
}

type deskRow struct {
	news.Article
	DeskState, StateName string
}

type deskListView struct {
	Rows        []deskRow
	Tabs        []stateTab
	State       string
	Query       string
	Next        string
	CanPublish  bool
	CanAdmin    bool
	CanModerate bool
}

func (s *Server) newsroomPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	q := r.URL.Query()
	before, err := decodeIDCursor(q.Get("cursor"))
	if err != nil {
		return err
	}
	state := q.Get("state")
	list, next, err := s.Svc.NewsroomArticles(r.Context(), v, withNewsroomSearch(news.NewsroomQuery{State: state, Search: q.Get("q"), BeforeID: before, Limit: 30}))
	if err != nil {
		return err
	}
	lv := deskListView{State: state, Query: q.Get("q"), CanPublish: news.CanPublish(v.Role), CanAdmin: news.CanAdminister(v.Role), CanModerate: news.CanModerate(v.Role)}
	lv.Tabs = append(lv.Tabs, stateTab{Code: "", Name: "전체", Current: state == ""})
	for _, st := range []string{news.StateDraft, news.StateSubmitted, news.StateScheduled, news.StatePublished, news.StateUnpublished} {
		lv.Tabs = append(lv.Tabs, stateTab{Code: st, Name: stateNames[st], Current: state == st})
	}
	for _, a := range list {
		ds := s.Svc.DeskState(&a)
		lv.Rows = append(lv.Rows, deskRow{Article: a, DeskState: ds, StateName: stateNames[ds]})
	}
	if next != 0 {
		q.Set("cursor", encodeIDCursor(next))
		lv.Next = "/newsroom?" + q.Encode()
	}
	return s.render(w, r, http.StatusOK, "newsroom_list", "뉴스룸", lv)
}

// bylineRow is one row of the byline fields.
type bylineRow struct {
	N int
	news.Byline
}

type revisionRow struct {
	news.Revision
	ActionName, StateName string
}

type deskEditView struct {
	Article    news.Article
	New        bool
	DeskState  string
	StateName  string
	ReturnNote string
	DeckText   string
	Bylines    []bylineRow
	Labels     []news.Label
	Reporters  []news.Reporter
	Revisions  []revisionRow
	CanPublish bool
	CanEdit    bool
	Error      string
	Now        string // for the schedule field's minimum, KST
}

func (s *Server) editView(r *http.Request, v news.Account, a news.Article, isNew bool) (deskEditView, error) {
	ev := deskEditView{Article: a, New: isNew, DeckText: strings.Join(a.Deck, "\n"), CanPublish: news.CanPublish(v.Role)}
	ev.DeskState = s.Svc.DeskState(&a)
	if isNew {
		ev.DeskState = news.StateDraft
	}
	ev.StateName = stateNames[ev.DeskState]
	ev.CanEdit = ev.CanPublish || ev.DeskState == news.StateDraft || ev.DeskState == news.StateSubmitted
	var err error
	if ev.Labels, err = s.Svc.Labels(r.Context()); err != nil {
		return ev, err
	}
	if ev.Reporters, err = s.Svc.Reporters(r.Context()); err != nil {
		return ev, err
	}
	for i := range 3 {
		row := bylineRow{N: i}
		if i < len(a.Bylines) {
			row.Byline = a.Bylines[i]
		}
		ev.Bylines = append(ev.Bylines, row)
	}
	ev.Now = s.Svc.Now().In(news.KST).Format("2006-01-02T15:04")
	return ev, nil
}

func (s *Server) newArticlePage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	ev, err := s.editView(r, v, news.Article{CommentsOpen: true}, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "newsroom_edit", "새 기사", ev)
}

func (s *Server) editArticlePage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Svc.NewsroomArticle(r.Context(), v, id)
	if err != nil {
		return err
	}
	ev, err := s.editView(r, v, d.Article, false)
	if err != nil {
		return err
	}
	ev.ReturnNote = d.ReturnNote
	for i := len(d.Revisions) - 1; i >= 0; i-- {
		rv := d.Revisions[i]
		ev.Revisions = append(ev.Revisions, revisionRow{Revision: rv, ActionName: actionNames[rv.Action], StateName: stateNames[rv.State]})
	}
	return s.render(w, r, http.StatusOK, "newsroom_edit", "기사 편집: "+d.Headline, ev)
}

// formArticle copies the editor form onto a.
func (s *Server) formArticle(r *http.Request, a *news.Article) error {
	a.Headline = r.PostFormValue("headline")
	a.Body = r.PostFormValue("body")
	a.Deck = strings.Split(strings.ReplaceAll(r.PostFormValue("deck"), "\r\n", "\n"), "\n")
	a.Section = news.Section{}
	if slug := r.PostFormValue("section"); slug != "" {
		sec, err := s.Svc.Section(r.Context(), slug)
		if news.IsNotFound(err) {
			return news.Errorf(news.EINVALID, "없는 섹션입니다.")
		}
		if err != nil {
			return err
		}
		a.Section = sec
	}
	a.Labels = nil
	for _, code := range r.PostForm["label"] {
		a.Labels = append(a.Labels, news.Label{Code: code})
	}
	a.Bylines = nil
	for i := range 3 {
		n := strconv.Itoa(i)
		rid, _ := strconv.ParseInt(r.PostFormValue("byline_reporter_"+n), 10, 64)
		if rid <= 0 {
			continue
		}
		a.Bylines = append(a.Bylines, news.Byline{ReporterID: rid, Role: r.PostFormValue("byline_role_" + n), Dateline: r.PostFormValue("byline_dateline_" + n)})
	}
	a.Print = nil
	date, page := strings.TrimSpace(r.PostFormValue("print_date")), strings.TrimSpace(r.PostFormValue("print_page"))
	if date != "" || page != "" {
		p, err := strconv.Atoi(page)
		if err != nil {
			return news.Errorf(news.EINVALID, "지면 면수는 숫자로 입력해주세요.")
		}
		a.Print = &news.PrintPlacement{Date: date, Page: p}
	}
	a.Source = &news.SourceNotice{Slogan: strings.TrimSpace(r.PostFormValue("source_slogan")), Copyright: strings.TrimSpace(r.PostFormValue("source_copyright"))}
	a.CommentsOpen = r.PostFormValue("comments_open") == "1"
	a.CorrectionNote = r.PostFormValue("correction_note")
	return nil
}

// saveArticleSubmit handles the editor form of a new (no id) or existing
// article: save, or show the preview.
func (s *Server) saveArticleSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	var a news.Article
	isNew := r.PathValue("id") == ""
	var version int64
	if !isNew {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if a, err = s.Svc.DeskCopy(r.Context(), v, id); err != nil {
			return err
		}
		version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	}
	formErr := s.formArticle(r, &a)
	if formErr == nil && r.PostFormValue("action") == "preview" {
		preview := a
		if formErr = s.Svc.PreviewArticle(r.Context(), v, &preview); formErr == nil {
			return s.renderPreview(w, r, preview)
		}
	}
	if formErr == nil {
		if isNew {
			formErr = s.Svc.CreateDraft(r.Context(), v, &a)
		} else {
			formErr = s.Svc.EditArticle(r.Context(), v, &a, version)
		}
	}
	if formErr != nil {
		code := news.ErrorCode(formErr)
		if code != news.EINVALID && code != news.EPRECONDITION {
			return formErr
		}
		ev, err := s.editView(r, v, a, isNew)
		if err != nil {
			return err
		}
		ev.Error = news.ErrorMessage(formErr)
		if !isNew {
			ev.Article.Version = version
		}
		return s.render(w, r, httpStatus(formErr), "newsroom_edit", "기사 편집", ev)
	}
	s.setFlash(w, r, flash{Message: "저장했습니다."})
	http.Redirect(w, r, fmt.Sprintf("/newsroom/articles/%d", a.ID), http.StatusSeeOther)
	return nil
}

// renderPreview shows the article through the real article page template,
// under a banner that says it is a preview.
func (s *Server) renderPreview(w http.ResponseWriter, r *http.Request, a news.Article) error {
	rec := &previewRecorder{header: http.Header{}, code: http.StatusOK}
	ev := engagementView{Sort: news.SortNewest}
	for _, k := range s.Svc.ReactionKinds() {
		ev.Reactions = append(ev.Reactions, reactionView{Code: k.Code, Name: k.Name})
	}
	if err := s.render(rec, r, http.StatusOK, "article", "미리보기: "+a.Headline, articleView{Article: a, Engagement: ev}); err != nil {
		return err
	}
	banner := `<main id="main" tabindex="-1"><p class="preview-banner" role="status">미리보기입니다. 아직 저장하지 않은 내용이며, 독자에게는 보이지 않습니다. 창을 닫거나 뒤로 가서 계속 고치세요.</p>`
	body := bytes.Replace(rec.body.Bytes(), []byte(`<main id="main" tabindex="-1">`), []byte(banner), 1)
	for k, vs := range rec.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(rec.code)
	w.Write(body)
	return nil
}

// The workflow buttons of the edit page, which return to it.

// deskBack is the edit page of the article in the path.
func deskBack(_ *http.Request, id int64) string { return fmt.Sprintf("/newsroom/articles/%d", id) }

func (s *Server) submitAction(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	_, err := s.Svc.Submit(r.Context(), v, id)
	return done{Notice: "데스크에 출고했습니다."}, err
}

// publishForm publishes now, or at a KST time in the future.
type publishForm struct{ At time.Time }

func (f *publishForm) parseForm(v url.Values) error {
	if v.Get("when") != "later" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", v.Get("at"), news.KST)
	if err != nil {
		return news.Errorf(news.EINVALID, "예약 시각을 입력해주세요.")
	}
	f.At = t
	return nil
}

func (s *Server) publishAction(r *http.Request, v news.Account, id int64, in publishForm) (done, error) {
	if !in.At.IsZero() && !in.At.After(s.Svc.Now()) {
		return done{}, news.Errorf(news.EINVALID, "예약 시각은 지금보다 뒤여야 합니다.")
	}
	_, err := s.Svc.Publish(r.Context(), v, id, in.At)
	return done{Notice: "발행했습니다."}, err
}

type noteForm struct {
	Note string `form:"note"`
}

func (s *Server) returnAction(r *http.Request, v news.Account, id int64, in noteForm) (done, error) {
	_, err := s.Svc.Return(r.Context(), v, id, in.Note)
	return done{Notice: "기자에게 반려했습니다."}, err
}

func (s *Server) unpublishAction(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	_, err := s.Svc.Unpublish(r.Context(), v, id)
	return done{Notice: "기사를 내렸습니다."}, err
}

// attachPhotoSubmit uploads a photo from the edit page and appends it to
// the article's body.
func (s *Server) attachPhotoSubmit(r *http.Request, v news.Account, id int64, up photoUpload) (done, error) {
	fail := done{FailTitle: "사진을 올리지 못했습니다"}
	a, err := s.Svc.DeskCopy(r.Context(), v, id)
	if err != nil {
		return fail, err
	}
	p, _, err := s.storePhoto(r, v, up)
	if err != nil {
		return fail, err
	}
	a.Body = strings.TrimRight(a.Body, "\n") + "\n\n" + photoMarkup(p) + "\n"
	if err := s.Svc.EditArticle(r.Context(), v, &a, a.Version); err != nil {
		return fail, err
	}
	return done{Notice: "사진을 본문 끝에 넣었습니다. 본문에서 자리를 옮길 수 있습니다."}, nil
}

// The public revisions page.

type revisionChangeView struct {
	news.RevisionChange
	ActionName string
	Parts      []diffPartView
}

type diffPartView struct {
	Op    string
	Lines []string // Text split at block breaks
}

type revisionsView struct {
	Article news.Article
	Changes []revisionChangeView
}

func (s *Server) revisionsPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, changes, err := s.Svc.PublicRevisions(r.Context(), id)
	if err != nil {
		return err
	}
	rv := revisionsView{Article: a}
	for _, c := range changes {
		cv := revisionChangeView{RevisionChange: c, ActionName: actionNames[c.Action]}
		if c.Action == news.ActionSave {
			cv.ActionName = "수정"
		}
		for _, p := range c.Diff {
			cv.Parts = append(cv.Parts, diffPartView{Op: p.Op, Lines: strings.Split(p.Text, "\n")})
		}
		rv.Changes = append(rv.Changes, cv)
	}
	return s.render(w, r, http.StatusOK, "newsroom_revisions", "수정 이력: "+a.Headline, rv)
}

// previewRecorder captures a rendered page so it can be changed before
// it is sent.
type previewRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *previewRecorder) Header() http.Header         { return b.header }
func (b *previewRecorder) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *previewRecorder) WriteHeader(code int)        { b.code = code }

// stateNames are the article states as the newsroom shows them.
var stateNames = map[string]string{
	news.StateDraft:       "작성 중",
	news.StateSubmitted:   "출고",
	news.StateScheduled:   "예약",
	news.StatePublished:   "발행",
	news.StateUnpublished: "내림",
}

var actionNames = map[string]string{
	news.ActionCreate:    "작성",
	news.ActionSave:      "저장",
	news.ActionSubmit:    "출고",
	news.ActionPublish:   "발행",
	news.ActionSchedule:  "예약",
	news.ActionReturn:    "반려",
	news.ActionUnpublish: "내림",
}

// deskArticleJSON is GET /api/v1/articles/{id} plus what the desk needs.
type deskArticleJSON struct {
	articleJSON
	Body       string `json:"body"`
	State      string `json:"state"`
	Version    int64  `json:"version"`
	ReturnNote string `json:"return_note,omitempty"`
	CreatedAt  string `json:"created_at"`
}

func (s *Server) deskArticleJSON(a *news.Article) deskArticleJSON {
	return deskArticleJSON{
		articleJSON: s.articleJSON(a), Body: a.Body, State: s.Svc.DeskState(a), Version: a.Version,
		CreatedAt: news.RFC3339KST(a.CreatedAt),
	}
}

// etag is the version of an article as an HTTP entity tag.
func etag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// ifMatch returns the version an If-Match header names: 0 without one (or
// "*"), and an error for a tag that cannot be one of ours, which matches no
// version.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(h, `"v`), `"`), 10, 64)
	if err != nil || v <= 0 || !strings.HasPrefix(h, `"v`) {
		return 0, news.Errorf(news.EPRECONDITION, "If-Match가 이 기사의 어느 판과도 맞지 않습니다.")
	}
	return v, nil
}

// readRequest decodes an article: the readers' rules with room for a
// whole article.
func (in *articleInput) readRequest(_ *Server, w http.ResponseWriter, r *http.Request) error {
	return decodeJSONLimit(w, r, in, maxDeskJSONBody)
}

// apply copies the given fields onto a.
func (s *Server) apply(r *http.Request, in *articleInput, a *news.Article) error {
	if in.Headline != nil {
		a.Headline = *in.Headline
	}
	if in.Body != nil {
		a.Body = *in.Body
	}
	if in.Deck != nil {
		a.Deck = *in.Deck
	}
	if in.Section != nil {
		sec, err := s.Svc.Section(r.Context(), strings.TrimSpace(*in.Section))
		if news.IsNotFound(err) {
			return news.Errorf(news.EINVALID, "없는 섹션입니다: %s", *in.Section)
		}
		if err != nil {
			return err
		}
		a.Section = sec
	}
	if in.Labels != nil {
		a.Labels = []news.Label{}
		for _, raw := range in.Labels {
			var code string
			if err := json.Unmarshal(raw, &code); err != nil {
				var l news.Label
				if err := json.Unmarshal(raw, &l); err != nil {
					return news.Errorf(news.EINVALID, "labels는 라벨 코드의 목록이어야 합니다.")
				}
				code = l.Code
			}
			a.Labels = append(a.Labels, news.Label{Code: code})
		}
	}
	if in.Bylines != nil {
		a.Bylines = *in.Bylines
	}
	if len(in.Print) > 0 {
		a.Print = nil
		if string(in.Print) != "null" {
			var p news.PrintPlacement
			if err := json.Unmarshal(in.Print, &p); err != nil {
				return news.Errorf(news.EINVALID, `print는 {"date": "YYYY-MM-DD", "page": N} 형식이어야 합니다.`)
			}
			a.Print = &p
		}
	}
	if len(in.SourceNotice) > 0 {
		a.Source = nil
		if string(in.SourceNotice) != "null" {
			var n news.SourceNotice
			if err := json.Unmarshal(in.SourceNotice, &n); err != nil {
				return news.Errorf(news.EINVALID, `source_notice는 {"slogan", "copyright"} 형식이어야 합니다.`)
			}
			a.Source = &n
		}
	}
	if in.CommentsOpen != nil {
		a.CommentsOpen = *in.CommentsOpen
	}
	if in.CorrectionNote != nil {
		a.CorrectionNote = *in.CorrectionNote
	}
	return nil
}

// deskQuery is the newsroom list's query: state, q, limit and cursor.
type deskQuery struct{ news.NewsroomQuery }

func (in *deskQuery) readRequest(_ *Server, _ http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var err error
	if in.Limit, err = parseLimit(q.Get("limit")); err != nil {
		return err
	}
	if in.BeforeID, err = decodeIDCursor(q.Get("cursor")); err != nil {
		return err
	}
	in.State, in.Search = q.Get("state"), q.Get("q")
	return nil
}

type deskListJSON struct {
	Articles []deskArticleJSON `json:"articles"`
	Next     string            `json:"next"`
}

func (s *Server) apiNewsroomArticles(r *http.Request, v news.Account, _ int64, in deskQuery) (deskListJSON, error) {
	list, next, err := s.Svc.NewsroomArticles(r.Context(), v, withNewsroomSearch(in.NewsroomQuery))
	return deskListJSON{Next: encodeIDCursor(next), Articles: jsonList(list, func(a news.Article) deskArticleJSON {
		return s.deskArticleJSON(&a)
	})}, err
}

// ID cursors of newsroom lists: base64url of "id.<id>".
func encodeIDCursor(id int64) string {
	if id == 0 {
		return ""
	}
	return encodeCursor(&news.Position{PublishedAt: time.UnixMicro(0), ID: id})
}

func decodeIDCursor(c string) (int64, error) {
	p, err := decodeCursor(c)
	if err != nil || p == nil {
		return 0, err
	}
	return p.ID, nil
}

// setHeaders names the version the answer shows, for If-Match.
func (a deskArticleJSON) setHeaders(h http.Header) { h.Set("ETag", etag(a.Version)) }

// createdArticleJSON is a new draft, with where it lives.
type createdArticleJSON struct{ deskArticleJSON }

func (a createdArticleJSON) setHeaders(h http.Header) {
	a.deskArticleJSON.setHeaders(h)
	h.Set("Location", fmt.Sprintf("/api/v1/newsroom/articles/%d", a.ID))
}

func (s *Server) apiNewsroomArticle(r *http.Request, v news.Account, id int64, _ none) (deskArticleJSON, error) {
	d, err := s.Svc.NewsroomArticle(r.Context(), v, id)
	out := s.deskArticleJSON(&d.Article)
	out.ReturnNote = d.ReturnNote
	return out, err
}

func (s *Server) apiCreateDraft(r *http.Request, v news.Account, _ int64, in articleInput) (createdArticleJSON, error) {
	a := news.Article{CommentsOpen: true}
	if err := s.apply(r, &in, &a); err != nil {
		return createdArticleJSON{}, err
	}
	if err := s.Svc.CreateDraft(r.Context(), v, &a); err != nil {
		return createdArticleJSON{}, err
	}
	return createdArticleJSON{s.deskArticleJSON(&a)}, nil
}

func (s *Server) apiPatchArticle(r *http.Request, v news.Account, id int64, in articleInput) (deskArticleJSON, error) {
	version, err := ifMatch(r)
	if err != nil {
		return deskArticleJSON{}, err
	}
	a, err := s.Svc.DeskCopy(r.Context(), v, id)
	if err != nil {
		return deskArticleJSON{}, err
	}
	if version != 0 && version != a.Version {
		return deskArticleJSON{}, news.Errorf(news.EPRECONDITION, "그사이 다른 사람이 기사를 고쳤습니다. 새로 불러온 뒤 다시 고쳐주세요.")
	}
	if version == 0 {
		version = a.Version
	}
	if err := s.apply(r, &in, &a); err != nil {
		return deskArticleJSON{}, err
	}
	if err := s.Svc.EditArticle(r.Context(), v, &a, version); err != nil {
		return deskArticleJSON{}, err
	}
	return s.deskArticleJSON(&a), nil
}

// optionalJSON decodes a JSON body if there is one.
func optionalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	err := decodeJSONLimit(w, r, v, maxDeskJSONBody)
	if errors.Is(err, errEmptyJSON) {
		// A chunked empty body.
		return nil
	}
	return err
}

// deskAnswer answers a workflow action with the article as it now is.
func (s *Server) deskAnswer(a news.Article, err error) (deskArticleJSON, error) {
	if err != nil {
		return deskArticleJSON{}, err
	}
	return s.deskArticleJSON(&a), nil
}

func (s *Server) apiSubmit(r *http.Request, v news.Account, id int64, _ none) (deskArticleJSON, error) {
	return s.deskAnswer(s.Svc.Submit(r.Context(), v, id))
}

// publishInput is an optional body: {"at": RFC 3339} to schedule.
type publishInput struct {
	At string `json:"at"`
}

func (in *publishInput) readRequest(_ *Server, w http.ResponseWriter, r *http.Request) error {
	return optionalJSON(w, r, in)
}

func (s *Server) apiPublish(r *http.Request, v news.Account, id int64, in publishInput) (deskArticleJSON, error) {
	var at time.Time
	if in.At != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, in.At); err != nil {
			return deskArticleJSON{}, news.Errorf(news.EINVALID, "at은 RFC 3339 시각이어야 합니다(예: 2025-03-14T09:00:00+09:00).")
		}
	}
	return s.deskAnswer(s.Svc.Publish(r.Context(), v, id, at))
}

// returnInput is an optional body: {"note": why}.
type returnInput struct {
	Note string `json:"note"`
}

func (in *returnInput) readRequest(_ *Server, w http.ResponseWriter, r *http.Request) error {
	return optionalJSON(w, r, in)
}

func (s *Server) apiReturn(r *http.Request, v news.Account, id int64, in returnInput) (deskArticleJSON, error) {
	return s.deskAnswer(s.Svc.Return(r.Context(), v, id, in.Note))
}

func (s *Server) apiUnpublish(r *http.Request, v news.Account, id int64, _ none) (deskArticleJSON, error) {
	return s.deskAnswer(s.Svc.Unpublish(r.Context(), v, id))
}

// revisionJSON is a revision on the public revisions API.
type revisionJSON struct {
	Version        int64           `json:"version"`
	Action         string          `json:"action"`
	At             string          `json:"at"`
	Headline       string          `json:"headline"`
	CorrectionNote string          `json:"correction_note,omitempty"`
	First          bool            `json:"first"`
	Added          int             `json:"added"`
	Removed        int             `json:"removed"`
	Diff           []news.DiffPart `json:"diff"`
}

func (s *Server) apiRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return news.Errorf(news.ENOTFOUND, "기사를 찾을 수 없습니다.")
	}
	_, changes, err := s.Svc.PublicRevisions(r.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		Revisions []revisionJSON `json:"revisions"`
		Next      string         `json:"next"`
	}{Revisions: make([]revisionJSON, 0, len(changes))}
	for _, c := range changes {
		rj := revisionJSON{Version: c.Version, Action: c.Action, At: news.RFC3339KST(c.CreatedAt), Headline: c.Headline,
			CorrectionNote: c.CorrectionNote, First: c.First, Added: c.Added, Removed: c.Removed, Diff: c.Diff}
		if rj.Diff == nil {
			rj.Diff = []news.DiffPart{}
		}
		out.Revisions = append(out.Revisions, rj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// deskRevisionJSON is a revision as staff see it.
type deskRevisionJSON struct {
	ID        int64  `json:"id"`
	Version   int64  `json:"version"`
	Action    string `json:"action"`
	State     string `json:"state"`
	Public    bool   `json:"public"`
	Headline  string `json:"headline"`
	Body      string `json:"body"`
	Note      string `json:"note,omitempty"`
	AccountID int64  `json:"account_id"`
	By        string `json:"by"`
	At        string `json:"at"`
}

type deskRevisionsJSON struct {
	Revisions []deskRevisionJSON `json:"revisions"`
	Next      string             `json:"next"`
}

func (s *Server) apiDeskRevisions(r *http.Request, v news.Account, id int64, _ none) (deskRevisionsJSON, error) {
	revs, err := s.Svc.Revisions(r.Context(), v, id)
	return deskRevisionsJSON{Revisions: jsonList(revs, func(rv news.Revision) deskRevisionJSON {
		return deskRevisionJSON{ID: rv.ID, Version: rv.Version, Action: rv.Action, State: rv.State,
			Public: rv.Public, Headline: rv.Headline, Body: rv.Body, Note: rv.Note, AccountID: rv.AccountID, By: rv.AccountName,
			At: news.RFC3339KST(rv.CreatedAt)}
	})}, err
}
