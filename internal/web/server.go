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
	// Providers are the outside logins offered (카카오, 네이버, Google, OIDC).
	Providers []*Provider
	// LiveHeartbeat is how often an idle live stream sends a comment line
	// (0: DefaultLiveHeartbeat).
	LiveHeartbeat time.Duration
	heartbeat     liveHeartbeat
	liveWriters   liveWriters

	loginByIP      *limiter
	loginByAccount *limiter
	mailLimits     mailLimits
	signupByIP     *limiter
	otpByAccount   *limiter
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
		otpByAccount:   newOTPLimiter(),
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

	// Each route says who may call it. Pages and reads with no wrapper are
	// for anyone; view (a page), formAction (a form's button) and
	// jsonAction (the API) name their access: reader (any login), writer,
	// desk, moderator or admin (actions.go). The check comes before
	// anything else: the login (401, or the login page), the role (403),
	// then the {id} (404).
	const ok, created, noContent = http.StatusOK, http.StatusCreated, http.StatusNoContent

	// The reader site, for anyone.
	mux.Handle("GET /{$}", s.cached(s.page(s.oldQueryLinks(s.homePage)), wordpressQueryKeys...))
	mux.Handle("GET /articles/{id}", s.cached(s.page(s.articlePage), "sort"))
	mux.Handle("GET /articles/{id}/{slug}", s.cached(s.page(s.articlePage), "sort"))
	mux.Handle("GET /articles/{id}/comments", s.cached(s.page(s.commentsPage), "sort", "cursor"))
	mux.Handle("GET /articles/{id}/revisions", s.page(s.revisionsPage))
	mux.Handle("GET /sections/{slug}", s.cached(s.page(s.sectionPage), "cursor"))
	mux.Handle("GET /tags/{slug}", s.cached(s.page(s.tagPage), "cursor"))
	mux.Handle("GET /reporters/{id}", s.cached(s.page(s.reporterPage), "cursor"))
	mux.Handle("GET /users/{id}", s.page(s.userPage))
	mux.Handle("GET /privacy", s.cached(s.page(s.privacyPage)))
	mux.Handle("GET /api/v1/articles", s.cached(s.api(s.apiArticles), "section", "limit", "cursor"))
	mux.Handle("GET /api/v1/articles/{id}", s.cached(s.api(s.apiArticle)))
	mux.Handle("GET /api/v1/articles/{id}/revisions", s.api(s.apiRevisions))
	mux.Handle("GET /api/v1/articles/{id}/comments", s.cached(s.api(s.apiComments), "sort", "limit", "cursor"))
	mux.Handle("GET /api/v1/comments/{id}/replies", s.cached(s.api(s.apiReplies), "sort", "limit", "cursor"))
	mux.Handle("GET /api/v1/articles/{id}/reactions", s.cachedAnonymous(s.api(s.apiReactions)))
	mux.Handle("GET /api/v1/users/{id}", s.api(s.apiUser))

	// Finding the news, for anyone: search, rankings, feeds, sitemaps.
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

	// Accounts: anyone signs up and logs in; the rest is the reader's own.
	mux.Handle("GET /login", s.page(s.loginPage))
	mux.Handle("POST /login", s.page(s.loginSubmit))
	mux.Handle("GET /signup", s.page(s.signupPage))
	mux.Handle("POST /signup", s.page(s.signupSubmit))
	mux.Handle("POST /logout", s.page(s.logoutSubmit))
	mux.Handle("POST /api/v1/auth/signup", s.api(s.apiSignup))
	mux.Handle("POST /api/v1/auth/login", s.api(s.apiLogin))
	mux.Handle("POST /api/v1/auth/logout", s.api(s.apiLogout))
	mux.Handle("GET /me", s.page(s.view(reader, s.mePage)))
	mux.Handle("POST /me/delete", s.page(s.view(reader, s.deleteAccountSubmit)))
	mux.Handle("GET /me/saved", s.page(s.view(reader, s.savedPage)))
	mux.Handle("GET /me/feed", s.page(s.view(reader, s.feedPage)))
	mux.Handle("GET /api/v1/me", s.api(jsonAction(s, reader, ok, s.apiMe)))
	mux.Handle("DELETE /api/v1/me", s.api(s.apiDeleteMe)) // reader; ends the session
	mux.Handle("GET /api/v1/me/bookmarks", s.api(jsonAction(s, reader, ok, s.apiBookmarks)))
	mux.Handle("GET /api/v1/me/feed", s.api(jsonAction(s, reader, ok, s.apiFeed)))

	// Sign-in: the second step of a login, two-factor, the sessions a
	// reader can see and end, logins through outside providers.
	mux.Handle("POST /login/otp", s.page(s.loginOTPSubmit))
	mux.Handle("GET /auth/{provider}/start", s.page(s.providerStart))
	mux.Handle("GET /auth/{provider}/callback", s.page(s.providerCallback))
	mux.Handle("GET /auth/link", s.page(s.linkPage))
	mux.Handle("POST /auth/link", s.page(s.linkSubmit))
	mux.Handle("POST /auth/link/mail", s.page(s.linkMailSubmit))
	mux.Handle("GET /auth/link/confirm", s.page(s.linkConfirmPage))
	mux.Handle("POST /auth/link/confirm", s.page(s.linkConfirmSubmit))
	mux.Handle("GET /me/2fa", s.page(s.view(reader, s.twoFactorPage)))
	mux.Handle("POST /me/2fa", s.page(s.view(reader, s.twoFactorBeginSubmit)))
	mux.Handle("POST /me/2fa/confirm", s.page(s.view(reader, s.twoFactorConfirmSubmit)))
	mux.Handle("POST /me/2fa/disable", s.page(s.view(reader, s.twoFactorDisableSubmit)))
	mux.Handle("GET /me/sessions", s.page(s.view(reader, s.sessionsPage)))
	mux.Handle("POST /me/sessions/{id}/delete", s.page(formAction(s, reader, backAt("/me/sessions"), s.endSessionSubmit)))
	mux.Handle("POST /me/sessions/others/delete", s.page(formAction(s, reader, backAt("/me/sessions"), s.endOtherSessionsSubmit)))
	mux.Handle("POST /me/identities/{provider}/delete", s.page(formAction(s, reader, backAt("/me"), s.unlinkSubmit)))
	mux.Handle("POST /newsroom/staff/{id}/sessions/delete", s.page(formAction(s, admin, backAt("/newsroom/staff"), s.endStaffSessionsSubmit)))
	mux.Handle("POST /api/v1/me/2fa", s.api(jsonAction(s, reader, ok, s.apiBeginTwoFactor)))
	mux.Handle("POST /api/v1/me/2fa/confirm", s.api(jsonAction(s, reader, ok, s.apiConfirmTwoFactor)))
	mux.Handle("DELETE /api/v1/me/2fa", s.api(s.apiDisableTwoFactor)) // reader; starts the session anew
	mux.Handle("GET /api/v1/me/sessions", s.api(jsonAction(s, reader, ok, s.apiSessions)))
	mux.Handle("DELETE /api/v1/me/sessions", s.api(jsonAction(s, reader, ok, s.apiEndOtherSessions)))
	mux.Handle("DELETE /api/v1/me/sessions/{id}", s.api(jsonAction(s, reader, noContent, s.apiEndSession)))
	mux.Handle("GET /api/v1/me/identities", s.api(jsonAction(s, reader, ok, s.apiIdentities)))
	mux.Handle("DELETE /api/v1/me/identities/{provider}", s.api(jsonAction(s, reader, noContent, s.apiUnlink)))
	mux.Handle("DELETE /api/v1/newsroom/staff/{id}/sessions", s.api(jsonAction(s, admin, ok, s.apiEndStaffSessions)))

	// Comments, reactions, bookmarks and subscriptions: readers.
	mux.Handle("POST /articles/{id}/comments", s.throttle(writeComment, s.page(formAction(s, reader, commentsBack, s.commentSubmit))))
	mux.Handle("POST /comments/{id}/delete", s.page(formAction(s, reader, commentsDeleteBack, s.commentDeleteSubmit)))
	mux.Handle("POST /comments/{id}/vote", s.throttle(writeReaction, s.page(formAction(s, reader, commentBack, s.commentVoteSubmit))))
	mux.Handle("POST /comments/{id}/report", s.throttle(writeComment, s.page(formAction(s, reader, backOr("/"), s.reportSubmit))))
	mux.Handle("POST /articles/{id}/reaction", s.throttle(writeReaction, s.page(formAction(s, reader, reactionsBack, s.reactionSubmit))))
	mux.Handle("POST /articles/{id}/reaction/delete", s.page(formAction(s, reader, reactionsBack, s.reactionCancelSubmit)))
	mux.Handle("POST /articles/{id}/bookmark", s.throttle(writeReaction, s.page(formAction(s, reader, reactionsBack, s.bookmarkSubmit))))
	mux.Handle("POST /reporters/{id}/subscription", s.page(formAction(s, reader, reporterBack, s.reporterSubscribeSubmit)))
	mux.Handle("POST /sections/{slug}/subscription", s.page(formAction(s, reader, sectionBack, s.sectionSubscribeSubmit)))
	mux.Handle("POST /api/v1/articles/{id}/comments", s.throttle(writeComment, s.api(jsonAction(s, reader, created, s.apiPostComment))))
	mux.Handle("DELETE /api/v1/comments/{id}", s.api(jsonAction(s, reader, ok, s.apiDeleteComment)))
	mux.Handle("PUT /api/v1/comments/{id}/votes/{kind}", s.throttle(writeReaction, s.api(jsonAction(s, reader, ok, s.apiVote(true)))))
	mux.Handle("DELETE /api/v1/comments/{id}/votes/{kind}", s.api(jsonAction(s, reader, ok, s.apiVote(false))))
	mux.Handle("POST /api/v1/comments/{id}/reports", s.throttle(writeComment, s.api(jsonAction(s, reader, created, s.apiReport))))
	mux.Handle("PUT /api/v1/articles/{id}/reaction", s.throttle(writeReaction, s.api(jsonAction(s, reader, ok, s.apiReact))))
	mux.Handle("DELETE /api/v1/articles/{id}/reaction", s.api(jsonAction(s, reader, ok, s.apiUnreact)))
	mux.Handle("GET /api/v1/articles/{id}/bookmark", s.api(jsonAction(s, reader, ok, s.apiBookmarkState)))
	mux.Handle("PUT /api/v1/articles/{id}/bookmark", s.throttle(writeReaction, s.api(jsonAction(s, reader, ok, s.apiBookmark(true)))))
	mux.Handle("DELETE /api/v1/articles/{id}/bookmark", s.api(jsonAction(s, reader, ok, s.apiBookmark(false))))
	mux.Handle("PUT /api/v1/reporters/{id}/subscription", s.api(jsonAction(s, reader, ok, s.apiReporterSubscription(true))))
	mux.Handle("DELETE /api/v1/reporters/{id}/subscription", s.api(jsonAction(s, reader, ok, s.apiReporterSubscription(false))))
	mux.Handle("PUT /api/v1/sections/{slug}/subscription", s.api(jsonAction(s, reader, ok, s.apiSectionSubscription(true))))
	mux.Handle("DELETE /api/v1/sections/{slug}/subscription", s.api(jsonAction(s, reader, ok, s.apiSectionSubscription(false))))

	// The newsroom: pages and forms for staff, the JSON API for
	// integrations (a session or a personal API token).
	mux.Handle("GET /newsroom", s.page(s.view(writer, s.newsroomPage)))
	mux.Handle("GET /newsroom/articles/new", s.page(s.view(writer, s.newArticlePage)))
	mux.Handle("POST /newsroom/articles", s.page(s.view(writer, s.saveArticleSubmit)))
	mux.Handle("GET /newsroom/articles/{id}", s.page(s.view(writer, s.editArticlePage)))
	mux.Handle("POST /newsroom/articles/{id}", s.page(s.view(writer, s.saveArticleSubmit)))
	mux.Handle("POST /newsroom/articles/{id}/submit", s.page(formAction(s, writer, deskBack, s.submitAction)))
	mux.Handle("POST /newsroom/articles/{id}/publish", s.page(formAction(s, desk, deskBack, s.publishAction)))
	mux.Handle("POST /newsroom/articles/{id}/return", s.page(formAction(s, desk, deskBack, s.returnAction)))
	mux.Handle("POST /newsroom/articles/{id}/unpublish", s.page(formAction(s, desk, deskBack, s.unpublishAction)))
	mux.Handle("POST /newsroom/articles/{id}/photos", s.page(formAction(s, writer, deskBack, s.attachPhotoSubmit)))
	mux.Handle("GET /newsroom/front", s.page(s.view(desk, s.frontPage)))
	mux.Handle("POST /newsroom/front", s.page(formAction(s, desk, backAt("/newsroom/front"), s.frontSubmit)))
	mux.Handle("POST /newsroom/labels", s.page(formAction(s, desk, backAt("/newsroom/front"), s.labelSubmit)))
	mux.Handle("POST /newsroom/reporters", s.page(formAction(s, desk, backAt("/newsroom/front"), s.reporterSubmit)))
	mux.Handle("GET /newsroom/staff", s.page(s.view(admin, s.staffPage)))
	mux.Handle("POST /newsroom/staff/role", s.page(formAction(s, admin, backAt("/newsroom/staff"), s.roleSubmit)))
	mux.Handle("POST /newsroom/tokens", s.page(s.view(admin, s.tokenSubmit)))
	mux.Handle("POST /newsroom/tokens/{id}/revoke", s.page(formAction(s, admin, backAt("/newsroom/staff"), s.revokeTokenSubmit)))
	mux.Handle("GET /api/v1/newsroom/articles", s.api(jsonAction(s, writer, ok, s.apiNewsroomArticles)))
	mux.Handle("POST /api/v1/newsroom/articles", s.api(jsonAction(s, writer, created, s.apiCreateDraft)))
	mux.Handle("GET /api/v1/newsroom/articles/{id}", s.api(jsonAction(s, writer, ok, s.apiNewsroomArticle)))
	mux.Handle("PATCH /api/v1/newsroom/articles/{id}", s.api(jsonAction(s, writer, ok, s.apiPatchArticle)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/submit", s.api(jsonAction(s, writer, ok, s.apiSubmit)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/publish", s.api(jsonAction(s, desk, ok, s.apiPublish)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/return", s.api(jsonAction(s, desk, ok, s.apiReturn)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/unpublish", s.api(jsonAction(s, desk, ok, s.apiUnpublish)))
	mux.Handle("GET /api/v1/newsroom/articles/{id}/revisions", s.api(jsonAction(s, writer, ok, s.apiDeskRevisions)))
	mux.Handle("POST /api/v1/newsroom/photos", s.api(jsonAction(s, writer, created, s.apiUploadPhoto)))
	mux.Handle("GET /api/v1/newsroom/front", s.api(jsonAction(s, desk, ok, s.apiFront)))
	mux.Handle("PUT /api/v1/newsroom/front/{slot}", s.api(jsonAction(s, desk, ok, s.apiSetFront)))
	mux.Handle("GET /api/v1/newsroom/staff", s.api(jsonAction(s, admin, ok, s.apiStaffList)))
	mux.Handle("PUT /api/v1/newsroom/staff/role", s.api(jsonAction(s, admin, ok, s.apiSetRole)))
	mux.Handle("GET /api/v1/newsroom/tokens", s.api(jsonAction(s, admin, ok, s.apiTokens)))
	mux.Handle("POST /api/v1/newsroom/tokens", s.api(jsonAction(s, admin, created, s.apiIssueToken)))
	mux.Handle("DELETE /api/v1/newsroom/tokens/{id}", s.api(jsonAction(s, admin, noContent, s.apiRevokeToken)))

	// Moderation: moderators, editors and admins work the queue, sanctions,
	// banned words, comment modes, 임시조치 and the audit log.
	mux.Handle("GET /newsroom/moderation", s.page(s.view(moderator, s.moderationPage)))
	mux.Handle("POST /newsroom/moderation/comments/{id}", s.page(formAction(s, moderator, backOr("/newsroom/moderation"), s.moderateCommentSubmit)))
	mux.Handle("GET /newsroom/moderation/tools", s.page(s.view(moderator, s.moderationToolsPage)))
	mux.Handle("POST /newsroom/moderation/sanctions", s.page(formAction(s, moderator, backOr("/newsroom/moderation/tools"), s.sanctionSubmit)))
	mux.Handle("POST /newsroom/moderation/words", s.page(formAction(s, moderator, backAt("/newsroom/moderation/tools"), s.bannedWordsSubmit)))
	mux.Handle("POST /newsroom/moderation/modes", s.page(formAction(s, moderator, backOr("/newsroom/moderation/tools"), s.commentModeSubmit)))
	mux.Handle("POST /newsroom/moderation/takedowns", s.page(formAction(s, moderator, backAt("/newsroom/moderation/tools"), s.takedownSubmit)))
	mux.Handle("POST /newsroom/moderation/takedowns/{id}", s.page(formAction(s, moderator, backAt("/newsroom/moderation/tools"), s.takedownDecideSubmit)))
	mux.Handle("GET /newsroom/moderation/audit", s.page(s.view(moderator, s.auditPage)))
	mux.Handle("GET /api/v1/newsroom/moderation/queue", s.api(jsonAction(s, moderator, ok, s.apiModerationQueue)))
	mux.Handle("POST /api/v1/newsroom/moderation/comments/{id}", s.api(jsonAction(s, moderator, ok, s.apiModerateComment)))
	mux.Handle("GET /api/v1/newsroom/moderation/sanctions", s.api(jsonAction(s, moderator, ok, s.apiSanctions)))
	mux.Handle("PUT /api/v1/newsroom/moderation/sanctions/{id}", s.api(jsonAction(s, moderator, ok, s.apiSetSanction)))
	mux.Handle("DELETE /api/v1/newsroom/moderation/sanctions/{id}", s.api(jsonAction(s, moderator, ok, s.apiLiftSanction)))
	mux.Handle("GET /api/v1/newsroom/moderation/banned-words", s.api(jsonAction(s, moderator, ok, s.apiBannedWords)))
	mux.Handle("PUT /api/v1/newsroom/moderation/banned-words", s.api(jsonAction(s, moderator, ok, s.apiSetBannedWords)))
	mux.Handle("GET /api/v1/newsroom/articles/{id}/comment-mode", s.api(jsonAction(s, moderator, ok, s.apiCommentMode)))
	mux.Handle("PUT /api/v1/newsroom/articles/{id}/comment-mode", s.api(jsonAction(s, moderator, ok, s.apiSetCommentMode)))
	mux.Handle("GET /api/v1/newsroom/moderation/takedowns", s.api(jsonAction(s, moderator, ok, s.apiTakedowns)))
	mux.Handle("POST /api/v1/newsroom/moderation/takedowns", s.api(jsonAction(s, moderator, created, s.apiTakeDown)))
	mux.Handle("POST /api/v1/newsroom/moderation/takedowns/{id}/decision", s.api(jsonAction(s, moderator, ok, s.apiDecideTakedown)))
	mux.Handle("GET /api/v1/newsroom/moderation/audit", s.api(jsonAction(s, moderator, ok, s.apiAudit)))

	s.routeMail(mux)

	// Live: events for open pages, live coverage (라이브) and the
	// newsroom's view of readers now.
	mux.Handle("GET /api/v1/live", s.api(s.liveStream))
	mux.Handle("GET /api/v1/articles/{id}/updates", s.cached(s.api(s.apiUpdates), "limit", "cursor"))
	mux.Handle("PUT /api/v1/newsroom/articles/{id}/live", s.api(jsonAction(s, desk, ok, s.apiSetLive)))
	mux.Handle("POST /api/v1/newsroom/articles/{id}/updates", s.api(jsonAction(s, writer, created, s.apiPostUpdate)))
	mux.Handle("PATCH /api/v1/newsroom/articles/{id}/updates/{update}", s.api(jsonAction(s, writer, ok, s.apiPatchUpdate)))
	mux.Handle("DELETE /api/v1/newsroom/articles/{id}/updates/{update}", s.api(jsonAction(s, writer, ok, s.apiDeleteUpdate)))
	mux.Handle("GET /newsroom/live", s.page(s.view(writer, s.liveDashboardPage)))
	mux.Handle("GET /newsroom/articles/{id}/live", s.page(s.view(writer, s.liveDeskPage)))
	mux.Handle("POST /newsroom/articles/{id}/live", s.page(formAction(s, desk, liveDeskBack, liveDeskForm("라이브 상태를 바꿨습니다.", s.liveSwitchSubmit))))
	mux.Handle("POST /newsroom/articles/{id}/updates", s.page(formAction(s, writer, liveDeskBack, liveDeskForm("업데이트를 올렸습니다.", s.postUpdateSubmit))))
	mux.Handle("POST /newsroom/articles/{id}/updates/{update}", s.page(formAction(s, writer, liveDeskBack, liveDeskForm("업데이트를 정정했습니다.", s.correctUpdateSubmit))))
	mux.Handle("POST /newsroom/articles/{id}/updates/{update}/pin", s.page(formAction(s, writer, liveDeskBack, liveDeskForm("고정 상태를 바꿨습니다.", s.pinUpdateSubmit))))
	mux.Handle("POST /newsroom/articles/{id}/updates/{update}/delete", s.page(formAction(s, writer, liveDeskBack, liveDeskForm("업데이트를 삭제했습니다.", s.deleteUpdateSubmit))))

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
	full := s.timed(s.recoverer(s.securityHeaders(s.limitInput(csrf.Handler(s.withViewer(s.mailNotice(noteRoute(mux))))))))
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
	for _, prefix := range []string{"/me/", "/newsroom/", "/api/v1/me/", "/api/v1/newsroom/", "/api/v1/auth/", "/auth/", "/login/"} {
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
