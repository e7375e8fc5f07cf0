// Package archive reads and writes Jikji's site archive: a tar file (gzip
// compressed or not) holding manifest.json, one JSON Lines file per kind of
// record, and the photos' bytes as entries of their own.
//
// The entries come in this order, so that an archive can be read as a
// stream, parents before the records that refer to them:
//
//	manifest.json           {"format": "jikji-archive", "version": 1, "created_at": …, "counts": {…}}
//	site.jsonl              the site settings (at most one line)
//	markers.jsonl           once-in-a-life facts, such as "demo" (demo content was loaded)
//	sections.jsonl, labels.jsonl, reporters.jsonl
//	photos.jsonl            one photo a line; each variant names its file
//	photos/{id}/{width}.jpg the variants' bytes (.png for PNG), in the order of photos.jsonl
//	accounts.jsonl          with password hashes; deleted accounts keep their row
//	articles.jsonl, revisions.jsonl
//	comments.jsonl          top-level comments before replies
//	comment_votes.jsonl, reactions.jsonl, bookmarks.jsonl, subscriptions.jsonl
//	front_picks.jsonl, api_tokens.jsonl, page_views.jsonl
//	redirects.jsonl, import_sources.jsonl  old links and what imported items became
//
// A line is the JSON of the news package's type for its kind, with Go field
// names (news.Article, news.Comment, news.ArchiveReaction …). Counters, the
// search index, sessions and the change log are not archived: counters and
// the index are rebuilt on import, and readers log in again. A file missing
// from an archive holds no record; counts in the manifest let a reader
// notice an archive that was cut short.
package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"
)

// Format is the manifest's "format" value.
const Format = "jikji-archive"

// Header opens the manifest of every file Jikji writes for an operator to
// keep (an archive, a backup): what it is, its version and when it was made.
type Header struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// Manifest describes an archive.
type Manifest struct {
	Header
	// Counts holds the number of records of each file, by its name
	// without ".jsonl" ("articles": 1200).
	Counts map[string]int64 `json:"counts"`
}

// kind is one kind of record and the file that holds it.
type kind struct {
	name   string // news.Record.Kind
	file   string // without .jsonl
	value  func(news.Record) any
	decode func([]byte) (news.Record, error)
}

func decoder[T any](set func(*T) news.Record) func([]byte) (news.Record, error) {
	return func(line []byte) (news.Record, error) {
		v := new(T)
		if err := json.Unmarshal(line, v); err != nil {
			return news.Record{}, err
		}
		return set(v), nil
	}
}

