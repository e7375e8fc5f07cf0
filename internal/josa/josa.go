// Package josa attaches Korean particles (조사) to words: 이/가, 을/를, 은/는,
// 와/과 and (으)로 depend on whether the word's last syllable, as read
// aloud, ends in a consonant (받침), and (으)로 also on whether that
// consonant is ㄹ.
package josa

import (
	"strings"
	"unicode"
)

// Particle is a particle's two forms.
type Particle struct {
	afterConsonant, afterVowel string
	// rieulTakesVowelForm is true for (으)로: a word ending in ㄹ takes 로.
	rieulTakesVowelForm bool
}

// The particles messages are built with.
var (
	// IGa is the subject particle: 기사가, 댓글이.
	IGa = Particle{afterConsonant: "이", afterVowel: "가"}
	// EulReul is the object particle: 기사를, 댓글을.
	EulReul = Particle{afterConsonant: "을", afterVowel: "를"}
	// EunNeun is the topic particle: 기사는, 댓글은.
	EunNeun = Particle{afterConsonant: "은", afterVowel: "는"}
	// WaGwa is "and, with": 기사와, 댓글과.
	WaGwa = Particle{afterConsonant: "과", afterVowel: "와"}
	// EuroRo is "to, as": 기사로, 댓글로, 사진으로.
	EuroRo = Particle{afterConsonant: "으로", afterVowel: "로", rieulTakesVowelForm: true}
)

// After returns word followed by the particle's fitting form. A word whose
// reading cannot be told (it ends in a symbol or a script other than
// Hangul, digits and Latin letters) gets both forms, as 을(를).
func (p Particle) After(word string) string {
	switch final(word) {
	case vowel:
		return word + p.afterVowel
	case rieul:
		if p.rieulTakesVowelForm {
			return word + p.afterVowel
		}
		return word + p.afterConsonant
	case consonant:
		return word + p.afterConsonant
	}
	if p.rieulTakesVowelForm {
		return word + "(으)로"
	}
	return word + p.afterConsonant + "(" + p.afterVowel + ")"
}

type ending int

const (
	unknown ending = iota
	vowel
	consonant // any final consonant but ㄹ
	rieul     // ㄹ
)

// final tells how the word ends when read aloud, looking past closing
// quotes and brackets: '경제' ends like 경제.
func final(word string) ending {
	word = strings.TrimRightFunc(word, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`'"’”)]}>」』〉》`, r)
	})
	if word == "" {
		return unknown
	}
	runes := []rune(word)
	last := runes[len(runes)-1]
	switch {
	case last >= 0xAC00 && last <= 0xD7A3:
		switch (last - 0xAC00) % 28 {
		case 0:
			return vowel
		case 8:
			return rieul
		}
		return consonant
	case last >= '0' && last <= '9':
		return numberEnding(runes)
	case last < unicode.MaxASCII && unicode.IsLetter(last):
		// Latin letters read by name (SNS, PDF) or as the English word
		// would: l and r end in ㄹ (엘, 알), m and n in a consonant (엠,
		// 엔); the rest in a vowel (에이, 비, 지 …).
		switch unicode.ToLower(last) {
		case 'l', 'r':
			return rieul
		case 'm', 'n':
			return consonant
		}
		return vowel
	}
	return unknown
}

// numberEnding reads the digits at the end of runes as a Sino-Korean
// number: 1 일, 2 이, 10 십, 100 백, 1000 천, 10000 만 …
func numberEnding(runes []rune) ending {
	i := len(runes) - 1
	zeros := 0
	for i >= 0 && runes[i] == '0' {
		zeros++
		i--
	}
	if i < 0 || runes[i] < '0' || runes[i] > '9' {
		if zeros > 0 {
			return consonant // 영
		}
		return unknown
	}
	if zeros > 0 {
		// 십, 백, 천, 만 and 억 end in a consonant; 조 (10¹²) in a vowel.
		if zeros >= 12 && zeros < 16 {
			return vowel
		}
		return consonant
	}
	switch runes[i] {
	case '1', '7', '8': // 일, 칠, 팔
		return rieul
	case '3', '6': // 삼, 육
		return consonant
	}
	return vowel // 이, 사, 오, 구
}

// ByName returns the particle written as "이/가", "을/를", "은/는", "와/과" or
// "으로/로", for templates; false for anything else.
func ByName(name string) (Particle, bool) {
	p, ok := map[string]Particle{"이/가": IGa, "을/를": EulReul, "은/는": EunNeun, "와/과": WaGwa, "으로/로": EuroRo}[name]
	return p, ok
}
