package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"jikji/internal/news"
)

// Personal regions: every page is rendered once for anonymous readers and
// cached. Parts that differ by reader are marked in that rendering with
// <!--p:NAME:ARGS--> … <!--/p-->, and for a logged-in reader (or one with a
// notice pending) the server swaps each marked part for the same template
// filled for them. The page's bulk is never rendered per reader, yet with
// JavaScript off the reader sees their own state.

const (
	markOpen  = "<!--p:"
	markClose = "<!--/p-->"
)

// pmark opens a personal region; arguments are ids or slugs.
func pmark(name string, args ...any) template.HTML {
	var b strings.Builder
	b.WriteString(markOpen)
	b.WriteString(name)
	for _, a := range args {
		b.WriteByte(':')
		b.WriteString(markArg(fmt.Sprint(a)))
	}
	b.WriteString("-->")
	return template.HTML(b.String())
}

// markArg keeps only characters that cannot end a comment.
func markArg(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' {
			return r
		}
		return -1
	}, s)
}

func pend() template.HTML { return markClose }

// Data of the personal templates, shared by the full render and the splice.

type subscribeView struct {
	ID    int64
	Label string
	Back  string
	On    bool
}

func subscribeData(b news.Byline, articleID int64, on bool) subscribeView {
	return subscribeView{ID: b.ReporterID, Label: b.Name + " " + b.Role, Back: articlePath(articleID), On: on}
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

type cformView struct {
	ArticleID int64
	Viewer    news.Account
}

func cformData(articleID int64, v news.Account) cformView {
	return cformView{ArticleID: articleID, Viewer: v}
}

type replyView struct{ ArticleID, CommentID int64 }

func replyData(articleID, commentID int64) replyView {
	return replyView{ArticleID: articleID, CommentID: commentID}
}

type followView struct {
	Action      string
	Subscribers int64
	On          bool
}

func followData(lv listView) followView {
	action := "/sections/" + lv.Section.Slug + "/subscription"
	if lv.Reporter.ID != 0 {
		action = fmt.Sprintf("/reporters/%d/subscription", lv.Reporter.ID)
	}
	return followView{Action: action, Subscribers: lv.Subscribers, On: lv.Subscribed}
}

// personalizer fills the personal regions of one page for one reader,
// asking the store only for what the page has.
type personalizer struct {
	s      *Server
	ctx    context.Context
	viewer news.Account
	flash  *flash
	// states holds the reader's state per article, asked once a page.
	states map[int64]news.ViewerState
}

// state returns the reader's state on an article, from one query a page.
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

// pageLayout is a cached page cut at its personal regions, with the parts
// between them compressed once, so that a reader's copy costs only the
// filling and compressing of their regions.
type pageLayout struct {
	static   [][]byte // static[i] comes before regions[i]; one more than regions
	deflated [][]byte // static parts as raw deflate blocks ending in a sync flush
	regions  []regionSpec
}

type regionSpec struct {
	spec      string
	anonymous []byte
}

// cut finds the personal regions of body.
func cut(body []byte) (*pageLayout, error) {
	l := &pageLayout{}
	from := 0
	for {
		i := bytes.Index(body[from:], []byte(markOpen))
		if i < 0 {
			l.static = append(l.static, body[from:])
			break
		}
		open := from + i
		end := bytes.Index(body[open:], []byte("-->"))
		if end < 0 {
			return nil, fmt.Errorf("personal region without end of marker")
		}
		contentStart := open + end + 3
		j := bytes.Index(body[contentStart:], []byte(markClose))
		if j < 0 {
			return nil, fmt.Errorf("personal region %q not closed", body[open:contentStart])
		}
		// The markers stay in the static parts, so that a reader's copy can
		// be personalised again.
		l.static = append(l.static, body[from:contentStart])
		l.regions = append(l.regions, regionSpec{
			spec:      string(body[open+len(markOpen) : open+end]),
			anonymous: body[contentStart : contentStart+j],
		})
		from = contentStart + j
	}
	for _, part := range l.static {
		l.deflated = append(l.deflated, deflateChunk(part, flate.BestCompression))
	}
	return l, nil
}

// flateWriters pools compressors by level: no compression, best speed,
// best compression.
var flateWriters = [3]sync.Pool{}

// deflateChunk compresses b as raw deflate blocks that end on a byte
// boundary with no final block, so chunks can be joined into one stream.
func deflateChunk(b []byte, level int) []byte {
	if len(b) == 0 {
		return nil
	}
	var buf bytes.Buffer
	appendDeflated(&buf, b, level)
	return buf.Bytes()
}

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

// layout returns the entry's page cut at its personal regions.
func (e *cacheEntry) layout() (*pageLayout, error) {
	e.layoutOnce.Do(func() { e.personal, e.layoutErr = cut(e.body) })
	return e.personal, e.layoutErr
}

func (p *personalizer) region(out *bytes.Buffer, rg regionSpec) error {
	spec, anonymous := rg.spec, rg.anonymous
	parts := strings.Split(spec, ":")
	id := func(i int) int64 {
		if i >= len(parts) {
			return 0
		}
		n, _ := strconv.ParseInt(parts[i], 10, 64)
		return n
	}
	ctx, v, svc := p.ctx, p.viewer, p.s.Svc
	switch parts[0] {
	case "nav":
		if v.ID == 0 {
			return p.exec(out, "p_nav", struct{ Viewer news.Account }{v})
		}
		// Staff see the way to the newsroom: one memoized variant a role.
		return p.s.memo.write(out, "nav:"+v.Role, func() any {
			return struct{ Viewer news.Account }{news.Account{ID: standInID, DisplayName: standInText, Role: v.Role}}
		}, strconv.FormatInt(v.ID, 10), template.HTMLEscapeString(v.DisplayName))
	case "flash":
		return p.exec(out, "p_flash", p.flash)
	case "cform":
		if v.ID == 0 {
			return p.exec(out, "p_cform", cformData(id(1), v))
		}
		return p.s.memo.write(out, "cform", func() any {
			return cformData(standInID, news.Account{ID: 1})
		}, strconv.FormatInt(id(1), 10))
	case "own":
		if v.ID != 0 && id(1) == v.ID {
			// A page has a delete button for each of the reader's
			// comments: a template run for each would cost more than the
			// rest of the page.
			return p.s.memo.write(out, "own", func() any { return int64(standInID) }, strconv.FormatInt(id(2), 10))
		}
		return nil
	case "sub":
		reporterID := id(1)
		on := false
		if v.ID != 0 {
			vs, err := p.state(id(2))
			if err != nil {
				return err
			}
			on = vs.Subscribed[reporterID]
		}
		// The reporter's name is in the anonymous rendering, escaped
		// already; the way back is the article the marker names.
		label := rawBetween(anonymous, `aria-label="`, ` 구독"`)
		return p.s.memo.write(out, fmt.Sprintf("sub:%t", on), func() any {
			return subscribeView{ID: standInID, Label: standInText, Back: "/articles/" + standInText2, On: on}
		}, strconv.FormatInt(reporterID, 10), label, strconv.FormatInt(id(2), 10))
	case "react":
		articleID := id(1)
		vs, err := p.state(articleID)
		if err != nil {
			return err
		}
		rs := news.ReactionState{Counts: vs.Counts, Mine: vs.Reaction}
		saved := vs.Saved
		// Rendered once per choice and saved state with stand-in numbers,
		// then filled in.
		kinds := p.s.Svc.ReactionKinds()
		values := []string{strconv.FormatInt(articleID, 10)}
		for _, k := range kinds {
			values = append(values, strconv.FormatInt(rs.Counts[k.Code], 10))
		}
		return p.s.memo.write(out, fmt.Sprintf("react:%s:%t", rs.Mine, saved), func() any {
			view := reactView{ArticleID: standInID, MyReaction: rs.Mine, Saved: saved}
			for i, k := range kinds {
				view.Reactions = append(view.Reactions, reactionView{Code: k.Code, Name: k.Name, Count: standInCount(i), Mine: rs.Mine == k.Code})
			}
			return view
		}, values...)
	case "follow":
		kind, action := news.TargetSection, ""
		var targetID int64
		if len(parts) < 3 {
			out.Write(anonymous)
			return nil
		}
		if parts[1] == "reporters" {
			kind, targetID = news.TargetReporter, id(2)
			action = fmt.Sprintf("/reporters/%d/subscription", targetID)
		} else {
			sec, err := svc.Section(ctx, parts[2])
			if err != nil {
				return err
			}
			targetID, action = sec.ID, "/sections/"+sec.Slug+"/subscription"
		}
		n, err := svc.SubscriberCount(ctx, kind, targetID)
		if err != nil {
			return err
		}
		on, err := svc.IsSubscribed(ctx, v, kind, targetID)
		if err != nil {
			return err
		}
		return p.exec(out, "p_follow", followView{Action: action, Subscribers: n, On: on})
	}
	out.Write(anonymous)
	return nil
}

func (p *personalizer) exec(out *bytes.Buffer, name string, data any) error {
	return p.s.templates.fragments.ExecuteTemplate(out, name, data)
}

// rawBetween returns the bytes of b between the first from and the next
// to, as they are (already escaped HTML).
func rawBetween(b []byte, from, to string) string {
	i := bytes.Index(b, []byte(from))
	if i < 0 {
		return ""
	}
	rest := b[i+len(from):]
	j := bytes.Index(rest, []byte(to))
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// Stand-ins: values no real data has, rendered into memoized fragments and
// then replaced by the real, already escaped, values.
const (
	standInID    = 9000000000000000001
	standInText  = "JIKJISTANDINTEXT"
	standInText2 = "JIKJISTANDINBACK"
)

// standInCount is the i-th numeric stand-in after the id.
func standInCount(i int) int64 { return standInID + 1 + int64(i) }

// fragmentMemo keeps personal fragments rendered with stand-ins, by the
// variant of their data that changes markup (chosen or not, saved or not).
// Filling one is a few string replacements instead of a template run.
type fragmentMemo struct {
	t  *template.Template
	mu sync.Mutex
	m  map[string]memoized
}

type memoized struct{ text string }

// write renders (once per key) the fragment for key with the stand-in data
// build returns, then writes it with the stand-ins replaced by values, in
// the order: the id, then the texts or counts the fragment has.
func (f *fragmentMemo) write(out *bytes.Buffer, key string, build func() any, values ...string) error {
	f.mu.Lock()
	m, ok := f.m[key]
	f.mu.Unlock()
	if !ok {
		name := "p_" + key
		if i := strings.IndexByte(key, ':'); i >= 0 {
			name = "p_" + key[:i]
		}
		var buf bytes.Buffer
		if err := f.t.ExecuteTemplate(&buf, name, build()); err != nil {
			return err
		}
		m = memoized{text: buf.String()}
		f.mu.Lock()
		if f.m == nil {
			f.m = map[string]memoized{}
		}
		f.m[key] = m
		f.mu.Unlock()
	}
	stand := []string{strconv.FormatInt(standInID, 10)}
	if strings.HasPrefix(key, "react:") {
		for i := 0; i < len(values)-1; i++ {
			stand = append(stand, strconv.FormatInt(standInCount(i), 10))
		}
	} else {
		stand = append(stand, standInText, standInText2)
	}
	pairs := make([]string, 0, 2*len(values))
	for i, v := range values {
		if i < len(stand) {
			pairs = append(pairs, stand[i], v)
		}
	}
	_, err := strings.NewReplacer(pairs...).WriteString(out, m.text)
	return err
}

// servePersonal answers a logged-in reader (or one with a notice pending)
// from the anonymous rendering with their regions filled in. Compressed,
// it joins the page's precompressed static parts with the freshly
// compressed regions into one gzip stream.
func (s *Server) servePersonal(w http.ResponseWriter, r *http.Request, e *cacheEntry) error {
	lay, err := e.layout()
	if err != nil {
		return err
	}
	p := &personalizer{s: s, ctx: r.Context(), viewer: viewer(r), flash: s.takeFlash(w, r)}
	var filled bytes.Buffer
	ends := make([]int, len(lay.regions))
	for i, rg := range lay.regions {
		if err := p.region(&filled, rg); err != nil {
			return err
		}
		ends[i] = filled.Len()
	}
	region := func(i int) []byte {
		start := 0
		if i > 0 {
			start = ends[i-1]
		}
		return filled.Bytes()[start:ends[i]]
	}
	var out bytes.Buffer
	gz := acceptEncoding(r.Header.Get("Accept-Encoding")) != ""
	if gz {
		out.Grow(len(e.gz) + 2*filled.Len() + 64)
		out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
		crc, size := crc32.NewIEEE(), 0
		for i, part := range lay.static {
			out.Write(lay.deflated[i])
			crc.Write(part)
			size += len(part)
			if i < len(lay.regions) {
				b := region(i)
				// Small regions go as stored blocks: building Huffman
				// tables for a few hundred bytes costs more than it saves.
				level := flate.BestSpeed
				if len(b) < 2048 {
					level = flate.NoCompression
				}
				if len(b) > 0 {
					appendDeflated(&out, b, level)
				}
				crc.Write(b)
				size += len(b)
			}
		}
		// The final block: empty, fixed Huffman codes, then the trailer.
		out.Write([]byte{0x03, 0x00})
		out.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
		out.Write(binary.LittleEndian.AppendUint32(nil, uint32(size)))
	} else {
		out.Grow(len(e.body) + filled.Len())
		for i, part := range lay.static {
			out.Write(part)
			if i < len(lay.regions) {
				out.Write(region(i))
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
	h.Set("Content-Length", strconv.Itoa(out.Len()))
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(out.Bytes())
	}
	return nil
}