// kinds are in the order of the archive.
var kinds = []kind{
	{"site", "site", func(r news.Record) any { return r.Site }, decoder(func(v *news.Site) news.Record { return news.Record{Site: v} })},
	{"marker", "markers", func(r news.Record) any { return r.Marker }, decoder(func(v *news.ArchiveMarker) news.Record { return news.Record{Marker: v} })},
	{"section", "sections", func(r news.Record) any { return r.Section }, decoder(func(v *news.Section) news.Record { return news.Record{Section: v} })},
	{"label", "labels", func(r news.Record) any { return r.Label }, decoder(func(v *news.Label) news.Record { return news.Record{Label: v} })},
	{"reporter", "reporters", func(r news.Record) any { return r.Reporter }, decoder(func(v *news.Reporter) news.Record { return news.Record{Reporter: v} })},
	{"photo", "photos", nil, nil}, // photoLine, with the bytes in entries of their own
	{"account", "accounts", func(r news.Record) any { return r.Account }, decoder(func(v *news.Account) news.Record { return news.Record{Account: v} })},
	{"article", "articles", func(r news.Record) any { return r.Article }, decoder(func(v *news.Article) news.Record { return news.Record{Article: v} })},
	{"revision", "revisions", func(r news.Record) any { return r.Revision }, decoder(func(v *news.Revision) news.Record { return news.Record{Revision: v} })},
	{"comment", "comments", func(r news.Record) any { return r.Comment }, decoder(func(v *news.Comment) news.Record { return news.Record{Comment: v} })},
	{"vote", "comment_votes", func(r news.Record) any { return r.Vote }, decoder(func(v *news.ArchiveVote) news.Record { return news.Record{Vote: v} })},
	{"reaction", "reactions", func(r news.Record) any { return r.Reaction }, decoder(func(v *news.ArchiveReaction) news.Record { return news.Record{Reaction: v} })},
	{"bookmark", "bookmarks", func(r news.Record) any { return r.Bookmark }, decoder(func(v *news.ArchiveBookmark) news.Record { return news.Record{Bookmark: v} })},
	{"subscription", "subscriptions", func(r news.Record) any { return r.Subscription }, decoder(func(v *news.Subscription) news.Record { return news.Record{Subscription: v} })},
	{"front_picks", "front_picks", func(r news.Record) any { return r.FrontPicks }, decoder(func(v *news.ArchiveFrontPicks) news.Record { return news.Record{FrontPicks: v} })},
	{"api_token", "api_tokens", func(r news.Record) any { return r.APIToken }, decoder(func(v *news.APIToken) news.Record { return news.Record{APIToken: v} })},
	{"page_views", "page_views", func(r news.Record) any { return r.PageViews }, decoder(func(v *news.PageViewCount) news.Record { return news.Record{PageViews: v} })},
	{"redirect", "redirects", func(r news.Record) any { return r.Redirect }, decoder(func(v *news.Redirect) news.Record { return news.Record{Redirect: v} })},
	{"import_source", "import_sources", func(r news.Record) any { return r.ImportSource }, decoder(func(v *news.ImportSource) news.Record { return news.Record{ImportSource: v} })},
}

func kindByName(name string) (int, bool) {
	for i, k := range kinds {
		if k.name == name {
			return i, true
		}
	}
	return 0, false
}

func kindByFile(file string) (int, bool) {
	for i, k := range kinds {
		if k.file+".jsonl" == file {
			return i, true
		}
	}
	return 0, false
}

// photoLine is a line of photos.jsonl: the photo and its variants, whose
// bytes are in the entries the variants name.
type photoLine struct {
	news.Photo
	Variants []variantLine
}

type variantLine struct {
	Width       int
	Height      int
	ContentType string
	Size        int64
	File        string
}

func variantFile(photoID int64, v news.PhotoVariant) string {
	ext := ".jpg"
	if v.ContentType == "image/png" {
		ext = ".png"
	}
	return fmt.Sprintf("photos/%d/%d%s", photoID, v.Width, ext)
}

// Writer spools records to temporary files beside the archive, since a tar
// entry needs its size before its bytes, then writes the archive on Close.
type Writer struct {
	out    io.Writer
	gzip   bool
	dir    string
	files  []*os.File
	bufs   []*bufio.Writer
	counts []int64
	blobs  *os.File // the photos' bytes, one after another
	sizes  []int64
	closed bool
	last   int
}

// NewWriter returns a Writer of an archive to out, spooling in a temporary
// folder inside dir (which should be on the disk the archive goes to).
// With compress the archive is gzip-compressed.
func NewWriter(out io.Writer, dir string, compress bool) (*Writer, error) {
	tmp, err := os.MkdirTemp(dir, ".jikji-export-")
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &Writer{out: out, gzip: compress, dir: tmp, files: make([]*os.File, len(kinds)),
		bufs: make([]*bufio.Writer, len(kinds)), counts: make([]int64, len(kinds))}, nil
}

