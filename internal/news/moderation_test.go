package news

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestMatchBannedWordCatchesEvasions(t *testing.T) {
	words := []string{"바보", "멍청이", "idiot", "shit"}
	for _, text := range []string{
		"바보", "너 바보냐", "바 보", "바.보", "바1보", "바_보", "바★보", "ㅂㅏㅂㅗ", "ㅂ ㅏ ㅂ ㅗ",
		"\u1107\u1161\u1107\u1169", // conjoining jamo, as NFD spells 바보
		"멍 청 이", "IDIOT", "i.d.i.o.t", "1d10t", "ｉｄｉｏｔ", "sh1t", "$hit", "s h i t",
	} {
		if MatchBannedWord(words, text) == "" {
			t.Errorf("%q passed the filter", text)
		}
	}
	for _, text := range []string{"바다", "보바", "바로 보기", "ideal", "shirt", "좋은 기사 감사합니다"} {
		if w := MatchBannedWord(words, text); w != "" {
			t.Errorf("%q matched %q", text, w)
		}
	}
}

func TestSkeletonDecomposesEverySyllable(t *testing.T) {
	// Every precomposed syllable decomposes to the jamo NFD gives.
	for r := rune(0xAC00); r <= 0xD7A3; r++ {
		got, _ := skeletons(string(r))
		var want strings.Builder
		for _, j := range norm.NFD.String(string(r)) {
			c, ok := conjoiningJamo(j)
			if !ok {
				t.Fatalf("%c: NFD gave %U", r, j)
			}
			want.WriteRune(c)
		}
		if got != want.String() {
			t.Fatalf("%c: skeleton %q, want %q", r, got, want.String())
		}
	}
}

func FuzzValidateComment(f *testing.F) {
	for _, s := range []string{
		"", " ", "좋은 기사 감사합니다.", "\u200b\u200c\u200d", "\ufeff", "가\r\n나\r다",
		"\u1100\u1161\u11a8", // conjoining jamo: one syllable after NFC
		strings.Repeat("가", MaxCommentLength), strings.Repeat("가", MaxCommentLength+1),
		strings.Repeat("e\u0301", MaxCommentLength), "\xff\xfe", "<script>alert(1)</script>",
		"a\x00b", "\U0001F600\U0001F3FB", strings.Repeat(" ", 300) + "x",
		"\u3164\uffa0\u115f\u1160", "abc\u202edcba", "\u2066x\u2069",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ValidateComment(s)
		if err != nil {
			switch ErrorCode(err) {
			case EINVALID:
				if utf8.ValidString(s) && strings.IndexFunc(s, isBidiControl) < 0 {
					t.Fatalf("valid UTF-8 without bidirectional controls %q refused as invalid", s)
				}
			case ECOMMENTEMPTY, ECOMMENTLONG:
			default:
				t.Fatalf("%q: unexpected error %v", s, err)
			}
			return
		}
		if !utf8.ValidString(got) || strings.Contains(got, "\r") || !norm.NFC.IsNormalString(got) {
			t.Fatalf("%q normalised to %q", s, got)
		}
		if n := CommentLength(got); n == 0 || n > MaxCommentLength {
			t.Fatalf("%q accepted with length %d", s, n)
		}
		if strings.TrimFunc(got, unicode.IsSpace) != got {
			t.Fatalf("%q not trimmed: %q", s, got)
		}
		// Normalising again changes nothing.
		if again, err := ValidateComment(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q (%v)", got, again, err)
		}
		_ = MatchBannedWord([]string{"바보", "idiot"}, got)
	})
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		" RD1@X.TEST ":          "rd1@x.test",
		"\trd1@x.test\n":        "rd1@x.test",
		"Jose\u0301@Example.kr": "jos\u00e9@example.kr", // decomposed é becomes one code point
		"JOSÉ@EXAMPLE.KR":       "jos\u00e9@example.kr",
	} {
		if got := NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInvisibleCommentsAreBlank(t *testing.T) {
	for _, body := range []string{
		"\u3164", "\uffa0\uffa0", "\u115f\u1160", "\u3164 \u3164\n\u3164", "\u200b\u200c\u200d\u2060\ufeff",
		"\u00ad\u034f\u180e", "\ufe0f\ufe0e", "\u2800\u2800", "\u3000\u3164\u00a0",
	} {
		if _, err := ValidateComment(body); ErrorCode(err) != ECOMMENTEMPTY {
			t.Errorf("ValidateComment(%+q): %v, want comment_empty", body, err)
		}
	}
	for _, body := range []string{"가\u202e나다", "\u202a왼쪽", "\u202c끝", "\u202d강제", "\u2066격리\u2069", "\u2068a"} {
		if _, err := ValidateComment(body); ErrorCode(err) != EINVALID {
			t.Errorf("ValidateComment(%+q): %v, want invalid", body, err)
		}
	}
	// Fillers inside real text are text.
	if got, err := ValidateComment("좋은\u3164기사"); err != nil || got != "좋은\u3164기사" {
		t.Errorf("a filler between words: %q, %v", got, err)
	}
}

func TestInvisibleDisplayNamesAreRefused(t *testing.T) {
	for _, name := range []string{"\u3164\u3164", "ㅤㅤ", "\uffa0\uffa0\uffa0", "김\u3164", "\u115f\u1160\u115f", "이\u200b름", "이름\u202e", "\u2800\u2800"} {
		if _, err := normalizeDisplayName(name); ErrorCode(err) != EINVALID {
			t.Errorf("display name %+q: %v, want invalid", name, err)
		}
	}
	for _, name := range []string{"독자", "김 기자", "Jikji 독자"} {
		if _, err := normalizeDisplayName(name); err != nil {
			t.Errorf("display name %q refused: %v", name, err)
		}
	}
}
