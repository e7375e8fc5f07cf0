package wordpress

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"jikji/internal/news"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PhotoRef is a photo of the site as a post's body refers to it.
type PhotoRef struct {
	PhotoID int64
	Width   int
	Height  int
	Widths  []int
	Alt     string
	Caption string
	Credit  string
}

// Photos finds the photos an import made of the export's attachments.
type Photos interface {
	// ByID finds the photo made of the attachment with that post id.
	ByID(attachmentID int64) (PhotoRef, bool)
	// ByURL finds the photo made of the file an image URL points at,
	// whatever size of it the URL names.
	ByURL(url string) (PhotoRef, bool)
	// Children lists the attachments of a post, for a [gallery] that names
	// no ids.
	Children(postID int64) []int64
}

// Stats counts what a conversion left out.
type Stats struct {
	// Shortcodes counts the dropped unknown shortcodes by name.
	Shortcodes map[string]int
	// MissingPhotos counts images whose photo the import does not have.
	MissingPhotos int
	// ExternalImages counts images from other sites, which are not fetched.
	ExternalImages int
}

func (s *Stats) shortcode(name string) {
	if s.Shortcodes == nil {
		s.Shortcodes = map[string]int{}
	}
	s.Shortcodes[name]++
}

// Converter turns post content into body blocks.
type Converter struct {
	Photos Photos
	// OldBase is the old site's URL ("https://news.example.com"); links to
	// it become paths of this site, which its old links then redirect.
	OldBase string
	// Site is the URL the export names, if another: links to it too.
	Site string
}

// Convert turns classic-editor HTML or block-editor content of the post
// with the given id into body blocks.
func (cv *Converter) Convert(postID int64, content string, stats *Stats) []news.Block {
	c := &conversion{cv: cv, postID: postID, stats: stats}
	content = c.shortcodes(content)
	nodes, err := html.ParseFragment(strings.NewReader(content), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		// The HTML parser accepts anything; an error is a reader's.
		nodes = []*html.Node{{Type: html.TextNode, Data: content}}
	}
	for _, n := range nodes {
		c.block(n)
	}
	c.flush()
	return c.blocks
}

type conversion struct {
	cv     *Converter
	postID int64
	stats  *Stats
	blocks []news.Block
	para   strings.Builder
	bold   int
	italic int
	link   bool
}

// Shortcodes: [name attr="v"], [name]…[/name], [name /]. Only names made
// of ASCII letters, digits, - and _ starting with a lower-case letter
// count, and a bare [name] only when [/name] closes it, so that bracketed
// words of the text ([단독], [AP]) stay text.
var shortcodeRE = regexp.MustCompile(`\[(\[?)(/?)([a-z][a-zA-Z0-9_-]*)((?:\s[^\[\]]*?)?)(/?)\](\]?)`)

var attrRE = regexp.MustCompile(`([a-zA-Z_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))`)

func shortcodeAttrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[strings.ToLower(a[1])] = a[2] + a[3] + a[4]
	}
	return m
}

var imageStartRE = regexp.MustCompile(`(?is)^\s*(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?`)