// Write adds a record. Records must come in the order of the archive's
// files, as news.ArchiveStore.Export emits them.
func (w *Writer) Write(rec news.Record) error {
	i, ok := kindByName(rec.Kind())
	if !ok {
		return errors.New("archive: empty record")
	}
	if i < w.last {
		return fmt.Errorf("archive: %s after a %s", rec.Describe(), kinds[w.last].name)
	}
	w.last = i
	if w.bufs[i] == nil {
		f, err := os.Create(filepath.Join(w.dir, kinds[i].file+".jsonl"))
		if err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		w.files[i], w.bufs[i] = f, bufio.NewWriterSize(f, 1<<16)
	}
	var v any
	if rec.Photo != nil {
		line := photoLine{Photo: rec.Photo.Photo}
		if w.blobs == nil {
			f, err := os.Create(filepath.Join(w.dir, "photos.bin"))
			if err != nil {
				return fmt.Errorf("archive: %w", err)
			}
			w.blobs = f
		}
		for _, pv := range rec.Photo.Variants {
			if _, err := w.blobs.Write(pv.Data); err != nil {
				return fmt.Errorf("archive: %w", err)
			}
			w.sizes = append(w.sizes, int64(len(pv.Data)))
			line.Variants = append(line.Variants, variantLine{Width: pv.Width, Height: pv.Height,
				ContentType: pv.ContentType, Size: int64(len(pv.Data)), File: variantFile(rec.Photo.Photo.ID, pv)})
		}
		v = line
	} else {
		v = kinds[i].value(rec)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("archive: %s: %w", rec.Describe(), err)
	}
	data = append(data, '\n')
	if _, err := w.bufs[i].Write(data); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	w.counts[i]++
	return nil
}

// Close writes the archive and removes the spool; it does not close out.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	defer os.RemoveAll(w.dir)
	defer func() {
		for _, f := range w.files {
			if f != nil {
				f.Close()
			}
		}
		if w.blobs != nil {
			w.blobs.Close()
		}
	}()
	out := w.out
	var gz *gzip.Writer
	if w.gzip {
		gz = gzip.NewWriter(out)
		out = gz
	}
	tw := tar.NewWriter(out)
	m := Manifest{Header: Header{Format: Format, Version: news.ArchiveVersion, CreatedAt: time.Now().UTC().Truncate(time.Second)}, Counts: map[string]int64{}}
	for i, k := range kinds {
		m.Counts[k.file] = w.counts[i]
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeEntry(tw, "manifest.json", int64(len(manifest)+1), bytes.NewReader(append(manifest, '\n')), m.CreatedAt); err != nil {
		return err
	}
	for i, k := range kinds {
		f := w.files[i]
		if f == nil {
			continue
		}
		if err := w.bufs[i].Flush(); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		size, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		if err := writeEntry(tw, k.file+".jsonl", size, f, m.CreatedAt); err != nil {
			return err
		}
		if k.name == "photo" {
			if err := w.writePhotos(tw, f, m.CreatedAt); err != nil {
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
	}
	return nil
}

// writePhotos writes the variants' bytes, in the order of photos.jsonl.
func (w *Writer) writePhotos(tw *tar.Writer, lines *os.File, mtime time.Time) error {
	if _, err := lines.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := w.blobs.Seek(0, io.SeekStart); err != nil {
		return err
	}
	blobs := bufio.NewReaderSize(w.blobs, 1<<16)
	r := bufio.NewReaderSize(lines, 1<<16)
	for {
		line, err := r.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		var p photoLine
		if err := json.Unmarshal(line, &p); err != nil {
			return err
		}
		for _, v := range p.Variants {
			if err := writeEntry(tw, v.File, v.Size, io.LimitReader(blobs, v.Size), mtime); err != nil {
				return err
			}
		}
	}
}

func writeEntry(tw *tar.Writer, name string, size int64, r io.Reader, mtime time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return fmt.Errorf("archive: %s: %w", name, err)
	}
	if n, err := io.Copy(tw, r); err != nil || n != size {
		return fmt.Errorf("archive: %s: wrote %d of %d bytes: %v", name, n, size, err)
	}
	return nil
}

// Reader reads an archive as a stream of records.
type Reader struct {
	tr       *tar.Reader
	manifest Manifest
	counts   map[string]int64

	// droppedNUL counts the NUL characters taken out of text fields.
	droppedNUL int64

	kind   int           // of the entry being read
	lines  *bufio.Reader // of the entry being read, nil between entries
	photos []photoLine   // of photos.jsonl, emitted as their bytes are read
	done   bool
}

// ErrIncomplete says an archive ends before all its records.
var ErrIncomplete = errors.New("보관 파일이 중간에 끊겼습니다")

// NewReader reads the manifest and checks the format and version. A gzip
// compressed archive is recognised by its first bytes.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("보관 파일을 읽을 수 없습니다: %w", err)
		}
		r = gz
	} else {
		r = br
	}
	ar := &Reader{tr: tar.NewReader(r), counts: map[string]int64{}}
	h, err := ar.tr.Next()
	if err != nil {
		return nil, fmt.Errorf("직지 보관 파일이 아닙니다: %w", err)
	}
	if h.Name != "manifest.json" {
		return nil, fmt.Errorf("직지 보관 파일이 아닙니다: 첫 항목이 manifest.json이 아니라 %s입니다", h.Name)
	}
	if err := json.NewDecoder(io.LimitReader(ar.tr, 1<<20)).Decode(&ar.manifest); err != nil {
		return nil, fmt.Errorf("직지 보관 파일이 아닙니다: manifest.json: %w", err)
	}
	if ar.manifest.Format != Format {
		return nil, fmt.Errorf("직지 보관 파일이 아닙니다: format %q", ar.manifest.Format)
	}
	if ar.manifest.Version != news.ArchiveVersion {
		return nil, fmt.Errorf("보관 파일의 %s 이 jikji가 읽을 수 없습니다 (읽을 수 있는 버전: %d)", josa.EunNeun.After(fmt.Sprintf("버전 %d", ar.manifest.Version)), news.ArchiveVersion)
	}
	return ar, nil
}

