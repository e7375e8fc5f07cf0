package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"jikji/internal/news"
)

// JSON request body limits: readers send small objects; the newsroom sends
// whole articles.
const (
	maxJSONBody     = 64 << 10
	maxDeskJSONBody = 1 << 20
)

// decodeJSON reads a reader's JSON object body into v; see decodeJSONLimit.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSONLimit(w, r, v, maxJSONBody)
}

// decodeJSONLimit reads one JSON value of at most limit bytes into v: the
// one decoder of every API request. Returns EINVALID for a body that is
// not JSON of the right shape, has anything after the value, holds invalid
// UTF-8 or a NUL character, and ETOOLARGE past the limit.
func decodeJSONLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return news.Errorf(news.EINVALID, "요청 본문은 JSON(application/json)이어야 합니다.")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return news.Errorf(news.ETOOLARGE, "요청 본문이 너무 큽니다.")
	case err != nil:
		return news.Errorf(news.EINVALID, "요청 본문을 읽을 수 없습니다.")
	case len(bytes.TrimSpace(body)) == 0:
		return errEmptyJSON
	case !utf8.Valid(body):
		// encoding/json would quietly turn bad bytes into U+FFFD.
		return news.Errorf(news.EINVALID, "요청 본문에 올바르지 않은 문자(UTF-8)가 있습니다.")
	case hasEscapedNUL(body):
		return errNUL
	}
	// Unmarshal, unlike a Decoder, refuses anything after the value.
	if err := json.Unmarshal(body, v); err != nil {
		return news.Errorf(news.EINVALID, "요청 본문을 읽을 수 없습니다: 올바른 JSON이 아닙니다.")
	}
	return nil
}

var errEmptyJSON = news.Errorf(news.EINVALID, "요청 본문(JSON)이 비어 있습니다.")

// errNUL refuses text holding U+0000: PostgreSQL cannot store it, so no
// store is ever given one.
var errNUL = news.Errorf(news.EINVALID, "입력에 쓸 수 없는 문자(NUL)가 있습니다.")

// hasEscapedNUL reports whether JSON text holds \u0000 in a string (a raw
// NUL byte is not valid JSON, so the decoder refuses that one itself).
func hasEscapedNUL(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 >= len(body) {
			continue
		}
		if body[i+1] == 'u' && i+6 <= len(body) && string(body[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character, so \\u0000 is a backslash and text
	}
	return false
}

// apiViewer returns the logged-in account or EUNAUTHORIZED.
func apiViewer(r *http.Request) (news.Account, error) {
	v := viewer(r)
	if v.ID == 0 {
		return v, news.ErrLoginRequired()
	}
	return v, nil
}

type accountJSON struct {
	ID          int64  `json:"id"`
	Email       string `json:"email,omitempty"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	CreatedAt   string `json:"created_at"`
}

func meJSON(a news.Account) accountJSON {
	return accountJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Role: a.Role, CreatedAt: news.RFC3339KST(a.CreatedAt)}
}

func (s *Server) apiSignup(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email       string `json:"email"`
		Password    string `json:"password"`
		DisplayName string `json:"display_name"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.signup(w, r, in.Email, in.Password, in.DisplayName)
	if err != nil {
		return err
	}
	if err := s.login(w, r, a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, meJSON(a))
	return nil
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		OTP      string `json:"otp"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.checkLogin(w, r, in.Email, in.Password)
	if err != nil {
		return err
	}
	if err := s.checkOTP(w, r, a, in.OTP); err != nil {
		return err
	}
	if err := s.login(w, r, a); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meJSON(a))
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Svc.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	v, err := apiViewer(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meJSON(v))
	return nil
}

func (s *Server) apiDeleteMe(w http.ResponseWriter, r *http.Request) error {
	v, err := apiViewer(r)
	if err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.Svc.DeleteAccount(r.Context(), v, in.Password); err != nil {
		return err
	}
	s.clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type commentJSON struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id"`
	ParentID  *int64 `json:"parent_id"`
	Body      string `json:"body"`
	Author    struct {
		ID          *int64 `json:"id"`
		DisplayName string `json:"display_name"`
		// Imported marks a commenter of the site's former platform, who
		// has no login here.
		Imported bool `json:"imported,omitempty"`
	} `json:"author"`
	CreatedAt       string `json:"created_at"`
	Likes           int64  `json:"likes"`
	Dislikes        int64  `json:"dislikes"`
	ReplyCount      int64  `json:"reply_count"`
	State           string `json:"state"`
	ArticleHeadline string `json:"article_headline,omitempty"`
}

// toCommentJSON shows a deleted comment without its text or author, and a
// departed author as 탈퇴한 회원 without an id.
func toCommentJSON(c news.Comment) commentJSON {
	out := commentJSON{ID: c.ID, ArticleID: c.ArticleID, Body: c.Body, CreatedAt: news.RFC3339KST(c.CreatedAt),
		Likes: c.Likes, Dislikes: c.Dislikes, ReplyCount: c.ReplyCount, State: c.State, ArticleHeadline: c.ArticleHeadline}
	if c.ParentID != 0 {
		p := c.ParentID
		out.ParentID = &p
	}
	out.Author.DisplayName = c.AuthorName
	out.Author.Imported = c.AuthorImported
	if c.AuthorName != news.DeletedAuthorName {
		id := c.AuthorID
		out.Author.ID = &id
	}
	if c.State != news.CommentVisible {
		out.Body = ""
		out.Author.ID = nil
		out.Author.DisplayName = ""
	}
	return out
}

func (s *Server) apiComments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeComments(w, r, news.CommentQuery{ArticleID: id})
}

