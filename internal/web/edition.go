package web

import (
	"fmt"
	"html/template"
	"time"

	"jikji/internal/news"
)

// The reader's edition around every page: today's date in the masthead,
// the section being read marked in the section bar, and the small icons of
// the header, the reader tools and the comment actions, drawn inline so
// that no page waits for another file.

// editionFuncs are the template functions of the page frame.
func editionFuncs(s *Server) template.FuncMap {
	return template.FuncMap{
		"today": func() editionDate {
			now := time.Now
			if s.Svc != nil && s.Svc.Now != nil {
				now = s.Svc.Now
			}
			return editionDateOf(now())
		},
		"currentSection": currentSection,
		"icon":           icon,
		"smallest":       smallestWidth,
	}
}

// smallestWidth is the plain src of a thumbnail, for browsers without srcset.
func smallestWidth(p news.FigurePhoto) int {
	if len(p.Widths) == 0 {
		return p.Width
	}
	return p.Widths[0]
}

// editionDate is a day as Korean papers print it in their masthead.
type editionDate struct {
	ISO  string // 2024-03-18
	Text string // 2024년 3월 18일 월요일
}

var koreanWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

func editionDateOf(t time.Time) editionDate {
	t = t.In(news.KST)
	return editionDate{
		ISO:  t.Format("2006-01-02"),
		Text: t.Format("2006년 1월 2일 ") + koreanWeekdays[t.Weekday()] + "요일",
	}
}

// sectionMark tells the section bar which entry the page belongs to.
type sectionMark struct {
	// Slug is the section's slug, "/" on the home page, "" elsewhere.
	Slug string
	// Current is the entry's aria-current: "page" when the page is the
	// section's own, "true" when it is a story in it.
	Current string
}

func currentSection(data any) sectionMark {
	switch v := data.(type) {
	case news.Front:
		return sectionMark{Slug: "/", Current: "page"}
	case articleView:
		return sectionMark{Slug: v.Article.Section.Slug, Current: "true"}
	case listView:
		if v.Reporter.ID == 0 {
			return sectionMark{Slug: v.Section.Slug, Current: "page"}
		}
	}
	return sectionMark{}
}

// icons are 24×24 outline drawings in the text colour; each is decorative,
// the control around it carries the words.
var icons = map[string]string{
	"search":  `<circle cx="11" cy="11" r="6.5"/><path d="m16 16 4.5 4.5"/>`,
	"account": `<circle cx="12" cy="8.5" r="3.8"/><path d="M4.5 20c1.2-3.6 4-5.5 7.5-5.5s6.3 1.9 7.5 5.5"/>`,
	"close":   `<path d="m6 6 12 12M18 6 6 18"/>`,
	"text":    `<path d="M3 19 8 6l5 13M4.8 14.5h6.4M14 19l3.5-9 3.5 9M15.2 16h4.6"/>`,
	"share":   `<circle cx="18" cy="5.5" r="2.5"/><circle cx="6" cy="12" r="2.5"/><circle cx="18" cy="18.5" r="2.5"/><path d="m8.2 10.8 7.6-4.1M8.2 13.2l7.6 4.1"/>`,
	"print":   `<path d="M7 9V3.5h10V9M7 17H4.5v-7.5h15V17H17"/><path d="M7 14h10v6.5H7z"/>`,
	"like":    `<path d="M7.5 10.5v9h-3v-9zM7.5 10.5l4-7c1.6 0 2.5 1 2.2 2.6l-.7 3.4h5.3c1.3 0 2.2 1.2 1.9 2.4l-1.6 6.3c-.2.8-1 1.3-1.8 1.3H7.5"/>`,
	"dislike": `<path d="M7.5 13.5v-9h-3v9zM7.5 13.5l4 7c1.6 0 2.5-1 2.2-2.6l-.7-3.4h5.3c1.3 0 2.2-1.2 1.9-2.4l-1.6-6.3c-.2-.8-1-1.3-1.8-1.3H7.5"/>`,
	"reply":   `<path d="M9.5 6 4 11.5 9.5 17M4.5 11.5H14c3.6 0 6 2.4 6 6v1"/>`,
	"more":    `<circle cx="5.5" cy="12" r="1.3"/><circle cx="12" cy="12" r="1.3"/><circle cx="18.5" cy="12" r="1.3"/>`,
	"camera":  `<path d="M3.5 8h3.8l1.7-2.5h6l1.7 2.5h3.8v11h-17z"/><circle cx="12" cy="13" r="3.5"/>`,
}

// icon is the inline SVG of a named icon; an unknown name fails the render.
func icon(name string) (template.HTML, error) {
	d, ok := icons[name]
	if !ok {
		return "", fmt.Errorf("unknown icon %q", name)
	}
	return template.HTML(`<svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">` + d + `</svg>`), nil
}
