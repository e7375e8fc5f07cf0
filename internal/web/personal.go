package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"jikji/internal/news"
)

// Personal pages. Every page is rendered once, for anonymous readers, and
// cached. The parts that differ by reader are holes: the template writes
// each with {{hole "name" data}}, which renders the hole's own small
// template (p_name in personal.html) and wraps it in a marker carrying the
// hole's data, <!--p:name {json}-->…<!--/p-->. When the cached page is
// first served to a logged-in reader it is cut once into static segments
// and typed holes; each logged-in request then fills the holes from the
// reader's state (read once, and kept per node by news.Service) and joins
// them with the segments, whose compressed forms are kept too.

const (
	markOpen  = "<!--p:"
	markClose = "<!--/p-->"
)

// hole is the data of one personal part of a page.
type hole interface {
	// personal returns the hole's data for the reader p serves, and a key
	// equal for data that renders the same ("" if not worth keeping).
	personal(p *personalizer) (hole, string, error)
}

// holeKinds makes an empty hole of each name, to decode markers into.
var holeKinds = map[string]func() hole{
	"nav":    func() hole { return &navView{} },
	"flash":  func() hole { return &flashView{} },
	"sub":    func() hole { return &subscribeView{} },
	"react":  func() hole { return &reactView{} },
	"cform":  func() hole { return &cformView{} },
	"own":    func() hole { return &ownView{} },
	"follow": func() hole { return &followView{} },
}

// renderHole is the template function hole: the anonymous rendering of a
// hole, marked so that a reader's copy can fill it.
func renderHole(fragments func() *template.Template, name string, data hole) (template.HTML, error) {
	if _, ok := holeKinds[name]; !ok {
		return "", fmt.Errorf("unknown hole %q", name)
	}
	// json.Marshal escapes <, > and &, so the data cannot end the comment.
	js, err := json.Marshal(data)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(markOpen)
	b.WriteString(name)
	b.WriteByte(' ')
	b.Write(js)
	b.WriteString("-->")
	if err := fragments().ExecuteTemplate(&b, "p_"+name, data); err != nil {
		return "", err
	}
	b.WriteString(markClose)
	return template.HTML(b.String()), nil
}

// The holes. Their exported fields are what the marker carries; none may
// hold anything a reader should not see.

type navView struct {
	ID          int64
	DisplayName string
	Role        string
}

func navData(v news.Account) navView {
	return navView{ID: v.ID, DisplayName: v.DisplayName, Role: v.Role}
}

func (navView) personal(p *personalizer) (hole, string, error) {
	v := navData(p.viewer)
	// The menu is the same on every page: kept once per reader for all.
	return v, sharedKey + strconv.FormatInt(v.ID, 10) + "\x00" + v.Role + "\x00" + v.DisplayName, nil
}

type flashView struct{ Flash *flash }

func flashData(f *flash) flashView { return flashView{Flash: f} }

func (flashView) personal(p *personalizer) (hole, string, error) {
	if p.flash == nil {
		return flashView{}, "none", nil
	}
	return flashView{Flash: p.flash}, "", nil
}

type subscribeView struct {
	ID    int64
	Label string
	Back  string
	On    bool
	// ArticleID is the page's article, whose reader state says whether
	// the reader follows this reporter.
	ArticleID int64
}

func subscribeData(b news.Byline, articleID int64, on bool) subscribeView {
	return subscribeView{ID: b.ReporterID, Label: b.Name + " " + b.Role, Back: articlePath(articleID), On: on, ArticleID: articleID}
}

func (v subscribeView) personal(p *personalizer) (hole, string, error) {
	v.On = false
	if p.viewer.ID != 0 {
		st, err := p.state(v.ArticleID)
		if err != nil {
			return nil, "", err
		}
		v.On = st.Subscribed[v.ID]
	}
	return v, strconv.FormatBool(v.On), nil
}

type reactView struct {
	ArticleID  int64
	Reactions  []reactionView
	MyReaction string
	Saved      bool
}

func reactData(articleID int64, e engagementView) reactView {
	return reactView{ArticleID: articleID, Reactions: e.Reactions, MyReaction: e.MyReaction, Saved: e.Saved}
}

