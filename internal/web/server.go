// Package web is all of Jikji's HTTP: routes, middleware, the reader pages,
// the newsroom and the JSON API. It depends on news.Service, never on a store.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// Server serves the site.
type Server struct {
	Svc *news.Service
	// BaseURL is the public origin for every absolute URL, without a
	// trailing slash. It is never taken from the request.
	BaseURL string
	Logger  *slog.Logger
	// Ready reports whether the server can serve; /healthz answers with it.
	Ready func(ctx context.Context) error

	assets    *assetSet
	templates *templateSet
}

// New returns a Server with its templates and assets loaded.
func New(svc *news.Service, baseURL string, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{Svc: svc, BaseURL: strings.TrimRight(baseURL, "/"), Logger: logger}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.templates, err = loadTemplates(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the site's routes, all in one place.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/{file}", http.HandlerFunc(s.serveAsset))
	mux.Handle("GET /photos/{id}/{file}", s.page(s.servePhoto))

	mux.Handle("GET /{$}", s.page(s.homePage))
	mux.Handle("GET /articles/{id}", s.page(s.articlePage))
	mux.Handle("GET /articles/{id}/{slug}", s.page(s.articlePage))
	mux.Handle("GET /sections/{slug}", s.page(s.sectionPage))
	mux.Handle("GET /reporters/{id}", s.page(s.reporterPage))
	mux.Handle("GET /privacy", s.page(s.privacyPage))

	mux.Handle("GET /api/v1/articles", s.api(s.apiArticles))
	mux.Handle("GET /api/v1/articles/{id}", s.api(s.apiArticle))
	mux.Handle("/api/", s.api(func(w http.ResponseWriter, r *http.Request) error {
		return news.Errorf(news.ENOTFOUND, "없는 API 경로입니다.")
	}))

	mux.Handle("/", s.page(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))

	return s.recoverer(securityHeaders(mux))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			s.Logger.Warn("not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "일시적인 오류가 발생했습니다.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// pathID parses a positive int64 path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// articlePath is the stable public path of an article.
func articlePath(id int64) string { return "/articles/" + strconv.FormatInt(id, 10) }

// absURL makes a site path absolute on the configured base URL.
func (s *Server) absURL(path string) string { return s.BaseURL + path }
