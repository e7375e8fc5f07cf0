package wordpress

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jikji/internal/news"

	"golang.org/x/net/html"
)

// fixturePhotos resolves the fixture export's attachments as if each had
// become the photo of the same id.
type fixturePhotos struct {
	byID     map[int64]PhotoRef
	byFile   map[string]int64
	children map[int64][]int64
}

func (f *fixturePhotos) ByID(id int64) (PhotoRef, bool) { r, ok := f.byID[id]; return r, ok }
func (f *fixturePhotos) ByURL(u string) (PhotoRef, bool) {
	file, ok := UploadsPath(u)
	if !ok {
		return PhotoRef{}, false
	}
	if id, ok := f.byFile[file]; ok {
		return f.byID[id], true
	}
	if orig, ok := news.StripImageSize(file); ok {
		if id, ok := f.byFile[orig]; ok {
			return f.byID[id], true
		}
	}
	return PhotoRef{}, false
}
func (f *fixturePhotos) Children(id int64) []int64 { return f.children[id] }

// readFixture returns the site, items and photos of a fixture export.
func readFixture(t *testing.T, name string) (Site, []Item, *fixturePhotos) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	photos := &fixturePhotos{byID: map[int64]PhotoRef{}, byFile: map[string]int64{}, children: map[int64][]int64{}}
	var items []Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
		if it.PostType == "attachment" {
			a := AttachmentOf(it)
			photos.byID[it.PostID] = PhotoRef{PhotoID: it.PostID, Caption: a.Caption, Credit: a.Credit, Alt: a.Alt, Width: 640, Height: 427}
			photos.byFile[a.File] = it.PostID
			photos.children[it.Parent] = append(photos.children[it.Parent], it.PostID)
		}
	}
	return r.Site(), items, photos
}

var (
	unknownShortcodeRE = regexp.MustCompile(`\[(contact-form-7|adsense)[^\]]*\]`)
	typography         = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'", "\u2032", "'",
		"\u2033", `"`, "\u2026", "...", "\u2013", "-", "\u2014", "-", "\u00d7", "x", "\u00a0", " ")
)

// words is text as words, typography made plain.
func words(s string) []string { return strings.Fields(typography.Replace(s)) }

// htmlText is the visible text of a rendered page fragment.
func htmlText(t *testing.T, s string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data + " ")
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

// missingWords returns the words of want not found, in order, in got. A
// word may be split or joined differently in got (spaces around inline
// markup), so the comparison runs on text without spaces.
func missingWords(want, got []string) []string {
	hay := strings.Join(got, "")
	var missing []string
	pos := 0
	for _, w := range want {
		i := strings.Index(hay[pos:], w)
		if i < 0 {
			missing = append(missing, w)
			continue
		}
		pos += i + len(w)
	}
	return missing
}

// TestVisibleTextKept compares, post by post, the text WordPress showed
// with the text of the converted body: no word may be lost.
func TestVisibleTextKept(t *testing.T) {
	site, items, photos := readFixture(t, "export.xml")
	cv := &Converter{Photos: photos, OldBase: site.BaseSiteURL}
	compared := 0
	for _, it := range items {
		if it.PostType != "post" || it.Status == "trash" {
			continue
		}
		ref, err := os.ReadFile(filepath.Join("testdata", "rendered", strconv.FormatInt(it.PostID, 10)+".html"))
		if err != nil {
			t.Fatalf("post %d has no rendered reference: %v", it.PostID, err)
		}
		var stats Stats
		blocks := cv.Convert(it.PostID, it.Content, &stats)
		want := words(unknownShortcodeRE.ReplaceAllString(htmlText(t, string(ref)), " "))
		got := words(VisibleText(blocks))
		if missing := missingWords(want, got); len(missing) > 0 {
			t.Errorf("post %d lost %d words: %q\nconverted:\n%s", it.PostID, len(missing), missing, VisibleText(blocks))
		}
		compared++
	}
	if compared < 13 {
		t.Errorf("compared %d posts, want every one of the 13 not in the trash", compared)
	}
}