func (v reactView) personal(p *personalizer) (hole, string, error) {
	st, err := p.state(v.ArticleID)
	if err != nil {
		return nil, "", err
	}
	out := reactView{ArticleID: v.ArticleID, MyReaction: st.Reaction, Saved: st.Saved, Reactions: make([]reactionView, len(v.Reactions))}
	key := make([]byte, 0, 64)
	key = strconv.AppendBool(key, st.Saved)
	key = append(key, ' ')
	key = append(key, st.Reaction...)
	for i, r := range v.Reactions {
		r.Count, r.Mine = st.Counts[r.Code], r.Code == st.Reaction
		out.Reactions[i] = r
		key = strconv.AppendInt(append(key, ' '), r.Count, 10)
	}
	return out, string(key), nil
}

type cformView struct {
	ArticleID int64
	LoggedIn  bool
	// Draft is a refused comment brought back into the box; it is never
	// part of the shared page.
	Draft *commentDraft `json:"-"`
}

// cformData is the comment form as anonymous readers see it.
func cformData(articleID int64) cformView { return cformView{ArticleID: articleID} }

func (v cformView) personal(p *personalizer) (hole, string, error) {
	v.LoggedIn = p.viewer.ID != 0
	if v.LoggedIn && p.draft != nil {
		v.Draft = p.draft
		return v, "", nil
	}
	return v, strconv.FormatBool(v.LoggedIn), nil
}

// ownView is the delete button a reader sees on their own comments.
type ownView struct {
	AuthorID  int64
	CommentID int64
	Mine      bool
}

func ownData(authorID, commentID int64) ownView {
	return ownView{AuthorID: authorID, CommentID: commentID}
}

func (v ownView) personal(p *personalizer) (hole, string, error) {
	v.Mine = p.viewer.ID != 0 && p.viewer.ID == v.AuthorID
	return v, strconv.FormatBool(v.Mine), nil
}

type followView struct {
	Kind        string
	TargetID    int64
	Action      string
	Subscribers int64
	On          bool
}

func followData(lv listView) followView {
	fv := followView{Kind: news.TargetSection, TargetID: lv.Section.ID, Action: "/sections/" + lv.Section.Slug + "/subscription",
		Subscribers: lv.Subscribers, On: lv.Subscribed}
	if lv.Reporter.ID != 0 {
		fv.Kind, fv.TargetID = news.TargetReporter, lv.Reporter.ID
		fv.Action = fmt.Sprintf("/reporters/%d/subscription", lv.Reporter.ID)
	}
	return fv
}

func (v followView) personal(p *personalizer) (hole, string, error) {
	var err error
	if v.Subscribers, err = p.s.Svc.SubscriberCount(p.ctx, v.Kind, v.TargetID); err != nil {
		return nil, "", err
	}
	if v.On, err = p.s.Svc.IsSubscribed(p.ctx, p.viewer, v.Kind, v.TargetID); err != nil {
		return nil, "", err
	}
	return v, strconv.FormatInt(v.Subscribers, 10) + strconv.FormatBool(v.On), nil
}

type replyView struct{ ArticleID, CommentID int64 }

func replyData(articleID, commentID int64) replyView {
	return replyView{ArticleID: articleID, CommentID: commentID}
}

// personalizer fills the holes of one page for one reader.
type personalizer struct {
	s      *Server
	ctx    context.Context
	viewer news.Account
	flash  *flash
	draft  *commentDraft
	// states holds the reader's state per article, asked once a page.
	states map[int64]news.ViewerState
}

// state returns the reader's state on an article, asked once a page.
func (p *personalizer) state(articleID int64) (news.ViewerState, error) {
	if st, ok := p.states[articleID]; ok {
		return st, nil
	}
	st, err := p.s.Svc.ViewerState(p.ctx, p.viewer, articleID)
	if err != nil {
		return st, err
	}
	if p.states == nil {
		p.states = map[int64]news.ViewerState{}
	}
	p.states[articleID] = st
	return st, nil
}