func (s *Server) apiReplies(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	parent, err := s.Svc.PublicComment(r.Context(), id)
	if err != nil {
		return err
	}
	return s.writeComments(w, r, news.CommentQuery{ArticleID: parent.ArticleID, ParentID: parent.ID})
}

func (s *Server) writeComments(w http.ResponseWriter, r *http.Request, q news.CommentQuery) error {
	dependsOnArticle(r, q.ArticleID)
	var err error
	if q.Sort, err = commentSort(r); err != nil {
		return err
	}
	if q.Limit, err = parseLimit(r.URL.Query().Get("limit")); err != nil {
		return err
	}
	if q.After, err = decodeCommentCursor(r.URL.Query().Get("cursor")); err != nil {
		return err
	}
	a, err := s.Svc.PublicArticle(r.Context(), q.ArticleID)
	if err != nil {
		return err
	}
	list, next, err := s.Svc.Comments(r.Context(), q)
	if err != nil {
		return err
	}
	out := struct {
		Count    int64         `json:"count"`
		Comments []commentJSON `json:"comments"`
		Next     string        `json:"next"`
	}{Count: a.CommentCount, Comments: make([]commentJSON, 0, len(list)), Next: encodeCommentCursor(next)}
	for _, c := range list {
		out.Comments = append(out.Comments, toCommentJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiPostComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := apiViewer(r)
	if err != nil {
		return err
	}
	var in struct {
		Body     string `json:"body"`
		ParentID int64  `json:"parent_id"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.Svc.PostComment(r.Context(), v, id, in.ParentID, in.Body)
	if err != nil {
		return err
	}
	if c.State == news.CommentPending {
		// Held for a moderator: shown once approved.
		writeJSON(w, http.StatusAccepted, map[string]any{"status": "pending", "id": c.ID, "message": pendingNotice})
		return nil
	}
	writeJSON(w, http.StatusCreated, toCommentJSON(c))
	return nil
}

func (s *Server) apiDeleteComment(r *http.Request, v news.Account, id int64, _ none) (commentJSON, error) {
	c, err := s.Svc.DeleteComment(r.Context(), v, id)
	return toCommentJSON(c), err
}

func (s *Server) apiVote(on bool) action[none, commentJSON] {
	return func(r *http.Request, v news.Account, id int64, _ none) (commentJSON, error) {
		c, err := s.Svc.VoteComment(r.Context(), v, id, r.PathValue("kind"), on)
		return toCommentJSON(c), err
	}
}

func (s *Server) writeReactions(w http.ResponseWriter, r *http.Request, articleID int64) error {
	st, err := s.Svc.ReactionState(r.Context(), viewer(r), articleID)
	if err != nil {
		return err
	}
	return writeReactionState(w, st)
}

// chosenReaction answers a reader's change of reaction: their choice is
// known, so only the counts are read.
func (s *Server) chosenReaction(r *http.Request, articleID int64, mine string) (reactionStateJSON, error) {
	st, err := s.Svc.ReactionTally(r.Context(), articleID)
	st.Mine = mine
	return toReactionStateJSON(st), err
}

// reactionStateJSON is an article's reaction counts and the reader's choice
// (null for none).
type reactionStateJSON struct {
	Counts map[string]int64 `json:"counts"`
	Mine   *string          `json:"mine"`
}

func toReactionStateJSON(st news.ReactionState) reactionStateJSON {
	out := reactionStateJSON{Counts: st.Counts}
	if st.Mine != "" {
		out.Mine = &st.Mine
	}
	return out
}

func writeReactionState(w http.ResponseWriter, st news.ReactionState) error {
	writeJSON(w, http.StatusOK, toReactionStateJSON(st))
	return nil
}

func (s *Server) apiReactions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dependsOnArticle(r, id)
	if _, err := s.Svc.PublicArticle(r.Context(), id); err != nil {
		return err
	}
	return s.writeReactions(w, r, id)
}

type reactionInput struct {
	Reaction string `json:"reaction"`
}

func (s *Server) apiReact(r *http.Request, v news.Account, id int64, in reactionInput) (reactionStateJSON, error) {
	if err := s.Svc.React(r.Context(), v, id, in.Reaction); err != nil {
		return reactionStateJSON{}, err
	}
	return s.chosenReaction(r, id, in.Reaction)
}

func (s *Server) apiUnreact(r *http.Request, v news.Account, id int64, _ none) (reactionStateJSON, error) {
	if err := s.Svc.Unreact(r.Context(), v, id); err != nil {
		return reactionStateJSON{}, err
	}
	return s.chosenReaction(r, id, "")
}

func (s *Server) apiBookmarkState(r *http.Request, v news.Account, id int64, _ none) (map[string]bool, error) {
	saved, err := s.Svc.IsSaved(r.Context(), v, id)
	return map[string]bool{"saved": saved}, err
}

func (s *Server) apiBookmark(on bool) action[none, map[string]any] {
	return func(r *http.Request, v news.Account, id int64, _ none) (map[string]any, error) {
		msg, err := s.Svc.SetBookmark(r.Context(), v, id, on)
		return map[string]any{"message": msg, "saved": on}, err
	}
}

func (s *Server) writeArticlePage(w http.ResponseWriter, key string, list []news.Article, next string) {
	items := make([]articleSummaryJSON, 0, len(list))
	for i := range list {
		items = append(items, s.summaryJSON(&list[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{key: items, "next": next})
}

func (s *Server) apiBookmarks(w http.ResponseWriter, r *http.Request) error {
	v, err := apiViewer(r)
	if err != nil {
		return err
	}
	limit, err := parseLimit(r.URL.Query().Get("limit"))
	if err != nil {
		return err
	}
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	marks, next, err := s.Svc.SavedArticles(r.Context(), v, before, limit)
	if err != nil {
		return err
	}
	type bookmarkJSON struct {
		articleSummaryJSON
		SavedAt string `json:"saved_at"`
	}
	items := make([]bookmarkJSON, 0, len(marks))
	for i := range marks {
		items = append(items, bookmarkJSON{s.summaryJSON(&marks[i].Article), news.RFC3339KST(marks[i].SavedAt)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"bookmarks": items, "next": encodeCursor(next)})
	return nil
}

// subscriptionJSON answers a change of subscription.
type subscriptionJSON struct {
	Subscribed  bool  `json:"subscribed"`
	Subscribers int64 `json:"subscribers"`
}

func (s *Server) subscribe(r *http.Request, v news.Account, kind string, id int64, on bool) (subscriptionJSON, error) {
	if err := s.Svc.Subscribe(r.Context(), v, kind, id, on); err != nil {
		return subscriptionJSON{}, err
	}
	n, err := s.Svc.SubscriberCount(r.Context(), kind, id)
	return subscriptionJSON{Subscribed: on, Subscribers: n}, err
}

func (s *Server) apiReporterSubscription(on bool) action[none, subscriptionJSON] {
	return func(r *http.Request, v news.Account, id int64, _ none) (subscriptionJSON, error) {
		if _, err := s.Svc.Reporter(r.Context(), id); err != nil {
			return subscriptionJSON{}, err
		}
		return s.subscribe(r, v, news.TargetReporter, id, on)
	}
}

func (s *Server) apiSectionSubscription(on bool) action[none, subscriptionJSON] {
	return func(r *http.Request, v news.Account, _ int64, _ none) (subscriptionJSON, error) {
		sec, err := s.Svc.Section(r.Context(), r.PathValue("slug"))
		if err != nil {
			return subscriptionJSON{}, err
		}
		return s.subscribe(r, v, news.TargetSection, sec.ID, on)
	}
}

func (s *Server) apiFeed(w http.ResponseWriter, r *http.Request) error {
	v, err := apiViewer(r)
	if err != nil {
		return err
	}
	limit, err := parseLimit(r.URL.Query().Get("limit"))
	if err != nil {
		return err
	}
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	list, next, err := s.Svc.Feed(r.Context(), v, before, limit)
	if err != nil {
		return err
	}
	s.writeArticlePage(w, "articles", list, encodeCursor(next))
	return nil
}

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	after, err := decodeCommentCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	p, err := s.Svc.PublicProfile(r.Context(), id, after)
	if err != nil {
		return err
	}
	out := struct {
		ID            int64         `json:"id"`
		DisplayName   string        `json:"display_name"`
		Comments      []commentJSON `json:"comments"`
		CommentsCount int64         `json:"comments_written"`
		LikesReceived int64         `json:"likes_received"`
		Next          string        `json:"next"`
	}{ID: p.Account.ID, DisplayName: p.Account.DisplayName, Comments: []commentJSON{},
		CommentsCount: p.Stats.Comments, LikesReceived: p.Stats.LikesReceived, Next: encodeCommentCursor(p.Next)}
	for _, c := range p.Comments {
		out.Comments = append(out.Comments, toCommentJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
