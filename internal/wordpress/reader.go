// Package wordpress reads WordPress eXtended RSS (WXR) exports, as Tools →
// Export writes them, and turns their posts into Jikji articles: the reader
// streams the file item by item, the converter turns classic-editor HTML
// and block-editor content into body blocks, and the importer writes them
// into a site through news.Store.
package wordpress

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"
)

// Site is what an export says about the site before its items.
type Site struct {
	Title       string
	Link        string
	Description string
	Language    string
	WXRVersion  string
	BaseSiteURL string
	BaseBlogURL string
	Authors     []Author
	Categories  []Category
	Tags        []Term
}

// Author is a wp:author of the export.
type Author struct {
	ID          string
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
}

// Category is a wp:category; Parent is the parent's slug.
type Category struct {
	TermID      string
	Slug        string
	Parent      string
	Name        string
	Description string
}

// Term is a tag of the export, or a category or tag as an item names it
// (Domain "category" or "post_tag").
type Term struct {
	Domain string
	Slug   string
	Name   string
}

// Item is one post, page, attachment or other post type of the export.
type Item struct {
	Title         string
	Link          string
	PubDate       string
	Creator       string // the author's login
	GUID          string
	Content       string
	Excerpt       string
	PostID        int64
	PostDate      string // local time of the site, "2006-01-02 15:04:05"
	PostDateGMT   string // "0000-00-00 00:00:00" for drafts
	Modified      string
	ModifiedGMT   string
	CommentStatus string
	PostName      string
	Status        string
	Parent        int64
	PostType      string
	Password      string
	Sticky        bool
	AttachmentURL string
	Terms         []Term
	Meta          map[string]string
	Comments      []Comment
}

// Comment is a wp:comment of an item.
type Comment struct {
	ID          string
	Author      string
	AuthorEmail string
	AuthorURL   string
	Date        string
	DateGMT     string
	Content     string
	Approved    string // "1", "0", "spam", "trash"
	Type        string // "comment", "pingback", "trackback", "" …
	Parent      string // "0" for a top-level comment
	UserID      string
}

// ErrNotWXR is returned for a file that is not a WordPress export at all.
var ErrNotWXR = errors.New("not a WordPress export (WXR)")

// CutShortError says where an export that ends early stopped: the items
// before it were read whole.
type CutShortError struct {
	Line       int   // the line of the file where reading stopped
	Offset     int64 // bytes read
	LastPostID int64 // the last item read whole, 0 if none
	Err        error
}

func (e *CutShortError) Error() string {
	return fmt.Sprintf("export ends early at line %d (byte %d), after item %d: %v", e.Line, e.Offset, e.LastPostID, e.Err)
}

func (e *CutShortError) Unwrap() error { return e.Err }

// Reader reads an export item by item, holding one item in memory.
type Reader struct {
	d     *xml.Decoder
	site  Site
	next  *xml.StartElement // the first item's start, read with the header
	last  int64
	done  bool
	count *countingReader
}

type countingReader struct {
	r *bufio.Reader
	n int64
}

// Read drops the bytes XML 1.0 forbids (control characters other than tab
// and line breaks), which old plugins leave in exports and which would
// otherwise stop the whole file.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	j := 0
	for i := 0; i < n; i++ {
		b := p[i]
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			continue
		}
		p[j] = b
		j++
	}
	if j == 0 && n > 0 && err == nil {
		return c.Read(p)
	}
	return j, err
}

