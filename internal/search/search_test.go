package search

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"jikji/internal/news"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// seedText is the seed article's headline, deck and a part of its body, as
// the stores index them; the date line gives the number 2024.
const seedText = `올트먼 "삼성전자·SK하이닉스는 '환상적인 회사'"... AI 칩 협력 시사
올트먼, 오픈AI 본사서 한국 기자들 만나
"6개월간 두 번 방문, 좋은 만남이었다"
협업할 한국 AI 스타트업 10곳도 선발
2024년 3월 18일
두 회사는 AI 칩 생산에 필수적인 고대역폭메모리(HBM) 시장을 양분하고 있다.
다만 올트먼은 AI 칩 생산 추진은 수익 극대화가 아닌 '일반인공지능(AGI) 구현'을 위한 것임을 분명히 했다.`

// matches is a tiny in-memory index: a text matches a query when each
// term's tokens occur adjacent and in order among the text's index tokens
// (the last one as a prefix where the term says so), which is what the
// FTS5 phrases ask of SQLite and the tsquery phrases of PostgreSQL.
func matches(text string, q Query) bool {
	if q.IsEmpty() {
		return false
	}
	toks := IndexTokens(text)
	for _, term := range q.Terms {
		if !hasPhrase(toks, term) {
			return false
		}
	}
	return true
}