// pageLayout is a cached page cut into static segments and the holes
// between them: segments[i] comes before holes[i], and one segment more
// than holes ends the page.
type pageLayout struct {
	segments [][]byte
	holes    []placedHole

	mu sync.Mutex
	// filled keeps each hole's renderings by key: most readers of a page
	// see one of a few variants of it.
	filled map[filledKey]piece
	// spans keeps compressed runs of the page from segment to segment,
	// with the holes between as anonymous readers see them. A reader's
	// copy is a few spans joined by the holes that differ for them, so it
	// compresses almost as well as the whole page, without compressing
	// anything per request.
	spans map[[2]int]piece
}

// piece is a part of the page, plain and as raw deflate blocks that end on
// a byte boundary (a sync flush) with no final block, so that pieces join
// into one stream.
type piece struct {
	plain, deflated []byte
}

type placedHole struct {
	name      string
	data      hole
	anonymous []byte
}

type filledKey struct {
	hole int
	key  string
}

// sharedKey starts the key of a hole that renders the same on every page
// (the reader's menu): such renderings are kept by the server, not the page.
const sharedKey = "\x00shared\x00"

// sharedHoles keeps renderings of holes that are the same on every page.
type sharedHoles struct {
	mu sync.Mutex
	m  map[string]piece
}

// maxShared bounds the shared renderings: one per reader seen lately.
const maxShared = 10_000

func (c *sharedHoles) get(key string) (piece, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[key]
	return f, ok
}

func (c *sharedHoles) put(key string, f piece) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxShared {
		c.m = map[string]piece{}
	}
	c.m[key] = f
}

// maxKept bounds the renderings and spans a page keeps: a few variants of
// each hole, as holes that differ by reader alone are kept by the server.
const maxKept = 256

// cut parses the holes of a rendered page.
func cut(body []byte) (*pageLayout, error) {
	l := &pageLayout{filled: map[filledKey]piece{}, spans: map[[2]int]piece{}}
	from := 0
	for {
		i := bytes.Index(body[from:], []byte(markOpen))
		if i < 0 {
			l.segments = append(l.segments, body[from:])
			break
		}
		open := from + i
		end := bytes.Index(body[open:], []byte("-->"))
		if end < 0 {
			return nil, fmt.Errorf("hole without end of marker")
		}
		marker := body[open+len(markOpen) : open+end]
		name, js, _ := bytes.Cut(marker, []byte(" "))
		kind, ok := holeKinds[string(name)]
		if !ok {
			return nil, fmt.Errorf("unknown hole %q", name)
		}
		h := kind()
		if err := json.Unmarshal(js, h); err != nil {
			return nil, fmt.Errorf("hole %s: %w", name, err)
		}
		contentStart := open + end + 3
		j := bytes.Index(body[contentStart:], []byte(markClose))
		if j < 0 {
			return nil, fmt.Errorf("hole %s not closed", name)
		}
		// The markers stay, so that a reader's copy is a page like any.
		l.segments = append(l.segments, body[from:contentStart])
		l.holes = append(l.holes, placedHole{name: string(name), data: h, anonymous: body[contentStart : contentStart+j]})
		from = contentStart + j
	}
	return l, nil
}

func newPiece(b []byte, level int) piece {
	p := piece{plain: b}
	if len(b) > 0 {
		var buf bytes.Buffer
		appendDeflated(&buf, b, level)
		p.deflated = buf.Bytes()
	}
	return p
}

// span returns segments first to last with the anonymous holes between.
func (l *pageLayout) span(first, last int) piece {
	k := [2]int{first, last}
	l.mu.Lock()
	sp, ok := l.spans[k]
	l.mu.Unlock()
	if ok {
		return sp
	}
	var plain []byte
	for i := first; i <= last; i++ {
		plain = append(plain, l.segments[i]...)
		if i < last {
			plain = append(plain, l.holes[i].anonymous...)
		}
	}
	sp = newPiece(plain, flate.BestCompression)
	l.mu.Lock()
	if len(l.spans) < maxKept {
		l.spans[k] = sp
	}
	l.mu.Unlock()
	return sp
}

// flateWriters pools compressors by level: no compression, best speed,
// best compression.
var flateWriters = [3]sync.Pool{}

func appendDeflated(out *bytes.Buffer, b []byte, level int) {
	pool := &flateWriters[0]
	switch level {
	case flate.BestSpeed:
		pool = &flateWriters[1]
	case flate.BestCompression:
		pool = &flateWriters[2]
	}
	fw, _ := pool.Get().(*flate.Writer)
	if fw == nil {
		fw, _ = flate.NewWriter(out, level)
	} else {
		fw.Reset(out)
	}
	fw.Write(b)
	fw.Flush()
	pool.Put(fw)
}