// NewReader reads the export's header (site, authors, categories, tags) up
// to its first item. Returns ErrNotWXR for anything that is not an RSS
// document with WordPress's export elements.
func NewReader(r io.Reader) (*Reader, error) {
	cr := &countingReader{r: bufio.NewReaderSize(r, 256<<10)}
	d := xml.NewDecoder(cr)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	rd := &Reader{d: d, count: cr}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Site returns what the header said.
func (r *Reader) Site() Site { return r.site }

// Offset returns how many bytes of the file have been read.
func (r *Reader) Offset() int64 { return r.count.n }

// space names the namespaces WXR uses by what they are, whatever version
// or prefix the file declares: "wp", "excerpt", "content", "dc" or "".
func space(n xml.Name) string {
	s := n.Space
	switch {
	case s == "":
		return ""
	case strings.Contains(s, "wordpress.org/export") && strings.Contains(s, "excerpt"), s == "excerpt":
		return "excerpt"
	case strings.Contains(s, "wordpress.org/export"), s == "wp", strings.Contains(s, "wordpress.com/export"):
		return "wp"
	case strings.Contains(s, "purl.org/rss/1.0/modules/content"), s == "content":
		return "content"
	case strings.Contains(s, "purl.org/dc"), s == "dc":
		return "dc"
	}
	return s
}

func (r *Reader) readHeader() error {
	sawRSS, sawChannel, sawWP := false, false, false
	for {
		tok, err := r.d.Token()
		if err != nil {
			if sawChannel && sawWP {
				// A header with no item at all, or cut short in it.
				r.done = true
				if errors.Is(err, io.EOF) {
					return nil
				}
			}
			return ErrNotWXR
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !sawRSS {
			if se.Name.Local != "rss" {
				return ErrNotWXR
			}
			sawRSS = true
			for _, a := range se.Attr {
				if a.Name.Space == "xmlns" && space(xml.Name{Space: a.Value}) == "wp" {
					sawWP = true
				}
			}
			continue
		}
		if se.Name.Local == "channel" && !sawChannel {
			sawChannel = true
			continue
		}
		if !sawChannel {
			return ErrNotWXR
		}
		if se.Name.Local == "item" && space(se.Name) == "" {
			if !sawWP {
				return ErrNotWXR
			}
			r.next = &se
			return nil
		}
		if err := r.headerElement(se, &sawWP); err != nil {
			return ErrNotWXR
		}
	}
}

func (r *Reader) headerElement(se xml.StartElement, sawWP *bool) error {
	ns := space(se.Name)
	if ns == "wp" {
		*sawWP = true
	}
	switch {
	case ns == "" && se.Name.Local == "title":
		return r.text(&r.site.Title)
	case ns == "" && se.Name.Local == "link":
		return r.text(&r.site.Link)
	case ns == "" && se.Name.Local == "description":
		return r.text(&r.site.Description)
	case ns == "" && se.Name.Local == "language":
		return r.text(&r.site.Language)
	case ns == "wp" && se.Name.Local == "wxr_version":
		return r.text(&r.site.WXRVersion)
	case ns == "wp" && se.Name.Local == "base_site_url":
		return r.text(&r.site.BaseSiteURL)
	case ns == "wp" && se.Name.Local == "base_blog_url":
		return r.text(&r.site.BaseBlogURL)
	case ns == "wp" && se.Name.Local == "author":
		var a Author
		err := r.fields(func(name xml.Name) *string {
			switch name.Local {
			case "author_id":
				return &a.ID
			case "author_login":
				return &a.Login
			case "author_email":
				return &a.Email
			case "author_display_name":
				return &a.DisplayName
			case "author_first_name":
				return &a.FirstName
			case "author_last_name":
				return &a.LastName
			}
			return nil
		})
		r.site.Authors = append(r.site.Authors, a)
		return err
	case ns == "wp" && se.Name.Local == "category":
		var c Category
		err := r.fields(func(name xml.Name) *string {
			switch name.Local {
			case "term_id":
				return &c.TermID
			case "category_nicename":
				return &c.Slug
			case "category_parent":
				return &c.Parent
			case "cat_name":
				return &c.Name
			case "category_description":
				return &c.Description
			}
			return nil
		})
		r.site.Categories = append(r.site.Categories, c)
		return err
	case ns == "wp" && se.Name.Local == "tag":
		t := Term{Domain: "post_tag"}
		err := r.fields(func(name xml.Name) *string {
			switch name.Local {
			case "tag_slug":
				return &t.Slug
			case "tag_name":
				return &t.Name
			}
			return nil
		})
		r.site.Tags = append(r.site.Tags, t)
		return err
	}
	return r.d.Skip()
}

// text reads the character data of the element just started, up to its
// end, trimmed.
func (r *Reader) text(dst *string) error {
	if err := r.raw(dst); err != nil {
		return err
	}
	*dst = strings.TrimSpace(*dst)
	return nil
}

// fields reads the children of the element just started, storing the text
// of each child that field names a destination for.
func (r *Reader) fields(field func(xml.Name) *string) error {
	for {
		tok, err := r.d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if dst := field(t.Name); dst != nil {
				if err := r.text(dst); err != nil {
					return err
				}
			} else if err := r.d.Skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// Next returns the next item. It returns io.EOF after the last one, and a
// *CutShortError if the file ends (or breaks) before the channel closes:
// the items returned before it were whole.
func (r *Reader) Next() (Item, error) {
	if r.done {
		return Item{}, io.EOF
	}
	for {
		var se xml.StartElement
		if r.next != nil {
			se, r.next = *r.next, nil
		} else {
			tok, err := r.d.Token()
			if errors.Is(err, io.EOF) {
				r.done = true
				return Item{}, r.cutShort(io.ErrUnexpectedEOF)
			}
			if err != nil {
				r.done = true
				return Item{}, r.cutShort(err)
			}
			switch t := tok.(type) {
			case xml.StartElement:
				se = t
			case xml.EndElement:
				if t.Name.Local == "channel" || t.Name.Local == "rss" {
					r.done = true
					return Item{}, io.EOF
				}
				continue
			default:
				continue
			}
		}
		if se.Name.Local != "item" {
			var sawWP bool
			if err := r.headerElement(se, &sawWP); err != nil {
				r.done = true
				return Item{}, r.cutShort(err)
			}
			continue
		}
		it, err := r.item()
		if err != nil {
			r.done = true
			return Item{}, r.cutShort(err)
		}
		r.last = it.PostID
		return it, nil
	}
}

func (r *Reader) cutShort(err error) error {
	line, _ := r.d.InputPos()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &CutShortError{Line: line, Offset: r.d.InputOffset(), LastPostID: r.last, Err: err}
}

func (r *Reader) item() (Item, error) {
	it := Item{Meta: map[string]string{}}
	var postID, parent, sticky string
	for {
		tok, err := r.d.Token()
		if err != nil {
			return Item{}, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			it.PostID, _ = strconv.ParseInt(strings.TrimSpace(postID), 10, 64)
			it.Parent, _ = strconv.ParseInt(strings.TrimSpace(parent), 10, 64)
			it.Sticky = strings.TrimSpace(sticky) == "1"
			return it, nil
		case xml.StartElement:
			ns, local := space(t.Name), t.Name.Local
			var dst *string
			switch {
			case ns == "" && local == "title":
				dst = &it.Title
			case ns == "" && local == "link":
				dst = &it.Link
			case ns == "" && local == "pubDate":
				dst = &it.PubDate
			case ns == "" && local == "guid":
				dst = &it.GUID
			case ns == "dc" && local == "creator":
				dst = &it.Creator
			case ns == "content" && local == "encoded":
				if err := r.raw(&it.Content); err != nil {
					return Item{}, err
				}
				continue
			case ns == "excerpt" && local == "encoded":
				if err := r.raw(&it.Excerpt); err != nil {
					return Item{}, err
				}
				continue
			case ns == "" && local == "category":
				term := Term{Domain: "category"}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "domain":
						term.Domain = a.Value
					case "nicename":
						term.Slug = a.Value
					}
				}
				if err := r.text(&term.Name); err != nil {
					return Item{}, err
				}
				it.Terms = append(it.Terms, term)
				continue
			case ns == "wp":
				switch local {
				case "post_id":
					dst = &postID
				case "post_date":
					dst = &it.PostDate
				case "post_date_gmt":
					dst = &it.PostDateGMT
				case "post_modified":
					dst = &it.Modified
				case "post_modified_gmt":
					dst = &it.ModifiedGMT
				case "comment_status":
					dst = &it.CommentStatus
				case "post_name":
					dst = &it.PostName
				case "status":
					dst = &it.Status
				case "post_parent":
					dst = &parent
				case "post_type":
					dst = &it.PostType
				case "post_password":
					dst = &it.Password
				case "is_sticky":
					dst = &sticky
				case "attachment_url":
					dst = &it.AttachmentURL
				case "postmeta":
					var key, value string
					err := r.fields(func(n xml.Name) *string {
						switch n.Local {
						case "meta_key":
							return &key
						case "meta_value":
							return &value
						}
						return nil
					})
					if err != nil {
						return Item{}, err
					}
					it.Meta[key] = value
					continue
				case "comment":
					c, err := r.comment()
					if err != nil {
						return Item{}, err
					}
					it.Comments = append(it.Comments, c)
					continue
				}
			}
			if dst == nil {
				if err := r.d.Skip(); err != nil {
					return Item{}, err
				}
				continue
			}
			if err := r.text(dst); err != nil {
				return Item{}, err
			}
		}
	}
}

// raw reads content untrimmed: leading blank lines of a classic post
// matter no more than trailing ones, but spaces inside must stay.
func (r *Reader) raw(dst *string) error {
	var b strings.Builder
	depth := 0
	for {
		tok, err := r.d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			// Content someone left unescaped: keep its text.
			depth++
		case xml.EndElement:
			if depth == 0 {
				*dst = b.String()
				return nil
			}
			depth--
		}
	}
}

func (r *Reader) comment() (Comment, error) {
	var c Comment
	err := r.fields(func(n xml.Name) *string {
		switch n.Local {
		case "comment_id":
			return &c.ID
		case "comment_author":
			return &c.Author
		case "comment_author_email":
			return &c.AuthorEmail
		case "comment_author_url":
			return &c.AuthorURL
		case "comment_date":
			return &c.Date
		case "comment_date_gmt":
			return &c.DateGMT
		case "comment_content":
			return &c.Content
		case "comment_approved":
			return &c.Approved
		case "comment_type":
			return &c.Type
		case "comment_parent":
			return &c.Parent
		case "comment_user_id":
			return &c.UserID
		}
		return nil
	})
	return c, err
}
