package wordpress

import (
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/korean"
)

// readAll reads every item, returning the error that ended the file.
func readAll(t *testing.T, doc string) (Site, []Item, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(doc))
	if err != nil {
		return Site{}, nil, err
	}
	var items []Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return r.Site(), items, nil
		}
		if err != nil {
			return r.Site(), items, err
		}
		items = append(items, it)
	}
}

// An export of WordPress 3.x (WXR 1.1) from another tool: other prefixes,
// no base_blog_url, a post with almost nothing, a control character.
const wxr11 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
 xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:w="http://wordpress.org/export/1.1/">
<channel>
<title>옛 블로그</title>
<w:wxr_version>1.1</w:wxr_version>
<w:base_site_url>http://old.example.com</w:base_site_url>
<w:category><w:term_id>3</w:term_id><w:category_nicename>news</w:category_nicename><w:cat_name><![CDATA[뉴스]]></w:cat_name></w:category>
<item>
<title>첫 글` + "\x0b" + `</title>
<dc:creator>editor</dc:creator>
<c:encoded><![CDATA[<p>본문 &amp; 더</p>]]></c:encoded>
<w:post_id>7</w:post_id>
<w:status>publish</w:status>
<w:post_type>post</w:post_type>
<category domain="category" nicename="news"><![CDATA[뉴스]]></category>
<w:comment><w:comment_id>1</w:comment_id><w:comment_author>독자</w:comment_author><w:comment_content>좋아요</w:comment_content><w:comment_approved>1</w:comment_approved><w:comment_parent>0</w:comment_parent></w:comment>
</item>
<item><title>빈 글</title><w:post_id>8</w:post_id><w:post_type>post</w:post_type></item>
</channel>
</rss>`

func TestReaderVariants(t *testing.T) {
	site, items, err := readAll(t, wxr11)
	if err != nil {
		t.Fatal(err)
	}
	if site.WXRVersion != "1.1" || site.BaseSiteURL != "http://old.example.com" || len(site.Categories) != 1 || site.Categories[0].Name != "뉴스" {
		t.Errorf("site = %+v", site)
	}
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	it := items[0]
	if it.Title != "첫 글" || it.PostID != 7 || it.Content != "<p>본문 &amp; 더</p>" || it.Creator != "editor" ||
		len(it.Terms) != 1 || it.Terms[0].Slug != "news" || len(it.Comments) != 1 || it.Comments[0].Content != "좋아요" {
		t.Errorf("item = %+v", it)
	}
}

func TestReaderEncoding(t *testing.T) {
	doc := `<?xml version="1.0" encoding="EUC-KR"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>` +
		`<wp:wxr_version>1.2</wp:wxr_version><item><title>한글 제목</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item></channel></rss>`
	encoded, err := korean.EUCKR.NewEncoder().String(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, items, err := readAll(t, encoded)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Title != "한글 제목" {
		t.Errorf("items = %+v", items)
	}
}

func TestReaderNotWXR(t *testing.T) {
	for name, doc := range map[string]string{
		"RSS":   `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>y</title></item></channel></rss>`,
		"Atom":  `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>`,
		"HTML":  `<html><body>hi</body></html>`,
		"Empty": ``,
		"Text":  `워드프레스`,
	} {
		if _, err := NewReader(strings.NewReader(doc)); !errors.Is(err, ErrNotWXR) {
			t.Errorf("%s: err = %v, want ErrNotWXR", name, err)
		}
	}
}

func TestReaderCutShort(t *testing.T) {
	cut := strings.Index(wxr11, "<item><title>빈 글")
	_, items, err := readAll(t, wxr11[:cut+20])
	var cs *CutShortError
	if !errors.As(err, &cs) {
		t.Fatalf("err = %v, want a CutShortError", err)
	}
	if len(items) != 1 || cs.LastPostID != 7 || cs.Line < 20 {
		t.Errorf("%d items, cut %+v; want the first item whole and the cut after it", len(items), cs)
	}
}
