package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the whole site, of a
// section and of a reporter. Each item carries the whole article as HTML
// when the operator chose full content, otherwise its summary, and the lead
// photo as an enclosure (RSS), an enclosure link (Atom), an attachment and
// image (JSON Feed). Dates are in KST with the +09:00 offset.

// Feed content modes (--feed-content).
const (
	FeedFull    = "full"
	FeedSummary = "summary"
)

// feedItems is how many articles a feed lists.
const feedItems = 30

// feedChannel is what every feed format is built from.
type feedChannel struct {
	Title       string
	Description string
	Home        string // absolute URL of the page the feed follows
	Base        string // the feeds' path prefix: "/", "/sections/economy/"
	Updated     time.Time
	Site        news.Site
	Items       []feedItem
}

// feedItem is one article of a feed.
type feedItem struct {
	Article news.Article
	URL     string
	Summary string
	HTML    string // the whole article as HTML, when feeds are full
	Image   *feedImage
}

// feedImage is an article's lead photo as feeds attach it.
type feedImage struct {
	URL         string
	Type        string
	Length      int64
	Width       int
	Height      int
	Description string
}

// feedChannel loads the articles of the feed the request names.
func (s *Server) feedChannel(r *http.Request) (feedChannel, error) {
	ctx := r.Context()
	site, err := s.Svc.Site(ctx)
	if err != nil {
		return feedChannel{}, err
	}
	ch := feedChannel{Site: site, Title: site.Name, Description: site.Description, Home: s.absURL("/"), Base: "/"}
	if ch.Description == "" {
		ch.Description = site.Slogan
	}
	f := news.ArticleFilter{Limit: feedItems}
	switch {
	case r.PathValue("slug") != "":
		sec, err := s.Svc.Section(ctx, r.PathValue("slug"))
		if err != nil {
			return feedChannel{}, err
		}
		f.SectionID = sec.ID
		ch.Title = site.Name + " - " + sec.Name
		ch.Description = site.Name + " " + sec.Name + " 섹션의 최신 기사"
		ch.Home = s.absURL("/sections/" + sec.Slug)
		ch.Base = "/sections/" + sec.Slug + "/"
	case r.PathValue("id") != "":
		id, err := pathID(r, "id")
		if err != nil {
			return feedChannel{}, err
		}
		rep, err := s.Svc.Reporter(ctx, id)
		if err != nil {
			return feedChannel{}, err
		}
		f.ReporterID = rep.ID
		ch.Title = site.Name + " - " + strings.TrimSpace(rep.Name+" "+rep.Role)
		ch.Description = site.Name + " " + rep.Name + " " + rep.Role + "의 최신 기사"
		ch.Home = s.absURL("/reporters/" + strconv.FormatInt(rep.ID, 10))
		ch.Base = "/reporters/" + strconv.FormatInt(rep.ID, 10) + "/"
	}
	list, _, err := s.Svc.Articles(ctx, f)
	if err != nil {
		return feedChannel{}, err
	}
	for i := range list {
		a := &list[i]
		item := feedItem{Article: *a, URL: s.absURL(articlePath(a.ID)), Summary: a.Summary()}
		if s.FeedContent == FeedFull {
			item.HTML = s.articleHTML(a)
		}
		if item.Image, err = s.feedImage(ctx, a); err != nil {
			return feedChannel{}, err
		}
		if err := s.liveFeedItem(r, &item); err != nil {
			return feedChannel{}, err
		}
		if m := modified(a); m.After(ch.Updated) {
			ch.Updated = m
		}
		ch.Items = append(ch.Items, item)
	}
	if ch.Updated.IsZero() {
		ch.Updated = s.Svc.Now()
	}
	return ch, nil
}

// feedImage describes an article's lead photo at its largest stored width,
// or returns nil if the article has none.
func (s *Server) feedImage(ctx context.Context, a *news.Article) (*feedImage, error) {
	p := a.LeadPhoto()
	if p.PhotoID == 0 {
		return nil, nil
	}
	photo, err := s.Svc.Photo(ctx, p.PhotoID)
	if err != nil {
		return nil, fmt.Errorf("feed image of article %d: %w", a.ID, err)
	}
	width := photo.Width
	if len(p.Widths) > 0 {
		width = p.Widths[len(p.Widths)-1]
	}
	size, err := s.Svc.PhotoVariantSize(ctx, p.PhotoID, width)
	if err != nil {
		return nil, fmt.Errorf("feed image of article %d: %w", a.ID, err)
	}
	desc := photo.Caption
	if photo.Credit != "" {
		desc += " " + photo.Credit
	}
	return &feedImage{
		URL: s.absURL(photoURL(p.PhotoID, width)), Type: photo.ContentType, Length: size,
		Width: width, Height: photo.Height * width / max(photo.Width, 1), Description: strings.TrimSpace(desc),
	}, nil
}

