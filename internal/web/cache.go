package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/singleflight"

	"jikji/internal/news"
)

// pageCache keeps rendered anonymous responses in memory, compressed
// ahead of time, and drops exactly the ones a write makes stale. A burst of
// writes to one article is coalesced: its pages are re-rendered at most once
// per coalesce interval, so readers see new counts within that interval.
type pageCache struct {
	coalesce time.Duration
	maxBytes int
	now      func() time.Time

	mu        sync.Mutex
	entries   map[string]*cacheEntry
	byArticle map[int64]map[string]*cacheEntry
	size      int
	// lastChange remembers when each tag last changed, so a page rendered
	// while a write landed is not kept as fresh.
	articleChanged map[int64]time.Time
	listsChanged   time.Time
	allChanged     time.Time
	// The same for writes this process made, which drop pages at once: a
	// page whose render began before such a write is never kept.
	articleWritten map[int64]time.Time
	listsWritten   time.Time
	allWritten     time.Time
	// generation counts this process's writes. It is part of the key of an
	// in-flight render, so a request after a write never waits for a render
	// that began before it.
	generation uint64

	flights singleflight.Group
}

// maxCacheAge bounds how long any page is kept without a write.
const maxCacheAge = time.Minute

// cacheEntry is one cached response with its encodings.
type cacheEntry struct {
	key         string
	route       string // the mux pattern that rendered it, for metrics
	status      int
	header      http.Header
	body, gz    []byte
	br          []byte
	etag        string
	articles    []int64
	lists       bool
	renderedAt  time.Time
	staleAfter  time.Time // zero while fresh
	lastTouched time.Time
	// Complete header sets for each encoding, ready to copy: the hot path
	// does no formatting or canonicalising.
	plainHeader, gzHeader, brHeader http.Header

	// The page cut at its personal regions, made on first use.
	layoutOnce sync.Once
	personal   *pageLayout
	layoutErr  error
}

func newPageCache(coalesce time.Duration, maxBytes int) *pageCache {
	return &pageCache{
		coalesce: coalesce, maxBytes: maxBytes, now: time.Now,
		entries: map[string]*cacheEntry{}, byArticle: map[int64]map[string]*cacheEntry{},
		articleChanged: map[int64]time.Time{}, articleWritten: map[int64]time.Time{},
	}
}

// invalidate drops the entries a change touches: at once for this
// process's own writes, after the coalesce interval for other processes'
// (a burst of writes elsewhere then costs one render per interval).
func (c *pageCache) invalidate(ch news.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	var mark func(e *cacheEntry)
	if ch.Local {
		c.generation++
		mark = c.removeLocked
		switch {
		case ch.All:
			c.allWritten = now
		case ch.Lists:
			c.listsWritten = now
		}
		if ch.ArticleID != 0 {
			c.articleWritten[ch.ArticleID] = now
		}
	} else {
		deadline := now.Add(c.coalesce)
		mark = func(e *cacheEntry) {
			if e.staleAfter.IsZero() || e.staleAfter.After(deadline) {
				e.staleAfter = deadline
			}
		}
		switch {
		case ch.All:
			c.allChanged = now
		case ch.Lists:
			c.listsChanged = now
		}
		if ch.ArticleID != 0 {
			c.articleChanged[ch.ArticleID] = now
		}
	}
	switch {
	case ch.All:
		for _, e := range c.entries {
			mark(e)
		}
		return
	case ch.Lists:
		for _, e := range c.entries {
			if e.lists {
				mark(e)
			}
		}
	}
	if ch.ArticleID != 0 {
		for _, e := range c.byArticle[ch.ArticleID] {
			mark(e)
		}
	}
}

// flightKey is the key under which concurrent renders of key are shared.
func (c *pageCache) flightKey(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strconv.FormatUint(c.generation, 10) + " " + key
}

// lookup returns a fresh entry, or nil.
func (c *pageCache) lookup(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		return nil
	}
	now := c.now()
	if !e.staleAfter.IsZero() && now.After(e.staleAfter) {
		return nil
	}
	e.lastTouched = now
	return e
}

