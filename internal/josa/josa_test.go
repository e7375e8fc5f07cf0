package josa

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAfter(t *testing.T) {
	for _, tc := range []struct {
		p          Particle
		word, want string
	}{
		{EulReul, "기사", "기사를"},
		{EulReul, "댓글", "댓글을"},
		{EulReul, "섹션", "섹션을"},
		{EulReul, "이서희 기자", "이서희 기자를"},
		{EulReul, "경제", "경제를"},
		{EulReul, "사회", "사회를"},
		{EulReul, "회원 1", "회원 1을"},
		{EulReul, "회원 2", "회원 2를"},
		{EulReul, "회원 3", "회원 3을"},
		{EulReul, "회원 10", "회원 10을"},
		{EulReul, "임시조치 5", "임시조치 5를"},
		{IGa, "기사", "기사가"},
		{IGa, "댓글", "댓글이"},
		{IGa, "회원 4", "회원 4가"},
		{IGa, "회원 7", "회원 7이"},
		{IGa, "photos/3/480.jpg", "photos/3/480.jpg가"},
		{EunNeun, "직지일보", "직지일보는"},
		{EunNeun, "한국일보 편집국", "한국일보 편집국은"},
		{EunNeun, "버전 2", "버전 2는"},
		{EunNeun, "버전 9", "버전 9는"},
		{EunNeun, "버전 100", "버전 100은"},
		{WaGwa, "기사", "기사와"},
		{WaGwa, "댓글", "댓글과"},
		{WaGwa, "사진", "사진과"},
		{EuroRo, "사진", "사진으로"},
		{EuroRo, "댓글", "댓글로"},
		{EuroRo, "기사", "기사로"},
		{EuroRo, "편집자", "편집자로"},
		{EuroRo, "기자", "기자로"},
		{EuroRo, "관리자", "관리자로"},
		{EuroRo, "'사전 검토'", "'사전 검토'로"},
		{EuroRo, "'댓글 닫음'", "'댓글 닫음'으로"},
		{EuroRo, "'허용'", "'허용'으로"},
		{EuroRo, "'모두 허용'", "'모두 허용'으로"},
		{EuroRo, "서울", "서울로"},
		{EuroRo, "회원 1", "회원 1로"},
		{EuroRo, "회원 3", "회원 3으로"},
		{EulReul, "AI", "AI를"},
		{EulReul, "HTML", "HTML을"},
		{EuroRo, "HTML", "HTML로"},
		{EulReul, "Jikji", "Jikji를"},
		{EulReul, "SNS", "SNS를"},
		{EulReul, "PDF", "PDF를"},
		{EulReul, "RAM", "RAM을"},
		{EulReul, "★", "★을(를)"},
		{EuroRo, "★", "★(으)로"},
		{IGa, "", "이(가)"},
		{EulReul, "漢字", "漢字을(를)"},
	} {
		if got := tc.p.After(tc.word); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.word, got, tc.want)
		}
	}
}

// TestNoMessageSpellsBothForms finds messages written with both forms of a
// particle (을(를), (으)로 …) instead of choosing one with this package.
func TestNoMessageSpellsBothForms(t *testing.T) {
	both := regexp.MustCompile(`[을이은과]\((를|가|는|와)\)|\(으\)로`)
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "josa.go") {
				return err
			}
			if ext := filepath.Ext(path); ext != ".go" && ext != ".html" && ext != ".js" {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(src), "\n") {
				if both.MatchString(line) {
					t.Errorf("%s:%d: %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