// shortcodes turns the shortcodes WordPress itself knows into HTML this
// converter reads, and drops the others (counting them), keeping any text
// they enclose.
func (c *conversion) shortcodes(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var out strings.Builder
	for {
		m := shortcodeRE.FindStringSubmatchIndex(s)
		if m == nil {
			out.WriteString(s)
			return out.String()
		}
		out.WriteString(s[:m[0]])
		whole := s[m[0]:m[1]]
		escOpen, closing, name, attrs := s[m[2]:m[3]], s[m[4]:m[5]] != "", s[m[6]:m[7]], s[m[8]:m[9]]
		selfClosing, escClose := s[m[10]:m[11]] != "", s[m[12]:m[13]]
		rest := s[m[1]:]
		if escOpen != "" && escClose != "" {
			// [[name]] is how WordPress writes a shortcode as text.
			out.WriteString(whole[1 : len(whole)-1])
			s = rest
			continue
		}
		endTag := "[/" + name + "]"
		end := -1
		if !closing && !selfClosing {
			end = strings.Index(rest, endTag)
		}
		if closing {
			if !isKnownShortcode(name) {
				c.stats.shortcode(name)
			}
			s = rest
			continue
		}
		if end < 0 && strings.TrimSpace(attrs) == "" && !selfClosing {
			// [word] alone is text.
			out.WriteString(whole)
			s = rest
			continue
		}
		inner := ""
		if end >= 0 {
			inner, rest = rest[:end], rest[end+len(endTag):]
		}
		a := shortcodeAttrs(attrs)
		switch name {
		case "caption", "wp_caption":
			out.WriteString(captionHTML(inner, a))
		case "gallery":
			ids := a["ids"]
			if ids == "" && a["include"] != "" {
				ids = a["include"]
			}
			if ids == "" && c.cv.Photos != nil {
				var parts []string
				for _, id := range c.cv.Photos.Children(c.postID) {
					parts = append(parts, strconv.FormatInt(id, 10))
				}
				ids = strings.Join(parts, ",")
			}
			out.WriteString(`<figure class="jikji-gallery" data-ids="` + html.EscapeString(ids) + `"></figure>`)
			out.WriteString(inner)
		case "embed":
			u := strings.TrimSpace(inner)
			if u == "" {
				u = a["src"]
			}
			out.WriteString(`<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + `</a></p>`)
		case "audio", "video":
			src := a["src"]
			for _, k := range []string{"mp4", "mp3", "m4a", "ogg", "webm", "wav"} {
				if src == "" {
					src = a[k]
				}
			}
			if src != "" {
				out.WriteString(`<p><a href="` + html.EscapeString(src) + `">` + html.EscapeString(src) + `</a></p>`)
			} else {
				c.stats.shortcode(name)
			}
			out.WriteString(inner)
		default:
			c.stats.shortcode(name)
			out.WriteString(inner)
		}
		s = rest
	}
}

func isKnownShortcode(name string) bool {
	switch name {
	case "caption", "wp_caption", "gallery", "embed", "audio", "video":
		return true
	}
	return false
}

// captionHTML writes a [caption]: its image, then its text as the caption.
func captionHTML(inner string, attrs map[string]string) string {
	img := imageStartRE.FindString(inner)
	text := strings.TrimSpace(inner[len(img):])
	if text == "" {
		text = attrs["caption"]
	}
	return `<figure class="jikji-caption">` + img + `<figcaption>` + text + `</figcaption></figure>`
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" {
			for _, c := range strings.Fields(a.Val) {
				if c == class {
					return true
				}
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

var blankLineRE = regexp.MustCompile(`\n[ \t\r\f\v\x{a0}]*\n`)

// block converts a node met where blocks may start.
func (c *conversion) block(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		parts := blankLineRE.Split(n.Data, -1)
		for i, p := range parts {
			if i > 0 {
				c.flush()
			}
			c.text(p)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.P:
		c.flush()
		c.inlineChildren(n)
		c.flush()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.flush()
		if t := plainText(n); t != "" {
			c.blocks = append(c.blocks, news.Block{Type: news.BlockIntertitle, Text: t})
		}
	case atom.Blockquote:
		c.flush()
		c.quote(n)
	case atom.Ul, atom.Ol:
		c.flush()
		c.list(n)
	case atom.Figure:
		c.flush()
		c.figure(n)
		c.flush()
	case atom.Img:
		c.flush()
		c.photos([]*html.Node{n}, "", false)
	case atom.Table:
		c.flush()
		c.table(n)
	case atom.Hr:
		c.flush()
	case atom.Br:
		c.para.WriteByte(' ')
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Form, atom.Input, atom.Button,
		atom.Select, atom.Textarea, atom.Object, atom.Embed, atom.Svg, atom.Canvas, atom.Head, atom.Title, atom.Meta, atom.Link:
	case atom.Iframe, atom.Video, atom.Audio:
		c.flush()
		c.mediaLink(n)
	case atom.Pre, atom.Dl, atom.Address:
		c.flush()
		c.inlineChildren(n)
		c.flush()
	case atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Footer, atom.Aside, atom.Center,
		atom.Nav, atom.Details, atom.Summary, atom.Figcaption, atom.Li, atom.Dd, atom.Dt, atom.Body, atom.Html:
		c.flush()
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.block(ch)
		}
		c.flush()
	default:
		c.inline(n)
	}
}

// text adds text to the current paragraph, whitespace collapsed.
func (c *conversion) text(s string) {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	fields := strings.Fields(s)
	if len(fields) == 0 {
		if s != "" && c.para.Len() > 0 {
			c.para.WriteByte(' ')
		}
		return
	}
	if startsSpace(s) && c.para.Len() > 0 {
		c.para.WriteByte(' ')
	}
	c.para.WriteString(news.EscapeInline(strings.Join(fields, " ")))
	if endsSpace(s) {
		c.para.WriteByte(' ')
	}
}

func startsSpace(s string) bool { return s != "" && strings.TrimLeft(s, " \t\r\n\f") != s }
func endsSpace(s string) bool   { return s != "" && strings.TrimRight(s, " \t\r\n\f") != s }

var bareURLRE = regexp.MustCompile(`^https?://[^\s\\*\[\]]+$`)

// flush ends the current paragraph. A paragraph that is a URL alone is
// what WordPress shows as an embed: it becomes a link.
func (c *conversion) flush() {
	t := strings.Join(strings.Fields(c.para.String()), " ")
	c.para.Reset()
	if t == "" {
		return
	}
	if bareURLRE.MatchString(t) {
		if u := linkTarget(t, c.cv.OldBase, c.cv.Site); u != "" {
			t = "[" + t + "](" + u + ")"
		}
	}
	c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: t})
}

func (c *conversion) inlineChildren(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inline(ch)
	}
}

// inline converts a node inside a paragraph. Images and blocks found
// there end the paragraph so far and come after it.
func (c *conversion) inline(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		c.text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Br:
		c.para.WriteByte(' ')
	case atom.Strong, atom.B:
		c.wrap(n, &c.bold, "**")
	case atom.Em, atom.I:
		c.wrap(n, &c.italic, "*")
	case atom.A:
		c.anchor(n)
	case atom.Img, atom.Figure, atom.Table, atom.Ul, atom.Ol, atom.Blockquote, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.P, atom.Div, atom.Iframe, atom.Video, atom.Audio, atom.Hr:
		if c.bold > 0 || c.italic > 0 || c.link {
			// Inside formatting the block cannot start; keep its text.
			c.inlineChildren(n)
			return
		}
		c.block(n)
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Form, atom.Input, atom.Button, atom.Select,
		atom.Textarea, atom.Object, atom.Embed, atom.Svg, atom.Canvas:
	default:
		c.inlineChildren(n)
	}
}

