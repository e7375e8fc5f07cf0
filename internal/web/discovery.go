package web

import (
	"net/http"
)

// tagPage lists the published articles carrying a keyword: /tags/{slug}.
func (s *Server) tagPage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	name, list, next, err := s.Svc.KeywordArticles(r.Context(), r.PathValue("slug"), before)
	if err != nil {
		return err
	}
	heading := "#" + name
	return s.render(w, r, http.StatusOK, "list", heading, listView{Heading: heading, Articles: list, Next: nextLink(r, next)})
}
