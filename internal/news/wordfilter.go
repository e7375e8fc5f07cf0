package news

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Banned words are matched on a skeleton of the text that undoes the usual
// evasions: width and case (NFKC, lower case), Hangul syllables spelled
// out as jamo (every syllable is decomposed to its jamo, so "ㅅㅣㅂㅏㄹ"
// and "시발" compare equal), and spaces, symbols or digits put inside a
// word. Latin text gets a second skeleton with leetspeak undone (sh1t,
// @ss). A word matches when its skeleton is a substring of either
// skeleton of the text. Spaces are dropped, so a banned word can match
// across two words; that is why a match holds a comment for a moderator
// rather than refusing it.

// choseong, jungseong and jongseong are the compatibility jamo of a Hangul
// syllable's initial, medial and final letters.
var (
	choseong  = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
	jungseong = []rune("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
	jongseong = []rune("\x00ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
)

// conjoiningJamo maps the conjoining jamo (U+1100…) that NFD produces and
// some keyboards type to compatibility jamo.
func conjoiningJamo(r rune) (rune, bool) {
	switch {
	case r >= 0x1100 && r <= 0x1112:
		return choseong[r-0x1100], true
	case r >= 0x1161 && r <= 0x1175:
		return jungseong[r-0x1161], true
	case r >= 0x11A8 && r <= 0x11C2:
		return jongseong[r-0x11A7], true
	}
	return 0, false
}

var leet = map[rune]rune{
	'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
	'@': 'a', '$': 's', '!': 'i', '|': 'l', '+': 't', '€': 'e',
}

// skeletons returns the text reduced for matching: plain (letters only)
// and with leetspeak read as letters.
func skeletons(text string) (plain, leetRead string) {
	text = strings.ToLower(norm.NFKC.String(text))
	var p, l strings.Builder
	add := func(r rune, b *strings.Builder) {
		switch {
		case r >= 0xAC00 && r <= 0xD7A3:
			i := r - 0xAC00
			b.WriteRune(choseong[i/588])
			b.WriteRune(jungseong[(i%588)/28])
			if f := i % 28; f != 0 {
				b.WriteRune(jongseong[f])
			}
		case unicode.IsLetter(r):
			if j, ok := conjoiningJamo(r); ok {
				r = j
			}
			b.WriteRune(r)
		}
	}
	for _, r := range text {
		add(r, &p)
		if m, ok := leet[r]; ok {
			r = m
		}
		add(r, &l)
	}
	return p.String(), l.String()
}

// wordFilter holds the banned words' skeletons.
type wordFilter struct {
	words []string
	skels []string
}

func newWordFilter(words []string) wordFilter {
	f := wordFilter{words: words}
	for _, w := range words {
		s, _ := skeletons(w)
		f.skels = append(f.skels, s)
	}
	return f
}

// match returns the first banned word the text contains, or "".
func (f wordFilter) match(text string) string {
	if len(f.words) == 0 {
		return ""
	}
	plain, leetRead := skeletons(text)
	for i, s := range f.skels {
		if s != "" && (strings.Contains(plain, s) || strings.Contains(leetRead, s)) {
			return f.words[i]
		}
	}
	return ""
}

// MatchBannedWord reports the first of words that text contains, evasions
// undone, or "" if none does.
func MatchBannedWord(words []string, text string) string { return newWordFilter(words).match(text) }
