package web

import (
	"fmt"
	"net/http"
	"net/url"

	"jikji/internal/news"
)

// The reader's buttons under an article: 공감 표현 (reactions) and saved
// stories, as forms and as the API, and the saved list.

// reactionView is one 공감 표현 button.
type reactionView struct {
	Code, Name string
	Count      int64
	Mine       bool
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

type bookmarkJSON struct {
	articleSummaryJSON
	SavedAt string `json:"saved_at"`
}

type bookmarksJSON struct {
	Bookmarks []bookmarkJSON `json:"bookmarks"`
	Next      string         `json:"next"`
}

func (s *Server) apiBookmarks(r *http.Request, v news.Account, _ int64, in pageQuery) (bookmarksJSON, error) {
	marks, next, err := s.Svc.SavedArticles(r.Context(), v, in.Before, in.Limit)
	return bookmarksJSON{Next: encodeCursor(next), Bookmarks: jsonList(marks, func(b news.Bookmark) bookmarkJSON {
		return bookmarkJSON{s.summaryJSON(&b.Article), news.RFC3339KST(b.SavedAt)}
	})}, err
}

func (s *Server) savedPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	marks, next, err := s.Svc.SavedArticles(r.Context(), v, before, 20)
	if err != nil {
		return err
	}
	list := make([]news.Article, len(marks))
	for i, b := range marks {
		list[i] = b.Article
	}
	return s.render(w, r, http.StatusOK, "list", "저장한 기사", listView{Heading: "저장한 기사", Articles: list, Next: nextLink(r, next),
		Empty: "저장한 기사가 없습니다. 기사 아래의 저장 버튼으로 나중에 읽을 기사를 모아 보세요."})
}
