package demo

import (
	"bytes"
	"image/jpeg"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"
)

// content is New's result, built once for the tests that only read it.
var content = sync.OnceValue(New)

var photoRef = regexp.MustCompile(`^!\[([^\]]+)\]\(photo:([a-z0-9-]+)\)$`)

func TestReferencesResolve(t *testing.T) {
	c := content()
	sections := map[string]bool{}
	for _, s := range c.Sections {
		sections[s.Slug] = true
	}
	for _, slug := range []string{"politics", "economy", "society", "world", "tech", "culture"} {
		if !sections[slug] {
			t.Errorf("section %q missing", slug)
		}
	}
	labels := map[string]bool{}
	for _, l := range c.Labels {
		labels[l.Code] = true
	}
	reporters := map[string]bool{}
	for _, r := range c.Reporters {
		reporters[r.Name] = true
	}
	photos := map[string]bool{}
	for _, p := range c.Photos {
		if photos[p.Key] {
			t.Errorf("photo key %q used twice", p.Key)
		}
		photos[p.Key] = true
	}
	usedSections, usedReporters := map[string]bool{}, map[string]bool{}
	for _, a := range c.Articles {
		if !sections[a.SectionSlug] {
			t.Errorf("%s: unknown section %q", a.Headline, a.SectionSlug)
		}
		usedSections[a.SectionSlug] = true
		for _, l := range a.LabelCodes {
			if !labels[l] {
				t.Errorf("%s: unknown label %q", a.Headline, l)
			}
		}
		if len(a.Bylines) == 0 {
			t.Errorf("%s: no byline", a.Headline)
		}
		for _, b := range a.Bylines {
			if !reporters[b.ReporterName] {
				t.Errorf("%s: unknown reporter %q", a.Headline, b.ReporterName)
			}
			usedReporters[b.ReporterName] = true
		}
		for _, line := range strings.Split(a.Body, "\n") {
			if strings.Contains(line, "photo:") {
				m := photoRef.FindStringSubmatch(line)
				if m == nil {
					t.Errorf("%s: malformed figure line %q", a.Headline, line)
				} else if !photos[m[2]] {
					t.Errorf("%s: unknown photo %q", a.Headline, m[2])
				}
			}
		}
		if strings.Contains(a.Body, "\n\n\n") || strings.TrimSpace(a.Body) != a.Body {
			t.Errorf("%s: body has stray blank lines", a.Headline)
		}
		if !a.UpdatedAt.IsZero() && !a.UpdatedAt.After(a.PublishedAt) {
			t.Errorf("%s: updated before published", a.Headline)
		}
	}
	if len(c.Articles) < 7 {
		t.Errorf("%d articles, want at least 7", len(c.Articles))
	}
	if len(usedSections) < 3 {
		t.Errorf("%d sections used, want at least 3", len(usedSections))
	}
	if len(usedReporters) < 3 {
		t.Errorf("%d reporters used, want at least 3", len(usedReporters))
	}
}

