package web

import (
	"net/http"
	"net/url"
	"strings"
)

// Old links of the platform a site moved from (WordPress's /?p=12,
// /2024/03/18/slug/, /category/economy/, /wp-content/uploads/…) answer 301
// to where their content lives now. The mapping is in the database, so
// every node answers the same.

// wordpressQueryKeys are the query parameters of WordPress's plain links,
// in the order they are looked up.
var wordpressQueryKeys = []string{"p", "page_id", "attachment_id", "cat", "tag", "author"}

// oldQueryLinks sends the front page's WordPress query links (/?p=12) to
// their new place and serves the front page for anything else.
func (s *Server) oldQueryLinks(next func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.URL.RawQuery != "" {
			q := r.URL.Query()
			for _, key := range wordpressQueryKeys {
				if v := q.Get(key); v != "" {
					return s.redirectOldLink(w, r, "/?"+url.Values{key: {v}}.Encode())
				}
			}
		}
		return next(w, r)
	}
}

// oldLink answers a path no route matched: an old link if it is one, not
// found otherwise.
func (s *Server) oldLink(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errNotFound
	}
	// A site that lived under a path had its query links there: /blog/?p=12.
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		for _, key := range wordpressQueryKeys {
			if v := q.Get(key); v != "" {
				return s.redirectOldLink(w, r, strings.TrimRight(r.URL.Path, "/")+"/?"+url.Values{key: {v}}.Encode())
			}
		}
	}
	return s.redirectOldLink(w, r, r.URL.Path)
}

func (s *Server) redirectOldLink(w http.ResponseWriter, r *http.Request, path string) error {
	target, err := s.Svc.OldLink(r.Context(), path)
	if err != nil {
		return errNotFound
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return nil
}
