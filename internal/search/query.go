package search

import (
	"strings"
	"unicode"
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
// it when it contains every token.
type Term struct {
	// Tokens: for a Hangul (CJK) run of n ≥ 2 characters its bigrams, of
	// one character the character; for a Latin word or a number the
	// lower-cased word. Never empty in a parsed query.
	Tokens []string
	// Text is the term as the reader typed it, normalised (NFC, spaces
	// collapsed, case kept), for display and highlighting.
	Text string
}

// isQuote reports whether r opens or closes a phrase.
func isQuote(r rune) bool {
	return r == '"' || r == '\u201C' || r == '\u201D'
}

// ParseQuery parses what a reader typed: words separated by spaces, with
// double-quoted phrases kept as one term (an unclosed quote runs to the end).
// Only the first MaxQueryRunes runes and MaxQueryTerms terms are considered;
// words without any letter or digit are dropped. It returns an empty Query
// for blank input.
func ParseQuery(q string) Query {
	rs := []rune(normalize(q))
	if len(rs) > MaxQueryRunes {
		rs = rs[:MaxQueryRunes]
	}
	var out Query
	seen := map[string]bool{}
	add := func(text string) bool {
		text = strings.Join(strings.Fields(text), " ")
		toks := queryTokens(text)
		if len(toks) == 0 {
			return true
		}
		key := strings.Join(toks, " ")
		if seen[key] {
			return true
		}
		seen[key] = true
		out.Terms = append(out.Terms, Term{Tokens: toks, Text: text})
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
			if !add(string(rs[i+1 : j])) {
				return out
			}
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
				j++
			}
			if !add(string(rs[i:j])) {
				return out
			}
			i = j
		}
	}
	return out
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
		if strings.ContainsFunc(text, unicode.IsSpace) {
			text = `"` + text + `"`
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, " ")
}

// Tokens returns the distinct tokens of all terms, in order.
func (q Query) Tokens() []string {
	var toks []string
	seen := map[string]bool{}
	for _, t := range q.Terms {
		for _, tok := range t.Tokens {
			if tok != "" && !seen[tok] {
				seen[tok] = true
				toks = append(toks, tok)
			}
		}
	}
	return toks
}

// FTS5 returns the expression for an SQLite FTS5 MATCH: every token as a
// double-quoted string, all joined with AND (a document must contain every
// token of every term). It is empty for an empty query, which the caller
// must not pass to MATCH.
func (q Query) FTS5() string {
	toks := q.Tokens()
	for i, t := range toks {
		toks[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(toks, " AND ")
}

// TSQuery returns the text of a PostgreSQL tsquery: every token
// single-quoted, all joined with &. Use it with to_tsquery('simple', $1) or,
// independent of the database's locale, $1::tsquery. It is empty for an
// empty query.
func (q Query) TSQuery() string {
	toks := q.Tokens()
	for i, t := range toks {
		t = strings.ReplaceAll(t, `\`, `\\`)
		toks[i] = "'" + strings.ReplaceAll(t, "'", "''") + "'"
	}
	return strings.Join(toks, " & ")
}