// wrap writes n's content between marks, unless already inside them.
func (c *conversion) wrap(n *html.Node, depth *int, mark string) {
	if *depth > 0 || plainText(n) == "" {
		c.inlineChildren(n)
		return
	}
	// Marks hug the text: spaces go outside them.
	var sub conversion
	sub.cv, sub.postID, sub.stats, sub.link = c.cv, c.postID, c.stats, c.link
	sub.bold, sub.italic = c.bold, c.italic
	*(sub.depthOf(mark)) = 1
	sub.inlineChildren(n)
	inner := sub.para.String()
	trimmed := strings.TrimSpace(inner)
	if startsSpace(inner) && c.para.Len() > 0 {
		c.para.WriteByte(' ')
	}
	c.para.WriteString(mark + trimmed + mark)
	if endsSpace(inner) {
		c.para.WriteByte(' ')
	}
	// Blocks found inside (an image in bold) come after.
	if len(sub.blocks) > 0 {
		c.flush()
		c.blocks = append(c.blocks, sub.blocks...)
	}
}

func (c *conversion) depthOf(mark string) *int {
	if mark == "**" {
		return &c.bold
	}
	return &c.italic
}

func (c *conversion) anchor(n *html.Node) {
	// An image wrapped in a link is the image.
	if img := onlyImage(n); img != nil {
		if c.bold > 0 || c.italic > 0 || c.link {
			return
		}
		c.flush()
		c.photos([]*html.Node{img}, "", false)
		return
	}
	u := linkTarget(attr(n, "href"), c.cv.OldBase, c.cv.Site)
	if u == "" || c.link || plainText(n) == "" {
		c.inlineChildren(n)
		return
	}
	var sub conversion
	sub.cv, sub.postID, sub.stats, sub.link = c.cv, c.postID, c.stats, true
	sub.bold, sub.italic = c.bold, c.italic
	sub.inlineChildren(n)
	inner := sub.para.String()
	if startsSpace(inner) && c.para.Len() > 0 {
		c.para.WriteByte(' ')
	}
	c.para.WriteString("[" + strings.TrimSpace(inner) + "](" + u + ")")
	if endsSpace(inner) {
		c.para.WriteByte(' ')
	}
}

