package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"jikji/internal/archive"
	"jikji/internal/news"
)

// progressEvery is how many records pass between progress lines.
const progressEvery = 10000

// runExport writes the whole site to an archive file. It reads one
// snapshot, so it may run while servers keep writing.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	var out string
	fs := newSiteFlagSet("export", stderr, &c)
	fs.StringVar(&out, "out", "", "archive file to write (.tar, or .tar.gz to compress; - for standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if out == "" || fs.NArg() > 0 {
		return errors.New("사용법: jikji export --out FILE")
	}
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	n, err := exportSite(ctx, st, out, stdout, stderr)
	if err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintf(stderr, "내보냈습니다: %s (기록 %d건)\n", out, n)
	}
	return nil
}

// exportSite writes st's archive to the file out (or to stdout for "-")
// and returns the number of records. The file appears only once complete.
func exportSite(ctx context.Context, st news.Store, out string, stdout, stderr io.Writer) (int64, error) {
	var (
		w    io.Writer = stdout
		dir            = os.TempDir()
		file *os.File
	)
	if out != "-" {
		dir = filepath.Dir(out)
		var err error
		if file, err = os.CreateTemp(dir, "."+filepath.Base(out)+".tmp-"); err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
		defer func() {
			file.Close()
			os.Remove(file.Name())
		}()
		w = file
	}
	aw, err := archive.NewWriter(w, dir, archive.IsCompressed(out))
	if err != nil {
		return 0, err
	}
	defer aw.Close()
	var n int64
	start := time.Now()
	err = st.Export(ctx, func(rec news.Record) error {
		if err := aw.Write(rec); err != nil {
			return err
		}
		if n++; n%progressEvery == 0 {
			fmt.Fprintf(stderr, "내보내는 중: 기록 %d건 (%s)\n", n, time.Since(start).Round(time.Second))
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := aw.Close(); err != nil {
		return n, err
	}
	if file != nil {
		if err := file.Sync(); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		if err := file.Close(); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		if err := os.Rename(file.Name(), out); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
	}
	return n, nil
}

// runImport loads an archive into a site that holds no article and no
// account, applying the migrations first on a new database.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newSiteFlagSet("import", stderr, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// The file may come before the flags: jikji import FILE --data DIR.
	var file string
	if fs.NArg() > 0 {
		file = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if file == "" || fs.NArg() > 0 {
		return errors.New("사용법: jikji import FILE")
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("보관 파일: %w", err)
	}
	defer f.Close()
	// Check the file before touching the database.
	ar, err := archive.NewReader(f)
	if err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	n, err := importSite(ctx, st, ar, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "가져왔습니다: %s → %s (기록 %d건)\n", file, describeDatabase(c), n)
	if dropped := ar.DroppedNUL(); dropped > 0 {
		fmt.Fprintf(stderr, "글에 들어 있던 NUL 문자(U+0000) %d개를 지웠습니다: 데이터베이스에 저장할 수 없는 문자입니다.\n", dropped)
	}
	return nil
}

// importSite loads the archive into st in one transaction and tells every
// running node to drop its cached pages.
func importSite(ctx context.Context, st news.Store, ar *archive.Reader, stderr io.Writer) (int64, error) {
	total := ar.Total()
	start := time.Now()
	var n int64
	err := st.Import(ctx, ar.Next, func(done int64) {
		n = done
		if done%progressEvery == 0 {
			fmt.Fprintf(stderr, "가져오는 중: 기록 %d/%d건 (%s)\n", done, total, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		var de *news.Error
		if errors.As(err, &de) {
			// The store's message says what is wrong with the site or file.
			return 0, fmt.Errorf("가져오지 못했습니다. 데이터베이스는 그대로입니다: %s", de.Message)
		}
		return 0, fmt.Errorf("가져오지 못했습니다. 데이터베이스는 그대로입니다: %w", err)
	}
	if err := st.RecordChanges(ctx, []news.Change{{All: true}}); err != nil {
		return n, fmt.Errorf("가져왔지만 실행 중인 서버에 알리지 못했습니다 (캐시는 1분 안에 새로워집니다): %w", err)
	}
	return n, nil
}