// store keeps e unless a tag it depends on changed while it was rendered;
// then it is kept only until the coalesce interval after that change.
func (c *pageCache) store(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	latest := c.allChanged
	if e.lists && c.listsChanged.After(latest) {
		latest = c.listsChanged
	}
	written := c.allWritten
	if e.lists && c.listsWritten.After(written) {
		written = c.listsWritten
	}
	for _, id := range e.articles {
		if t := c.articleChanged[id]; t.After(latest) {
			latest = t
		}
		if t := c.articleWritten[id]; t.After(written) {
			written = t
		}
	}
	if !written.Before(e.renderedAt) {
		// Rendered while this process wrote something it shows: it may
		// hold the old answer, and the writer must not be served it.
		return
	}
	// Pages that change with the clock alone (the breaking strip's window,
	// a scheduled story's time) are rendered again at least once a minute.
	e.staleAfter = e.renderedAt.Add(maxCacheAge)
	if !latest.Before(e.renderedAt) {
		e.staleAfter = latest.Add(c.coalesce)
	}
	if old := c.entries[e.key]; old != nil {
		c.removeLocked(old)
	}
	c.entries[e.key] = e
	for _, id := range e.articles {
		m := c.byArticle[id]
		if m == nil {
			m = map[string]*cacheEntry{}
			c.byArticle[id] = m
		}
		m[e.key] = e
	}
	c.size += e.cost()
	if c.size > c.maxBytes {
		c.evictLocked()
	}
}

func (e *cacheEntry) cost() int { return len(e.key) + len(e.body) + len(e.gz) + len(e.br) + 512 }

func (c *pageCache) removeLocked(e *cacheEntry) {
	delete(c.entries, e.key)
	for _, id := range e.articles {
		if m := c.byArticle[id]; m != nil {
			delete(m, e.key)
			if len(m) == 0 {
				delete(c.byArticle, id)
			}
		}
	}
	c.size -= e.cost()
}

// evictLocked drops the entries untouched for longer than the mean: the
// least recently used, without sorting.
func (c *pageCache) evictLocked() {
	type aged struct {
		e *cacheEntry
		t time.Time
	}
	all := make([]aged, 0, len(c.entries))
	for _, e := range c.entries {
		all = append(all, aged{e, e.lastTouched})
	}
	var total time.Duration
	now := c.now()
	for _, a := range all {
		total += now.Sub(a.t)
	}
	if len(all) == 0 {
		return
	}
	mean := total / time.Duration(len(all))
	for _, a := range all {
		if now.Sub(a.t) >= mean {
			c.removeLocked(a.e)
		}
	}
	// Forget change times nobody depends on any more.
	for _, changed := range []map[int64]time.Time{c.articleChanged, c.articleWritten} {
		for id, t := range changed {
			if _, ok := c.byArticle[id]; !ok && now.Sub(t) > time.Minute {
				delete(changed, id)
			}
		}
	}
}

// cacheTags collects what a response depends on, set by handlers.
type cacheTags struct {
	articles []int64
	lists    bool
	noStore  bool
}

type tagsKey struct{}

// dependsOnArticle records that the response shows the article.
func dependsOnArticle(r *http.Request, id int64) {
	if t, ok := r.Context().Value(tagsKey{}).(*cacheTags); ok {
		t.articles = append(t.articles, id)
	}
}

// dependsOnLists records that the response lists articles.
func dependsOnLists(r *http.Request) {
	if t, ok := r.Context().Value(tagsKey{}).(*cacheTags); ok {
		t.lists = true
	}
}

// bufferedResponse captures a handler's response for the cache.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// cacheable reports whether a request may be served from the shared cache
// as it is: an anonymous GET or HEAD with nothing personal pending.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if len(r.Header["Cookie"]) == 0 {
		return len(r.Header["Authorization"]) == 0
	}
	for _, name := range []string{sessionCookie, flashCookie} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return false
		}
	}
	return r.Header.Get("Authorization") == ""
}

// cached serves h's pages from the page cache: as they are to anonymous
// readers, and with their personal regions filled to logged-in ones. The
// page is rendered from, and kept under, its path and only the query
// parameters it reads (params): links shared with tracking parameters
// (utm_source=…, fbclid=…) all hit one entry.
func (s *Server) cached(h http.Handler, params ...string) http.Handler {
	return s.cachedPage(h, false, params)
}

