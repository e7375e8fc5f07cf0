package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"jikji/internal/news"
)

// Comments: the thread under an article, writing, deleting and voting, as
// forms and as the API.

// commentView is a comment with its first replies.
type commentView struct {
	news.Comment
	Replies []news.Comment
}

func commentSort(r *http.Request) (string, error) {
	switch v := r.URL.Query().Get("sort"); v {
	case "":
		return news.SortNewest, nil
	case news.SortNewest, news.SortOldest, news.SortLikes:
		return v, nil
	}
	return "", news.Errorf(news.EINVALID, "정렬 방식은 newest, oldest, likes 중 하나여야 합니다.")
}

func (s *Server) commentsPage(w http.ResponseWriter, r *http.Request) error {
	page, sort, err := s.askArticlePage(r, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "comments", "댓글: "+page.Article.Headline, articleView{Article: page.Article, Engagement: s.engagementOf(&page, sort), frame: frameOf(&page)})
}

type commentForm struct {
	Body   string
	Parent int64
}

func (s *Server) commentSubmit(r *http.Request, v news.Account, id int64, in commentForm) (done, error) {
	c, err := s.Svc.PostComment(r.Context(), v, id, in.Parent, in.Body)
	switch {
	case err != nil:
		// Refused: back to the form, with the text as it was typed.
		return done{KeepDraft: news.ErrorCode(err) != news.ENOTFOUND}, err
	case c.State == news.CommentPending:
		// Held for a moderator: the reader keeps what they wrote.
		return done{Notice: pendingNotice, KeepDraft: true}, nil
	}
	return done{Notice: "댓글이 등록되었습니다.", To: withAnchor(commentsBack(r, id), fmt.Sprintf("comment-%d", c.ID))}, nil
}

// commentsBack is where a comment form returns: the comments of the page it
// came from.
func commentsBack(r *http.Request, id int64) string {
	return withAnchor(backTo(r, articlePath(id)), "comments")
}

func (s *Server) commentDeleteSubmit(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	_, err := s.Svc.DeleteComment(r.Context(), v, id)
	return done{Notice: "댓글을 삭제했습니다."}, err
}

func commentsDeleteBack(r *http.Request, _ int64) string {
	return withAnchor(backTo(r, "/"), "comments")
}

func commentBack(r *http.Request, id int64) string {
	return withAnchor(backTo(r, "/"), fmt.Sprintf("comment-%d", id))
}

func (s *Server) commentVoteSubmit(r *http.Request, v news.Account, id int64, in kindForm) (done, error) {
	_, err := s.Svc.VoteComment(r.Context(), v, id, in.Kind, in.On)
	return done{}, err
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

type commentInput struct {
	Body     string `json:"body"`
	ParentID int64  `json:"parent_id"`
}

// postedJSON answers a new comment: the comment (201), or, when it waits
// for a moderator, a notice that says so (202).
type postedJSON struct {
	comment commentJSON
	pending bool
}

func (s *Server) apiPostComment(r *http.Request, v news.Account, id int64, in commentInput) (postedJSON, error) {
	c, err := s.Svc.PostComment(r.Context(), v, id, in.ParentID, in.Body)
	return postedJSON{comment: toCommentJSON(c), pending: c.State == news.CommentPending}, err
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

// pendingNotice tells a reader their comment waits for a moderator.
const pendingNotice = "댓글이 접수되었습니다. 운영 원칙에 따라 검토한 뒤 게시됩니다."

func (p postedJSON) MarshalJSON() ([]byte, error) {
	if p.pending {
		return json.Marshal(map[string]any{"status": "pending", "id": p.comment.ID, "message": pendingNotice})
	}
	return json.Marshal(p.comment)
}

func (p postedJSON) statusCode() int {
	if p.pending {
		return http.StatusAccepted
	}
	return http.StatusCreated
}

func (f *commentForm) parseForm(v url.Values) error {
	f.Body = v.Get("body")
	f.Parent, _ = strconv.ParseInt(v.Get("parent_id"), 10, 64)
	return nil
}
