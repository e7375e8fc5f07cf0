package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"jikji/internal/josa"
	"jikji/internal/news"
)

// reactionView is one 공감 표현 button.
type reactionView struct {
	Code, Name string
	Count      int64
	Mine       bool
}

// commentView is a comment with its first replies.
type commentView struct {
	news.Comment
	Replies []news.Comment
}

// engagementView is the reader half of an article page, as an anonymous
// reader sees it; a logged-in reader's own state is spliced in (personal.go).
type engagementView struct {
	Reactions   []reactionView
	MyReaction  string
	Saved       bool
	Comments    []commentView
	Sort        string
	CommentNext string
	Flash       *flash
}

// engagementOf is the reader half of an article page.
func (s *Server) engagementOf(p *news.ArticlePage, sort string) engagementView {
	ev := engagementView{Sort: sort, MyReaction: p.Reactions.Mine, Saved: p.Saved}
	for _, k := range s.Svc.ReactionKinds() {
		ev.Reactions = append(ev.Reactions, reactionView{Code: k.Code, Name: k.Name, Count: p.Reactions.Counts[k.Code], Mine: p.Reactions.Mine == k.Code})
	}
	for _, t := range p.Threads {
		ev.Comments = append(ev.Comments, commentView{Comment: t.Comment, Replies: t.Replies})
	}
	if p.Next != nil {
		ev.CommentNext = fmt.Sprintf("/articles/%d/comments?sort=%s&cursor=%s", p.Article.ID, sort, encodeCommentCursor(p.Next))
	}
	return ev
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
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dependsOnArticle(r, id)
	sort, err := commentSort(r)
	if err != nil {
		return err
	}
	after, err := decodeCommentCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	page, err := s.Svc.ArticlePage(r.Context(), id, viewer(r), news.ArticlePageQuery{Sort: sort, After: after})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "comments", "댓글: "+page.Article.Headline, articleView{Article: page.Article, Engagement: s.engagementOf(&page, sort), frame: frameOf(&page)})
}

// Form inputs of the reader's buttons.

type commentForm struct {
	Body   string
	Parent int64
}

func (f *commentForm) parseForm(v url.Values) error {
	f.Body = v.Get("body")
	f.Parent, _ = strconv.ParseInt(v.Get("parent_id"), 10, 64)
	return nil
}

// kindForm is a choice among kinds (a reaction, a vote) that can be set or
// taken back: on is anything but "0".
type kindForm struct {
	Kind string
	On   bool
}

func (f *kindForm) parseForm(v url.Values) error {
	f.Kind, f.On = v.Get("kind"), v.Get("on") != "0"
	return nil
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

// reactionsBack is the reader buttons of the article in the path.
func reactionsBack(_ *http.Request, id int64) string { return articlePath(id) + "#reactions" }

func (s *Server) reactionSubmit(r *http.Request, v news.Account, id int64, in kindForm) (done, error) {
	return done{}, s.Svc.React(r.Context(), v, id, in.Kind)
}

func (s *Server) reactionCancelSubmit(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	return done{Notice: "공감 표현을 취소했습니다."}, s.Svc.Unreact(r.Context(), v, id)
}

func (s *Server) bookmarkSubmit(r *http.Request, v news.Account, id int64, in kindForm) (done, error) {
	notice, err := s.Svc.SetBookmark(r.Context(), v, id, in.On)
	return done{Notice: notice}, err
}

func reporterBack(r *http.Request, id int64) string {
	return backTo(r, fmt.Sprintf("/reporters/%d", id))
}

func sectionBack(r *http.Request, _ int64) string { return backTo(r, "/sections/"+r.PathValue("slug")) }

func (s *Server) reporterSubscribeSubmit(r *http.Request, v news.Account, id int64, in kindForm) (done, error) {
	rep, err := s.Svc.Reporter(r.Context(), id)
	if err != nil {
		return done{}, err
	}
	return done{Notice: subscribeNotice(rep.Name+" "+rep.Role, in.On)}, s.Svc.Subscribe(r.Context(), v, news.TargetReporter, id, in.On)
}

func (s *Server) sectionSubscribeSubmit(r *http.Request, v news.Account, _ int64, in kindForm) (done, error) {
	sec, err := s.Svc.Section(r.Context(), r.PathValue("slug"))
	if err != nil {
		return done{}, err
	}
	return done{Notice: subscribeNotice(sec.Name+" 섹션", in.On)}, s.Svc.Subscribe(r.Context(), v, news.TargetSection, sec.ID, in.On)
}

func subscribeNotice(name string, on bool) string {
	if on {
		return josa.EulReul.After(name) + " 구독합니다."
	}
	return name + " 구독을 취소했습니다."
}