// DroppedNUL is how many NUL characters (U+0000) were taken out of text so
// far. Older sites on SQLite may hold some; PostgreSQL cannot store them, and
// Jikji no longer accepts them.
func (r *Reader) DroppedNUL() int64 { return r.droppedNUL }

// dropEscapedNUL removes every \u0000 escape from a line of JSON (a raw
// NUL byte is not valid JSON) and says how many it removed.
func dropEscapedNUL(line []byte) ([]byte, int) {
	if !bytes.Contains(line, []byte(`\u0000`)) {
		return line, 0
	}
	out := make([]byte, 0, len(line))
	n := 0
	for i := 0; i < len(line); i++ {
		if line[i] != '\\' || i+1 >= len(line) {
			out = append(out, line[i])
			continue
		}
		if line[i+1] == 'u' && i+6 <= len(line) && string(line[i+2:i+6]) == "0000" {
			n++
			i += 5
			continue
		}
		// Any other escape, \\ included, is kept whole.
		out = append(out, line[i], line[i+1])
		i++
	}
	return out, n
}

// Manifest returns the archive's manifest.
func (r *Reader) Manifest() Manifest { return r.manifest }

// Total is the number of records the manifest announces.
func (r *Reader) Total() int64 {
	var n int64
	for _, c := range r.manifest.Counts {
		n += c
	}
	return n
}

// Next returns the next record, or false at the end of a complete archive.
// It returns an error for a malformed archive, and ErrIncomplete (wrapped)
// for one that ends before the records its manifest counts.
func (r *Reader) Next() (news.Record, bool, error) {
	if r.done {
		return news.Record{}, false, nil
	}
	for {
		if len(r.photos) > 0 {
			rec, err := r.nextPhoto()
			return rec, err == nil, err
		}
		if r.lines != nil {
			line, err := r.lines.ReadBytes('\n')
			if len(bytes.TrimSpace(line)) > 0 {
				if err != nil && err != io.EOF {
					return news.Record{}, false, r.readError(err)
				}
				rec, err := r.decode(line)
				if err != nil {
					return news.Record{}, false, err
				}
				if rec.Photo == nil {
					return rec, true, nil
				}
				continue
			}
			if err == io.EOF {
				r.lines = nil
				continue
			}
			if err != nil {
				return news.Record{}, false, r.readError(err)
			}
			continue
		}
		h, err := r.tr.Next()
		if err == io.EOF {
			return news.Record{}, false, r.finish()
		}
		if err != nil {
			return news.Record{}, false, r.readError(err)
		}
		i, ok := kindByFile(h.Name)
		if !ok {
			return news.Record{}, false, fmt.Errorf("보관 파일에 알 수 없는 항목이 있습니다: %s", h.Name)
		}
		r.kind = i
		r.lines = bufio.NewReaderSize(r.tr, 1<<16)
	}
}

