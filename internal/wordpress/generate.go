package wordpress

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// GenerateOptions shape a generated export, for load tests and benchmarks.
type GenerateOptions struct {
	Posts    int // posts, each with one photo attachment
	Comments int // approved comments per post, every third a reply
	// BodyBytes is roughly how long each post's content is.
	BodyBytes int
	// Uploads, if set, is the folder where each attachment's file is
	// written (as hard links of one small JPEG).
	Uploads string
}

var genParagraphs = []string{
	"서울시는 올해 하반기부터 대중교통 요금 체계를 개편한다고 밝혔다. 시는 **출퇴근 시간대** 혼잡을 줄이기 위해 시간대별 요금을 검토하고 있다.",
	"한국은행은 기준금리를 동결했다. 이창호 총재는 \"물가 둔화 흐름을 더 확인해야 한다\"고 말했다.",
	"전문가들은 부동산 시장이 *바닥을 다졌다*는 평가와 아직 이르다는 신중론으로 엇갈린다. 자세한 통계는 <a href=\"https://www.reb.or.kr/\">한국부동산원</a> 누리집에서 볼 수 있다.",
	"국회는 이날 본회의에서 민생 법안 30여 건을 처리했다. 여야는 쟁점 법안을 두고 막판까지 협상을 이어갔다.",
	"시민단체는 성명을 내고 \"정부가 현장의 목소리를 더 들어야 한다\"고 촉구했다.",
}

// Generate writes a WXR 1.2 export of a news site with Korean posts in
// both editors, categories, tags, photos with captions and comments.
func Generate(w io.Writer, opt GenerateOptions) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var jpg []byte
	if opt.Uploads != "" {
		var err error
		if jpg, err = tinyJPEG(); err != nil {
			return err
		}
	}
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>생성된 일보</title>
	<link>https://generated.example.com</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://generated.example.com</wp:base_site_url>
	<wp:base_blog_url>https://generated.example.com</wp:base_blog_url>
