package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// The newsroom JSON API, for integrations (wire feeds, scripts). Callers
// use a session cookie or a personal API token.

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

// articleInput is what POST and PATCH take; absent fields stay as they are.
type articleInput struct {
	Headline       *string           `json:"headline"`
	Section        *string           `json:"section"` // slug
	Body           *string           `json:"body"`
	Deck           *[]string         `json:"deck"`
	Labels         []json.RawMessage `json:"labels"` // codes, or {"code": …} objects
	Bylines        *[]news.Byline    `json:"bylines"`
	Print          json.RawMessage   `json:"print"`
	SourceNotice   json.RawMessage   `json:"source_notice"`
	CommentsOpen   *bool             `json:"comments_open"`
	CorrectionNote *string           `json:"correction_note"`
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
	out := deskListJSON{Articles: make([]deskArticleJSON, 0, len(list)), Next: encodeIDCursor(next)}
	for i := range list {
		out.Articles = append(out.Articles, s.deskArticleJSON(&list[i]))
	}
	return out, err
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

// setHeaders names the version the answer shows, for If-Match, and keeps
// the unpublished text out of caches.
func (a deskArticleJSON) setHeaders(h http.Header) {
	h.Set("ETag", etag(a.Version))
	h.Set("Cache-Control", "private, no-store")
}

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
	out := deskRevisionsJSON{Revisions: make([]deskRevisionJSON, 0, len(revs))}
	for _, rv := range revs {
		out.Revisions = append(out.Revisions, deskRevisionJSON{ID: rv.ID, Version: rv.Version, Action: rv.Action, State: rv.State,
			Public: rv.Public, Headline: rv.Headline, Body: rv.Body, Note: rv.Note, AccountID: rv.AccountID, By: rv.AccountName,
			At: news.RFC3339KST(rv.CreatedAt)})
	}
	return out, err
}

// Front page picks.

type frontJSON struct {
	Top      []int64            `json:"top"`
	Sections map[string][]int64 `json:"sections"`
}

func (s *Server) apiFront(r *http.Request, _ news.Account, _ int64, _ none) (frontJSON, error) {
	picks, err := s.Svc.FrontPicks(r.Context())
	if err != nil {
		return frontJSON{}, err
	}
	sections, err := s.Svc.Sections(r.Context())
	if err != nil {
		return frontJSON{}, err
	}
	out := frontJSON{Top: picks[news.FrontTop], Sections: map[string][]int64{}}
	if out.Top == nil {
		out.Top = []int64{}
	}
	for _, sec := range sections {
		ids := picks[sec.ID]
		if ids == nil {
			ids = []int64{}
		}
		out.Sections[sec.Slug] = ids
	}
	return out, nil
}

// frontSlot resolves "top" or a section slug to a slot.
func (s *Server) frontSlot(r *http.Request, name string) (int64, error) {
	if name == "top" {
		return news.FrontTop, nil
	}
	sec, err := s.Svc.Section(r.Context(), name)
	if news.IsNotFound(err) {
		return 0, news.Errorf(news.EINVALID, "없는 섹션입니다: %s", name)
	}
	return sec.ID, err
}

type frontInput struct {
	Articles []int64 `json:"articles"`
}

func (s *Server) apiSetFront(r *http.Request, v news.Account, _ int64, in frontInput) (frontJSON, error) {
	slot, err := s.frontSlot(r, r.PathValue("slot"))
	if err != nil {
		return frontJSON{}, err
	}
	if err := s.Svc.SetFrontPicks(r.Context(), v, slot, in.Articles); err != nil {
		return frontJSON{}, err
	}
	return s.apiFront(r, v, 0, none{})
}

// Staff and tokens.

type staffJSON struct {
	ID          int64  `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}

// staffListJSON is the staff list; it is never paged, so next is empty.
type staffListJSON struct {
	Staff []staffJSON `json:"staff"`
	Next  string      `json:"next"`
}

func (s *Server) apiStaffList(r *http.Request, v news.Account, _ int64, _ none) (staffListJSON, error) {
	list, err := s.Svc.StaffAccounts(r.Context(), v)
	out := staffListJSON{Staff: make([]staffJSON, 0, len(list))}
	for _, a := range list {
		out.Staff = append(out.Staff, staffJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Role: a.Role})
	}
	return out, err
}

type roleInput struct{ Email, Role string }

func (s *Server) apiSetRole(r *http.Request, v news.Account, _ int64, in roleInput) (staffJSON, error) {
	a, err := s.Svc.SetRole(r.Context(), v, in.Email, in.Role)
	return staffJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Role: a.Role}, err
}

type tokenJSON struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	AccountID int64   `json:"account_id"`
	Email     string  `json:"email"`
	CreatedAt string  `json:"created_at"`
	RevokedAt *string `json:"revoked_at"`
	// Token is shown once, when issued.
	Token string `json:"token,omitempty"`
}

func tokenOut(t news.APIToken) tokenJSON {
	out := tokenJSON{ID: t.ID, Name: t.Name, AccountID: t.AccountID, Email: t.AccountEmail, CreatedAt: news.RFC3339KST(t.CreatedAt)}
	if !t.RevokedAt.IsZero() {
		r := news.RFC3339KST(t.RevokedAt)
		out.RevokedAt = &r
	}
	return out
}

type tokensJSON struct {
	Tokens []tokenJSON `json:"tokens"`
	Next   string      `json:"next"`
}

func (s *Server) apiTokens(r *http.Request, v news.Account, _ int64, _ none) (tokensJSON, error) {
	list, err := s.Svc.APITokens(r.Context(), v)
	out := tokensJSON{Tokens: make([]tokenJSON, 0, len(list))}
	for _, t := range list {
		out.Tokens = append(out.Tokens, tokenOut(t))
	}
	return out, err
}

type tokenInput struct{ Email, Name string }

// setHeaders keeps a token, shown once, out of every cache.
func (tokenJSON) setHeaders(h http.Header) { h.Set("Cache-Control", "private, no-store") }

func (s *Server) apiIssueToken(r *http.Request, v news.Account, _ int64, in tokenInput) (tokenJSON, error) {
	t, token, err := s.Svc.IssueAPIToken(r.Context(), v, in.Email, in.Name)
	out := tokenOut(t)
	out.Token = token
	return out, err
}

func (s *Server) apiRevokeToken(r *http.Request, v news.Account, id int64, _ none) (none, error) {
	return none{}, s.Svc.RevokeAPIToken(r.Context(), v, id)
}