// linkTarget makes an href a link Jikji's markup accepts: links to the old
// site become paths here, spaces and parentheses are escaped, and anything
// that is not http, https, mailto or a path gives "".
func linkTarget(href string, oldBases ...string) string {
	href = strings.TrimSpace(href)
rewrite:
	for _, oldBase := range oldBases {
		if oldBase == "" {
			continue
		}
		for _, base := range []string{oldBase, strings.Replace(oldBase, "https://", "http://", 1), strings.Replace(oldBase, "http://", "https://", 1)} {
			if rest, ok := strings.CutPrefix(href, base); ok && (rest == "" || rest[0] == '/' || rest[0] == '?') {
				href = "/" + strings.TrimPrefix(rest, "/")
				break rewrite
			}
		}
	}
	href = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "\"", "%22", "<", "%3C", ">", "%3E", "\t", "", "\n", "", "\r", "").Replace(href)
	if !news.SafeLink(href) {
		return ""
	}
	return href
}

// onlyImage returns the img that is n's only content, if it is.
func onlyImage(n *html.Node) *html.Node {
	var img *html.Node
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case ch.Type == html.TextNode && strings.TrimSpace(ch.Data) == "":
		case ch.Type == html.ElementNode && ch.DataAtom == atom.Img && img == nil:
			img = ch
		default:
			return nil
		}
	}
	return img
}

// plainText is the text of n, whitespace collapsed.
func plainText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Br, atom.P, atom.Li, atom.Div, atom.Td, atom.Th, atom.Tr:
				b.WriteByte(' ')
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(strings.ReplaceAll(b.String(), "\u00a0", " ")), " ")
}

// quote converts a blockquote: its paragraphs joined as the quote's text,
// its cite (or footer) as who is quoted.
func (c *conversion) quote(n *html.Node) {
	var cite []string
	sub := &conversion{cv: c.cv, postID: c.postID, stats: c.stats}
	//lint:ignore S1021 the closure calls itself, so it is declared first
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && (ch.DataAtom == atom.Cite || ch.DataAtom == atom.Footer) {
				sub.flush()
				if t := plainText(ch); t != "" {
					cite = append(cite, t)
				}
				continue
			}
			sub.block(ch)
		}
	}
	walk(n)
	sub.flush()
	var text []string
	var rest []news.Block
	for _, b := range sub.blocks {
		switch b.Type {
		case news.BlockParagraph, news.BlockIntertitle, news.BlockQuote:
			text = append(text, b.Text)
			if b.Cite != "" {
				text = append(text, news.EscapeInline(b.Cite))
			}
		case news.BlockList:
			text = append(text, b.Items...)
		default:
			rest = append(rest, b)
		}
	}
	if len(text) > 0 {
		c.blocks = append(c.blocks, news.Block{Type: news.BlockQuote, Text: strings.Join(text, " "), Cite: strings.Join(cite, " ")})
	} else if len(cite) > 0 {
		c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(strings.Join(cite, " "))})
	}
	c.blocks = append(c.blocks, rest...)
}

// list converts ul and ol; nested lists' items follow their parent item.
func (c *conversion) list(n *html.Node) {
	b := news.Block{Type: news.BlockList, Ordered: n.DataAtom == atom.Ol}
	var after []news.Block
	var items func(*html.Node)
	items = func(list *html.Node) {
		for li := list.FirstChild; li != nil; li = li.NextSibling {
			if li.Type != html.ElementNode {
				if li.Type == html.TextNode && strings.TrimSpace(li.Data) != "" {
					b.Items = append(b.Items, news.EscapeInline(strings.Join(strings.Fields(li.Data), " ")))
				}
				continue
			}
			if li.DataAtom == atom.Ul || li.DataAtom == atom.Ol {
				items(li)
				continue
			}
			sub := &conversion{cv: c.cv, postID: c.postID, stats: c.stats}
			var nested []*html.Node
			for ch := li.FirstChild; ch != nil; ch = ch.NextSibling {
				if ch.Type == html.ElementNode && (ch.DataAtom == atom.Ul || ch.DataAtom == atom.Ol) {
					nested = append(nested, ch)
					continue
				}
				sub.inline(ch)
			}
			sub.flush()
			var parts []string
			for _, bl := range sub.blocks {
				switch bl.Type {
				case news.BlockParagraph, news.BlockIntertitle, news.BlockQuote:
					parts = append(parts, bl.Text)
				case news.BlockList:
					parts = append(parts, bl.Items...)
				default:
					after = append(after, bl)
				}
			}
			if t := strings.Join(parts, " "); t != "" {
				b.Items = append(b.Items, t)
			}
			for _, nl := range nested {
				items(nl)
			}
		}
	}
	items(n)
	if len(b.Items) > 0 {
		c.blocks = append(c.blocks, b)
	}
	c.blocks = append(c.blocks, after...)
}

