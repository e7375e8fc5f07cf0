package archive_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"testing"

	"jikji/internal/archive"
)

// FuzzReader reads arbitrary bytes as an archive: it may refuse them, but
// must not panic or loop.
func FuzzReader(f *testing.F) {
	good := writeSeed(f, false)
	gz := writeSeed(f, true)
	f.Add(good)
	f.Add(gz)
	f.Add(good[:len(good)/2])
	f.Add(gz[:len(gz)/3])
	f.Add([]byte{})
	f.Add([]byte("not an archive"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	// A tar whose entries have the right names and wrong contents.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{"manifest.json", `{"format":"jikji-archive","version":1,"counts":{"articles":-5}}`},
		{"articles.jsonl", "{\"id\":1,\"headline\":\"\xff\"}\n{broken"},
		{"photos/1/480.jpg", "\xff\xd8"},
	} {
		tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body))})
		tw.Write([]byte(e.body))
	}
	tw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := archive.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		_ = r.Manifest()
		for range 100_000 {
			_, ok, err := r.Next()
			if err != nil || !ok {
				return
			}
		}
	})
}

func writeSeed(f *testing.F, compress bool) []byte {
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, f.TempDir(), compress)
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range sample() {
		if err := w.Write(r); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	if compress {
		if _, err := gzip.NewReader(bytes.NewReader(buf.Bytes())); err != nil {
			f.Fatal(err)
		}
	}
	return buf.Bytes()
}