// holeLevel is how a filled hole is compressed: small ones go as stored
// blocks, as building Huffman tables for a few hundred bytes costs more
// than it saves.
func holeLevel(n int) int {
	if n < 2048 {
		return flate.NoCompression
	}
	return flate.BestSpeed
}

// fill renders hole i for the reader.
func (l *pageLayout) fill(p *personalizer, i int) (piece, error) {
	ph := l.holes[i]
	data, key, err := ph.data.personal(p)
	if err != nil {
		return piece{}, err
	}
	shared := strings.HasPrefix(key, sharedKey)
	fk := filledKey{hole: i, key: key}
	if shared {
		if f, ok := p.s.sharedHoles.get(key); ok {
			return f, nil
		}
	} else if key != "" {
		l.mu.Lock()
		f, ok := l.filled[fk]
		l.mu.Unlock()
		if ok {
			return f, nil
		}
	}
	var buf bytes.Buffer
	if err := p.s.templates.fragments.ExecuteTemplate(&buf, "p_"+ph.name, data); err != nil {
		return piece{}, err
	}
	f := newPiece(buf.Bytes(), holeLevel(buf.Len()))
	switch {
	case shared:
		p.s.sharedHoles.put(key, f)
	case key != "":
		l.mu.Lock()
		if len(l.filled) < maxKept {
			l.filled[fk] = f
		}
		l.mu.Unlock()
	}
	return f, nil
}

// layout returns the entry's page cut into segments and holes.
func (e *cacheEntry) layout() (*pageLayout, error) {
	e.layoutOnce.Do(func() { e.personal, e.layoutErr = cut(e.body) })
	return e.personal, e.layoutErr
}

// servePersonal answers a logged-in reader (or one with a notice pending)
// from the cached page with its holes filled for them. Compressed, it
// joins kept deflate blocks of spans and filled holes into one gzip stream.
func (s *Server) servePersonal(w http.ResponseWriter, r *http.Request, e *cacheEntry) error {
	lay, err := e.layout()
	if err != nil {
		return err
	}
	p := &personalizer{s: s, ctx: r.Context(), viewer: viewer(r), flash: s.takeFlash(w, r), draft: s.takeDraft(w, r)}
	filled := make([]piece, len(lay.holes))
	for i := range lay.holes {
		if filled[i], err = lay.fill(p, i); err != nil {
			return err
		}
	}
	gz := acceptEncoding(r.Header.Get("Accept-Encoding")) != ""
	buf := pageBuffers.Get().(*[]byte)
	defer pageBuffers.Put(buf)
	out := (*buf)[:0]
	if gz {
		// Spans of what every reader sees, joined by the holes that
		// differ for this one.
		pieces := make([]piece, 0, 16)
		first := 0
		for i, f := range filled {
			if !bytes.Equal(f.plain, lay.holes[i].anonymous) {
				pieces = append(pieces, lay.span(first, i), f)
				first = i + 1
			}
		}
		out = appendGzip(out, append(pieces, lay.span(first, len(lay.segments)-1)))
	} else {
		for i, seg := range lay.segments {
			out = append(out, seg...)
			if i < len(filled) {
				out = append(out, filled[i].plain...)
			}
		}
	}
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding, Cookie")
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(out)
	}
	*buf = out
	return nil
}

// pageBuffers keep the buffers personal pages are put together in: a page
// is tens of kilobytes, and a fresh buffer for each would be allocated and
// cleared on every logged-in request.
var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// appendGzip appends to out one gzip member of pieces compressed apart: a
// header, their deflate blocks in order, an empty final block, and the
// checksum and length of the whole.
func appendGzip(out []byte, pieces []piece) []byte {
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff)
	var crc uint32
	size := 0
	for _, pc := range pieces {
		out = append(out, pc.deflated...)
		crc = crc32.Update(crc, crc32.IEEETable, pc.plain)
		size += len(pc.plain)
	}
	// The final block: empty, fixed Huffman codes, then the trailer.
	out = append(out, 0x03, 0x00)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(size))
}
