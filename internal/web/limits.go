package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"jikji/internal/news"
)

// Limits: rate limits (logins, sign-ups, readers' writes) and request sizes.

// Limits are the rate limits on readers' writes and on logins and
// sign-ups. A zero field keeps its default; Server.RateLimit false turns
// every one of them off.
type Limits struct {
	// CommentsPerMinute is per reader: comments and reports.
	CommentsPerMinute int
	// ReactionsPerMinute is per reader: 공감 표현, votes on comments, bookmarks.
	ReactionsPerMinute int
	// WritesPerMinutePerIP counts all of those from one address. Mobile
	// carriers put many readers behind one address, so it is generous.
	WritesPerMinutePerIP int
	// LoginsPerIP is per 15 minutes; LoginsPerAccount too.
	LoginsPerIP      int
	LoginsPerAccount int
	// SignupsPerIP is per hour.
	SignupsPerIP int
}

// DefaultLimits are the limits a site starts with.
var DefaultLimits = Limits{
	CommentsPerMinute:    5,
	ReactionsPerMinute:   60,
	WritesPerMinutePerIP: 300,
	LoginsPerIP:          30,
	LoginsPerAccount:     10,
	SignupsPerIP:         10,
}

// writeLimiters are the limiters of readers' writes.
type writeLimiters struct {
	comments, reactions, byIP *limiter
}

// SetLimits replaces the rate limits; zero fields keep their defaults.
func (s *Server) SetLimits(l Limits) {
	d := DefaultLimits
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	s.loginByIP = newLimiter(pick(l.LoginsPerIP, d.LoginsPerIP), 15*time.Minute)
	s.loginByAccount = newLimiter(pick(l.LoginsPerAccount, d.LoginsPerAccount), 15*time.Minute)
	s.signupByIP = newLimiter(pick(l.SignupsPerIP, d.SignupsPerIP), time.Hour)
	s.writes = writeLimiters{
		comments:  newLimiter(pick(l.CommentsPerMinute, d.CommentsPerMinute), time.Minute),
		reactions: newLimiter(pick(l.ReactionsPerMinute, d.ReactionsPerMinute), time.Minute),
		byIP:      newLimiter(pick(l.WritesPerMinutePerIP, d.WritesPerMinutePerIP), time.Minute),
	}
}

// Kinds of throttled writes.
const (
	writeComment  = "comment"
	writeReaction = "reaction"
)