// table writes each row as a paragraph of its cells, and the caption.
func (c *conversion) table(n *html.Node) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.DataAtom {
			case atom.Tr:
				var cells []string
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cells = append(cells, news.EscapeInline(plainText(td)))
					}
				}
				if t := strings.TrimSpace(strings.Join(cells, " | ")); strings.Trim(t, "| ") != "" {
					c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: t})
				}
			case atom.Caption:
				if t := plainText(ch); t != "" {
					c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(t)})
				}
			default:
				walk(ch)
			}
		}
	}
	walk(n)
}

// mediaLink turns an iframe, video or audio into a link to its source.
func (c *conversion) mediaLink(n *html.Node) {
	src := attr(n, "src")
	if src == "" {
		for ch := n.FirstChild; ch != nil && src == ""; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && ch.DataAtom == atom.Source {
				src = attr(ch, "src")
			}
		}
	}
	if u := linkTarget(src, c.cv.OldBase, c.cv.Site); u != "" {
		c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: "[" + news.EscapeInline(u) + "](" + u + ")"})
	}
}

// figure converts a figure: an image or gallery with its caption, an
// embed, or a table.
func (c *conversion) figure(n *html.Node) {
	var caption string
	var imgs []*html.Node
	var items []string // captions of a gallery's own figures
	var tables []*html.Node
	var embed []string
	gallery := hasClass(n, "wp-block-gallery") || hasClass(n, "jikji-gallery") || hasClass(n, "gallery")
	if hasClass(n, "jikji-gallery") {
		c.galleryIDs(attr(n, "data-ids"))
		return
	}
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, top bool) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.TextNode {
				if t := strings.TrimSpace(ch.Data); t != "" && top {
					embed = append(embed, t)
				}
				continue
			}
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.DataAtom {
			case atom.Img:
				imgs = append(imgs, ch)
			case atom.Figcaption:
				if top {
					caption = plainText(ch)
				} else if t := plainText(ch); t != "" {
					items = append(items, t)
				}
			case atom.Table:
				tables = append(tables, ch)
			case atom.Figure, atom.Li:
				walk(ch, false)
			case atom.Div:
				if hasClass(ch, "wp-block-embed__wrapper") {
					if t := plainText(ch); t != "" {
						embed = append(embed, t)
					}
					continue
				}
				walk(ch, top)
			case atom.Iframe:
				if src := attr(ch, "src"); src != "" {
					embed = append(embed, src)
				}
			default:
				walk(ch, top)
			}
		}
	}
	walk(n, true)
	if gallery && caption == "" && len(items) == 0 && len(imgs) > 0 {
		// Captions of the old gallery markup sit in dd or div.
		for _, img := range imgs {
			if t := c.resolvedCaption(img); t != "" {
				items = append(items, t)
			}
		}
	}
	switch {
	case len(imgs) > 0:
		capText := strings.TrimSpace(strings.Join(append(items, caption), " "))
		c.photos(imgs, capText, true)
	case len(tables) > 0:
		for _, t := range tables {
			c.table(t)
		}
		if caption != "" {
			c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(caption)})
		}
	default:
		for _, e := range embed {
			if u := linkTarget(e, c.cv.OldBase, c.cv.Site); u != "" && bareURLRE.MatchString(e) {
				c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: "[" + news.EscapeInline(e) + "](" + u + ")"})
			} else {
				c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(e)})
			}
		}
		if caption != "" {
			c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(caption)})
		}
	}
}

// resolvedCaption is the caption of the photo an img shows, if known.
func (c *conversion) resolvedCaption(img *html.Node) string {
	if ref, ok := c.resolve(img); ok {
		return ref.Caption
	}
	return ""
}

var wpImageRE = regexp.MustCompile(`\bwp-image-(\d+)\b`)

// resolve finds the photo an img shows: by the attachment id WordPress
// writes in its class or data-id, else by its file.
func (c *conversion) resolve(img *html.Node) (PhotoRef, bool) {
	if c.cv.Photos == nil {
		return PhotoRef{}, false
	}
	if m := wpImageRE.FindStringSubmatch(attr(img, "class")); m != nil {
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			if ref, ok := c.cv.Photos.ByID(id); ok {
				return ref, true
			}
		}
	}
	if v := attr(img, "data-id"); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			if ref, ok := c.cv.Photos.ByID(id); ok {
				return ref, true
			}
		}
	}
	return c.cv.Photos.ByURL(attr(img, "src"))
}

