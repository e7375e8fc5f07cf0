package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// figureLook is how a browser lays out and styles an article's figures.
type figureLook struct {
	Figures     int      `json:"figures"`
	Images      []int    `json:"images"` // per figure
	Loaded      bool     `json:"loaded"` // every image decoded
	Widths      []int    `json:"widths"` // rendered width of each figure's first image
	BodyWidth   int      `json:"body"`   // of the article body
	Captions    []string `json:"captions"`
	CaptionFont string   `json:"font"`
	Display     string   `json:"display"`
}

const figureScript = `(async () => {
  const imgs = [...document.querySelectorAll('.article-body figure img')];
  imgs.forEach(i => i.loading = "eager");
  const loaded = (await Promise.all(imgs.map(i => i.decode().then(() => i.naturalWidth > 0).catch(() => false)))).every(Boolean);
  const figs = [...document.querySelectorAll('.article-body figure')];
  const cap = document.querySelector('.article-body figure figcaption');
  return JSON.stringify({
    figures: figs.length,
    images: figs.map(f => f.querySelectorAll('img').length),
    loaded,
    widths: figs.map(f => Math.round(f.querySelector('img').getBoundingClientRect().width)),
    body: Math.round(document.querySelector('.article-body').getBoundingClientRect().width),
    captions: figs.map(f => (f.querySelector('figcaption') || {textContent: ''}).textContent.trim()),
    font: cap ? getComputedStyle(cap).fontSize + ' ' + getComputedStyle(cap).color : '',
    display: getComputedStyle(figs[0]).display,
  });
})()`

func (b *browser) figures(tb testing.TB, url string) figureLook {
	tb.Helper()
	b.run(tb, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(css(`.article-body`)))
	raw := value(tb, b, chromedp.Evaluate[string](figureScript, chromedp.EvalAwaitPromise))
	var f figureLook
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		tb.Fatalf("%s: %v in %s", url, err, raw)
	}
	return f
}

// TestBrowserImportedStoryLooksNative opens an imported story with a
// captioned photo and one with a gallery next to the native seed story:
// their photos load from this site, fill the column the same way and
// carry their captions in the same style.
func TestBrowserImportedStoryLooksNative(t *testing.T) {
	s := MustRunMain(t)
	b := mustBrowser(t, false)
	mustImportWordPress(t, s, wpExport)
	native := b.figures(t, fmt.Sprintf("%s/articles/%d", s.URL, seedArticleID(t, s)))
	if native.Figures == 0 || !native.Loaded {
		t.Fatalf("the native story's figures: %+v", native)
	}
	captioned := b.figures(t, s.URL+articleURL(importedArticle(t, s, 10).ID))
	gallery := b.figures(t, s.URL+articleURL(importedArticle(t, s, 21).ID))

	if captioned.Figures != 1 || captioned.Images[0] != 1 || !captioned.Loaded ||
		!strings.Contains(captioned.Captions[0], "서울 송파구 일대 아파트 단지 모습") || !strings.Contains(captioned.Captions[0], "사진=김민준 기자") {
		t.Errorf("the captioned photo: %+v", captioned)
	}
	if gallery.Figures != 1 || gallery.Images[0] != 3 || !gallery.Loaded ||
		!strings.Contains(gallery.Captions[0], "윤중로를 따라 핀 벚꽃.") || !strings.Contains(gallery.Captions[0], "해 질 녘 한강공원의 벚꽃길.") {
		t.Errorf("the gallery: %+v", gallery)
	}
	for name, got := range map[string]figureLook{"captioned": captioned, "gallery": gallery} {
		if got.CaptionFont != native.CaptionFont || got.Display != native.Display {
			t.Errorf("%s caption style %q (%s), native %q (%s)", name, got.CaptionFont, got.Display, native.CaptionFont, native.Display)
		}
		// A single photo fills the column as the native one does; the
		// gallery's photos share a row or stack, never overflow it.
		if got.Widths[0] > got.BodyWidth || got.Widths[0] <= 0 {
			t.Errorf("%s: photo %d px wide in a %d px column", name, got.Widths[0], got.BodyWidth)
		}
	}
	if captioned.Widths[0] != native.Widths[0] && native.Images[0] == 1 {
		t.Errorf("the imported photo is %d px wide, the native one %d px", captioned.Widths[0], native.Widths[0])
	}
	b.onlyLocal(t, s.URL)
}
