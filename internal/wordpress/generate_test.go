package wordpress

import (
	"bytes"
	"io"
	"testing"
)

// TestGenerate checks the benchmark's export reads back whole.
func TestGenerate(t *testing.T) {
	var b bytes.Buffer
	if err := Generate(&b, GenerateOptions{Posts: 30, Comments: 3, BodyBytes: 2000, Uploads: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	posts, photos, comments := 0, 0, 0
	for {
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch it.PostType {
		case "post":
			posts++
			comments += len(it.Comments)
			var st Stats
			if blocks := (&Converter{}).Convert(it.PostID, it.Content, &st); len(blocks) < 3 {
				t.Errorf("post %d converts to %d blocks", it.PostID, len(blocks))
			}
		case "attachment":
			photos++
		}
	}
	if posts != 30 || photos != 30 || comments != 90 {
		t.Errorf("%d posts, %d photos, %d comments; want 30, 30, 90", posts, photos, comments)
	}
}