func hasPhrase(toks []string, term Term) bool {
	n := len(term.Tokens)
	for i := 0; i+n <= len(toks); i++ {
		ok := true
		for j, want := range term.Tokens {
			got := toks[i+j]
			if got != want && !(j == n-1 && term.Prefix && strings.HasPrefix(got, want)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestQueriesFindTheSeedArticle(t *testing.T) {
	for _, q := range []string{
		"삼성", "하이닉스", "올트먼", "칩", "AGI", "agi", "HBM", "스타트업 10곳", "2024",
		"삼성전자", "SK하이닉스", "sk 하이닉스", `"AI 칩"`, "AI칩", "고대역폭메모리", "ＡＧＩ",
		"일반인공지능", "환상적인 회사", `"환상적인 회사"`, "  삼성   AGI  ",
		"하이닉스를", "올트먼의", "회사가", "스타트업을", "기자들이", "AI가", "HBM을", `"올트먼은 AI 칩"`, "10곳도",
	} {
		t.Run(q, func(t *testing.T) {
			pq := ParseQuery(q)
			if !matches(seedText, pq) {
				t.Errorf("ParseQuery(%q) = %+v does not match the seed text", q, pq)
			}
		})
	}
}

func TestAbsentWordsFindNothing(t *testing.T) {
	for _, q := range []string{
		"엔비디아", "삼성 엔비디아", "GPU", "2023", "칩스", "하이마트", "ai gpu", `"스타트업 11곳"`,
		`"회사 환상적인"`, `"칩 AI"`, `"올트먼 샘"`, "반도체의",
		"", "   ", `""`, "·…!?", `"`,
	} {
		t.Run(q, func(t *testing.T) {
			if pq := ParseQuery(q); matches(seedText, pq) {
				t.Errorf("ParseQuery(%q) = %+v matches the seed text", q, pq)
			}
		})
	}
}

func TestIndexTokensSplitKoreanAndLatin(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"compound with particle and Latin", "삼성전자·SK하이닉스는",
			[]string{"삼성", "성전", "전자", "자", "sk", "하이", "이닉", "닉스", "스는", "는"}},
		{"single syllable", "칩", []string{"칩"}},
		{"Latin lower-cased, numbers kept", "AGI HBM 2024년", []string{"agi", "hbm", "2024", "년"}},
		{"punctuation separates", "고대역폭메모리(HBM)", []string{"고대", "대역", "역폭", "폭메", "메모", "모리", "리", "hbm"}},
		{"numbers split at separators", "9,320조", []string{"9", "320", "조"}},
		{"conjoining jamo become syllables", "\u1112\u1161\u11AB\u1100\u116E\u11A8", []string{"한국", "국"}},
		{"full-width Latin folded", "ＡＩ칩", []string{"ai", "칩"}},
		{"accents kept, case folded", "Café RÉSUMÉ", []string{"café", "résumé"}},
		{"soft hyphen does not split", "infor\u00ADmation", []string{"information"}},
		{"Japanese and Chinese as characters", "東京タワー", []string{"東京", "京タ", "タワ", "ワー", "ー"}},
		{"symbols only", "★ — … ㈜ ! ?", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IndexTokens(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("IndexTokens(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestIndexTextIsTokensJoinedBySpaces(t *testing.T) {
	if got, want := IndexText("AI 칩·HBM 생산"), "ai 칩 hbm 생산 산"; got != want {
		t.Errorf("IndexText = %q, want %q", got, want)
	}
}

func TestLongWordsAreCutAlikeInIndexAndQuery(t *testing.T) {
	long := strings.Repeat("a", 3*MaxTokenRunes)
	toks := IndexTokens(long)
	if len(toks) != 1 || len([]rune(toks[0])) != MaxTokenRunes {
		t.Fatalf("IndexTokens(long word) = %q", toks)
	}
	if !matches(long, ParseQuery(long[:150])) {
		t.Error("a long word does not find itself")
	}
}

func TestParseQueryBuildsTerms(t *testing.T) {
	tests := []struct {
		name, q string
		want    []Term
		raw     string
	}{
		{"two syllables as one bigram", "삼성", []Term{{Tokens: []string{"삼성"}, Text: "삼성"}}, "삼성"},
		{"one syllable as a prefix", "칩", []Term{{Tokens: []string{"칩"}, Prefix: true, Text: "칩"}}, "칩"},
		{"longer word as its bigrams", "하이닉스", []Term{{Tokens: []string{"하이", "이닉", "닉스"}, Text: "하이닉스"}}, "하이닉스"},
		{"particle stripped", "하이닉스는", []Term{{Tokens: []string{"하이", "이닉", "닉스"}, Text: "하이닉스는"}}, "하이닉스는"},
		{"Latin lower-cased", "AGI", []Term{{Tokens: []string{"agi"}, Text: "AGI"}}, "AGI"},
		{"words are separate terms", "스타트업 10곳", []Term{
			{Tokens: []string{"스타", "타트", "트업"}, Text: "스타트업"},
			{Tokens: []string{"10", "곳"}, Prefix: true, Text: "10곳"},
		}, "스타트업 10곳"},
		{"quoted phrase is one term", `"AI  칩" 협력`, []Term{
			{Tokens: []string{"ai", "칩"}, Prefix: true, Phrase: true, Text: "AI 칩"},
			{Tokens: []string{"협력"}, Text: "협력"},
		}, `"AI 칩" 협력`},
		{"phrase words end where a space does", `"환상적인 회사"`, []Term{
			{Tokens: []string{"환상", "상적", "적인", "인", "회사"}, Phrase: true, Text: "환상적인 회사"},
		}, `"환상적인 회사"`},
		{"curly quotes and unclosed quote", "“삼성 전자” \"하이", []Term{
			{Tokens: []string{"삼성", "성", "전자"}, Phrase: true, Text: "삼성 전자"},
			{Tokens: []string{"하이"}, Phrase: true, Text: "하이"},
		}, `"삼성 전자" "하이"`},
		{"mixed word", "SK하이닉스", []Term{{Tokens: []string{"sk", "하이", "이닉", "닉스"}, Text: "SK하이닉스"}}, "SK하이닉스"},
		{"repeated term once", "AGI agi", []Term{{Tokens: []string{"agi"}, Text: "AGI"}}, "AGI"},
		{"punctuation-only words dropped", "! 삼성 ?", []Term{{Tokens: []string{"삼성"}, Text: "삼성"}}, "삼성"},
		{"jamo normalised", "\u1109\u1161\u11B7\u1109\u1165\u11BC", []Term{{Tokens: []string{"삼성"}, Text: "삼성"}}, "삼성"},
		{"blank", " \t\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseQuery(tt.q)
			if !slices.EqualFunc(got.Terms, tt.want, func(a, b Term) bool {
				return a.Text == b.Text && slices.Equal(a.Tokens, b.Tokens) && a.Prefix == b.Prefix && a.Phrase == b.Phrase
			}) {
				t.Errorf("ParseQuery(%q).Terms = %+v, want %+v", tt.q, got.Terms, tt.want)
			}
			if r := got.Raw(); r != tt.raw {
				t.Errorf("Raw() = %q, want %q", r, tt.raw)
			}
		})
	}
}

func TestParseQueryKeepsWithinLimits(t *testing.T) {
	var words []string
	for i := range 50 {
		words = append(words, "w"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	if got := len(ParseQuery(strings.Join(words, " ")).Terms); got != MaxQueryTerms {
		t.Errorf("terms of 50 words = %d, want %d", got, MaxQueryTerms)
	}
	long := strings.Repeat("가나", 300)
	toks := ParseQuery(long).Terms[0].Tokens
	for _, tok := range toks {
		if tok != "가나" && tok != "나가" {
			t.Fatalf("unexpected token %q", tok)
		}
	}
	if got := ParseQuery(strings.Repeat(" ", MaxQueryRunes) + "삼성"); !got.IsEmpty() {
		t.Errorf("a word after %d runes was considered: %+v", MaxQueryRunes, got)
	}
}

func TestQueryExpressions(t *testing.T) {
	tests := []struct {
		name, q string
		fts5    []string
		tsquery []string
	}{
		{"one syllable is a prefix", "칩", []string{`"칩" *`}, []string{`'칩':*`}},
		{"a word is its bigrams in order", "하이닉스 AGI", []string{`"하이 이닉 닉스"`, `"agi"`},
			[]string{`('하이' & '이닉' & '닉스')`, `'agi'`}},
		{"a phrase keeps its order in both stores", `"환상적인 회사"`, []string{`"환상 상적 적인 인 회사"`},
			[]string{`('환상' <-> '상적' <-> '적인' <-> '인' <-> '회사')`}},
		{"operators are only tokens", `AND OR "x*" col:y`, []string{`"and"`, `"or"`, `"x"`, `"col y"`},
			[]string{`'and'`, `'or'`, `'x'`, `('col' & 'y')`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fts, tsq []string
			for _, term := range ParseQuery(tt.q).StoreTerms() {
				fts = append(fts, FTS5Term(term))
				tsq = append(tsq, TSQueryTerm(term))
			}
			if !slices.Equal(fts, tt.fts5) {
				t.Errorf("FTS5Term = %q, want %q", fts, tt.fts5)
			}
			if !slices.Equal(tsq, tt.tsquery) {
				t.Errorf("TSQueryTerm = %q, want %q", tsq, tt.tsquery)
			}
		})
	}
}

func TestQueryExpressionsEscapeQuotesOfHandMadeTokens(t *testing.T) {
	term := news.SearchTerm{Tokens: []string{`a"b`, `c'd\`}, Phrase: true}
	if got, want := FTS5Term(term), `"a""b c'd\"`; got != want {
		t.Errorf("FTS5Term = %q, want %q", got, want)
	}
	if got, want := TSQueryTerm(term), `('a"b' <-> 'c''d\\')`; got != want {
		t.Errorf("TSQueryTerm = %q, want %q", got, want)
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		name, text, q string
		max           int
		want          string
	}{
		{"Hangul word marked inside a compound", "삼성전자·SK하이닉스는 협력", "하이닉스", 0,
			"삼성전자·SK<mark>하이닉스</mark>는 협력"},
		{"Latin matched case-insensitively as a word", "AI 칩과 AGI, 그리고 agile", "agi", 0,
			"AI 칩과 <mark>AGI</mark>, 그리고 agile"},
		{"HTML escaped", `<script>alert("AGI")</script> & AGI`, "AGI", 0,
			`&lt;script&gt;alert(&#34;<mark>AGI</mark>&#34;)&lt;/script&gt; &amp; <mark>AGI</mark>`},
		{"markup in the query is only text", "a <b> c", "<b>", 0, "a &lt;<mark>b</mark>&gt; c"},
		{"several terms, adjacent matches merged", "고대역폭메모리(HBM) 시장", "고대역폭 메모리 hbm", 0,
			"<mark>고대역폭메모리</mark>(<mark>HBM</mark>) 시장"},
		{"particle stripped from the query", "SK하이닉스가 말했다", "하이닉스는", 0,
			"SK<mark>하이닉스</mark>가 말했다"},
		{"no match gives the start", "첫 문장이다. 둘째 문장이다.", "엔비디아", 8, "첫 문장이다.…"},
		{"cut around the first match", strings.Repeat("가나다 ", 20) + "AGI 구현 " + strings.Repeat("라마바 ", 20), "agi", 24,
			"…가나다 <mark>AGI</mark> 구현 라마바 라마바…"},
		{"white space collapsed", "삼성\n\n  전자", "전자", 0, "삼성 <mark>전자</mark>"},
		{"jamo text normalised", "\u1109\u1161\u11B7\u1109\u1165\u11BC", "삼성", 0, "<mark>삼성</mark>"},
		{"empty query marks nothing", "<b>", "", 0, "&lt;b&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Highlight(tt.text, ParseQuery(tt.q), tt.max); got != tt.want {
				t.Errorf("Highlight(%q, %q, %d) =\n %q, want\n %q", tt.text, tt.q, tt.max, got, tt.want)
			}
		})
	}
}

func TestHighlightSeedSnippet(t *testing.T) {
	got := Highlight(seedText, ParseQuery("HBM"), 40)
	if !strings.Contains(got, "<mark>HBM</mark>") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("snippet = %q", got)
	}
	if n := len([]rune(stripMarks(got))); n > 42 {
		t.Errorf("snippet of %d runes, want about 40: %q", n, got)
	}
}

func stripMarks(s string) string {
	return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
}

// validToken reports whether a token is non-empty and only letters and
// digits.
func validToken(tok string) bool {
	if tok == "" {
		return false
	}
	for _, r := range tok {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

var fuzzSeeds = []string{
	"", " ", `"`, `""`, `"삼성 전자`, seedText, "삼성전자·SK하이닉스는", "스타트업 10곳", "AGI HBM 2024",
	`AND OR NOT "a*" col:b ^c (d) -e 'f'' \`, "\u1109\u1161\u11B7", "ＡＧＩ", "e\u0301", "\xff\xfe칩",
	"“삼성” ”하이“", "東京タワー", "ﾀﾜｰ", "\u00AD\u200D", strings.Repeat("가", 300),
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if len(q.Terms) > MaxQueryTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		for _, term := range q.Terms {
			if len(term.Tokens) == 0 {
				t.Fatalf("term %+v without tokens", term)
			}
			for _, tok := range term.Tokens {
				if !validToken(tok) {
					t.Fatalf("token %q of %q", tok, s)
				}
			}
		}
		for _, term := range q.StoreTerms() {
			fts, tsq := FTS5Term(term), TSQueryTerm(term)
			if strings.Count(fts, `"`)%2 != 0 || strings.Count(tsq, "'")%2 != 0 {
				t.Fatalf("unbalanced quotes: %q / %q", fts, tsq)
			}
		}
		// The query's own text finds what the query was parsed from.
		if !q.IsEmpty() && !matches(q.Raw(), q) {
			t.Fatalf("query %+v does not match its text %q", q, q.Raw())
		}
		if !q.IsEmpty() && !matches(s, q) && len([]rune(s)) <= MaxQueryRunes {
			t.Fatalf("query %+v does not match %q", q, s)
		}
		h := Highlight(s, q, 30)
		if strings.ContainsAny(stripMarks(h), "<>") {
			t.Fatalf("unescaped markup in %q", h)
		}
	})
}

func FuzzIndexTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := IndexTokens(s)
		for _, tok := range toks {
			if !validToken(tok) || len([]rune(tok)) > MaxTokenRunes {
				t.Fatalf("token %q of %q", tok, s)
			}
		}
		if got := IndexText(s); got != strings.Join(toks, " ") {
			t.Fatalf("IndexText = %q", got)
		}
		// Indexing the index text again gives the same words back, so the
		// stores' space tokenizers see exactly these tokens; CJK bigrams
		// split into their characters again.
		for _, tok := range IndexTokens(IndexText(s)) {
			if !validToken(tok) {
				t.Fatalf("re-indexed token %q", tok)
			}
		}
		if strings.ContainsAny(IndexText(s), "\"'*:^()\\-") {
			t.Fatalf("special character in %q", IndexText(s))
		}
	})
}

