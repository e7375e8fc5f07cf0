package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"jikji/internal/news"
)

// Live: server-sent events for open pages, live coverage (라이브) and the
// newsroom's view of readers now.

// DefaultLiveHeartbeat is how often an idle stream sends a comment line,
// so that proxies and browsers keep it open.
const DefaultLiveHeartbeat = 25 * time.Second

// liveRetry is how long a browser waits before reconnecting a dropped
// stream (the SSE retry field, in milliseconds).
const liveRetry = 3000

// liveStream serves GET /api/v1/live?article={id}: the events of an
// article's page (and those every page shows), or, without an article,
// those every page shows. A browser that reconnects sends Last-Event-ID
// (or last_event_id in the query, for a stream it opens anew) and gets
// what it missed, once.
func (s *Server) liveStream(w http.ResponseWriter, r *http.Request) error {
	var articleID int64
	q := r.URL.Query()
	if raw := q.Get("article"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return news.Errorf(news.EINVALID, "기사 번호가 올바르지 않습니다.")
		}
		articleID = id
	}
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = q.Get("last_event_id")
	}
	lastID, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || lastID < 0 {
		lastID = 0
	}
	st, backlog, pos, err := s.Svc.OpenLive(r.Context(), articleID, lastID)
	if err != nil {
		return err
	}
	hijacked := false
	defer func() {
		if !hijacked {
			st.Close()
		}
	}()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "private, no-store, no-transform")
	// nginx and others buffer answers unless told not to.
	h.Set("X-Accel-Buffering", "no")
	last := lastID
	var b []byte
	b = fmt.Appendf(b, "retry: %d\n", liveRetry)
	if last <= 0 || last > pos {
		if last <= 0 {
			last = pos
		}
		// An id without data sets the browser's last event id without
		// dispatching anything: a reconnect resumes from here.
		b = fmt.Appendf(b, "id: %d\n", last)
	}
	b = append(b, '\n')
	for _, ev := range backlog {
		if ev.ID > last {
			b = appendEvent(b, ev)
			last = ev.ID
		}
	}
	// Over HTTP/1.1 the connection is taken from the server and written
	// by the node's few stream writers: an open page then costs no
	// goroutine of its own but the one that notices it close.
	if conn, _, err := rc.Hijack(); err == nil {
		hijacked = true
		s.liveWriters.take(conn, h, b, st, last)
		return nil
	}
	// The server's write timeout is for ordinary answers; a stream stays.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(b); err != nil {
		return nil
	}
	if err := rc.Flush(); err != nil {
		return nil
	}
	for {
		b = b[:0]
		select {
		case <-r.Context().Done():
			return nil
		case <-st.Done():
			return nil
		case <-s.liveBeat():
			b = append(b, ": \n\n"...)
		case ev := <-st.C:
			if ev.ID > last {
				b, last = appendEvent(b, *ev), ev.ID
			}
			// Send what else is waiting in the same write.
			for more := true; more; {
				select {
				case ev := <-st.C:
					if ev.ID > last {
						b, last = appendEvent(b, *ev), ev.ID
					}
				default:
					more = false
				}
			}
		}
		if len(b) == 0 {
			continue
		}
		if _, err := w.Write(b); err != nil {
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}

// liveWriters write the streams whose connections were taken from the
// server, from a few goroutines (shards) for all of them.
type liveWriters struct {
	once   sync.Once
	shards []*liveShard
	next   atomic.Uint64
	beat   func() <-chan struct{}
}

// liveShard writes its streams' events in the order they came.
type liveShard struct {
	mu      sync.Mutex
	queue   []liveWrite
	streams map[*rawStream]struct{}
	kick    chan struct{}
}

// liveWrite is an event for a stream, or a heartbeat (ev nil).
type liveWrite struct {
	rs *rawStream
	ev *news.LiveEvent
}

// rawStream is a stream on a connection taken from the server.
type rawStream struct {
	conn net.Conn
	st   *news.LiveStream
	last int64 // only the shard's goroutine touches it once attached
}

// liveWriteTimeout is how long a write to one stream may take before the
// stream is dropped (its browser reconnects and resumes).
const liveWriteTimeout = 5 * time.Second

// take writes the answer's head and first bytes to conn and hands the
// stream to a shard.
func (lw *liveWriters) take(conn net.Conn, header http.Header, first []byte, st *news.LiveStream, last int64) {
	lw.once.Do(func() {
		for range 4 {
			sh := &liveShard{streams: map[*rawStream]struct{}{}, kick: make(chan struct{}, 1)}
			lw.shards = append(lw.shards, sh)
			go sh.run(lw.beat)
		}
	})
	var b []byte
	b = append(b, "HTTP/1.1 200 OK\r\n"...)
	for k, vs := range header {
		for _, v := range vs {
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	// No length and no chunks: the body ends when the connection does.
	b = append(b, "Connection: close\r\n\r\n"...)
	b = append(b, first...)
	conn.SetWriteDeadline(time.Now().Add(liveWriteTimeout))
	if _, err := conn.Write(b); err != nil {
		conn.Close()
		st.Close()
		return
	}
	rs := &rawStream{conn: conn, st: st, last: last}
	sh := lw.shards[lw.next.Add(1)%uint64(len(lw.shards))]
	sh.mu.Lock()
	sh.streams[rs] = struct{}{}
	sh.mu.Unlock()
	var ended sync.Once
	st.Attach(func(ev *news.LiveEvent) { sh.enqueue(liveWrite{rs, ev}) }, func() {
		ended.Do(func() {
			conn.Close()
			sh.mu.Lock()
			delete(sh.streams, rs)
			sh.mu.Unlock()
		})
	})
	// A reader gone is noticed at once, not at the next write: the
	// browser sends nothing more on this connection.
	go func() {
		var one [1]byte
		conn.SetReadDeadline(time.Time{})
		conn.Read(one[:])
		st.Close()
	}()
}

func (sh *liveShard) enqueue(w liveWrite) {
	sh.mu.Lock()
	sh.queue = append(sh.queue, w)
	sh.mu.Unlock()
	select {
	case sh.kick <- struct{}{}:
	default:
	}
}

func (sh *liveShard) run(beat func() <-chan struct{}) {
	for {
		select {
		case <-sh.kick:
		case <-beat():
			sh.mu.Lock()
			for rs := range sh.streams {
				sh.queue = append(sh.queue, liveWrite{rs: rs})
			}
			sh.mu.Unlock()
		}
		sh.mu.Lock()
		queue := sh.queue
		sh.queue = nil
		sh.mu.Unlock()
		// Each event is encoded once, and each stream gets what is
		// waiting for it in one write.
		encoded := map[*news.LiveEvent][]byte{}
		pending := map[*rawStream][]byte{}
		var order []*rawStream
		for _, w := range queue {
			var b []byte
			if w.ev == nil {
				b = heartbeatLine
			} else {
				if w.ev.ID <= w.rs.last {
					continue
				}
				w.rs.last = w.ev.ID
				if b = encoded[w.ev]; b == nil {
					b = appendEvent(nil, *w.ev)
					encoded[w.ev] = b
				}
			}
			if _, ok := pending[w.rs]; !ok {
				order = append(order, w.rs)
			}
			pending[w.rs] = append(pending[w.rs], b...)
		}
		for _, rs := range order {
			rs.conn.SetWriteDeadline(time.Now().Add(liveWriteTimeout))
			if _, err := rs.conn.Write(pending[rs]); err != nil {
				rs.st.Close()
			}
		}
	}
}

var heartbeatLine = []byte(": \n\n")

// liveBeat returns a channel closed at the next heartbeat. One timer
// serves every stream of the node: thousands of idle streams hold no
// timer each.
func (s *Server) liveBeat() <-chan struct{} {
	b := &s.heartbeat
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.next == nil {
		every := s.LiveHeartbeat
		if every <= 0 {
			every = DefaultLiveHeartbeat
		}
		next := make(chan struct{})
		b.next = next
		time.AfterFunc(every, func() {
			b.mu.Lock()
			b.next = nil
			b.mu.Unlock()
			close(next)
		})
	}
	return b.next
}

// liveHeartbeat is the shared heartbeat of a node's streams.
type liveHeartbeat struct {
	mu   sync.Mutex
	next chan struct{}
}

// appendEvent writes one event in the text/event-stream format. Its data
// is one line of JSON (encoding/json escapes newlines in strings).
func appendEvent(b []byte, ev news.LiveEvent) []byte {
	b = fmt.Appendf(b, "id: %d\nevent: %s\ndata: ", ev.ID, ev.Kind)
	b = append(b, ev.Data...)
	return append(b, '\n', '\n')
}

// liveInput is the body of PUT …/live.
type liveInput struct {
	Live *bool `json:"live"`
}

func (s *Server) apiSetLive(r *http.Request, v news.Account, id int64, in liveInput) (any, error) {
	if in.Live == nil {
		return nil, news.Errorf(news.EINVALID, "live 값(true 또는 false)을 보내주세요.")
	}
	c, err := s.Svc.SetCoverage(r.Context(), v, id, *in.Live)
	if err != nil {
		return nil, err
	}
	return coverageJSON(c), nil
}

func coverageJSON(c news.Coverage) map[string]any {
	out := map[string]any{"article_id": c.ArticleID, "live": c.Live, "started_at": news.RFC3339KST(c.StartedAt)}
	if !c.EndedAt.IsZero() {
		out["ended_at"] = news.RFC3339KST(c.EndedAt)
	}
	return out
}

// updateInput is the body of POST and PATCH …/updates.
type updateInput struct {
	Body        *string `json:"body"`
	Quote       *string `json:"quote"`
	QuoteSource *string `json:"quote_source"`
	PhotoID     *int64  `json:"photo_id"`
	Pinned      *bool   `json:"pinned"`
}

func (in updateInput) domain() news.LiveUpdateInput {
	return news.LiveUpdateInput{Body: in.Body, Quote: in.Quote, QuoteSource: in.QuoteSource, PhotoID: in.PhotoID, Pinned: in.Pinned}
}

func (s *Server) apiPostUpdate(r *http.Request, v news.Account, id int64, in updateInput) (any, error) {
	u, err := s.Svc.PostLiveUpdate(r.Context(), v, id, in.domain())
	if err != nil {
		return nil, err
	}
	return u.JSON(), nil
}

// updateID parses the {update} of the path.
func updateID(r *http.Request) (int64, error) {
	return pathID(r, "update")
}

func (s *Server) apiPatchUpdate(r *http.Request, v news.Account, id int64, in updateInput) (any, error) {
	uid, err := updateID(r)
	if err != nil {
		return nil, err
	}
	u, err := s.Svc.EditLiveUpdate(r.Context(), v, id, uid, in.domain())
	if err != nil {
		return nil, err
	}
	return u.JSON(), nil
}

func (s *Server) apiDeleteUpdate(r *http.Request, v news.Account, id int64, _ none) (any, error) {
	uid, err := updateID(r)
	if err != nil {
		return nil, err
	}
	if err := s.Svc.DeleteLiveUpdate(r.Context(), v, id, uid); err != nil {
		return nil, err
	}
	return map[string]any{"deleted": true, "id": uid}, nil
}

// apiUpdates serves GET /api/v1/articles/{id}/updates: {updates, next},
// newest first; the cursor is the last update's id.
func (s *Server) apiUpdates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dependsOnArticle(r, id)
	limit, err := parseLimit(r.URL.Query().Get("limit"))
	if err != nil {
		return err
	}
	var before int64
	if c := r.URL.Query().Get("cursor"); c != "" {
		if before, err = strconv.ParseInt(c, 10, 64); err != nil || before <= 0 {
			return news.Errorf(news.EINVALID, "잘못된 cursor 값입니다.")
		}
	}
	list, next, err := s.Svc.LiveUpdates(r.Context(), id, before, limit)
	if err != nil {
		return err
	}
	out := struct {
		Updates []any  `json:"updates"`
		Next    string `json:"next"`
	}{Updates: []any{}}
	for _, u := range list {
		out.Updates = append(out.Updates, s.updateJSON(u))
	}
	if next != 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// updateJSON adds the photo's address to an update's JSON.
func (s *Server) updateJSON(u news.LiveUpdate) any {
	j := u.JSON()
	if u.Photo == nil {
		return j
	}
	b, _ := json.Marshal(j)
	var m map[string]any
	json.Unmarshal(b, &m)
	m["photo_url"] = s.absURL(photoURL(u.PhotoID, updatePhotoWidth(u)))
	return m
}

// updatePhotoWidth picks the stored width an update's photo is shown at.
func updatePhotoWidth(u news.LiveUpdate) int { return u.PhotoWidth() }

// liveBlogLD turns an article's NewsArticle structured data into a
// LiveBlogPosting while its coverage runs, with the updates.
func (s *Server) liveBlogLD(meta *articleMeta, blog *news.LiveBlog) error {
	if blog == nil || !blog.Coverage.Live {
		return nil
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(meta.JSONLD), &ld); err != nil {
		return err
	}
	ld["@type"] = "LiveBlogPosting"
	ld["coverageStartTime"] = news.RFC3339KST(blog.Coverage.StartedAt)
	var updates []map[string]any
	for _, list := range [][]news.LiveUpdate{blog.Pinned, blog.Updates} {
		for _, u := range list {
			up := map[string]any{
				"@type": "BlogPosting", "headline": updateHeadline(u.Body), "articleBody": u.Body,
				"datePublished": news.RFC3339KST(u.CreatedAt),
				"url":           s.absURL(fmt.Sprintf("%s#update-%d", articlePath(u.ArticleID), u.ID)),
				"author":        map[string]string{"@type": "Person", "name": u.AuthorName},
			}
			if !u.CorrectedAt.IsZero() {
				up["dateModified"] = news.RFC3339KST(u.CorrectedAt)
			}
			if u.Photo != nil {
				up["image"] = s.absURL(photoURL(u.PhotoID, updatePhotoWidth(u)))
			}
			updates = append(updates, up)
		}
	}
	if updates != nil {
		ld["liveBlogUpdate"] = updates
	}
	b, err := json.Marshal(ld)
	if err != nil {
		return err
	}
	meta.JSONLD = template.JS(b)
	return nil
}

// updateHeadline is an update's first line, cut to a headline's length.
func updateHeadline(body string) string {
	line, _, _ := strings.Cut(body, "\n")
	if r := []rune(line); len(r) > 80 {
		line = string(r[:80]) + "…"
	}
	return line
}

// liveFeedItem adds a live story's updates to its feed item, and makes the
// feed depend on the story so that a new update drops it.
func (s *Server) liveFeedItem(r *http.Request, item *feedItem) error {
	blog, err := s.Svc.LiveBlog(r.Context(), item.Article.ID)
	if err != nil || blog == nil {
		return err
	}
	dependsOnArticle(r, item.Article.ID)
	all := append(append([]news.LiveUpdate{}, blog.Pinned...), blog.Updates...)
	if len(all) == 0 {
		return nil
	}
	newest := all[0]
	for _, u := range all {
		if u.CreatedAt.After(newest.CreatedAt) {
			newest = u
		}
	}
	if blog.Coverage.Live {
		item.Summary = fmt.Sprintf("[라이브 %s] %s — %s", news.FormatKST(newest.CreatedAt), updateHeadline(newest.Body), item.Summary)
	}
	if item.HTML != "" {
		var b strings.Builder
		b.WriteString("<section><h2>라이브</h2>")
		for _, u := range all {
			b.WriteString(updateHTML(s, u))
		}
		b.WriteString("</section>")
		item.HTML = b.String() + item.HTML
	}
	return nil
}

// updateHTML renders an update for feed readers.
func updateHTML(s *Server, u news.LiveUpdate) string {
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<article><p><time datetime="%s">%s</time> %s</p>`, news.RFC3339KST(u.CreatedAt), news.FormatKST(u.CreatedAt), esc(u.AuthorName))
	for _, p := range strings.Split(u.Body, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + esc(p) + "</p>")
		}
	}
	if u.Quote != "" {
		b.WriteString("<blockquote><p>" + esc(u.Quote) + "</p>")
		if u.QuoteSource != "" {
			b.WriteString("<footer>— <cite>" + esc(u.QuoteSource) + "</cite></footer>")
		}
		b.WriteString("</blockquote>")
	}
	if u.Photo != nil {
		w := updatePhotoWidth(u)
		fmt.Fprintf(&b, `<figure><img src="%s" width="%d" height="%d" alt="%s"></figure>`,
			esc(s.absURL(photoURL(u.PhotoID, w))), w, u.Photo.Height*w/max(u.Photo.Width, 1), esc(u.Photo.Alt))
	}
	if !u.CorrectedAt.IsZero() {
		fmt.Fprintf(&b, `<p><small>%s 정정. 정정 전: %s</small></p>`, news.FormatKST(u.CorrectedAt), esc(u.PreviousBody))
	}
	b.WriteString("</article>")
	return b.String()
}

// countRead counts a read of an article for the newsroom, classified by
// the Referer's host only; nothing else of the request is kept.
func (s *Server) countRead(r *http.Request, articleID int64) {
	if s.Svc.Live == nil {
		return
	}
	var host string
	if ref := r.Referer(); ref != "" {
		if u, err := url.Parse(ref); err == nil {
			host = u.Hostname()
		}
	}
	s.Svc.Live.CountRead(articleID, news.ReferrerSource(host, s.baseHost()))
}

// baseHost is the host of the configured base URL.
func (s *Server) baseHost() string {
	u, err := url.Parse(s.BaseURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// Newsroom pages of live coverage.

// liveDeskView is the newsroom page of one story's live coverage.
type liveDeskView struct {
	Article   news.Article
	Public    bool
	Blog      news.LiveBlog
	CanSwitch bool
}

// liveDeskPage serves /newsroom/articles/{id}/live, where reporters post
// updates and editors start and end the coverage.
func (s *Server) liveDeskPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Svc.NewsroomArticle(r.Context(), v, id)
	if err != nil {
		return err
	}
	view := liveDeskView{Article: d.Article, CanSwitch: news.CanPublish(v.Role)}
	if _, err := s.Svc.PublicArticle(r.Context(), id); err == nil {
		view.Public = true
	} else if !news.IsNotFound(err) {
		return err
	}
	blog, err := s.Svc.LiveBlog(r.Context(), id)
	if err != nil {
		return err
	}
	if blog != nil {
		view.Blog = *blog
	}
	return s.render(w, r, http.StatusOK, "newsroom_live_story", "라이브: "+d.Headline, view)
}

// liveDeskBack returns a live desk form to the story's live desk page.
func liveDeskBack(_ *http.Request, id int64) string {
	return fmt.Sprintf("/newsroom/articles/%d/live", id)
}

// liveDeskForm makes a live desk action a form route's action, with the
// notice it leaves on the page. The actions read their own fields (an
// update's text, photo and quote).
func liveDeskForm(notice string, do func(r *http.Request, v news.Account, id int64) error) formDo[none] {
	return func(r *http.Request, v news.Account, id int64, _ none) (done, error) {
		return done{Notice: notice}, do(r, v, id)
	}
}

func (s *Server) liveSwitchSubmit(r *http.Request, v news.Account, id int64) error {
	_, err := s.Svc.SetCoverage(r.Context(), v, id, r.PostFormValue("live") == "1")
	return err
}

// formUpdate reads an update's form fields.
func formUpdate(r *http.Request) (news.LiveUpdateInput, error) {
	body, quote, source := r.PostFormValue("body"), r.PostFormValue("quote"), r.PostFormValue("quote_source")
	in := news.LiveUpdateInput{Body: &body, Quote: &quote, QuoteSource: &source}
	var photo int64
	if raw := strings.TrimSpace(r.PostFormValue("photo_id")); raw != "" {
		var err error
		if photo, err = strconv.ParseInt(raw, 10, 64); err != nil || photo < 0 {
			return in, news.Errorf(news.EINVALID, "사진 번호는 숫자로 입력해주세요.")
		}
	}
	in.PhotoID = &photo
	pinned := r.PostFormValue("pinned") == "1"
	in.Pinned = &pinned
	return in, nil
}

func (s *Server) postUpdateSubmit(r *http.Request, v news.Account, id int64) error {
	in, err := formUpdate(r)
	if err != nil {
		return err
	}
	_, err = s.Svc.PostLiveUpdate(r.Context(), v, id, in)
	return err
}

func (s *Server) correctUpdateSubmit(r *http.Request, v news.Account, id int64) error {
	uid, err := updateID(r)
	if err != nil {
		return err
	}
	in, err := formUpdate(r)
	if err != nil {
		return err
	}
	_, err = s.Svc.EditLiveUpdate(r.Context(), v, id, uid, in)
	return err
}

func (s *Server) pinUpdateSubmit(r *http.Request, v news.Account, id int64) error {
	uid, err := updateID(r)
	if err != nil {
		return err
	}
	pinned := r.PostFormValue("pinned") == "1"
	_, err = s.Svc.EditLiveUpdate(r.Context(), v, id, uid, news.LiveUpdateInput{Pinned: &pinned})
	return err
}

func (s *Server) deleteUpdateSubmit(r *http.Request, v news.Account, id int64) error {
	uid, err := updateID(r)
	if err != nil {
		return err
	}
	return s.Svc.DeleteLiveUpdate(r.Context(), v, id, uid)
}

// The newsroom's view of readers now.

// chartView is one chart drawn on the server, with its numbers as a table.
type chartView struct {
	ID    string
	Title string
	SVG   template.HTML
	Rows  []chartRow
	Total int64
}

type chartRow struct {
	Label string
	Count int64
}

// shareRow is one part of a whole: a source of readers, a reaction.
type shareRow struct {
	Name    string
	Count   int64
	Percent int
}

// dashboardView is /newsroom/live.
type dashboardView struct {
	D         news.Dashboard
	Updated   string
	PerMinute chartView
	PerHour   chartView
	Comments  chartView
	Sources   []shareRow
	Reactions []shareRow
}

var sourceNames = map[string]string{
	news.SourceSearch: "검색", news.SourceSocial: "소셜 미디어", news.SourceDirect: "직접 방문",
	news.SourceInternal: "사이트 내부", news.SourceOther: "다른 사이트",
}

func (s *Server) liveDashboardPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	var story int64
	if raw := r.URL.Query().Get("article"); raw != "" {
		var err error
		if story, err = strconv.ParseInt(raw, 10, 64); err != nil || story <= 0 {
			return errNotFound
		}
	}
	d, err := s.Svc.LiveDashboard(r.Context(), v, story)
	if err != nil {
		return err
	}
	view := dashboardView{D: d, Updated: news.FormatKST(d.Now)}
	view.PerMinute = barChart("chart-minutes", "최근 1시간 분당 조회수", d.PerMinute, func(t time.Time) string { return t.In(news.KST).Format("15:04") })
	view.PerHour = barChart("chart-hours", "최근 7일 시간당 조회수", d.PerHour, func(t time.Time) string { return t.In(news.KST).Format("01.02 15시") })
	view.Comments = barChart("chart-comments", "최근 24시간 시간당 댓글 수", d.CommentsPerHour, func(t time.Time) string { return t.In(news.KST).Format("01.02 15시") })
	view.Sources = shares(d.Sources, news.AudienceSources, func(code string) string { return sourceNames[code] })
	var kinds []string
	names := map[string]string{}
	for _, k := range s.Svc.ReactionKinds() {
		kinds = append(kinds, k.Code)
		names[k.Code] = k.Name
	}
	view.Reactions = shares(d.Reactions, kinds, func(code string) string { return names[code] })
	return s.render(w, r, http.StatusOK, "newsroom_live", "실시간 독자", view)
}

// shares lists counts in order with their share of the whole.
func shares(counts map[string]int64, order []string, name func(string) string) []shareRow {
	var total int64
	for _, code := range order {
		total += counts[code]
	}
	out := make([]shareRow, 0, len(order))
	for _, code := range order {
		row := shareRow{Name: name(code), Count: counts[code]}
		if total > 0 {
			row.Percent = int(row.Count * 100 / total)
		}
		out = append(out, row)
	}
	return out
}

// barChart draws buckets as an SVG bar chart. It is an image with a title
// for assistive technology; the numbers are in the table beside it.
func barChart(id, title string, buckets []news.Bucket, label func(time.Time) string) chartView {
	c := chartView{ID: id, Title: title}
	var peak int64
	for _, b := range buckets {
		peak = max(peak, b.Count)
		c.Total += b.Count
		c.Rows = append(c.Rows, chartRow{Label: label(b.Start), Count: b.Count})
	}
	const width, height, top, bottom = 720.0, 180.0, 16.0, 22.0
	var svg strings.Builder
	fmt.Fprintf(&svg, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-title" preserveAspectRatio="none">`, width, height, id)
	fmt.Fprintf(&svg, `<title id="%s-title">%s (합계 %d, 최대 %d)</title>`, id, template.HTMLEscapeString(title), c.Total, peak)
	fmt.Fprintf(&svg, `<line class="chart-axis" x1="0" y1="%g" x2="%g" y2="%g"/>`, height-bottom, width, height-bottom)
	if n := len(buckets); n > 0 {
		step := width / float64(n)
		for i, b := range buckets {
			if b.Count == 0 {
				continue
			}
			h := (height - top - bottom) * float64(b.Count) / float64(max(peak, 1))
			fmt.Fprintf(&svg, `<rect class="chart-bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`,
				float64(i)*step+step*0.1, height-bottom-h, step*0.8, h)
		}
		fmt.Fprintf(&svg, `<text class="chart-label" x="0" y="%g">%s</text>`, height-6, template.HTMLEscapeString(c.Rows[0].Label))
		fmt.Fprintf(&svg, `<text class="chart-label" x="%g" y="%g" text-anchor="end">%s</text>`, width, height-6, template.HTMLEscapeString(c.Rows[n-1].Label))
		fmt.Fprintf(&svg, `<text class="chart-label" x="0" y="12">최대 %d</text>`, peak)
	}
	svg.WriteString(`</svg>`)
	c.SVG = template.HTML(svg.String())
	return c
}
