package search

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

// nounList is the Hangul nouns of the hunspell-ko dictionary (Debian's
// hunspell-ko 0.7.92, tri-licensed MPL-1.1 / GPL-2+ / LGPL-2.1+; see
// NOUNS-LICENSE), one per line in NFC. The particle stripper asks it
// whether a word is a noun as it stands (국가, 회의, 바다) or what is left
// after a suffix is (과학자 in 과학자들이); the generator draws its
// vocabulary from it.
//
//go:embed nouns.txt
var nounList string

var (
	nounsOnce sync.Once
	nounSet   map[string]bool
	nounSlice []string
)

func loadNouns() {
	nounSlice = strings.Fields(nounList)
	nounSet = make(map[string]bool, len(nounSlice))
	for _, w := range nounSlice {
		nounSet[w] = true
	}
}

// IsNoun reports whether w (NFC) is a noun of the dictionary.
func IsNoun(w string) bool {
	nounsOnce.Do(loadNouns)
	return nounSet[w]
}

// Nouns returns the dictionary's nouns in sorted order. The slice is
// shared: do not modify it.
func Nouns() []string {
	nounsOnce.Do(loadNouns)
	return nounSlice
}

// attach says after what a suffix can follow a noun: Korean particles come
// in pairs chosen by whether the noun's last syllable ends in a consonant
// (받침): 책을 but 회사를, 책이 but 회사가.
type attach int

const (
	afterAny       attach = iota
	afterConsonant        // 을, 이, 은, 과, 으로, 이다 …
	afterVowel            // 를, 가, 는, 와, 다, 였다 …
	afterVowelOrL         // 로, 로서, 로써: after a vowel or ㄹ (서울로)
)

// Particles, plural and the copula's common forms that follow a noun in
// running text, each with what it can follow.
var baseSuffixes = map[string]attach{
	"이": afterConsonant, "가": afterVowel,
	"은": afterConsonant, "는": afterVowel,
	"을": afterConsonant, "를": afterVowel,
	"의": afterAny,
	"에": afterAny, "에서": afterAny, "에게": afterAny, "에게서": afterAny, "께": afterAny, "께서": afterAny, "한테": afterAny,
	"으로": afterConsonant, "로": afterVowelOrL,
	"으로서": afterConsonant, "로서": afterVowelOrL,
	"으로써": afterConsonant, "로써": afterVowelOrL,
	"와": afterVowel, "과": afterConsonant,
	"이나": afterConsonant, "나": afterVowel,
	"이랑": afterConsonant, "랑": afterVowel,
	"도": afterAny, "만": afterAny, "까지": afterAny, "부터": afterAny, "처럼": afterAny, "보다": afterAny,
	"마다": afterAny, "조차": afterAny, "밖에": afterAny, "하고": afterAny,
	"이라는": afterConsonant, "라는": afterVowel, "이란": afterConsonant, "란": afterVowel,
	"이라고": afterConsonant, "라고": afterVowel, "이라며": afterConsonant, "라며": afterVowel,
	// The copula after a noun: 회사다, 학생이다, 회사였다, 학생이었다.
	"이다": afterConsonant, "다": afterVowel, "였다": afterVowel, "이었다": afterConsonant,
	"이며": afterConsonant, "며": afterVowel, "인": afterAny, "이고": afterConsonant,
	"입니다": afterAny, "이었던": afterConsonant, "였던": afterVowel,
}

// Particles after which another may follow: 에서는, 으로도, 과의, 까지만.
var stacking = []string{"에", "에서", "에게", "께", "한테", "으로", "로", "으로서", "로서", "와", "과",
	"까지", "부터", "처럼", "보다", "마다", "하고", "만", "이랑", "랑"}

// followers are the particles that follow a stacking one.
var followers = []string{"는", "은", "도", "의", "만"}

// suffixes is every suffix the stripper removes, longest first, with what
// its first part attaches to. The plural 들 (과학자들이) is one of them.
var suffixes = func() []suffix {
	m := map[string]attach{}
	add := func(s string, a attach) {
		if old, ok := m[s]; ok && old != a {
			a = afterAny
		}
		m[s] = a
	}
	for s, a := range baseSuffixes {
		add(s, a)
		// 과학자들이, 기업들의: the plural goes before the particle.
		add("들"+s, afterAny)
	}
	for _, s := range stacking {
		for _, f := range followers {
			if f != s {
				add(s+f, baseSuffixes[s])
				add("들"+s+f, afterAny)
			}
		}
	}
	add("들", afterAny)
	list := make([]suffix, 0, len(m))
	for s, a := range m {
		list = append(list, suffix{[]rune(s), a})
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i].runes) != len(list[j].runes) {
			return len(list[i].runes) > len(list[j].runes)
		}
		return string(list[i].runes) < string(list[j].runes)
	})
	return list
}()

type suffix struct {
	runes []rune
	after attach
}

// Hangul syllables are composed as 0xAC00 + (initial*21 + medial)*28 + final.
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
	finalRieul  = 8 // ㄹ as a final consonant
)

func isSyllable(r rune) bool { return r >= hangulFirst && r <= hangulLast }

// finalConsonant returns the final consonant index of a syllable (0: none).
func finalConsonant(r rune) int { return int(r-hangulFirst) % 28 }

func fits(last rune, a attach) bool {
	if !isSyllable(last) {
		return a == afterAny
	}
	f := finalConsonant(last)
	switch a {
	case afterConsonant:
		return f != 0
	case afterVowel:
		return f == 0
	case afterVowelOrL:
		return f == 0 || f == finalRieul
	}
	return true
}

// Stem returns a Hangul word with the particles, plural and copula endings
// that follow a noun removed, as a reader types them: 반도체의 → 반도체,
// 과학자들이 → 과학자, 데이터센터를 → 데이터센터, 회사였다 → 회사. The
// dictionary guards short stems: a word that is itself a noun stays whole
// (국가, 회의, 바다, 가방), a suffix is removed only where its form fits the
// syllable before it (책을 but not 사과 → 사), and a stem not in the
// dictionary must keep at least two syllables (올트먼의 → 올트먼, but 그가
// stays). The word is given in NFC and lower case, as segments give it.
func Stem(word []rune) []rune {
	if len(word) < 2 || IsNoun(string(word)) {
		return word
	}
	var unknown []rune
	for _, s := range suffixes {
		n := len(word) - len(s.runes)
		if n < 1 || !hasRuneSuffix(word, s.runes) || !fits(word[n-1], s.after) {
			continue
		}
		stem := word[:n]
		if IsNoun(string(stem)) {
			return stem
		}
		if unknown == nil && n >= 2 {
			unknown = stem
		}
	}
	if unknown != nil {
		return unknown
	}
	return word
}

// IsParticle reports whether a Hangul run is only a particle or ending,
// as after a Latin word or a number: AI가, HBM을, 10곳도 → 곳도 is not.
func IsParticle(run []rune) bool {
	for _, s := range suffixes {
		if len(s.runes) == len(run) && hasRuneSuffix(run, s.runes) {
			return true
		}
	}
	return false
}

func hasRuneSuffix(w, s []rune) bool {
	if len(s) > len(w) {
		return false
	}
	w = w[len(w)-len(s):]
	for i := range s {
		if w[i] != s[i] {
			return false
		}
	}
	return true
}