// articleHTML renders an article's deck and body as self-contained HTML for
// feed readers: absolute image URLs, no classes or scripts.
func (s *Server) articleHTML(a *news.Article) string {
	var b strings.Builder
	esc := html.EscapeString
	if len(a.Deck) > 0 {
		b.WriteString("<ul>")
		for _, d := range a.Deck {
			b.WriteString("<li>" + esc(d) + "</li>")
		}
		b.WriteString("</ul>")
	}
	for _, bl := range a.Blocks {
		switch bl.Type {
		case news.BlockParagraph:
			b.WriteString("<p>" + news.InlineHTML(bl.Text) + "</p>")
		case news.BlockList:
			tag := "ul"
			if bl.Ordered {
				tag = "ol"
			}
			b.WriteString("<" + tag + ">")
			for _, it := range bl.Items {
				b.WriteString("<li>" + news.InlineHTML(it) + "</li>")
			}
			b.WriteString("</" + tag + ">")
		case news.BlockIntertitle:
			b.WriteString("<h2>" + esc(bl.Text) + "</h2>")
		case news.BlockQuote:
			b.WriteString("<blockquote><p>" + news.InlineHTML(bl.Text) + "</p>")
			if bl.Cite != "" {
				b.WriteString("<footer>— <cite>" + esc(bl.Cite) + "</cite></footer>")
			}
			b.WriteString("</blockquote>")
		case news.BlockPhoto:
			b.WriteString("<figure>")
			for _, p := range bl.Photos {
				w := largestWidth(p)
				fmt.Fprintf(&b, `<img src="%s" width="%d" height="%d" alt="%s">`,
					esc(s.absURL(photoURL(p.PhotoID, w))), w, p.Height*w/max(p.Width, 1), esc(p.Alt))
			}
			if cap := strings.TrimSpace(bl.Caption + " " + bl.Credit); cap != "" {
				b.WriteString("<figcaption>" + esc(cap) + "</figcaption>")
			}
			b.WriteString("</figure>")
		}
	}
	for _, by := range a.Bylines {
		b.WriteString("<p>" + esc(bylineText(by)) + "</p>")
	}
	return b.String()
}

// authorNames joins an article's bylines, or names the site.
func authorNames(a *news.Article, site news.Site) string {
	var names []string
	for _, b := range a.Bylines {
		names = append(names, strings.TrimSpace(b.Name+" "+b.Role))
	}
	if len(names) == 0 {
		return site.Name
	}
	return strings.Join(names, ", ")
}

// rfc822KST is RSS's date format, in KST: Mon, 18 Mar 2024 04:30:00 +0900.
func rfc822KST(t time.Time) string { return t.In(news.KST).Format(time.RFC1123Z) }

// RSS 2.0 (https://www.rssboard.org/rss-specification) with the content,
// Dublin Core, Atom (self link) and Media RSS extensions.

type rssXML struct {
	XMLName   xml.Name      `xml:"rss"`
	Version   string        `xml:"version,attr"`
	AtomNS    string        `xml:"xmlns:atom,attr"`
	ContentNS string        `xml:"xmlns:content,attr"`
	DCNS      string        `xml:"xmlns:dc,attr"`
	MediaNS   string        `xml:"xmlns:media,attr"`
	Channel   rssChannelXML `xml:"channel"`
}

type rssChannelXML struct {
	Title         string       `xml:"title"`
	Link          string       `xml:"link"`
	Description   string       `xml:"description"`
	Language      string       `xml:"language"`
	Copyright     string       `xml:"copyright,omitempty"`
	LastBuildDate string       `xml:"lastBuildDate"`
	Generator     string       `xml:"generator"`
	Self          atomLinkXML  `xml:"atom:link"`
	Items         []rssItemXML `xml:"item"`
}