// decode reads one line of the current file. Photos are held until their
// bytes are read.
func (r *Reader) decode(line []byte) (news.Record, error) {
	k := kinds[r.kind]
	line, dropped := dropEscapedNUL(line)
	r.droppedNUL += int64(dropped)
	if k.name == "photo" {
		var p photoLine
		if err := json.Unmarshal(line, &p); err != nil {
			return news.Record{}, fmt.Errorf("보관 파일의 photos.jsonl %d번째 줄을 읽을 수 없습니다: %w", r.counts[k.file]+1, err)
		}
		r.photos = append(r.photos, p)
		r.counts[k.file]++
		return news.Record{Photo: &news.ArchivePhoto{}}, nil
	}
	rec, err := k.decode(line)
	if err != nil {
		return news.Record{}, fmt.Errorf("보관 파일의 %s.jsonl %d번째 줄을 읽을 수 없습니다: %w", k.file, r.counts[k.file]+1, err)
	}
	r.counts[k.file]++
	return rec, nil
}

// nextPhoto reads the bytes of the first held photo, once photos.jsonl
// has been read to its end.
func (r *Reader) nextPhoto() (news.Record, error) {
	for r.lines != nil {
		// The rest of photos.jsonl comes before the bytes.
		line, err := r.lines.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if _, derr := r.decode(line); derr != nil {
				return news.Record{}, derr
			}
		}
		if err == io.EOF {
			r.lines = nil
		} else if err != nil {
			return news.Record{}, r.readError(err)
		}
	}
	p := r.photos[0]
	r.photos = r.photos[1:]
	rec := news.ArchivePhoto{Photo: p.Photo}
	for _, v := range p.Variants {
		h, err := r.tr.Next()
		if err == io.EOF {
			return news.Record{}, fmt.Errorf("%w: 사진 %d의 %s 없습니다", ErrIncomplete, p.ID, josa.IGa.After(v.File))
		}
		if err != nil {
			return news.Record{}, r.readError(err)
		}
		if h.Name != v.File || h.Size != v.Size {
			return news.Record{}, fmt.Errorf("보관 파일의 사진 %d: %s(%d바이트) 자리에 %s(%d바이트)가 있습니다", p.ID, v.File, v.Size, h.Name, h.Size)
		}
		data := make([]byte, h.Size)
		if _, err := io.ReadFull(r.tr, data); err != nil {
			return news.Record{}, r.readError(err)
		}
		rec.Variants = append(rec.Variants, news.PhotoVariant{PhotoID: p.ID, Width: v.Width, Height: v.Height,
			ContentType: v.ContentType, Data: data})
	}
	return news.Record{Photo: &rec}, nil
}

// finish checks, at the end of the tar, that every counted record was read.
func (r *Reader) finish() error {
	for file, want := range r.manifest.Counts {
		if got := r.counts[file]; got != want {
			return fmt.Errorf("%w: %s.jsonl에 기록 %d개 중 %d개만 있습니다", ErrIncomplete, file, want, got)
		}
	}
	r.done = true
	return nil
}

func (r *Reader) readError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %v", ErrIncomplete, err)
	}
	return fmt.Errorf("보관 파일을 읽을 수 없습니다: %w", err)
}

// IsCompressed reports whether a file name asks for gzip compression.
func IsCompressed(name string) bool {
	return strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".tgz")
}