func TestPhotoVariants(t *testing.T) {
	for _, p := range content().Photos {
		if p.Caption == "" || p.Credit == "" || p.Alt == "" {
			t.Errorf("%s: caption, credit and alt are required", p.Key)
		}
		if len(p.Variants) != 3 {
			t.Fatalf("%s: %d variants, want 3", p.Key, len(p.Variants))
		}
		for i, v := range p.Variants {
			if want := []int{480, 960, 1440}[i]; v.Width != want || v.Height != want*2/3 {
				t.Errorf("%s: variant %d is %dx%d, want %dx%d", p.Key, i, v.Width, v.Height, want, want*2/3)
			}
			if v.ContentType != "image/jpeg" || v.PhotoID != 0 {
				t.Errorf("%s: variant %d: content type %q, photo id %d", p.Key, i, v.ContentType, v.PhotoID)
			}
			img, err := jpeg.Decode(bytes.NewReader(v.Data))
			if err != nil {
				t.Errorf("%s: variant %d: %v", p.Key, i, err)
				continue
			}
			if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
				t.Errorf("%s: variant %d decodes as %v, want %dx%d", p.Key, i, b, v.Width, v.Height)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	if !reflect.DeepEqual(New(), New()) {
		t.Error("New returns different content on two calls")
	}
}

func TestSeedArticle(t *testing.T) {
	c := content()
	var a *Article
	for i := range c.Articles {
		if c.Articles[i].Headline == `올트먼 "삼성전자·SK하이닉스는 '환상적인 회사'"... AI 칩 협력 시사` {
			a = &c.Articles[i]
		}
	}
	if a == nil {
		t.Fatal("seed article missing")
	}
	wantDeck := []string{"올트먼, 오픈AI 본사서 한국 기자들 만나", `"6개월간 두 번 방문, 좋은 만남이었다"`, "협업할 한국 AI 스타트업 10곳도 선발"}
	if !reflect.DeepEqual(a.Deck, wantDeck) {
		t.Errorf("deck = %q", a.Deck)
	}
	if !reflect.DeepEqual(a.LabelCodes, []string{news.LabelBreaking, news.LabelExclusive}) {
		t.Errorf("labels = %q", a.LabelCodes)
	}
	if want := time.Date(2024, 3, 18, 4, 30, 0, 0, time.FixedZone("KST", 9*3600)); !a.PublishedAt.Equal(want) || !a.UpdatedAt.IsZero() {
		t.Errorf("published %v, updated %v", a.PublishedAt, a.UpdatedAt)
	}
	if a.Print == nil || *a.Print != (news.PrintPlacement{Date: "2024-03-18", Page: 1}) {
		t.Errorf("print = %+v", a.Print)
	}
	if a.Source == nil || *a.Source != (news.SourceNotice{Slogan: "세상을 보는 균형, 한국일보", Copyright: "Copyright © Hankookilbo"}) {
		t.Errorf("source = %+v", a.Source)
	}
	if !reflect.DeepEqual(a.Bylines, []Byline{{ReporterName: "이서희", Role: "특파원", Dateline: "샌프란시스코"}}) {
		t.Errorf("bylines = %+v", a.Bylines)
	}

	// Paragraphs copied from the seed file, in order.
	wantBlocks := []string{
		"![질문에 답하는 샘 올트먼 오픈AI 최고경영자](photo:altman-qa)",
		"자체 인공지능(AI) 칩 개발을 추진 중인 샘 올트먼 오픈AI 최고경영자(CEO)가 한국의 양대 반도체 기업 삼성전자·SK하이닉스와의 협업 가능성을 시사했다. 올트먼은 올해 1월 한국을 찾아 두 회사 임원진과 만나 협력 방안을 타진했는데, 두 회사에 대한 관심을 공개적으로 표명한 건 처음이다.",
		`## 올트먼 "자체 칩 생산은 AGI 도달 위한 것"`,
		"업계에선 메모리 반도체 시장 1, 2위인 삼성전자·SK하이닉스가 올트먼이 그리는 AI 칩 네트워크에서 빠질 수 없는 존재로 본다. 두 회사는 AI 칩 생산에 필수적인 고대역폭메모리(HBM) 시장을 양분하고 있다.",
		"![미국 샌프란시스코의 오픈AI 신사옥 전경](photo:openai-hq)\n![번지수 1960을 나타내는 조형물이 선 오픈AI 신사옥 입구](photo:openai-entrance)",
		`## K스타트업과 협업도... "올트먼, 한국 문화 큰 관심"`,
		"신사옥은 외부 어디에서도 오픈AI의 흔적을 찾아볼 수 없었다. 건물 번지수를 나타내는 숫자 '1960'을 담은 조형물이 입구에 새로 설치된 것을 확인할 수 있었다. 흔한 간판 하나 붙여놓지 않은 건 보안을 위한 조치다. 내부 진입 역시 사전 등록한 사람에 한해서만 신원 확인을 거쳐야 가능했다. 사진·영상 등 촬영은 일절 금지되고, 와이파이 연결을 위한 비밀번호도 등록된 사람에게만 발급되는 등 보안이 철저했다. 다만 삼엄한 경계를 뚫고 입장한 사옥 내부는 개방감 있는 높은 천장과 천장에 주렁주렁 걸린 덩굴식물이 눈길을 사로잡았다.",
		"![오픈AI의 첫 사무실이 있던 샌프란시스코의 개척자 빌딩](photo:pioneer-building)",
	}
	blocks := strings.Split(a.Body, "\n\n")
	if len(blocks) != 13 {
		t.Errorf("seed body has %d blocks, want 13", len(blocks))
	}
	if blocks[0] != wantBlocks[0] || blocks[len(blocks)-1] != wantBlocks[len(wantBlocks)-1] {
		t.Errorf("seed body should open and close with a figure")
	}
	at := -1
	for _, w := range wantBlocks {
		i := indexOf(blocks, w)
		if i < 0 {
			t.Errorf("seed body lacks block %q", w)
			continue
		}
		if i <= at {
			t.Errorf("block %q out of order", w)
		}
		at = i
	}

	captions := map[string]string{}
	for _, p := range c.Photos {
		captions[p.Key] = p.Caption + " " + p.Credit
	}
	for key, want := range map[string]string{
		"altman-qa":        "샘 올트먼 오픈AI 최고경영자(CEO)가 지난 14일 미국 샌프란시스코 오픈AI 본사에서 한국 취재진, 스타트업 관계자들의 질의에 답하고 있다. 중소기업벤처부 제공",
		"openai-hq":        "지난해 8월 촬영한 미국 샌프란시스코의 오픈AI 신사옥 전경(위 사진)과 14일 찍은 신사옥 입구. 지난해엔 없었던 건물의 번지수(1960)를 나타내는 조형물이 입구 앞에 새로 설치됐다. 신사옥 외부엔 이 조형물 외에 오픈AI를 나타내는 간판 등이 없다. 샌프란시스코=이서희 특파원·공동취재단",
		"pioneer-building": "오픈AI의 첫 사무실이 입주했던 미국 샌프란시스코의 '개척자 빌딩'. 현재는 일부 조직만 이 사무실을 쓰고, 대부분 인력이 이곳에서 500m 정도 떨어진 신사옥에서 근무하고 있다. 샌프란시스코=공동취재단",
	} {
		if captions[key] != want {
			t.Errorf("photo %s: caption and credit = %q, want %q", key, captions[key], want)
		}
	}
}

func TestOriginalArticles(t *testing.T) {
	c := content()
	breaking, updated := 0, 0
	end := time.Date(2024, 12, 31, 0, 0, 0, 0, news.KST)
	for _, a := range c.Articles[1:] {
		if !a.PublishedAt.After(c.Articles[0].PublishedAt) || !a.PublishedAt.Before(end) {
			t.Errorf("%s: published %v, want within 2024 after the seed", a.Headline, a.PublishedAt)
		}
		if a.Source != nil {
			t.Errorf("%s: original story has a source notice", a.Headline)
		}
		for _, l := range a.LabelCodes {
			if l == news.LabelBreaking {
				breaking++
			}
		}
		if !a.UpdatedAt.IsZero() {
			updated++
		}
		n := 0
		for _, b := range strings.Split(a.Body, "\n\n") {
			if !strings.HasPrefix(b, "## ") && !strings.HasPrefix(b, "> ") && !strings.HasPrefix(b, "![") {
				n++
			}
		}
		if n < 4 || n > 8 {
			t.Errorf("%s: %d paragraphs, want 4–8", a.Headline, n)
		}
	}
	if breaking == 0 || updated == 0 {
		t.Errorf("%d breaking and %d updated original stories, want at least one of each", breaking, updated)
	}
}

func TestSite(t *testing.T) {
	s := content().Site
	for name, v := range map[string]string{
		"name": s.Name, "registration": s.RegistrationNumber, "registration date": s.RegistrationDate,
		"publisher": s.Publisher, "editor": s.Editor, "youth protection": s.YouthProtection,
		"address": s.Address, "phone": s.Phone, "email": s.Email, "copyright": s.Copyright,
	} {
		if v == "" {
			t.Errorf("site %s is empty", name)
		}
	}
	if n := len(strings.Split(s.PrivacyPolicy, "\n\n")); n < 4 {
		t.Errorf("privacy policy has %d paragraphs", n)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New()
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