type atomLinkXML struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItemXML struct {
	Title       string           `xml:"title"`
	Link        string           `xml:"link"`
	GUID        rssGUIDXML       `xml:"guid"`
	PubDate     string           `xml:"pubDate"`
	Creator     string           `xml:"dc:creator"`
	Categories  []string         `xml:"category"`
	Description string           `xml:"description"`
	Content     *cdataXML        `xml:"content:encoded,omitempty"`
	Enclosure   *rssEnclosureXML `xml:"enclosure,omitempty"`
	Media       *mediaContentXML `xml:"media:content,omitempty"`
}

type rssGUIDXML struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type cdataXML struct {
	Value string `xml:",cdata"`
}

type rssEnclosureXML struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type mediaContentXML struct {
	URL         string `xml:"url,attr"`
	Type        string `xml:"type,attr"`
	Medium      string `xml:"medium,attr"`
	Width       int    `xml:"width,attr"`
	Height      int    `xml:"height,attr"`
	FileSize    int64  `xml:"fileSize,attr"`
	Description string `xml:"media:description,omitempty"`
}

func (s *Server) rssFeed(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	ch, err := s.feedChannel(r)
	if err != nil {
		return err
	}
	doc := rssXML{
		Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", ContentNS: "http://purl.org/rss/1.0/modules/content/",
		DCNS: "http://purl.org/dc/elements/1.1/", MediaNS: "http://search.yahoo.com/mrss/",
		Channel: rssChannelXML{
			Title: ch.Title, Link: ch.Home, Description: ch.Description, Language: "ko",
			Copyright: ch.Site.Copyright, LastBuildDate: rfc822KST(ch.Updated), Generator: "Jikji",
			Self:  atomLinkXML{Href: s.absURL(ch.Base + "feed.xml"), Rel: "self", Type: "application/rss+xml"},
			Items: []rssItemXML{},
		},
	}
	for _, it := range ch.Items {
		a := &it.Article
		x := rssItemXML{
			Title: a.Headline, Link: it.URL, GUID: rssGUIDXML{IsPermaLink: true, Value: it.URL},
			PubDate: rfc822KST(a.PublishedAt), Creator: authorNames(a, ch.Site),
			Categories: []string{a.Section.Name}, Description: it.Summary,
		}
		if it.HTML != "" {
			x.Content = &cdataXML{it.HTML}
		}
		if im := it.Image; im != nil {
			x.Enclosure = &rssEnclosureXML{URL: im.URL, Length: im.Length, Type: im.Type}
			x.Media = &mediaContentXML{URL: im.URL, Type: im.Type, Medium: "image", Width: im.Width, Height: im.Height,
				FileSize: im.Length, Description: im.Description}
		}
		doc.Channel.Items = append(doc.Channel.Items, x)
	}
	return writeXML(w, "application/rss+xml; charset=utf-8", doc)
}

// Atom 1.0 (RFC 4287).

type atomFeedXML struct {
	XMLName  xml.Name       `xml:"feed"`
	NS       string         `xml:"xmlns,attr"`
	Lang     string         `xml:"xml:lang,attr"`
	ID       string         `xml:"id"`
	Title    string         `xml:"title"`
	Subtitle string         `xml:"subtitle,omitempty"`
	Updated  string         `xml:"updated"`
	Links    []atomLinkFull `xml:"link"`
	Author   atomPersonXML  `xml:"author"`
	Rights   string         `xml:"rights,omitempty"`
	Gen      string         `xml:"generator"`
	Entries  []atomEntryXML `xml:"entry"`
}

type atomLinkFull struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomPersonXML struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomTextXML struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCategoryXML struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomEntryXML struct {
	ID        string          `xml:"id"`
	Title     string          `xml:"title"`
	Links     []atomLinkFull  `xml:"link"`
	Published string          `xml:"published"`
	Updated   string          `xml:"updated"`
	Authors   []atomPersonXML `xml:"author"`
	Category  atomCategoryXML `xml:"category"`
	Summary   atomTextXML     `xml:"summary"`
	Content   *atomTextXML    `xml:"content,omitempty"`
}

