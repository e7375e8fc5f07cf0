package news

import (
	"reflect"
	"testing"
)

func TestParseBodyLists(t *testing.T) {
	body := "공사가 안내한 방법:\n\n- 누리집 접속\n- 노선 **선택**\n\n1. 첫째\n2. 둘째\n10. 열째\n\n- 목록\n이어진 문단\n\n2024. 3. 18 기준"
	want := []Block{
		para("공사가 안내한 방법:"),
		{Type: BlockList, Items: []string{"누리집 접속", "노선 **선택**"}},
		{Type: BlockList, Ordered: true, Items: []string{"첫째", "둘째", "열째"}},
		para("- 목록 이어진 문단"),
		para("2024. 3. 18 기준"),
	}
	got := ParseBody(body)
	if !blocksEqual(want, got) {
		t.Fatalf("ParseBody lists\n got %#v\nwant %#v", got, want)
	}
	// Written back, every block reads the same, including the paragraph
	// that starts like a list.
	again := ParseBody(FormatBody(got))
	if !blocksEqual(got, again) {
		t.Fatalf("round trip\n got %#v\nwant %#v\nmarkup %q", again, got, FormatBody(got))
	}
	if f := FormatBody([]Block{{Type: BlockList, Ordered: true, Items: []string{"가", "", "나"}}}); f != "1. 가\n2. 나\n" {
		t.Errorf("ordered list written as %q", f)
	}
	if f := FormatBody([]Block{para("3. 18 기준"), para("- 아님")}); f != "\\3. 18 기준\n\n\\- 아님\n" {
		t.Errorf("list-like paragraphs written as %q", f)
	}
}

func TestParseInline(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Span
		text string
		html string
	}{
		{"그냥 글", []Span{{Text: "그냥 글"}}, "그냥 글", "그냥 글"},
		{"**굵게** 그리고 *기울임*", []Span{{Text: "굵게", Bold: true}, {Text: " 그리고 "}, {Text: "기울임", Italic: true}},
			"굵게 그리고 기울임", "<strong>굵게</strong> 그리고 <em>기울임</em>"},
		{"별표 * 하나와 ** 둘", []Span{{Text: "별표 * 하나와 ** 둘"}}, "별표 * 하나와 ** 둘", "별표 * 하나와 ** 둘"},
		{"[한국은행](https://www.bok.or.kr/) 발표", []Span{{Text: "한국은행", Href: "https://www.bok.or.kr/"}, {Text: " 발표"}},
			"한국은행 발표", `<a href="https://www.bok.or.kr/" rel="nofollow noopener">한국은행</a> 발표`},
		{"[**굵은 링크**](/articles/1)", []Span{{Text: "굵은 링크", Bold: true, Href: "/articles/1"}},
			"굵은 링크", `<a href="/articles/1" rel="nofollow noopener"><strong>굵은 링크</strong></a>`},
		{"[나쁜](javascript:alert(1))", []Span{{Text: "[나쁜](javascript:alert(1))"}}, "[나쁜](javascript:alert(1))",
			"[나쁜](javascript:alert(1))"},
		{"[단독] 보도", []Span{{Text: "[단독] 보도"}}, "[단독] 보도", "[단독] 보도"},
		{`\*별\* \[괄호\] \\`, []Span{{Text: `*별* [괄호] \`}}, `*별* [괄호] \`, `*별* [괄호] \`},
		{"<script>alert('x')</script> & **<b>**", []Span{{Text: "<script>alert('x')</script> & "}, {Text: "<b>", Bold: true}},
			"<script>alert('x')</script> & <b>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <strong>&lt;b&gt;</strong>"},
	} {
		if got := ParseInline(tc.in); !reflect.DeepEqual(tc.want, got) {
			t.Errorf("ParseInline(%q)\n got %#v\nwant %#v", tc.in, got, tc.want)
		}
		if got := InlineText(tc.in); got != tc.text {
			t.Errorf("InlineText(%q) = %q, want %q", tc.in, got, tc.text)
		}
		if got := InlineHTML(tc.in); got != tc.html {
			t.Errorf("InlineHTML(%q) = %q, want %q", tc.in, got, tc.html)
		}
	}
}

func TestEscapeInline(t *testing.T) {
	for _, s := range []string{"*주석", "**", "[1]", `C:\경로`, "평범한 글", "a*b*c [x](https://e.com)"} {
		if got := InlineText(EscapeInline(s)); got != s {
			t.Errorf("InlineText(EscapeInline(%q)) = %q", s, got)
		}
	}
}
