// Package search is the tokenizer shared by the full-text stores (SQLite
// FTS5 and PostgreSQL tsvector), so that both index and query the same
// tokens.
//
// Korean has no spaces inside compounds and particles stick to words
// ("삼성전자·SK하이닉스는"), so splitting on spaces cannot find "하이닉스".
// Hangul and the other CJK scripts are therefore indexed as overlapping
// character bigrams, while Latin (and every other script's) words and
// numbers are indexed as lower-cased words. Queries are analysed (Stem
// strips the particles readers attach) and matched as phrases of those
// tokens.
//
// A token only ever consists of letters and digits, so it never contains a
// character that the FTS5 query syntax or the tsquery syntax treats
// specially, and the stores can put IndexText into a column tokenised on
// spaces (FTS5's unicode61 tokenizer, PostgreSQL's to_tsvector('simple', …)
// or, independent of the database locale,
// array_to_tsvector(string_to_array(…, ' '))).
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"jikji/internal/news"
)

// MaxTokenRunes is the length at which a (non-CJK) word token is cut. Both
// the index and the query cut alike, so a cut word still matches; it keeps
// every token well under PostgreSQL's limit of 2047 bytes per lexeme.
const MaxTokenRunes = 64

// normalize folds full-width ASCII to ordinary ASCII (and half-width
// katakana and Hangul to their usual width) and puts the text into NFC, so
// that conjoining jamo become syllables.
func normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if isPlain(s) {
		return s
	}
	return norm.NFC.String(width.Fold.String(s))
}

// isPlain reports whether s holds only runes that folding and NFC leave as
// they are: Latin-1 and the Latin letters before the combining marks,
// precomposed Hangul syllables and common punctuation. Most news text is
// such, and the check costs a fraction of the two transforms.
func isPlain(s string) bool {
	for _, r := range s {
		if r < 0x300 || (r >= hangulFirst && r <= hangulLast) || (r >= 0x2010 && r <= 0x2027) {
			continue
		}
		return false
	}
	return true
}

// isCJK reports whether r belongs to a script written without spaces
// between words, which is indexed by characters rather than by words.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo) ||
		r == 0x30FC // ー, the katakana prolonged sound mark (script Common)
}

// isTokenRune reports whether r can be part of a token: a letter or a
// decimal digit.
func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isIgnored reports whether r is dropped from a token without ending it:
// combining marks (which NFC could not fold into a letter), format
// characters such as the soft hyphen or zero-width joiner.
func isIgnored(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf)
}

// isWordRune reports whether r belongs to a word indexed as a whole.
func isWordRune(r rune) bool {
	return isTokenRune(r) && !isCJK(r)
}

// segment is a maximal run of token runes of one kind in a normalised
// text, lower-cased.
type segment struct {
	cjk   bool
	runes []rune
}

// segments splits an already normalised text into its runs of word runes
// and of CJK runes; everything else separates them.
func segments(s string) []segment {
	var segs []segment
	var cur []rune
	curCJK := false
	flush := func() {
		if len(cur) > 0 {
			segs = append(segs, segment{cjk: curCJK, runes: cur})
			cur = nil
		}
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			// ASCII fast path: only letters and digits are kept.
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			default:
				flush()
				continue
			}
			if len(cur) > 0 && curCJK {
				flush()
			}
			curCJK = false
			cur = append(cur, r)
			continue
		}
		switch {
		case isTokenRune(r):
			c := isCJK(r)
			if len(cur) > 0 && c != curCJK {
				flush()
			}
			curCJK = c
			cur = append(cur, unicode.ToLower(r))
		case isIgnored(r):
			// part of the current token, but not kept
		default:
			flush()
		}
	}
	flush()
	return segs
}

func wordToken(rs []rune) string {
	if len(rs) > MaxTokenRunes {
		rs = rs[:MaxTokenRunes]
	}
	return string(rs)
}

// IndexTokens returns the tokens of a text for the index, in order and with
// repeats: each Hangul (CJK) run as its overlapping character bigrams
// followed by its last character alone (a run of one character is that
// character), Latin words and numbers as lower-cased words ("AGI" → "agi",
// "2024"). The text is NFC-normalised first; punctuation, spaces and symbols
// separate tokens, so "삼성전자·SK하이닉스는" gives 삼성 성전 전자 자 sk 하이
// 이닉 닉스 스는 는.
//
// A word's bigrams are adjacent, so a word is found as a phrase of its
// bigrams anywhere in a compound (하이닉스 in SK하이닉스는); the lone last
// character marks where a run ends, so a phrase of several words matches
// only words in that order with nothing between them; and every character
// starts some token, so one syllable is found by a prefix search.
func IndexTokens(text string) []string {
	var toks []string
	for _, seg := range segments(normalize(text)) {
		if !seg.cjk {
			toks = append(toks, wordToken(seg.runes))
			continue
		}
		for i := 0; i+1 < len(seg.runes); i++ {
			toks = append(toks, string(seg.runes[i:i+2]))
		}
		toks = append(toks, string(seg.runes[len(seg.runes)-1:]))
	}
	return toks
}

// IndexText returns IndexTokens joined by single spaces: what the stores put
// into their full-text column.
func IndexText(text string) string {
	return strings.Join(IndexTokens(text), " ")
}

// maxRelatedTerms bounds the terms related articles are looked up by.
const maxRelatedTerms = 6

// RelatedTerms are the index tokens of a headline that say something, for
// finding related articles: its bigrams and words, without single
// characters (too common) or repeats, six at most.
func RelatedTerms(headline string) []string {
	var terms []string
	seen := map[string]bool{}
	for _, tok := range IndexTokens(headline) {
		if utf8.RuneCountInString(tok) < 2 || seen[tok] {
			continue
		}
		seen[tok] = true
		terms = append(terms, tok)
		if len(terms) == maxRelatedTerms {
			break
		}
	}
	return terms
}

// MatchesAll reports whether a text's index tokens hold every term as the
// index does: each term's tokens adjacent and in order, the last one's
// start only when the term is a prefix.
func MatchesAll(text string, terms []news.SearchTerm) bool {
	toks := IndexTokens(text)
	for _, t := range terms {
		if !holds(toks, t) {
			return false
		}
	}
	return true
}

func holds(toks []string, t news.SearchTerm) bool {
	n := len(t.Tokens)
	if n == 0 {
		return true
	}
next:
	for i := 0; i+n <= len(toks); i++ {
		for j, want := range t.Tokens {
			got := toks[i+j]
			if j == n-1 && t.Prefix {
				if !strings.HasPrefix(got, want) {
					continue next
				}
			} else if got != want {
				continue next
			}
		}
		return true
	}
	return false
}

// HeadlinesFirst orders search candidates for relevance: those whose
// headline (headlines, by candidate) holds every term first, then the
// rest, each group in the candidates' order.
func HeadlinesFirst(candidates []int64, headlines map[int64]string, terms []news.SearchTerm) []int64 {
	ranked := make([]int64, 0, len(candidates))
	var rest []int64
	for _, c := range candidates {
		if MatchesAll(headlines[c], terms) {
			ranked = append(ranked, c)
		} else {
			rest = append(rest, c)
		}
	}
	return append(ranked, rest...)
}