func (s *Server) atomFeed(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	ch, err := s.feedChannel(r)
	if err != nil {
		return err
	}
	self := s.absURL(ch.Base + "atom.xml")
	doc := atomFeedXML{
		NS: "http://www.w3.org/2005/Atom", Lang: "ko", ID: self, Title: ch.Title, Subtitle: ch.Description,
		Updated: news.RFC3339KST(ch.Updated),
		Links: []atomLinkFull{
			{Href: ch.Home, Rel: "alternate", Type: "text/html"},
			{Href: self, Rel: "self", Type: "application/atom+xml"},
		},
		Author: atomPersonXML{Name: ch.Site.Name, URI: s.absURL("/")}, Rights: ch.Site.Copyright, Gen: "Jikji",
		Entries: []atomEntryXML{},
	}
	for _, it := range ch.Items {
		a := &it.Article
		e := atomEntryXML{
			ID: it.URL, Title: a.Headline,
			Links:     []atomLinkFull{{Href: it.URL, Rel: "alternate", Type: "text/html"}},
			Published: news.RFC3339KST(a.PublishedAt), Updated: news.RFC3339KST(modified(a)),
			Category: atomCategoryXML{Term: a.Section.Slug, Label: a.Section.Name},
			Summary:  atomTextXML{Type: "text", Value: it.Summary},
		}
		for _, b := range a.Bylines {
			e.Authors = append(e.Authors, atomPersonXML{Name: strings.TrimSpace(b.Name + " " + b.Role),
				URI: s.absURL("/reporters/" + strconv.FormatInt(b.ReporterID, 10))})
		}
		if it.HTML != "" {
			e.Content = &atomTextXML{Type: "html", Value: it.HTML}
		}
		if im := it.Image; im != nil {
			e.Links = append(e.Links, atomLinkFull{Href: im.URL, Rel: "enclosure", Type: im.Type, Length: im.Length})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return writeXML(w, "application/atom+xml; charset=utf-8", doc)
}

// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

type jsonFeed struct {
	Version     string           `json:"version"`
	Title       string           `json:"title"`
	HomePageURL string           `json:"home_page_url"`
	FeedURL     string           `json:"feed_url"`
	Description string           `json:"description,omitempty"`
	Language    string           `json:"language"`
	Authors     []jsonFeedAuthor `json:"authors"`
	Items       []jsonFeedItem   `json:"items"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonFeedItem struct {
	ID            string               `json:"id"`
	URL           string               `json:"url"`
	Title         string               `json:"title"`
	ContentHTML   string               `json:"content_html,omitempty"`
	ContentText   string               `json:"content_text,omitempty"`
	Summary       string               `json:"summary,omitempty"`
	Image         string               `json:"image,omitempty"`
	DatePublished string               `json:"date_published"`
	DateModified  string               `json:"date_modified"`
	Authors       []jsonFeedAuthor     `json:"authors,omitempty"`
	Tags          []string             `json:"tags,omitempty"`
	Language      string               `json:"language"`
	Attachments   []jsonFeedAttachment `json:"attachments,omitempty"`
}

type jsonFeedAttachment struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
	Title    string `json:"title,omitempty"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

func (s *Server) jsonFeed(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	ch, err := s.feedChannel(r)
	if err != nil {
		return err
	}
	doc := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: ch.Title, HomePageURL: ch.Home,
		FeedURL: s.absURL(ch.Base + "feed.json"), Description: ch.Description, Language: "ko",
		Authors: []jsonFeedAuthor{{Name: ch.Site.Name, URL: s.absURL("/")}}, Items: []jsonFeedItem{},
	}
	for _, it := range ch.Items {
		a := &it.Article
		x := jsonFeedItem{
			ID: it.URL, URL: it.URL, Title: a.Headline, Summary: it.Summary,
			DatePublished: news.RFC3339KST(a.PublishedAt), DateModified: news.RFC3339KST(modified(a)),
			Tags: []string{a.Section.Name}, Language: "ko",
		}
		if it.HTML != "" {
			x.ContentHTML = it.HTML
		} else {
			// An item must have content; in summary mode it is the summary.
			x.ContentText = it.Summary
		}
		for _, b := range a.Bylines {
			x.Authors = append(x.Authors, jsonFeedAuthor{Name: strings.TrimSpace(b.Name + " " + b.Role),
				URL: s.absURL("/reporters/" + strconv.FormatInt(b.ReporterID, 10))})
		}
		if im := it.Image; im != nil {
			x.Image = im.URL
			x.Attachments = []jsonFeedAttachment{{URL: im.URL, MimeType: im.Type, Title: im.Description, Size: im.Length}}
		}
		doc.Items = append(doc.Items, x)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode json feed: %w", err)
	}
	w.Header().Set("Content-Type", "application/feed+json; charset=utf-8")
	_, err = w.Write(buf.Bytes())
	return err
}