// BenchmarkParseQuery measures the analysis of a typical query (particles
// stripped against the dictionary), which every search pays.
func BenchmarkParseQuery(b *testing.B) {
	IsNoun("") // load the dictionary outside the loop
	for b.Loop() {
		ParseQuery(`데이터센터를 과학자들이 "샘 올트먼의" HBM을`)
	}
}

// TestPlainRunesNeedNoNormalising checks the fast path of normalize: every
// rune it lets through unchanged is one that folding and NFC keep.
func TestPlainRunesNeedNoNormalising(t *testing.T) {
	for r := rune(0); r <= 0xD7A3; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		if isPlain(s) && norm.NFC.String(width.Fold.String(s)) != s {
			t.Errorf("U+%04X passes as plain but normalises to %q", r, norm.NFC.String(width.Fold.String(s)))
		}
	}
	// Sequences too: a combining mark after a plain letter is not plain.
	if isPlain("e\u0301") || normalize("e\u0301") != "\u00e9" {
		t.Error("a combining accent was not composed")
	}
}

// The snippet's one-pass preparation of the text agrees with collapsing
// white space by strings.Fields and lower-casing rune by rune.
func TestCollapsedRunes(t *testing.T) {
	for _, text := range []string{
		"", "   ", " 서울\t\n 부산 ", "SK하이닉스는  HBM을\u00a0공급한다", "ΑΒΓ Straße İstanbul ＡＢＣ",
		"\u3000전각\u3000공백\u2003과 em space", "줄\r\n바꿈\v\f끝 ", "Ǆ ǅ ǆ ÀÉÎ",
	} {
		rs, lower := collapsedRunes(text)
		want := []rune(strings.Join(strings.Fields(text), " "))
		if string(rs) != string(want) {
			t.Errorf("collapsedRunes(%q) = %q, want %q", text, string(rs), string(want))
		}
		for i, r := range want {
			want[i] = unicode.ToLower(r)
		}
		if string(lower) != string(want) {
			t.Errorf("collapsedRunes(%q) lower = %q, want %q", text, string(lower), string(want))
		}
	}
}

// A headline is matched as the index matches it: relevance puts the
// stories whose headline holds the search first.
func TestMatchesAll(t *testing.T) {
	headline := "삼성전자·SK하이닉스는 HBM 생산을 늘린다"
	for _, tt := range []struct {
		q    string
		want bool
	}{
		{"하이닉스", true},
		{"하이닉스가", true},
		{"삼성전자 HBM", true},
		{"hbm", true},
		{`"HBM 생산"`, true},
		{`"생산 HBM"`, false},
		{"삼성전자 반도체", false},
		{"하이", true},
		{"닉스", true},
		{"생", true},
		{"애플", false},
	} {
		if got := MatchesAll(headline, ParseQuery(tt.q).StoreTerms()); got != tt.want {
			t.Errorf("MatchesAll(%q, %q) = %v, want %v", headline, tt.q, got, tt.want)
		}
	}
}
