package search

import (
	"strings"
	"unicode"

	"jikji/internal/news"
)

// Limits of ParseQuery: what a reader types beyond them is ignored.
const (
	MaxQueryTerms = 20
	MaxQueryRunes = 200
)

// Query is a parsed search query. A document matches when it matches every
// term.
type Query struct {
	Terms []Term
}

// Term is one word or double-quoted phrase of a query. A document matches
// it when it holds the tokens adjacent and in order.
type Term struct {
	// Tokens are index tokens (see IndexTokens) of the analysed term:
	// bigrams of its Hangul runs, the last character of a run that a space
	// or a Latin word ends, lower-cased words. Never empty in a parsed
	// query.
	Tokens []string
	// Prefix is set when the last token is a single Hangul syllable, which
	// the index holds as the first character of longer tokens.
	Prefix bool
	// Phrase is set for a quoted term.
	Phrase bool
	// Text is the term as the reader typed it, normalised (NFC, spaces
	// collapsed, case kept), for display.
	Text string
	// Needles are the analysed pieces of the term (lower-cased, particles
	// stripped from the end), which Highlight marks in the text.
	Needles []string
}

// isQuote reports whether r opens or closes a phrase.
func isQuote(r rune) bool {
	return r == '"' || r == '\u201C' || r == '\u201D'
}

// ParseQuery parses what a reader typed: words separated by spaces, with
// double-quoted phrases kept as one term (an unclosed quote runs to the end).
// The last word of every term loses the particles and endings attached to it
// (see Stem). Only the first MaxQueryRunes runes and MaxQueryTerms terms are
// considered; words without any letter or digit are dropped. It returns an
// empty Query for blank input.
func ParseQuery(q string) Query {
	rs := []rune(normalize(q))
	if len(rs) > MaxQueryRunes {
		rs = rs[:MaxQueryRunes]
	}
	var out Query
	seen := map[string]bool{}
	add := func(text string, phrase bool) bool {
		text = strings.Join(strings.Fields(text), " ")
		t := analyse(text, phrase)
		if len(t.Tokens) == 0 {
			return true
		}
		key := strings.Join(t.Tokens, " ")
		if t.Prefix {
			key += "*"
		}
		if seen[key] {
			return true
		}
		seen[key] = true
		out.Terms = append(out.Terms, t)
		return len(out.Terms) < MaxQueryTerms
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
			continue
		case isQuote(r):
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			if !add(string(rs[i+1:min(j, len(rs))]), true) {
				return out
			}
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
				j++
			}
			if !add(string(rs[i:j]), false) {
				return out
			}
			i = j
		}
	}
	return out
}

// analyse turns one word, or the words of a phrase, into a term. Only the
// last word is stemmed: inside a phrase the words before it are taken as
// typed, particles and all.
func analyse(text string, phrase bool) Term {
	t := Term{Text: text, Phrase: phrase}
	words := strings.Fields(text)
	for wi, w := range words {
		segs := segments(w)
		lastWord := wi == len(words)-1
		if lastWord && len(segs) > 0 && segs[len(segs)-1].cjk {
			last := segs[len(segs)-1]
			if len(segs) > 1 && !segs[len(segs)-2].cjk && IsParticle(last.runes) {
				// AI가, HBM을: the particle after a Latin word goes.
				segs = segs[:len(segs)-1]
			} else {
				segs[len(segs)-1].runes = Stem(last.runes)
			}
		}
		for si, seg := range segs {
			end := lastWord && si == len(segs)-1
			t.Needles = append(t.Needles, string(seg.runes))
			switch {
			case !seg.cjk:
				t.Tokens = append(t.Tokens, wordToken(seg.runes))
			case len(seg.runes) == 1:
				t.Tokens = append(t.Tokens, string(seg.runes))
				t.Prefix = end
			default:
				for i := 0; i+1 < len(seg.runes); i++ {
					t.Tokens = append(t.Tokens, string(seg.runes[i:i+2]))
				}
				if !end {
					// A space or a Latin word ends the run here.
					t.Tokens = append(t.Tokens, string(seg.runes[len(seg.runes)-1:]))
				}
			}
		}
	}
	return t
}

// IsEmpty reports whether the query has no terms (and so matches nothing).
func (q Query) IsEmpty() bool {
	for _, t := range q.Terms {
		if len(t.Tokens) > 0 {
			return false
		}
	}
	return true
}

// Raw returns the normalised query for display: the terms' texts separated
// by spaces, phrases in double quotes.
func (q Query) Raw() string {
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		text := t.Text
		if text == "" {
			text = strings.Join(t.Tokens, " ")
		}
		if t.Phrase || strings.ContainsFunc(text, unicode.IsSpace) {
			text = `"` + text + `"`
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, " ")
}

// StoreTerms returns the terms as the stores take them.
func (q Query) StoreTerms() []news.SearchTerm {
	out := make([]news.SearchTerm, 0, len(q.Terms))
	for _, t := range q.Terms {
		if len(t.Tokens) > 0 {
			out = append(out, news.SearchTerm{Tokens: t.Tokens, Prefix: t.Prefix, Phrase: t.Phrase})
		}
	}
	return out
}

// Words returns the analysed pieces of every term (lower-cased, particles
// stripped), each of which a text holding the query contains.
func (q Query) Words() []string {
	var out []string
	for _, t := range q.Terms {
		out = append(out, t.Needles...)
	}
	return out
}

// FTS5Term returns an SQLite FTS5 phrase for a term: its tokens as one
// double-quoted string (adjacent, in order), followed by * when the last
// token is a prefix.
func FTS5Term(t news.SearchTerm) string {
	s := `"` + strings.ReplaceAll(strings.Join(t.Tokens, " "), `"`, `""`) + `"`
	if t.Prefix {
		s += " *"
	}
	return s
}

// TSQueryTerm returns the PostgreSQL tsquery text of a term: its tokens
// joined with <-> (adjacent, in order) for a phrase, with & for a word
// (whose bigrams a GIN index answers without reading the rows; a word's
// bigrams seldom meet in one story other than as the word), and :* after a
// prefix.
func TSQueryTerm(t news.SearchTerm) string {
	op := " & "
	if t.Phrase {
		op = " <-> "
	}
	parts := make([]string, len(t.Tokens))
	for i, tok := range t.Tokens {
		tok = strings.ReplaceAll(tok, `\`, `\\`)
		parts[i] = "'" + strings.ReplaceAll(tok, "'", "''") + "'"
		if i == len(t.Tokens)-1 && t.Prefix {
			parts[i] += ":*"
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, op) + ")"
}
