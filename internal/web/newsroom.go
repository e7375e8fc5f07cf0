package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"
)

// The newsroom's HTML pages. They work without JavaScript: every action is
// a form that posts and redirects back with a notice.

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

type noteForm struct{ Note string }

func (f *noteForm) parseForm(v url.Values) error {
	f.Note = v.Get("note")
	return nil
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

// Front page picks, labels and reporters.

type frontSlotView struct {
	Slot  string // "top" or a section slug
	Name  string
	IDs   string
	Picks []news.Article
}

type frontView struct {
	Slots     []frontSlotView
	Recent    []news.Article
	Labels    []news.Label
	Reporters []news.Reporter
}

func (s *Server) frontPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	ctx := r.Context()
	picks, err := s.Svc.FrontPicks(ctx)
	if err != nil {
		return err
	}
	sections, err := s.Svc.Sections(ctx)
	if err != nil {
		return err
	}
	var fv frontView
	slot := func(key, name string, ids []int64) error {
		sv := frontSlotView{Slot: key, Name: name}
		var parts []string
		for _, id := range ids {
			parts = append(parts, strconv.FormatInt(id, 10))
			a, err := s.Svc.DeskCopy(ctx, v, id)
			if err != nil && !news.IsNotFound(err) {
				return err
			}
			if err == nil {
				sv.Picks = append(sv.Picks, a)
			}
		}
		sv.IDs = strings.Join(parts, ", ")
		fv.Slots = append(fv.Slots, sv)
		return nil
	}
	if err := slot("top", "주요 뉴스", picks[news.FrontTop]); err != nil {
		return err
	}
	for _, sec := range sections {
		if err := slot(sec.Slug, sec.Name+" 머리기사", picks[sec.ID]); err != nil {
			return err
		}
	}
	if fv.Recent, _, err = s.Svc.Articles(ctx, news.ArticleFilter{Limit: 30}); err != nil {
		return err
	}
	if fv.Labels, err = s.Svc.Labels(ctx); err != nil {
		return err
	}
	if fv.Reporters, err = s.Svc.Reporters(ctx); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "newsroom_front", "1면 편집", fv)
}

// frontForm places articles, by number, in a slot of the front page.
type frontForm struct {
	Slot string
	IDs  []int64
}

func (f *frontForm) parseForm(v url.Values) error {
	f.Slot = v.Get("slot")
	for _, field := range strings.FieldsFunc(v.Get("ids"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' }) {
		id, err := strconv.ParseInt(field, 10, 64)
		if err != nil || id <= 0 {
			return news.Errorf(news.EINVALID, "기사 번호는 숫자로, 쉼표로 나눠 입력해주세요: %s", field)
		}
		f.IDs = append(f.IDs, id)
	}
	return nil
}

func (s *Server) frontSubmit(r *http.Request, v news.Account, _ int64, in frontForm) (done, error) {
	slot, err := s.frontSlot(r, in.Slot)
	if err != nil {
		return done{}, err
	}
	return done{Notice: "1면 배치를 저장했습니다."}, s.Svc.SetFrontPicks(r.Context(), v, slot, in.IDs)
}

type labelForm struct{ news.Label }

func (f *labelForm) parseForm(v url.Values) error {
	f.Code, f.Name = v.Get("code"), v.Get("name")
	return nil
}

func (s *Server) labelSubmit(r *http.Request, v news.Account, _ int64, in labelForm) (done, error) {
	return done{Notice: "라벨을 추가했습니다."}, s.Svc.CreateLabel(r.Context(), v, in.Label)
}

type reporterForm struct{ news.Reporter }

func (f *reporterForm) parseForm(v url.Values) error {
	f.Name, f.Role, f.Email = v.Get("name"), v.Get("role"), strings.TrimSpace(v.Get("email"))
	return nil
}

func (s *Server) reporterSubmit(r *http.Request, v news.Account, _ int64, in reporterForm) (done, error) {
	return done{Notice: "기자를 추가했습니다."}, s.Svc.CreateReporter(r.Context(), v, &in.Reporter)
}

// Staff and tokens.

type staffRow struct {
	news.Account
	RoleName string
}

type staffView struct {
	Staff    []staffRow
	Tokens   []news.APIToken
	Roles    []stateTab
	NewToken string
	Viewer   news.Account
}

func (s *Server) staffPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	return s.renderStaff(w, r, v, "")
}

func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, v news.Account, newToken string) error {
	staff, err := s.Svc.StaffAccounts(r.Context(), v)
	if err != nil {
		return err
	}
	tokens, err := s.Svc.APITokens(r.Context(), v)
	if err != nil {
		return err
	}
	sv := staffView{Tokens: tokens, NewToken: newToken, Viewer: v}
	for _, a := range staff {
		sv.Staff = append(sv.Staff, staffRow{Account: a, RoleName: roleNames[a.Role]})
	}
	for _, role := range []string{news.RoleReader, news.RoleModerator, news.RoleReporter, news.RoleEditor, news.RoleAdmin} {
		sv.Roles = append(sv.Roles, stateTab{Code: role, Name: roleNames[role]})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return s.render(w, r, http.StatusOK, "newsroom_staff", "직원과 API 토큰", sv)
}

type roleForm struct{ Email, Role string }

func (f *roleForm) parseForm(v url.Values) error {
	f.Email, f.Role = v.Get("email"), v.Get("role")
	return nil
}

func (s *Server) roleSubmit(r *http.Request, v news.Account, _ int64, in roleForm) (done, error) {
	a, err := s.Svc.SetRole(r.Context(), v, in.Email, in.Role)
	return done{Notice: fmt.Sprintf("%s님의 역할을 %s 바꿨습니다.", a.DisplayName, josa.EuroRo.After(roleNames[a.Role]))}, err
}

func (s *Server) tokenSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	_, token, err := s.Svc.IssueAPIToken(r.Context(), v, r.PostFormValue("email"), r.PostFormValue("name"))
	if err != nil {
		return s.refuseForm(w, r, "/newsroom/staff", done{}, err)
	}
	// The token is shown once, in this response, and never stored.
	return s.renderStaff(w, r, v, token)
}

func (s *Server) revokeTokenSubmit(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	return done{Notice: "토큰을 폐기했습니다."}, s.Svc.RevokeAPIToken(r.Context(), v, id)
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
