package sqlite_test

import (
	"path/filepath"
	"testing"

	"jikji/internal/news"
	"jikji/internal/sqlite"
	"jikji/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) news.Store {
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "jikji.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := st.Close(); err != nil {
				t.Error(err)
			}
		})
		return st
	})
}
