package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"jikji/internal/wordpress"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"
)

var (
	wxrPosts  = flag.Int("wxr-posts", 100_000, "posts of the generated WordPress export (each with a photo and comments)")
	wxrBigMB  = flag.Int("wxr-big-mb", 2048, "size of the export whose import memory is measured; 0 skips it")
	wxrBigDry = flag.Bool("wxr-big-dry-run", false, "measure the large export's memory with --dry-run (read and converted, nothing written)")
	wxrPG     = flag.String("wxr-postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server for the import on PostgreSQL; empty skips it")
)

// wxrFile generates (once) an export and its uploads folder.
func wxrFile(name string, opt wordpress.GenerateOptions) (string, string, error) {
	file := filepath.Join(*dir, name+".xml")
	uploads := filepath.Join(*dir, name+"-uploads")
	if _, err := os.Stat(file + ".done"); err == nil {
		step("reusing export %s", name)
		return file, uploads, nil
	}
	step("generating WordPress export %s (%d posts)", name, opt.Posts)
	os.RemoveAll(uploads)
	opt.Uploads = uploads
	f, err := os.Create(file)
	if err != nil {
		return "", "", err
	}
	if err := wordpress.Generate(f, opt); err != nil {
		f.Close()
		return "", "", err
	}
	if err := f.Close(); err != nil {
		return "", "", err
	}
	return file, uploads, os.WriteFile(file+".done", nil, 0o644)
}

// importRun runs jikji import-wordpress and returns its time and peak
// resident memory.
func (b *bench) importRun(file, uploads string, site ...string) (time.Duration, int64, error) {
	cmd := exec.Command(b.bin, append([]string{"import-wordpress", file, "--uploads", uploads}, site...)...)
	cmd.Stderr = nil
	start := time.Now()
	out, err := cmd.Output()
	took := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("import-wordpress: %v\n%s", err, out)
	}
	fmt.Fprint(os.Stderr, string(out))
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss << 10
	}
	return took, rss, nil
}

func (b *bench) wordpressImport() error {
	n := *wxrPosts
	if *quick {
		n = min(n, 5000)
	}
	file, uploads, err := wxrFile(fmt.Sprintf("wp-%d", n), wordpress.GenerateOptions{Posts: n, Comments: 3, BodyBytes: 2500})
	if err != nil {
		return err
	}
	data := filepath.Join(*dir, "site-wp-import")
	os.RemoveAll(data)
	step("import-wordpress: %d posts with photos and comments into SQLite", n)
	took, rss, err := b.importRun(file, uploads, "--data", data)
	if err != nil {
		return err
	}
	rate := float64(n) / took.Seconds()
	b.add(result{target: fmt.Sprintf("WordPress import, %d posts with photos and comments, SQLite", n), ours: fmt.Sprintf("%.0f articles/s", rate),
		ref: "1,000 articles/s", ratio: fmt.Sprintf("%.2f×", rate/1000), need: "≥ 1.00×", pass: rate >= 1000,
		note: fmt.Sprintf("%s, peak %d MB", took.Round(time.Second), rss>>20)})
	if err := b.siteSize(filepath.Join(data, "jikji.db"), n); err != nil {
		return err
	}
	if *wxrPG != "" {
		if err := b.wordpressPostgres(file, uploads, n, rate); err != nil {
			return err
		}
	}
	if *wxrBigMB > 0 && !*quick {
		body := 16 << 10
		posts := (*wxrBigMB << 20) / (body + 3<<10)
		big, bigUploads, err := wxrFile(fmt.Sprintf("wp-big-%dmb", *wxrBigMB), wordpress.GenerateOptions{Posts: posts, Comments: 3, BodyBytes: body})
		args := []string{"--data"}
		how := "imported"
		if *wxrBigDry {
			args = []string{"--dry-run", "--data"}
			how = "read and converted with --dry-run"
		}
		if err != nil {
			return err
		}
		fi, err := os.Stat(big)
		if err != nil {
			return err
		}
		data := filepath.Join(*dir, "site-wp-big")
		os.RemoveAll(data)
		step("import-wordpress: a %d MB export, for memory", fi.Size()>>20)
		took, rss, err := b.importRun(big, bigUploads, append(args, data)...)
		os.RemoveAll(data)
		if err != nil {
			return err
		}
		b.add(result{target: fmt.Sprintf("Peak resident memory importing a %d MB WordPress export", fi.Size()>>20), ours: fmt.Sprintf("%d MB", rss>>20),
			ref: "256 MB", ratio: fmt.Sprintf("%.2f×", float64(rss)/float64(256<<20)), need: "≤ 256 MB", pass: rss <= 256<<20,
			note: fmt.Sprintf("%d posts %s in %s", posts, how, took.Round(time.Second))})
	}
	return nil
}

// siteSize reports the bytes an imported article takes, photos left
// aside, and the search index's share of them.
func (b *bench) siteSize(db string, n int) error {
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var total, photos, index int64
	if err := conn.QueryRow(`SELECT sum(pgsize) FROM dbstat`).Scan(&total); err != nil {
		return fmt.Errorf("dbstat: %w", err)
	}
	conn.QueryRow(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('photo_variants', 'sqlite_autoindex_photo_variants_1', 'photos')`).Scan(&photos)
	conn.QueryRow(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'article_search%'`).Scan(&index)
	text := total - photos
	perArticle := text / int64(n)
	projected := float64(perArticle) * 1e6 / (1 << 30)
	b.add(result{target: "Bytes per imported article with its search index, photos aside (1M projected)", ours: fmt.Sprintf("%d B", perArticle),
		ref: "12 GB per 1M", ratio: fmt.Sprintf("%.1f GB per 1M", projected), need: "≤ 12 GB", pass: projected <= 12,
		note: fmt.Sprintf("search index %.0f%%", 100*float64(index)/float64(text))})
	return nil
}

// wordpressPostgres imports the same export into a fresh PostgreSQL
// database.
func (b *bench) wordpressPostgres(file, uploads string, n int, sqliteRate float64) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, *wxrPG)
	if err != nil {
		step("PostgreSQL not reachable, import on PostgreSQL skipped: %v", err)
		return nil
	}
	defer conn.Close(ctx)
	buf := make([]byte, 6)
	rand.Read(buf)
	name := "jikji_bench_" + hex.EncodeToString(buf)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return err
	}
	defer conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	cfg, err := pgx.ParseConfig(*wxrPG)
	if err != nil {
		return err
	}
	url := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
	step("import-wordpress: %d posts into PostgreSQL", n)
	took, rss, err := b.importRun(file, uploads, "--database-url", url)
	if err != nil {
		return err
	}
	rate := float64(n) / took.Seconds()
	b.add(result{target: fmt.Sprintf("WordPress import, %d posts with photos and comments, PostgreSQL", n), ours: fmt.Sprintf("%.0f articles/s", rate),
		ref: fmt.Sprintf("%.0f articles/s (SQLite)", sqliteRate), ratio: fmt.Sprintf("%.2f×", rate/sqliteRate), need: "same order (≥ 0.10×)",
		pass: rate >= sqliteRate/10, note: fmt.Sprintf("%s, peak %d MB", took.Round(time.Second), rss>>20)})
	return nil
}
