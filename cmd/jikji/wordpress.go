package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"
	"jikji/internal/wordpress"
)

// runImportWordPress imports a WordPress export into the site, which may
// already hold content. Running it again imports only what is new or
// changed.
func runImportWordPress(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	var opt wordpress.Options
	fs := newFlagSet("import-wordpress", stderr)
	siteFlags(fs, &c)
	fs.StringVar(&opt.Uploads, "uploads", "", "the old server's wp-content/uploads folder, copied here")
	fs.StringVar(&opt.OldBaseURL, "old-base-url", "", "the old site's address, if not the one the export names")
	fs.BoolVar(&opt.DryRun, "dry-run", false, "read the export and report, writing nothing")
	// The file may come before the flags: jikji import-wordpress FILE --uploads DIR.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if file == "" || fs.NArg() > 0 {
		return errors.New("사용법: jikji import-wordpress FILE.xml [--uploads DIR] [--old-base-url URL] [--dry-run]")
	}
	if opt.Uploads != "" {
		if fi, err := os.Stat(opt.Uploads); err != nil || !fi.IsDir() {
			return fmt.Errorf("--uploads %s: 폴더가 없습니다", opt.Uploads)
		}
	}
	// Check the file before touching the database.
	if err := checkWXR(file); err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	// A multi-gigabyte export streams through: a soft heap limit keeps the
	// garbage of converted batches from piling up between collections.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
	opt.Progress = progressPrinter(stderr)
	sum, err := wordpress.Import(ctx, st, file, opt)
	if err != nil {
		var de *news.Error
		if errors.As(err, &de) {
			err = errors.New(de.Message)
		}
		return fmt.Errorf("가져오는 중에 멈췄습니다 (그때까지 가져온 글은 남고, 다시 실행하면 이어서 가져옵니다): %w", err)
	}
	printSummary(stdout, file, describeDatabase(c), sum)
	return nil
}

// checkWXR refuses a file that is not a WordPress export.
func checkWXR(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("워드프레스 내보내기 파일: %w", err)
	}
	defer f.Close()
	if _, err := wordpress.NewReader(f); err != nil {
		if errors.Is(err, wordpress.ErrNotWXR) {
			return fmt.Errorf("%s 워드프레스 내보내기(WXR) 파일이 아닙니다. 워드프레스 관리 화면의 도구 → 내보내기에서 받은 XML 파일을 지정해주세요. 아무것도 가져오지 않았습니다", josa.EunNeun.After(file))
		}
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// progressPrinter draws a bar on a terminal and writes a line every few
// seconds otherwise.
func progressPrinter(w io.Writer) func(wordpress.Progress) {
	terminal := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			terminal = true
		}
	}
	var lastLine time.Time
	return func(p wordpress.Progress) {
		pct := 0.0
		if p.Total > 0 {
			pct = 100 * float64(p.Bytes) / float64(p.Total)
		}
		if p.Final {
			pct = 100
		}
		stage := "사진"
		if p.Pass == 2 {
			stage = "글"
		}
		rate := ""
		if p.ElapsedSec > 0 {
			rate = fmt.Sprintf(", 초당 %.0f건", float64(p.Posts)/p.ElapsedSec)
		}
		if terminal {
			const width = 30
			n := int(pct / 100 * width)
			fmt.Fprintf(w, "\r%s 읽는 중 [%s%s] %5.1f%%  글 %d건, 사진 %d장%s ", stage,
				strings.Repeat("#", n), strings.Repeat("-", width-n), pct, p.Posts, p.Photos, rate)
			if p.Final {
				fmt.Fprintln(w)
			}
			return
		}
		if !p.Final && time.Since(lastLine) < 5*time.Second {
			return
		}
		lastLine = time.Now()
		fmt.Fprintf(w, "가져오는 중: %s %.1f%%, 글 %d건, 사진 %d장%s\n", stage, pct, p.Posts, p.Photos, rate)
	}
}

