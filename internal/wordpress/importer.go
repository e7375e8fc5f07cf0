package wordpress

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"jikji/internal/news"
	"jikji/internal/photo"
)

// Options tune an import.
type Options struct {
	// Uploads is the old server's wp-content/uploads folder, copied over.
	// Without it no photo is imported.
	Uploads string
	// OldBaseURL is the old site's address, when it differs from the one
	// the export names (an export taken from a staging copy). It names the
	// source site too.
	OldBaseURL string
	// DryRun reads everything and writes nothing.
	DryRun bool
	// BatchSize is how many posts share one transaction (default 200).
	BatchSize int
	// Progress, if set, is called now and then and once at the end.
	Progress func(Progress)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Progress is how far an import has gone.
type Progress struct {
	Pass       int   // 1 reads the photos, 2 the posts
	Bytes      int64 // of the file read in this pass
	Total      int64 // the file's size
	Posts      int   // posts handled so far
	Photos     int   // photos handled so far
	Final      bool
	ElapsedSec float64
}

// Summary says what an import did and what it left out, and why.
type Summary struct {
	Source     string
	WXRVersion string
	DryRun     bool

	Created, Updated, Unchanged int // posts
	Scheduled, Drafts           int // of those created or updated
	PasswordDrafts              int // password-protected posts, imported as drafts
	Skipped                     map[string]int

	PhotosCreated, PhotosKnown int
	MissingFiles               []string // files not in the uploads folder (the first 20)
	MissingFileCount           int
	BadImages                  []string // files that are not images Jikji can read (the first 20)
	BadImageCount              int

	SectionsCreated, ReportersCreated, CommentersCreated int
	Comments                                             int // imported this run
	CommentsSkipped                                      map[string]int

	Content Stats // of all posts: dropped shortcodes, images left out

	// CutShort is set when the file ended early: everything before it was
	// imported.
	CutShort *CutShortError
	Elapsed  time.Duration
}

func (s *Summary) skip(reason string) {
	if s.Skipped == nil {
		s.Skipped = map[string]int{}
	}
	s.Skipped[reason]++
}

func (s *Summary) skipComment(reason string) {
	if s.CommentsSkipped == nil {
		s.CommentsSkipped = map[string]int{}
	}
	s.CommentsSkipped[reason]++
}

// Articles is the number of posts imported or found unchanged.
func (s *Summary) Articles() int { return s.Created + s.Updated + s.Unchanged }

const listLimit = 20

// importer holds what one import learns as it goes: bounded by the
// export's attachments, categories, authors and commenters, never its posts.
type importer struct {
	st      news.Store
	opt     Options
	path    string
	size    int64
	site    Site
	source  string // the site the export names, which its items are matched by
	oldBase string // the old site's address, where its old links lived
	base    string // the old site's path prefix ("" or "/blog")
	sum     Summary
	now     time.Time
	started time.Time

	categories map[string]Category // by slug
	redirected map[string]bool     // categories whose old links are saved
	sections   map[string]news.Section
	reporters  map[string]news.Reporter // by login
	commenters map[string]bool          // seen by a dry run
	// dryCommenters counts the commenters a dry run would make.
	dryCommenters int
	photos        *photoIndex
	fakeID        int64 // ids stood in for what a dry run does not create
	lastReport    time.Time
}

// Import reads the WXR file at path and imports it into st. It refuses a
// file that is not WXR (ErrNotWXR) before writing anything. An export cut
// short is imported up to its last whole post and reported in
// Summary.CutShort, not as an error.
func Import(ctx context.Context, st news.Store, path string, opt Options) (Summary, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 200
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	imp := &importer{st: st, opt: opt, path: path, now: opt.Now(), started: time.Now(),
		categories: map[string]Category{}, redirected: map[string]bool{}, sections: map[string]news.Section{}, reporters: map[string]news.Reporter{},
		commenters: map[string]bool{}, photos: newPhotoIndex()}
	imp.sum.DryRun = opt.DryRun
	if err := imp.run(ctx); err != nil {
		return imp.sum, err
	}
	imp.sum.CommentersCreated += imp.dryCommenters
	imp.sum.Elapsed = time.Since(imp.started)
	imp.report(2, 0, true)
	return imp.sum, nil
}

func (imp *importer) open() (*os.File, *Reader, error) {
	f, err := os.Open(imp.path)
	if err != nil {
		return nil, nil, err
	}
	r, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, r, nil
}

func (imp *importer) run(ctx context.Context) error {
	f, r, err := imp.open()
	if err != nil {
		return err
	}
	if fi, err := f.Stat(); err == nil {
		imp.size = fi.Size()
	}
	imp.site = r.Site()
	imp.sum.WXRVersion = imp.site.WXRVersion
	// The source is the site the export names, so that runs with and
	// without --old-base-url match the same items; the old address is
	// where the old links lived.
	imp.source = strings.TrimRight(firstNonEmpty(imp.site.BaseBlogURL, imp.site.BaseSiteURL, imp.site.Link, imp.opt.OldBaseURL), "/")
	imp.oldBase = strings.TrimRight(firstNonEmpty(imp.opt.OldBaseURL, imp.source), "/")
	if imp.source == "" {
		f.Close()
		return fmt.Errorf("%w: the export names no site (wp:base_site_url) and --old-base-url is empty", ErrNotWXR)
	}
	imp.sum.Source = imp.source
	if u, err := url.Parse(imp.oldBase); err == nil {
		imp.base = strings.TrimRight(u.Path, "/")
	}
	for _, c := range imp.site.Categories {
		imp.categories[c.Slug] = c
	}
	if err := imp.siteRedirects(ctx); err != nil {
		f.Close()
		return err
	}
	if err := imp.termRedirects(ctx); err != nil {
		f.Close()
		return err
	}
	// Pass 1: the photos, so that every post finds the photos it shows
	// wherever its attachments sit in the file.
	err = imp.photoPass(ctx, r)
	f.Close()
	if err != nil {
		return err
	}
	f, r, err = imp.open()
	if err != nil {
		return err
	}
	defer f.Close()
	return imp.postPass(ctx, r)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func (imp *importer) report(pass int, bytes int64, final bool) {
	if imp.opt.Progress == nil {
		return
	}
	if !final && time.Since(imp.lastReport) < 200*time.Millisecond {
		return
	}
	imp.lastReport = time.Now()
	imp.opt.Progress(Progress{Pass: pass, Bytes: bytes, Total: imp.size, Posts: imp.sum.Articles(),
		Photos: imp.sum.PhotosCreated + imp.sum.PhotosKnown, Final: final, ElapsedSec: time.Since(imp.started).Seconds()})
}

func (imp *importer) fake() int64 {
	imp.fakeID--
	return imp.fakeID
}

// siteRedirects records the old site's feed links.
func (imp *importer) siteRedirects(ctx context.Context) error {
	return imp.saveRedirects(ctx, []news.Redirect{
		{Path: imp.path0("/feed"), Target: "/feed.xml"},
		{Path: imp.path0("/comments/feed"), Target: "/feed.xml"},
		{Path: imp.path0("/?feed=rss2"), Target: "/feed.xml"},
	})
}

// termRedirects makes the sections of the export's categories (under their
// top parents) and records the old links of every category and tag, so
// that even a category without stories leads somewhere.
func (imp *importer) termRedirects(ctx context.Context) error {
	for _, c := range imp.site.Categories {
		if c.Slug == "" {
			continue
		}
		top := imp.topCategory(c.Slug)
		sec, err := imp.ensureSection(ctx, decodeSlug(top.Slug), PlainHTML(firstNonEmpty(top.Name, c.Name)))
		if err != nil {
			return err
		}
		if err := imp.categoryRedirects(ctx, c.Slug, sec.Slug); err != nil {
			return err
		}
	}
	for _, t := range imp.site.Tags {
		if err := imp.tagRedirects(ctx, t.Slug, PlainHTML(t.Name)); err != nil {
			return err
		}
	}
	return nil
}

// path0 puts a path under the old site's path prefix.
func (imp *importer) path0(p string) string {
	if imp.base == "" {
		return p
	}
	return imp.base + p
}

func (imp *importer) saveRedirects(ctx context.Context, rs []news.Redirect) error {
	if imp.opt.DryRun || len(rs) == 0 {
		return nil
	}
	return imp.st.SaveRedirects(ctx, rs)
}

// photoIndex finds photos by attachment id and by uploaded file.
type photoIndex struct {
	byID     map[int64]PhotoRef
	byFile   map[string]int64
	children map[int64][]int64
}

func newPhotoIndex() *photoIndex {
	return &photoIndex{byID: map[int64]PhotoRef{}, byFile: map[string]int64{}, children: map[int64][]int64{}}
}

func (p *photoIndex) ByID(id int64) (PhotoRef, bool) { r, ok := p.byID[id]; return r, ok }

func (p *photoIndex) ByURL(u string) (PhotoRef, bool) {
	file, ok := UploadsPath(u)
	if !ok {
		return PhotoRef{}, false
	}
	if id, ok := p.byFile[file]; ok {
		return p.byID[id], true
	}
	if orig, ok := news.StripImageSize(file); ok {
		if id, ok := p.byFile[orig]; ok {
			return p.byID[id], true
		}
	}
	// "photo-scaled.jpg" is the original WordPress shrank on upload.
	if orig := strings.Replace(file, "-scaled.", ".", 1); orig != file {
		if id, ok := p.byFile[orig]; ok {
			return p.byID[id], true
		}
	}
	return PhotoRef{}, false
}

func (p *photoIndex) Children(id int64) []int64 { return p.children[id] }

// photoJob is an attachment whose file is being turned into a photo.
type photoJob struct {
	att      Attachment
	data     []byte
	variants []news.PhotoVariant
	err      error
}

// photoPass imports the attachments' files as photos, decoding and scaling
// them on every core.
func (imp *importer) photoPass(ctx context.Context, r *Reader) error {
	var batch []*photoJob
	flush := func() error {
		if err := imp.processPhotos(ctx, batch); err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var cut *CutShortError
		if errors.As(err, &cut) {
			break // the post pass reports it
		}
		if err != nil {
			return err
		}
		if it.PostType != "attachment" {
			continue
		}
		att := AttachmentOf(it)
		if att.Parent != 0 {
			imp.photos.children[att.Parent] = append(imp.photos.children[att.Parent], att.ID)
		}
		known, err := imp.st.ImportSource(ctx, imp.source, news.SourceAttachment, strconv.FormatInt(att.ID, 10))
		if err == nil {
			if err := imp.knownPhoto(ctx, att, known.TargetID); err != nil {
				return err
			}
			continue
		}
		if !news.IsNotFound(err) {
			return err
		}
		if !isImageFile(att.File) {
			imp.sum.skip("attachment (not an image)")
			continue
		}
		if imp.opt.Uploads == "" {
			imp.missing(att.File)
			continue
		}
		path := filepath.Join(imp.opt.Uploads, filepath.FromSlash(att.File))
		if !withinDir(imp.opt.Uploads, path) {
			imp.missing(att.File)
			continue
		}
		if imp.opt.DryRun {
			if _, err := os.Stat(path); err != nil {
				imp.missing(att.File)
				continue
			}
			imp.index(att, PhotoRef{PhotoID: imp.fake(), Width: 1, Height: 1})
			imp.sum.PhotosCreated++
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			imp.missing(att.File)
			continue
		}
		batch = append(batch, &photoJob{att: att, data: data})
		if len(batch) >= 64 {
			if err := flush(); err != nil {
				return err
			}
		}
		imp.report(1, r.Offset(), false)
	}
	return flush()
}

var imageExtRE = regexp.MustCompile(`(?i)\.(jpe?g|png|webp|gif)$`)

func isImageFile(name string) bool { return imageExtRE.MatchString(name) }

// withinDir reports whether path stays inside dir: a file name in an
// export must not read /etc/passwd.
func withinDir(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (imp *importer) missing(file string) {
	imp.sum.MissingFileCount++
	if len(imp.sum.MissingFiles) < listLimit {
		imp.sum.MissingFiles = append(imp.sum.MissingFiles, file)
	}
}

func (imp *importer) processPhotos(ctx context.Context, jobs []*photoJob) error {
	var wg sync.WaitGroup
	next := make(chan *photoJob)
	for range min(len(jobs), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				j.variants, j.err = photo.Process(j.data)
				j.data = nil
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	var batch []news.ImportedPhoto
	var atts []Attachment
	for _, j := range jobs {
		if j.err != nil {
			imp.sum.BadImageCount++
			if len(imp.sum.BadImages) < listLimit {
				imp.sum.BadImages = append(imp.sum.BadImages, j.att.File)
			}
			continue
		}
		largest := j.variants[len(j.variants)-1]
		batch = append(batch, news.ImportedPhoto{Source: imp.source, SourceID: strconv.FormatInt(j.att.ID, 10),
			Photo: news.Photo{Caption: j.att.Caption, Credit: j.att.Credit, Alt: firstNonEmpty(j.att.Alt, j.att.Title),
				Width: largest.Width, Height: largest.Height, ContentType: largest.ContentType, CreatedAt: imp.now},
			Variants:  j.variants,
			Redirects: []news.Redirect{{Path: imp.path0("/wp-content/uploads/" + j.att.File)}}})
		atts = append(atts, j.att)
	}
	if len(batch) == 0 {
		return nil
	}
	if err := imp.st.ImportPhotos(ctx, batch); err != nil {
		return err
	}
	for i, ip := range batch {
		widths := make([]int, len(ip.Variants))
		for k, v := range ip.Variants {
			widths[k] = v.Width
		}
		imp.index(atts[i], PhotoRef{PhotoID: ip.Photo.ID, Width: ip.Photo.Width, Height: ip.Photo.Height, Widths: widths})
		imp.sum.PhotosCreated++
	}
	return nil
}

// knownPhoto indexes a photo an earlier run made.
func (imp *importer) knownPhoto(ctx context.Context, att Attachment, photoID int64) error {
	p, err := imp.st.Photo(ctx, photoID)
	if news.IsNotFound(err) {
		imp.missing(att.File)
		return nil
	}
	if err != nil {
		return err
	}
	widths, err := imp.st.PhotoWidths(ctx, photoID)
	if err != nil {
		return err
	}
	imp.index(att, PhotoRef{PhotoID: p.ID, Width: p.Width, Height: p.Height, Widths: widths})
	imp.sum.PhotosKnown++
	return nil
}

func (imp *importer) index(att Attachment, ref PhotoRef) {
	ref.Caption, ref.Credit = att.Caption, att.Credit
	ref.Alt = firstNonEmpty(att.Alt, att.Title)
	imp.photos.byID[att.ID] = ref
	if att.File != "" {
		imp.photos.byFile[att.File] = att.ID
	}
}

// postPass imports the posts in batches: one goroutine reads and converts
// the next batch while the caller's writes the last one.
func (imp *importer) postPass(ctx context.Context, r *Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []news.ImportedArticle, 1)
	offsets := make(chan int64, 1)
	var readErr error
	go func() {
		defer close(batches)
		readErr = imp.readPosts(ctx, r, func(batch []news.ImportedArticle) bool {
			select {
			case batches <- batch:
				select {
				case offsets <- r.Offset():
				default:
				}
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	for batch := range batches {
		if err := imp.write(ctx, batch); err != nil {
			cancel()
			for range batches {
			}
			return err
		}
		select {
		case off := <-offsets:
			imp.report(2, off, false)
		default:
		}
	}
	return readErr
}

// readPosts reads and converts the posts, handing them over in batches; it
// stops when emit reports false.
func (imp *importer) readPosts(ctx context.Context, r *Reader, emit func([]news.ImportedArticle) bool) error {
	cv := &Converter{Photos: imp.photos, OldBase: imp.oldBase, Site: imp.source}
	var batch []news.ImportedArticle
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var cut *CutShortError
		if errors.As(err, &cut) {
			imp.sum.CutShort = cut
			break
		}
		if err != nil {
			return err
		}
		switch it.PostType {
		case "post":
		case "attachment":
			continue // the photo pass had it
		case "page":
			imp.sum.skip("page")
			if err := imp.saveRedirects(ctx, imp.pageRedirects(it)); err != nil {
				return err
			}
			continue
		case "":
			imp.sum.skip("item without a post type")
			continue
		default:
			imp.sum.skip(it.PostType)
			continue
		}
		a, ok, err := imp.article(ctx, cv, it)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		batch = append(batch, a)
		if len(batch) >= imp.opt.BatchSize {
			if !emit(batch) {
				return ctx.Err()
			}
			batch = nil
		}
	}
	if len(batch) > 0 && !emit(batch) {
		return ctx.Err()
	}
	return nil
}

// write stores a batch, or in a dry run finds what it would do.
func (imp *importer) write(ctx context.Context, batch []news.ImportedArticle) error {
	var outcomes []news.ImportResult
	if imp.opt.DryRun {
		for _, a := range batch {
			known, err := imp.st.ImportSource(ctx, a.Source, news.SourcePost, a.SourceID)
			switch {
			case news.IsNotFound(err):
				outcomes = append(outcomes, news.ImportResult{Outcome: news.ImportCreated, Comments: len(a.Comments)})
			case err != nil:
				return err
			case known.Checksum == a.Checksum:
				outcomes = append(outcomes, news.ImportResult{Outcome: news.ImportUnchanged})
			default:
				outcomes = append(outcomes, news.ImportResult{Outcome: news.ImportUpdated})
			}
		}
	} else {
		var err error
		if outcomes, err = imp.st.ImportArticles(ctx, batch); err != nil {
			return err
		}
		if err := imp.st.RecordChanges(ctx, []news.Change{{Lists: true, All: true}}); err != nil {
			return err
		}
	}
	for i, o := range outcomes {
		imp.sum.Comments += o.Comments
		imp.sum.CommentersCreated += o.Commenters
		switch o.Outcome {
		case news.ImportCreated:
			imp.sum.Created++
		case news.ImportUpdated:
			imp.sum.Updated++
		case news.ImportUnchanged:
			imp.sum.Unchanged++
			continue
		}
		switch a := batch[i].Article; a.State {
		case news.StatePublished:
			if a.PublishedAt.After(imp.now) {
				imp.sum.Scheduled++
			}
		case news.StateDraft, news.StateSubmitted:
			imp.sum.Drafts++
		}
	}
	return nil
}

const zeroDate = "0000-00-00 00:00:00"

// parseTime reads WordPress's GMT date, else its local date taken as KST,
// else the RSS pubDate.
func parseTime(gmt, local, pub string) time.Time {
	if gmt != "" && gmt != zeroDate {
		if t, err := time.Parse(time.DateTime, gmt); err == nil {
			return t.UTC()
		}
	}
	if local != "" && local != zeroDate {
		if t, err := time.ParseInLocation(time.DateTime, local, news.KST); err == nil {
			return t.UTC()
		}
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, pub); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// article maps a post. It reports false for a post that is skipped.
func (imp *importer) article(ctx context.Context, cv *Converter, it Item) (news.ImportedArticle, bool, error) {
	a := news.Article{CommentsOpen: it.CommentStatus != "closed"}
	switch it.Status {
	case "publish":
		a.State = news.StatePublished
	case "future":
		// Jikji's scheduled story is a published one whose time has not
		// come.
		a.State = news.StatePublished
	case "draft", "auto-draft":
		if it.Status == "auto-draft" {
			imp.sum.skip("auto-draft")
			return news.ImportedArticle{}, false, nil
		}
		a.State = news.StateDraft
	case "pending":
		a.State = news.StateSubmitted
	case "private":
		imp.sum.skip("private")
		return news.ImportedArticle{}, false, nil
	case "trash":
		imp.sum.skip("trash")
		return news.ImportedArticle{}, false, nil
	default:
		imp.sum.skip("status " + it.Status)
		return news.ImportedArticle{}, false, nil
	}
	if it.Password != "" {
		// Never public: the newsroom decides.
		a.State = news.StateDraft
		imp.sum.PasswordDrafts++
	}
	a.PublishedAt = parseTime(it.PostDateGMT, it.PostDate, it.PubDate)
	if a.PublishedAt.IsZero() {
		a.PublishedAt = imp.now.UTC()
	}
	if a.State == news.StateDraft || a.State == news.StateSubmitted {
		a.CreatedAt = a.PublishedAt
		a.PublishedAt = time.Time{}
	} else {
		a.CreatedAt = a.PublishedAt
	}
	a.Headline = headline(it.Title)
	for _, line := range strings.Split(PlainHTML(it.Excerpt), "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			a.Deck = append(a.Deck, line)
		}
	}
	var err error
	if a.Section, err = imp.section(ctx, it.Terms); err != nil {
		return news.ImportedArticle{}, false, err
	}
	rep, err := imp.reporter(ctx, it.Creator)
	if err != nil {
		return news.ImportedArticle{}, false, err
	}
	a.Bylines = []news.Byline{{ReporterID: rep.ID, Name: rep.Name, Role: rep.Role}}
	var tags []string
	for _, t := range it.Terms {
		if t.Domain == "post_tag" {
			name := PlainHTML(t.Name)
			tags = append(tags, name)
			if err := imp.tagRedirects(ctx, t.Slug, name); err != nil {
				return news.ImportedArticle{}, false, err
			}
		}
	}
	a.Keywords = news.CleanKeywords(tags)

	blocks := cv.Convert(it.PostID, it.Content, &imp.sum.Content)
	if thumb, err := strconv.ParseInt(strings.TrimSpace(it.Meta["_thumbnail_id"]), 10, 64); err == nil && thumb > 0 {
		blocks = withFeatured(blocks, imp.photos, thumb)
	}
	a.Blocks = blocks
	a.Body = news.FormatBody(blocks)

	in := news.ImportedArticle{Source: imp.source, SourceID: strconv.FormatInt(it.PostID, 10), Article: a}
	if in.Comments, err = imp.comments(ctx, it.Comments); err != nil {
		return news.ImportedArticle{}, false, err
	}
	in.Redirects = imp.postRedirects(it)
	in.Checksum = checksum(in)
	return in, true, nil
}

// headline is the post's title as plain text of at most 200 characters.
func headline(title string) string {
	t := strings.Join(strings.Fields(PlainHTML(title)), " ")
	if t == "" {
		return "(제목 없음)"
	}
	if utf8.RuneCountInString(t) > 200 {
		t = string([]rune(t)[:199]) + "…"
	}
	return t
}

// withFeatured puts the featured image first, unless the body shows it.
func withFeatured(blocks []news.Block, photos *photoIndex, attachmentID int64) []news.Block {
	ref, ok := photos.ByID(attachmentID)
	if !ok {
		return blocks
	}
	for _, b := range blocks {
		for _, p := range b.Photos {
			if p.PhotoID == ref.PhotoID {
				return blocks
			}
		}
	}
	lead := news.Block{Type: news.BlockPhoto, Caption: ref.Caption, Credit: ref.Credit,
		Photos: []news.FigurePhoto{{PhotoID: ref.PhotoID, Alt: ref.Alt, Width: ref.Width, Height: ref.Height, Widths: ref.Widths}}}
	return append([]news.Block{lead}, blocks...)
}

// checksum tells a changed post from an unchanged one.
func checksum(in news.ImportedArticle) string {
	h := sha256.New()
	json.NewEncoder(h).Encode(struct {
		A news.Article
		C []news.ImportedComment
		R []news.Redirect
	}{in.Article, in.Comments, in.Redirects})
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// topCategory follows a category's parents to the top.
func (imp *importer) topCategory(slug string) Category {
	c, ok := imp.categories[slug]
	if !ok {
		return Category{Slug: slug}
	}
	for range 20 { // a cycle in a hand-made file ends here
		p, ok := imp.categories[c.Parent]
		if c.Parent == "" || !ok {
			break
		}
		c = p
	}
	return c
}

// categoryPath is the category's path in WordPress's links: parent/child.
func (imp *importer) categoryPath(slug string) string {
	parts := []string{slug}
	c, ok := imp.categories[slug]
	for i := 0; ok && c.Parent != "" && i < 20; i++ {
		parts = append([]string{c.Parent}, parts...)
		c, ok = imp.categories[c.Parent]
	}
	return strings.Join(parts, "/")
}

func decodeSlug(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// section finds or makes the section of a post's first category: its top
// parent, whose slug and name are kept.
func (imp *importer) section(ctx context.Context, terms []Term) (news.Section, error) {
	var first news.Section
	for _, t := range terms {
		if t.Domain != "category" || t.Slug == "" {
			continue
		}
		top := imp.topCategory(t.Slug)
		sec, err := imp.ensureSection(ctx, decodeSlug(top.Slug), PlainHTML(firstNonEmpty(top.Name, t.Name)))
		if err != nil {
			return news.Section{}, err
		}
		if err := imp.categoryRedirects(ctx, t.Slug, sec.Slug); err != nil {
			return news.Section{}, err
		}
		if first.Slug == "" {
			first = sec
		}
	}
	if first.Slug != "" {
		return first, nil
	}
	return imp.ensureSection(ctx, "uncategorized", "미분류")
}

func (imp *importer) ensureSection(ctx context.Context, slug, name string) (news.Section, error) {
	if sec, ok := imp.sections[slug]; ok {
		return sec, nil
	}
	sec, err := imp.st.SectionBySlug(ctx, slug)
	if news.IsNotFound(err) {
		sec = news.Section{Slug: slug, Name: firstNonEmpty(name, slug), Position: 100 + len(imp.sections)}
		if imp.opt.DryRun {
			sec.ID = imp.fake()
		} else if err := imp.st.CreateSection(ctx, &sec); err != nil {
			return news.Section{}, fmt.Errorf("section %s: %w", slug, err)
		}
		imp.sum.SectionsCreated++
		err = nil
	}
	if err != nil {
		return news.Section{}, err
	}
	imp.sections[slug] = sec
	return sec, nil
}

// categoryRedirects send a category's old pages to its section, once.
func (imp *importer) categoryRedirects(ctx context.Context, slug, sectionSlug string) error {
	if imp.redirected[slug] {
		return nil
	}
	imp.redirected[slug] = true
	target := "/sections/" + url.PathEscape(sectionSlug)
	var rs []news.Redirect
	for _, p := range []string{slug, imp.categoryPath(slug)} {
		p = decodeSlug(p)
		rs = append(rs, news.Redirect{Path: imp.path0("/category/" + p), Target: target},
			news.Redirect{Path: imp.path0("/category/" + p + "/feed"), Target: target + "/feed.xml"})
	}
	return imp.saveRedirects(ctx, rs)
}

// tagRedirects send a tag's old pages to its keyword's, once.
func (imp *importer) tagRedirects(ctx context.Context, slug, name string) error {
	key := news.KeywordSlug(name)
	if slug == "" || key == "" || imp.redirected["tag\x00"+slug] {
		return nil
	}
	imp.redirected["tag\x00"+slug] = true
	p := decodeSlug(slug)
	return imp.saveRedirects(ctx, []news.Redirect{{Path: imp.path0("/tag/" + p), Target: "/tags/" + url.PathEscape(key)},
		{Path: imp.path0("/tag/" + p + "/feed"), Target: "/feed.xml"}})
}

// reporter finds or makes the reporter of an author login.
func (imp *importer) reporter(ctx context.Context, login string) (news.Reporter, error) {
	login = strings.TrimSpace(login)
	if r, ok := imp.reporters[login]; ok {
		return r, nil
	}
	author := Author{Login: login, DisplayName: login}
	for _, a := range imp.site.Authors {
		if a.Login == login {
			author = a
		}
	}
	if login == "" {
		author.DisplayName = firstNonEmpty(imp.site.Title, "편집국")
	}
	r := news.Reporter{Name: firstNonEmpty(author.DisplayName, strings.TrimSpace(author.FirstName+" "+author.LastName), login),
		Role: "기자", Email: author.Email}
	known, err := imp.st.ImportSource(ctx, imp.source, news.SourceAuthor, login)
	switch {
	case err == nil:
		if r, err = imp.st.Reporter(ctx, known.TargetID); err != nil && !news.IsNotFound(err) {
			return news.Reporter{}, err
		}
		if err == nil {
			imp.reporters[login] = r
			return r, nil
		}
	case !news.IsNotFound(err):
		return news.Reporter{}, err
	}
	if imp.opt.DryRun {
		r.ID = imp.fake()
	} else {
		if err := imp.st.CreateReporter(ctx, &r); err != nil {
			return news.Reporter{}, fmt.Errorf("reporter %s: %w", login, err)
		}
		if err := imp.st.SaveImportSource(ctx, news.ImportSource{Source: imp.source, Kind: news.SourceAuthor,
			SourceID: login, TargetID: r.ID}); err != nil {
			return news.Reporter{}, err
		}
		target := fmt.Sprintf("/reporters/%d", r.ID)
		var rs []news.Redirect
		for _, name := range []string{login, nicename(login)} {
			rs = append(rs, news.Redirect{Path: imp.path0("/author/" + name), Target: target},
				news.Redirect{Path: imp.path0("/author/" + name + "/feed"), Target: target + "/feed.xml"})
		}
		if err := imp.saveRedirects(ctx, rs); err != nil {
			return news.Reporter{}, err
		}
	}
	imp.sum.ReportersCreated++
	imp.reporters[login] = r
	return r, nil
}

var nonNicename = regexp.MustCompile(`[^a-z0-9_-]+`)

// nicename is the form of a login WordPress puts in author links.
func nicename(login string) string {
	return strings.Trim(nonNicename.ReplaceAllString(strings.ToLower(login), "-"), "-")
}

// comments maps a post's approved comments, replies under their top-level
// comment (Jikji threads one level deep), and counts the rest.
func (imp *importer) comments(ctx context.Context, list []Comment) ([]news.ImportedComment, error) {
	approved := make(map[string]bool, len(list))
	parents := make(map[string]string, len(list))
	for _, c := range list {
		parents[c.ID] = c.Parent
		if c.Approved == "1" && (c.Type == "" || c.Type == "comment") {
			approved[c.ID] = true
		}
	}
	root := func(id string) (string, bool) {
		for range 100 {
			p := parents[id]
			if p == "" || p == "0" {
				return id, true
			}
			if !approved[p] {
				return "", false
			}
			id = p
		}
		return "", false
	}
	var out []news.ImportedComment
	for _, c := range list {
		switch {
		case c.Type == "pingback" || c.Type == "trackback":
			imp.sum.skipComment(c.Type)
			continue
		case c.Approved == "spam":
			imp.sum.skipComment("spam")
			continue
		case c.Approved == "trash":
			imp.sum.skipComment("comment in trash")
			continue
		case c.Approved != "1":
			imp.sum.skipComment("not approved")
			continue
		}
		top, ok := root(c.ID)
		if !ok {
			imp.sum.skipComment("reply to a comment left out")
			continue
		}
		parent := ""
		if top != c.ID {
			parent = top
		}
		key, name, err := imp.commenter(ctx, c.Author, c.AuthorEmail)
		if err != nil {
			return nil, err
		}
		body := PlainHTML(c.Content)
		if body == "" {
			imp.sum.skipComment("empty")
			continue
		}
		out = append(out, news.ImportedComment{SourceID: c.ID, ParentSourceID: parent, AuthorKey: key, AuthorName: name, Body: body,
			CreatedAt: parseTime(c.DateGMT, c.Date, "")})
	}
	return out, nil
}

// commenter names the imported commenter of a name and e-mail: the store
// finds or makes the account in the transaction that adds the comment.
func (imp *importer) commenter(ctx context.Context, name, email string) (key, display string, err error) {
	display = strings.Join(strings.Fields(PlainHTML(name)), " ")
	k := strings.ToLower(display) + "\n" + strings.ToLower(strings.TrimSpace(email))
	sum := sha256.Sum256([]byte(k))
	key = hex.EncodeToString(sum[:12])
	if imp.opt.DryRun && !imp.commenters[key] {
		imp.commenters[key] = true
		if _, err := imp.st.ImportSource(ctx, imp.source, news.SourceCommenter, key); news.IsNotFound(err) {
			imp.dryCommenters++
		} else if err != nil {
			return "", "", err
		}
	}
	return key, display, nil
}

// postRedirects are a post's old links: by id, by its permalink and by the
// common permalink structures.
func (imp *importer) postRedirects(it Item) []news.Redirect {
	id := strconv.FormatInt(it.PostID, 10)
	paths := []string{"/?p=" + id, "/archives/" + id}
	slug := decodeSlug(it.PostName)
	if slug != "" && !strings.HasSuffix(slug, "__trashed") {
		if t, err := time.Parse(time.DateTime, it.PostDate); err == nil && it.PostDate != zeroDate {
			paths = append(paths, t.Format("/2006/01/02/")+slug, t.Format("/2006/01/")+slug)
		}
		paths = append(paths, "/"+slug, "/archives/"+slug)
	}
	rs := make([]news.Redirect, 0, len(paths)+2)
	for _, p := range paths {
		rs = append(rs, news.Redirect{Path: imp.path0(p)})
	}
	for _, link := range []string{it.Link, it.GUID} {
		if p, ok := imp.oldPath(link); ok {
			rs = append(rs, news.Redirect{Path: p})
		}
	}
	return rs
}

// pageRedirects send a page's old links to the front page: pages are not
// imported.
func (imp *importer) pageRedirects(it Item) []news.Redirect {
	id := strconv.FormatInt(it.PostID, 10)
	rs := []news.Redirect{{Path: imp.path0("/?page_id=" + id), Target: "/"}}
	if p, ok := imp.oldPath(it.Link); ok && p != "/" {
		rs = append(rs, news.Redirect{Path: p, Target: "/"})
	}
	return rs
}

// oldPath is a link of the old site as a redirect path: decoded, without
// a trailing slash, "/?p=12" for query links.
func (imp *importer) oldPath(link string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Path == "" && u.RawQuery == "" {
		return "", false
	}
	// The export's links name its own site, which an export from a
	// staging copy does not share with the old address.
	src, err1 := url.Parse(imp.source)
	old, err2 := url.Parse(imp.oldBase)
	if err1 != nil || err2 != nil || !strings.EqualFold(u.Host, src.Host) && !strings.EqualFold(u.Host, old.Host) {
		return "", false
	}
	p := strings.TrimRight(u.Path, "/")
	if u.RawQuery != "" {
		q := u.Query()
		for _, key := range []string{"p", "page_id"} {
			if v := q.Get(key); v != "" && p == imp.base {
				return p + "/?" + key + "=" + v, true
			}
		}
		return "", false
	}
	if p == "" || p == imp.base {
		return "", false
	}
	return p, true
}
