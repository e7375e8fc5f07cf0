package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
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
	// reactions caches the reaction state per article for the page.
	reactions map[int64]news.ReactionState
}

// splice returns body with every personal region filled for the reader.
func (p *personalizer) splice(body []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(body) + 2048)
	for {
		i := bytes.Index(body, []byte(markOpen))
		if i < 0 {
			out.Write(body)
			return out.Bytes(), nil
		}
		out.Write(body[:i])
		rest := body[i+len(markOpen):]
		endMark := bytes.Index(rest, []byte("-->"))
		if endMark < 0 {
			return nil, fmt.Errorf("personal region without end of marker")
		}
		spec := string(rest[:endMark])
		rest = rest[endMark+3:]
		j := bytes.Index(rest, []byte(markClose))
		if j < 0 {
			return nil, fmt.Errorf("personal region %q not closed", spec)
		}
		anonymous := rest[:j]
		body = rest[j+len(markClose):]
		// The markers stay, so that a page can be personalised again.
		out.WriteString(markOpen + spec + "-->")
		if err := p.region(&out, spec, anonymous); err != nil {
			return nil, err
		}
		out.WriteString(markClose)
	}
}

func (p *personalizer) region(out *bytes.Buffer, spec string, anonymous []byte) error {
	parts := strings.Split(spec, ":")
	id := func(i int) int64 {
		if i >= len(parts) {
			return 0
		}
		n, _ := strconv.ParseInt(parts[i], 10, 64)
		return n
	}
	ctx, v, st := p.ctx, p.viewer, p.s.Svc.Store
	switch parts[0] {
	case "nav":
		return p.exec(out, "p_nav", struct{ Viewer news.Account }{v})
	case "flash":
		return p.exec(out, "p_flash", p.flash)
	case "cform":
		return p.exec(out, "p_cform", cformData(id(1), v))
	case "own":
		if v.ID != 0 && id(1) == v.ID {
			return p.exec(out, "p_own", id(2))
		}
		return nil
	case "reply":
		if v.ID != 0 {
			return p.exec(out, "p_reply", replyData(id(1), id(2)))
		}
		return nil
	case "sub":
		reporterID := id(1)
		on := false
		if v.ID != 0 {
			var err error
			if on, err = st.IsSubscribed(ctx, v.ID, news.TargetReporter, reporterID); err != nil {
				return err
			}
		}
		// The label and the way back are in the anonymous rendering.
		label := between(anonymous, `aria-label="`, ` 구독"`)
		back := between(anonymous, `name="next" value="`, `"`)
		return p.exec(out, "p_sub", subscribeView{ID: reporterID, Label: label, Back: back, On: on})
	case "react":
		articleID := id(1)
		rs, err := p.s.Svc.ReactionState(ctx, v, articleID)
		if err != nil {
			return err
		}
		view := reactView{ArticleID: articleID, MyReaction: rs.Mine}
		for _, k := range p.s.Svc.ReactionKinds() {
			view.Reactions = append(view.Reactions, reactionView{Code: k.Code, Name: k.Name, Count: rs.Counts[k.Code], Mine: rs.Mine == k.Code})
		}
		if v.ID != 0 {
			if view.Saved, err = st.IsBookmarked(ctx, v.ID, articleID); err != nil {
				return err
			}
		}
		return p.exec(out, "p_react", view)
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
			sec, err := st.SectionBySlug(ctx, parts[2])
			if err != nil {
				return err
			}
			targetID, action = sec.ID, "/sections/"+sec.Slug+"/subscription"
		}
		n, err := st.SubscriberCount(ctx, kind, targetID)
		if err != nil {
			return err
		}
		on := false
		if v.ID != 0 {
			if on, err = st.IsSubscribed(ctx, v.ID, kind, targetID); err != nil {
				return err
			}
		}
		return p.exec(out, "p_follow", followView{Action: action, Subscribers: n, On: on})
	}
	out.Write(anonymous)
	return nil
}

func (p *personalizer) exec(out *bytes.Buffer, name string, data any) error {
	return p.s.templates.fragments.ExecuteTemplate(out, name, data)
}

// between returns the text of b between the first from and the next to.
func between(b []byte, from, to string) string {
	i := bytes.Index(b, []byte(from))
	if i < 0 {
		return ""
	}
	rest := b[i+len(from):]
	j := bytes.Index(rest, []byte(to))
	if j < 0 {
		return ""
	}
	return template.HTMLEscapeString(string(rest[:j]))
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// servePersonal answers a logged-in reader (or one with a notice pending)
// from the anonymous rendering with their regions filled in.
func (s *Server) servePersonal(w http.ResponseWriter, r *http.Request, e *cacheEntry) error {
	p := &personalizer{s: s, ctx: r.Context(), viewer: viewer(r), flash: s.takeFlash(w, r)}
	body, err := p.splice(e.body)
	if err != nil {
		return err
	}
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding, Cookie")
	h.Del("Content-Length")
	if acceptEncoding(r.Header.Get("Accept-Encoding")) != "" && len(body) > 1024 {
		h.Set("Content-Encoding", "gzip")
		w.WriteHeader(e.status)
		if r.Method == http.MethodHead {
			return nil
		}
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(w)
		zw.Write(body)
		err := zw.Close()
		gzipWriters.Put(zw)
		return err
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}