// throttle refuses a reader's write over its per-reader or per-address
// limit with 429, a Korean message and Retry-After, before the handler
// runs. Anonymous requests pass: the handler sends them to log in.
func (s *Server) throttle(kind string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer(r)
		if !s.RateLimit || v.ID == 0 || s.writes.byIP == nil {
			next.ServeHTTP(w, r)
			return
		}
		l := s.writes.reactions
		if kind == writeComment {
			l = s.writes.comments
		}
		err := s.limited(w, l, strconv.FormatInt(v.ID, 10))
		if err == nil {
			err = s.limited(w, s.writes.byIP, s.clientIP(r))
		}
		if err != nil {
			if r.Pattern == "POST /articles/{id}/comments" {
				// A comment form: back to the box, text kept.
				id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
				s.keepDraft(w, r)
				s.refuseForm(w, r, commentsBack(r, max(id, 1)), done{}, err)
				return
			}
			s.refuse(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refuse answers err as JSON under /api/ and as the error page elsewhere.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	st := httpStatus(err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, st, apiError{Error: news.ErrorMessage(err), Code: news.ErrorCode(err), Title: news.ErrorTitle(err)})
		return
	}
	s.renderError(w, r, st, news.ErrorMessage(err))
}

// setRetryAfter sends Retry-After for a refusal that says when to retry.
func setRetryAfter(w http.ResponseWriter, err error) {
	var re *news.RetryError
	if errors.As(err, &re) {
		w.Header().Set("Retry-After", strconv.Itoa(int(re.After/time.Second)+1))
	}
}

// Request size limits.
const (
	// maxFormBody bounds reader forms and JSON; the newsroom's article
	// forms get maxDeskBody, photo uploads their own configured limit.
	maxFormBody = 256 << 10
	maxDeskBody = 4 << 20
)

// limitInput bounds every request body, refuses paths, queries and form
// values that are not valid UTF-8 or hold a NUL character, and parses url-encoded forms up front
// so that a body over the limit is answered 413 rather than read as an
// empty form.
func (s *Server) limitInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !utf8.ValidString(r.URL.Path) || !utf8.ValidString(r.URL.RawQuery) {
			s.refuse(w, r, news.Errorf(news.EINVALID, "주소에 올바르지 않은 문자(UTF-8)가 있습니다."))
			return
		}
		query := decodedQuery(r)
		if !utf8.ValidString(query) {
			s.refuse(w, r, news.Errorf(news.EINVALID, "주소에 올바르지 않은 문자(UTF-8)가 있습니다."))
			return
		}
		if strings.IndexByte(r.URL.Path, 0) >= 0 || strings.IndexByte(query, 0) >= 0 {
			s.refuse(w, r, errNUL)
			return
		}
		limit := int64(maxFormBody)
		upload := s.MaxUploadBytes
		if upload <= 0 {
			upload = DefaultMaxUpload
		}
		desk := strings.HasPrefix(r.URL.Path, "/newsroom/") || strings.HasPrefix(r.URL.Path, "/api/v1/newsroom/")
		switch {
		case desk && strings.HasSuffix(r.URL.Path, "/photos"):
			// The upload handler bounds the photo itself, with its own
			// message; this only stops a body far past any photo.
			limit = 2*upload + 1<<20
		case desk:
			limit = maxDeskBody
		}
		if r.ContentLength > limit {
			s.refuse(w, r, news.Errorf(news.ETOOLARGE, "요청 본문이 너무 큽니다."))
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			var form url.Values
			var err error
			switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); {
			case mt == "application/x-www-form-urlencoded":
				err = r.ParseForm()
				form = r.PostForm
			case mt == "multipart/form-data" && !strings.HasSuffix(r.URL.Path, "/photos"):
				// Any form handler would read a multipart body as well;
				// photo uploads are streamed and checked part by part.
				if err = r.ParseMultipartForm(maxFormBody); err == nil {
					form = r.MultipartForm.Value
				}
			}
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.refuse(w, r, news.Errorf(news.ETOOLARGE, "요청 본문이 너무 큽니다."))
				} else {
					s.refuse(w, r, news.Errorf(news.EINVALID, "요청 본문을 읽을 수 없습니다."))
				}
				return
			}
			for k, vs := range form {
				for _, v := range append(vs, k) {
					if !utf8.ValidString(v) {
						s.refuse(w, r, news.Errorf(news.EINVALID, "입력에 올바르지 않은 문자(UTF-8)가 있습니다."))
						return
					}
					if strings.IndexByte(v, 0) >= 0 {
						s.refuse(w, r, errNUL)
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// decodedQuery is the query string's keys and values with their escapes
// undone, run together.
func decodedQuery(r *http.Request) string {
	var b strings.Builder
	for k, vs := range r.URL.Query() {
		b.WriteString(k)
		for _, v := range vs {
			b.WriteString(v)
		}
	}
	return b.String()
}

// limited refuses an event over its limit with 429 and Retry-After.
func (s *Server) limited(w http.ResponseWriter, l *limiter, key string) error {
	if !s.RateLimit {
		return nil
	}
	if ok, wait := l.allow(key); !ok {
		secs := int(wait/time.Second) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return news.Errorf(news.ERATELIMITED, "요청이 너무 많습니다. %d초 후에 다시 시도해주세요.", secs)
	}
	return nil
}

// limiter allows at most n events per key in a fixed window that starts at
// the key's first event: cheap, memory-bounded, and it can say exactly when
// the next event is allowed (Retry-After). A burst across a window's end
// may pass up to 2n, which abuse control tolerates.
type limiter struct {
	n      int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	start time.Time
	count int
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, now: time.Now, buckets: map[string]*bucket{}}
}

// allow records an event for key and reports whether it is within the
// limit, and if not, how long until it would be.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.sweep) > l.window {
		for k, b := range l.buckets {
			if now.Sub(b.start) >= l.window {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok || now.Sub(b.start) >= l.window {
		b = &bucket{start: now}
		l.buckets[key] = b
	}
	if b.count >= l.n {
		return false, b.start.Add(l.window).Sub(now)
	}
	b.count++
	return true, 0
}

// reset forgets a key, as after a successful login.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}
