package search

import (
	"html"
	"slices"
	"strings"
	"unicode"
)

// needle is something Highlight looks for in the text: a lower-cased CJK
// run, matched anywhere, or a lower-cased word, matched as a whole word.
type needle struct {
	cjk   bool
	runes []rune
}

// span is a half-open range of rune positions.
type span struct{ start, end int }

// needles returns what to look for in a text (given lower-cased) for the
// query: the analysed pieces of each term (particles stripped), or for a
// CJK piece that does not occur in the text its bigrams.
func needles(q Query, lower []rune) []needle {
	var ns []needle
	seen := map[string]bool{}
	add := func(n needle) {
		if len(n.runes) == 0 {
			return
		}
		k := string(n.runes)
		if !seen[k] {
			seen[k] = true
			ns = append(ns, n)
		}
	}
	for _, t := range q.Terms {
		if len(t.Needles) == 0 {
			for _, tok := range t.Tokens {
				rs := []rune(tok)
				add(needle{cjk: len(rs) > 0 && isCJK(rs[0]), runes: rs})
			}
			continue
		}
		for _, piece := range t.Needles {
			rs := []rune(piece)
			n := needle{cjk: len(rs) > 0 && isCJK(rs[0]), runes: rs}
			if !n.cjk || len(rs) < 3 || indexRunes(lower, rs) >= 0 {
				add(n)
				continue
			}
			for i := 0; i+1 < len(rs); i++ {
				add(needle{cjk: true, runes: rs[i : i+2]})
			}
		}
	}
	return ns
}

func indexRunes(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// matchAt returns the end of the longest needle matching at position i of
// the text, or -1.
func matchAt(text, lower []rune, i int, ns []needle) int {
	end := -1
	for _, n := range ns {
		e := i + len(n.runes)
		if e <= end || e > len(lower) || !slices.Equal(lower[i:e], n.runes) {
			continue
		}
		if !n.cjk && ((i > 0 && isWordRune(text[i-1])) || (e < len(text) && isWordRune(text[e]))) {
			continue
		}
		end = e
	}
	return end
}

// Highlight returns a snippet of about maxRunes runes of text (plain text,
// not HTML) around the first match of any query term, with the matches
// wrapped in <mark>…</mark> and "…" where text is cut off before or after.
// Runs of white space are collapsed to one space. Latin words match whole
// words case-insensitively; Hangul (CJK) words match as substrings of the
// text, so "하이닉스" is marked inside "SK하이닉스는". Without a match the
// snippet is the start of the text. A maxRunes ≤ 0 means the whole text.
//
// The result is safe HTML: all of the text is escaped, and the only markup
// is <mark> and </mark>, so it may be converted to template.HTML as is.
func Highlight(text string, q Query, maxRunes int) string {
	rs, lower := collapsedRunes(normalize(text))
	ns := needles(q, lower)

	first := span{-1, -1}
	for i := range rs {
		if e := matchAt(rs, lower, i, ns); e >= 0 {
			first = span{i, e}
			break
		}
	}

	start, end := 0, len(rs)
	if maxRunes > 0 && len(rs) > maxRunes {
		if first.start >= 0 {
			lead := max(0, (maxRunes-(first.end-first.start))/3)
			start = max(0, first.start-lead)
		}
		end = min(len(rs), start+maxRunes)
		if end == len(rs) {
			start = max(0, end-maxRunes)
		}
		// Cut between words where one is near.
		const near = 12
		if start > 0 && rs[start-1] != ' ' {
			limit := min(start+near, end)
			if first.start >= start {
				limit = min(limit, first.start)
			}
			if k := slices.Index(rs[start:limit], ' '); k >= 0 {
				start += k + 1
			}
		}
		if end < len(rs) && rs[end] != ' ' {
			limit := max(end-near, start)
			if first.end > limit && first.end <= end {
				limit = first.end
			}
			for k := end - 1; k >= limit; k-- {
				if rs[k] == ' ' {
					end = k
					break
				}
			}
		}
	}

	for start < end && rs[start] == ' ' {
		start++
	}
	for end > start && rs[end-1] == ' ' {
		end--
	}

	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	// Matches are looked for in the whole text so that word boundaries at
	// the window's edges are judged correctly, then cut to the window.
	plain := start
	for i := start; i < end && first.start >= 0; {
		e := matchAt(rs, lower, i, ns)
		if e < 0 {
			i++
			continue
		}
		// Extend over overlapping and adjacent matches.
		for j := i + 1; j <= e && j < end; j++ {
			if e2 := matchAt(rs, lower, j, ns); e2 > e {
				e = e2
			}
		}
		e = min(e, end)
		b.WriteString(html.EscapeString(string(rs[plain:i])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(rs[i:e])))
		b.WriteString("</mark>")
		plain, i = e, e
	}
	b.WriteString(html.EscapeString(string(rs[plain:end])))
	if end < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}

// collapsedRunes returns the runes of text with runs of white space
// collapsed to one space and none at either end, as strings.Fields and a
// join would, and the same runes lower-cased, in one pass: a snippet is cut
// for each of a page's results from the whole text of the story.
func collapsedRunes(text string) (rs, lower []rune) {
	rs = make([]rune, 0, len(text)/2)
	lower = make([]rune, 0, len(text)/2)
	space := false
	for _, r := range text {
		if r == ' ' || r == '\n' || unicode.IsSpace(r) {
			space = len(rs) > 0
			continue
		}
		if space {
			rs = append(rs, ' ')
			lower = append(lower, ' ')
			space = false
		}
		rs = append(rs, r)
		switch {
		case r >= 0xAC00 && r <= 0xD7A3: // Hangul syllables have no case
			lower = append(lower, r)
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			lower = append(lower, r)
		default:
			lower = append(lower, unicode.ToLower(r))
		}
	}
	return rs, lower
}