// cachedAnonymous is cached for answers with no personal regions (JSON
// that holds the reader's own state): logged-in readers are answered
// directly.
func (s *Server) cachedAnonymous(h http.Handler, params ...string) http.Handler {
	return s.cachedPage(h, true, params)
}

// errRenderPanicked is the answer of every request that waited on a
// render that panicked.
var errRenderPanicked = errors.New("render panicked")

func (s *Server) cachedPage(h http.Handler, anonymousOnly bool, params []string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.Header.Get("Authorization") != "" {
			h.ServeHTTP(w, r)
			return
		}
		anonymous := cacheable(r)
		if anonymousOnly && !anonymous {
			w.Header().Set("Cache-Control", "private, no-store")
			h.ServeHTTP(w, r)
			return
		}
		r = withQueryOnly(r, params)
		key := r.URL.RequestURI()
		var e *cacheEntry
		var err error
		switch {
		case s.cache == nil:
			// Without a page cache every page is still rendered once for
			// everyone and personalised, so readers see the same pages.
			e, err = s.renderForCache(h, r, key)
		case anonymous || !s.Svc.WroteRecently(viewer(r).ID):
			e = s.cache.lookup(key)
		}
		if e == nil && err == nil && s.cache != nil {
			s.metrics.misses.Inc()
			// Readers asking for the same page while it renders share the
			// one render; each may leave early without stopping it.
			ch := s.cache.flights.DoChan(s.cache.flightKey(key), func() (any, error) {
				return s.renderForCache(h, r, key)
			})
			select {
			case res := <-ch:
				e, _ = res.Val.(*cacheEntry)
				err = res.Err
			case <-r.Context().Done():
				return
			}
		}
		if err != nil {
			s.refuse(w, r, err) // logged where it happened
			return
		}
		if e == nil {
			// Not cacheable after all (an error page): render it for this
			// request alone.
			w.Header().Set("Cache-Control", "private, no-cache")
			h.ServeHTTP(w, r)
			return
		}
		if anonymous {
			e.serve(w, r)
			return
		}
		if err := s.servePersonal(w, r, e); err != nil {
			s.Logger.Error("personal page", "path", r.URL.Path, "err", err)
			s.renderError(w, r, http.StatusInternalServerError, news.ErrorMessage(err))
		}
	})
}

// withQueryOnly returns r with its query cut to params, in a canonical
// order and encoding.
func withQueryOnly(r *http.Request, params []string) *http.Request {
	if r.URL.RawQuery == "" {
		return r
	}
	q := r.URL.Query()
	kept := url.Values{}
	for _, p := range params {
		if vs, ok := q[p]; ok {
			kept[p] = vs
		}
	}
	raw := kept.Encode()
	if raw == r.URL.RawQuery {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.RawQuery = raw
	r2.URL = &u
	return r2
}

// renderForCache runs the handler for an anonymous request and makes an
// entry of a cacheable answer (nil for one that is not). A panic in the
// handler is logged and returned as errRenderPanicked, so the readers
// waiting on the render get an error page and the next request renders
// anew.
func (s *Server) renderForCache(h http.Handler, r *http.Request, key string) (e *cacheEntry, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			e, err = nil, errRenderPanicked
		}
	}()
	tags := &cacheTags{}
	started := time.Now()
	// The render must not be cut short by the first reader going away:
	// others are waiting for it.
	ctx := context.WithValue(context.WithoutCancel(r.Context()), tagsKey{}, tags)
	// Rendered as for an anonymous reader, whoever asked.
	ctx = context.WithValue(ctx, viewerKey{}, news.Account{})
	rec := &bufferedResponse{header: http.Header{}}
	h.ServeHTTP(rec, r.WithContext(ctx))
	if rec.status != http.StatusOK && rec.status != http.StatusNotFound {
		return nil, nil
	}
	if tags.noStore || rec.header.Get("Set-Cookie") != "" || (rec.status == http.StatusNotFound && len(tags.articles) == 0 && !tags.lists) {
		return nil, nil
	}
	body := rec.body.Bytes()
	sum := sha256.Sum256(body)
	e = &cacheEntry{
		key: key, route: r.Pattern, status: rec.status, header: rec.header, body: body,
		etag:     `"` + hex.EncodeToString(sum[:12]) + `"`,
		articles: tags.articles, lists: tags.lists, renderedAt: started, lastTouched: started,
	}
	// Compressing ahead pays only when the page is kept for other readers.
	if s.cache != nil && compressible(rec.header.Get("Content-Type")) && len(body) > 512 {
		e.gz = gzipBytes(body)
		e.br = brotliBytes(body)
	}
	e.prepareHeaders()
	if s.cache != nil {
		s.cache.store(e)
	}
	return e, nil
}

