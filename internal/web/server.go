// Package web is all of Jikji's HTTP: routes, middleware, the reader pages,
// the newsroom and the JSON API. It depends on news.Service, never on a store.
package web

import (
	"context"
	"log/slog"
	"net"
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
	// TrustedProxies are the peers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed.
	TrustedProxies []*net.IPNet
	// RateLimit turns throttling on; off only for load tests.
	RateLimit bool
	// MaxUploadBytes caps a photo upload; 0 means DefaultMaxUpload.
	MaxUploadBytes int64
	// FeedContent is FeedFull or FeedSummary: what feed items carry.
	FeedContent string
	// SearchConcurrency and SearchTimeout bound searches: how many run at
	// once on this node and how long one may take (0: the defaults).
	SearchConcurrency int
	SearchTimeout     time.Duration
	// LiveHeartbeat is how often an idle live stream sends a comment line
	// (0: DefaultLiveHeartbeat).
	LiveHeartbeat time.Duration
	heartbeat     liveHeartbeat
	liveWriters   liveWriters

	loginByIP      *limiter
	loginByAccount *limiter
	signupByIP     *limiter
	writes         writeLimiters

	searchSlots searchSlots

	assets    *assetSet
	templates *templateSet
	cache     *pageCache
	metrics   *metrics
	// sharedHoles keeps the renderings of holes alike on every page.
	sharedHoles sharedHoles
	// WriteStats, if set, adds the store's group-commit figures to /metrics.
	WriteStats WriteStats
}

// New returns a Server with its templates and assets loaded.
func New(svc *news.Service, baseURL string, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{
		Svc: svc, BaseURL: strings.TrimRight(baseURL, "/"), Logger: logger, RateLimit: true,
		loginByIP:      newLimiter(30, 15*time.Minute),
		loginByAccount: newLimiter(10, 15*time.Minute),
		signupByIP:     newLimiter(10, time.Hour),
		metrics:        newMetrics(),
	}
	s.SetLimits(DefaultLimits)
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.templates, err = loadTemplates(s); err != nil {
		return nil, err
	}
	s.liveWriters.beat = s.liveBeat
	s.SetPageCache(64 << 20)
	svc.Changes.Subscribe(func(c news.Change) {
		if cache := s.cache; cache != nil {
			cache.invalidate(c)
		}
	})
	return s, nil
}

// SetPageCache sizes the cache of rendered pages; 0 turns it off. Call it
// before Handler.
func (s *Server) SetPageCache(maxBytes int) {
	if maxBytes <= 0 {
		s.cache = nil
		return
	}
	s.cache = newPageCache(250*time.Millisecond, maxBytes)
}