// photos writes one figure of the images that resolve; caption, if given,
// is the figure's (else the first photo's own). The text of a caption
// whose images are all missing stays as a paragraph.
func (c *conversion) photos(imgs []*html.Node, caption string, captioned bool) {
	b := news.Block{Type: news.BlockPhoto}
	for _, img := range imgs {
		ref, ok := c.resolve(img)
		if !ok {
			if isLocalImage(attr(img, "src"), c.cv.OldBase) {
				c.stats.MissingPhotos++
			} else {
				c.stats.ExternalImages++
			}
			continue
		}
		alt := strings.TrimSpace(attr(img, "alt"))
		if alt == "" {
			alt = ref.Alt
		}
		if len(b.Photos) == 0 {
			b.Caption, b.Credit = ref.Caption, ref.Credit
		}
		b.Photos = append(b.Photos, news.FigurePhoto{PhotoID: ref.PhotoID, Alt: alt, Width: ref.Width, Height: ref.Height, Widths: ref.Widths})
	}
	if captioned && caption != "" {
		b.Caption = caption
	}
	if len(b.Photos) > 0 {
		c.blocks = append(c.blocks, b)
		return
	}
	if caption != "" {
		c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(caption)})
	}
}

func isLocalImage(src, oldBase string) bool {
	return strings.Contains(src, "/wp-content/uploads/") || (oldBase != "" && strings.HasPrefix(src, oldBase)) ||
		strings.HasPrefix(src, "/")
}

// galleryIDs writes a [gallery] of attachment ids: one figure whose
// caption is its photos' captions.
func (c *conversion) galleryIDs(ids string) {
	b := news.Block{Type: news.BlockPhoto}
	var captions []string
	for _, f := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			continue
		}
		ref, ok := c.cv.Photos.ByID(id)
		if !ok {
			c.stats.MissingPhotos++
			continue
		}
		if ref.Caption != "" {
			captions = append(captions, ref.Caption)
		}
		if len(b.Photos) == 0 {
			b.Credit = ref.Credit
		}
		b.Photos = append(b.Photos, news.FigurePhoto{PhotoID: ref.PhotoID, Alt: ref.Alt, Width: ref.Width, Height: ref.Height, Widths: ref.Widths})
	}
	b.Caption = strings.Join(captions, " ")
	if len(b.Photos) > 0 {
		c.blocks = append(c.blocks, b)
	} else if b.Caption != "" {
		c.blocks = append(c.blocks, news.Block{Type: news.BlockParagraph, Text: news.EscapeInline(b.Caption)})
	}
}

// PlainHTML is the text of an HTML fragment (an excerpt, a comment, a
// caption), with paragraph and line breaks kept as newlines.
func PlainHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s)
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style:
				return
			case atom.Br:
				b.WriteByte('\n')
			case atom.P, atom.Div, atom.Li, atom.Blockquote:
				b.WriteString("\n\n")
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.TrimSpace(strings.ReplaceAll(b.String(), "\u00a0", " "))
}

// VisibleText is the text a reader sees of body blocks, each block on a
// line, for comparing with what the old site showed.
func VisibleText(blocks []news.Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		switch bl.Type {
		case news.BlockList:
			for _, it := range bl.Items {
				b.WriteString(news.InlineText(it) + "\n")
			}
		case news.BlockPhoto:
			b.WriteString(bl.Caption + " " + bl.Credit + "\n")
		default:
			b.WriteString(news.InlineText(bl.Text))
			if bl.Cite != "" {
				b.WriteString(" " + bl.Cite)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// SortedShortcodes lists dropped shortcode names, most dropped first.
func (s Stats) SortedShortcodes() []string {
	names := make([]string, 0, len(s.Shortcodes))
	for n := range s.Shortcodes {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if s.Shortcodes[names[i]] != s.Shortcodes[names[j]] {
			return s.Shortcodes[names[i]] > s.Shortcodes[names[j]]
		}
		return names[i] < names[j]
	})
	return names
}

// UploadsPath returns the path of an uploaded file under wp-content/uploads
// from its URL ("2024/03/photo.jpg"), decoded.
func UploadsPath(u string) (string, bool) {
	i := strings.Index(u, "/wp-content/uploads/")
	if i < 0 {
		return "", false
	}
	p := u[i+len("/wp-content/uploads/"):]
	if j := strings.IndexAny(p, "?#"); j >= 0 {
		p = p[:j]
	}
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	return p, p != ""
}