// skipReasons names, in Korean, why items were left out.
var skipReasons = map[string]string{
	"page":                        "페이지",
	"private":                     "비공개 글",
	"trash":                       "휴지통의 글",
	"auto-draft":                  "자동 임시 글",
	"nav_menu_item":               "메뉴 항목",
	"attachment (not an image)":   "이미지가 아닌 첨부 파일",
	"item without a post type":    "종류 없는 항목",
	"spam":                        "스팸",
	"not approved":                "승인되지 않은 댓글",
	"pingback":                    "핑백",
	"trackback":                   "트랙백",
	"reply to a comment left out": "가져오지 않은 댓글에 단 답글",
	"empty":                       "빈 댓글",
	"comment in trash":            "휴지통의 댓글",
}

func describeCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	var parts []string
	for _, k := range keys {
		name := skipReasons[k]
		if name == "" {
			name = k
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

func printSummary(w io.Writer, file, db string, s wordpress.Summary) {
	verb := "가져왔습니다"
	if s.DryRun {
		verb = "시험 삼아 읽었습니다 (--dry-run: 아무것도 쓰지 않았습니다)"
	}
	fmt.Fprintf(w, "%s: %s (%s, WXR %s) → %s, %s\n", verb, file, s.Source, s.WXRVersion, db, s.Elapsed.Round(time.Millisecond))
	rate := ""
	if sec := s.Elapsed.Seconds(); sec > 0 {
		rate = fmt.Sprintf(", 초당 %.0f건", float64(s.Articles())/sec)
	}
	fmt.Fprintf(w, "  기사: 새로 %d, 바뀐 것 %d, 그대로 %d%s\n", s.Created, s.Updated, s.Unchanged, rate)
	if s.Scheduled+s.Drafts > 0 {
		fmt.Fprintf(w, "    그중 예약 %d, 초안·출고 대기 %d\n", s.Scheduled, s.Drafts)
	}
	if s.PasswordDrafts > 0 {
		fmt.Fprintf(w, "    비밀번호로 보호된 글 %d건은 공개하지 않고 초안으로 가져왔습니다\n", s.PasswordDrafts)
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "  건너뜀: %s\n", describeCounts(s.Skipped))
	}
	fmt.Fprintf(w, "  사진: 새로 %d, 이미 있던 것 %d\n", s.PhotosCreated, s.PhotosKnown)
	if s.MissingFileCount > 0 {
		fmt.Fprintf(w, "    업로드 폴더에 없는 파일 %d개 (기사는 사진 없이 가져왔습니다): %s\n", s.MissingFileCount, strings.Join(s.MissingFiles, ", "))
	}
	if s.BadImageCount > 0 {
		fmt.Fprintf(w, "    읽을 수 없는 이미지 %d개: %s\n", s.BadImageCount, strings.Join(s.BadImages, ", "))
	}
	fmt.Fprintf(w, "  섹션 %d, 기자 %d, 댓글 작성자 %d명을 새로 만들었습니다\n", s.SectionsCreated, s.ReportersCreated, s.CommentersCreated)
	fmt.Fprintf(w, "  댓글: %d건", s.Comments)
	if len(s.CommentsSkipped) > 0 {
		fmt.Fprintf(w, " (건너뜀: %s)", describeCounts(s.CommentsSkipped))
	}
	fmt.Fprintln(w)
	if len(s.Content.Shortcodes) > 0 {
		var parts []string
		for _, n := range s.Content.SortedShortcodes() {
			parts = append(parts, fmt.Sprintf("[%s] %d", n, s.Content.Shortcodes[n]))
		}
		fmt.Fprintf(w, "  본문에서 뺀 알 수 없는 숏코드: %s\n", strings.Join(parts, ", "))
	}
	if s.Content.MissingPhotos > 0 || s.Content.ExternalImages > 0 {
		fmt.Fprintf(w, "  본문에서 뺀 이미지: 사진이 없는 것 %d, 다른 사이트의 것 %d\n", s.Content.MissingPhotos, s.Content.ExternalImages)
	}
	if cut := s.CutShort; cut != nil {
		fmt.Fprintf(w, "  파일이 %d번째 줄(%d바이트)에서 끊겼습니다. 그 앞의 온전한 글(마지막 항목 ID %d)까지 가져왔습니다. 온전한 파일로 다시 실행하면 나머지를 가져옵니다.\n",
			cut.Line, cut.Offset, cut.LastPostID)
	}
}