// Handler returns the site's routes, all in one place.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.api(s.metricsPage))
	s.routeProfiler(mux)
	mux.Handle("GET /static/{file}", http.HandlerFunc(s.serveAsset))
	mux.HandleFunc("GET /favicon.ico", s.serveFavicon)
	mux.Handle("GET /photos/{id}/{file}", s.page(s.servePhoto))

	mux.Handle("GET /{$}", s.cached(s.page(s.oldQueryLinks(s.homePage)), wordpressQueryKeys...))
	mux.Handle("GET /articles/{id}", s.cached(s.page(s.articlePage), "sort"))
	mux.Handle("GET /articles/{id}/{slug}", s.cached(s.page(s.articlePage), "sort"))
	mux.Handle("GET /sections/{slug}", s.cached(s.page(s.sectionPage), "cursor"))
	mux.Handle("GET /tags/{slug}", s.cached(s.page(s.tagPage), "cursor"))
	mux.Handle("GET /reporters/{id}", s.cached(s.page(s.reporterPage), "cursor"))
	mux.Handle("GET /privacy", s.cached(s.page(s.privacyPage)))

	mux.Handle("GET /login", s.page(s.loginPage))
	mux.Handle("POST /login", s.page(s.loginSubmit))
	mux.Handle("GET /signup", s.page(s.signupPage))
	mux.Handle("POST /signup", s.page(s.signupSubmit))
	mux.Handle("POST /logout", s.page(s.logoutSubmit))
	mux.Handle("GET /me", s.page(s.mePage))
	mux.Handle("POST /me/delete", s.page(s.deleteAccountSubmit))
	mux.Handle("GET /me/saved", s.page(s.savedPage))
	mux.Handle("GET /me/feed", s.page(s.feedPage))
	mux.Handle("GET /users/{id}", s.page(s.userPage))
	mux.Handle("GET /articles/{id}/comments", s.cached(s.page(s.commentsPage), "sort", "cursor"))
	mux.Handle("POST /articles/{id}/comments", s.throttle(writeComment, s.page(s.commentSubmit)))
	mux.Handle("POST /comments/{id}/delete", s.page(s.commentDeleteSubmit))
	mux.Handle("POST /comments/{id}/vote", s.throttle(writeReaction, s.page(s.commentVoteSubmit)))
	mux.Handle("POST /articles/{id}/reaction", s.throttle(writeReaction, s.page(s.reactionSubmit)))
	mux.Handle("POST /articles/{id}/reaction/delete", s.page(s.reactionCancelSubmit))
	mux.Handle("POST /articles/{id}/bookmark", s.throttle(writeReaction, s.page(s.bookmarkSubmit)))
	mux.Handle("POST /reporters/{id}/subscription", s.page(s.reporterSubscribeSubmit))
	mux.Handle("POST /sections/{slug}/subscription", s.page(s.sectionSubscribeSubmit))

	mux.Handle("GET /api/v1/articles", s.cached(s.api(s.apiArticles), "section", "limit", "cursor"))
	mux.Handle("GET /api/v1/articles/{id}", s.cached(s.api(s.apiArticle)))
	mux.Handle("POST /api/v1/auth/signup", s.api(s.apiSignup))
	mux.Handle("POST /api/v1/auth/login", s.api(s.apiLogin))
	mux.Handle("POST /api/v1/auth/logout", s.api(s.apiLogout))
	mux.Handle("GET /api/v1/me", s.api(s.apiMe))
	mux.Handle("DELETE /api/v1/me", s.api(s.apiDeleteMe))
	mux.Handle("GET /api/v1/users/{id}", s.api(s.apiUser))
	mux.Handle("GET /api/v1/articles/{id}/comments", s.cached(s.api(s.apiComments), "sort", "limit", "cursor"))
	mux.Handle("POST /api/v1/articles/{id}/comments", s.throttle(writeComment, s.api(s.apiPostComment)))
	mux.Handle("GET /api/v1/comments/{id}/replies", s.cached(s.api(s.apiReplies), "sort", "limit", "cursor"))
	mux.Handle("DELETE /api/v1/comments/{id}", s.api(jsonAction(s, reader, http.StatusOK, s.apiDeleteComment)))
	mux.Handle("PUT /api/v1/comments/{id}/votes/{kind}", s.throttle(writeReaction, s.api(jsonAction(s, reader, http.StatusOK, s.apiVote(true)))))
	mux.Handle("DELETE /api/v1/comments/{id}/votes/{kind}", s.api(jsonAction(s, reader, http.StatusOK, s.apiVote(false))))
	mux.Handle("GET /api/v1/articles/{id}/reactions", s.cachedAnonymous(s.api(s.apiReactions)))
	mux.Handle("PUT /api/v1/articles/{id}/reaction", s.throttle(writeReaction, s.api(jsonAction(s, reader, http.StatusOK, s.apiReact))))
	mux.Handle("DELETE /api/v1/articles/{id}/reaction", s.api(jsonAction(s, reader, http.StatusOK, s.apiUnreact)))
	mux.Handle("GET /api/v1/articles/{id}/bookmark", s.api(jsonAction(s, reader, http.StatusOK, s.apiBookmarkState)))
	mux.Handle("PUT /api/v1/articles/{id}/bookmark", s.throttle(writeReaction, s.api(jsonAction(s, reader, http.StatusOK, s.apiBookmark(true)))))
	mux.Handle("DELETE /api/v1/articles/{id}/bookmark", s.api(jsonAction(s, reader, http.StatusOK, s.apiBookmark(false))))
	mux.Handle("GET /api/v1/me/bookmarks", s.api(s.apiBookmarks))
	mux.Handle("PUT /api/v1/reporters/{id}/subscription", s.api(jsonAction(s, reader, http.StatusOK, s.apiReporterSubscription(true))))
	mux.Handle("DELETE /api/v1/reporters/{id}/subscription", s.api(jsonAction(s, reader, http.StatusOK, s.apiReporterSubscription(false))))
	mux.Handle("PUT /api/v1/sections/{slug}/subscription", s.api(jsonAction(s, reader, http.StatusOK, s.apiSectionSubscription(true))))
	mux.Handle("DELETE /api/v1/sections/{slug}/subscription", s.api(jsonAction(s, reader, http.StatusOK, s.apiSectionSubscription(false))))
	mux.Handle("GET /api/v1/me/feed", s.api(s.apiFeed))
	// Finding the news: search, rankings, feeds, sitemaps.
	mux.Handle("GET /search", s.cached(s.page(s.searchPage), "q", "section", "from", "to", "page", "sort"))
	mux.Handle("GET /api/v1/search", s.cached(s.api(s.apiSearch), "q", "section", "from", "to", "limit", "cursor", "sort"))
	mux.Handle("GET /ranking", s.cached(s.page(s.rankingPage)))
	for _, prefix := range []string{"", "/sections/{slug}", "/reporters/{id}"} {
		mux.Handle("GET "+prefix+"/feed.xml", s.cached(s.page(s.rssFeed)))
		mux.Handle("GET "+prefix+"/atom.xml", s.cached(s.page(s.atomFeed)))
		mux.Handle("GET "+prefix+"/feed.json", s.cached(s.page(s.jsonFeed)))
	}
	mux.Handle("GET /robots.txt", s.cached(s.page(s.robotsTxt)))
	mux.Handle("GET /sitemap.xml", s.cached(s.page(s.sitemapIndex)))
	mux.Handle("GET /sitemaps/{file}", s.cached(s.page(s.sitemapFile)))
	mux.Handle("GET /sitemap-news.xml", s.cached(s.page(s.newsSitemap)))

	// The newsroom: pages for staff, the JSON API for integrations, and the
	// public revision history. Roles are checked in each handler.
	mux.Handle("GET /articles/{id}/revisions", s.page(s.revisionsPage))
	mux.Handle("GET /api/v1/articles/{id}/revisions", s.api(s.apiRevisions))
	mux.Handle("GET /newsroom", s.page(s.newsroomPage))
	mux.Handle("GET /newsroom/articles/new", s.page(s.newArticlePage))
	mux.Handle("POST /newsroom/articles", s.page(s.saveArticleSubmit))
	mux.Handle("GET /newsroom/articles/{id}", s.page(s.editArticlePage))
	mux.Handle("POST /newsroom/articles/{id}", s.page(s.saveArticleSubmit))
	mux.Handle("POST /newsroom/articles/{id}/submit", s.page(s.deskAction(news.CanWrite, "데스크에 출고했습니다.", s.submitAction)))
	mux.Handle("POST /newsroom/articles/{id}/publish", s.page(s.deskAction(news.CanPublish, "발행했습니다.", s.publishAction)))
	mux.Handle("POST /newsroom/articles/{id}/return", s.page(s.deskAction(news.CanPublish, "기자에게 반려했습니다.", s.returnAction)))
	mux.Handle("POST /newsroom/articles/{id}/unpublish", s.page(s.deskAction(news.CanPublish, "기사를 내렸습니다.", s.unpublishAction)))
	mux.Handle("POST /newsroom/articles/{id}/photos", s.page(s.attachPhotoSubmit))
	mux.Handle("GET /newsroom/front", s.page(s.frontPage))
	mux.Handle("POST /newsroom/front", s.page(s.frontSubmit))
	mux.Handle("POST /newsroom/labels", s.page(s.labelSubmit))
	mux.Handle("POST /newsroom/reporters", s.page(s.reporterSubmit))
	mux.Handle("GET /newsroom/staff", s.page(s.staffPage))
	mux.Handle("POST /newsroom/staff/role", s.page(s.roleSubmit))
	mux.Handle("POST /newsroom/tokens", s.page(s.tokenSubmit))
	mux.Handle("POST /newsroom/tokens/{id}/revoke", s.page(s.revokeTokenSubmit))
	mux.Handle("GET /api/v1/newsroom/articles", s.api(s.apiNewsroomArticles))
	mux.Handle("POST /api/v1/newsroom/articles", s.api(s.apiCreateDraft))
	mux.Handle("GET /api/v1/newsroom/articles/{id}", s.api(s.apiNewsroomArticle))
	mux.Handle("PATCH /api/v1/newsroom/articles/{id}", s.api(s.apiPatchArticle))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/submit", s.api(s.apiTransition(news.CanWrite, s.apiSubmit)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/publish", s.api(s.apiTransition(news.CanPublish, s.apiPublish)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/return", s.api(s.apiTransition(news.CanPublish, s.apiReturn)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/unpublish", s.api(s.apiTransition(news.CanPublish, s.apiUnpublish)))
	mux.Handle("GET /api/v1/newsroom/articles/{id}/revisions", s.api(s.apiDeskRevisions))
	mux.Handle("POST /api/v1/newsroom/photos", s.api(s.apiUploadPhoto))
	mux.Handle("GET /api/v1/newsroom/front", s.api(s.apiFront))
	mux.Handle("PUT /api/v1/newsroom/front/{slot}", s.api(s.apiSetFront))
	mux.Handle("GET /api/v1/newsroom/staff", s.api(jsonAction(s, staff(news.CanAdminister), http.StatusOK, s.apiStaffList)))
	mux.Handle("PUT /api/v1/newsroom/staff/role", s.api(s.apiSetRole))
	mux.Handle("GET /api/v1/newsroom/tokens", s.api(s.apiTokens))
	mux.Handle("POST /api/v1/newsroom/tokens", s.api(s.apiIssueToken))
	mux.Handle("DELETE /api/v1/newsroom/tokens/{id}", s.api(s.apiRevokeToken))

	// Moderation: readers report comments; moderators, editors and admins
	// work the queue, sanctions, banned words, comment modes, 임시조치 and
	// the audit log. Roles are checked in each handler.
	mux.Handle("POST /comments/{id}/report", s.throttle(writeComment, s.page(s.reportSubmit)))
	mux.Handle("POST /api/v1/comments/{id}/reports", s.throttle(writeComment, s.api(jsonAction(s, reader, http.StatusCreated, s.apiReport))))
	mux.Handle("GET /newsroom/moderation", s.page(s.moderationPage))
	mux.Handle("POST /newsroom/moderation/comments/{id}", s.page(s.moderateCommentSubmit))
	mux.Handle("GET /newsroom/moderation/tools", s.page(s.moderationToolsPage))
	mux.Handle("POST /newsroom/moderation/sanctions", s.page(s.sanctionSubmit))
	mux.Handle("POST /newsroom/moderation/words", s.page(s.bannedWordsSubmit))
	mux.Handle("POST /newsroom/moderation/modes", s.page(s.commentModeSubmit))
	mux.Handle("POST /newsroom/moderation/takedowns", s.page(s.takedownSubmit))
	mux.Handle("POST /newsroom/moderation/takedowns/{id}", s.page(s.takedownDecideSubmit))
	mux.Handle("GET /newsroom/moderation/audit", s.page(s.auditPage))
	mux.Handle("GET /api/v1/newsroom/moderation/queue", s.api(s.apiModerationQueue))
	mux.Handle("POST /api/v1/newsroom/moderation/comments/{id}", s.api(s.apiModerateComment))
	mux.Handle("GET /api/v1/newsroom/moderation/sanctions", s.api(s.apiSanctions))
	mux.Handle("PUT /api/v1/newsroom/moderation/sanctions/{id}", s.api(s.apiSetSanction))
	mux.Handle("DELETE /api/v1/newsroom/moderation/sanctions/{id}", s.api(s.apiSetSanction))
	mux.Handle("GET /api/v1/newsroom/moderation/banned-words", s.api(s.apiBannedWords))
	mux.Handle("PUT /api/v1/newsroom/moderation/banned-words", s.api(s.apiBannedWords))
	mux.Handle("GET /api/v1/newsroom/articles/{id}/comment-mode", s.api(s.apiCommentMode))
	mux.Handle("PUT /api/v1/newsroom/articles/{id}/comment-mode", s.api(s.apiCommentMode))
	mux.Handle("GET /api/v1/newsroom/moderation/takedowns", s.api(s.apiTakedowns))
	mux.Handle("POST /api/v1/newsroom/moderation/takedowns", s.api(s.apiTakedowns))
	mux.Handle("POST /api/v1/newsroom/moderation/takedowns/{id}/decision", s.api(s.apiDecideTakedown))
	mux.Handle("GET /api/v1/newsroom/moderation/audit", s.api(s.apiAudit))

	// Live: events for open pages, live coverage (라이브) and the
	// newsroom's view of readers now.
	mux.Handle("GET /api/v1/live", s.api(s.liveStream))
	mux.Handle("GET /api/v1/articles/{id}/updates", s.cached(s.api(s.apiUpdates), "limit", "cursor"))
	mux.Handle("PUT /api/v1/newsroom/articles/{id}/live", s.api(jsonAction(s, staff(news.CanPublish), http.StatusOK, s.apiSetLive)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/updates", s.api(jsonAction(s, staff(news.CanWrite), http.StatusCreated, s.apiPostUpdate)))
	mux.Handle("PATCH /api/v1/newsroom/articles/{id}/updates/{update}", s.api(jsonAction(s, staff(news.CanWrite), http.StatusOK, s.apiPatchUpdate)))
	mux.Handle("DELETE /api/v1/newsroom/articles/{id}/updates/{update}", s.api(jsonAction(s, staff(news.CanWrite), http.StatusOK, s.apiDeleteUpdate)))
	mux.Handle("GET /newsroom/live", s.page(s.liveDashboardPage))
	mux.Handle("GET /newsroom/articles/{id}/live", s.page(s.liveDeskPage))
	mux.Handle("POST /newsroom/articles/{id}/live", s.page(s.liveDeskAction(news.CanPublish, "라이브 상태를 바꿨습니다.", s.liveSwitchSubmit)))
	mux.Handle("POST /newsroom/articles/{id}/updates", s.page(s.liveDeskAction(news.CanWrite, "업데이트를 올렸습니다.", s.postUpdateSubmit)))
	mux.Handle("POST /newsroom/articles/{id}/updates/{update}", s.page(s.liveDeskAction(news.CanWrite, "업데이트를 정정했습니다.", s.correctUpdateSubmit)))
	mux.Handle("POST /newsroom/articles/{id}/updates/{update}/pin", s.page(s.liveDeskAction(news.CanWrite, "고정 상태를 바꿨습니다.", s.pinUpdateSubmit)))
	mux.Handle("POST /newsroom/articles/{id}/updates/{update}/delete", s.page(s.liveDeskAction(news.CanWrite, "업데이트를 삭제했습니다.", s.deleteUpdateSubmit)))

	mux.Handle("/api/", s.api(func(w http.ResponseWriter, r *http.Request) error {
		return news.Errorf(news.ENOTFOUND, "없는 API 경로입니다.")
	}))

	mux.Handle("/", s.page(s.oldLink))

	// Cross-site requests that change state are refused by the browser's
	// own Sec-Fetch-Site and Origin headers: no tokens in forms, so pages
	// stay identical for every anonymous reader.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := news.Errorf(news.EFORBIDDEN, "다른 사이트에서 보낸 요청은 처리할 수 없습니다.")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSON(w, http.StatusForbidden, apiError{Error: news.ErrorMessage(err), Code: news.EFORBIDDEN})
			return
		}
		s.renderError(w, r, http.StatusForbidden, news.ErrorMessage(err))
	}))
	full := s.timed(s.recoverer(s.securityHeaders(s.limitInput(csrf.Handler(s.withViewer(noteRoute(mux)))))))
	return s.countViews(mux, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.serveCached(w, r) {
			full.ServeHTTP(w, r)
		}
	}))
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

