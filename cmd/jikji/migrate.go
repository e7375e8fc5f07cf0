package main

import (
	"context"
	"fmt"
	"io"
)

// runMigrate applies the schema migrations the binary holds and exits, so
// that an operator can upgrade the database before starting new nodes. Nodes
// apply them too when they start; an advisory lock (PostgreSQL) or the
// write lock (SQLite) makes each migration run once.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newSiteFlagSet("migrate", stderr, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("jikji migrate 는 인자를 받지 않습니다: %v", fs.Args())
	}
	_, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	if err := closeStore(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "데이터베이스 스키마가 최신입니다 (%s).\n", describeDatabase(c))
	return nil
}

// describeDatabase names the database of c for messages, without a password.
func describeDatabase(c Config) string {
	if c.DatabaseURL == "" {
		return "SQLite " + c.Data
	}
	return "PostgreSQL " + redact(c.DatabaseURL)
}
