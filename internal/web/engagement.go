package web

import (
	"fmt"
	"net/http"
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

// actionError turns a failed form post into a notice on the page it came
// from; unexpected errors still go to the error page.
func (s *Server) actionError(w http.ResponseWriter, r *http.Request, back string, err error) error {
	switch news.ErrorCode(err) {
	case news.EINTERNAL, news.ENOTFOUND, news.ERATELIMITED:
		return err
	case news.EUNAUTHORIZED:
		http.Redirect(w, r, loginURL(back), http.StatusSeeOther)
		return nil
	}
	s.setFlash(w, r, flash{Title: news.ErrorTitle(err), Message: news.ErrorMessage(err), Error: true})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) commentSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := withAnchor(backTo(r, articlePath(id)), "comments")
	v, ok := s.requireViewer(w, r, articlePath(id)+"#comments")
	if !ok {
		return nil
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	c, err := s.Svc.PostComment(r.Context(), v, id, parent, r.PostFormValue("body"))
	if err != nil {
		return s.refuseComment(w, r, back, err)
	}
	if c.State == news.CommentPending {
		// Held for a moderator: the reader keeps what they wrote.
		s.keepDraft(w, r)
		s.setFlash(w, r, flash{Message: pendingNotice})
	} else {
		s.setFlash(w, r, flash{Message: "댓글이 등록되었습니다."})
		back = withAnchor(back, fmt.Sprintf("comment-%d", c.ID))
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// refuseComment answers a comment form the server refused (too long,
// comments closed, a suspension, too many comments): back to the form,
// with the reason and the text as it was typed.
func (s *Server) refuseComment(w http.ResponseWriter, r *http.Request, back string, err error) error {
	switch news.ErrorCode(err) {
	case news.EINTERNAL, news.ENOTFOUND, news.EUNAUTHORIZED:
		return s.actionError(w, r, back, err)
	}
	s.keepDraft(w, r)
	setRetryAfter(w, err)
	s.setFlash(w, r, flash{Title: news.ErrorTitle(err), Message: news.ErrorMessage(err), Error: true})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) commentDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := withAnchor(backTo(r, "/"), "comments")
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	if _, err := s.Svc.DeleteComment(r.Context(), v, id); err != nil {
		return s.actionError(w, r, back, err)
	}
	s.setFlash(w, r, flash{Message: "댓글을 삭제했습니다."})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) commentVoteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := withAnchor(backTo(r, "/"), fmt.Sprintf("comment-%d", id))
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	if _, err := s.Svc.VoteComment(r.Context(), v, id, r.PostFormValue("kind"), r.PostFormValue("on") != "0"); err != nil {
		return s.actionError(w, r, back, err)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) reactionSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := articlePath(id) + "#reactions"
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	if err := s.Svc.React(r.Context(), v, id, r.PostFormValue("kind")); err != nil {
		return s.actionError(w, r, back, err)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) reactionCancelSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := articlePath(id) + "#reactions"
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	if err := s.Svc.Unreact(r.Context(), v, id); err != nil {
		return s.actionError(w, r, back, err)
	}
	s.setFlash(w, r, flash{Message: "공감 표현을 취소했습니다."})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) bookmarkSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := articlePath(id) + "#reactions"
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	notice, err := s.Svc.SetBookmark(r.Context(), v, id, r.PostFormValue("on") != "0")
	if err != nil {
		return s.actionError(w, r, back, err)
	}
	s.setFlash(w, r, flash{Message: notice})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) reporterSubscribeSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	back := backTo(r, fmt.Sprintf("/reporters/%d", id))
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	rep, err := s.Svc.Reporter(r.Context(), id)
	if err != nil {
		return err
	}
	on := r.PostFormValue("on") != "0"
	if err := s.Svc.Subscribe(r.Context(), v, news.TargetReporter, id, on); err != nil {
		return s.actionError(w, r, back, err)
	}
	s.setFlash(w, r, flash{Message: subscribeNotice(rep.Name+" "+rep.Role, on)})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) sectionSubscribeSubmit(w http.ResponseWriter, r *http.Request) error {
	sec, err := s.Svc.Section(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	back := backTo(r, "/sections/"+sec.Slug)
	v, ok := s.requireViewer(w, r, back)
	if !ok {
		return nil
	}
	on := r.PostFormValue("on") != "0"
	if err := s.Svc.Subscribe(r.Context(), v, news.TargetSection, sec.ID, on); err != nil {
		return s.actionError(w, r, back, err)
	}
	s.setFlash(w, r, flash{Message: subscribeNotice(sec.Name+" 섹션", on)})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func subscribeNotice(name string, on bool) string {
	if on {
		return josa.EulReul.After(name) + " 구독합니다."
	}
	return name + " 구독을 취소했습니다."
}
