package archive_test

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"jikji/internal/archive"
	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2024, 3, 18, 4, 30, 0, 123456000, time.UTC)

func sample() []news.Record {
	return []news.Record{
		{Site: &news.Site{Name: "직지일보", Copyright: "Copyright © Jikji"}},
		{Marker: &news.ArchiveMarker{Name: "demo", CreatedAt: t0}},
		{Section: &news.Section{ID: 3, Slug: "economy", Name: "경제", Position: 1}},
		{Label: &news.Label{Code: "breaking", Name: "속보"}},
		{Reporter: &news.Reporter{ID: 5, Name: "이서희", Role: "특파원"}},
		{Photo: &news.ArchivePhoto{Photo: news.Photo{ID: 7, Caption: "사진", Credit: "제공", Alt: "대체", Width: 2, Height: 1, ContentType: "image/jpeg", CreatedAt: t0},
			Variants: []news.PhotoVariant{{PhotoID: 7, Width: 1, Height: 1, ContentType: "image/jpeg", Data: []byte{0xff, 0xd8, 0}},
				{PhotoID: 7, Width: 2, Height: 1, ContentType: "image/jpeg", Data: []byte{0xff, 0xd8, 1, 2}}}}},
		{Photo: &news.ArchivePhoto{Photo: news.Photo{ID: 8, ContentType: "image/png", CreatedAt: t0},
			Variants: []news.PhotoVariant{{PhotoID: 8, Width: 4, Height: 4, ContentType: "image/png", Data: []byte("\x89PNG")}}}},
		{Account: &news.Account{ID: 9, Email: "a@example.com", DisplayName: "독자", PasswordHash: "$2a$11$x", Role: "reader", CreatedAt: t0}},
		{Article: &news.Article{ID: 11, Section: news.Section{ID: 3}, Headline: strings.Repeat("긴 제목 ", 20000), Deck: []string{"부제"},
			Bylines: []news.Byline{{ReporterID: 5, Name: "이서희"}}, State: "published", PublishedAt: t0, CreatedAt: t0, Version: 2}},
		{Comment: &news.Comment{ID: 13, ArticleID: 11, AuthorID: 9, Body: "댓글\n둘째 줄", State: "visible", CreatedAt: t0}},
		{Reaction: &news.ArchiveReaction{ArticleID: 11, AccountID: 9, Kind: "like", CreatedAt: t0}},
		{PageViews: &news.PageViewCount{ArticleID: 11, Hour: t0.Truncate(time.Hour), Views: 4}},
	}
}

func write(t *testing.T, recs []news.Record, compress bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, t.TempDir(), compress)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(data []byte) ([]news.Record, error) {
	r, err := archive.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []news.Record
	for {
		rec, ok, err := r.Next()
		if err != nil {
			return out, err
		}
		if !ok {
			return out, nil
		}
		out = append(out, rec)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, compress := range []bool{false, true} {
		data := write(t, sample(), compress)
		got, err := readAll(data)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sample(), got); diff != "" {
			t.Errorf("compress=%v: records (-want +got):\n%s", compress, diff)
		}
	}
}

func TestLayout(t *testing.T) {
	data := write(t, sample(), false)
	tr := tar.NewReader(bytes.NewReader(data))
	var names []string
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
		if h.Name == "manifest.json" {
			var m map[string]any
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				t.Fatal(err)
			}
			if m["format"] != "jikji-archive" || m["version"] != 1.0 || m["created_at"] == nil {
				t.Errorf("manifest %v", m)
			}
			if c := m["counts"].(map[string]any); c["photos"] != 2.0 || c["articles"] != 1.0 || c["comment_votes"] != 0.0 {
				t.Errorf("counts %v", c)
			}
		}
	}
	want := []string{"manifest.json", "site.jsonl", "markers.jsonl", "sections.jsonl", "labels.jsonl", "reporters.jsonl",
		"photos.jsonl", "photos/7/1.jpg", "photos/7/2.jpg", "photos/8/4.png", "accounts.jsonl", "articles.jsonl",
		"comments.jsonl", "reactions.jsonl", "page_views.jsonl"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestErrTruncated(t *testing.T) {
	data := write(t, sample(), false)
	// Cut at every 512-byte block boundary and in the middle of blocks:
	// every cut that loses a record is noticed, whether inside an entry
	// or between entries (the last block holds only padding and the end).
	for n := 1024; n < len(data)-2048; n += 256 {
		_, err := readAll(data[:n])
		if err == nil {
			t.Fatalf("archive cut at %d of %d bytes read without error", n, len(data))
		}
	}
	gz := write(t, sample(), true)
	if _, err := readAll(gz[:len(gz)/2]); err == nil {
		t.Error("gzip archive cut in half read without error")
	}
	// Cut right after a whole entry, before the end-of-archive blocks.
	_, err := readAll(data[:len(data)-1024-512*3])
	if !errors.Is(err, archive.ErrIncomplete) {
		t.Errorf("cut between entries: %v, want ErrIncomplete", err)
	}
}

func TestErrBadJSON(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name, body string) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	add("manifest.json", `{"format":"jikji-archive","version":1,"counts":{"sections":2}}`)
	add("sections.jsonl", "{\"ID\":1,\"Slug\":\"a\"}\n{\"ID\":2,\"Slug\":\n")
	tw.Close()
	if _, err := readAll(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "sections.jsonl 2번째 줄") {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestErrNotAnArchive(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	body := `{"format":"jikji-archive","version":2}`
	tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o644, Size: int64(len(body))})
	tw.Write([]byte(body))
	tw.Close()
	if _, err := archive.NewReader(&buf); err == nil || !strings.Contains(err.Error(), "버전 2") {
		t.Errorf("version 2: %v", err)
	}
	if _, err := archive.NewReader(strings.NewReader("hello")); err == nil {
		t.Error("a text file read as an archive")
	}
}
