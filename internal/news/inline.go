package news

import (
	"html"
	"strings"
)

// Inline markup
//
// The text of paragraphs, quotes and list items may carry inline markup:
//
//   - **bold** and *italic*, each only when a closing mark follows on the
//     same text; a lone * stays a star.
//   - [link text](https://example.com) for http, https and mailto URLs and
//     paths of this site ("/articles/1"); the link text may be bold or
//     italic. Anything else in the parentheses leaves the whole as text.
//   - A backslash before \, *, [ or ] writes that character itself.
//
// InlineText gives the text a reader sees; InlineHTML renders it safely.

// Span is a run of inline text with one style.
type Span struct {
	Text   string
	Bold   bool
	Italic bool
	Href   string // set for a link
}

// ParseInline splits inline markup into styled runs.
func ParseInline(s string) []Span {
	var p inlineParser
	p.parse(s, "")
	p.flush()
	return p.spans
}

type inlineParser struct {
	spans        []Span
	cur          strings.Builder
	bold, italic bool
	href         string
}

func (p *inlineParser) flush() {
	if p.cur.Len() == 0 {
		return
	}
	sp := Span{Text: p.cur.String(), Bold: p.bold, Italic: p.italic, Href: p.href}
	if n := len(p.spans); n > 0 && p.spans[n-1].Bold == sp.Bold && p.spans[n-1].Italic == sp.Italic && p.spans[n-1].Href == sp.Href {
		p.spans[n-1].Text += sp.Text
	} else {
		p.spans = append(p.spans, sp)
	}
	p.cur.Reset()
}

func isInlineEscapable(c byte) bool { return c == '\\' || c == '*' || c == '[' || c == ']' }

// closes reports whether s holds an unescaped mark after position i.
func closes(s string, i int, mark string) bool {
	for j := i; j < len(s); j++ {
		if s[j] == '\\' && j+1 < len(s) && isInlineEscapable(s[j+1]) {
			j++
			continue
		}
		if strings.HasPrefix(s[j:], mark) {
			if mark == "*" && strings.HasPrefix(s[j:], "**") {
				j++
				continue
			}
			return true
		}
	}
	return false
}

func (p *inlineParser) parse(s, href string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isInlineEscapable(s[i+1]):
			p.cur.WriteByte(s[i+1])
			i++
		case strings.HasPrefix(s[i:], "**") && (p.bold || closes(s, i+2, "**")):
			p.flush()
			p.bold = !p.bold
			i++
		case strings.HasPrefix(s[i:], "**"):
			p.cur.WriteString("**") // unclosed: a pair of stars as typed
			i++
		case c == '*' && (p.italic || closes(s, i+1, "*")):
			p.flush()
			p.italic = !p.italic
		case c == '[' && href == "":
			text, url, n, ok := parseLink(s[i:])
			if !ok {
				p.cur.WriteByte(c)
				continue
			}
			p.flush()
			p.href = url
			bold, italic := p.bold, p.italic
			p.parse(text, url)
			p.flush()
			p.href, p.bold, p.italic = "", bold, italic
			i += n - 1
		default:
			p.cur.WriteByte(c)
		}
	}
}

// parseLink reads [text](url) at the start of s and returns its length.
func parseLink(s string) (text, url string, n int, ok bool) {
	depth := 0
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
				continue
			}
			if i+1 >= len(s) || s[i+1] != '(' {
				return "", "", 0, false
			}
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				return "", "", 0, false
			}
			url = s[i+2 : i+2+end]
			if !SafeLink(url) || s[1:i] == "" {
				return "", "", 0, false
			}
			return s[1:i], url, i + 2 + end + 1, true
		}
	}
	return "", "", 0, false
}

// SafeLink reports whether a link may lead to url: http, https and mailto
// URLs, and paths of this site, without spaces or parentheses.
func SafeLink(url string) bool {
	if url == "" || strings.ContainsAny(url, " \t\r\n()<>\"") {
		return false
	}
	lower := strings.ToLower(url)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "mailto:"):
		return true
	case strings.HasPrefix(url, "/") && !strings.HasPrefix(url, "//") && !strings.HasPrefix(url, "/\\"):
		return true
	}
	return false
}

// InlineText is the text a reader sees of inline markup.
func InlineText(s string) string {
	if !strings.ContainsAny(s, `\*[`) {
		return s
	}
	var b strings.Builder
	for _, sp := range ParseInline(s) {
		b.WriteString(sp.Text)
	}
	return b.String()
}

// InlineHTML renders inline markup as HTML, every piece of text escaped.
func InlineHTML(s string) string {
	var b strings.Builder
	for _, sp := range ParseInline(s) {
		if sp.Href != "" {
			b.WriteString(`<a href="`)
			b.WriteString(html.EscapeString(sp.Href))
			b.WriteString(`" rel="nofollow noopener">`)
		}
		if sp.Bold {
			b.WriteString("<strong>")
		}
		if sp.Italic {
			b.WriteString("<em>")
		}
		b.WriteString(html.EscapeString(sp.Text))
		if sp.Italic {
			b.WriteString("</em>")
		}
		if sp.Bold {
			b.WriteString("</strong>")
		}
		if sp.Href != "" {
			b.WriteString("</a>")
		}
	}
	return b.String()
}

// EscapeInline writes text so that it reads back as itself.
func EscapeInline(text string) string {
	if !strings.ContainsAny(text, `\*[]`) {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if isInlineEscapable(text[i]) {
			b.WriteByte('\\')
		}
		b.WriteByte(text[i])
	}
	return b.String()
}