// securityHeaders sets the headers every response carries, HSTS over
// HTTPS, and keeps personal answers out of every cache.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		setSecurityHeaders(h)
		s.setHSTS(h, r)
		if personalPath(r.URL.Path) {
			h.Set("Cache-Control", "private, no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// setHSTS tells browsers that reached the site over HTTPS to keep to it.
func (s *Server) setHSTS(h http.Header, r *http.Request) {
	if r.TLS != nil || s.forwardedHTTPS(r) || strings.HasPrefix(s.BaseURL, "https://") {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// personalPath reports whether answers under path belong to one person
// (their account, their e-mail, the newsroom) and must never be stored by
// a browser's or a proxy's cache.
func personalPath(path string) bool {
	switch path {
	case "/me", "/login", "/signup", "/newsroom", "/api/v1/me":
		return true
	}
	for _, prefix := range []string{"/me/", "/newsroom/", "/api/v1/me/", "/api/v1/newsroom/", "/api/v1/auth/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "DENY")
	// Nothing on the site uses these; a script that got in could not either.
	h.Set("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()")
}

// canonicalIDPath checks the {id} of the matched route: for an id spelled
// other than its canonical form (01, +1) it returns the canonical path
// (with the query) and true. Ids that are no number at all are left to the
// handler, which answers 404.
func canonicalIDPath(r *http.Request) (string, bool) {
	_, pattern, _ := strings.Cut(r.Pattern, " ")
	if !strings.Contains(pattern, "{id}") {
		return "", false
	}
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) == raw {
		return "", false
	}
	segments := strings.Split(r.URL.EscapedPath(), "/")
	for i, p := range strings.Split(pattern, "/") {
		if p == "{id}" && i < len(segments) {
			segments[i] = strconv.FormatInt(id, 10)
		}
	}
	to := strings.Join(segments, "/")
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	return to, true
}

// redirectCanonicalID answers a request for a non-canonical id: 301 to the
// canonical URL for a read, 404 for anything else. It reports whether it
// answered.
func redirectCanonicalID(w http.ResponseWriter, r *http.Request) (bool, error) {
	to, ok := canonicalIDPath(r)
	if !ok {
		return false, nil
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true, errNotFound
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return true, nil
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
