package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"jikji/internal/news"
	"jikji/internal/search"
)

// helpPage is one page of the GIMP manual's Korean translation, kept in
// testdata/gimp-help-ko (see the README there): title, then paragraphs.
type helpPage struct {
	name, title string
	paras       []string
	id          int64
}

func loadHelpPages(tb testing.TB) []*helpPage {
	tb.Helper()
	files, err := filepath.Glob("testdata/gimp-help-ko/*.txt")
	if err != nil || len(files) < 20 {
		tb.Fatalf("fixtures: %v (%d files)", err, len(files))
	}
	var pages []*helpPage
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		pages = append(pages, &helpPage{name: filepath.Base(f), title: lines[0], paras: lines[1:]})
	}
	return pages
}

// hangulWords splits text into its runs of Hangul, as words are printed
// (a particle stays attached).
func hangulWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r < 0xAC00 || r > 0xD7A3 })
}

// withParticle attaches a particle in the form the word's last sound asks
// for, as a reader would type it.
func withParticle(w, afterConsonant, afterVowel string) string {
	r, _ := utf8.DecodeLastRuneInString(w)
	if (r-0xAC00)%28 != 0 {
		return w + afterConsonant
	}
	return w + afterVowel
}

type recallQuery struct {
	page *helpPage
	q    string
}

// recallQueries derives the queries from the pages themselves: for each
// page its rarest dictionary nouns (found at the start of a printed word in
// at most two pages), bare and with two particles attached, and a phrase of
// two adjacent words that occurs once in it.
func recallQueries(pages []*helpPage) []recallQuery {
	df := map[string]int{}
	nounsOf := make([]map[string]bool, len(pages))
	for i, p := range pages {
		nounsOf[i] = map[string]bool{}
		for _, w := range hangulWords(p.title + " " + strings.Join(p.paras, " ")) {
			rs := []rune(w)
			for n := len(rs); n >= 2; n-- {
				if search.IsNoun(string(rs[:n])) {
					nounsOf[i][string(rs[:n])] = true
					break
				}
			}
		}
		for n := range nounsOf[i] {
			df[n]++
		}
	}
	var qs []recallQuery
	for i, p := range pages {
		var rare []string
		for n := range nounsOf[i] {
			if df[n] <= 2 {
				rare = append(rare, n)
			}
		}
		sort.Slice(rare, func(a, b int) bool {
			if df[rare[a]] != df[rare[b]] {
				return df[rare[a]] < df[rare[b]]
			}
			if la, lb := utf8.RuneCountInString(rare[a]), utf8.RuneCountInString(rare[b]); la != lb {
				return la > lb
			}
			return rare[a] < rare[b]
		})
		for _, n := range rare[:min(4, len(rare))] {
			qs = append(qs, recallQuery{p, n}, recallQuery{p, withParticle(n, "을", "를")},
				recallQuery{p, withParticle(n, "이", "가")}, recallQuery{p, n + "의"})
		}
		text := strings.Join(p.paras, "\n")
		for _, para := range p.paras {
			words := strings.Fields(para)
			found := false
			for k := 0; k+1 < len(words); k++ {
				a, b := words[k], words[k+1]
				if !allHangul(a) || !allHangul(b) || utf8.RuneCountInString(a) < 2 || utf8.RuneCountInString(b) < 2 {
					continue
				}
				if phrase := a + " " + b; strings.Count(text, phrase) == 1 {
					qs = append(qs, recallQuery{p, `"` + phrase + `"`})
					found = true
					break
				}
			}
			if found {
				break
			}
		}
	}
	return qs
}

func allHangul(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Hangul, r) {
			return false
		}
	}
	return true
}

// TestSearchRecallOnGimpHelp publishes the Korean help pages of the GIMP
// manual through the newsroom and searches for each page by its rare words,
// the same words with particles attached, and a phrase from it: prose
// nobody here wrote, searched the way readers type.
func TestSearchRecallOnGimpHelp(t *testing.T) {
	s := mustNewsroom(t)
	editor := s.clients[news.RoleEditor]
	pages := loadHelpPages(t)
	for _, p := range pages {
		var a deskArticle
		editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
			"headline": p.title, "section": "society", "body": strings.Join(p.paras, "\n\n"),
		}, http.StatusCreated, &a)
		editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/publish", a.ID), nil, http.StatusOK, &a)
		p.id = a.ID
	}
	qs := recallQueries(pages)
	if len(qs) < 5*len(pages) {
		t.Fatalf("%d queries for %d pages", len(qs), len(pages))
	}
	var found int
	var missed []string
	for _, q := range qs {
		ans := searchAPI(t, s.testSite, url.Values{"q": {q.q}, "limit": {"100"}})
		if slices.ContainsFunc(ans.Results, func(r struct {
			ID          int64  `json:"id"`
			URL         string `json:"url"`
			Headline    string `json:"headline"`
			Snippet     string `json:"snippet"`
			PublishedAt string `json:"published_at"`
			Section     struct {
				Slug string `json:"slug"`
				Name string `json:"name"`
			} `json:"section"`
		}) bool {
			return r.ID == q.page.id
		}) {
			found++
		} else {
			missed = append(missed, fmt.Sprintf("%s in %s", q.q, q.page.name))
		}
	}
	recall := float64(found) / float64(len(qs))
	t.Logf("recall %.1f%%: %d of %d queries over %d pages found their page", 100*recall, found, len(qs), len(pages))
	if len(missed) > 0 {
		t.Logf("missed: %s", strings.Join(missed, "; "))
	}
	if recall < 0.95 {
		t.Errorf("recall %.1f%%, want at least 95%%", 100*recall)
	}
}