`)
	for i := range 20 {
		fmt.Fprintf(bw, "\t<wp:author><wp:author_id>%d</wp:author_id><wp:author_login><![CDATA[reporter%d]]></wp:author_login><wp:author_email><![CDATA[reporter%d@generated.example.com]]></wp:author_email><wp:author_display_name><![CDATA[기자%d]]></wp:author_display_name></wp:author>\n", i+1, i, i, i)
	}
	sections := []string{"politics", "economy", "society", "culture", "sports", "world"}
	for i, s := range sections {
		fmt.Fprintf(bw, "\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename><![CDATA[%s]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[섹션%d]]></wp:cat_name></wp:category>\n", i+1, s, i)
		fmt.Fprintf(bw, "\t<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename><![CDATA[%s-sub]]></wp:category_nicename><wp:category_parent><![CDATA[%s]]></wp:category_parent><wp:cat_name><![CDATA[하위%d]]></wp:cat_name></wp:category>\n", 100+i, s, s, i)
	}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range opt.Posts {
		postID := 2*i + 10
		photoID := postID + 1
		date := start.Add(time.Duration(i) * 37 * time.Minute)
		month := date.Format("2006/01")
		file := fmt.Sprintf("%s/photo-%d.jpg", month, photoID)
		if opt.Uploads != "" {
			if err := writeUpload(opt.Uploads, file, jpg); err != nil {
				return err
			}
		}
		fmt.Fprintf(bw, `	<item>
		<title><![CDATA[사진 %d]]></title>
		<wp:post_id>%d</wp:post_id>
		<wp:post_date><![CDATA[%s]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[%s]]></wp:post_date_gmt>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>%d</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<content:encoded><![CDATA[사진=기자%d]]></content:encoded>
		<excerpt:encoded><![CDATA[%d번째 기사의 현장 사진.]]></excerpt:encoded>
		<wp:attachment_url><![CDATA[https://generated.example.com/wp-content/uploads/%s]]></wp:attachment_url>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key><wp:meta_value><![CDATA[%s]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[현장 모습 %d]]></wp:meta_value></wp:postmeta>
	</item>
`, photoID, photoID, date.Add(9*time.Hour).Format(time.DateTime), date.Format(time.DateTime), postID, i%20, i, file, file, photoID)
		var body strings.Builder
		block := i%2 == 0
		img := fmt.Sprintf(`<img src="https://generated.example.com/wp-content/uploads/%s" alt="현장 모습 %d" class="wp-image-%d" />`, file, photoID, photoID)
		if block {
			fmt.Fprintf(&body, "<!-- wp:image {\"id\":%d} -->\n<figure class=\"wp-block-image\">%s<figcaption>%d번째 기사의 현장 사진.</figcaption></figure>\n<!-- /wp:image -->\n\n", photoID, img, i)
		} else {
			fmt.Fprintf(&body, "[caption id=\"attachment_%d\" width=\"640\"]%s %d번째 기사의 현장 사진.[/caption]\n\n", photoID, img, i)
		}
		for p := 0; body.Len() < opt.BodyBytes || p < 3; p++ {
			text := genParagraphs[(i+p)%len(genParagraphs)]
			switch {
			case block && p == 2:
				fmt.Fprintf(&body, "<!-- wp:heading -->\n<h2>%d번째 중간 제목</h2>\n<!-- /wp:heading -->\n\n", p)
			case block:
				fmt.Fprintf(&body, "<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->\n\n", strings.ReplaceAll(strings.ReplaceAll(text, "**", "<strong>"), "*", "<em>"))
			default:
				fmt.Fprintf(&body, "%s\n\n", strings.ReplaceAll(text, "**", ""))
			}
		}
		section := sections[i%len(sections)]
		category := section
		if i%3 == 0 {
			category = section + "-sub"
		}
		fmt.Fprintf(bw, `	<item>
		<title><![CDATA[생성된 기사 %d: 서울 도심 교통 개편안 발표]]></title>
		<link>https://generated.example.com/%s/post-%d/</link>
		<dc:creator><![CDATA[reporter%d]]></dc:creator>
		<guid isPermaLink="false">https://generated.example.com/?p=%d</guid>
		<content:encoded><![CDATA[%s]]></content:encoded>
		<excerpt:encoded><![CDATA[%d번째 기사의 요약입니다.]]></excerpt:encoded>
		<wp:post_id>%d</wp:post_id>
		<wp:post_date><![CDATA[%s]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[%s]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[post-%d]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="%s"><![CDATA[섹션]]></category>
		<category domain="post_tag" nicename="tag-%d"><![CDATA[태그%d]]></category>
		<category domain="post_tag" nicename="tag-%d"><![CDATA[태그%d]]></category>
		<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[%d]]></wp:meta_value></wp:postmeta>
`, i, date.Add(9*time.Hour).Format("2006/01/02"), i, i%20, postID, body.String(), i, postID,
			date.Add(9*time.Hour).Format(time.DateTime), date.Format(time.DateTime), i, category, i%500, i%500, i%37, i%37, photoID)
		for c := range opt.Comments {
			parent := 0
			if c%3 == 2 {
				parent = postID*100 + c - 1
			}
			fmt.Fprintf(bw, "\t\t<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author><![CDATA[독자%d]]></wp:comment_author><wp:comment_author_email><![CDATA[reader%d@example.net]]></wp:comment_author_email><wp:comment_date_gmt><![CDATA[%s]]></wp:comment_date_gmt><wp:comment_content><![CDATA[좋은 기사 잘 읽었습니다. %d번째 의견입니다.]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type><wp:comment_parent>%d</wp:comment_parent></wp:comment>\n",
				postID*100+c, (i*7+c)%5000, (i*7+c)%5000, date.Add(time.Duration(c+1)*time.Hour).Format(time.DateTime), c, parent)
		}
		fmt.Fprint(bw, "\t</item>\n")
	}
	fmt.Fprint(bw, "</channel>\n</rss>\n")
	return bw.Flush()
}

// tinyJPEG is the photo every generated attachment shows.
func tinyJPEG() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 160, 107))
	for y := range 107 {
		for x := range 160 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y * 2), 120, 255})
		}
	}
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes(), err
}

// writeUpload puts the file in the uploads folder, as a hard link of the
// first copy where it can.
func writeUpload(dir, file string, data []byte) error {
	path := filepath.Join(dir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	first := filepath.Join(dir, "original.jpg")
	if _, err := os.Stat(first); err != nil {
		if err := os.WriteFile(first, data, 0o644); err != nil {
			return err
		}
	}
	if err := os.Link(first, path); err == nil || os.IsExist(err) {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}
