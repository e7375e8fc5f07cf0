package news

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// blocksEqual compares block lists, treating nil and empty slices alike.
func blocksEqual(a, b []Block) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if len(x.Photos) == 0 && len(y.Photos) == 0 {
			x.Photos, y.Photos = nil, nil
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func para(t string) Block  { return Block{Type: BlockParagraph, Text: t} }
func inter(t string) Block { return Block{Type: BlockIntertitle, Text: t} }
func quote(t, cite string) Block {
	return Block{Type: BlockQuote, Text: t, Cite: cite}
}
func figure(ps ...FigurePhoto) Block { return Block{Type: BlockPhoto, Photos: ps} }

const seedBody = `샘 올트먼 오픈AI 최고경영자(CEO)가 자체 반도체 생산 계획을 공식화했다.
그는 이 계획이 범용인공지능(AGI) 개발을 위한 것이라고 밝혔다.

![샘 올트먼 오픈AI CEO](photo:12)

## 올트먼 "자체 칩 생산은 AGI 도달 위한 것"
올트먼은 이날 행사에서 컴퓨팅 자원이 부족하다고 말했다.

> 우리는 더 많은 컴퓨팅이 필요하다.
> 칩을 직접 만드는 이유다.
> — 샘 올트먼 오픈AI CEO
`

func TestParseBody(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Block
	}{
		{"empty body gives no blocks", "", nil},
		{"blank lines only give no blocks", "\n \t\n\n   \n", nil},
		{"lines of a paragraph are joined by one space",
			"첫째 줄\n  둘째 줄  \n셋째 줄",
			[]Block{para("첫째 줄 둘째 줄 셋째 줄")}},
		{"blank lines separate paragraphs",
			"하나\n\n\n \t \n둘",
			[]Block{para("하나"), para("둘")}},
		{"intertitle text is the rest of the line, trimmed",
			"##   소제목  ",
			[]Block{inter("소제목")}},
		{"lines after an intertitle become a paragraph",
			"## 소제목\n본문 첫 줄\n본문 둘째 줄",
			[]Block{inter("소제목"), para("본문 첫 줄 본문 둘째 줄")}},
		{"hashes with nothing after them are a paragraph",
			"##    \n\n본문",
			[]Block{para("##"), para("본문")}},
		{"intertitle needs a space after the hashes",
			"##소제목\n\n### 셋",
			[]Block{para("##소제목"), para("### 셋")}},
		{"intertitle mark only counts on the first line",
			"본문\n## 소제목",
			[]Block{para("본문 ## 소제목")}},
		{"quote lines are stripped and joined",
			"> 첫 문장\n>둘째 문장\n>   셋째",
			[]Block{quote("첫 문장 둘째 문장 셋째", "")}},
		{"quote with em dash cite",
			"> 인용문\n> — 홍길동 대표",
			[]Block{quote("인용문", "홍길동 대표")}},
		{"quote with double hyphen cite",
			"> 인용문\n> -- 홍길동 대표",
			[]Block{quote("인용문", "홍길동 대표")}},
		{"single dash line is quote text, not cite",
			"> — 홍길동",
			[]Block{quote("— 홍길동", "")}},
		{"dash line not last is quote text",
			"> — 앞\n> 뒤",
			[]Block{quote("— 앞 뒤", "")}},
		{"empty quote lines are skipped",
			">\n> 가\n>\n> 나\n>",
			[]Block{quote("가 나", "")}},
		{"quote of only markers is dropped",
			">\n>  \n\n끝",
			[]Block{para("끝")}},
		{"block mixing quote and prose is a paragraph",
			"> 인용\n평문",
			[]Block{para("> 인용 평문")}},
		{"photo line is a figure",
			"![대체 텍스트](photo:123)",
			[]Block{figure(FigurePhoto{PhotoID: 123, Alt: "대체 텍스트"})}},
		{"two photo lines are one figure",
			"  ![첫 사진](photo:1)  \n![둘째 사진](photo:22)",
			[]Block{figure(
				FigurePhoto{PhotoID: 1, Alt: "첫 사진"},
				FigurePhoto{PhotoID: 22, Alt: "둘째 사진"})}},
		{"photo with empty alt",
			"![](photo:7)",
			[]Block{figure(FigurePhoto{PhotoID: 7})}},
		{"alt may contain brackets",
			"![a [b]](photo:5)](photo:9)",
			[]Block{figure(FigurePhoto{PhotoID: 9, Alt: "a [b]](photo:5)"})}},
		{"non-numeric photo id is a paragraph",
			"![x](photo:abc)",
			[]Block{para("![x](photo:abc)")}},
		{"http image is a paragraph",
			"![x](http://example.com/a.jpg)",
			[]Block{para("![x](http://example.com/a.jpg)")}},
		{"photo id zero is a paragraph",
			"![x](photo:0)",
			[]Block{para("![x](photo:0)")}},
		{"photo id overflowing int64 is a paragraph",
			"![x](photo:99999999999999999999)",
			[]Block{para("![x](photo:99999999999999999999)")}},
		{"one bad photo line makes the whole block a paragraph",
			"![a](photo:1)\n![b](photo:x)",
			[]Block{para("![a](photo:1) ![b](photo:x)")}},
		{"text after photo markup is a paragraph",
			"![a](photo:1) 설명",
			[]Block{para("![a](photo:1) 설명")}},
		{"leading backslash is stripped from a paragraph",
			`\## 소제목 아님`,
			[]Block{para("## 소제목 아님")}},
		{"only one backslash is stripped",
			`\\이스케이프`,
			[]Block{para(`\이스케이프`)}},
		{"escaped quote and photo read as paragraphs",
			"\\> 인용 아님\n\n\\![a](photo:1)",
			[]Block{para("> 인용 아님"), para("![a](photo:1)")}},
		{"backslash inside a paragraph is kept",
			`경로 C:\temp`,
			[]Block{para(`경로 C:\temp`)}},
		{"lone backslash paragraph is dropped",
			"\\\n\n끝",
			[]Block{para("끝")}},
		{"CRLF line endings",
			"## 제목\r\n\r\n첫 줄\r\n둘째 줄\r\n",
			[]Block{inter("제목"), para("첫 줄 둘째 줄")}},
		{"lone CR line endings",
			"가\r나\r\r다",
			[]Block{para("가 나"), para("다")}},
		{"invalid UTF-8 becomes replacement character",
			"기사\xff\xfe본문\n\n## \xc3",
			[]Block{para("기사\uFFFD본문"), inter("\uFFFD")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseBody(tt.in)
			if !blocksEqual(got, tt.want) {
				t.Errorf("ParseBody(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
			// Every case must also survive the round trip.
			if again := ParseBody(FormatBody(got)); !blocksEqual(again, got) {
				t.Errorf("round trip of %q\n got %#v\nwant %#v", tt.in, again, got)
			}
		})
	}
}

func TestParseBodySeedArticle(t *testing.T) {
	want := []Block{
		para("샘 올트먼 오픈AI 최고경영자(CEO)가 자체 반도체 생산 계획을 공식화했다. " +
			"그는 이 계획이 범용인공지능(AGI) 개발을 위한 것이라고 밝혔다."),
		figure(FigurePhoto{PhotoID: 12, Alt: "샘 올트먼 오픈AI CEO"}),
		inter(`올트먼 "자체 칩 생산은 AGI 도달 위한 것"`),
		para("올트먼은 이날 행사에서 컴퓨팅 자원이 부족하다고 말했다."),
		quote("우리는 더 많은 컴퓨팅이 필요하다. 칩을 직접 만드는 이유다.", "샘 올트먼 오픈AI CEO"),
	}
	got := ParseBody(seedBody)
	if !blocksEqual(got, want) {
		t.Fatalf("ParseBody(seed)\n got %#v\nwant %#v", got, want)
	}
	if again := ParseBody(strings.ReplaceAll(seedBody, "\n", "\r\n")); !blocksEqual(again, want) {
		t.Errorf("CRLF seed parsed differently: %#v", again)
	}
}

func TestFormatBody(t *testing.T) {
	tests := []struct {
		name string
		in   []Block
		want string
	}{
		{"no blocks give empty markup", nil, ""},
		{"blocks are separated by a blank line",
			[]Block{inter("소제목"), para("본문")},
			"## 소제목\n\n본문\n"},
		{"quote cite is written with an em dash",
			[]Block{quote("인용문", "홍길동")},
			"> 인용문\n> — 홍길동\n"},
		{"figure writes one line per photo without caption or size",
			[]Block{{Type: BlockPhoto, Caption: "캡션", Credit: "연합뉴스", Photos: []FigurePhoto{
				{PhotoID: 1, Alt: "가", Width: 800, Height: 600},
				{PhotoID: 2, Alt: "나"},
			}}},
			"![가](photo:1)\n![나](photo:2)\n"},
		{"paragraphs that look like markup are escaped",
			[]Block{para("## 아님"), para("> 아님"), para("![a](photo:1)"), para(`\아님`)},
			"\\## 아님\n\n\\> 아님\n\n\\![a](photo:1)\n\n\\\\아님\n"},
		{"ordinary paragraphs are not escaped",
			[]Block{para("#해시태그"), para("![x](photo:abc)"), para("-목록 아님")},
			"#해시태그\n\n![x](photo:abc)\n\n-목록 아님\n"},
		{"line breaks in text become spaces",
			[]Block{para("가\n나\r\n다")},
			"가 나 다\n"},
		{"empty and unknown blocks are skipped",
			[]Block{para(""), {Type: "video", Text: "x"}, figure(), para("끝")},
			"끝\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatBody(tt.in); got != tt.want {
				t.Errorf("FormatBody\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFormatBodyIsCanonical(t *testing.T) {
	messy := "\r\n\r\n   첫 줄\r\n  둘째 줄\n\n\n>  인용\n>\n> -- 누구\n\n  ![ 사진 ](photo:007)  \n"
	want := "첫 줄 둘째 줄\n\n> 인용\n> — 누구\n\n![사진](photo:7)\n"
	if got := FormatBody(ParseBody(messy)); got != want {
		t.Errorf("FormatBody(ParseBody(messy))\n got %q\nwant %q", got, want)
	}
}

func TestPhotoRefs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []int64
	}{
		{"no photos", "본문만\n\n## 소제목", nil},
		{"photos in order of appearance",
			"![a](photo:30)\n![b](photo:10)\n\n본문\n\n![c](photo:20)",
			[]int64{30, 10, 20}},
		{"duplicates are listed once",
			"![a](photo:5)\n\n![b](photo:6)\n![c](photo:5)",
			[]int64{5, 6}},
		{"photo markup inside a paragraph is not a reference",
			"본문 ![a](photo:1)\n\n\\![b](photo:2)\n\n![c](photo:x)",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PhotoRefs(tt.in)
			if len(got) != 0 || len(tt.want) != 0 {
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("PhotoRefs(%q) = %v, want %v", tt.in, got, tt.want)
				}
			}
		})
	}
}

func FuzzParseBody(f *testing.F) {
	for _, s := range []string{
		"",
		seedBody,
		"## 올트먼 \"자체 칩 생산은 AGI 도달 위한 것\"\n본문",
		"![첫 사진](photo:1)\n![둘째 사진](photo:2)",
		"> 인용문\n> — 홍길동 대표",
		"> 인용문\n> -- 누구\n>\n> — 또",
		"첫 줄\r\n둘째 줄\r\r셋째",
		"기사\xff\xfe본문\n\n## \xc3",
		"\\## 아님\n\n\\\\두 번\n\n\\\n\\ ",
		"![x](photo:abc)\n\n![x](http://e.com/a.jpg)\n\n![a](photo:5)](photo:9)",
		"##\t\n> \n>\n\u2028\u0085\n ![](photo:0)",
		"## a\n> b\n![c](photo:3)",
	} {
		f.Add(s)
	}
	known := map[string]bool{
		BlockParagraph: true, BlockIntertitle: true, BlockPhoto: true, BlockQuote: true,
	}
	f.Fuzz(func(t *testing.T, s string) {
		blocks := ParseBody(s)
		for i, b := range blocks {
			if !known[b.Type] {
				t.Fatalf("block %d has unknown type %q", i, b.Type)
			}
			for _, text := range []string{b.Text, b.Cite} {
				if !utf8.ValidString(text) || strings.ContainsAny(text, "\r\n") {
					t.Fatalf("block %d has bad text %q", i, text)
				}
			}
			if b.Type == BlockPhoto {
				if len(b.Photos) == 0 {
					t.Fatalf("block %d is a figure without photos", i)
				}
				for _, p := range b.Photos {
					if p.PhotoID <= 0 {
						t.Fatalf("block %d has photo ID %d", i, p.PhotoID)
					}
				}
			} else if b.Text == "" {
				t.Fatalf("block %d (%s) has empty text", i, b.Type)
			}
		}
		out := FormatBody(blocks)
		again := ParseBody(out)
		if !blocksEqual(again, blocks) {
			t.Fatalf("round trip differs\ninput  %q\nmarkup %q\nfirst  %#v\nsecond %#v", s, out, blocks, again)
		}
		if out2 := FormatBody(again); out2 != out {
			t.Fatalf("FormatBody not stable: %q then %q", out, out2)
		}
	})
}