// prepareHeaders builds the full response headers of each encoding once.
func (e *cacheEntry) prepareHeaders() {
	base := e.header.Clone()
	setSecurityHeaders(base)
	base.Set("ETag", e.etag)
	// A CDN may keep it for a second, within the freshness promise; the
	// page differs for readers with a session cookie.
	base.Set("Cache-Control", "public, max-age=0, s-maxage=1, must-revalidate")
	base.Set("Vary", "Accept-Encoding, Cookie")
	with := func(body []byte, encoding string) http.Header {
		h := base.Clone()
		if encoding != "" {
			h.Set("Content-Encoding", encoding)
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		return h
	}
	e.plainHeader = with(e.body, "")
	if e.gz != nil {
		e.gzHeader = with(e.gz, "gzip")
		e.brHeader = with(e.br, "br")
	}
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "json") || strings.Contains(contentType, "xml") || strings.Contains(contentType, "javascript")
}

// Compressors are pooled: each holds megabytes of tables, and a burst of
// pages rendered for the cache at once must not allocate one per page.
var (
	gzipPool   = sync.Pool{New: func() any { zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression); return zw }}
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, 6) }}
)

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipPool.Put(zw)
	return buf.Bytes()
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	bw := brotliPool.Get().(*brotli.Writer)
	bw.Reset(&buf)
	bw.Write(b)
	bw.Close()
	brotliPool.Put(bw)
	return buf.Bytes()
}

// serve writes the entry, answering If-None-Match with 304 and choosing the
// best encoding the client accepts.
func (e *cacheEntry) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if e.status == http.StatusOK && etagMatch(r.Header.Get("If-None-Match"), e.etag) {
		for k, v := range e.plainHeader {
			if k != "Content-Length" {
				h[k] = v
			}
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, header := e.body, e.plainHeader
	switch enc := acceptEncoding(r.Header.Get("Accept-Encoding")); {
	case enc == "br" && e.br != nil:
		body, header = e.br, e.brHeader
	case enc != "" && e.gz != nil:
		body, header = e.gz, e.gzHeader
	}
	for k, v := range header {
		h[k] = v
	}
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// serveCached answers a request straight from the cache, before any routing
// or middleware, when a fresh entry exists: the surge path.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request) bool {
	if s.cache == nil || !cacheable(r) {
		return false
	}
	started := time.Now()
	e := s.cache.lookup(r.URL.RequestURI())
	if e == nil {
		return false
	}
	s.metrics.hits.Inc()
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") != "" || strings.HasPrefix(s.BaseURL, "https://") {
		s.setHSTS(w.Header(), r)
	}
	e.serve(w, r)
	s.metrics.observe(e.route, started)
	return true
}

func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == etag || part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptEncoding picks "br", "gzip" or "" from an Accept-Encoding header,
// without allocating: it runs on every cached answer.
func acceptEncoding(header string) string {
	var br, gz bool
	for header != "" {
		part := header
		if i := strings.IndexByte(header, ','); i >= 0 {
			part, header = header[:i], header[i+1:]
		} else {
			header = ""
		}
		name, params, _ := strings.Cut(part, ";")
		if refused(params) {
			continue
		}
		switch strings.TrimSpace(name) {
		case "br":
			br = true
		case "gzip", "*":
			gz = true
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}

// refused reports whether encoding parameters say q=0.
func refused(params string) bool {
	params = strings.TrimSpace(params)
	q, ok := strings.CutPrefix(params, "q=")
	if !ok {
		return false
	}
	q = strings.TrimRight(strings.TrimSpace(q), "0")
	return q == "0" || q == "0." || q == ""
}
